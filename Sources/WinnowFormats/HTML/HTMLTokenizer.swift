#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits UTF-8 (or any ASCII-compatible) HTML into tokens, byte by byte, as HTML5's tokenizer
/// does where it matters for reading text:
/// - `<` opens a tag only before a letter, `/` and a letter, `!` or `?` (`price < 5` is text);
/// - comments, `<!DOCTYPE …>` and `<?…>` are skipped;
/// - a `>` inside a quoted attribute value does not end the tag, but a quote left open for
///   64 KiB is ignored (the first `>` after it ends the tag), so a stray quote cannot hide the
///   rest of the page;
/// - the content of `<script>`, `<style>`, `<title>` … is raw text, taken on request
///   (`rawText(closing:)`).
///
/// Every byte is looked at a bounded number of times, so hostile input (megabytes of `<<<<`,
/// unclosed quotes or comments) costs linear time.
struct HTMLTokenizer {
    let p: UnsafeBufferPointer<UInt8>
    let end: Int
    private(set) var position: Int
    /// The attributes of the last start tag (at most `maxAttributes`).
    var attributes: ArraySlice<HTMLAttribute> { storage[..<attributeCount] }
    /// Reused from tag to tag: reading attributes allocates nothing.
    private var storage: [HTMLAttribute] = []
    private var attributeCount = 0

    static let quoteGuard = 64 << 10
    static let maxAttributes = 128

    /// Where it is known that no `"` (0) or `'` (1) occurs: an unclosed quote is not looked
    /// for again over the same bytes.
    private var quoteless: [(from: Int, to: Int)] = [(0, 0), (0, 0)]
    /// Per raw-text tag: an offset from which the page has no end tag for it, once a search
    /// found none, so ten thousand unclosed `<title>`s do not each scan the rest of the page.
    private var noEndTagFrom: [UInt8: Int] = [:]

    init(_ p: UnsafeBufferPointer<UInt8>, range: Range<Int>? = nil) {
        self.p = p
        self.position = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? p.count
        storage.reserveCapacity(16)
    }

    private enum Markup { case none, startTag, endTag, comment, bogus }

    mutating func next() -> HTMLToken? {
        while position < end {
            let start = position
            var k = start
            var at = end
            var kind = Markup.none
            while k < end, let lt = Self.find(UInt8(ascii: "<"), p, from: k, to: end) {
                kind = markup(at: lt)
                if kind != .none { at = lt; break }
                k = lt + 1
            }
            if at > start {
                position = at
                return .text(start ..< at)
            }
            switch kind {
            case .comment: position = commentEnd(at)
            case .bogus: position = Self.find(UInt8(ascii: ">"), p, from: at + 2, to: end).map { $0 + 1 } ?? end
            case .endTag: return endTag(at)
            case .startTag: return startTag(at)
            case .none: position = end
            }
        }
        return nil
    }

    private func markup(at i: Int) -> Markup {
        guard i + 1 < end else { return .none }
        let c = p[i + 1]
        if Self.isLetter(c) { return .startTag }
        if c == UInt8(ascii: "/") { return i + 2 < end && Self.isLetter(p[i + 2]) ? .endTag : .none }
        if c == UInt8(ascii: "!") {
            return i + 3 < end && p[i + 2] == UInt8(ascii: "-") && p[i + 3] == UInt8(ascii: "-") ? .comment : .bogus
        }
        return c == UInt8(ascii: "?") ? .bogus : .none
    }

    /// One past a comment that starts at `i` (`<!--`): HTML5 closes `<!-->` and `<!--->` at once;
    /// an unclosed comment runs to the end.
    private func commentEnd(_ i: Int) -> Int {
        var k = i + 4
        if k < end, p[k] == UInt8(ascii: ">") { return k + 1 }
        if k + 1 < end, p[k] == UInt8(ascii: "-"), p[k + 1] == UInt8(ascii: ">") { return k + 2 }
        while let g = Self.find(UInt8(ascii: ">"), p, from: k, to: end) {
            if g - 2 >= i + 4, p[g - 1] == UInt8(ascii: "-"), p[g - 2] == UInt8(ascii: "-") { return g + 1 }
            k = g + 1
        }
        return end
    }

    private mutating func endTag(_ i: Int) -> HTMLToken {
        let (name, nameEnd) = readName(from: i + 2)
        let close = Self.find(UInt8(ascii: ">"), p, from: nameEnd, to: end).map { $0 + 1 } ?? end
        position = close
        return .endTag(HTMLTag.named(name), name: name, range: i ..< close)
    }

    private mutating func startTag(_ i: Int) -> HTMLToken {
        let (name, nameEnd) = readName(from: i + 1)
        attributeCount = 0
        var k = nameEnd
        var selfClosing = false
        while k < end {
            let c = p[k]
            if Self.isSpace(c) { k += 1; continue }
            if c == UInt8(ascii: ">") {
                position = k + 1
                return .startTag(HTMLTag.named(name), name: name, range: i ..< k + 1, selfClosing: selfClosing)
            }
            if c == UInt8(ascii: "/") {
                selfClosing = k + 1 < end && p[k + 1] == UInt8(ascii: ">")
                k += 1
                continue
            }
            selfClosing = false
            k = attribute(at: k)
        }
        // A tag still open at the end takes the rest of the page, as in a browser.
        position = end
        return .startTag(HTMLTag.named(name), name: name, range: i ..< end, selfClosing: false)
    }

