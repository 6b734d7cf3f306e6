import WinnowGazetteer
import WinnowMatching
import WinnowFormats
import WinnowText

/// Work shared by all matchers of a ruleset, gathered at compile time and run once per document.
///
/// Matchers subscribe to channels: a channel is the hit list of one set of terms or one regex.
/// Identical terms from different matchers share one automaton key, so a document is scanned
/// once however many rules use a word.
public struct ScanPlan: Sendable {
    public typealias Channel = Int

    public private(set) var keys: [LiteralAutomaton.Key] = []
    private var keyIndex = KeyIndex()
    /// Which channels each automaton key feeds, as (key, channel) pairs in the order added: an
    /// array per key was a million small allocations for a list of a million terms.
    private var keyChannelPairs: [(key: Int32, channel: Int32)] = []
    /// Regexes and their channels; a regex with a `gate` runs only when the gate channel (its
    /// prefilter words) has a hit in the document.
    public private(set) var regexes: [(regex: PCRE2Regex, channel: Channel, gate: Channel?)] = []
    /// Phrases with `*` inside (`организованн* преступн*`): each word is its own key, and a hit
    /// is a run of consecutive words, one per part, joined into `target` after the scan.
    public private(set) var phrases: [(parts: [Channel], target: Channel)] = []
    public private(set) var channelCount = 0
    /// The folder's gazetteer, when a pack declares one; `places` matchers need it.
    public var gazetteer: Gazetteer?
    /// A pack declares a gazetteer but it could not be decoded or built; that error is reported
    /// once, and `places` matchers do not repeat it as "needs a gazetteer".
    public var gazetteerFailed = false

    public init() {}

    /// A channel fed by every hit of any of `keys`, and by runs of words matching each of
    /// `phrases` (see `addPhrase`).
    ///
    /// Matchers with the same terms (one list used by several rules) share one channel: each
    /// channel holds its own copy of every hit, and on a hit-dense document those copies were
    /// most of the memory a document took.
    public mutating func addTerms(_ newKeys: [LiteralAutomaton.Key], phrases: [[LiteralAutomaton.Key]] = []) -> Channel {
        let indexes = indexes(of: newKeys)
        let signature = TermSet(keys: indexes, phrases: Set(phrases))
        if let shared = channelOfTerms[signature] { return shared }
        let channel = newChannel(fedBy: indexes)
        for parts in phrases { addPhrase(parts, into: channel) }
        channelOfTerms[signature] = channel
        return channel
    }
    private struct TermSet: Hashable {
        var keys: [Int32]
        var phrases: Set<[LiteralAutomaton.Key]>
    }
    private var channelOfTerms: [TermSet: Channel] = [:]

    /// The indexes of `newKeys` (added when new), sorted and each once.
    private mutating func indexes(of newKeys: [LiteralAutomaton.Key]) -> [Int32] {
        // Room for a list's keys at once (not count + these: a list used by two rules brings the
        // same keys twice, and reserving for both rehashed the whole index).
        keyIndex.reserve(newKeys.count)
        var indexes = newKeys.map { Int32(index(of: $0)) }
        // Sorting and dropping repeats in place costs less than hashing a million indexes into
        // a Set first.
        indexes.sort()
        var kept = 0
        for i in indexes.indices where kept == 0 || indexes[kept - 1] != indexes[i] {
            indexes[kept] = indexes[i]
            kept += 1
        }
        indexes.removeLast(indexes.count - kept)
        return indexes
    }

    /// A new channel that every hit of the keys `indexes` (each once) feeds.
    private mutating func newChannel(fedBy indexes: [Int32]) -> Channel {
        let channel = channelCount
        channelCount += 1
        keyChannelPairs.reserveCapacity(keyChannelPairs.count + indexes.count)
        for k in indexes { keyChannelPairs.append((k, Int32(channel))) }
        return channel
    }

    /// The index of `key`, added when new.
    private mutating func index(of key: LiteralAutomaton.Key) -> Int {
        let hash = KeyIndex.hash(key)
        if let existing = keyIndex.find(key, hash: hash, in: keys) { return existing }
        let k = keys.count
        keys.append(key)
        keyIndex.insert(k, hash: hash)
        return k
    }

    /// A new channel fed by every hit of any of `keys`.
    private mutating func addKeys(_ newKeys: [LiteralAutomaton.Key]) -> Channel {
        newChannel(fedBy: indexes(of: newKeys))
    }

