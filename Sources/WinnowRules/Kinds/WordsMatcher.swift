import Foundation
import WinnowDiagnostics
import WinnowMatching
import WinnowFormats
import WinnowText
import WinnowYAML

/// Whole words and phrases, in any case, with or without accents; `*` allows endings.
///
/// Terms come from the list under `words:`, where `$name` pulls in a pack list. All terms of
/// all rules join the one automaton (`ScanPlan`), so adding a rule adds no scan.
struct WordsMatcher: MatcherKind {
    static let name = "words"
    static let summary = "Whole words or phrases, any case or accent; `*` allows endings; `except:` and `case-sensitive:` refine."
    static let options = ["except", "case-sensitive"]
    static let examples: [KindExample] = [
        .match("{words: [extremist*]}", in: "Police blamed «extremists» for the attack."),
        .match("{words: [\"sleeper cell\"]}", in: "a «sleeper-cell» inspired by propaganda"),
        .match("{words: [\"sleeper cell\"]}", in: "a «sleeper\ncell»"),
        .match("{words: [актобе]}", in: "В «Актобе» произошла перестрелка."),
        .match("{words: [ақтөбе]}", in: "В «Актобе» произошла перестрелка."),
        .match("{words: [cafe]}", in: "at the «Café» on the corner"),
        .match("{words: [\"организованн* преступн* групп*\"]}", in: "участники «организованной преступной группы»"),
        .noMatch("{words: [extremist*]}", in: "An extremely hot summer."),
        .noMatch("{words: [attack]}", in: "He suffered a heart attacks."),
        .noMatch("{words: [art]}", in: "A martial parade."),
        .match("{words: [attack*], except: [\"heart attack*\"]}", in: "a heart attack, then an «attack» on the base"),
        .noMatch("{words: [attack*], except: [\"heart attack*\", \"panic attack*\"]}", in: "He had a heart attack."),
        .match("{words: [IS, ISIS], case-sensitive: true}", in: "fighters loyal to «IS» and «ISIS»"),
        .noMatch("{words: [IS], case-sensitive: true}", in: "This is what it is."),
    ]

    /// One entry per term: a single key, or one key per word for phrases with inner `*`.
    let keys: [[LiteralAutomaton.Key]]
    /// Terms whose hits cancel overlapping hits of this matcher ("heart attack" for "attack").
    let exceptKeys: [[LiteralAutomaton.Key]]
    /// With `case-sensitive: true`, the terms as written, to compare hits against.
    let exactTerms: [(text: String, isPrefix: Bool)]?

    init?(decoding node: MappingReader, context: DecodeContext, diagnostics: inout Diagnostics) {
        guard let value = node[Self.name] else { return nil }
        let before = diagnostics.errorCount
        guard let written = Self.terms(value, key: Self.name, context: context, diagnostics: &diagnostics) else { return nil }
        if written.terms.isEmpty, diagnostics.errorCount == before {
            diagnostics.append(.error(.invalidValue, "'words' has no terms", at: value.location))
        }
        keys = Self.keys(for: written, context: context, diagnostics: &diagnostics)
        var except = WrittenTerms()
        if let node = node["except"] {
            except = Self.terms(node, key: "except", context: context, diagnostics: &diagnostics) ?? WrittenTerms()
        }
        exceptKeys = Self.keys(for: except, context: context, diagnostics: &diagnostics)
        let caseSensitive = node["case-sensitive"]?.bool("case-sensitive", &diagnostics) ?? false
        exactTerms = caseSensitive ? written.terms.map { t in
            let text = t.text.trimmingCharacters(in: .whitespaces)
            return text.hasSuffix("*") ? (Self.normalised(String(text.dropLast())), true) : (Self.normalised(text), false)
        } : nil
        if diagnostics.errorCount > before { return nil }
    }

    static func keys(for terms: [Term], context: DecodeContext, diagnostics: inout Diagnostics) -> [[LiteralAutomaton.Key]] {
        context.termKeys.keys(for: terms, compiling: { (term) throws(Diagnostic) in try Self.keys(for: term) }) { term, error in
            if context.termKeys.isFirstReport(of: term) { diagnostics.append(error) }
        }
    }