    /// Reads one attribute at `k`; returns where the next one may start.
    private mutating func attribute(at start: Int) -> Int {
        var k = start + 1  // HTML5: a name may start with `=`
        var key = AttributeName.begin()
        AttributeName.add(p[start], to: &key)
        while k < end {
            let c = p[k]
            if Self.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=") { break }
            AttributeName.add(c, to: &key)
            k += 1
        }
        var j = k
        while j < end, Self.isSpace(p[j]) { j += 1 }
        var value = k ..< k
        if j < end, p[j] == UInt8(ascii: "=") {
            j += 1
            while j < end, Self.isSpace(p[j]) { j += 1 }
            k = j
            if k < end, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") {
                if let q = closingQuote(p[k], from: k + 1) {
                    value = k + 1 ..< q
                    k = q + 1
                } else {
                    // An unclosed quote is ignored: the value runs as an unquoted one.
                    k += 1
                    let v = k
                    while k < end, !Self.isSpace(p[k]), p[k] != UInt8(ascii: ">") { k += 1 }
                    value = v ..< k
                }
            } else {
                while k < end, !Self.isSpace(p[k]), p[k] != UInt8(ascii: ">") { k += 1 }
                value = j ..< k
            }
        }
        if attributeCount < Self.maxAttributes {
            let a = HTMLAttribute(key: key, value: value)
            if attributeCount < storage.count { storage[attributeCount] = a } else { storage.append(a) }
            attributeCount += 1
        }
        return k
    }

    /// The quote that closes one opened before `from`, looked for within `quoteGuard` bytes.
    private mutating func closingQuote(_ q: UInt8, from s: Int) -> Int? {
        let slot = q == UInt8(ascii: "\"") ? 0 : 1
        let limit = min(end, s + Self.quoteGuard)
        let known = quoteless[slot]
        let inKnown = known.from <= s && s <= known.to
        let scanFrom = inKnown ? max(s, known.to) : s
        if scanFrom < limit, let f = Self.find(q, p, from: scanFrom, to: limit) { return f }
        quoteless[slot] = inKnown ? (known.from, max(known.to, limit)) : (s, limit)
        return nil
    }

    /// The content of a raw-text element whose start tag was just read (`<script>`, `<title>`):
    /// up to its end tag, or to the end of the page when there is none; the end tag is consumed.
    /// With `needsEnd`, an element never closed is no raw text: nil, and nothing is consumed
    /// (a `<title>` left open must not swallow the page).
    mutating func rawText(closing tag: HTMLTag, needsEnd: Bool = false) -> Range<Int>? {
        let name = HTMLTokenizer.rawTextNames[Int(tag.rawValue)]
        let start = position
        var k = start
        if let none = noEndTagFrom[tag.rawValue], start >= none { k = end }
        while let lt = Self.find(UInt8(ascii: "<"), p, from: k, to: end) {
            if lt + 2 + name.count < end, p[lt + 1] == UInt8(ascii: "/"), matches(name, at: lt + 2) {
                let after = p[lt + 2 + name.count]
                if Self.isSpace(after) || after == UInt8(ascii: ">") || after == UInt8(ascii: "/") {
                    position = Self.find(UInt8(ascii: ">"), p, from: lt + 2, to: end).map { $0 + 1 } ?? end
                    return start ..< lt
                }
            }
            k = lt + 1
        }
        noEndTagFrom[tag.rawValue] = min(noEndTagFrom[tag.rawValue] ?? start, start)
        if needsEnd { return nil }
        position = end
        return start ..< end
    }

    private func matches(_ name: [UInt8], at i: Int) -> Bool {
        for (n, b) in name.enumerated() where Self.lower(p[i + n]) != b { return false }
        return true
    }

    private static let rawTextNames: [[UInt8]] = HTMLTag.allCases.map { Array(String(describing: $0).utf8) }

    /// The lowercased name at `start` as a key (`nameKey`), and where it ends.
    private func readName(from start: Int) -> (UInt64, Int) {
        var k = start
        var key = Self.nameSeed
        while k < end {
            let c = p[k]
            if Self.isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") { break }
            key = (key ^ UInt64(Self.lower(c))) &* 0x100_0000_01B3
            k += 1
        }
        return (key, k)
    }

    /// FNV-1a over the lowercased name: tags of any length, custom elements included, are
    /// told apart without building a String.
    static let nameSeed: UInt64 = 0xCBF2_9CE4_8422_2325

    static func nameKey(_ name: String) -> UInt64 {
        name.utf8.reduce(nameSeed) { ($0 ^ UInt64(lower($1))) &* 0x100_0000_01B3 }
    }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C
    }

    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }

    /// The first `byte` in `p[from..<to]`, by `memchr`.
    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = p.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}
