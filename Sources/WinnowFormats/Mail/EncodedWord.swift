/// One RFC 2047 encoded word, `=?charset?B|Q?text?=`, with its text decoded to bytes (still in
/// its charset).
struct EncodedWord: Sendable {
    /// The whole `=?…?=`, in the source.
    var range: Range<Int>
    /// The charset label, language suffix (`*ru`, RFC 2231) removed.
    var label: String
    var bytes: [UInt8]

    /// Longest charset label considered: real ones are short, and a bound keeps each try cheap.
    static let maxLabel = 40

    /// The encoded word starting at `i` (`source[i]` is `=`), or nil. Each field stops at the
    /// next `?` and no field holds a space, so a try reads at most to the third `?` or the next
    /// space: a header of a million `=?` is read in linear time.
    init?(_ source: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) {
        guard i + 1 < end, source[i] == 0x3D, source[i + 1] == 0x3F,
              let labelEnd = Self.field(source, from: i + 2, end: end), labelEnd - (i + 2) <= Self.maxLabel,
              labelEnd > i + 2, labelEnd + 2 < end, source[labelEnd + 2] == 0x3F else { return nil }
        let mode = source[labelEnd + 1] | 0x20
        guard mode == 0x62 || mode == 0x71, let textEnd = Self.field(source, from: labelEnd + 3, end: end),
              textEnd + 1 < end, source[textEnd + 1] == 0x3D else { return nil }
        var label = UnsafeBufferPointer(rebasing: source[(i + 2) ..< labelEnd])[...]
        if let star = label.firstIndex(of: 0x2A) { label = label[..<star] }
        self.range = i ..< textEnd + 2
        self.label = String(decoding: label, as: UTF8.self).lowercased()
        let text = UnsafeBufferPointer(rebasing: source[(labelEnd + 3) ..< textEnd])
        self.bytes = mode == 0x62 ? Base64Decoder.decode(text) : Self.qDecoded(text)
    }

    /// Where the field starting at `from` ends (its `?`), or nil at a space, a line end or the end.
    private static func field(_ source: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int? {
        var j = from
        while j < end {
            switch source[j] {
            case 0x3F: return j
            case 0x20, 0x09, 0x0D, 0x0A: return nil
            default: j += 1
            }
        }
        return nil
    }

    /// Q encoding: `_` is a space, `=XX` a byte, anything else itself.
    private static func qDecoded(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var k = 0
        while k < text.count {
            let c = text[k]
            if c == 0x5F {
                out.append(0x20)
            } else if c == 0x3D, k + 2 < text.count, let hi = QuotedPrintableDecoder.hexValue(text[k + 1]),
                      let lo = QuotedPrintableDecoder.hexValue(text[k + 2]) {
                out.append(hi << 4 | lo)
                k += 2
            } else {
                out.append(c)
            }
            k += 1
        }
        return out
    }
}
