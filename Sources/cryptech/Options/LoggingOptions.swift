import ArgumentParser
import Logging
import Synchronization

/// `-v`/`--verbose`, on every command that does work: what the host libraries log (the
/// exporter's steps, the signer pool's failovers, every board call) goes to stderr.
///
/// Levels: notice and above by default, `-v` info, `-vv` debug, `-vvv` trace. The libraries
/// log names, ranges, transfer ids and function numbers; never a PIN or key, and payload
/// sizes only, at debug or below.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: ArgumentHelp(
        "Log what the host libraries do to standard error: -v steps (info), -vv every board call (debug), -vvv trace."))
    var verbose: Int

    /// The level `-v` given this many times selects.
    var level: Logger.Level {
        switch verbose {
        case 0: .notice
        case 1: .info
        case 2: .debug
        default: .trace
        }
    }

    /// Parsing the command line is the first thing a command does, so logging is configured
    /// here, before any library makes a logger.
    func validate() throws {
        CommandLogging.bootstrap(level: level)
    }

    /// A logger for a library's `label`, at the level asked for.
    func logger(_ label: String) -> Logger {
        CommandLogging.bootstrap(level: level)
        return Logger(label: label)
    }
}

/// The process's one `LoggingSystem.bootstrap`: swift-log traps on a second one, and both
/// validation and ``LoggingOptions/logger(_:)`` make sure it happened.
enum CommandLogging {
    private static let done = Mutex(false)

    static func bootstrap(level: Logger.Level) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
