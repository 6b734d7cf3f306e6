import WinnowDiagnostics
import WinnowRules
import WinnowFormats
import WinnowText

/// The outcome of one embedded example.
public struct ExampleResult: Sendable {
    public var ruleID: String
    public var example: Example
    public var passed: Bool
    /// What the rule matched on the example (for a failing no-match example), or what the rule's
    /// matchers found (for a failing match example).
    public var detail: String
    /// A regex that matches the example although its prefilter found none of its words there.
    public var prefilterMiss: String?

    /// The failure as a diagnostic at the example's position.
    public var diagnostic: Diagnostic {
        if var pattern = prefilterMiss {
            if let line = pattern.split(separator: "\n").first, line.count < pattern.count { pattern = line + " …" }
            return .error(.exampleFailed, "regex '\(pattern)' matches this example, but none of its prefilter words occur in it, so documents like it are never matched; add the word the match contains to 'prefilter'",
                          at: example.location)
        }
        let expectation = example.shouldMatch ? "should fire" : "should not fire"
        return .error(.exampleFailed, "rule '\(ruleID)' \(expectation) on this example, but \(example.shouldMatch ? "did not" : "did")\(detail.isEmpty ? "" : ": \(detail)")",
                      at: example.location)
    }
}

extension Ruleset {
    /// Runs every example of every rule (optionally only rules of the named packs).
    public func runExamples(packs: Set<String>? = nil) -> [ExampleResult] {
        var results: [ExampleResult] = []
        for rule in rules where packs == nil || packs!.contains(rule.pack) {
            for example in rule.examples {
                let doc = Document(name: example.name, string: example.text)
                // One scan serves the classification, the prefilter check and the report.
                let scan = scanner.scan(doc)
                let classification = classify(doc, scan)
                let fired = classification.rules.first { $0.id == rule.id }
                let miss = scanner.prefilterMiss(scan)
                let passed = (fired != nil) == example.shouldMatch && miss == nil
                var detail = ""
                if !passed {
                    // What each matcher found, for a rule that should have fired, or one whose
                    // condition is true without evidence (`0 of (...)`, `none of them`, `not a`).
                    func found() -> [String] {
                        rule.matcherNames.indices.compactMap { i -> String? in
                            let hits = rule.matchers[i].hits(in: doc, scan: scan)
                            guard !hits.isEmpty else { return nil }
                            let texts = hits.prefix(3).map { doc.text($0.start ..< $0.end) }
                            return "\(rule.matcherNames[i])=\(texts.map { "'\($0)'" }.joined(separator: ","))"
                        }
                    }
                    if let fired, !fired.evidence.isEmpty {
                        detail = "matched " + fired.evidence.map { "\($0.matcher)='\($0.text)'" }.joined(separator: ", ")
                    } else if fired != nil {
                        let hits = found()
                        detail = hits.isEmpty ? "no matcher hit, and the condition is true without any"
                                              : "the condition is true with only " + hits.joined(separator: ", ") + ", none of which counts as evidence"
                    } else {
                        let hits = found()
                        detail = hits.isEmpty ? "no matcher found anything" : "found only " + hits.joined(separator: ", ") + " and the condition was false"
                    }
                }
                results.append(ExampleResult(ruleID: rule.id, example: example, passed: passed, detail: detail, prefilterMiss: miss))
            }
        }
        return results
    }
}

/// Compiles a rules folder and runs its examples: what `check`, `run` and a reload all use.
public enum RulesetLoader {
    /// The ruleset, or nil when the folder has errors or a failing example (a broken edit
    /// never goes live).
    public static func load(folder: String) -> (Ruleset?, Diagnostics) {
        let (ruleset, diagnostics) = RulesetCompiler.compile(folder: folder)
        return verify(ruleset, diagnostics)
    }

    public static func load(files: [String]) -> (Ruleset?, Diagnostics) {
        let (ruleset, diagnostics) = RulesetCompiler.compile(files: files)
        return verify(ruleset, diagnostics)
    }

    private static func verify(_ ruleset: Ruleset?, _ diagnostics: Diagnostics) -> (Ruleset?, Diagnostics) {
        guard let ruleset else { return (nil, diagnostics) }
        var diagnostics = diagnostics
        for result in ruleset.runExamples() where !result.passed {
            diagnostics.append(result.diagnostic)
        }
        return diagnostics.hasErrors ? (nil, diagnostics) : (ruleset, diagnostics)
    }
}
