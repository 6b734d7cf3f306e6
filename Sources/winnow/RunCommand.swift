import ArgumentParser
import Logging
import WinnowService

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Inbox folder; overrides the configuration.", valueName: "dir"))
    var inbox: String?

    @Option(name: .long, help: ArgumentHelp("State folder (alerts, summary, processed/, failed/); overrides the configuration.", valueName: "dir"))
    var state: String?

    func run() async throws {
        guard var config = Tools.config(path: options.config, rulesOverride: options.rules) else { throw ExitCode(1) }
        if let inbox { config.inbox = inbox }
        if let state { config.state = state }
        config = config.absolutized()
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }
        let code = await Daemon.run(config: config, logger: Logger(label: "winnow"))
        if code != 0 { throw ExitCode(code) }
    }
}
