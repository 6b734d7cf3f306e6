import WinnowFormats
import WinnowGazetteer
import WinnowMatching
import WinnowText

/// The per-document scan, built once per ruleset and immutable: one walk of the automaton from
/// each word of the text feeds the channels (the hit lists matchers read), phrases with `*`
/// inside are joined, places are resolved and given roles, and regexes wait in the result until
/// a condition asks for them. The one owner of that flow: matchers only read what it found.
public struct Scanner: Sendable {
    package let automaton: LiteralAutomaton
    /// The channels automaton key `k` feeds: `keyChannelList[keyChannelStart[k] ..< keyChannelStart[k + 1]]`.
    package let keyChannelStart: [UInt32]
    package let keyChannelList: [Int32]
    package let regexes: [(regex: PCRE2Regex, channel: ScanPlan.Channel, gate: ScanPlan.Channel?)]
    /// For each channel, its regex's index in `regexes`, or -1.
    package let regexOfChannel: [Int32]
    package let phrases: [(parts: [ScanPlan.Channel], target: ScanPlan.Channel)]
    /// Each phrase's first part channel: a phrase is joined only when its first part has hits.
    package let phraseFirstChannel: [Int32]
    package let channelCount: Int
    /// The rules folder's gazetteer, if a pack declares one.
    public let gazetteer: Gazetteer?
    /// Automaton keys from this index on are gazetteer names (`gazetteer.names`, in order).
    package let gazetteerKeyBase: Int

    init(plan: ScanPlan) {
        var keys = KeySet()
        for key in plan.keys { keys.append(key) }
        gazetteerKeyBase = keys.count
        if let g = plan.gazetteer { keys.append(contentsOf: g.names) }
        gazetteer = plan.gazetteer
        automaton = LiteralAutomaton.cached(keys: keys)
        (keyChannelStart, keyChannelList) = plan.keyChannels()
        regexes = plan.regexes
        regexOfChannel = plan.regexOfChannel
        phrases = plan.phrases
        phraseFirstChannel = plan.phrases.map { Int32($0.parts.first ?? 0) }
        channelCount = plan.channelCount
    }

    /// Scans `document`: the automaton over its words now, each regex at most once, when a
    /// condition first needs it.
    public func scan(_ document: Document, budget: WorkBudget = .unlimited) -> ScanResult {
        let result = ScanResult(channelCount: channelCount, regexes: regexes, regexOfChannel: regexOfChannel, document: document)
        result.layout = Self.layout(of: document)
        let base = gazetteerKeyBase
        var placeHits: [GazetteerHit] = []
        let automaton = self.automaton
        // Filled in a local, not through the result (a class): every hit paid a dynamic
        // exclusivity check and a uniqueness check on `result.channels`.
        var channels = result.channels
        result.channels = []
        keyChannelStart.withUnsafeBufferPointer { keyChannelStart in
        keyChannelList.withUnsafeBufferPointer { keyChannelList in
        document.text.withUnsafeBufferPointer { text in
            automaton.scan(text, words: document.words) { hit in
                let range = hit.start ..< hit.end
                if hit.key >= base {
                    placeHits.append(GazetteerHit(key: hit.key - base, start: range.lowerBound, end: range.upperBound,
                                                  words: hit.firstWord ... hit.lastWord))
                    return
                }
                let h = Hit(start: range.lowerBound, end: range.upperBound, words: hit.firstWord ... hit.lastWord)
                for j in Int(keyChannelStart[hit.key]) ..< Int(keyChannelStart[hit.key + 1]) {
                    let c = Int(keyChannelList[j])
                    // One mention per start: [extremist*, "extremist group*"] on "extremist group"
                    // counts once, as the longer. Hits of one start arrive shortest first.
                    if let last = channels[c].last, last.start == h.start {
                        channels[c][channels[c].count - 1] = h
                        continue
                    }
                    // A hit inside the previous one ("cell" in "sleeper cell") is the same mention.
                    if let last = channels[c].last, h.end <= last.end { continue }
                    channels[c].append(h)
                }
            }
        }}}
        result.channels = channels
        if let gazetteer, !placeHits.isEmpty {
            result.places = gazetteer.resolve(placeHits, in: document.text, headlineEnd: result.layout.titleEnd, budget: budget)
            gazetteer.assignRoles(&result.places, text: document.text, layout: result.layout)
        }
        // Most of the 400 phrases have no first word in a document: one pass over the first
        // parts' channels finds the few to join (in order: joins into one target don't commute).
        for p in result.withHits(phraseFirstChannel) {
            joinPhrase(phrases[p].parts, into: phrases[p].target, result)
        }
        return result
    }

    /// Words of the lead, after the headline.
    static let leadWords = 60

    /// Longest first line taken for a headline, in bytes (a long Russian headline is ~250).
    static let headlineBytes = 400

    /// The headline (a short first line with more text after it) and the lead after it.
    static func layout(of document: Document) -> TextLayout {
        let text = document.text
        var titleEnd = 0
        if let firstLine = text.prefix(headlineBytes + 1).firstIndex(of: 0x0A),
           text[firstLine...].contains(where: { $0 > 0x20 }) {
            titleEnd = firstLine
        }
        let words = document.words
        let k = min(words.index(atOrAfter: titleEnd) + leadWords, words.count)
        let leadEnd = k < words.count ? words.start(k) : text.count
        return TextLayout(titleEnd: titleEnd, leadEnd: leadEnd)
    }

    /// Runs of consecutive words, one hit per part, become hits of `target`, kept in text order.
    private func joinPhrase(_ parts: [ScanPlan.Channel], into target: ScanPlan.Channel, _ result: ScanResult) {
        guard let first = parts.first, !result.channels[first].isEmpty else { return }
        var found: [Hit] = []
        outer: for start in result.channels[first] {
            var last = start
            for part in parts.dropFirst() {
                // The next part must begin on the next word. A part's hits are in text order, so
                // it is found by halving: a linear search made a document repeating a phrase
                // quadratic (20,000 repeats took minutes).
                let hits = result.channels[part], word = last.words.upperBound + 1
                var lo = 0, hi = hits.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if hits[mid].words.lowerBound < word { lo = mid + 1 } else { hi = mid }
                }
                guard lo < hits.count, hits[lo].words.lowerBound == word else { continue outer }
                last = hits[lo]
            }
            found.append(Hit(start: start.start, end: last.end, words: start.words.lowerBound ... last.words.upperBound))
        }
        guard !found.isEmpty else { return }
        // Merge, keeping the longest hit where hits overlap (one mention, counted once).
        let all = (result.channels[target] + found).sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var merged: [Hit] = []
        for h in all where merged.last.map({ h.start >= $0.end }) ?? true { merged.append(h) }
        result.channels[target] = merged
    }

    /// The first regex with a prefilter that would match in `scan`'s document although its
    /// prefilter words are absent: a prefilter promises that every match contains one of its
    /// words, and the examples check that promise.
    package func prefilterMiss(_ scan: ScanResult) -> String? {
        for (regex, _, gate) in regexes where gate.map({ scan.channels[$0].isEmpty }) ?? false {
            switch scan.matches(of: regex) {
            case .matches(let r), .limitExceeded(let r):
                if !r.isEmpty { return regex.pattern }
            }
        }
        return nil
    }
}
