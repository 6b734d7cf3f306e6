import WinnowCharset
import WinnowText

/// E-mail: one message (RFC 5322 and MIME), as an `.eml` file or in mbox form.
///
/// The text is the subject line, then every text part in reading order, each decoded from its
/// transfer encoding and its charset (docs/formats.md §E-mail). Binary attachments are listed,
/// not read. Offsets are offsets into the file: a range of the text maps to the file bytes
/// that, with the part's transfer encoding and charset undone (for the subject, its RFC 2047
/// encoded words), are that text; a base64 range is whole 4-character groups.
struct EmailReader: FormatReader {
    static let format = DocumentFormat(rawValue: "email")
    static let summary = "E-mail (.eml, one message in mbox form): the subject and every text part, in any charset; attachments listed."
    static let extensions = ["eml", "mbox", "mail"]

    /// A header block with two familiar e-mail fields at the start, or after an mbox `From ` line.
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        MailHeader.looksLikeMail(head, from: MboxEnvelope.headerStart(head)) ? .strong : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let result = input.bytes.withUnsafeBufferPointer { readMessage($0, input: input) }
        return Reading(documents: [try result.get()])
    }

    private static func readMessage(_ bytes: UnsafeBufferPointer<UInt8>, input: ReaderInput) -> Result<ExtractedText, ReadFailure> {
        let policy = input.options.charsets
        let (message, more) = MboxEnvelope.firstMessage(bytes)
        let header = MailHeader(parsing: bytes, message)
        let top = MailPart(header: header, source: bytes, body: header.bodyStart ..< message.upperBound, label: "")
        var walker = MailPartWalker(source: bytes, policy: policy, converted: input.unicode?.choice)
        walker.read(top, depth: 0)
        // 8-bit header bytes that are not UTF-8 are read in the charset of the text, as mail
        // readers do.
        let hint = walker.charset?.charset ?? top.charsetLabel.flatMap(Charset.init(label:))
        func headerText(_ name: String, _ field: String) -> HeaderText? {
            header.first(name).map { HeaderTextDecoder.decode(bytes, $0.valueRange, field: field, hint: hint, policy: policy) }
        }
        let subject = headerText("subject", "Subject")
        let from = headerText("from", "From")

        var joiner = TextJoiner()
        if let subject { joiner.append(subject.text, map: subject.map, trimming: true) }
        joiner.separate(at: max(header.range.lowerBound, header.bodyStart - 1) ..< header.bodyStart)
        let body = walker.joiner.finish()
        joiner.append(body.text, map: body.map)
        var (text, map) = joiner.finish()
        guard !text.isEmpty else {
            let why = walker.allWarnings.isEmpty ? "" : " (\(walker.allWarnings.joined(separator: "; ")))"
            return .failure(ReadFailure(.malformed, "the message has no subject and no text part that could be read\(why)"))
        }
        if let unicode = input.unicode {
            map = map.composed(over: unicode.map, text: text, innerText: input.bytes)
        }

        var metadata = DocumentMetadata(format: format, title: subject.flatMap { collapsed($0.string) },
                                        charset: walker.charset ?? subject?.charset ?? input.unicode?.choice)
        metadata.author = from.flatMap { collapsed($0.string) }
        metadata.published = header.first("date").map { $0.collapsed(bytes) }.flatMap { $0.isEmpty ? nil : $0 }
        var warnings = (subject?.warnings ?? []) + (from?.warnings ?? []) + walker.allWarnings
        if more > 0 { warnings.append("the mbox holds \(more) more message(s) after the first; only the first was read") }
        return .success(ExtractedText(text: text, map: map, metadata: metadata, warnings: warnings, attachments: walker.attachments))
    }

    /// Runs of spaces as one; nil when nothing is left.
    private static func collapsed(_ s: String) -> String? {
        let words = s.split(whereSeparator: { $0 == " " })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
