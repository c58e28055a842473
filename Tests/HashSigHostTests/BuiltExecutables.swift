import CryptechExitStatus
import Foundation

/// The executables' exit-status table, by its plain name: Swift Testing has an `ExitStatus` of
/// its own (for exit tests), which this one shadows in the tests.
typealias ExitStatus = CryptechExitStatus.ExitStatus

/// The built executables a suite runs (`cryptech-emulator`, `cryptech`). A suite declares them
/// with `.enabled(if: try BuiltExecutables.present(...))`: on a developer's machine it is
/// skipped while they are not built yet (`swift test` before `swift build`); under CI (`CI`
/// set, as `.ci/run` is run) a missing one fails the suite instead, so that CI can never pass
/// without having run it.
enum BuiltExecutables {
    /// The executables that are not there, under CI.
    struct Missing: Error, CustomStringConvertible {
        let paths: [String]
        var description: String {
            "CI is set and \(paths.joined(separator: ", ")) \(paths.count == 1 ? "is" : "are") missing: "
                + "build the executables (swift build) before the tests"
        }
    }

    /// Whether every executable in `paths` exists.
    /// - Throws: ``Missing`` instead of returning `false` under CI.
    static func present(_ paths: String..., environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Bool {
        let missing = paths.filter { !FileManager.default.isExecutableFile(atPath: $0) }
        guard !missing.isEmpty else { return true }
        if isCI(environment) { throw Missing(paths: missing) }
        return false
    }

    /// `CI` set to anything but empty, `0` or `false` (CI services set it to `true` or `1`).
    static func isCI(_ environment: [String: String]) -> Bool {
        guard let value = environment["CI"] else { return false }
        return !["", "0", "false"].contains(value.lowercased())
    }
}
