import WinnowCondition

/// The condition language: parse, bind to a rule's matcher names, evaluate and weigh against
/// hits as the engine does.
enum ConditionFuzzing {
    /// Names a condition may use; `them` and `any of (a*)` reach all of them.
    static let matchers = ["a", "b", "c", "actor", "act", "place", "place-2", "ab.c"]

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        guard let expr = try? ConditionParser.parse(text),
              case .success(let bound) = BoundCondition.bind(expr, matchers: matchers) else { return }
        for hits in [Hits.none, Hits.some, Hits.many] {
            _ = bound.evaluate(hits)
            _ = bound.strength(hits) { m, i in m + i + 1 }
            for m in matchers.indices { _ = bound.supportingHits(of: m, hits) }
        }
    }

    /// Hits of each matcher, as word spans sorted by their first word.
    struct Hits: ConditionInput {
        var spans: [[WordSpan]]

        func count(_ matcher: Int) -> Int { spans[matcher].count }
        func spans(_ matcher: Int) -> [WordSpan] { spans[matcher] }
        func isExpensive(_ matcher: Int) -> Bool { matcher % 3 == 2 }

        static let none = Hits(spans: matchers.map { _ in [] })
        /// Every other matcher hits, some spans over several words, some sharing words.
        static let some = Hits(spans: matchers.indices.map { m in
            m % 2 == 0 ? [] : [WordSpan(first: m, last: m), WordSpan(first: 10 * m, last: 10 * m + 2)]
        })
        /// Many hits, far apart and close together, up to a long document's word count.
        static let many = Hits(spans: matchers.indices.map { m in
            (0 ..< 200).map { i in
                let first = i * (m + 1) * 37 + (i % 2 == 0 ? 0 : 1_000_000)
                return WordSpan(first: first, last: first + m % 3)
            }.sorted { $0.first < $1.first }
        })
    }
}
