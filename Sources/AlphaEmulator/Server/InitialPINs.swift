#if canImport(Glibc)
import Glibc
#endif
import DurableFile
import HalRPC

/// PINs a software Alpha sets at start without any authorization (tests and tools), read from
/// a file or an environment variable and never from the command line: a process's arguments
/// are readable by every local user (`ps`, `/proc/PID/cmdline`), its environment only by its
/// owner (issue 13, item 6).
///
/// The text, in a file (`cryptech-emulator --init-pin-file PATH`) or an environment variable
/// (`--init-pin-env NAME`): one `USER=PIN` per line, USER being `wheel`, `so` or `user`
/// (`normal` too). The PIN is every byte after the first `=` up to the end of the line (a
/// `\n`; anything else, `\r` and spaces included, belongs to the PIN), 4 to 4096 bytes, so a
/// PIN cannot hold a newline. Empty lines and lines starting with `#` are skipped; a user
/// named twice is refused. Error messages never quote a line: it may hold a PIN.
public enum InitialPINs {
    /// One user's PIN.
    public typealias Entry = (user: User, pin: PIN)

    /// The variable ``EmulatorProcess`` passes PINs in (to the child alone).
    public static let environmentVariable = "CRYPTECH_EMULATOR_INIT_PINS"

    /// The PINs in `text`; `source` names where it came from, for errors (`--init-pin-file
    /// PATH`, say).
    /// - Throws: ``EmulatorOptionError`` for a line that is not `USER=PIN`, an unknown user, a
    ///   user named twice, or a PIN outside 4…4096 bytes.
    public static func parse(_ text: [UInt8], source: String) throws(EmulatorOptionError) -> [Entry] {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard !line.isEmpty, line.first != UInt8(ascii: "#") else { continue }
            let number = index + 1
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else {
                throw .invalid(source, "line \(number): expected wheel=PIN, so=PIN or user=PIN")
            }
            guard let user = user(named: String(decoding: line[..<equals], as: UTF8.self)) else {
                throw .invalid(source, "line \(number): the user is wheel, so or user")
            }
            guard !entries.contains(where: { $0.user == user }) else {
                throw .invalid(source, "line \(number): a second PIN for the same user")
            }
            let pin = PIN(bytes: Array(line[line.index(after: equals)...]))
            guard PIN.validLengths.contains(pin.bytes.count) else {
                throw .invalid(source, "line \(number): a PIN is 4 to 4096 bytes long")
            }
            entries.append((user, pin))
        }
        return entries
    }

    /// The text ``parse(_:source:)`` reads back as `pins`.
    /// - Throws: ``EmulatorOptionError`` for a PIN outside 4…4096 bytes or holding a newline
    ///   or NUL byte (neither fits a line of an environment variable), or a user other than
    ///   NORMAL, SO and WHEEL.
    public static func text(_ pins: [Entry]) throws(EmulatorOptionError) -> [UInt8] {
        var text: [UInt8] = []
        for (user, pin) in pins {
            guard let name = name(of: user) else { throw .invalid("initial PINs", "the user is NORMAL, SO or WHEEL") }
            guard PIN.validLengths.contains(pin.bytes.count), !pin.bytes.contains(0x0A), !pin.bytes.contains(0) else {
                throw .invalid("initial PINs", "a PIN is 4 to 4096 bytes without newline or NUL")
            }
            text += Array("\(name)=".utf8) + pin.bytes + [0x0A]
        }
        return text
    }

    /// `--init-pin-file PATH`: the PINs in a file that only its owner may read or write (like
    /// ssh's private keys: a PIN file others can read is refused, not just warned about). A
    /// pipe (`--init-pin-file <(printf 'user=%s\n' "$PIN")` in bash, whose `printf` is a
    /// builtin) passes the PINs through no file and no command line at all.
    /// - Throws: ``EmulatorOptionError`` when the file cannot be read, grants any access to its
    ///   group or others, or does not parse.
    public static func read(file path: String) throws(EmulatorOptionError) -> [Entry] {
        let option = "--init-pin-file \(path)"
        let text: [UInt8]
        do {
            // Three users of at most 4096 bytes each, with their names: anything longer is not a PIN file.
            text = try DurableFile.readPrivate(path, limit: 3 * 4200)
        } catch {
            throw .invalid(option, Self.reason(error))
        }
        return try parse(text, source: option)
    }

    /// `--init-pin-env NAME`: the PINs in the environment variable `NAME`, which is then
    /// removed from this process's environment, so nothing it starts inherits them.
    /// - Throws: ``EmulatorOptionError`` when the variable is not set or does not parse.
    public static func read(environmentVariable name: String) throws(EmulatorOptionError) -> [Entry] {
        let option = "--init-pin-env \(name)"
        guard let value = getenv(name) else { throw .invalid(option, "the variable is not set") }
        let text = Array(UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: strlen(value)))
        unsetenv(name)
        return try parse(text, source: option)
    }

    /// Writes `pins` to a new file at `path` that only its owner may read (mode 0600), for
    /// `--init-pin-file`.
    /// - Throws: ``EmulatorOptionError`` when `path` exists or cannot be written, or for a PIN
    ///   ``text(_:)`` refuses.
    public static func write(_ pins: [Entry], toFile path: String) throws(EmulatorOptionError) {
        let bytes = try text(pins)
        do {
            try DurableFile.create(path, with: bytes, mode: .ownerReadWrite)
        } catch {
            throw .invalid(path, Self.reason(error))
        }
    }

    /// A file failure in the words the option errors use.
    private static func reason(_ error: DurableFileError) -> String {
        if case .tooLarge = error.reason { return "too long for a PIN file" }
        return error.what
    }

    private static func user(named name: String) -> User? {
        switch name.lowercased() {
        case "wheel": .wheel
        case "so": .securityOfficer
        case "user", "normal": .normal
        default: nil
        }
    }

    private static func name(of user: User) -> String? {
        switch user {
        case .wheel: "wheel"
        case .securityOfficer: "so"
        case .normal: "user"
        default: nil
        }
    }
}
