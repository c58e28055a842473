import Foundation
import Testing

/// docs/cli.md is what `tools/cli-reference` makes from the built executables' --help.
@Suite struct CLIReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test("docs/cli.md matches the executables' --help (run tools/cli-reference after changing an option)")
    func referenceIsCurrent() throws {
        let binDirectory = URL(fileURLWithPath: BuiltProduct.path("cryptech")).deletingLastPathComponent().path
        let process = Process()
        process.executableURL = Self.root.appendingPathComponent("tools/cli-reference")
        process.arguments = ["--stdout", "--bin-dir", binDirectory]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let generated = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        #expect(committed == generated, "docs/cli.md is stale: run tools/cli-reference")
        #expect(generated.contains("## `cryptech share export`") && generated.contains("## `cryptech-hil`"))
    }
}