    /// The keys of a list's own terms, those that compile, in order. Each is compiled here once
    /// (rules that use the list take these keys), so they skip the memo: a million-term list
    /// spent a fifth of its start filling it.
    static func listKeys(for terms: [Term], context: DecodeContext, diagnostics: inout Diagnostics) -> [[LiteralAutomaton.Key]] {
        var out: [[LiteralAutomaton.Key]] = []
        out.reserveCapacity(terms.count)
        for term in terms {
            do throws(Diagnostic) {
                out.append(try Self.keys(for: term))
            } catch {
                if context.termKeys.isFirstReport(of: term) { diagnostics.append(error) }
            }
        }
        return out
    }

    /// The keys of the terms written, in order: a list's as the list compiled them, the others
    /// term by term.
    static func keys(for written: WrittenTerms, context: DecodeContext, diagnostics: inout Diagnostics) -> [[LiteralAutomaton.Key]] {
        var out: [[LiteralAutomaton.Key]] = []
        var from = 0
        for list in written.compiledLists {
            out += Self.keys(for: Array(written.terms[from ..< list.terms.lowerBound]), context: context, diagnostics: &diagnostics)
            out += list.keys
            from = list.terms.upperBound
        }
        out += Self.keys(for: Array(written.terms[from...]), context: context, diagnostics: &diagnostics)
        return out
    }

    /// Terms as written under a key, in order, and which of them came from a list whose keys
    /// are known: a rule using a list of a million terms looked each one up again.
    struct WrittenTerms {
        var terms: [Term] = []
        var compiledLists: [(terms: Range<Int>, keys: [[LiteralAutomaton.Key]])] = []
    }

    /// The terms under `key`: a list whose items are terms or `$list` references, or one of them.
    static func terms(_ value: YAMLNode, key: String, context: DecodeContext, diagnostics: inout Diagnostics) -> WrittenTerms? {
        var written = WrittenTerms()
        let items: [YAMLNode]
        if let seq = value.sequence {
            items = seq
        } else if value.scalar != nil {
            items = [value]
        } else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a list of terms or a '$list' reference, found \(value.kindDescription)",
                                      at: value.location))
            return nil
        }
        for item in items {
            guard let s = item.scalar, !s.isNull else {
                diagnostics.append(.error(.wrongType, "each term under '\(key)' should be text, found \(item.kindDescription)",
                                          at: item.location))
                continue
            }
            if s.style == .plain, s.value.hasPrefix("$") {
                switch context.lists.resolve(String(s.value.dropFirst()), from: context.pack, at: item.location) {
                case .success(let list):
                    let start = written.terms.count
                    written.terms += list.terms
                    if let keys = list.keys { written.compiledLists.append((start ..< written.terms.count, keys)) }
                case .failure(let d): diagnostics.append(d)
                }
            } else {
                let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
                written.terms.append(Term(s.value, at: quoted ? item.location.advanced(byColumns: 1) : item.location))
            }
        }
        return written
    }

    /// Runs of whitespace and hyphens as one space, as phrases match them.
    static func normalised(_ s: String) -> String {
        var out = ""
        var space = false
        for c in s.unicodeScalars {
            if c.properties.isWhitespace || c == "-" || c == "\u{2010}" || c == "\u{2011}" {
                if !space { out.unicodeScalars.append(" ") }
                space = true
            } else if c != "\u{AD}" {
                out.unicodeScalars.append(c)
                space = false
            }
        }
        return out
    }

    func compile(into plan: inout ScanPlan) throws(Diagnostic) -> any CompiledMatcher {
        let channel = Self.channel(for: keys, into: &plan)
        guard !exceptKeys.isEmpty || exactTerms != nil else { return ChannelMatcher(channel: channel) }
        return RefinedWords(channel: channel, except: exceptKeys.isEmpty ? nil : Self.channel(for: exceptKeys, into: &plan),
                            exactTerms: exactTerms)
    }

    static func channel(for keys: [[LiteralAutomaton.Key]], into plan: inout ScanPlan) -> ScanPlan.Channel {
        plan.addTerms(keys.filter { $0.count == 1 }.map { $0[0] }, phrases: keys.filter { $0.count > 1 })
    }

    /// The automaton keys for a term: one, or one per word when a word inside a phrase ends
    /// in `*` (`организованн* преступн*`). Throws a diagnostic saying why a term cannot match.
    static func keys(for term: Term) throws(Diagnostic) -> [LiteralAutomaton.Key] {
        // Only a `*` can end a word inside a phrase: most terms have none and are one key,
        // without splitting them into words (a tenth of starting with a million-term list).
        guard term.text.utf8.contains(UInt8(ascii: "*")) else { return [try key(for: term, whole: term)] }
        // Split on scalars, not Characters: a million-term list spent seconds of its compile in
        // grapheme breaking (docs/performance.md).
        let words = term.text.unicodeScalars.split(whereSeparator: isSpace)
        if words.count > 1, words.dropLast().contains(where: { $0.last == "*" }) {
            var keys: [LiteralAutomaton.Key] = []
            for word in words {
                keys.append(try key(for: Term(String(word), at: term.location), whole: term))
            }
            return keys
        }
        return [try key(for: term, whole: term)]
    }

    @inline(__always)
    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c.value < 0x80 ? c == " " || (c.value >= 0x09 && c.value <= 0x0D) : c.properties.isWhitespace
    }

    private static func key(for part: Term, whole term: Term) throws(Diagnostic) -> LiteralAutomaton.Key {
        var text = part.text.trimmingWhitespace
        let isPrefix = text.hasSuffix("*")
        if isPrefix { text.removeLast() }
        // The term's length in scalars, for a diagnostic's underline; counted only for one.
        var length: Int { term.text.unicodeScalars.count }
        if text.utf8.contains(UInt8(ascii: "*")) {
            throw .error(.badTerm, "'*' may only end a word, as in 'extremis*' or 'организованн* преступн*'; found '\(term.text)'", at: term.location, length: length)
        }
        if text.utf8.contains(UInt8(ascii: "?")) {
            throw .error(.badTerm, "'?' wildcards are not supported in words; list each form, as in [gunman, gunmen], or use a regex",
                         at: term.location, length: length)
        }
        guard let key = LiteralAutomaton.Key(folding: text, isPrefix: isPrefix) else {
            // `b: [$a]` looks like a list including another, which lists cannot do.
            let advice = text.hasPrefix("$") ? "'\(text)' names a list only in a matcher, unquoted; a list cannot include another"
                                             : "use a regex for anything else"
            throw .error(.badTerm, "term '\(term.text)' must start with a letter or digit; \(advice)",
                         at: term.location, length: length)
        }
        if isPrefix, !key.endsInWord {
            throw .error(.badTerm, "'*' must follow a letter or digit, as in 'extremis*'; found '\(term.text)'",
                         at: term.location, length: length)
        }
        if isPrefix, text.unicodeScalars.count < 3 {
            throw .error(.badTerm, "'\(part.text)' would match almost any word; give at least three letters before '*'",
                         at: term.location, length: length)
        }
        return key
    }
}

