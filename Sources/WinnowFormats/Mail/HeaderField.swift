/// One header field, `Name: value`, with its folded continuation lines.
struct HeaderField: Sendable {
    /// The field name, lowercased (`content-type`).
    var name: String
    /// The whole field, from its name to the end of its last line (line break excluded).
    var range: Range<Int>
    /// The value: after the colon and the spaces after it, to the end of its last line.
    var valueRange: Range<Int>

    /// The value unfolded (line breaks removed, the spaces after them kept), spaces at both
    /// ends trimmed: the bytes structured fields are parsed from.
    func unfolded(_ source: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(valueRange.count)
        for b in UnsafeBufferPointer(rebasing: source[valueRange]) where b != 0x0D && b != 0x0A { out.append(b) }
        while let last = out.last, last == 0x20 || last == 0x09 { out.removeLast() }
        return out
    }

    /// The unfolded value as a string, each run of spaces one space (a Date, a Message-ID).
    func collapsed(_ source: UnsafeBufferPointer<UInt8>) -> String {
        let words = unfolded(source).split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        return words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }
}
