import WinnowCharset
import WinnowText

/// A JSON article (title, body, url, date, author, source under the keys `json_keys` names),
/// or a list of them, each its own document (`FILE#N`).
struct JSONReader: FormatReader {
    static let format = DocumentFormat(rawValue: "json")
    static let summary = "JSON articles: title, body and metadata by configurable keys, escapes decoded; a list of articles is a feed."
    static let extensions = ["json"]

    /// An object or a list that parses (or runs past the head still parsing), not a feed.
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        guard let first = JSONLines.firstNonSpace(head), head[first] == UInt8(ascii: "{") || head[first] == UInt8(ascii: "[") else {
            return .no
        }
        guard JSONLinesReader.sniff(head) != .strong else { return .no }
        let bytes = Array(head)
        do {
            _ = try JSONParser.parse(bytes)
            return .strong
        } catch {
            // A large file's head ends mid-value: still JSON as far as it goes.
            return error.offset >= bytes.count - 1 && head.count >= DocumentReader.headBytes ? .strong : .weak
        }
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let decoded = try input.text()
        let bytes = decoded.utf8
        let node: JSONNode
        do {
            node = try JSONParser.parse(bytes)
        } catch {
            // Not JSON after all: its text still counts, read as it is.
            var reading = try PlainTextReader.read(input)
            reading.documents[0].warnings.insert("not valid JSON (\(error.describe(in: bytes))); read as plain text", at: 0)
            return reading
        }
        let keys = input.options.json
        let nodes = JSONArticle.articles(in: node, keys: keys)
        let documents = (nodes ?? [node]).enumerated().map { k, article in
            var d = JSONLines.document(JSONArticle(article, bytes: bytes, keys: keys), format: format, decoded: decoded)
            if nodes != nil { d.record = k + 1 }
            return d
        }
        return Reading(documents: documents)
    }
}

/// Helpers shared by the JSON and JSON Lines readers.
enum JSONLines {
    static func firstNonSpace(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        b.firstIndex { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }
    }

    /// Non-blank lines in `b`, counting up to `limit`.
    static func lineCount(_ b: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        var n = 0, blank = true
        for c in b {
            if c == 0x0A {
                if !blank { n += 1 }
                if n >= limit { return n }
                blank = true
            } else if c != 0x20, c != 0x09, c != 0x0D {
                blank = false
            }
        }
        return blank ? n : n + 1
    }

    /// An article's document: its text mapped through the charset to the file.
    static func document(_ a: JSONArticle, format: DocumentFormat, decoded: DecodedText) -> ExtractedText {
        var metadata = DocumentMetadata(format: format, title: a.title, charset: decoded.choice)
        metadata.author = a.author
        metadata.published = a.published
        metadata.url = a.url
        metadata.publisher = a.publisher
        metadata.language = a.language
        return ExtractedText(text: a.text, map: a.map.composed(over: decoded.map, text: a.text, innerText: decoded.utf8),
                             metadata: metadata, warnings: decoded.warnings)
    }
}
