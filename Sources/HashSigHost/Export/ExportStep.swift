/// The points of the export protocol, in order, at which an export run can be interrupted.
/// ``ShareExporter/Options/stepHook`` is called at each (the CLI's `CRYPTECH_TEST_CRASH_AT`
/// kills the process there, for the crash-injection tests).
public enum ExportStep: String, CaseIterable, Sendable {
    /// The destination's KEKEK is ready and loaded on the source.
    case kekekLoaded = "kekek-loaded"
    /// The `planned` records are on disk.
    case planned
    /// The `exporting` record is on disk; the export request has not been sent.
    case exporting
    /// The export reply is in memory only.
    case exportReplied = "export-replied"
    /// The blob file is on disk; `exported` is not recorded.
    case blobStored = "blob-stored"
    /// The `exported` record is on disk.
    case exported
    /// The import reply is in memory only.
    case importReplied = "import-replied"
    /// The `imported` record is on disk.
    case imported
    /// The test signature exists; `verified` is not recorded.
    case testSigned = "test-signed"
    /// The `verified` record is on disk.
    case verified
}
