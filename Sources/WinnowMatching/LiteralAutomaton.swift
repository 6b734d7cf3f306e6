import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// Finds many folded literals at once, only where words start.
///
/// A trie over the keys' folded bytes, walked from each word start of a `FoldedText` (never
/// from inside a word), so every hit already begins on a word boundary and no failure links are
/// needed; notes/swift-performance.md §3 measured this layout fastest for both topic lists and
/// gazetteers. Small tries use a dense transition table over byte classes; large ones (a
/// gazetteer) use sorted edge lists with a dense root. docs/design.md §Automaton has the details.
public final class LiteralAutomaton: Sendable {
    /// One literal to find.
    public struct Key: Hashable, Sendable {
        /// Folded UTF-8 bytes; must begin with a letter or digit.
        public var bytes: [UInt8]
        /// `extremis*`: the hit runs on to the end of the word that contains the key's end.
        public var isPrefix: Bool
        /// Whether the last byte ends a letter or digit (then a hit must end where a word ends).
        public var endsInWord: Bool

        public init(bytes: [UInt8], isPrefix: Bool, endsInWord: Bool) {
            self.bytes = bytes
            self.isPrefix = isPrefix
            self.endsInWord = endsInWord
        }

        /// Folds a term as documents are folded; nil when it does not start with a letter or digit.
        public init?(folding term: String, isPrefix: Bool) {
            let folded = FoldedText(folding: term)
            var bytes = folded.bytes
            var ends = folded.wordEnds
            while bytes.last == 0x20 { bytes.removeLast() }
            while let e = ends.last, Int(e) > bytes.count { ends.removeLast() }
            guard folded.wordStarts.first == 0, !bytes.isEmpty else { return nil }
            self.init(bytes: bytes, isPrefix: isPrefix, endsInWord: ends.last.map { Int($0) == bytes.count } ?? false)
        }
    }

    /// A key found in a text.
    public struct Hit: Sendable, Equatable {
        public var key: Int
        /// Folded byte range.
        public var start: Int
        public var end: Int
        /// Index of the first and last word the hit covers.
        public var firstWord: Int
        public var lastWord: Int
    }

    public let keys: KeySet
    /// For each key, whether a letter or digit right after it disqualifies the hit.
    private let needsEndBoundary: [Bool]
    private let prefixKey: [Bool]
    /// Per state: whether a key below it counts from a lowercase word (see `KeySet.flags`).
    private let lowercaseBelow: [Bool]
    private let hasCapitalisedOnly: Bool

    private let stateCount: Int
    // Dense rows for the first `denseStates` states (breadth-first, so the shallow ones, where
    // nearly every walk is): next = dense[state * classCount + byteClass[b]], 0 = none.
    private let byteClass: [UInt8]
    private let classCount: Int
    private let dense: [UInt32]
    private let denseStates: Int
    // Sparse rows for deeper states: edges of s are edgeLabel/edgeTarget[edgeStart[s] ..< edgeStart[s+1]].
    private let rootRow: [UInt32]
    private let edgeStart: [UInt32]
    private let edgeLabel: [UInt8]
    private let edgeTarget: [UInt32]
    /// First key ending at a state (or -1); further keys at the same state chain via `nextOutput`.
    private let output: [Int32]
    private let nextOutput: [Int32]

    /// Whether every state has a dense row (small tries: topic lists without a gazetteer).
    public var isDense: Bool { denseStates == stateCount }

    public convenience init(keys: [Key], denseLimit: Int = 1 << 18) {
        var set = KeySet()
        for key in keys { set.append(key) }
        self.init(keys: set, denseLimit: denseLimit)
    }

