#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// The controlling terminal, for reading secrets.
enum Terminal {
    /// Prompts on `/dev/tty` and reads one line with echo off, restoring the terminal after.
    /// - Throws: `ValidationError` when there is no terminal (use `--pin-env`/`--pin-file`).
    static func readSecret(prompt: String) throws -> String {
        // This function owns `fd` and closes it on every path.
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ValidationError("no terminal to read the PIN from; use --pin-env or --pin-file")
        }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw ValidationError("cannot configure the terminal; use --pin-env or --pin-file")
        }
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        silent.c_lflag |= tcflag_t(ECHONL)
        write(fd, prompt, prompt.utf8.count)
        tcsetattr(fd, TCSAFLUSH, &silent)
        defer { tcsetattr(fd, TCSAFLUSH, &saved) }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let count = Glibc.read(fd, &byte, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1, byte != UInt8(ascii: "\n") else { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        // Overwrite the copy this function made; the caller's String is beyond reach.
        for index in line.indices { line[index] = 0 }
        return text
    }
}
