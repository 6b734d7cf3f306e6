import WinnowJSON

/// `winnow eval`'s report: a table a person reads, or one JSON object for scripts.
public enum ScorecardReport {
    public static func text(_ s: Scorecard, ruleset: String) -> String {
        var out = "winnow eval: \(s.documents) labelled document(s), \(s.documents - s.unreadable.count) read, ruleset \(ruleset)\n\n"
        out += pad("", 22) + pad("precision", 10, right: true) + pad("recall", 8, right: true) + "     TP   FP   FN\n"
        for (topic, t) in s.topics.sorted(by: { $0.key < $1.key }) { out += row(topic, t) }
        var all = Tally()
        for t in s.topics.values { all += t }
        out += row("all topics", all)
        out += row("countries", s.countries)
        out += "\nby language\n"
        for lang in Set(s.topicsByLanguage.keys).sorted() {
            out += row("  \(lang.isEmpty ? "?" : lang) topics", s.topicsByLanguage[lang] ?? Tally())
            out += row("  \(lang.isEmpty ? "?" : lang) countries", s.countriesByLanguage[lang] ?? Tally())
        }
        out += "\nby format\n"
        for format in Set(s.topicsByFormat.keys).sorted() {
            out += row("  \(format.isEmpty ? "?" : format) topics", s.topicsByFormat[format] ?? Tally())
            out += row("  \(format.isEmpty ? "?" : format) countries", s.countriesByFormat[format] ?? Tally())
        }
        out += "\ntitles: \(s.titlesMatched) of \(s.titlesLabelled) match"
        if s.titlesLabelled > 0 { out += " (\(percent(Double(s.titlesMatched) / Double(s.titlesLabelled))))" }
        out += "\n"
        for m in s.titleMismatches { out += "  \(m.key): expected «\(m.expected)», read «\(m.found)»\n" }
        if !s.unreadable.isEmpty {
            out += "\nunreadable: \(s.unreadable.count)\n"
            for u in s.unreadable { out += "  \(u.key): \(u.reason)\n" }
        }
        if !s.unmatched.isEmpty {
            out += "\nlabelled but not given: \(s.unmatched.joined(separator: ", "))\n"
        }
        if !s.misses.isEmpty {
            out += "\nmisses (\(s.misses.count))\n"
            for m in s.misses { out += "  \(m.key)  \(m.subject)  \(m.kind.rawValue)  \(m.cause)\n" }
        }
        return out
    }

    public static func json(_ s: Scorecard, ruleset: String) -> String {
        var w = JSONWriter()
        w.object { w in
            w.field("ruleset", ruleset)
            w.field("documents", s.documents)
            tallies("topics", s.topics, &w)
            w.key("countries")
            tally(s.countries, &w)
            tallies("topics_by_language", s.topicsByLanguage, &w)
            tallies("countries_by_language", s.countriesByLanguage, &w)
            tallies("topics_by_format", s.topicsByFormat, &w)
            tallies("countries_by_format", s.countriesByFormat, &w)
            w.field("titles_matched", s.titlesMatched)
            w.field("titles_labelled", s.titlesLabelled)
            w.key("unreadable")
            w.array { w in for u in s.unreadable { w.object { w in w.field("document", u.key); w.field("reason", u.reason) } } }
            w.field("unmatched", strings: s.unmatched)
            w.key("misses")
            w.array { w in
                for m in s.misses {
                    w.object { w in
                        w.field("document", m.key)
                        w.field("subject", m.subject)
                        w.field("kind", m.kind.rawValue)
                        w.field("cause", m.cause)
                    }
                }
            }
        }
        return w.string
    }

    private static func tally(_ t: Tally, _ w: inout JSONWriter) {
        w.object { w in
            w.field("tp", t.truePositives)
            w.field("fp", t.falsePositives)
            w.field("fn", t.falseNegatives)
            w.field("tn", t.trueNegatives)
            w.key("precision")
            if let p = t.precision { w.value(p) } else { w.null() }
            w.key("recall")
            if let r = t.recall { w.value(r) } else { w.null() }
        }
    }

    private static func tallies(_ name: String, _ d: [String: Tally], _ w: inout JSONWriter) {
        w.key(name)
        w.object { w in
            for (k, t) in d.sorted(by: { $0.key < $1.key }) {
                w.key(k)
                tally(t, &w)
            }
        }
    }

    private static func row(_ name: String, _ t: Tally) -> String {
        pad(name, 22) + pad(t.precision.map(number) ?? "-", 10, right: true) + pad(t.recall.map(number) ?? "-", 8, right: true)
            + pad("\(t.truePositives)", 7, right: true) + pad("\(t.falsePositives)", 5, right: true)
            + pad("\(t.falseNegatives)", 5, right: true) + "\n"
    }

    private static func number(_ v: Double) -> String {
        let r = (v * 100).rounded()
        let whole = Int(r) / 100, frac = Int(r) % 100
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)"
    }

    private static func percent(_ v: Double) -> String { "\(Int((v * 100).rounded()))%" }

    private static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let n = s.count
        guard n < width else { return s + " " }
        let space = String(repeating: " ", count: width - n)
        return right ? space + s : s + space
    }
}
