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

    @Option(name: [.short, .long], help: "Files classified at once, each on a thread of its own (default: the cores this process may use); the output keeps the order of the files.")
    var jobs: Int?

    @Option(name: .customLong("files-from"), help: ArgumentHelp("Also classify the files listed in this file, one path per line ('-': standard input).", valueName: "list"))
    var filesFrom: String?

    @Argument(help: ArgumentHelp("Files to classify; a folder stands for the files in it.", valueName: "file"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty && filesFrom == nil { throw ValidationError("Give files to classify, a folder, or --files-from.") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more.") }
    }

    func run() throws {
        var all = files
        if let filesFrom {
            do {
                all += try Tools.paths(listedIn: filesFrom)
            } catch {
                throw ValidationError("cannot read --files-from '\(filesFrom)': \(error.localizedDescription)")
            }
        }
        let code = Tools.classify(configPath: options.config, rules: options.rules, format: format, files: all,
                                  showText: showText, jobs: jobs)
        if code != 0 { throw ExitCode(code) }
    }
}
