import ArgumentParser
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
        let code = await Daemon.run(configPath: options.config, rules: options.rules, inbox: inbox, state: state)
        if code != 0 { throw ExitCode(code) }
    }
}