    /// Builds the automaton; duplicate keys are allowed (each gets its own index).
    public init(keys: KeySet, denseLimit: Int = 1 << 18) {
        self.keys = keys
        let n = keys.count
        needsEndBoundary = (0 ..< n).map { !keys.isPrefix($0) && keys.endsInWord($0) }
        prefixKey = (0 ..< n).map { keys.isPrefix($0) }
        // Build the trie level by level from sorted keys, so states are numbered breadth-first
        // and each state's children are contiguous.
        let order: [Int32] = keys.bytes.withUnsafeBufferPointer { b in
            keys.ends.withUnsafeBufferPointer { e in
                (0 ..< Int32(n)).sorted { x, y in
                    let xa = Int(e[Int(x)]), xz = Int(e[Int(x) + 1]), ya = Int(e[Int(y)]), yz = Int(e[Int(y) + 1])
                    let c = memcmp(b.baseAddress! + xa, b.baseAddress! + ya, min(xz - xa, yz - ya))
                    return c != 0 ? c < 0 : (xz - xa) < (yz - ya)
                }
            }
        }
        var edgeStart: [UInt32] = []
        var edgeLabel: [UInt8] = []
        var edgeTarget: [UInt32] = []
        var output: [Int32] = [-1]
        var nextOutput = [Int32](repeating: -1, count: n)
        // lowercaseKeys[i]: how many of order[0 ..< i] count from lowercase words.
        var lowercaseKeys = [Int32](repeating: 0, count: n + 1)
        for i in 0 ..< n { lowercaseKeys[i + 1] = lowercaseKeys[i] + (keys.isCapitalisedOnly(Int(order[i])) ? 0 : 1) }
        var lowercaseBelow: [Bool] = [n > 0]
        // Each state on the current level owns a range of `order` (keys sharing its prefix).
        var level: [(state: Int32, lo: Int32, hi: Int32)] = [(0, 0, Int32(n))]
        var depth = 0
        var stateCount = 1
        var levelEnds: [Int] = []
        keys.bytes.withUnsafeBufferPointer { bytes in
        keys.ends.withUnsafeBufferPointer { ends in
            @inline(__always) func length(_ k: Int32) -> Int { Int(ends[Int(k) + 1] - ends[Int(k)]) }
            @inline(__always) func byte(_ k: Int32, _ d: Int) -> UInt8 { bytes[Int(ends[Int(k)]) + d] }
            while !level.isEmpty {
                var nextLevel: [(state: Int32, lo: Int32, hi: Int32)] = []
                nextLevel.reserveCapacity(level.count)
                // States are numbered breadth-first and visited in that order, so edges come out
                // grouped by state.
                for (state, lo, hi) in level {
                    edgeStart.append(UInt32(edgeLabel.count))
                    var i = Int(lo)
                    // Keys that end exactly here, chained in key order.
                    var firstEnding = i
                    while i < Int(hi), length(order[i]) == depth { i += 1 }
                    if i > firstEnding {
                        for k in order[firstEnding ..< i].sorted().reversed() {
                            nextOutput[Int(k)] = output[Int(state)]
                            output[Int(state)] = k
                        }
                    }
                    firstEnding = i
                    while i < Int(hi) {
                        let label = byte(order[i], depth)
                        var j = i
                        while j < Int(hi), byte(order[j], depth) == label { j += 1 }
                        let child = stateCount
                        stateCount += 1
                        output.append(-1)
                        lowercaseBelow.append(lowercaseKeys[j] > lowercaseKeys[i])
                        edgeLabel.append(label)
                        edgeTarget.append(UInt32(child))
                        nextLevel.append((Int32(child), Int32(i), Int32(j)))
                        i = j
                    }
                }
                levelEnds.append(stateCount - nextLevel.count)
                level = nextLevel
                depth += 1
            }
        }}
        edgeStart.append(UInt32(edgeLabel.count))
        self.stateCount = stateCount
        self.lowercaseBelow = lowercaseBelow
        self.hasCapitalisedOnly = lowercaseKeys[n] < n
        self.output = output
        self.nextOutput = nextOutput

        // Byte classes: every byte that appears in a key gets its own class; all others share 0.
        var byteClass = [UInt8](repeating: 0, count: 256)
        var present = [Bool](repeating: false, count: 256)
        for label in edgeLabel { present[Int(label)] = true }
        var classes = 1
        for b in 0 ..< 256 where present[b] {
            byteClass[b] = UInt8(truncatingIfNeeded: classes)
            classes += 1
        }
        // As many whole levels as fit the dense budget get dense rows.
        var denseStates = 0
        if classes <= 256 {
            for end in levelEnds where end * classes <= denseLimit { denseStates = end }
            if stateCount * classes <= denseLimit { denseStates = stateCount }
        }
        var dense = [UInt32](repeating: 0, count: denseStates * classes)
        for s in 0 ..< denseStates {
            for e in Int(edgeStart[s]) ..< Int(edgeStart[s + 1]) {
                dense[s * classes + Int(byteClass[Int(edgeLabel[e])])] = edgeTarget[e]
            }
        }
        self.dense = dense
        self.denseStates = denseStates
        self.byteClass = byteClass
        self.classCount = classes
        if denseStates == stateCount {
            self.rootRow = []
            self.edgeStart = []
            self.edgeLabel = []
            self.edgeTarget = []
        } else {
            var root = [UInt32](repeating: 0, count: 256)
            for e in Int(edgeStart[0]) ..< Int(edgeStart[1]) { root[Int(edgeLabel[e])] = edgeTarget[e] }
            self.rootRow = root
            self.edgeStart = edgeStart
            self.edgeLabel = edgeLabel
            self.edgeTarget = edgeTarget
        }
    }

    /// Approximate bytes held by the automaton's tables.
    public var memoryBytes: Int {
        dense.count * 4 + rootRow.count * 4 + edgeStart.count * 4 + edgeLabel.count + edgeTarget.count * 4
            + output.count * 4 + nextOutput.count * 4 + keys.bytes.count + keys.ends.count * 4 + keys.flags.count
    }

    public var states: Int { stateCount }

