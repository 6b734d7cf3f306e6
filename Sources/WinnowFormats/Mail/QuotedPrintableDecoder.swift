import WinnowText

/// Quoted-printable (RFC 2045) into a `TextBuilder`: literal runs are copied, each run of `=XX`
/// escapes maps byte for byte to its escapes (3 source bytes each), soft line breaks (`=` at a
/// line's end) read as nothing. A `=` that starts no escape is kept as written, as mail
/// readers do.
enum QuotedPrintableDecoder {
    static func decode(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into builder: inout TextBuilder) {
        var literal = range.lowerBound
        var i = range.lowerBound
        var run: [UInt8] = []
        let end = range.upperBound
        while i < end {
            guard source[i] == 0x3D else { i += 1; continue }
            if let next = softBreakEnd(source, at: i, end: end) {
                builder.copy(source, literal ..< i)
                i = next
                literal = i
                continue
            }
            guard i + 2 < end, hexValue(source[i + 1]) != nil, hexValue(source[i + 2]) != nil else { i += 1; continue }
            builder.copy(source, literal ..< i)
            let start = i
            run.removeAll(keepingCapacity: true)
            while i + 2 < end, source[i] == 0x3D, let hi = hexValue(source[i + 1]), let lo = hexValue(source[i + 2]) {
                run.append(hi << 4 | lo)
                i += 3
            }
            builder.append(run, scaledFrom: start, width: 3)
            literal = i
        }
        builder.copy(source, literal ..< end)
    }

    /// Bytes `source[range]` decodes to, counted without decoding (an attachment's size).
    static func decodedSize(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var n = 0
        var i = range.lowerBound
        while i < range.upperBound {
            if source[i] == 0x3D {
                if let next = softBreakEnd(source, at: i, end: range.upperBound) { i = next; continue }
                if i + 2 < range.upperBound, hexValue(source[i + 1]) != nil, hexValue(source[i + 2]) != nil { i += 3; n += 1; continue }
            }
            n += 1
            i += 1
        }
        return n
    }

    /// After a soft line break at `i`: `=`, spaces a mailer may have left, then CRLF, LF, or
    /// the end of the part.
    private static func softBreakEnd(_ source: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int? {
        var j = i + 1
        while j < end, source[j] == 0x20 || source[j] == 0x09 { j += 1 }
        if j == end { return end }
        if source[j] == 0x0A { return j + 1 }
        if source[j] == 0x0D, j + 1 < end, source[j + 1] == 0x0A { return j + 2 }
        return nil
    }

    /// The value of a hexadecimal digit (either case: `=c3` is written by some mailers).
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30 ... 0x39: c - 0x30
        case 0x41 ... 0x46: c - 0x41 + 10
        case 0x61 ... 0x66: c - 0x61 + 10
        default: nil
        }
    }
}
