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

    /// Folds into this value's buffers.
    ///
    /// The loop writes through raw pointers into buffers sized for the usual case (folding
    /// rarely grows text) and grows them when a scalar would not fit: `Array.append` per byte
    /// cost a third of the fold in uniqueness checks (docs/performance.md).
    public mutating func fold(_ text: UnsafeBufferPointer<UInt8>, table: FoldTable = .shared) {
        let n = text.count
        var out = Buffer<UInt8>(capacity: n + n / 4 + 64)
        var map = Buffer<UInt32>(capacity: out.capacity + 1)
        var starts = Buffer<UInt32>(capacity: n / 3 + 16)
        var ends = Buffer<UInt32>(capacity: n / 3 + 16)
        defer { out.free(); map.free(); starts.free(); ends.free() }
        var i = 0
        var inWord = false
        var lastWasSpace = false
        let room = table.maxFoldedBytes + 4
        asciiFold.withUnsafeBufferPointer { asciiFold in
        asciiClass2.withUnsafeBufferPointer { asciiClass2 in
        table.start.withUnsafeBufferPointer { start in
        table.bytes.withUnsafeBufferPointer { folded in
        table.classes.withUnsafeBufferPointer { classes in
            while i < n {
                // Room for the longest fold of one scalar.
                if out.count &+ room > out.capacity {
                    out.grow(to: out.capacity * 2 + room)
                    map.grow(to: out.capacity + 1)
                }
                if starts.count &+ 2 > starts.capacity { starts.grow(to: starts.capacity * 2) }
                if ends.count &+ 2 > ends.capacity { ends.grow(to: ends.capacity * 2) }
                let b0 = text[i]
                let o = UInt32(truncatingIfNeeded: i)
                // ASCII fast path, the common case in news text: a run of ASCII bytes never
                // grows (one output byte, one map entry, one word start or end per byte at
                // most), so one capacity check covers the whole run.
                if b0 < 0x80 {
                    // DEL, like a soft hyphen, is neither text nor a boundary (a word some tool
                    // broke with it still matches).
                    if b0 == 0x7F {
                        i &+= 1
                        continue
                    }
                    let limit = min(n, i &+ min(out.capacity &- out.count, starts.capacity &- starts.count,
                                                ends.capacity &- ends.count))
                    // Branch-free: the letter/space/other switch mispredicted at nearly every
                    // word boundary. Every step stores unconditionally and advances counts by
                    // 0 or 1 (the capacity bound above leaves room for the extra store).
                    var oc = out.count, sc = starts.count, ec = ends.count
                    var word = inWord ? 1 : 0, space = lastWasSpace ? 1 : 0
                    let ob = out.base, mb = map.base, sb = starts.base, eb = ends.base
                    let asciiFold = asciiFold, asciiClass2 = asciiClass2
                    while i < limit {
                        let b = text[i]
                        if b >= 0x7F { break }
                        let c = asciiFold[Int(b)]  // folded byte; 0x20 for a space or hyphen
                        let isWord = Int(asciiClass2[Int(b)] & 1), isSpace = Int(asciiClass2[Int(b)] >> 1)
                        sb[sc] = UInt32(truncatingIfNeeded: oc)
                        sc &+= isWord & (word ^ 1)
                        eb[ec] = UInt32(truncatingIfNeeded: oc)
                        ec &+= word & (isWord ^ 1)
                        ob[oc] = c
                        mb[oc] = UInt32(truncatingIfNeeded: i)
                        oc &+= (isSpace & space) ^ 1
                        word = isWord
                        space = isSpace
                        i &+= 1
                    }
                    out.count = oc; map.count = oc; starts.count = sc; ends.count = ec
                    inWord = word == 1
                    lastWasSpace = space == 1
                    continue
                }
                // Decode one scalar (input is valid UTF-8).
                var v: UInt32
                var len: Int
                if b0 < 0xE0 {
                    v = (UInt32(b0 & 0x1F) << 6) | UInt32(text[i &+ 1] & 0x3F); len = 2
                } else if b0 < 0xF0 {
                    v = (UInt32(b0 & 0x0F) << 12) | (UInt32(text[i &+ 1] & 0x3F) << 6) | UInt32(text[i &+ 2] & 0x3F); len = 3
                } else {
                    v = (UInt32(b0 & 0x07) << 18) | (UInt32(text[i &+ 1] & 0x3F) << 12)
                        | (UInt32(text[i &+ 2] & 0x3F) << 6) | UInt32(text[i &+ 3] & 0x3F); len = 4
                }
                let cls: UInt8 = v < 0x10000 ? classes[Int(v)] : FoldTable.classOutsideBMP(v).rawValue
                switch cls {
                case ScalarClass.word.rawValue, ScalarClass.separator.rawValue:
                    if cls == ScalarClass.word.rawValue {
                        if !inWord { starts.append(UInt32(truncatingIfNeeded: out.count)); inWord = true }
                    } else if inWord {
                        ends.append(UInt32(truncatingIfNeeded: out.count)); inWord = false
                    }
                    if v < 0x10000 {
                        let a = Int(start[Int(v)]), z = Int(start[Int(v) &+ 1])
                        for k in a ..< z { out.append(folded[k]); map.append(o) }
                    } else {
                        for k in 0 ..< len { out.append(text[i &+ k]); map.append(o) }
                    }
                    lastWasSpace = false
                case ScalarClass.space.rawValue, ScalarClass.hyphen.rawValue:
                    if inWord { ends.append(UInt32(truncatingIfNeeded: out.count)); inWord = false }
                    if !lastWasSpace {
                        out.append(0x20); map.append(o); lastWasSpace = true
                    }
                default:
                    break  // ignorable: neither text nor boundary
                }
                i &+= len
            }
        }}}}}
        if inWord { ends.append(UInt32(truncatingIfNeeded: out.count)) }
        map.append(UInt32(truncatingIfNeeded: n))
        bytes = out.array()
        originalOffset = map.array()
        wordStarts = starts.array()
        wordEnds = ends.array()
    }
}

/// A growable buffer with unchecked appends, for the fold's inner loop.
private struct Buffer<T> {
    var base: UnsafeMutablePointer<T>
    var count = 0
    var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    @inline(__always)
    mutating func append(_ v: T) {
        (base + count).initialize(to: v)
        count &+= 1
    }

    mutating func grow(to newCapacity: Int) {
        guard newCapacity > capacity else { return }
        let next = UnsafeMutablePointer<T>.allocate(capacity: newCapacity)
        next.moveInitialize(from: base, count: count)
        base.deallocate()
        base = next
        capacity = newCapacity
    }

    func array() -> [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func free() { base.deallocate() }
}

/// For the branch-free ASCII loop: bit 0 letter or digit, bit 1 space or hyphen.
private let asciiClass2: [UInt8] = FoldTable.asciiClass.map { $0 == 1 ? 1 : $0 == 2 ? 2 : 0 }
private let asciiFold = FoldTable.asciiFold