/// Words hits minus those inside an `except` hit, and, when case-sensitive, minus those not
/// written exactly as a term.
struct RefinedWords: CompiledMatcher {
    let channel: ScanPlan.Channel
    let except: ScanPlan.Channel?
    let exactTerms: [(text: String, isPrefix: Bool)]?

    func hits(in document: Document, scan: ScanResult) -> [Hit] {
        var hits = scan[channel]
        if let except {
            let blocked = scan[except]
            if !blocked.isEmpty {
                // Hits are in text order, so the blocked hits that start before h ends are a
                // prefix, and one of them overlaps h when the furthest end among them passes
                // h's start. Comparing every pair made a document full of both quadratic.
                var reach: [Int] = []
                reach.reserveCapacity(blocked.count)
                for b in blocked { reach.append(max(reach.last ?? Int.min, b.end)) }
                hits.removeAll { h in
                    var lo = 0, hi = blocked.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if blocked[mid].start < h.end { lo = mid + 1 } else { hi = mid }
                    }
                    return lo > 0 && reach[lo - 1] > h.start
                }
            }
        }
        if let exactTerms {
            hits.removeAll { h in
                let written = WordsMatcher.normalised(document.text(h.start ..< h.end))
                return !exactTerms.contains { $0.isPrefix ? written.hasPrefix($0.text) : written == $0.text }
            }
        }
        return hits
    }
}

/// Hands on the hits of one scan channel unchanged.
struct ChannelMatcher: CompiledMatcher {
    let channel: ScanPlan.Channel

    func hits(in document: Document, scan: ScanResult) -> [Hit] { scan[channel] }
}
