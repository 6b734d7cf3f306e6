import WinnowCondition
import WinnowDiagnostics
import WinnowGazetteer
import WinnowMatching

/// A rule ready to evaluate.
public struct CompiledRule: Sendable {
    public var id: String
    public var title: String
    public var description: String?
    public var level: Level
    public var tags: [String]
    public var score: Int
    public var pack: String
    public var location: SourceLocation
    public var matcherNames: [String]
    public var matchers: [any CompiledMatcher]
    /// `matchers[i].isExpensive`, asked once instead of per document.
    public var expensiveMatchers: [Bool]
    public var condition: BoundCondition
    public var examples: [Example]
}

/// Everything needed to classify documents: compiled rules plus the shared scan machinery.
///
/// Immutable and `Sendable`: a reload builds a new one off the processing path and swaps it in
/// whole, so a document is always classified by exactly one ruleset, named by `hash`.
public final class Ruleset: Sendable {
    /// 16 hex digits of an XXH3-128 digest (`ContentDigest`) of every file the ruleset was built from.
    public let hash: String
    /// Every file the ruleset was built from (packs, list files, gazetteer files).
    public let files: [String]
    public let rules: [CompiledRule]
    /// Rules with `enabled: false`, with their packs: compiled and checked, never evaluated,
    /// their examples not run.
    public let parked: [(id: String, pack: String)]
    /// Ids of the parked rules.
    public var parkedRules: [String] { parked.map(\.id) }
    public let packs: [(name: String, path: String, rules: Int)]
    /// Tags that need enough evidence (`topics:` in the packs).
    public let topics: [Topic]
    /// Per rule, what its tags mean to the topics, worked out once instead of comparing
    /// strings for every fired rule of every document.
    package let topicLinks: [TopicLinks]
    /// Each rule's place in the order of rule ids: fired rules are sorted by it, without
    /// comparing their ids as strings for every document.
    package let idRank: [Int]
    /// The per-document scan over these rules' words, phrases, regexes and places.
    public let scanner: Scanner
    /// The rules folder's gazetteer, if a pack declares one.
    public var gazetteer: Gazetteer? { scanner.gazetteer }

    init(hash: String, files: [String], rules: [CompiledRule], parkedRules: [(id: String, pack: String)],
         packs: [(name: String, path: String, rules: Int)], topics: [Topic], plan: ScanPlan) {
        self.hash = hash
        self.files = files
        self.rules = rules
        self.parked = parkedRules
        self.packs = packs
        self.topics = topics
        topicLinks = rules.map { TopicLinks(tags: $0.tags, topics: topics) }
        var rank = [Int](repeating: 0, count: rules.count)
        for (position, r) in rules.indices.sorted(by: { rules[$0].id < rules[$1].id }).enumerated() { rank[r] = position }
        idRank = rank
        scanner = Scanner(plan: plan)
    }
}

/// How one rule's tags relate to the ruleset's topics (indexes into `Ruleset.topics`).
package struct TopicLinks: Sendable {
    /// For each tag, the first topic that covers it (the topic or one of its sub-tags), or -1.
    package let topicOfTag: [Int]
    /// Every topic that covers one of the tags, in topic order.
    package let covered: [Int]
    /// Every topic that lists one of the tags under `against`, in topic order.
    package let against: [Int]

    init(tags: [String], topics: [Topic]) {
        topicOfTag = tags.map { tag in topics.firstIndex { $0.covers(tag) } ?? -1 }
        covered = topics.indices.filter { t in tags.contains(where: topics[t].covers) }
        against = topics.indices.filter { t in tags.contains { topics[t].against.contains($0) } }
    }
}
