import CFuzzDriver
import Foundation

/// Runs libFuzzer over one decoder.
///
/// SwiftPM gives every executable a `main` of its own (libFuzzer's is not linked), so the
/// target's main does its setup, then calls ``run(seeds:_:)``, which hands control to
/// libFuzzer's driver with the process's arguments (libFuzzer's options, corpus directories).
///
/// A finding is anything that stops the process: a trap (a decoder's, or a target's
/// `precondition` on a property), an AddressSanitizer report, a timeout, or memory above
/// libFuzzer's limits.
public enum Fuzzer {
    nonisolated(unsafe) private static var test: (([UInt8]) -> Void)?

    /// Writes `seeds` into the first corpus directory given, if it is empty, then fuzzes `test`.
    ///
    /// Seeds are made in the fuzzing process so that they may name what only it holds (the
    /// software Alpha's key handles).
    /// - Parameters:
    ///   - seeds: valid encodings to start from.
    ///   - test: decodes one input and checks what came out; traps on a violated property.
    public static func run(seeds: () throws -> [[UInt8]], _ test: @escaping ([UInt8]) -> Void) -> Never {
        let arguments = CommandLine.arguments.dropFirst()
        if let corpus = arguments.first(where: { !$0.hasPrefix("-") }),
           (try? FileManager.default.contentsOfDirectory(atPath: corpus))?.isEmpty == true {
            do {
                for (index, seed) in try seeds().enumerated() {
                    try Data(seed).write(to: URL(fileURLWithPath: corpus).appendingPathComponent("seed-\(index)"))
                }
            } catch {
                FileHandle.standardError.write(Data("fuzz: cannot write the seeds into \(corpus): \(error)\n".utf8))
                exit(2)
            }
        }
        Self.test = test
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            Fuzzer.test!(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        })
    }
}
