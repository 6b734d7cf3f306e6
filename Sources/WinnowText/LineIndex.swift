/// Line and column lookups in a UTF-8 text, for evidence and snippets.
///
/// Built on demand (only documents with hits need it): one pass to find line starts.
public struct LineIndex: Sendable {
    private let lineStarts: [Int]

    public init(_ text: [UInt8]) {
        var starts = [0]
        for (i, b) in text.enumerated() where b == 0x0A { starts.append(i + 1) }
        lineStarts = starts
    }

    /// 1-based line and column (in scalars) of a byte offset.
    public func position(of offset: Int, in text: [UInt8]) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        let end = min(offset, text.count)
        while i < end {
            if text[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (lo + 1, column)
    }
}

/// A short excerpt around `range` on one line, whitespace collapsed, cut at scalar boundaries.
public func snippet(of text: [UInt8], around range: Range<Int>, context: Int = 40) -> String {
    var a = max(0, range.lowerBound - context)
    var z = min(text.count, range.upperBound + context)
    // Stay on the match's line(s).
    if let nl = text[a ..< range.lowerBound].lastIndex(of: 0x0A) { a = nl + 1 }
    if let nl = text[range.upperBound ..< z].firstIndex(of: 0x0A) { z = nl }
    while a > 0, a < text.count, text[a] & 0xC0 == 0x80 { a -= 1 }
    while z < text.count, text[z] & 0xC0 == 0x80 { z += 1 }
    // Bytes, not scalars: runs of ASCII whitespace and control bytes become one space; the
    // common non-ASCII spaces (no-break, thin, ideographic) too. Per evidence item, so it counts.
    var out: [UInt8] = []
    out.reserveCapacity(z - a + 8)
    if a > 0 { out += [0xE2, 0x80, 0xA6] }
    var lastSpace = true
    var i = a
    while i < z {
        let b = text[i]
        var space = b <= 0x20 || b == 0x7F
        var width = 1
        if b == 0xC2, i + 1 < z, text[i + 1] == 0xA0 { space = true; width = 2 }
        if b == 0xE2, i + 2 < z, text[i + 1] == 0x80, (0x80...0x8A).contains(text[i + 2]) || [0xA8, 0xA9, 0xAF].contains(text[i + 2]) { space = true; width = 3 }
        if b == 0xE3, i + 2 < z, text[i + 1] == 0x80, text[i + 2] == 0x80 { space = true; width = 3 }
        if space {
            if !lastSpace { out.append(0x20) }
            lastSpace = true
        } else {
            out.append(b)
            lastSpace = false
        }
        i += width
    }
    if out.last == 0x20 { out.removeLast() }
    if z < text.count { out += [0xE2, 0x80, 0xA6] }
    return String(decoding: out, as: UTF8.self)
}
