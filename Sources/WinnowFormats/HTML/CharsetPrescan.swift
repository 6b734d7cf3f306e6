/// HTML5's prescan for a page's declared charset (WHATWG HTML §13.2.3.2): `<meta charset>`,
/// `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 1024 bytes, comments
/// and other tags skipped as the parser would skip them; and, before it, an XML declaration's
/// `encoding`.
enum CharsetPrescan {
    static let window = 1024

    static func declared(_ p: UnsafeBufferPointer<UInt8>) -> String? {
        let limit = min(p.count, window)
        if let xml = xmlEncoding(p, limit: limit) { return adjusted(xml) }
        var k = 0
        while k < limit {
            guard let lt = HTMLTokenizer.find(UInt8(ascii: "<"), p, from: k, to: limit) else { return nil }
            k = lt
            if starts(p, k, limit, "<!--") {
                var g = k + 2
                var close = limit
                while let e = HTMLTokenizer.find(UInt8(ascii: ">"), p, from: g, to: limit) {
                    if e - 2 >= k + 2, p[e - 1] == UInt8(ascii: "-"), p[e - 2] == UInt8(ascii: "-") { close = e + 1; break }
                    g = e + 1
                }
                k = close
            } else if starts(p, k, limit, "<meta"), k + 5 < limit, HTMLTokenizer.isSpace(p[k + 5]) || p[k + 5] == UInt8(ascii: "/") {
                var reader = AttributeReader(p: p, limit: limit, position: k + 5)
                if let charset = metaCharset(&reader) { return adjusted(charset) }
                k = reader.position
            } else if k + 1 < limit, HTMLTokenizer.isLetter(p[k + 1]) || (p[k + 1] == UInt8(ascii: "/") && k + 2 < limit && HTMLTokenizer.isLetter(p[k + 2])) {
                var j = k + 1
                while j < limit, !HTMLTokenizer.isSpace(p[j]), p[j] != UInt8(ascii: ">") { j += 1 }
                var reader = AttributeReader(p: p, limit: limit, position: j)
                while reader.next() != nil {}
                k = reader.position
            } else if k + 1 < limit, p[k + 1] == UInt8(ascii: "!") || p[k + 1] == UInt8(ascii: "/") || p[k + 1] == UInt8(ascii: "?") {
                k = (HTMLTokenizer.find(UInt8(ascii: ">"), p, from: k + 1, to: limit) ?? limit) + 1
            } else {
                k += 1
            }
        }
        return nil
    }

    /// The charset a `<meta>` declares, by HTML5's rules (a `content` charset counts only
    /// with `http-equiv="content-type"`).
    private static func metaCharset(_ reader: inout AttributeReader) -> String? {
        var gotPragma = false
        var needPragma: Bool?
        var charset: String?
        var seen: Set<String> = []
        while let (name, value) = reader.next() {
            guard seen.insert(name).inserted else { continue }
            switch name {
            case "http-equiv": if value.lowercased() == "content-type" { gotPragma = true }
            case "content":
                if charset == nil, let c = charsetInContent(value) {
                    charset = c
                    needPragma = true
                }
            case "charset":
                charset = value
                needPragma = false
            default: break
            }
        }
        guard let needPragma, let charset, !(needPragma && !gotPragma) else { return nil }
        return charset.trimmingWhitespace.isEmpty ? nil : charset.trimmingWhitespace
    }

    /// `charset=…` in a Content-Type value.
    static func charsetInContent(_ content: String) -> String? {
        let bytes = Array(content.utf8)
        var k = 0
        while k + 7 <= bytes.count {
            if String(decoding: bytes[k ..< k + 7], as: UTF8.self).lowercased() == "charset" {
                var j = k + 7
                while j < bytes.count, HTMLTokenizer.isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "=") else { k += 7; continue }
                j += 1
                while j < bytes.count, HTMLTokenizer.isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count else { return nil }
                if bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") {
                    let q = bytes[j]
                    guard let e = bytes[(j + 1)...].firstIndex(of: q) else { return nil }
                    return String(decoding: bytes[(j + 1) ..< e], as: UTF8.self)
                }
                var e = j
                while e < bytes.count, !HTMLTokenizer.isSpace(bytes[e]), bytes[e] != UInt8(ascii: ";") { e += 1 }
                return e > j ? String(decoding: bytes[j ..< e], as: UTF8.self) : nil
            }
            k += 1
        }
        return nil
    }

    /// `<?xml version="1.0" encoding="…"?>` at the start of the page.
    private static func xmlEncoding(_ p: UnsafeBufferPointer<UInt8>, limit: Int) -> String? {
        guard starts(p, 0, limit, "<?xml"), let close = HTMLTokenizer.find(UInt8(ascii: ">"), p, from: 5, to: limit) else { return nil }
        let decl = String(decoding: UnsafeBufferPointer(rebasing: p[0 ..< close]), as: UTF8.self)
        guard let r = decl.firstRange(of: "encoding") else { return nil }
        let rest = decl[r.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != q }
        return value.isEmpty ? nil : String(value)
    }

    /// HTML5: a page that an ASCII-compatible prescan can read is not UTF-16, whatever it says;
    /// `x-user-defined` is windows-1252.
    private static func adjusted(_ label: String) -> String {
        let l = label.lowercased()
        if l.hasPrefix("utf-16") || l.hasPrefix("utf16") || l == "unicode" { return "utf-8" }
        if l == "x-user-defined" { return "windows-1252" }
        return label
    }

    static func starts(_ p: UnsafeBufferPointer<UInt8>, _ k: Int, _ limit: Int, _ s: StaticString) -> Bool {
        guard k + s.utf8CodeUnitCount <= limit else { return false }
        for i in 0 ..< s.utf8CodeUnitCount where HTMLTokenizer.lower(p[k + i]) != s.utf8Start[i] { return false }
        return true
    }
}

/// HTML5's "get an attribute" for the prescan: names lowercased, values as written.
private struct AttributeReader {
    let p: UnsafeBufferPointer<UInt8>
    let limit: Int
    var position: Int

    mutating func next() -> (String, String)? {
        var k = position
        while k < limit, HTMLTokenizer.isSpace(p[k]) || p[k] == UInt8(ascii: "/") { k += 1 }
        guard k < limit, p[k] != UInt8(ascii: ">") else { position = min(limit, k + 1); return nil }
        let nameStart = k
        k += 1
        while k < limit, !HTMLTokenizer.isSpace(p[k]), p[k] != UInt8(ascii: "/"), p[k] != UInt8(ascii: ">"), p[k] != UInt8(ascii: "=") { k += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: p[nameStart ..< k]).map(HTMLTokenizer.lower), as: UTF8.self)
        while k < limit, HTMLTokenizer.isSpace(p[k]) { k += 1 }
        guard k < limit, p[k] == UInt8(ascii: "=") else { position = k; return (name, "") }
        k += 1
        while k < limit, HTMLTokenizer.isSpace(p[k]) { k += 1 }
        var value = k ..< k
        if k < limit, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") {
            let q = p[k]
            let e = HTMLTokenizer.find(q, p, from: k + 1, to: limit) ?? limit
            value = k + 1 ..< e
            k = min(limit, e + 1)
        } else {
            let s = k
            while k < limit, !HTMLTokenizer.isSpace(p[k]), p[k] != UInt8(ascii: ">") { k += 1 }
            value = s ..< k
        }
        position = k
        return (name, String(decoding: UnsafeBufferPointer(rebasing: p[value]), as: UTF8.self))
    }
}
