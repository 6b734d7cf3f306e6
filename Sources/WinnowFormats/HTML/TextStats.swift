/// What Readability counts in a piece of text: characters (whitespace runs count as one, as
/// in its whitespace-normalised `innerText`) and commas.
struct TextStats {
    var chars: Int32 = 0
    var commas: Int32 = 0

    /// The counts for `p[range]`; leading and trailing whitespace do not count.
    static func scan(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> TextStats {
        var s = TextStats()
        var gap = false
        var k = range.lowerBound
        let end = range.upperBound
        while k < end {
            let b = p[k]
            k += 1
            // One test for the common case: a printable ASCII byte that is not a comma.
            if b > 0x20 && b < 0x80 {
                if gap { s.chars += 1; gap = false }
                s.chars += 1
                if b == UInt8(ascii: ",") { s.commas += 1 }
                continue
            }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                gap = s.chars > 0
                continue
            }
            if b & 0xC0 == 0x80 { continue }  // a continuation byte: its scalar is counted
            if gap { s.chars += 1; gap = false }
            s.chars += 1
        }
        return s
    }
}
