import WinnowText

/// An article in JSON, as feeds and scrapers write them: a title, a body in one or more
/// fields, and metadata, under keys that `JSONKeys` names (compared in any case).
struct JSONArticle {
    var text: [UInt8]
    /// From `text` to offsets of the bytes parsed.
    var map: SourceMap
    var title: String?
    var author: String?
    var published: String?
    var url: String?
    var publisher: String?
    var language: String?

    /// Keys whose values are identifiers or links, never text a person reads.
    private static let notText: Set<String> = ["id", "guid", "uuid", "_id", "image", "images", "thumbnail", "photo", "video",
                                               "href", "src", "icon", "logo", "slug", "type", "category_id", "hash"]

    /// Keys under which a file wraps a list of articles (`{"items": [...]}`).
    private static let listKeys: Set<String> = ["items", "articles", "entries", "data", "results", "posts", "documents",
                                                "records", "news", "stories"]

    /// The articles a JSON value holds: itself, or each object of a top-level list or of a
    /// list under a wrapper key, when it has no article fields of its own.
    static func articles(in node: JSONNode, keys: JSONKeys) -> [JSONNode]? {
        switch node {
        case .array(let items):
            let objects = items.filter { if case .object = $0 { true } else { false } }
            return objects.isEmpty ? nil : objects
        case .object(let members):
            let named = Set((keys.title + keys.body).map { $0.lowercased() })
            if members.contains(where: { named.contains($0.key.lowercased()) }) { return nil }
            for (key, value) in members where listKeys.contains(key.lowercased()) {
                if case .array = value, let list = articles(in: value, keys: keys) { return list }
            }
            return nil
        default:
            return nil
        }
    }

    init(_ node: JSONNode, bytes: [UInt8], keys: JSONKeys) {
        var fields: [String: JSONNode] = [:]
        if case .object(let members) = node {
            for (key, value) in members where fields[key.lowercased()] == nil { fields[key.lowercased()] = value }
        }
        func first(_ names: [String]) -> JSONNode? {
            names.lazy.compactMap { fields[$0.lowercased()] }.first { if case .null = $0 { false } else { true } }
        }
        var b = TextBuilder()  // not the file's size: a feed has one article per line
        if let t = first(keys.title), case .string(let r) = Self.named(t) {
            let start = b.count
            Self.append(bytes, r, to: &b)
            title = String(decoding: b.text[start...], as: UTF8.self)
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            b.separate(lines: 2, at: r.upperBound ..< r.upperBound)
        }
        var bodyFound = false
        for name in keys.body {
            guard let v = fields[name.lowercased()] else { continue }
            let before = b.count
            Self.appendText(of: v, bytes, to: &b)
            bodyFound = bodyFound || b.count > before
        }
        if !bodyFound && title == nil {
            // No field this reader knows: everything that reads as text, in order, so nothing
            // in the document goes unread.
            let known = Set((keys.url + keys.published + keys.author + keys.publisher + keys.language).map { $0.lowercased() })
            if case .object(let members) = node {
                for (key, value) in members where !known.contains(key.lowercased()) && !Self.notText.contains(key.lowercased()) {
                    Self.appendText(of: value, bytes, to: &b)
                }
            } else {
                Self.appendText(of: node, bytes, to: &b)
            }
        }
        (text, map) = b.finish()
        author = first(keys.author).flatMap { Self.plain($0, bytes) }
        published = first(keys.published).flatMap { Self.plain($0, bytes) }
        url = first(keys.url).flatMap { Self.plain($0, bytes) }
        publisher = first(keys.publisher).flatMap { Self.plain($0, bytes) }
        language = first(keys.language).flatMap { Self.plain($0, bytes) }?.lowercased()
    }

    /// `{"name": "…"}` and `{"text": "…"}` stand for their string.
    private static func named(_ v: JSONNode) -> JSONNode {
        if case .object = v, let inner = v["name"] ?? v["text"] ?? v["value"] ?? v["#text"] { return inner }
        return v
    }

    /// A metadata value as one line: a string, a number as written, names of a list joined.
    private static func plain(_ v: JSONNode, _ bytes: [UInt8]) -> String? {
        switch named(v) {
        case .string(let r):
            let s = JSONStrings.decode(bytes, r).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            return s.isEmpty ? nil : s
        case .number(let r):
            return String(decoding: bytes[r], as: UTF8.self)
        case .array(let items):
            let names = items.compactMap { plain($0, bytes) }
            return names.isEmpty ? nil : names.joined(separator: ", ")
        default:
            return nil
        }
    }

    /// Strings of a value, deep, each a paragraph.
    private static func appendText(of v: JSONNode, _ bytes: [UInt8], to b: inout TextBuilder) {
        switch v {
        case .string(let r):
            append(bytes, r, to: &b)
            b.separate(lines: 2, at: r.upperBound ..< r.upperBound)
        case .array(let items):
            for item in items { appendText(of: item, bytes, to: &b) }
        case .object(let members):
            for (key, value) in members where !notText.contains(key.lowercased()) { appendText(of: value, bytes, to: &b) }
        default:
            break
        }
    }

    /// A string's text; HTML inside it (`"<p>…</p>"`) is read as HTML.
    private static func append(_ bytes: [UInt8], _ r: Range<Int>, to b: inout TextBuilder) {
        guard looksLikeHTML(bytes[r]) else {
            JSONStrings.append(bytes, r, to: &b)
            return
        }
        var s = TextBuilder(capacity: r.count)
        JSONStrings.append(bytes, r, to: &s)
        let (decoded, stringMap) = s.finish()
        let html = HTMLExtractor.extract(decoded, mainContent: false)
        b.append(html.text, mappedBy: html.map.composed(over: stringMap, text: html.text, innerText: decoded))
    }

    /// A tag of the kinds article bodies use, opened and closed.
    static func looksLikeHTML(_ s: ArraySlice<UInt8>) -> Bool {
        guard s.contains(UInt8(ascii: "<")) else { return false }
        let tags = ["<p>", "<p ", "<br", "</p>", "</div>", "</a>", "</li>", "</h", "</span>", "</strong>", "</em>", "</b>", "</i>"]
        let lower = s.prefix(65536).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return tags.contains { ByteSearch.contains(Array($0.utf8), in: lower) }
    }
}
