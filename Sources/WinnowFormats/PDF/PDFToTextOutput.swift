/// What `pdftotext -enc UTF-8 -htmlmeta` writes, taken apart: the Info dictionary's fields
/// from the HTML head, and the text from the `<pre>` body.
///
/// pdftotext escapes the head (`&amp;`, `&quot;`…) but writes the body raw, so the body is
/// everything between the first `<pre>` and the last `</pre>`, whatever the PDF's text holds.
struct PDFToTextOutput: Equatable {
    var title: String?
    var author: String?
    /// CreationDate, as pdftotext writes it (ISO 8601: `2024-03-05T09:30:00Z`).
    var created: String?
    /// The text with form feeds (page ends) as paragraph breaks, line ends trimmed.
    var text: [UInt8]

    static let preOpen = Array("<pre>\n".utf8)
    static let preClose = Array("</pre>".utf8)

    /// Nil when `output` is not pdftotext's HTML (no `<pre>`).
    init?(_ output: [UInt8]) {
        guard let start = output.firstRange(of: Self.preOpen) else { return nil }
        let end = Self.lastRange(of: Self.preClose, in: output, from: start.upperBound)?.lowerBound ?? output.endIndex
        let head = String(decoding: output[..<start.lowerBound], as: UTF8.self)
        title = Self.element("title", in: head)
        author = Self.meta("Author", in: head)
        created = Self.meta("CreationDate", in: head)
        text = Self.paragraphs(output[start.upperBound ..< end])
    }

    /// Lines as they are; blank lines and page ends as paragraph breaks.
    static func paragraphs(_ body: ArraySlice<UInt8>) -> [UInt8] {
        var w = ParagraphWriter()
        for line in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let pages = line.split(separator: 0x0C, omittingEmptySubsequences: false)
            for (k, piece) in pages.enumerated() {
                if k > 0 { w.breakParagraph() }
                if piece.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if pages.count == 1 { w.breakParagraph() }
                    continue
                }
                w.append(piece)
            }
            w.breakLine()
        }
        return w.finish()
    }

    static func lastRange(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Range<Int>? {
        var i = bytes.count - needle.count
        while i >= from {
            if bytes[i ..< i + needle.count].elementsEqual(needle) { return i ..< i + needle.count }
            i -= 1
        }
        return nil
    }

    static func element(_ name: String, in head: String) -> String? {
        guard let a = head.firstRange(of: "<\(name)>"), let z = head[a.upperBound...].firstRange(of: "</\(name)>") else { return nil }
        return nonEmpty(unescape(String(head[a.upperBound ..< z.lowerBound])))
    }

    static func meta(_ name: String, in head: String) -> String? {
        guard let a = head.firstRange(of: "<meta name=\"\(name)\" content=\"") else { return nil }
        let rest = head[a.upperBound...]
        guard let z = rest.firstIndex(of: "\"") else { return nil }
        return nonEmpty(unescape(String(rest[..<z])))
    }

    static func nonEmpty(_ s: String) -> String? {
        let t = DocumentTitle.collapse(s)
        return t.isEmpty ? nil : t
    }

    /// The five entities pdftotext writes, and numeric references.
    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = s[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[amp...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest[rest.index(after: amp)...]; continue }
            let name = after[after.index(after: amp) ..< semi]
            if let c = entity(String(name)) { out.unicodeScalars.append(c) } else { out += after[...semi] }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init)
        }
    }
}
