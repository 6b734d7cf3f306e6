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
    // Stay on the match's line(s) unless the line is very short.
    if let nl = text[a ..< range.lowerBound].lastIndex(of: 0x0A) { a = nl + 1 }
    if let nl = text[range.upperBound ..< z].firstIndex(of: 0x0A) { z = nl }
    while a > 0, a < text.count, text[a] & 0xC0 == 0x80 { a -= 1 }
    while z < text.count, text[z] & 0xC0 == 0x80 { z += 1 }
    let raw = String(decoding: text[a ..< z], as: UTF8.self)
    var out = ""
    var lastSpace = false
    for scalar in raw.unicodeScalars {
        if scalar.properties.isWhitespace || scalar.value < 0x20 {
            if !lastSpace { out.unicodeScalars.append(" ") }
            lastSpace = true
        } else {
            out.unicodeScalars.append(scalar)
            lastSpace = false
        }
    }
    let trimmed = out.trimmingSpaces()
    return (a > 0 ? "…" : "") + trimmed + (z < text.count ? "…" : "")
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
