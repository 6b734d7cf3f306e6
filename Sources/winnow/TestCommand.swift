import ArgumentParser
import WinnowService

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the match and no-match examples embedded in the rule packs.",
        discussion: "Prints each failure with its file and line, then 'N passed, N failed'; exits 1 on any failure.")

    @OptionGroup var options: ConfigOptions

    @Argument(help: ArgumentHelp("Only the rules of these packs.", valueName: "pack"))
    var packs: [String] = []

    func run() throws {
        guard let config = Tools.config(path: options.config, rulesOverride: options.rules) else { throw ExitCode(1) }
        let code = Tools.test(rules: config.rules, packs: packs)
        if code != 0 { throw ExitCode(code) }
    }
}
