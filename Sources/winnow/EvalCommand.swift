import ArgumentParser
import WinnowService

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the rules against labelled documents: per-topic and country precision and recall, titles, misses.",
        discussion: "The labels file is tab-separated with a header: file, format, lang, topics (+topic, -topic), places (country codes), expected_title; FILE#N rows label a feed's records. See docs/quality.md.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("The labels (TSV).", valueName: "file"))
    var labels: String

    @Option(name: .long, help: "Output format: text (a table) or json.")
    var format: Tools.Format = .text

    @Argument(help: ArgumentHelp("Documents to score; a folder stands for the files in it.", valueName: "path"))
    var paths: [String]

    func run() throws {
        let code = Tools.eval(configPath: options.config, rules: options.rules, labelsPath: labels, format: format, paths: paths)
        if code != 0 { throw ExitCode(code) }
    }
}
