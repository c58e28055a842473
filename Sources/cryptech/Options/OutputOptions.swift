import ArgumentParser
import Foundation

/// `--json`: output for scripts instead of people. Each result is one JSON object on one line
/// of stdout (JSON lines where a command prints several, such as `devices --watch`), its keys
/// sorted; docs/json.md documents every command's shape. Failures stay as they are without
/// `--json`: a line on stderr and the exit status, nothing on stdout.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON for scripts (one object per line; see docs/json.md).")
    var json = false

    /// Prints `value` as one line of JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
