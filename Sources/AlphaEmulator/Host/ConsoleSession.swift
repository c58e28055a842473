import HalRPC

/// The board's console dialogue, enough for a person to log in and for the muxd probe to tell
/// the console from the RPC port (docs/wire-protocol.md §11.4, §11.5): `Username: `, `Password: `, then
/// a `cryptech> ` prompt. Pure: bytes in, bytes out; PIN checks go through a closure.
///
/// Line editing as a terminal expects: CR or LF ends a line, Ctrl-U clears it, DEL/BS erase
/// a character; printable input is echoed except at the password prompt.
struct ConsoleSession {
    /// Answers whether `pin` is `user`'s PIN.
    typealias Verifier = (User, PIN) -> Bool

    private enum Stage {
        case username
        case password(String)
        case loggedIn(User)
    }

    private var stage = Stage.username
    private var line: [UInt8] = []
    private var lastWasCR = false

    static let usernamePrompt = "Username: "
    static let passwordPrompt = "Password: "
    static let commandPrompt = "cryptech> "

    /// What the console prints at start.
    func banner() -> [UInt8] {
        Array("\r\n\r\nCryptech Alpha (software emulator)\r\n\r\n\(Self.usernamePrompt)".utf8)
    }

    /// Feeds console input; returns what the console prints in answer.
    mutating func receive(_ bytes: [UInt8], verify: Verifier) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            defer { lastWasCR = byte == 0x0D }
            switch byte {
            case 0x0A where lastWasCR:
                continue
            case 0x0D, 0x0A:
                out += Array("\r\n".utf8)
                out += endOfLine(verify: verify)
            case 0x15:
                // Ctrl-U: forget the line (the muxd probe starts with it).
                line.removeAll()
            case 0x08, 0x7F:
                if !line.isEmpty {
                    line.removeLast()
                    if !isPasswordStage { out += [0x08, 0x20, 0x08] }
                }
            case 0x20...0x7E:
                guard line.count < 4096 else { continue }
                line.append(byte)
                if !isPasswordStage { out.append(byte) }
            default:
                continue
            }
        }
        return out
    }

    private var isPasswordStage: Bool {
        if case .password = stage { return true }
        return false
    }

    private mutating func endOfLine(verify: Verifier) -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        let pin = PIN(bytes: line)
        line.removeAll()
        switch stage {
        case .username:
            guard !text.isEmpty else { return Array(Self.usernamePrompt.utf8) }
            stage = .password(text)
            return Array(Self.passwordPrompt.utf8)
        case .password(let name):
            if let user = Self.user(named: name), PIN.validLengths.contains(pin.bytes.count), verify(user, pin) {
                stage = .loggedIn(user)
                return Array("\r\n\(Self.commandPrompt)".utf8)
            }
            stage = .username
            return Array("\r\nAccess denied\r\n\r\n\(Self.usernamePrompt)".utf8)
        case .loggedIn:
            return command(text.trimmingSpaces)
        }
    }

    private mutating func command(_ text: String) -> [UInt8] {
        let reply: String
        switch text {
        case "":
            reply = ""
        case "help", "?":
            reply = "Commands: help, show version, logout\r\n"
        case "show version":
            reply = "Cryptech Alpha software emulator, RPC version 1.1.1.0\r\n"
        case "logout", "exit", "quit":
            stage = .username
            return Array("\r\n\(Self.usernamePrompt)".utf8)
        default:
            reply = "Unknown command: \(text)\r\n"
        }
        return Array((reply + Self.commandPrompt).utf8)
    }

    private static func user(named name: String) -> User? {
        switch name.lowercased() {
        case "wheel": .wheel
        case "so": .securityOfficer
        case "user": .normal
        default: nil
        }
    }
}

extension String {
    var trimmingSpaces: String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
