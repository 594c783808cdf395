import Foundation
import Logging

/// Logging for the command-line tool: messages go to stderr at the level named by the
/// `CALOFORGE_LOG_LEVEL` environment variable (trace, debug, info, notice, warning, error,
/// critical; default `info`). Library code receives loggers; only `caloforge` bootstraps.
enum CommandLogging {
    static func bootstrap() {
        let name = ProcessInfo.processInfo.environment["CALOFORGE_LOG_LEVEL"]?.lowercased() ?? "info"
        let level = Logger.Level(rawValue: name) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// A logger for one command.
    static func logger(_ command: String) -> Logger { Logger(label: "caloforge.\(command)") }
}
