import ArgumentParser
import WinnowService

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and every rule pack, and run the packs' examples.",
        discussion: "Prints 'path:line:col: error: …' for each problem; exits 1 on any error.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Output format.")
    var format: Tools.Format = .text

    func run() throws {
        let code = Tools.check(configPath: options.config, rules: options.rules, format: format)
        if code != 0 { throw ExitCode(code) }
    }
}
