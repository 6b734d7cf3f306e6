import WinnowText

/// Runs the office reader child (`winnow extract-office`) on a DOCX or ODT file and turns what
/// it writes into the document, or its failure into a `ReadFailure`.
enum OfficeReading {
    static let toolName = "winnow extract-office"

    static func read(_ input: ReaderInput, as format: DocumentFormat) throws(ReadFailure) -> Reading {
        let tools = input.options.tools
        guard let command = tools.officeReader ?? OfficeCommand.default, !command.isEmpty else {
            throw ReadFailure(.toolMissing, "\(format.rawValue.uppercased()) is read by '\(toolName)', and the running program is not winnow; set ToolOptions.officeReader to that command")
        }
        let result = ToolRunner.run(command, input: input.file, options: tools)
        switch result.termination {
        case .notFound:
            throw ReadFailure(.toolMissing, "\(format.rawValue.uppercased()) is read by '\(toolName)', and '\(command[0])' does not exist; reinstall Winnow")
        case .exited(let status):
            switch OfficeOutput.decode(result.stdout) {
            case .success(let document)?: return reading(document, format: format)
            case .failure(let failure)?: throw failure
            case nil:
                guard status == 0 else { break }
                throw ReadFailure(.toolFailed, "'\(command.joined(separator: " "))' wrote no office reader output; is it '\(toolName)'?")
            }
        default:
            break
        }
        throw ToolFailure.describe(result, tool: toolName, options: tools)
    }

    static func reading(_ d: OfficeDocument, format: DocumentFormat) -> Reading {
        var metadata = DocumentMetadata(format: format, title: DocumentTitle.choose(metadata: d.title, heading: d.heading, text: d.text))
        metadata.author = d.author
        metadata.published = d.created
        return Reading(documents: [ExtractedText(text: d.text, map: .identity(count: d.text.count), offsets: .text,
                                                 metadata: metadata, warnings: d.warnings)])
    }
}
