import WinnowCharset
import WinnowText

/// One document ready for matching: its text, the map back to the file, what it says about
/// itself, and its words.
///
/// Hits are byte ranges of `text`; `fileRange(_:)` turns them into what alerts report.
public struct Document: Sendable {
    /// The file name as dropped (no folder).
    public var name: String
    /// Where the file was read from, if it came from a file.
    public var path: String?
    /// The inbox subfolder it was found in ("" for the inbox itself).
    public var source: String
    /// Size of the original file in bytes.
    public var byteCount: Int
    /// UTF-8: what rules read (markup, headers and transfer encodings taken out).
    public var text: [UInt8]
    public var map: SourceMap
    public var offsets: OffsetBasis
    public var metadata: DocumentMetadata
    /// What could not be read or was read with doubt, for the alert's warnings.
    public var warnings: [String]
    public var attachments: [Attachment]
    /// The record number in a feed (`FILE#N`), else nil.
    public var record: Int?
    /// Where each word of `text` starts and ends (the automaton folds as it walks from them).
    public var words: WordTable
    /// The metadata's title, or the first line of the text.
    public var title: String
    /// Script and language, computed on first use.
    public let facts: DocumentFacts
    /// The file's bytes, for lines and columns of evidence.
    public let file: [UInt8]
    /// How the file counts lines and columns, from the charset it was read in, and where its
    /// first line starts (after a byte-order mark): worked out once, not per evidence offset.
    private let fileLineUnit: LineIndex.Unit
    private let fileFirstLine: Int

    public init(_ extracted: ExtractedText, name: String, path: String? = nil, source: String = "", file: [UInt8]) {
        self.name = name
        self.path = path
        self.source = source
        self.byteCount = file.count
        self.text = extracted.text
        self.map = extracted.map
        self.offsets = extracted.offsets
        var metadata = extracted.metadata
        for field in [\DocumentMetadata.author, \.published, \.url, \.publisher, \.language] {
            metadata[keyPath: field] = metadata[keyPath: field].map { Document.capped($0, limit: 1000) }
        }
        self.metadata = metadata
        self.warnings = extracted.warnings
        self.attachments = extracted.attachments
        self.record = extracted.record
        self.file = file
        fileLineUnit = Self.lineUnit(extracted.metadata.charset?.charset)
        fileFirstLine = extracted.metadata.charset?.method == .bom
            ? file.withUnsafeBufferPointer { CharsetDecoder.byteOrderMark($0)?.length ?? 0 } : 0
        self.words = WordTable(extracted.text)
        self.title = extracted.metadata.title.flatMap { $0.isEmpty ? nil : Document.capped($0) } ?? Document.title(of: extracted.text)
        self.facts = DocumentFacts(text: extracted.text)
    }

    /// A document made from a string (examples, tests), read as a file of that name would be
    /// (`x.html` as HTML); as plain text when it cannot be.
    public init(name: String = "example.txt", string: String) {
        let bytes = Array(string.utf8)
        if let reading = try? DocumentReader.read(bytes, name: name), let first = reading.documents.first {
            self.init(first, name: name, file: bytes)
            return
        }
        self.init(ExtractedText(text: bytes, map: .identity(count: bytes.count),
                                metadata: DocumentMetadata(format: PlainTextReader.format,
                                                           charset: CharsetChoice(charset: .utf8, method: .utf8))),
                  name: name, file: bytes)
    }

    /// File name extension, lowercased, without the dot ("" when there is none).
    public var fileExtension: String { DocumentReader.fileExtension(name) }

    /// The name a document goes by in logs and reports: `feed.jsonl#3` for a feed's record.
    public var displayName: String { record.map { "\(name)#\($0)" } ?? name }

    /// The text of a byte range of `text`.
    public func text(_ range: Range<Int>) -> String {
        String(decoding: text[range], as: UTF8.self)
    }

    /// The range evidence reports for text range `r`: bytes of the file, or of the text for
    /// formats read by a tool (`offsets == .text`).
    public func reportedRange(_ r: Range<Int>) -> Range<Int> {
        offsets == .text ? r : map.sourceRange(r, text: text)
    }

    /// 1-based line and column (in characters) where reported offset `offset` is.
    ///
    /// `lines` keeps the line index between calls: pass the same variable for every offset of
    /// this document, and, when offsets count in the file (`offsets == .file`), for every
    /// document read from the same file, so a feed's records share one pass over the file
    /// instead of each making its own (quadratic in a feed whose records all have evidence).
    public func position(ofReported offset: Int, lines: inout LineIndex?) -> (line: Int, column: Int) {
        let bytes = offsets == .text ? text : file
        let unit = offsets == .text ? .utf8 : fileLineUnit
        let mark = offsets == .text ? 0 : fileFirstLine
        if let index = lines, index.firstLine == mark, let same = index.counting(in: unit) {
            lines = same
        } else {
            lines = LineIndex(bytes, unit: unit, firstLine: mark)
        }
        return lines!.position(of: offset, in: bytes)
    }

    /// How line breaks and characters are counted in a file read in `charset`.
    private static func lineUnit(_ charset: Charset?) -> LineIndex.Unit {
        guard let charset else { return .utf8 }
        switch charset {
        case .utf8: return .utf8
        case .utf16le: return .utf16le
        case .utf16be: return .utf16be
        case .utf32le: return .utf32le
        case .utf32be: return .utf32be
        default: return .byte
        }
    }

    /// Index of the word at or after byte `offset` of `text`.
    public func wordIndex(atText offset: Int) -> Int {
        words.index(atOrAfter: offset)
    }

    /// At most `limit` scalars (a hostile e-mail's subject or From can be megabytes long).
    static func capped(_ value: String, limit: Int = 200) -> String {
        guard value.utf8.count > limit, value.unicodeScalars.count > limit else { return value }
        return String(String.UnicodeScalarView(value.unicodeScalars.prefix(limit - 1))) + "…"
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
                for b in text[start ..< end] {
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
            let line = String(decoding: text[start ..< end], as: UTF8.self)
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
