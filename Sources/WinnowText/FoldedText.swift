/// A document's text after folding, with a map back to the original bytes and its words.
///
/// `bytes` is UTF-8: lowercased, without diacritics, every run of whitespace and hyphens one
/// space. `originalOffset[i]` is the byte offset in the original text of the scalar that produced
/// folded byte `i`; it has one more entry than `bytes`, the original length, so a folded range
/// `a..<b` maps to `originalOffset[a] ..< originalOffset[b]`. Words are maximal runs of letters
/// and digits: `wordStarts[k] ..< wordEnds[k]` in folded bytes, in order.
public struct FoldedText: Sendable {
    public var bytes: [UInt8] = []
    public var originalOffset: [UInt32] = []
    public var wordStarts: [UInt32] = []
    public var wordEnds: [UInt32] = []

    public init() {}

    public var wordCount: Int { wordStarts.count }

    /// Original byte range of folded range `a..<b`.
    public func originalRange(_ a: Int, _ b: Int) -> Range<Int> {
        Int(originalOffset[a]) ..< Int(originalOffset[b])
    }

    /// Folds `text` (valid UTF-8).
    public init(folding text: [UInt8], table: FoldTable = .shared) {
        self.init()
        text.withUnsafeBufferPointer { fold($0, table: table) }
    }

    /// Folds a string, as patterns are folded to match folded text.
    public init(folding text: String, table: FoldTable = .shared) {
        self.init()
        var s = text
        s.withUTF8 { fold($0, table: table) }
    }

    /// Folds into this value's buffers, reusing their capacity.
    public mutating func fold(_ text: UnsafeBufferPointer<UInt8>, table: FoldTable = .shared) {
        bytes.removeAll(keepingCapacity: true)
        originalOffset.removeAll(keepingCapacity: true)
        wordStarts.removeAll(keepingCapacity: true)
        wordEnds.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(text.count + 16)
        originalOffset.reserveCapacity(text.count + 17)
        wordStarts.reserveCapacity(text.count / 5)
        wordEnds.reserveCapacity(text.count / 5)

        let n = text.count
        var i = 0
        var inWord = false
        var lastWasSpace = false
        table.start.withUnsafeBufferPointer { start in
        table.bytes.withUnsafeBufferPointer { folded in
        table.classes.withUnsafeBufferPointer { classes in
            while i < n {
                let b0 = text[i]
                let o = UInt32(i)
                // ASCII fast path: the common case in news text.
                if b0 < 0x80 {
                    i += 1
                    switch asciiClass[Int(b0)] {
                    case 1:
                        if !inWord { wordStarts.append(UInt32(bytes.count)); inWord = true }
                        bytes.append(b0 &+ ((b0 &- 0x41) < 26 ? 0x20 : 0))
                        originalOffset.append(o)
                        lastWasSpace = false
                    case 2:
                        if inWord { wordEnds.append(UInt32(bytes.count)); inWord = false }
                        if !lastWasSpace {
                            bytes.append(0x20); originalOffset.append(o); lastWasSpace = true
                        }
                    default:
                        if inWord { wordEnds.append(UInt32(bytes.count)); inWord = false }
                        bytes.append(b0); originalOffset.append(o)
                        lastWasSpace = false
                    }
                    continue
                }
                // Decode one scalar (input is valid UTF-8).
                var v: UInt32
                var len: Int
                if b0 < 0xE0 {
                    v = (UInt32(b0 & 0x1F) << 6) | UInt32(text[i + 1] & 0x3F); len = 2
                } else if b0 < 0xF0 {
                    v = (UInt32(b0 & 0x0F) << 12) | (UInt32(text[i + 1] & 0x3F) << 6) | UInt32(text[i + 2] & 0x3F); len = 3
                } else {
                    v = (UInt32(b0 & 0x07) << 18) | (UInt32(text[i + 1] & 0x3F) << 12)
                        | (UInt32(text[i + 2] & 0x3F) << 6) | UInt32(text[i + 3] & 0x3F); len = 4
                }
                let cls: UInt8 = v < 0x10000 ? classes[Int(v)] : FoldTable.classOutsideBMP(v).rawValue
                switch cls {
                case ScalarClass.word.rawValue, ScalarClass.separator.rawValue:
                    if cls == ScalarClass.word.rawValue {
                        if !inWord { wordStarts.append(UInt32(bytes.count)); inWord = true }
                    } else if inWord {
                        wordEnds.append(UInt32(bytes.count)); inWord = false
                    }
                    if v < 0x10000 {
                        let a = Int(start[Int(v)]), z = Int(start[Int(v) + 1])
                        for k in a ..< z { bytes.append(folded[k]); originalOffset.append(o) }
                    } else {
                        for k in 0 ..< len { bytes.append(text[i + k]); originalOffset.append(o) }
                    }
                    lastWasSpace = false
                case ScalarClass.space.rawValue, ScalarClass.hyphen.rawValue:
                    if inWord { wordEnds.append(UInt32(bytes.count)); inWord = false }
                    if !lastWasSpace {
                        bytes.append(0x20); originalOffset.append(o); lastWasSpace = true
                    }
                default:
                    break  // ignorable: neither text nor boundary
                }
                i += len
            }
        }}}
        if inWord { wordEnds.append(UInt32(bytes.count)) }
        originalOffset.append(UInt32(n))
    }
}

/// 1: letter or digit, 2: space or hyphen, 0: other, for ASCII bytes.
private let asciiClass: [UInt8] = (0..<128).map { b -> UInt8 in
    switch b {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: 1
    case 0x09...0x0D, 0x20, 0x2D: 2
    default: 0
    }
}
