/// The words of a text, as byte ranges of the text itself.
///
/// A word is a maximal run of letters and digits, as `FoldedText` counts them (ignorable marks
/// inside or at the end of a word belong to it), so word `k` here is word `k` of the folded
/// text. Offsets are the text's own: the automaton folds as it walks (`FoldCursor`), so no
/// folded copy of a document and no per-byte offset map are kept. A document costs 5 bytes
/// per word (a start and the length, with lengths of 255 bytes and more kept aside) instead of
/// 13 per byte for a folded copy with its map (docs/design.md §Memory).
public struct WordTable: Sendable {
    /// Text offset of each word's first byte.
    public private(set) var starts: [UInt32] = []
    /// `end - start` of each word, 255 for a longer one (then its end is in `longEnds`).
    private var lengths: [UInt8] = []
    /// (word, end) of words of 255 bytes or more, by word.
    private var longEnds: [(word: UInt32, end: UInt32)] = []

    public init() {}

    public var count: Int { starts.count }

    /// Text offset where word `k` starts.
    @inlinable public func start(_ k: Int) -> Int { Int(starts[k]) }

    /// Text offset just after word `k` (where the space or punctuation after it starts).
    public func end(_ k: Int) -> Int {
        let length = lengths[k]
        if length < 255 { return Int(starts[k]) + Int(length) }
        var lo = 0, hi = longEnds.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(longEnds[mid].word) < k { lo = mid + 1 } else { hi = mid }
        }
        return Int(longEnds[lo].end)
    }

    /// Index of the first word that starts at or after text offset `offset` (`count` if none).
    public func index(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = starts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(starts[mid]) < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The words of `text` (valid UTF-8).
    public init(_ text: [UInt8], table: FoldTable = .shared) {
        self.init()
        text.withUnsafeBufferPointer { text in table.withBuffers { find(in: text, $0) } }
    }

    public init(_ text: UnsafeBufferPointer<UInt8>, table: FoldTable = .shared) {
        self.init()
        table.withBuffers { find(in: text, $0) }
    }

    private mutating func find(in text: UnsafeBufferPointer<UInt8>, _ fold: FoldTable.Buffers) {
        let n = text.count
        // At most one word per two bytes: room for that many, written through pointers (an
        // append per word was most of this pass). Pages never reached are never touched, so
        // the room costs address space, not memory.
        let room = n / 2 + 1
        var count = 0
        var long: [(word: UInt32, end: UInt32)] = []
        let startsOut = [UInt32](unsafeUninitializedCapacity: room) { starts, startsCount in
            lengths = [UInt8](unsafeUninitializedCapacity: room) { lengths, lengthsCount in
                var inWord = false
                var wordStart = 0
                var i = 0
                @inline(__always) func endWord(at end: Int) {
                    let length = end &- wordStart
                    if length >= 255 { long.append((UInt32(count &- 1), UInt32(truncatingIfNeeded: end))) }
                    lengths[count &- 1] = UInt8(truncatingIfNeeded: min(length, 255))
                    inWord = false
                }
                @inline(__always) func startWord(at start: Int) {
                    starts[count] = UInt32(truncatingIfNeeded: start)
                    count &+= 1
                    wordStart = start
                    inWord = true
                }
                while i < n {
                    let b0 = text[i]
                    if b0 < 0x80 {
                        // 1 letter or digit, 2 space or hyphen, 3 ignorable (DEL), 0 separator.
                        let c = fold.asciiClass[Int(b0)]
                        if c == 1 {
                            if !inWord { startWord(at: i) }
                        } else if c != 3, inWord {
                            endWord(at: i)
                        }
                        i &+= 1
                        continue
                    }
                    let (v, len) = decodeScalar(text, at: i, first: b0)
                    let cls = fold.scalarClass(v)
                    if cls == ScalarClass.word.rawValue {
                        if !inWord { startWord(at: i) }
                    } else if cls != ScalarClass.ignorable.rawValue, inWord {
                        endWord(at: i)
                    }
                    i &+= len
                }
                if inWord { endWord(at: n) }
                lengthsCount = count
            }
            startsCount = count
        }
        starts = startsOut
        longEnds = long
    }
}

