import ArgumentParser
import Foundation
import HalRPC

/// Where a PIN comes from: the terminal without echo (the default), an environment variable,
/// or a file, for scripts. Never the command line, where every user of the machine could
/// read it.
struct PINOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read the PIN from this environment variable.", valueName: "name"))
    var pinEnv: String?

    @Option(help: ArgumentHelp("Read the PIN from the first line of this file ('-' for standard input).", valueName: "path"))
    var pinFile: String?

    func validate() throws {
        if pinEnv != nil, pinFile != nil { throw ValidationError("give either --pin-env or --pin-file, not both") }
    }

    /// Reads the PIN.
    /// - Parameter prompt: shown on the terminal when the PIN is typed.
    /// - Throws: `ValidationError`, a usage error, when the source is missing or unreadable, or
    ///   the PIN has a length the board refuses.
    func read(prompt: String) throws -> PIN {
        let text = try readSecretLine(environment: pinEnv, file: pinFile, what: "the PIN", prompt: prompt)
        let pin = PIN(text)
        guard PIN.validLengths.contains(pin.bytes.count) else {
            throw ValidationError("a PIN has \(PIN.validLengths.lowerBound) to \(PIN.validLengths.upperBound) bytes")
        }
        return pin
    }
}

/// A secret's first line: from the environment variable `environment`, from `file` ('-' for
/// standard input), or typed at the terminal without echo. Never from the command line.
/// - Throws: `ValidationError` naming `what` when the source is missing or unreadable.
func readSecretLine(environment: String?, file: String?, what: String, prompt: String) throws -> String {
    let text: String
    if let name = environment {
        guard let value = ProcessInfo.processInfo.environment[name] else {
            throw ValidationError("environment variable \(name) is not set")
        }
        text = value
    } else if let path = file {
        guard let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path),
              let data = try? handle.readToEnd() ?? Data(),
              let contents = String(data: data, encoding: .utf8)
        else {
            throw ValidationError("cannot read \(what) from \(path)")
        }
        text = String(contents.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    } else {
        text = try Terminal.readSecret(prompt: prompt)
    }
    return text.hasSuffix("\r") ? String(text.dropLast()) : text
}
