import ArgumentParser
import WinnowService

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify files once and print the result; nothing is moved or written.",
        discussion: "Exit status: 0 when every file was classified, 1 when a file could not be read as text, 2 when the rules have errors.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Output format: json (one line per file, the alert schema) or text.")
    var format: Tools.Format = .json

    @Flag(name: .long, help: "Also print the text Winnow read in each document (markup, headers and encodings taken out): what rules match.")
    var showText = false

    @Argument(help: ArgumentHelp("Files to classify; a folder stands for the files in it.", valueName: "file"))
    var files: [String]

    func run() throws {
        let code = Tools.classify(configPath: options.config, rules: options.rules, format: format, files: files, showText: showText)
        if code != 0 { throw ExitCode(code) }
    }
}
