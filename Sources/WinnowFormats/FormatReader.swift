import WinnowCharset
import WinnowText

/// One document format Winnow reads (`text`, `html`, `email`, `pdf` …): the value of the
/// `format` field in rules and of `document.format` in alerts.
///
/// A format is declared by its reader (`static let format`), so adding one touches only the
/// reader's file and the registry; the set of names is `FormatRegistry.names`.
public struct DocumentFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// How strongly a document's content says it is in a reader's format.
public enum SniffResult: Int, Comparable, Sendable {
    /// Not this format.
    case no
    /// Could be (a Markdown heading); the file name's extension decides before this does.
    case weak
    /// Very likely (an HTML doctype, e-mail headers, a JSON object).
    case strong
    /// A signature no other format has (`%PDF-`, a ZIP holding `word/document.xml`).
    case certain

    public static func < (a: SniffResult, b: SniffResult) -> Bool { a.rawValue < b.rawValue }
}

/// Reads one format: recognises it from content and name, and takes its text out with a map
/// back to the file's bytes.
///
/// A reader is one file in `Readers/` plus one line in `FormatRegistry.swift`. The engine
/// never names a format: it hands the file to `DocumentReader`, which asks every reader's
/// `sniff` and lets the winner `read`.
public protocol FormatReader: Sendable {
    static var format: DocumentFormat { get }
    /// One line for docs/formats.md.
    static var summary: String { get }
    /// File name extensions (lowercase, no dot) that choose this reader when no content
    /// signature is strong.
    static var extensions: [String] { get }
    /// How strongly `head` (the first 64 KiB, ASCII-compatible: UTF-16 and UTF-32 files are
    /// converted first) says the document is in this format.
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult
    /// Takes the text out: one document, or one per record of a feed. Throws when the whole
    /// file cannot be read; a record that cannot be read is one of `Reading.failures`.
    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading
}

/// What readers are given: the file, its text form, and the reading options.
public struct ReaderInput: Sendable {
    /// The file's bytes as dropped.
    public let file: [UInt8]
    /// The file name (no folder), for extensions and messages.
    public let name: String
    /// The bytes text readers parse: the file itself, or its conversion to UTF-8 when it is
    /// UTF-16 or UTF-32 (then `unicode` holds the conversion and its map to the file).
    public let bytes: [UInt8]
    public let unicode: DecodedText?
    public let options: ReadingOptions

    public init(file: [UInt8], name: String, bytes: [UInt8], unicode: DecodedText?, options: ReadingOptions) {
        self.file = file
        self.name = name
        self.bytes = bytes
        self.unicode = unicode
        self.options = options
    }

    /// The whole file as text (see `decode`), or the `undecodable` failure that says why not.
    public func text(declared: CharsetDeclaration? = nil) throws(ReadFailure) -> DecodedText {
        switch decode(declared: declared) {
        case .success(let d): return d
        case .failure(let f): throw ReadFailure(.undecodable, f.detail)
        }
    }

    /// `bytes[range]` as text, mapped to offsets of the file: in the charset the file's byte-order
    /// mark or form says, else as `declared` says (when the bytes agree), else by detection.
    public func decode(_ range: Range<Int>? = nil, declared: CharsetDeclaration?) -> Result<DecodedText, UndecodableText> {
        let range = range ?? 0 ..< bytes.count
        if let unicode {
            // Already converted: the part is UTF-8 now, mapped through the conversion.
            let part = Array(bytes[range])
            let map = SourceMap.identity(count: part.count, offset: range.lowerBound)
                .composed(over: unicode.map, text: part, innerText: bytes)
            return .success(DecodedText(utf8: part, map: map, choice: unicode.choice, warnings: unicode.warnings))
        }
        if range == 0 ..< bytes.count {
            return CharsetDecoder.decode(bytes, declared: declared, policy: options.charsets)
        }
        return bytes.withUnsafeBufferPointer { b in
            CharsetDecoder.decode(UnsafeBufferPointer(rebasing: b[range]), declared: declared, policy: options.charsets)
                .map { d in
                    var d = d
                    d.map = d.map.shifted(by: range.lowerBound)
                    return d
                }
        }
    }
}

/// What a reader took out of a file.
public struct Reading: Sendable {
    public var documents: [ExtractedText]
    /// Records of a feed that could not be read (the others still count).
    public var failures: [RecordFailure]

    public init(documents: [ExtractedText], failures: [RecordFailure] = []) {
        self.documents = documents
        self.failures = failures
    }
}

