/// Blanks HTML markup in place: tags, comments, `<script>` and `<style>` contents become
/// spaces; character references become their characters, padded (see `TextView`).
enum HTMLView {
    static func looksLikeHTML(_ text: [UInt8]) -> Bool {
        var i = 0
        while i < text.count, i < 1024, text[i] == 0x20 || text[i] == 0x0A || text[i] == 0x0D || text[i] == 0x09 || text[i] == 0xEF || text[i] == 0xBB || text[i] == 0xBF { i += 1 }
        guard i < text.count, text[i] == UInt8(ascii: "<") else { return false }
        let head = Array(text[i ..< min(text.count, i + 2048)])
        for marker in ["<!doctype html", "<html", "<head", "<body"] {
            for j in head.indices where head[j] == UInt8(ascii: "<") && ViewBytes.hasPrefix(head, at: j, marker) { return true }
        }
        return false
    }

    /// Blanks markup inside `range`; returns the `<title>` text if there is one.
    @discardableResult
    static func blank(_ bytes: inout [UInt8], _ range: Range<Int>) -> String? {
        var title: String?
        var titleStart: Int?
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if ViewBytes.hasPrefix(bytes, at: i, "<!--") {
                    let close = find(bytes, "-->", from: i + 4, end: end).map { $0 + 3 } ?? end
                    ViewBytes.blank(&bytes, i ..< close)
                    i = close
                    continue
                }
                let tagEnd = (bytes[i ..< end].firstIndex(of: UInt8(ascii: ">")) ?? (end - 1)) + 1
                let isScript = ViewBytes.hasPrefix(bytes, at: i, "<script")
                let isStyle = ViewBytes.hasPrefix(bytes, at: i, "<style")
                if ViewBytes.hasPrefix(bytes, at: i, "<title") { titleStart = tagEnd }
                if ViewBytes.hasPrefix(bytes, at: i, "</title"), let t = titleStart, title == nil {
                    title = ViewBytes.string(bytes[t ..< i])
                }
                ViewBytes.blank(&bytes, i ..< tagEnd)
                i = tagEnd
                if isScript || isStyle {
                    let closing = isScript ? "</script" : "</style"
                    let close = find(bytes, closing, from: i, end: end) ?? end
                    ViewBytes.blank(&bytes, i ..< close)
                    i = close
                }
                continue
            }
            if b == UInt8(ascii: "&") {
                i = reference(&bytes, at: i, end: end)
                continue
            }
            i += 1
        }
        return title.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Decodes `&name;`, `&#123;` or `&#x1F;` at `i` in place; returns where scanning goes on.
    static func reference(_ bytes: inout [UInt8], at i: Int, end: Int) -> Int {
        var j = i + 1
        while j < end, j - i < 12, bytes[j] != UInt8(ascii: ";"), bytes[j] != UInt8(ascii: "&"), bytes[j] > 0x20 { j += 1 }
        guard j < end, bytes[j] == UInt8(ascii: ";") else { return i + 1 }
        let body = String(decoding: bytes[i + 1 ..< j], as: UTF8.self)
        var decoded: [UInt8]?
        if body.hasPrefix("#x") || body.hasPrefix("#X") {
            decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(ViewBytes.utf8)
        } else if body.hasPrefix("#") {
            decoded = UInt32(body.dropFirst()).flatMap(ViewBytes.utf8)
        } else if let scalar = named[body] {
            decoded = ViewBytes.utf8(scalar)
        }
        guard let decoded, decoded.count <= j + 1 - i else { return i + 1 }
        // A reference to a space-like character stays a space, so words do not join.
        if decoded == [0x20] || decoded == [0xC2, 0xA0] {
            ViewBytes.blank(&bytes, i ..< j + 1)
        } else {
            ViewBytes.overwrite(&bytes, i ..< j + 1, with: decoded)
        }
        return j + 1
    }

    static func find(_ bytes: [UInt8], _ needle: String, from: Int, end: Int) -> Int? {
        guard let first = needle.utf8.first else { return nil }
        var i = from
        while i < end {
            if ViewBytes.lower(bytes[i]) == first, ViewBytes.hasPrefix(bytes, at: i, needle) { return i }
            i += 1
        }
        return nil
    }

    /// The references news pages use; numeric references cover the rest.
    static let named: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
        "ndash": 0x2013, "mdash": 0x2014, "lsquo": 0x2018, "rsquo": 0x2019, "ldquo": 0x201C,
        "rdquo": 0x201D, "laquo": 0xAB, "raquo": 0xBB, "hellip": 0x2026, "shy": 0xAD, "copy": 0xA9,
        "eacute": 0xE9, "egrave": 0xE8, "aacute": 0xE1, "agrave": 0xE0, "ouml": 0xF6, "uuml": 0xFC,
        "auml": 0xE4, "szlig": 0xDF, "ccedil": 0xE7, "iacute": 0xED, "oacute": 0xF3, "uacute": 0xFA,
        "ntilde": 0xF1, "Eacute": 0xC9, "Ouml": 0xD6, "Uuml": 0xDC, "Auml": 0xC4, "bull": 0x2022,
        "middot": 0xB7, "deg": 0xB0, "euro": 0x20AC, "pound": 0xA3, "times": 0xD7, "thinsp": 0x2009,
        "ensp": 0x2002, "emsp": 0x2003, "zwnj": 0x200C, "zwj": 0x200D,
    ]
}
