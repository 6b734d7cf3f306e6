import WinnowCache
import WinnowText
#if canImport(Glibc)
import Glibc
#endif

/// Finds many folded literals at once, only where words start.
///
/// A trie over the keys' folded bytes, walked from each word start of a `FoldedText` (never
/// from inside a word), so every hit already begins on a word boundary and no failure links are
/// needed; notes/swift-performance.md §3 measured this layout fastest for both topic lists and
/// gazetteers. Shallow states have dense rows over byte classes; deeper ones find their child
/// among consecutive records. docs/design.md §Automaton has the details.
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

        // The bytes in one go: the synthesised hash fed them to the hasher one by one, and
        // a million-term list hashes every key several times while it is compiled.
        public func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
            hasher.combine(isPrefix)
            hasher.combine(endsInWord)
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
        /// Byte range of the text scanned.
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
    /// Every key: walked from capitalised words, digits and uncased scripts.
    private let full: Trie
    /// Only the keys that count from a lowercase word (not gazetteer names): walked from
    /// lowercase words, which are most words. Without it those walks would wander through the
    /// gazetteer's 600k states (megabytes, cache misses) only to find nothing; this trie of the
    /// topic terms stays in L2. Nil when every key counts from lowercase words.
    private let lowercase: Trie?

    /// Whether every state has a dense row (small tries: topic lists without a gazetteer).
    public var isDense: Bool { full.denseStates == full.nodes.count }

    public convenience init(keys: [Key], denseLimit: Int = 1 << 16) {
        var set = KeySet()
        for key in keys { set.append(key) }
        self.init(keys: set, denseLimit: denseLimit)
    }

    /// Builds the automaton; duplicate keys are allowed (each gets its own index).
    public convenience init(keys: KeySet, denseLimit: Int = 1 << 16) {
        let n = keys.count
        // Tries are built from sorted keys, so each state's children are contiguous.
        let order: [Int32] = keys.bytes.withUnsafeBufferPointer { b in
            keys.ends.withUnsafeBufferPointer { e in
                (0 ..< Int32(n)).sorted { x, y in
                    let xa = Int(e[Int(x)]), xz = Int(e[Int(x) + 1]), ya = Int(e[Int(y)]), yz = Int(e[Int(y) + 1])
                    let c = memcmp(b.baseAddress! + xa, b.baseAddress! + ya, min(xz - xa, yz - ya))
                    return c != 0 ? c < 0 : (xz - xa) < (yz - ya)
                }
            }
        }
        let lowercaseOrder = order.filter { !keys.isCapitalisedOnly(Int($0)) }
        self.init(keys: keys, full: Trie(keys: keys, order: order, denseLimit: denseLimit),
                  lowercase: lowercaseOrder.count < n ? Trie(keys: keys, order: lowercaseOrder, denseLimit: denseLimit) : nil)
    }

    private init(keys: KeySet, full: Trie, lowercase: Trie?) {
        self.keys = keys
        needsEndBoundary = (0 ..< keys.count).map { !keys.isPrefix($0) && keys.endsInWord($0) }
        prefixKey = (0 ..< keys.count).map { keys.isPrefix($0) }
        self.full = full
        self.lowercase = lowercase
    }

    /// Writes the tries (`AutomatonCache`).
    func write(to w: inout CacheWriter) {
        full.write(to: &w)
        w.write(UInt64(lowercase == nil ? 0 : 1))
        lowercase?.write(to: &w)
    }

    /// The automaton over `keys` that `write` wrote; nil unless the file is whole and every
    /// index the scan follows without bounds checks is in range (a damaged file is a miss).
    convenience init?(keys: KeySet, reading r: CacheReader) {
        guard let full = Trie.read(r), let hasLowercase = r.readUInt64(), hasLowercase <= 1 else { return nil }
        let lowercase = hasLowercase == 1 ? Trie.read(r) : nil
        guard hasLowercase == 0 || lowercase != nil, r.finish(), full.isValid(keyCount: keys.count),
              lowercase?.isValid(keyCount: keys.count) ?? true else { return nil }
        self.init(keys: keys, full: full, lowercase: lowercase)
    }

    /// Calls `report` for every key found at a word start of `text` (UTF-8, not folded), in
    /// text order; hits are byte ranges of `text`.
    ///
    /// Each walk folds the text as it goes (`FoldCursor`), from a word start of `words` (the
    /// text's `WordTable`). A non-prefix key whose last byte is a letter or digit is reported
    /// only when a word ends right after it; a prefix key is extended to the end of its word.
    /// With `caseStarts`, walks from words that start with a lowercase letter skip
    /// capitalised-only keys (they use the trie without them).
    public func scan(_ text: UnsafeBufferPointer<UInt8>, words: WordTable, caseStarts: Bool = true,
                     table: FoldTable = .shared, report: (Hit) -> Void) {
        let checkCase = caseStarts && lowercase != nil
        table.withBuffers { fold in
        words.starts.withUnsafeBufferPointer { starts in
        full.withView { full in
        (lowercase ?? self.full).withView { lower in
            let n = text.count
            let wordCount = starts.count
            for w in 0 ..< wordCount {
                let start = Int(starts[w])
                let trie = checkCase && Self.startsLowercase(text, start) ? lower : full
                var cursor = FoldCursor(text, fold, at: start)
                var state = 0
                var node = trie.nodes[0]
                var endWord = w
                while let b = cursor.next() {
                    state = trie.next(state, node, b)
                    if state == 0 { break }
                    node = trie.nodes[state]
                    var k = Int(node.output)
                    guard k >= 0 else { continue }
                    let i = cursor.matchEnd()
                    while endWord < wordCount, words.end(endWord) < i { endWord &+= 1 }
                    let wordEnd = endWord < wordCount ? words.end(endWord) : n
                    while k >= 0 {
                        if prefixKey[k] {
                            // The key ends inside or at the end of word `endWord`.
                            report(Hit(key: k, start: start, end: max(wordEnd, i), firstWord: w, lastWord: endWord))
                        } else if !needsEndBoundary[k] || wordEnd == i {
                            let last = wordEnd == i ? endWord : max(w, endWord - 1)
                            report(Hit(key: k, start: start, end: i, firstWord: w, lastWord: last))
                        }
                        k = Int(trie.nextOutput[k])
                    }
                }
            }
        }}}}
    }

    /// `scan` over an array, finding its words first unless given.
    public func scan(_ text: [UInt8], words: WordTable? = nil, caseStarts: Bool = true, report: (Hit) -> Void) {
        let words = words ?? WordTable(text)
        text.withUnsafeBufferPointer { scan($0, words: words, caseStarts: caseStarts, report: report) }
    }

    /// Whether the word at original offset `o` begins with a lowercase Latin or Cyrillic letter.
    @inline(__always)
    private static func startsLowercase(_ source: UnsafeBufferPointer<UInt8>, _ o: Int) -> Bool {
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

/// One trie over a subset of an automaton's keys.
private struct Trie: Sendable {
    /// One state. The children of a state are the consecutive states
    /// `firstChild ..< firstChild + childCount`, sorted by their labels. What a step needs
    /// about a state is in one record: with two million states (a gazetteer) the trie lives in
    /// L3 at best, and a step that touches one record instead of parallel arrays takes one
    /// cache miss instead of several.
    struct Node: PlainData {
        var firstChild: UInt32 = 0
        /// First key ending here (or -1); further keys at the same state chain via `nextOutput`.
        var output: Int32 = -1
        var childCount: UInt16 = 0
    }

    var nodes: [Node]
    /// The byte on the edge into each state, apart from the records: a state's children's
    /// labels are then a few consecutive bytes (one cache line) to search, not a stride through
    /// 12-byte records that missed the cache at every probe of a binary search.
    var labels: [UInt8]
    /// Indexed by key: the next key ending at the same state, or -1.
    var nextOutput: [Int32]
    // Dense rows for the first `denseStates` states (breadth-first, so the shallow ones, where
    // every walk starts): next = dense[state * classCount + byteClass[b]], 0 = none.
    var byteClass: [UInt8]
    var classCount: Int
    var dense: [UInt32]
    var denseStates: Int

    /// The trie of `keys[order]`, where `order` lists key indexes sorted by their bytes.
    init(keys: KeySet, order: [Int32], denseLimit: Int) {
        let n = order.count
        var nodes = [Node()]
        var labels: [UInt8] = [0]
        // A trie has at most one state per key byte; gazetteer names share about 60% of theirs.
        nodes.reserveCapacity(min(keys.bytes.count + 1, n * 8))
        labels.reserveCapacity(nodes.capacity)
        var nextOutput = [Int32](repeating: -1, count: keys.count)
        // Byte classes: every byte that appears in a key gets its own class; all others share 0.
        var byteClass = [UInt8](repeating: 0, count: 256)
        var classes = 1
        keys.bytes.withUnsafeBufferPointer { bytes in
            var present = [Bool](repeating: false, count: 256)
            for k in order {
                for i in Int(keys.ends[Int(k)]) ..< Int(keys.ends[Int(k) + 1]) { present[Int(bytes[i])] = true }
            }
            for b in 0 ..< 256 where present[b] {
                byteClass[b] = UInt8(truncatingIfNeeded: classes)
                classes += 1
            }
        }
        // As many whole levels as fit the dense budget get dense rows, and are numbered
        // breadth-first (rows are indexed by state). The default budget (64k entries) covers
        // levels 0-1 of a gazetteer trie: a third level (983 rows, 560 KB) measured 10% slower,
        // its rows missing the cache more often than child scans do. Below them states are
        // numbered depth-first, each state's children right after those of the state before
        // it: most walks there follow one name's own letters, which then lie in consecutive
        // records (one cache miss for several steps) instead of a level apart each (a miss
        // per step; 30% of the walk's time with a gazetteer).
        let denseFits = classes <= 256
        var denseStates = 0
        var level: [Pending] = [(0, 0, Int32(n), 0)]
        keys.bytes.withUnsafeBufferPointer { bytes in
        keys.ends.withUnsafeBufferPointer { ends in
        order.withUnsafeBufferPointer { order in
            let keys = Keys(bytes: bytes, ends: ends, order: order)
            // Breadth-first while the level being expanded gets dense rows.
            while !level.isEmpty, denseFits, nodes.count * classes <= denseLimit {
                denseStates = nodes.count
                var nextLevel: [Pending] = []
                nextLevel.reserveCapacity(level.count)
                for p in level { Self.expand(p, keys, &nodes, &labels, &nextOutput, children: &nextLevel) }
                level = nextLevel
            }
            if level.isEmpty, denseFits, nodes.count * classes <= denseLimit { denseStates = nodes.count }
            // Depth-first below: a state's first child is expanded right after it.
            var stack = level
            stack.reverse()
            while let p = stack.popLast() {
                let first = stack.count
                Self.expand(p, keys, &nodes, &labels, &nextOutput, children: &stack)
                stack[first...].reverse()
            }
        }}}
        self.nextOutput = nextOutput
        self.nodes = nodes
        self.labels = labels
        var dense = [UInt32](repeating: 0, count: denseStates * classes)
        for s in 0 ..< denseStates {
            let node = nodes[s]
            for c in Int(node.firstChild) ..< Int(node.firstChild) + Int(node.childCount) {
                dense[s * classes + Int(byteClass[Int(labels[c])])] = UInt32(c)
            }
        }
        self.dense = dense
        self.denseStates = denseStates
        self.byteClass = byteClass
        self.classCount = classes
    }

    init(nodes: [Node], labels: [UInt8], nextOutput: [Int32], byteClass: [UInt8], classCount: Int,
         dense: [UInt32], denseStates: Int) {
        self.nodes = nodes
        self.labels = labels
        self.nextOutput = nextOutput
        self.byteClass = byteClass
        self.classCount = classCount
        self.dense = dense
        self.denseStates = denseStates
    }

    func write(to w: inout CacheWriter) {
        w.write(nodes)
        w.write(labels)
        w.write(nextOutput)
        w.write(byteClass)
        w.write(UInt64(classCount))
        w.write(dense)
        w.write(UInt64(denseStates))
    }

    /// What `write` wrote, unchecked (`isValid` checks it once the file's checksum matched).
    static func read(_ r: CacheReader) -> Trie? {
        guard let nodes = r.read([Node].self), let labels = r.read([UInt8].self),
              let nextOutput = r.read([Int32].self), let byteClass = r.read([UInt8].self),
              let classCount = r.readUInt64(), classCount <= 257, let dense = r.read([UInt32].self),
              let denseStates = r.readUInt64(), denseStates <= UInt64(nodes.count)
        else { return nil }
        return Trie(nodes: nodes, labels: labels, nextOutput: nextOutput, byteClass: byteClass,
                    classCount: Int(classCount), dense: dense, denseStates: Int(denseStates))
    }

    /// Whether what `View.next` and `scan` index without checks is in range: children,
    /// outputs and dense entries, and output chains that end.
    func isValid(keyCount: Int) -> Bool {
        let states = nodes.count
        guard states > 0, labels.count == states, nextOutput.count == keyCount, byteClass.count == 256,
              classCount >= 1, denseStates <= states, dense.count == denseStates * classCount,
              byteClass.allSatisfy({ Int($0) < classCount }), dense.allSatisfy({ Int($0) < states }),
              nextOutput.allSatisfy({ $0 >= -1 && Int($0) < keyCount }),
              nodes.allSatisfy({ node in
                  (node.childCount == 0 || (node.firstChild >= 1 && Int(node.firstChild) + Int(node.childCount) <= states))
                      && node.output >= -1 && Int(node.output) < keyCount
              })
        else { return false }
        // Each key ends at one state at most, so a chain that meets a key twice is a loop.
        var seen = [Bool](repeating: false, count: keyCount)
        for node in nodes where node.output >= 0 {
            var k = Int(node.output)
            while k >= 0 {
                guard !seen[k] else { return false }
                seen[k] = true
                k = Int(nextOutput[k])
            }
        }
        return true
    }

    /// A state still to expand, with the range of `order` (keys sharing its prefix) it owns.
    typealias Pending = (state: Int32, lo: Int32, hi: Int32, depth: Int32)

    /// The keys' bytes while a trie is built.
    struct Keys {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<UInt32>
        let order: UnsafeBufferPointer<Int32>
        @inline(__always) func length(_ k: Int32) -> Int { Int(ends[Int(k) &+ 1] &- ends[Int(k)]) }
        @inline(__always) func byte(_ k: Int32, _ d: Int) -> UInt8 { bytes[Int(ends[Int(k)]) &+ d] }
    }

    /// Sets the outputs of state `p` and appends its children to `nodes` and `labels`,
    /// consecutive and sorted by label, and to `children`. Everything comes as arguments: a
    /// closure capturing `nodes` paid a dynamic exclusivity check per access, which tripled the
    /// build's time.
    private static func expand(_ p: Pending, _ keys: Keys, _ nodes: inout [Node], _ labels: inout [UInt8],
                               _ nextOutput: inout [Int32], children: inout [Pending]) {
        let state = Int(p.state), hi = Int(p.hi), depth = Int(p.depth), order = keys.order
        var i = Int(p.lo)
        // Keys that end exactly here, chained in key order.
        let firstEnding = i
        while i < hi, keys.length(order[i]) == depth { i += 1 }
        if i == firstEnding + 1 {
            nodes[state].output = order[firstEnding]  // the usual case: one key
        } else if i > firstEnding {
            for k in order[firstEnding ..< i].sorted().reversed() {
                nextOutput[Int(k)] = nodes[state].output
                nodes[state].output = k
            }
        }
        nodes[state].firstChild = UInt32(nodes.count)
        var count = 0
        while i < hi {
            let label = keys.byte(order[i], depth)
            var j = i
            while j < hi, keys.byte(order[j], depth) == label { j += 1 }
            children.append((Int32(nodes.count), Int32(i), Int32(j), p.depth + 1))
            nodes.append(Node())
            labels.append(label)
            count += 1
            i = j
        }
        nodes[state].childCount = UInt16(count)
    }

    /// The tables as buffers, for the duration of a scan.
    struct View {
        var nodes: UnsafeBufferPointer<Node>
        var labels: UnsafeBufferPointer<UInt8>
        var nextOutput: UnsafeBufferPointer<Int32>
        var dense: UnsafeBufferPointer<UInt32>
        var byteClass: UnsafeBufferPointer<UInt8>
        var classCount: Int
        var denseStates: Int

        /// The child of state `s` (whose record is `node`) on byte `b`, or 0.
        @inline(__always)
        func next(_ s: Int, _ node: Node, _ b: UInt8) -> Int {
            if s < denseStates { return Int(dense[s &* classCount &+ Int(byteClass[Int(b)])]) }
            var lo = Int(node.firstChild), hi = lo &+ Int(node.childCount)
            // Children are consecutive states sorted by label; most states have a few, where
            // a scan beats halving.
            if hi &- lo <= 16 {
                while lo < hi {
                    let l = labels[lo]
                    if l == b { return lo }
                    if l > b { return 0 }
                    lo &+= 1
                }
                return 0
            }
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                let l = labels[mid]
                if l == b { return mid }
                if l < b { lo = mid &+ 1 } else { hi = mid }
            }
            return 0
        }
    }

    func withView<R>(_ body: (View) -> R) -> R {
        nodes.withUnsafeBufferPointer { nodes in
        labels.withUnsafeBufferPointer { labels in
        nextOutput.withUnsafeBufferPointer { nextOutput in
        dense.withUnsafeBufferPointer { dense in
        byteClass.withUnsafeBufferPointer { byteClass in
            body(View(nodes: nodes, labels: labels, nextOutput: nextOutput, dense: dense, byteClass: byteClass,
                      classCount: classCount, denseStates: denseStates))
        }}}}}
    }
}
