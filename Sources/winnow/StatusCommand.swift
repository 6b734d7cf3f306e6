import ArgumentParser
import WinnowService

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show whether the daemon runs, its ruleset, counts and last errors, from the state folder.",
        discussion: "Works whether or not the daemon runs. Exit status: 0 running, 3 not running, 1 bad configuration.")

    @Option(name: .long, help: ArgumentHelp("Configuration file (default: the embedded default).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("State folder; overrides the configuration.", valueName: "dir"))
    var state: String?

    @Option(name: .long, help: "Output format.")
    var format: Tools.Format = .text

    func run() throws {
        let code = Tools.status(configPath: config, stateOverride: state, format: format)
        if code != 0 { throw ExitCode(code) }
    }
}
