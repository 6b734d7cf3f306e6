#if canImport(Glibc)
import Glibc
#endif
/// Line and column lookups in a file or text, for evidence.
///
/// Built on demand (only documents with hits need it): one pass to find line starts.
public struct LineIndex: Sendable {
    /// How the bytes encode characters: which bytes are a line break, how columns count.
    public enum Unit: Sendable {
        /// UTF-8: columns count scalars.
        case utf8
        /// A single-byte (or ASCII-compatible) charset: columns count bytes.
        case byte
        case utf16le, utf16be, utf32le, utf32be
    }

    private let lineStarts: [Int]
    public let unit: Unit
    /// Where the first line starts (after a byte-order mark, which is no column).
    public let firstLine: Int

    public init(_ text: [UInt8], unit: Unit = .utf8, firstLine: Int = 0) {
        self.unit = unit
        self.firstLine = firstLine
        var starts = [firstLine]
        switch unit {
        case .utf8, .byte:
            text.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress else { return }
                var from = 0
                // memchr finds line breaks 16-32 bytes at a time.
                while from < buf.count, let hit = memchr(base + from, 0x0A, buf.count - from) {
                    let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    starts.append(i + 1)
                    from = i + 1
                }
            }
        case .utf16le, .utf16be, .utf32le, .utf32be:
            let width = unit == .utf16le || unit == .utf16be ? 2 : 4
            let little = unit == .utf16le || unit == .utf32le
            // The text after a byte-order mark starts on a unit boundary of the file too.
            var i = firstLine
            while i + width <= text.count {
                let low = little ? text[i] : text[i + width - 1]
                if low == 0x0A, (little ? text[i + 1 ..< i + width] : text[i ..< i + width - 1]).allSatisfy({ $0 == 0 }) {
                    starts.append(i + width)
                }
                i += width
            }
        }
        lineStarts = starts
    }

    private init(lineStarts: [Int], unit: Unit, firstLine: Int) {
        self.lineStarts = lineStarts
        self.unit = unit
        self.firstLine = firstLine
    }

    /// This index for the same bytes with columns counted in `unit`, without a new pass: nil
    /// when line breaks are found otherwise there (UTF-16 or UTF-32 against one-byte units).
    public func counting(in unit: Unit) -> LineIndex? {
        if unit == self.unit { return self }
        guard Self.isByteWide(unit), Self.isByteWide(self.unit) else { return nil }
        return LineIndex(lineStarts: lineStarts, unit: unit, firstLine: firstLine)
    }

    private static func isByteWide(_ unit: Unit) -> Bool { unit == .utf8 || unit == .byte }

    /// 1-based line and column (in scalars) of a byte offset.
    public func position(of offset: Int, in text: [UInt8]) -> (line: Int, column: Int) {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        let start = lineStarts[lo]
        let end = min(offset, text.count)
        guard start < end else { return (lo + 1, 1) }
        switch unit {
        case .byte:
            return (lo + 1, 1 + end - start)
        case .utf32le, .utf32be:
            return (lo + 1, 1 + (end - start) / 4)
        case .utf16le, .utf16be:
            // Units, less the second half of each surrogate pair (DC00-DFFF).
            var column = 1
            var i = start
            while i + 1 < end {
                let high = unit == .utf16le ? text[i + 1] : text[i]
                if high & 0xFC != 0xDC { column += 1 }
                i += 2
            }
            return (lo + 1, column)
        case .utf8:
            break
        }
        // Scalars = bytes minus continuation bytes (10xxxxxx), counted eight at a time.
        let continuation = text.withUnsafeBufferPointer { buf -> Int in
            var n = 0
            var i = start
            while i + 8 <= end {
                let w = UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
                n += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
                i += 8
            }
            while i < end {
                if buf[i] & 0xC0 == 0x80 { n += 1 }
                i += 1
            }
            return n
        }
        return (lo + 1, 1 + (end - start) - continuation)
    }
}

/// A short excerpt around `range` on one line, whitespace collapsed, cut at scalar boundaries.
public func snippet(of text: [UInt8], around range: Range<Int>, context: Int = 40) -> String {
    text.withUnsafeBufferPointer { text in
        var a = max(0, range.lowerBound - context)
        var z = min(text.count, range.upperBound + context)
        // Stay on the match's line(s).
        var k = range.lowerBound
        while k > a { if text[k - 1] == 0x0A { a = k; break }; k -= 1 }
        k = range.upperBound
        while k < z { if text[k] == 0x0A { z = k; break }; k += 1 }
        while a > 0, a < text.count, text[a] & 0xC0 == 0x80 { a -= 1 }
        while z < text.count, text[z] & 0xC0 == 0x80 { z += 1 }
        // Bytes, not scalars: runs of ASCII whitespace and control bytes become one space; the
        // common non-ASCII spaces (no-break, thin, ideographic) too. Per evidence item, so it
        // counts: one buffer, no array literals in the loop.
        let ellipsis: (UInt8, UInt8, UInt8) = (0xE2, 0x80, 0xA6)
        return String(unsafeUninitializedCapacity: z - a + 8) { out in
            var n = 0
            if a > 0 { out[0] = ellipsis.0; out[1] = ellipsis.1; out[2] = ellipsis.2; n = 3 }
            var lastSpace = true
            var i = a
            while i < z {
                let b = text[i]
                // Printable ASCII and two-byte letters (Cyrillic, accented Latin), most of a
                // snippet, are copied without the tests below: none of them is a space.
                if b > 0x20 && b < 0x7F {
                    out[n] = b
                    n += 1
                    lastSpace = false
                    i += 1
                    continue
                }
                if b >= 0xC3 && b <= 0xDF && i + 1 < z {
                    out[n] = b
                    out[n + 1] = text[i + 1]
                    n += 2
                    lastSpace = false
                    i += 2
                    continue
                }
                var space = b <= 0x20
                var width = 1
                // No-break space, and the C1 controls (U+0085 NEL would break the line).
                if b == 0xC2, i + 1 < z, text[i + 1] == 0xA0 || text[i + 1] <= 0x9F { space = true; width = 2 }
                if b == 0xE2, i + 2 < z, text[i + 1] == 0x80 {
                    let c = text[i + 2]
                    if (0x80...0x8A).contains(c) || c == 0xA8 || c == 0xA9 || c == 0xAF { space = true; width = 3 }
                }
                if b == 0xE3, i + 2 < z, text[i + 1] == 0x80, text[i + 2] == 0x80 { space = true; width = 3 }
                if space {
                    if !lastSpace { out[n] = 0x20; n += 1 }
                    lastSpace = true
                } else {
                    out[n] = b
                    n += 1
                    lastSpace = false
                }
                i += width
            }
            if n > 0, out[n - 1] == 0x20 { n -= 1 }
            if z < text.count { out[n] = ellipsis.0; out[n + 1] = ellipsis.1; out[n + 2] = ellipsis.2; n += 3 }
            return n
        }
    }
}
