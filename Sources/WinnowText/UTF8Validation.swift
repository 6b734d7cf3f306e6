/// UTF-8 validation over bytes, eight ASCII bytes at a time.
public enum UTF8Validation {
    /// Offset of the first byte at or after `from` that does not begin a valid UTF-8 sequence
    /// (overlong forms, surrogates and values past U+10FFFF are invalid), or nil.
    public static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let n = p.count
        var i = from
        while i < n {
            while i + 8 <= n {
                let w = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            guard let length = sequenceLength(p, at: i) else { return i }
            i += length
        }
        return nil
    }

    public static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalid($0) }
    }

    /// Length of the valid sequence at `i`, or nil. ASCII is 1.
    @inline(__always)
    public static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = p.count
        let b = p[i]
        if b < 0x80 { return 1 }
        // Two-byte sequences (Cyrillic, Greek, Arabic text): a C2-DF lead and one
        // continuation byte is always a valid scalar, never overlong or a surrogate.
        if b >= 0xC2 && b <= 0xDF {
            guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return nil }
            return 2
        }
        var need = 0
        var minValue: UInt32 = 0
        var v: UInt32 = 0
        switch b {
        case 0xE0...0xEF: need = 2; v = UInt32(b & 0x0F); minValue = 0x800
        case 0xF0...0xF4: need = 3; v = UInt32(b & 0x07); minValue = 0x10000
        default: return nil
        }
        if i + need >= n { return nil }  // truncated sequence at the end
        for k in 1...need {
            let c = p[i + k]
            if c & 0xC0 != 0x80 { return nil }
            v = (v << 6) | UInt32(c & 0x3F)
        }
        if v < minValue || v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { return nil }
        return need + 1
    }

    /// Valid multi-byte sequences and invalid bytes in `p`: text that is UTF-8 with a few
    /// damaged bytes has many of the first and few of the second; text in a single-byte
    /// charset has the opposite.
    public static func census(_ p: UnsafeBufferPointer<UInt8>) -> (multiByte: Int, invalid: Int) {
        var multi = 0, invalid = 0
        var i = 0
        while i < p.count {
            if p[i] < 0x80 { i += 1; continue }
            if let length = sequenceLength(p, at: i) {
                multi += 1
                i += length
            } else {
                invalid += 1
                i += 1
            }
        }
        return (multi, invalid)
    }
}