    /// For each key, the channels it feeds, in channel order: key `k`'s are
    /// `list[start[k] ..< start[k + 1]]`. Each call that adds pairs makes a new channel, so a
    /// pair is never added twice and the pairs come in channel order; a counting sort by key
    /// keeps that order.
    func keyChannels() -> (start: [UInt32], list: [Int32]) {
        var start = [UInt32](repeating: 0, count: keys.count + 1)
        for p in keyChannelPairs { start[Int(p.key) + 1] += 1 }
        for k in 0 ..< keys.count { start[k + 1] += start[k] }
        var next = start
        var list = [Int32](repeating: 0, count: keyChannelPairs.count)
        for p in keyChannelPairs {
            list[Int(next[Int(p.key)])] = p.channel
            next[Int(p.key)] += 1
        }
        return (start, list)
    }

    /// Feeds `target` with runs of consecutive words where word i matches `parts[i]`.
    private mutating func addPhrase(_ parts: [LiteralAutomaton.Key], into target: Channel) {
        // A part's channel holds the hits of that one key, whichever phrase it is part of, so
        // phrases share them: `погиб*` in ten phrases is one channel, filled once per hit
        // (the packs' 424 phrases had 900 part channels, each allocated per document). Part
        // channels are never targets, so they are not shared with matchers' channels.
        let channels = parts.map { part in
            if let c = partChannels[part] { return c }
            let c = addKeys([part])
            partChannels[part] = c
            return c
        }
        phrases.append((channels, target))
    }
    private var partChannels: [LiteralAutomaton.Key: Channel] = [:]

    /// A channel fed by the matches of `regex`, looked for only in documents where `gate` has a hit.
    public mutating func addRegex(_ regex: PCRE2Regex, gate: Channel? = nil) -> Channel {
        let channel = channelCount
        channelCount += 1
        regexes.append((regex, channel, gate))
        return channel
    }

    /// For each channel, the index of its regex in `regexes`, or -1 (a literal channel).
    public var regexOfChannel: [Int32] {
        var map = [Int32](repeating: -1, count: channelCount)
        for (i, r) in regexes.enumerated() { map[r.channel] = Int32(i) }
        return map
    }
}

/// The hits of every channel in one document.
///
/// Literal channels are filled by the one scan. Regex channels are filled on first use: a rule
/// whose cheaper matchers already decide the condition never runs its regexes.
public final class ScanResult {
    /// Filled by `Scanner`; matchers read a channel through the subscript.
    var channels: [[Hit]]
    /// Regexes that stopped at their limit: (channel, pattern).
    public internal(set) var limitedRegexes: [(channel: ScanPlan.Channel, pattern: String)] = []
    /// Places the document mentions, resolved (empty without a gazetteer).
    public internal(set) var places = PlaceResolution()
    /// Where the headline and the lead end: places' roles and topics' weights use it.
    public internal(set) var layout = TextLayout(titleEnd: 0, leadEnd: 0)
    /// Values hits report instead of their text (`Hit.label`).
    public private(set) var labels: [String] = []
    /// The document the regexes run over (nil: no regexes).
    private let document: Document?
    private let regexes: [(regex: PCRE2Regex, channel: ScanPlan.Channel, gate: ScanPlan.Channel?)]
    /// For each channel, the index of its regex in `regexes`, or -1 (shared by every document).
    private let regexOfChannel: [Int32]
    /// Whether each regex has run (or been skipped by its prefilter).
    private var regexDone: [Bool]

    public init(channelCount: Int) {
        channels = Array(repeating: [], count: channelCount)
        document = nil
        regexes = []
        regexOfChannel = []
        regexDone = []
    }

    /// A result whose `regexes` run over `document` on first access; `regexOfChannel` is
    /// `ScanPlan.regexOfChannel`.
    public init(channelCount: Int, regexes: [(regex: PCRE2Regex, channel: ScanPlan.Channel, gate: ScanPlan.Channel?)],
                regexOfChannel: [Int32], document: Document) {
        channels = Array(repeating: [], count: channelCount)
        self.document = document
        self.regexes = regexes
        self.regexOfChannel = regexOfChannel
        regexDone = Array(repeating: false, count: regexes.count)
    }

    public subscript(channel: ScanPlan.Channel) -> [Hit] {
        if channel < regexOfChannel.count, case let r = Int(regexOfChannel[channel]), r >= 0, !regexDone[r] {
            regexDone[r] = true
            run(regexes[r].regex, into: channel, gate: regexes[r].gate)
        }
        return channels[channel]
    }

