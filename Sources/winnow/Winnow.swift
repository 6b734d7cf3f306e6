import ArgumentParser
import WinnowService

@main
struct Winnow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "winnow",
        abstract: "Triage documents dropped into an inbox with YAML rules.",
        discussion: "Rules: docs/rules.md. Alerts: docs/alerts.md. Configuration: etc/winnow/winnow.yaml.",
        version: "0.1.0",
        subcommands: [RunCommand.self, CheckCommand.self, ClassifyCommand.self, TestCommand.self, StatusCommand.self,
                      EvalCommand.self, ExtractOfficeCommand.self])
}

/// Options shared by commands that read the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (default: the embedded default).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Rules folder; overrides the configuration.", valueName: "dir"))
    var rules: String?
}

extension Tools.Format: ExpressibleByArgument {}
