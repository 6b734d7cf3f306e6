import WinnowGazetteer
import WinnowMatching
import WinnowText

/// Work shared by all matchers of a ruleset, gathered at compile time and run once per document.
///
/// Matchers subscribe to channels: a channel is the hit list of one set of terms or one regex.
/// Identical terms from different matchers share one automaton key, so a document is scanned
/// once however many rules use a word.
public struct ScanPlan: Sendable {
    public typealias Channel = Int

    public private(set) var keys: [LiteralAutomaton.Key] = []
    private var keyIndex: [LiteralAutomaton.Key: Int] = [:]
    /// For each automaton key, the channels it feeds.
    public private(set) var keyChannels: [[Int32]] = []
    /// Regexes and their channels; a regex with a `gate` runs only when the gate channel (its
    /// prefilter words) has a hit in the document.
    public private(set) var regexes: [(regex: PCRE2Regex, channel: Channel, gate: Channel?)] = []
    /// Phrases with `*` inside (`организованн* преступн*`): each word is its own key, and a hit
    /// is a run of consecutive words, one per part, joined into `target` after the scan.
    public private(set) var phrases: [(parts: [Channel], target: Channel)] = []
    public private(set) var channelCount = 0
    /// The folder's gazetteer, when a pack declares one; `places` matchers need it.
    public var gazetteer: Gazetteer?

    public init() {}

    /// A channel fed by every hit of any of `keys`.
    public mutating func addKeys(_ newKeys: [LiteralAutomaton.Key]) -> Channel {
        let channel = channelCount
        channelCount += 1
        for key in newKeys {
            let k: Int
            if let existing = keyIndex[key] {
                k = existing
            } else {
                k = keys.count
                keys.append(key)
                keyIndex[key] = k
                keyChannels.append([])
            }
            if keyChannels[k].last != Int32(channel) { keyChannels[k].append(Int32(channel)) }
        }
        return channel
    }

    /// Feeds `target` with runs of consecutive words where word i matches `parts[i]`.
    public mutating func addPhrase(_ parts: [LiteralAutomaton.Key], into target: Channel) {
        let channels = parts.map { addKeys([$0]) }
        phrases.append((channels, target))
    }

    /// A channel fed by the matches of `regex`, looked for only in documents where `gate` has a hit.
    public mutating func addRegex(_ regex: PCRE2Regex, gate: Channel? = nil) -> Channel {
        let channel = channelCount
        channelCount += 1
        regexes.append((regex, channel, gate))
        return channel
    }

    /// A channel no shared machinery feeds (kinds that compute their own hits).
    public mutating func addChannel() -> Channel {
        defer { channelCount += 1 }
        return channelCount
    }
}

/// The hits of every channel in one document.
///
/// Literal channels are filled by the one scan. Regex channels are filled on first use: a rule
/// whose cheaper matchers already decide the condition never runs its regexes.
public final class ScanResult: @unchecked Sendable {
    public var channels: [[Hit]]
    /// Regexes that stopped at their limit: (channel, pattern).
    public var limitedRegexes: [(channel: ScanPlan.Channel, pattern: String)] = []
    /// Places the document mentions, resolved (empty without a gazetteer).
    public var places = PlaceResolution()
    /// Regex channels not run yet, and how to run one.
    private var pending: [ScanPlan.Channel: (regex: PCRE2Regex, gate: ScanPlan.Channel?)] = [:]
    private let runRegex: ((PCRE2Regex) -> PCRE2Regex.MatchOutcome)?
    private let toHits: (([Range<Int>]) -> [Hit])?

    public init(channelCount: Int) {
        channels = Array(repeating: [], count: channelCount)
        runRegex = nil
        toHits = nil
    }

    /// A result whose `regexes` run on first access, over `text`; `toHits` turns byte ranges
    /// into hits with word positions.
    public init(channelCount: Int, regexes: [(regex: PCRE2Regex, channel: ScanPlan.Channel, gate: ScanPlan.Channel?)],
                run: @escaping (PCRE2Regex) -> PCRE2Regex.MatchOutcome, toHits: @escaping ([Range<Int>]) -> [Hit]) {
        channels = Array(repeating: [], count: channelCount)
        for (regex, channel, gate) in regexes { pending[channel] = (regex, gate) }
        runRegex = run
        self.toHits = toHits
    }

    public subscript(channel: ScanPlan.Channel) -> [Hit] {
        if let (regex, gate) = pending.removeValue(forKey: channel), let runRegex, let toHits {
            // Gate channels are literal channels, complete once the scan is done.
            if let gate, channels[gate].isEmpty { return [] }
            switch runRegex(regex) {
            case .matches(let r):
                channels[channel] = toHits(r)
            case .limitExceeded(let r):
                channels[channel] = toHits(r)
                limitedRegexes.append((channel, regex.pattern))
            }
        }
        return channels[channel]
    }

    /// Whether reading `channel` would run a regex now.
    public func isPending(_ channel: ScanPlan.Channel) -> Bool { pending[channel] != nil }
}
