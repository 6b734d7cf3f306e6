import WinnowText

/// Base64 (RFC 2045) into a `TextBuilder`, so that every decoded byte maps to the 4-character
/// group that holds it.
///
/// A line of whole groups is one base64 segment of the map (the common case: 76-character
/// lines); a group split across lines, or broken by characters that are not base64, maps as a
/// whole to the source from its first character to its last.
enum Base64Decoder {
    /// Characters skipped because they are not base64 (line breaks and spaces are not counted).
    struct Damage: Sendable {
        var count = 0
        var first: Int?
    }

    /// Each byte's 6-bit value, or 0xFF.
    private static let values: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (v, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() { t[Int(c)] = UInt8(v) }
        return t
    }()

    /// Decodes `source[range]` into `builder` (whose input is `source`).
    static func decode(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into builder: inout TextBuilder) -> Damage {
        var damage = Damage()
        var group = Group()
        var scratch: [UInt8] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if group.count == 0 {
                let run = wholeGroups(source, from: i, end: range.upperBound)
                if run.end > i {
                    scratch.removeAll(keepingCapacity: true)
                    decodeGroups(source, i ..< run.end, into: &scratch)
                    builder.append(base64Decoded: scratch, from: i)
                    i = run.end
                    continue
                }
            }
            let c = source[i]
            let v = values[Int(c)]
            if v != 0xFF {
                group.add(v, at: i)
                if group.count == 4 { builder.append(group.bytes(), for: group.start ..< i + 1); group = Group() }
            } else if c == 0x3D {
                // Padding ends a group of 2 or 3 (its second `=` may be on the next line: the
                // group maps to both); a stray `=` is ignored, and decoding goes on (some
                // mailers join padded blobs).
                if group.count == 2, let second = secondPad(source, after: i, end: range.upperBound) { i = second }
                if group.count >= 2 { builder.append(group.bytes(), for: group.start ..< i + 1) }
                if group.count == 1 { damage.note(group.start) }
                group = Group()
            } else if c != 0x0A, c != 0x0D, c != 0x20, c != 0x09 {
                damage.note(i)
            }
            i += 1
        }
        // A last group without its padding still holds whole bytes.
        if group.count >= 2 { builder.append(group.bytes(), for: group.start ..< group.last + 1) }
        if group.count == 1 { damage.note(group.start) }
        return damage
    }

    /// Base64 as bytes, with no map (an encoded word's text): invalid characters skipped.
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var group = Group()
        for (k, c) in text.enumerated() {
            let v = values[Int(c)]
            if v != 0xFF {
                group.add(v, at: k)
                if group.count == 4 { group.append(to: &out); group = Group() }
            } else if c == 0x3D {
                if group.count >= 2 { group.append(to: &out) }
                group = Group()
            }
        }
        if group.count >= 2 { group.append(to: &out) }
        return out
    }

    /// Bytes `source[range]` decodes to, counted without decoding (an attachment's size).
    static func decodedSize(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var n = 0
        for i in range where values[Int(source[i])] != 0xFF { n += 1 }
        return n * 3 / 4
    }

    /// The second `=` of a padding split by a line break.
    private static func secondPad(_ source: UnsafeBufferPointer<UInt8>, after i: Int, end: Int) -> Int? {
        var j = i + 1
        while j < end, source[j] == 0x0D || source[j] == 0x0A || source[j] == 0x20 || source[j] == 0x09 { j += 1 }
        return j < end && source[j] == 0x3D ? j : nil
    }

    /// The longest run from `from` of whole groups with no break: base64 characters only, a
    /// multiple of four of them, the last group possibly padded (`xx==`, `xxx=`).
    private static func wholeGroups(_ source: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> (end: Int, padded: Bool) {
        var j = from
        while j < end, values[Int(source[j])] != 0xFF { j += 1 }
        let n = j - from
        if n % 4 == 3, j < end, source[j] == 0x3D { return (j + 1, true) }
        if n % 4 == 2, j + 1 < end, source[j] == 0x3D, source[j + 1] == 0x3D { return (j + 2, true) }
        return (from + n / 4 * 4, false)
    }

    /// Decodes whole groups (the last possibly padded) with no other characters in between.
    private static func decodeGroups(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into out: inout [UInt8]) {
        var i = range.lowerBound
        while i + 4 <= range.upperBound {
            let a = UInt32(values[Int(source[i])]), b = UInt32(values[Int(source[i + 1])])
            let c = values[Int(source[i + 2])], d = values[Int(source[i + 3])]
            let v = a << 18 | b << 12 | UInt32(c == 0xFF ? 0 : c) << 6 | UInt32(d == 0xFF ? 0 : d)
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            if c != 0xFF { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
            if d != 0xFF { out.append(UInt8(truncatingIfNeeded: v)) }
            i += 4
        }
    }

    /// Up to four 6-bit values and where the first and last came from.
    private struct Group {
        var value: UInt32 = 0
        var count = 0
        var start = 0
        var last = 0

        mutating func add(_ v: UInt8, at i: Int) {
            if count == 0 { start = i }
            value = value << 6 | UInt32(v)
            count += 1
            last = i
        }

        /// The whole bytes the values hold: 3 for 4 values, 2 for 3, 1 for 2.
        func bytes() -> [UInt8] {
            var out: [UInt8] = []
            append(to: &out)
            return out
        }

        func append(to out: inout [UInt8]) {
            let v = value << (6 * UInt32(4 - count))
            out.append(UInt8(truncatingIfNeeded: v >> 16))
            if count > 2 { out.append(UInt8(truncatingIfNeeded: v >> 8)) }
            if count > 3 { out.append(UInt8(truncatingIfNeeded: v)) }
        }
    }
}

extension Base64Decoder.Damage {
    fileprivate mutating func note(_ i: Int) {
        count += 1
        if first == nil { first = i }
    }
}
