import WinnowCharset
import WinnowText

/// Markdown: the text a rendered page shows. Heading marks, emphasis, link targets, code
/// fences, list and quote markers are syntax, not words; the first heading is the title.
struct MarkdownReader: FormatReader {
    static let format = DocumentFormat(rawValue: "markdown")
    static let summary = "Markdown: the rendered text, without heading marks, emphasis, link targets or code fences; the first heading is the title."
    static let extensions = ["md", "markdown", "mdown", "mkd"]

    /// A first line that is an ATX heading, and a link or emphasis further on.
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        guard let first = JSONLines.firstNonSpace(head), head[first] == UInt8(ascii: "#") else { return .no }
        var i = first
        while i < head.count, head[i] == UInt8(ascii: "#") { i += 1 }
        guard i - first <= 6, i < head.count, head[i] == 0x20 else { return .no }
        return ByteSearch.firstIndex(of: Array("](".utf8), in: head) != nil || ByteSearch.firstIndex(of: Array("**".utf8), in: head) != nil
            ? .weak : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let decoded = try input.text()
        let (text, map, title) = MarkdownText.extract(decoded.utf8)
        return Reading(documents: [ExtractedText(
            text: text, map: map.composed(over: decoded.map, text: text, innerText: decoded.utf8),
            metadata: DocumentMetadata(format: format, title: title, charset: decoded.choice), warnings: decoded.warnings)])
    }
}

/// Markdown to text, line by line (CommonMark's block structure, simplified: what news and
/// notes use), with each kept run mapped to its bytes.
enum MarkdownText {
    static func extract(_ b: [UInt8]) -> (text: [UInt8], map: SourceMap, title: String?) {
        var out = TextBuilder(capacity: b.count)
        var title: String?
        var inFence = false
        var start = 0
        while start < b.count {
            var end = b[start...].firstIndex(of: 0x0A) ?? b.count
            let next = end + 1
            if end > start, b[end - 1] == 0x0D { end -= 1 }
            defer { start = next }
            var i = start
            while i < end, i - start < 4, b[i] == 0x20 { i += 1 }
            let line = i ..< end
            if startsWith(b, line, "```") || startsWith(b, line, "~~~") {
                inFence.toggle()
                out.separate(lines: 2, at: start ..< min(next, b.count))
                continue
            }
            if inFence {
                out.copy(b, line)
                out.separate(lines: 1, at: end ..< min(next, b.count))
                continue
            }
            if line.isEmpty || isRule(b, line) || isUnderline(b, line) || isReferenceDefinition(b, line) {
                out.separate(lines: 2, at: start ..< min(next, b.count))
                continue
            }
            var content = line
            var heading = false
            content = stripBlockMarkers(b, content, heading: &heading)
            while !content.isEmpty, b[content.lowerBound] == 0x20 || b[content.lowerBound] == 0x09 { content = content.dropFirst() }
            let before = out.count
            inline(b, content, into: &out)
            if (heading || isSetextUnderline(b, nextLine(b, next))) && title == nil && out.count > before {
                title = String(decoding: out.text[before...], as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            }
            out.separate(lines: heading ? 2 : 1, at: end ..< min(next, b.count))
        }
        let (text, map) = out.finish()
        return (text, map, title)
    }

    /// Quote markers, list markers and heading marks at the start of a line.
    private static func stripBlockMarkers(_ b: [UInt8], _ line: Range<Int>, heading: inout Bool) -> Range<Int> {
        var i = line.lowerBound
        while i < line.upperBound, b[i] == UInt8(ascii: ">") {
            i += 1
            while i < line.upperBound, b[i] == 0x20 { i += 1 }
        }
        if i < line.upperBound, b[i] == UInt8(ascii: "#") {
            var j = i
            while j < line.upperBound, b[j] == UInt8(ascii: "#") { j += 1 }
            if j - i <= 6, j == line.upperBound || b[j] == 0x20 {
                heading = true
                i = j
                var z = line.upperBound
                // A closing run of #s is not part of the heading.
                while z > i, b[z - 1] == 0x20 { z -= 1 }
                var h = z
                while h > i, b[h - 1] == UInt8(ascii: "#") { h -= 1 }
                if h < z, h == i || b[h - 1] == 0x20 { z = h }
                return i ..< z
            }
        }
        if i + 1 < line.upperBound, [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+")].contains(b[i]), b[i + 1] == 0x20 {
            i += 2
        } else {
            var j = i
            while j < line.upperBound, j - i < 9, b[j] >= 0x30, b[j] <= 0x39 { j += 1 }
            if j > i, j + 1 < line.upperBound, b[j] == UInt8(ascii: ".") || b[j] == UInt8(ascii: ")"), b[j + 1] == 0x20 { i = j + 2 }
        }
        return i ..< line.upperBound
    }

    /// Inline syntax: emphasis delimiters, code spans' backticks, links and images (their text
    /// kept, their targets not), backslash escapes, table pipes. One pass, no recursion: a line
    /// of a million `[` is linear, not a deep stack.
    private static func inline(_ b: [UInt8], _ r: Range<Int>, into out: inout TextBuilder) {
        let pairs = bracketPairs(b, r)
        var skipAfter: [Int: Int] = [:]  // a link's `]` → where its text's target ends
        var targets = TargetFinder()
        var run = r.lowerBound
        var i = r.lowerBound
        func flush(_ to: Int) { out.copy(b, run ..< to) }
        while i < r.upperBound {
            let c = b[i]
            if let end = skipAfter[i] {
                flush(i)
                run = end
                i = end
                continue
            }
            switch c {
            case UInt8(ascii: "\\") where i + 1 < r.upperBound && isPunctuation(b[i + 1]):
                flush(i)
                run = i + 1
                i += 2
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "`"):
                var j = i
                while j < r.upperBound, b[j] == c { j += 1 }
                let before = i > r.lowerBound ? b[i - 1] : 0x20
                let after = j < r.upperBound ? b[j] : 0x20
                // `_` inside a word (snake_case) is a character; a delimiter touches a word on
                // one side only, or is a code span's backtick.
                let inWord = isWordByte(before) && isWordByte(after)
                if c == UInt8(ascii: "`") || !(inWord && c == UInt8(ascii: "_")) && (isWordByte(before) != isWordByte(after) || inWord) {
                    flush(i)
                    run = j
                }
                i = j
            case UInt8(ascii: "!") where i + 1 < r.upperBound && b[i + 1] == UInt8(ascii: "["):
                flush(i)
                run = i + 1
                i += 1
            case UInt8(ascii: "["):
                guard let close = pairs[i] else { i += 1; continue }
                flush(i)
                // The text is read where it stands; at its `]`, the `(target)` or `[reference]`
                // after it is skipped.
                skipAfter[close] = targets.end(after: close, in: b, r)
                run = i + 1
                i += 1
            case UInt8(ascii: "|"):
                flush(i)
                out.space(at: i ..< i + 1)
                run = i + 1
                i += 1
            default:
                i += 1
            }
        }
        flush(r.upperBound)
    }

