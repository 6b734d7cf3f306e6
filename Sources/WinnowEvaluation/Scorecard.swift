/// What Winnow said about one labelled document, as `winnow eval` scores it.
public struct Prediction: Sendable {
    /// `name` or `name#N`, as in the labels.
    public var key: String
    /// Why the document could not be read; then it predicts nothing.
    public var failure: String?
    public var tags: [String]
    /// Each predicted country with the text that made it one (`France` from `French police`).
    public var countries: [String: String]
    public var title: String
    public var format: String
    /// Per fired rule: its id, tags, and the first evidence texts.
    public var rules: [(id: String, tags: [String], evidence: [String])]
    /// Per topic some rule carried: its score and the score it needed.
    public var topicScores: [String: (score: Int, required: Int)]

    public init(key: String, failure: String? = nil, tags: [String] = [], countries: [String: String] = [:], title: String = "",
                format: String = "", rules: [(id: String, tags: [String], evidence: [String])] = [],
                topicScores: [String: (score: Int, required: Int)] = [:]) {
        self.topicScores = topicScores
        self.key = key
        self.failure = failure
        self.tags = tags
        self.countries = countries
        self.title = title
        self.format = format
        self.rules = rules
    }

    /// Whether a tag says the document is about `topic` (`topic` itself or `topic/…`).
    func isAbout(_ topic: String) -> Bool {
        tags.contains { $0 == topic || $0.hasPrefix(topic + "/") }
    }
}

/// Labels against predictions, scored as the corpus's README says: each `+topic`/`-topic` is a
/// decision; countries are micro-averaged over rows; an unreadable document predicts nothing.
public struct Scorecard: Sendable {
    public enum MissKind: String, Sendable {
        /// Labelled about the topic (or the country), not tagged.
        case missed
        /// Labelled not about it, tagged.
        case falseAlarm = "false alarm"
    }

    /// A wrong decision, with what caused it.
    public struct Miss: Sendable {
        public var key: String
        /// A topic, or `country XX`.
        public var subject: String
        public var kind: MissKind
        /// The rules and evidence behind a false alarm; the place text behind a wrong country.
        public var cause: String
    }

    public var topics: [String: Tally] = [:]
    public var countries = Tally()
    /// Topic decisions and countries by language and by format.
    public var topicsByLanguage: [String: Tally] = [:]
    public var countriesByLanguage: [String: Tally] = [:]
    public var topicsByFormat: [String: Tally] = [:]
    public var countriesByFormat: [String: Tally] = [:]
    public var titlesMatched = 0
    public var titlesLabelled = 0
    public var titleMismatches: [(key: String, expected: String, found: String)] = []
    public var documents = 0
    public var unreadable: [(key: String, reason: String)] = []
    /// Labelled rows no document was given for.
    public var unmatched: [String] = []
    public var misses: [Miss] = []

    public init(labels: LabelSet, predictions: [Prediction]) {
        let byKey = Dictionary(predictions.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for row in labels.rows {
            guard let p = byKey[row.key] else {
                unmatched.append(row.key)
                continue
            }
            documents += 1
            if let failure = p.failure { unreadable.append((row.key, failure)) }
            score(row, p)
        }
    }

    private mutating func score(_ row: LabelSet.Row, _ p: Prediction) {
        let readable = p.failure == nil
        var topicTally = Tally()
        for (topic, about) in row.topics {
            let said = readable && p.isAbout(topic)
            var t = Tally()
            switch (about, said) {
            case (true, true): t.truePositives = 1
            case (true, false): t.falseNegatives = 1
            case (false, true): t.falsePositives = 1
            case (false, false): t.trueNegatives = 1
            }
            topics[topic, default: Tally()] += t
            topicTally += t
            if about != said {
                let short = p.topicScores[topic].map { "evidence \($0.score) of the \($0.required) required" }
                let cause = about ? (readable ? short ?? "no rule tagged it" : "unreadable: \(p.failure ?? "")")
                    : p.rules.filter { $0.tags.contains { $0 == topic || $0.hasPrefix(topic + "/") } }
                        .map { "\($0.id) («\($0.evidence.prefix(3).joined(separator: "», «"))»)" }.joined(separator: "; ")
                misses.append(Miss(key: row.key, subject: topic, kind: about ? .missed : .falseAlarm, cause: cause))
            }
        }
        var countryTally = Tally()
        let predicted = readable ? Set(p.countries.keys) : []
        countryTally.truePositives = predicted.intersection(row.countries).count
        countryTally.falsePositives = predicted.subtracting(row.countries).count
        countryTally.falseNegatives = row.countries.subtracting(predicted).count
        for c in predicted.subtracting(row.countries).sorted() {
            misses.append(Miss(key: row.key, subject: "country \(c)", kind: .falseAlarm, cause: "from «\(p.countries[c] ?? c)»"))
        }
        for c in row.countries.subtracting(predicted).sorted() {
            misses.append(Miss(key: row.key, subject: "country \(c)", kind: .missed, cause: readable ? "not found" : "unreadable"))
        }
        countries += countryTally
        topicsByLanguage[row.language, default: Tally()] += topicTally
        countriesByLanguage[row.language, default: Tally()] += countryTally
        topicsByFormat[row.format, default: Tally()] += topicTally
        countriesByFormat[row.format, default: Tally()] += countryTally
        if let expected = row.title {
            titlesLabelled += 1
            if readable, Self.sameTitle(expected, p.title) {
                titlesMatched += 1
            } else {
                titleMismatches.append((row.key, expected, readable ? p.title : "(unreadable)"))
            }
        }
    }

    /// Titles compare in any case, with whitespace collapsed and typographic quotes and dashes
    /// as their plain forms.
    static func sameTitle(_ a: String, _ b: String) -> Bool {
        func normal(_ s: String) -> String {
            var out = ""
            for ch in s.lowercased() {
                switch ch {
                case "\u{2018}", "\u{2019}", "\u{201B}", "`", "\u{00B4}": out.append("'")
                case "\u{201C}", "\u{201D}", "\u{00AB}", "\u{00BB}", "\u{201E}": out.append("\"")
                case "\u{2013}", "\u{2014}", "\u{2212}": out.append("-")
                case "\u{00A0}": out.append(" ")
                default: out.append(ch)
                }
            }
            return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return normal(a) == normal(b)
    }
}
