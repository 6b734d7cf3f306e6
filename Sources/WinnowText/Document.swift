/// One document ready for matching: its metadata, its text, and the folded text.
///
/// Byte offsets anywhere in Winnow's evidence are offsets into `text.utf8`.
public struct Document: Sendable {
    /// The file name as dropped (no folder).
    public var name: String
    /// Where the file was read from, if it came from a file.
    public var path: String?
    /// The inbox subfolder it was found in ("" for the inbox itself).
    public var source: String
    /// Size of the original file in bytes.
    public var byteCount: Int
    public var text: DocumentText
    /// What is read: `text` with markup blanked and encodings decoded, the same length, so any
    /// offset into it is an offset into `text` (see `TextView`).
    public var view: [UInt8]
    public var format: TextView.Format
    /// What could not be read (an attachment, a part in another charset).
    public var notes: [String]
    public var folded: FoldedText
    public var title: String
    /// Script and language, computed on first use.
    public let facts: DocumentFacts

    public init(name: String, path: String? = nil, source: String = "", byteCount: Int, text: DocumentText) {
        self.name = name
        self.path = path
        self.source = source
        self.byteCount = byteCount
        self.text = text
        let view = TextView(of: text.utf8, name: name)
        self.view = view.bytes
        self.format = view.format
        self.notes = view.notes
        self.folded = FoldedText(folding: view.bytes)
        self.title = view.title ?? Document.title(of: view.bytes)
        self.facts = DocumentFacts(text: view.bytes)
    }

    /// A document made from a string (examples, tests).
    public init(name: String = "example.txt", string: String) {
        let bytes = Array(string.utf8)
        self.init(name: name, byteCount: bytes.count, text: DocumentText(utf8: bytes))
    }

    /// File name extension, lowercased, without the dot ("" when there is none).
    public var fileExtension: String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }

    /// The text of a byte range as read: the view's bytes without the padding of decoded text.
    public func viewText(_ range: Range<Int>) -> String {
        String(decoding: view[range].filter { $0 != ViewBytes.filler }, as: UTF8.self)
    }

    /// Index of the word at or after original byte offset `offset`.
    public func wordIndex(atOriginal offset: Int) -> Int {
        // Original offset of word k's start is originalOffset[wordStarts[k]]; both are sorted.
        var lo = 0, hi = folded.wordStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(folded.originalOffset[Int(folded.wordStarts[mid])]) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The first non-empty line, whitespace collapsed, at most 200 scalars.
    static func title(of text: [UInt8]) -> String {
        var start = 0
        while start < text.count {
            var end = start
            var ascii = true
            while end < text.count, text[end] != 0x0A { ascii = ascii && text[end] < 0x80; end += 1 }
            // ASCII lines (most titles) are split on bytes: every ASCII byte is its own
            // Character, and the whitespace ones are 09-0D and 20. Character.isWhitespace on
            // the whole line cost more than folding the document.
            if ascii {
                var out: [UInt8] = []
                out.reserveCapacity(end - start)
                var pendingSpace = false
                for b in text[start ..< end] where b != 0x7F {
                    if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                        pendingSpace = !out.isEmpty
                    } else {
                        if pendingSpace { out.append(0x20); pendingSpace = false }
                        out.append(b)
                    }
                }
                if !out.isEmpty {
                    return out.count > 200 ? String(decoding: out.prefix(199), as: UTF8.self) + "…" : String(decoding: out, as: UTF8.self)
                }
                start = end + 1
                continue
            }
            let line = String(decoding: text[start ..< end].filter { $0 != 0x7F }, as: UTF8.self)
            let words = line.split(whereSeparator: { $0.isWhitespace })
            if !words.isEmpty {
                let joined = words.joined(separator: " ")
                return joined.unicodeScalars.count > 200
                    ? String(String.UnicodeScalarView(joined.unicodeScalars.prefix(199))) + "…"
                    : joined
            }
            start = end + 1
        }
        return ""
    }
}