    /// Each `[` of a line with the `]` that closes it, nesting counted (one pass, a stack).
    private static func bracketPairs(_ b: [UInt8], _ r: Range<Int>) -> [Int: Int] {
        var open: [Int] = []
        var pairs: [Int: Int] = [:]
        for k in r {
            if b[k] == UInt8(ascii: "[") {
                open.append(k)
            } else if b[k] == UInt8(ascii: "]"), let o = open.popLast() {
                pairs[o] = k
            }
        }
        return pairs
    }

    /// Where a link's target after `]` ends. Searches for the closing `)` or `]` remember what
    /// they found, so links without one (`[a](` a million times) do not rescan the line.
    private struct TargetFinder {
        private var found: [UInt8: Int] = [:]  // closing byte → the next one at or after the last search
        private var noneFrom: [UInt8: Int] = [:]  // closing byte → no more of it from here on

        mutating func end(after close: Int, in b: [UInt8], _ r: Range<Int>) -> Int {
            let at = close + 1
            guard at < r.upperBound else { return at }
            let closing: UInt8
            switch b[at] {
            case UInt8(ascii: "("): closing = UInt8(ascii: ")")
            case UInt8(ascii: "["): closing = UInt8(ascii: "]")
            default: return at
            }
            if let none = noneFrom[closing], at >= none { return at }
            if let next = found[closing], next > at { return next + 1 }
            guard let next = b[at + 1 ..< r.upperBound].firstIndex(of: closing) else {
                noneFrom[closing] = at
                return at
            }
            found[closing] = next
            return next + 1
        }
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        c >= 0x80 || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    private static func isPunctuation(_ c: UInt8) -> Bool {
        (0x21 ... 0x2F).contains(c) || (0x3A ... 0x40).contains(c) || (0x5B ... 0x60).contains(c) || (0x7B ... 0x7E).contains(c)
    }

    private static func startsWith(_ b: [UInt8], _ r: Range<Int>, _ s: String) -> Bool {
        let p = Array(s.utf8)
        return r.count >= p.count && b[r.lowerBound ..< r.lowerBound + p.count].elementsEqual(p)
    }

    /// `---`, `***`, `___` (three or more, spaces allowed).
    private static func isRule(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        let marks = b[r].filter { $0 != 0x20 }
        guard marks.count >= 3, let c = marks.first, [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "_")].contains(c) else { return false }
        return marks.allSatisfy { $0 == c }
    }

    /// A setext heading's underline: `===` or `---` alone.
    private static func isSetextUnderline(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        let marks = b[r].filter { $0 != 0x20 }
        guard let c = marks.first, c == UInt8(ascii: "=") || c == UInt8(ascii: "-") else { return false }
        return marks.allSatisfy { $0 == c }
    }

    /// A setext underline (`===` or `---`), or a table's separator row (`|---|:--:|`).
    private static func isUnderline(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        let marks = b[r].filter { $0 != 0x20 }
        guard !marks.isEmpty else { return false }
        if marks.allSatisfy({ $0 == UInt8(ascii: "=") }) { return true }
        return marks.contains(UInt8(ascii: "-")) && marks.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: ":") }
            && (marks.contains(UInt8(ascii: "|")) || marks.count >= 3)
    }

    /// `[id]: https://…` (a link reference definition).
    private static func isReferenceDefinition(_ b: [UInt8], _ r: Range<Int>) -> Bool {
        guard r.count > 3, b[r.lowerBound] == UInt8(ascii: "["), let close = b[r].firstIndex(of: UInt8(ascii: "]")) else { return false }
        return close + 1 < r.upperBound && b[close + 1] == UInt8(ascii: ":")
    }

    private static func nextLine(_ b: [UInt8], _ from: Int) -> Range<Int> {
        guard from < b.count else { return b.count ..< b.count }
        var end = b[from...].firstIndex(of: 0x0A) ?? b.count
        if end > from, b[end - 1] == 0x0D { end -= 1 }
        return from ..< end
    }
}
