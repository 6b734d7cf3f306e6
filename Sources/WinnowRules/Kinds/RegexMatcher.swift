import WinnowDiagnostics
import WinnowMatching
import WinnowFormats
import WinnowText
import WinnowYAML

/// PCRE2 regular expressions over the document as written (not folded), case-insensitive unless
/// `case-sensitive: true`. Each pattern runs once per document with match and depth limits.
struct RegexMatcher: MatcherKind {
    static let name = "regex"
    static let summary = "PCRE2 patterns over the original text; case-insensitive unless `case-sensitive: true`."
    static let options = ["case-sensitive"]
    static let examples: [KindExample] = [
        .match(#"{regex: '\bgunm[ae]n\b'}"#, in: "Police said «gunmen» stormed a shop."),
        .match(#"{regex: '\b\d{1,3} (?:people|persons) (?:were )?killed'}"#, in: "At least «10 people were killed» on Sunday."),
        .match(#"{regex: '\bIS\b', case-sensitive: true}"#, in: "fighters loyal to «IS» in Syria"),
        .noMatch(#"{regex: '\bIS\b', case-sensitive: true}"#, in: "This is what it is."),
        .noMatch(#"{regex: '\bgunm[ae]n\b'}"#, in: "A gunmetal grey car."),
        .match(#"{regex: [{pattern: '\b\d+ (?:were )?killed', prefilter: [killed]}]}"#, in: "Police said «12 were killed» on Sunday."),
        .noMatch(#"{regex: [{pattern: '\b\d+ (?:were )?killed', prefilter: [killed]}]}"#, in: "Police said 12 were hurt, none killed."),
    ]

    /// Each pattern with its prefilter: word terms of which every match contains one, so the
    /// pattern need not run in a document that has none of them.
    let patterns: [(regex: PCRE2Regex, prefilter: [[LiteralAutomaton.Key]]?)]

    static let patternKeys = ["pattern", "prefilter"]

    init?(decoding node: MappingReader, context: DecodeContext, diagnostics: inout Diagnostics) {
        guard let value = node[Self.name] else { return nil }
        let before = diagnostics.errorCount
        var options = PCRE2Regex.Options()
        if let cs = node["case-sensitive"]?.bool("case-sensitive", &diagnostics) { options.caseInsensitive = !cs }
        let items: [YAMLNode] = value.sequence ?? [value]
        var patterns: [(regex: PCRE2Regex, prefilter: [[LiteralAutomaton.Key]]?)] = []
        for item in items {
            var patternNode = item
            var prefilter: [[LiteralAutomaton.Key]]?
            // `{pattern: '…', prefilter: [words]}`: the pattern runs only where a word occurs.
            if item.mapping != nil {
                guard let r = MappingReader(item, what: "a regex pattern", allowed: Self.patternKeys, diagnostics: &diagnostics),
                      let p = r.required("pattern", what: "a regex pattern", diagnostics: &diagnostics) else { continue }
                patternNode = p
                if let words = r["prefilter"] {
                    let written = WordsMatcher.terms(words, key: "prefilter", context: context, diagnostics: &diagnostics) ?? .init()
                    if written.terms.isEmpty {
                        diagnostics.append(.error(.invalidValue, "'prefilter' has no terms", at: words.location))
                    }
                    prefilter = WordsMatcher.keys(for: written, context: context, diagnostics: &diagnostics)
                }
            }
            guard let s = patternNode.scalar, !s.isNull, !s.value.isEmpty else {
                diagnostics.append(.error(.wrongType, "'regex' should be a pattern or a list of patterns, found \(patternNode.kindDescription)",
                                          at: patternNode.location))
                continue
            }
            do {
                patterns.append((try PCRE2Regex(s.value, options: options), prefilter))
            } catch {
                diagnostics.append(Self.diagnostic(error, pattern: s, at: patternNode.location))
            }
        }
        self.patterns = patterns
        if diagnostics.errorCount > before { return nil }
    }

    /// Points at the column inside the pattern when it is written on one line; in a
    /// double-quoted scalar escapes shift columns, so single quotes are recommended.
    static func diagnostic(_ e: PCRE2Regex.CompileError, pattern: YAMLNode.Scalar, at location: SourceLocation) -> Diagnostic {
        let quoted = pattern.style == .singleQuoted || pattern.style == .doubleQuoted
        let exact = pattern.style == .plain || pattern.style == .singleQuoted
        let message = "regex does not compile: \(e.message)"
        if exact, !pattern.value.contains("\n"), !pattern.value.contains("'") {
            return .error(.badRegex, message, at: location.advanced(byColumns: e.scalarOffset + (quoted ? 1 : 0)))
        }
        return .error(.badRegex, "\(message) (at character \(e.scalarOffset + 1) of the pattern)", at: location)
    }

    func compile(into plan: inout ScanPlan) throws(Diagnostic) -> any CompiledMatcher {
        var channels: [ScanPlan.Channel] = []
        for (regex, prefilter) in patterns {
            let gate = prefilter.map { WordsMatcher.channel(for: $0, into: &plan) }
            channels.append(plan.addRegex(regex, gate: gate))
        }
        return MergedMatcher(channels: channels)
    }
}

/// The hits of several channels, merged in text order.
struct MergedMatcher: CompiledMatcher {
    let channels: [ScanPlan.Channel]
    var isExpensive: Bool { true }

    func hits(in document: Document, scan: ScanResult) -> [Hit] {
        if channels.count == 1 { return scan[channels[0]] }
        return channels.flatMap { scan[$0] }.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }
}
