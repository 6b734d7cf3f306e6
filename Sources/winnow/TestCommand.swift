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
        let code = Tools.test(configPath: options.config, rules: options.rules, packs: packs)
        if code != 0 { throw ExitCode(code) }
    }
}
