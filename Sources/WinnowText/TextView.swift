/// The text Winnow reads in a document, byte for byte the same length as the document.
///
/// HTML markup, e-mail headers and transfer encodings are not the text an analyst means, but
/// evidence must point at the file's own bytes. So the view keeps every offset: markup becomes
/// spaces, and decoded text (entities, quoted-printable, base64) is written where its encoded
/// form was, padded with DEL bytes (0x7F), which folding ignores as it does soft hyphens. Any
/// offset into the view is the same offset into the file.
public struct TextView: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, html, email
    }

    public var bytes: [UInt8]
    public var format: Format
    /// The HTML `<title>` or the e-mail `Subject:`, when there is one.
    public var title: String?
    /// What could not be read as text (an attachment's charset, say), for the alert's warnings.
    public var notes: [String] = []

    /// Plain text: the view is the text itself.
    public init(plain text: [UInt8]) {
        bytes = text
        format = .text
    }

    /// Chooses the view for a document by its name and first bytes.
    public init(of text: [UInt8], name: String) {
        let ext = name.contains(".") ? (name.split(separator: ".").last.map { $0.lowercased() } ?? "") : ""
        let html = ["html", "htm", "xhtml"].contains(ext)
        if ext == "eml" || (!html && MailView.looksLikeMail(text)) {
            self = MailView.view(text)
        } else if html || HTMLView.looksLikeHTML(text) {
            var bytes = text
            let title = HTMLView.blank(&bytes, 0 ..< bytes.count)
            self.init(bytes: bytes, format: .html, title: title)
        } else {
            self.init(plain: text)
        }
    }

    init(bytes: [UInt8], format: Format, title: String?, notes: [String] = []) {
        self.bytes = bytes
        self.format = format
        self.title = title
        self.notes = notes
    }
}

/// Byte helpers shared by the HTML and e-mail views.
enum ViewBytes {
    static let filler: UInt8 = 0x7F

    /// Writes `decoded` over `range` (which must be at least as long) and pads with DEL.
    static func overwrite(_ bytes: inout [UInt8], _ range: Range<Int>, with decoded: some Collection<UInt8>) {
        var i = range.lowerBound
        for b in decoded where i < range.upperBound {
            bytes[i] = b
            i += 1
        }
        while i < range.upperBound {
            bytes[i] = filler
            i += 1
        }
    }

    static func blank(_ bytes: inout [UInt8], _ range: Range<Int>) {
        for i in range where bytes[i] != 0x0A { bytes[i] = 0x20 }
    }

    static func utf8(_ scalar: UInt32) -> [UInt8]? {
        guard let s = Unicode.Scalar(scalar), scalar != 0 else { return nil }
        return Array(String(s).utf8)
    }

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// Whether `bytes[at...]` starts with `prefix`, ignoring ASCII case.
    static func hasPrefix(_ bytes: [UInt8], at: Int, _ prefix: String) -> Bool {
        var i = at
        for p in prefix.utf8 {
            guard i < bytes.count, lower(bytes[i]) == p else { return false }
            i += 1
        }
        return true
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        let kept = bytes.filter { $0 != filler }
        return String(decoding: kept, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
