import Foundation
import TestProcesses
import Testing

/// The one way tests run a program to its end.
@Suite struct ChildProcessTests {
    @Test("running a child that writes far more than a pipe holds to standard error, and reads all its input, never deadlocks")
    func runReadsBothStreamsAtOnce() throws {
        let input = Data(repeating: UInt8(ascii: "i"), count: 300_000)
        let result = try ChildProcess.run("/bin/sh", ["-c", "head -c 300000 /dev/zero | tr '\\0' e >&2; wc -c; echo done"], stdin: input)
        #expect(result.status == 0 && result.signal == nil)
        #expect(result.stderr.count == 300_000)
        #expect(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["300000", "done"])
    }

    @Test("merged, both streams arrive in one text in the order written; without input a child reads end of file")
    func mergedStreamsAndNoInput() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "echo out; echo err >&2; wc -c; exit 3"], mergingStandardError: true)
        #expect(result.status == 3)
        #expect(result.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["out", "err", "0"])
        #expect(result.stderr.isEmpty)
    }

    @Test("a child ended by a signal says which")
    func signal() throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "kill -KILL $$"])
        #expect(result.signal == SIGKILL)
    }
}
