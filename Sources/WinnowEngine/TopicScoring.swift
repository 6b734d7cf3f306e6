import WinnowCondition
import WinnowGazetteer
import WinnowRules

/// Topics need evidence that the document is about them (docs/rules.md §Topics): a word in a
/// background clause of a long story fires a rule, but does not make the story a crime story.
extension Ruleset {
    /// Weights of a hit by where it is: what a story is about is in its headline and lead.
    static let headlineWeight = 3, leadWeight = 2, bodyWeight = 1

    /// The weight of a fired rule's evidence (`BoundCondition.strength`): a hit weighs 3 in
    /// the headline, 2 in the lead, 1 elsewhere; a hit with a label (a field, a place count)
    /// is about the whole document and weighs as much as one in the lead.
    func strength(of rule: CompiledRule, _ input: RuleHits, _ scan: ScanResult, _ layout: TextLayout) -> Int {
        var sorted: [Int: [Hit]] = [:]
        return rule.condition.strength(input) { m, i in
            if sorted[m] == nil { sorted[m] = input.sortedHits(m) }
            let hit = sorted[m]![i]
            return scan.label(of: hit) != nil ? Self.leadWeight
                : hit.start < layout.titleEnd ? Self.headlineWeight
                : hit.start < layout.leadEnd ? Self.leadWeight : Self.bodyWeight
        }
    }

    /// Scores each declared topic over the fired rules and marks rules whose every topic fell
    /// short as not counted (they add no tag, level or score). Returns the scores and the tags
    /// the document keeps from counted rules: a topic's tag when it reached `required`, a
    /// rule's `topic/…` sub-tags when the rule's own strength reached `sub-tags` or is the
    /// topic's strongest, and every tag that is no topic's.
    func applyTopics(_ fired: inout [Classification.FiredRule]) -> (scores: [Classification.TopicScore], tags: Set<String>) {
        guard !topics.isEmpty else { return ([], Set(fired.flatMap(\.tags))) }
        var scores: [Classification.TopicScore] = []
        for topic in topics {
            let carriers = fired.filter { $0.tags.contains(where: topic.covers) }
            guard !carriers.isEmpty else { continue }
            let against = fired.filter { rule in rule.tags.contains { topic.against.contains($0) } }
            let score = carriers.reduce(0) { $0 + $1.strength } - against.reduce(0) { $0 + $1.strength }
            scores.append(.init(name: topic.name, score: score, required: topic.required))
        }
        let reached = Dictionary(uniqueKeysWithValues: scores.map { ($0.name, $0.reached) })
        // The strongest rule of a topic always names its sub-topic: a short item has one.
        var strongest: [String: Int] = [:]
        for rule in fired {
            for topic in topics where rule.tags.contains(where: topic.covers) {
                strongest[topic.name] = max(strongest[topic.name] ?? 0, rule.strength)
            }
        }
        var tags = Set<String>()
        for i in fired.indices {
            let own = fired[i].tags.map { tag in (tag, topics.first { $0.covers(tag) }) }
            let topical = own.compactMap(\.1)
            fired[i].counted = topical.isEmpty || topical.contains { reached[$0.name] == true }
            guard fired[i].counted else { continue }
            for (tag, topic) in own {
                guard let topic else { tags.insert(tag); continue }
                guard reached[topic.name] == true else { continue }
                if tag == topic.name || fired[i].strength >= min(topic.subTags, strongest[topic.name] ?? 0) { tags.insert(tag) }
            }
        }
        return (scores, tags)
    }
}