/// What offsets in evidence count in.
public enum OffsetBasis: String, Sendable {
    /// Bytes of the file as dropped (text, HTML, e-mail, JSON).
    case file
    /// Bytes of the UTF-8 text the reader extracted (PDF, DOCX, ODT: their text is not
    /// stored as bytes in the file).
    case text
}

/// The text of one document, its map to the file, and what the reader learnt about it.
public struct ExtractedText: Sendable {
    /// UTF-8: what rules read.
    public var text: [UInt8]
    /// From offsets of `text` to offsets of the file (or of `text` itself, see `offsets`).
    public var map: SourceMap
    public var offsets: OffsetBasis
    public var metadata: DocumentMetadata
    /// What was not read or was read with doubt (an attachment, damaged bytes), for the alert.
    public var warnings: [String]
    /// Parts that are not text (an e-mail's binary attachments), listed in the alert.
    public var attachments: [Attachment]
    /// The record's number in a feed (JSON Lines: 1 for the first record), else nil.
    public var record: Int?
    /// `text` is the charset decoder's output as it came, UTF-8 by its contract (which the
    /// charset fuzz target checks), so `DocumentReader` need not check it again: that was a
    /// second pass over every plain-text file.
    var decoded = false

    public init(text: [UInt8], map: SourceMap, offsets: OffsetBasis = .file, metadata: DocumentMetadata,
                warnings: [String] = [], attachments: [Attachment] = [], record: Int? = nil) {
        self.text = text
        self.map = map
        self.offsets = offsets
        self.metadata = metadata
        self.warnings = warnings
        self.attachments = attachments
        self.record = record
    }
}

/// What a document says about itself. Every field is optional but the format.
public struct DocumentMetadata: Sendable {
    public var format: DocumentFormat
    /// Headline, subject or document title, whitespace collapsed; nil when the format has none
    /// (then the first line is used).
    public var title: String?
    /// The charset the text was read in and why; nil for formats read by a tool (PDF).
    public var charset: CharsetChoice?
    public var author: String?
    /// As written (`2024-03-01T10:00:00Z`, `Tue, 5 Mar 2024 10:00:00 +0000`).
    public var published: String?
    public var url: String?
    /// The publisher, site or feed the document names (`og:site_name`, a feed's `source`).
    public var publisher: String?
    /// The language the document declares (`<html lang>`), lowercase, as written.
    public var language: String?

    public init(format: DocumentFormat, title: String? = nil, charset: CharsetChoice? = nil) {
        self.format = format
        self.title = title
        self.charset = charset
    }
}

/// A part of a document that is not text: listed, not read.
public struct Attachment: Sendable, Equatable {
    public var name: String?
    /// MIME type as declared (`application/pdf`).
    public var type: String
    /// Bytes after its transfer encoding, when known.
    public var bytes: Int?

    public init(name: String?, type: String, bytes: Int?) {
        self.name = name
        self.type = type
        self.bytes = bytes
    }
}

/// A record of a feed that could not be read.
public struct RecordFailure: Sendable, Error {
    /// The record's number (as in `FILE#N`).
    public var record: Int
    /// Its bytes in the file.
    public var range: Range<Int>
    public var failure: ReadFailure

    public init(record: Int, range: Range<Int>, failure: ReadFailure) {
        self.record = record
        self.range = range
        self.failure = failure
    }
}

/// Why a document (or a record of one) cannot be read.
public struct ReadFailure: Error, Sendable, Equatable {
    public enum Reason: String, Sendable, CaseIterable {
        /// NUL bytes and no format Winnow reads.
        case binary
        /// Text in no charset Winnow could determine.
        case undecodable
        /// A format Winnow recognises but does not read (an image, a spreadsheet, a legacy `.doc`).
        case unsupportedFormat = "unsupported-format"
        /// The format's structure is broken (JSON that does not parse, a damaged PDF or ZIP).
        case malformed
        /// Password-protected or encrypted.
        case encrypted
        /// Nothing to read (a scanned PDF without a text layer).
        case noText = "no-text"
        /// The tool that reads the format is not installed.
        case toolMissing = "tool-missing"
        /// Classifying it spent the time or memory one document may take.
        case budget
        /// The tool ran past its time or memory limit, or crashed.
        case toolFailed = "tool-failed"
    }

    public var reason: Reason
    public var detail: String

    public init(_ reason: Reason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