/// Decodes the multi-byte scalar starting at `i` (`first` is its lead byte; the text is valid
/// UTF-8): its value and its length in bytes.
@inlinable @inline(__always)
func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at i: Int, first b0: UInt8) -> (UInt32, Int) {
    if b0 < 0xE0 {
        return ((UInt32(b0 & 0x1F) << 6) | UInt32(text[i &+ 1] & 0x3F), 2)
    }
    if b0 < 0xF0 {
        return ((UInt32(b0 & 0x0F) << 12) | (UInt32(text[i &+ 1] & 0x3F) << 6) | UInt32(text[i &+ 2] & 0x3F), 3)
    }
    return ((UInt32(b0 & 0x07) << 18) | (UInt32(text[i &+ 1] & 0x3F) << 12)
        | (UInt32(text[i &+ 2] & 0x3F) << 6) | UInt32(text[i &+ 3] & 0x3F), 4)
}

/// Reads the folded form of a text a byte at a time, from a word start on, without folding the
/// whole text: what the automaton walks. The bytes are those `FoldedText` would give from that
/// point (case and diacritics folded, a run of spaces and hyphens one space, ignorables left out).
@frozen public struct FoldCursor {
    @usableFromInline let text: UnsafeBufferPointer<UInt8>
    @usableFromInline let fold: FoldTable.Buffers
    /// The next scalar to read.
    @usableFromInline var position: Int
    /// Where the scalar that gave the last byte starts.
    @usableFromInline var scalarStart: Int
    /// The rest of that scalar's folded bytes.
    @usableFromInline var pending: UnsafePointer<UInt8>?
    @usableFromInline var pendingCount = 0
    @usableFromInline var lastWasSpace = false

    /// A cursor at `start`, which must be the start of a scalar that is no space.
    @inlinable
    public init(_ text: UnsafeBufferPointer<UInt8>, _ fold: FoldTable.Buffers, at start: Int) {
        self.text = text
        self.fold = fold
        position = start
        scalarStart = start
    }

    /// The next folded byte, or nil at the end of the text.
    @inlinable @inline(__always)
    public mutating func next() -> UInt8? {
        if pendingCount > 0 {
            pendingCount &-= 1
            let b = pending!.pointee
            pending = pending! + 1
            return b
        }
        while position < text.count {
            let b0 = text[position]
            if b0 < 0x80 {
                let c = fold.asciiClass[Int(b0)]
                scalarStart = position
                position &+= 1
                if c == 2 {
                    if lastWasSpace { continue }
                    lastWasSpace = true
                    return 0x20
                }
                if c == 3 { continue }
                lastWasSpace = false
                return fold.asciiFold[Int(b0)]
            }
            let (v, len) = decodeScalar(text, at: position, first: b0)
            let cls = fold.scalarClass(v)
            scalarStart = position
            position &+= len
            switch cls {
            case ScalarClass.word.rawValue, ScalarClass.separator.rawValue:
                let p: UnsafePointer<UInt8>
                let count: Int
                if v < 0x10000 {
                    let a = Int(fold.start[Int(v)])
                    p = fold.bytes.baseAddress! + a
                    count = Int(fold.start[Int(v) &+ 1]) &- a
                } else {
                    p = text.baseAddress! + scalarStart
                    count = len
                }
                guard count > 0 else { continue }
                lastWasSpace = false
                pending = p + 1
                pendingCount = count &- 1
                return p.pointee
            case ScalarClass.space.rawValue, ScalarClass.hyphen.rawValue:
                if lastWasSpace { continue }
                lastWasSpace = true
                return 0x20
            default:
                continue  // ignorable
            }
        }
        return nil
    }

    /// Where, in the text, a match that ends with the byte `next()` gave last ends: after that
    /// scalar and any ignorable marks that follow it (a combining accent belongs to its
    /// letter), or, when the match ends inside one scalar's folded bytes (`ß` read as `ss`), at
    /// the start of that scalar, as `FoldedText.originalOffset` maps it.
    @inlinable
    public func matchEnd() -> Int {
        if pendingCount > 0 { return scalarStart }
        var p = position
        while p < text.count {
            let b0 = text[p]
            if b0 < 0x80 {
                guard b0 == 0x7F else { break }
                p &+= 1
                continue
            }
            let (v, len) = decodeScalar(text, at: p, first: b0)
            let cls = fold.scalarClass(v)
            // Ignorable, or (not known to happen) a letter that folds to nothing.
            let silent = cls == ScalarClass.ignorable.rawValue
                || (v < 0x10000 && (cls == ScalarClass.word.rawValue || cls == ScalarClass.separator.rawValue)
                    && fold.start[Int(v)] == fold.start[Int(v) &+ 1])
            guard silent else { break }
            p &+= len
        }
        return p
    }
}
