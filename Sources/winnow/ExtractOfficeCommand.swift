import ArgumentParser
import WinnowService

/// `winnow extract-office`: the child process in which DOCX and ODT files are read, under the
/// time and memory limits of `tool_timeout` and `tool_memory` (docs/formats.md). Hidden: the
/// daemon runs it, people do not.
struct ExtractOfficeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract-office",
        abstract: "Read a DOCX or ODT file on stdin and write its text on stdout (run by Winnow itself).",
        shouldDisplay: false)

    func run() throws {
        let code = Tools.extractOffice()
        if code != 0 { throw ExitCode(code) }
    }
}
