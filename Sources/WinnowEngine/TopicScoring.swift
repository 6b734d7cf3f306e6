import WinnowCondition
import WinnowGazetteer
import WinnowRules

/// Topics need evidence that the document is about them (docs/rules.md §Topics): a word in a
/// background clause of a long story fires a rule, but does not make the story a crime story.
extension Ruleset {
    /// Weights by where a hit is: what a story is about is in its headline and lead.
    static let headlineWeight = 3, leadWeight = 2, bodyWeight = 1

    /// The weight of a fired rule's evidence (`BoundCondition.strength`): a hit weighs 2 in the
    /// lead and 1 elsewhere; a hit with a label (a field, a place count) is about the whole
    /// document and weighs 2. A rule any of whose evidence matchers (other than `places`) also
    /// hits the headline gains 3, once: the rule fired, so the sense is settled, and the headline says that is
    /// what the story is about ("US hacker breaks into …" over a body that says "arrested …
    /// unauthorised access").
    func strength(of rule: CompiledRule, _ input: RuleHits, _ scan: ScanResult, _ layout: TextLayout) -> (strength: Int, inHeadline: Bool) {
        // Weights are asked hit by hit, a matcher's hits in a row: its sorted hits are fetched
        // once for the row, not once per hit.
        var matcher = -1, sorted: [Hit] = []
        // The rule fired: its condition is true.
        let strength = rule.condition.strength(ofTrue: input) { m, i in
            if m != matcher { matcher = m; sorted = input.sortedHits(m) }
            let hit = sorted[i]
            if scan.hasLabel(hit) { return Self.leadWeight }
            return hit.start >= layout.titleEnd && hit.start < layout.leadEnd ? Self.leadWeight : Self.bodyWeight
        }
        guard strength > 0, layout.titleEnd > 0 else { return (strength, false) }
        let inHeadline = rule.condition.evidenceMatchers.contains { m in
            !rule.matchers[m].locates && input.sortedHits(m).contains { $0.start < layout.titleEnd && !scan.hasLabel($0) }
        }
        return inHeadline ? (strength + Self.headlineWeight, true) : (strength, false)
    }

    /// Scores each declared topic over the fired rules and marks rules whose every topic fell
    /// short as not counted (they add no tag, level or score). Returns the scores and the tags
    /// the document keeps from counted rules: a topic's tag when it reached `required`, a
    /// rule's `topic/…` sub-tags when the rule's own strength reached `sub-tags` or is the
    /// topic's strongest, and every tag that is no topic's.
    func applyTopics(_ fired: inout [Classification.FiredRule]) -> (scores: [Classification.TopicScore], tags: Set<String>) {
        guard !topics.isEmpty else { return ([], Set(fired.flatMap(\.tags))) }
        // A sub-tag needs the rule's own evidence: a headline word shared by many rules
        // ("Extremists") raises the topic, not each rule's sub-topic. The strongest rule of a
        // topic always names its sub-topic: a short item has one.
        func own(_ rule: Classification.FiredRule) -> Int { rule.strength - (rule.inHeadline ? Self.headlineWeight : 0) }
        var carried = [Bool](repeating: false, count: topics.count)
        var score = [Int](repeating: 0, count: topics.count)
        var strongest = [Int](repeating: 0, count: topics.count)
        for i in fired.indices {
            let links = topicLinks[fired[i].rule]
            for t in links.covered {
                carried[t] = true
                score[t] += fired[i].strength
                strongest[t] = max(strongest[t], own(fired[i]))
            }
            for t in links.against { score[t] -= fired[i].strength }
        }
        let scores = topics.indices.filter { carried[$0] }.map {
            Classification.TopicScore(name: topics[$0].name, score: score[$0], required: topics[$0].required)
        }
        let reached = topics.indices.map { carried[$0] && score[$0] >= topics[$0].required }
        var tags = Set<String>()
        for i in fired.indices {
            let links = topicLinks[fired[i].rule]
            fired[i].counted = !links.topicOfTag.contains { $0 >= 0 } || links.topicOfTag.contains { $0 >= 0 && reached[$0] }
            guard fired[i].counted else { continue }
            for (tag, t) in zip(fired[i].tags, links.topicOfTag) {
                guard t >= 0 else { tags.insert(tag); continue }
                guard reached[t] else { continue }
                if tag == topics[t].name || own(fired[i]) >= min(topics[t].subTags, strongest[t]) { tags.insert(tag) }
            }
        }
        // A pack whose rules carry only sub-tags (`crime/drugs`) still names the topic.
        for t in topics.indices where reached[t] { tags.insert(topics[t].name) }
        return (scores, tags)
    }
}
