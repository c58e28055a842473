import Foundation
import TestProcesses
import Testing

/// docs/cli.md is what `tools/cli-reference` makes from the built executables' --help.
@Suite struct CLIReferenceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    @Test("docs/cli.md matches the executables' --help (run tools/cli-reference after changing an option)")
    func referenceIsCurrent() throws {
        let binDirectory = URL(fileURLWithPath: BuiltProduct.path("cryptech")).deletingLastPathComponent().path
        let run = try ChildProcess.run(Self.root.appendingPathComponent("tools/cli-reference").path, ["--stdout", "--bin-dir", binDirectory])
        #expect(run.status == 0, "\(run.stderr)")
        let generated = run.stdout
        let committed = try String(contentsOf: Self.root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        #expect(committed == generated, "docs/cli.md is stale: run tools/cli-reference")
        #expect(generated.contains("## `cryptech share export`") && generated.contains("## `cryptech-hil`"))
    }
}
