import Foundation
import TestProcesses
import Testing

/// A suite that runs built executables fails under CI when one is missing, and is skipped
/// (only) elsewhere: this test bundle is run again, on one such suite, with the emulator's
/// path pointing nowhere.
@Suite struct BuiltExecutablesTests {
    static let missing = "/nonexistent/cryptech-emulator"

    @Test("Under CI a suite whose executable is missing fails instead of being skipped")
    func missingExecutableFailsUnderCI() throws {
        let ci = try Self.runBoardVerificationSuite(ci: "true")
        #expect(ci.status != 0, "\(ci.output)")
        #expect(ci.output.contains("CI is set and \(Self.missing) is missing"), "\(ci.output)")
    }

    @Test("Without CI the same suite is skipped, saying what to build")
    func missingExecutableSkipsOutsideCI() throws {
        let local = try Self.runBoardVerificationSuite(ci: nil)
        #expect(local.status == 0, "\(local.output)")
        #expect(local.output.contains("skipped: \"build cryptech-emulator first\""), "\(local.output)")
    }

    /// Runs this test bundle on `BoardVerificationTests` alone with `CI` set to `ci` (or unset).
    private static func runBoardVerificationSuite(ci: String?) throws -> (status: Int32, output: String) {
        let run = try ChildProcess.run(URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
                                       ["--testing-library", "swift-testing", "--filter", "HashSigHostTests.BoardVerificationTests"],
                                       environment: ["CI": ci, "CRYPTECH_EMULATOR": missing], mergingStandardError: true)
        return (run.status, run.stdout)
    }
}