    private func run(_ regex: PCRE2Regex, into channel: ScanPlan.Channel, gate: ScanPlan.Channel?) {
        // Gate channels are literal channels, complete once the scan is done.
        guard let document, gate.map({ !channels[$0].isEmpty }) ?? true else { return }
        let ranges: [Range<Int>]
        switch matches(of: regex) {
        case .matches(let r):
            ranges = r
        case .limitExceeded(let r):
            ranges = r
            limitedRegexes.append((channel, regex.pattern))
        }
        channels[channel] = ranges.map { r in
            let first = document.wordIndex(atText: r.lowerBound)
            let last = max(first, document.wordIndex(atText: r.upperBound) - 1)
            return Hit(start: r.lowerBound, end: r.upperBound, words: first ... last)
        }
    }

    /// Every match of `regex` in the document's text (markup taken out, encodings decoded), as
    /// byte ranges of the text.
    public func matches(of regex: PCRE2Regex) -> PCRE2Regex.MatchOutcome {
        guard let document else { return .matches([]) }
        return document.text.withUnsafeBufferPointer { regex.matches(in: $0) }
    }

    /// Indexes `i` of `channelList` whose channel has hits, in order.
    public func withHits(_ channelList: [Int32]) -> [Int] {
        channels.withUnsafeBufferPointer { channels in
            channelList.indices.filter { !channels[Int(channelList[$0])].isEmpty }
        }
    }

    /// Stores a hit's label; the index goes into `Hit.label`.
    public func addLabel(_ label: String) -> Int32 {
        labels.append(label)
        return Int32(labels.count - 1)
    }

    /// The label of a hit, if it has one.
    public func label(of hit: Hit) -> String? {
        hasLabel(hit) ? labels[Int(hit.label)] : nil
    }

    /// Whether `label(of: hit)` is not nil, without copying the label.
    public func hasLabel(_ hit: Hit) -> Bool {
        hit.label >= 0 && Int(hit.label) < labels.count
    }
}

/// The index of each key in `ScanPlan.keys`, by open addressing on a hash of the key's bytes.
/// A `Dictionary` keyed by `Key` ran seeded SipHash for every lookup: a fifth of starting with
/// a list of a million terms.
struct KeyIndex: Sendable {
    /// Key indexes, -1 for an empty slot; a power of two long.
    private var slots = [Int32](repeating: -1, count: 16)
    /// The hash of the key in each slot: most probes that miss differ here.
    private var hashes = [UInt64](repeating: 0, count: 16)
    private var count = 0

    /// FNV-1a over the folded bytes and the two flags.
    static func hash(_ key: LiteralAutomaton.Key) -> UInt64 {
        var h = FNV1a()
        for b in key.bytes { h.add(b) }
        h.add(key.isPrefix ? 1 : 0)
        h.add(key.endsInWord ? 1 : 0)
        return h.value
    }

    /// Room for `n` keys without growing: one rehash to the size needed, not one per doubling.
    mutating func reserve(_ n: Int) {
        var size = slots.count
        while n * 2 > size { size *= 2 }
        if size > slots.count { rehash(to: size) }
    }

    func find(_ key: LiteralAutomaton.Key, hash: UInt64, in keys: [LiteralAutomaton.Key]) -> Int? {
        let mask = slots.count - 1
        var i = Self.slot(hash, mask)
        while slots[i] >= 0 {
            if hashes[i] == hash, keys[Int(slots[i])] == key { return Int(slots[i]) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds key index `k`, whose key `find` did not find.
    mutating func insert(_ k: Int, hash: UInt64) {
        if (count + 1) * 2 > slots.count { rehash(to: slots.count * 2) }
        place(Int32(k), hash: hash)
        count += 1
    }

    private mutating func place(_ k: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var i = Self.slot(hash, mask)
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = k
        hashes[i] = hash
    }

    private mutating func rehash(to size: Int) {
        let (oldSlots, oldHashes) = (slots, hashes)
        slots = [Int32](repeating: -1, count: size)
        hashes = [UInt64](repeating: 0, count: size)
        for i in oldSlots.indices where oldSlots[i] >= 0 { place(oldSlots[i], hash: oldHashes[i]) }
    }

    @inline(__always)
    private static func slot(_ hash: UInt64, _ mask: Int) -> Int { fibonacciSlot(hash, bits: mask.nonzeroBitCount) }
}