    /// Calls `report` for every key found at a word start of `text`, in text order.
    ///
    /// A non-prefix key whose last byte is a letter or digit is reported only when a word ends
    /// right after it; a prefix key is extended to the end of its word.
    /// With `original` (the text before folding), walks from words that start with a lowercase
    /// letter skip capitalised-only keys, and stop as soon as no other key lies ahead.
    public func scan(_ text: FoldedText, original: [UInt8]? = nil, report: (Hit) -> Void) {
        let prune = hasCapitalisedOnly ? original : nil
        (prune ?? []).withUnsafeBufferPointer { source in
        text.originalOffset.withUnsafeBufferPointer { offsets in
        lowercaseBelow.withUnsafeBufferPointer { below in
        let context = WalkContext(source: prune == nil ? nil : source, offsets: offsets, below: below)
        text.bytes.withUnsafeBufferPointer { bytes in
        text.wordStarts.withUnsafeBufferPointer { starts in
        text.wordEnds.withUnsafeBufferPointer { ends in
        dense.withUnsafeBufferPointer { dense in
        byteClass.withUnsafeBufferPointer { cls in
            let nc = classCount
            if isDense {
                walk(bytes, starts, ends, context, report) { s, b in
                    Int(dense[s &* nc &+ Int(cls[Int(b)])])
                }
                return
            }
            let k = denseStates
            rootRow.withUnsafeBufferPointer { root in
            edgeStart.withUnsafeBufferPointer { es in
            edgeLabel.withUnsafeBufferPointer { el in
            edgeTarget.withUnsafeBufferPointer { et in
                walk(bytes, starts, ends, context, report) { s, b in
                    if s < k { return Int(dense[s &* nc &+ Int(cls[Int(b)])]) }
                    if s == 0 { return Int(root[Int(b)]) }
                    var lo = Int(es[s]), hi = Int(es[s + 1])
                    // Labels are sorted; most states have a few edges, where a scan beats halving.
                    if hi &- lo <= 8 {
                        while lo < hi {
                            let l = el[lo]
                            if l == b { return Int(et[lo]) }
                            if l > b { return 0 }
                            lo &+= 1
                        }
                        return 0
                    }
                    while lo < hi {
                        let mid = (lo &+ hi) >> 1
                        let l = el[mid]
                        if l == b { return Int(et[mid]) }
                        if l < b { lo = mid &+ 1 } else { hi = mid }
                    }
                    return 0
                }
            }}}}
        }}}}}
        }}}
    }

    /// What a walk needs to know about case in the original text.
    private struct WalkContext {
        var source: UnsafeBufferPointer<UInt8>?
        var offsets: UnsafeBufferPointer<UInt32>
        var below: UnsafeBufferPointer<Bool>

        /// Whether the word at folded offset `start` begins with a lowercase Latin or Cyrillic letter.
        @inline(__always)
        func lowercase(at start: Int) -> Bool {
            guard let source else { return false }
            let o = Int(offsets[start])
            let b = source[o]
            if b >= 0x61 && b <= 0x7A { return true }
            // Cyrillic а…я (D0 B0–D0 BF, D1 80–D1 8F) and ѐ…џ (D1 90–D1 9F).
            if o + 1 < source.count {
                let c = source[o + 1]
                return (b == 0xD0 && c >= 0xB0) || (b == 0xD1 && c <= 0x9F)
            }
            return false
        }
    }

    @inline(__always)
    private func walk(
        _ bytes: UnsafeBufferPointer<UInt8>, _ starts: UnsafeBufferPointer<UInt32>,
        _ ends: UnsafeBufferPointer<UInt32>, _ context: WalkContext, _ report: (Hit) -> Void,
        next: (Int, UInt8) -> Int
    ) {
        let n = bytes.count
        let wordCount = starts.count
        output.withUnsafeBufferPointer { output in
            for w in 0 ..< wordCount {
                var i = Int(starts[w])
                let lowercase = context.lowercase(at: i)
                var state = 0
                var endWord = w
                while i < n {
                    state = next(state, bytes[i])
                    if state == 0 { break }
                    if lowercase && !context.below[state] { break }
                    i &+= 1
                    var k = Int(output[state])
                    guard k >= 0 else { continue }
                    while endWord < wordCount, Int(ends[endWord]) < i { endWord &+= 1 }
                    let wordEnd = endWord < wordCount ? Int(ends[endWord]) : n
                    while k >= 0 {
                        if lowercase && keys.isCapitalisedOnly(k) {
                            // A place name written in lowercase is never a place.
                        } else if prefixKey[k] {
                            // The key ends inside or at the end of word `endWord`.
                            report(Hit(key: k, start: Int(starts[w]), end: max(wordEnd, i), firstWord: w, lastWord: endWord))
                        } else if !needsEndBoundary[k] || wordEnd == i {
                            let last = wordEnd == i ? endWord : max(w, endWord - 1)
                            report(Hit(key: k, start: Int(starts[w]), end: i, firstWord: w, lastWord: last))
                        }
                        k = Int(nextOutput[k])
                    }
                }
            }
        }
    }
}

