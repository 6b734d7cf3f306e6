/// Reads the few fields of a schema.org article in `<script type="application/ld+json">`
/// (`headline`, `author.name`, `datePublished`, `publisher.name`) by looking for their keys,
/// not by parsing the JSON: cheap, and good enough for metadata, never for text.
struct JSONLDScanner {
    var headline: String?
    /// Where the headline's string is in the page, when it has no escapes (so its bytes are its text).
    var headlineRange: Range<Int>?
    var author: String?
    var published: String?
    var publisher: String?

    private static let articleTypes = ["Article", "BlogPosting", "Report", "SocialMediaPosting", "WebPage"]

    init(_ p: UnsafeBufferPointer<UInt8>, scripts: [Range<Int>]) {
        for r in scripts where r.count <= 1 << 20 {
            guard Self.articleTypes.contains(where: { Self.find($0, in: p, r) != nil }) else { continue }
            if headline == nil, let (h, range) = Self.string(after: "\"headline\"", in: p, r) {
                headline = h
                headlineRange = range
            }
            if published == nil { published = Self.string(after: "\"datePublished\"", in: p, r)?.0 }
            if author == nil { author = Self.name(after: "\"author\"", in: p, r) }
            if publisher == nil { publisher = Self.name(after: "\"publisher\"", in: p, r) }
        }
    }

    /// The string value of the first `key` in `p[r]`, and its range when it has no escapes.
    static func string(after key: String, in p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> (String, Range<Int>?)? {
        guard let k = find(key, in: p, r) else { return nil }
        var i = k + key.utf8.count
        while i < r.upperBound, HTMLTokenizer.isSpace(p[i]) || p[i] == UInt8(ascii: ":") { i += 1 }
        guard i < r.upperBound, p[i] == UInt8(ascii: "\"") else { return nil }
        return quoted(p, from: i, end: r.upperBound)
    }

    /// `"name"` of the object (or first object of the array) after `key`, or the string there.
    static func name(after key: String, in p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String? {
        guard let k = find(key, in: p, r) else { return nil }
        var i = k + key.utf8.count
        while i < r.upperBound, HTMLTokenizer.isSpace(p[i]) || p[i] == UInt8(ascii: ":") || p[i] == UInt8(ascii: "[") { i += 1 }
        guard i < r.upperBound else { return nil }
        if p[i] == UInt8(ascii: "\"") { return quoted(p, from: i, end: r.upperBound)?.0 }
        guard p[i] == UInt8(ascii: "{") else { return nil }
        let close = HTMLTokenizer.find(UInt8(ascii: "}"), p, from: i, to: r.upperBound) ?? r.upperBound
        return string(after: "\"name\"", in: p, i ..< close)?.0
    }

    /// The JSON string that starts at the quote at `i`, unescaped.
    private static func quoted(_ p: UnsafeBufferPointer<UInt8>, from i: Int, end: Int) -> (String, Range<Int>?)? {
        var out: [UInt8] = []
        var k = i + 1
        var escaped = false
        while k < end, k - i < 4096 {
            let b = p[k]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: out, as: UTF8.self).trimmingWhitespace
                return s.isEmpty ? nil : (s, escaped ? nil : i + 1 ..< k)
            }
            if b == UInt8(ascii: "\\"), k + 1 < end {
                escaped = true
                k += 1
                switch p[k] {
                case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"): out.append(0x20)
                case UInt8(ascii: "u"):
                    if k + 4 < end, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: p[k + 1 ... k + 4]), as: UTF8.self), radix: 16),
                       let s = Unicode.Scalar(v) {
                        out.append(contentsOf: Array(String(s).utf8))
                    }
                    k += 4
                default: out.append(p[k])
                }
                k += 1
                continue
            }
            out.append(b)
            k += 1
        }
        return nil
    }

    private static func find(_ key: String, in p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int? {
        let needle = Array(key.utf8)
        var k = r.lowerBound
        while let q = HTMLTokenizer.find(needle[0], p, from: k, to: r.upperBound) {
            if q + needle.count <= r.upperBound, needle.indices.allSatisfy({ p[q + $0] == needle[$0] }) { return q }
            k = q + 1
        }
        return nil
    }
}
