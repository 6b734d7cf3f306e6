import WinnowCharset
import WinnowText

/// Plain text: the text is the file, in whatever charset it is.
struct PlainTextReader: FormatReader {
    static let format = DocumentFormat(rawValue: "text")
    static let summary = "Plain text in any charset; the title is the first line."
    static let extensions = ["txt", "text"]

    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult { .no }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let decoded = try input.text()
        var text = ExtractedText(text: decoded.utf8, map: decoded.map,
                                 metadata: DocumentMetadata(format: format, charset: decoded.choice), warnings: decoded.warnings)
        text.decoded = true
        return Reading(documents: [text])
    }
}
