import Foundation
import WinnowCache
import WinnowCondition
import WinnowDiagnostics
import WinnowFiles
import WinnowGazetteer
import WinnowYAML

/// Turns decoded packs into a `Ruleset`, or diagnostics saying why it cannot.
public enum RulesetCompiler {
    /// Loads and compiles every pack in `folder`. The ruleset is nil when any error was found;
    /// warnings never block it.
    public static func compile(folder: String) -> (Ruleset?, Diagnostics) {
        var loader = PackLoader()
        let packs = loader.load(folder: folder)
        return compile(packs: packs, loader: loader)
    }

    public static func compile(files: [String]) -> (Ruleset?, Diagnostics) {
        var loader = PackLoader()
        let packs = loader.load(files: files)
        return compile(packs: packs, loader: loader)
    }

    static func compile(packs: [PackSpec], loader: PackLoader) -> (Ruleset?, Diagnostics) {
        var diagnostics = loader.diagnostics
        let sources = loader.sources
        var plan = ScanPlan()
        var extraFiles: [String] = []
        // Built even when other packs have errors, so that `places` matchers are checked
        // against it instead of all reporting a missing gazetteer.
        if let (spec, location) = loader.gazetteer {
            do {
                let gazetteer = try GazetteerBuilder.build(spec)
                plan.gazetteer = gazetteer
                extraFiles = spec.files
                for skipped in gazetteer.skippedRows {
                    diagnostics.append(.warning(.badGeoNamesRow, skipped.message,
                                                at: SourceLocation(path: skipped.path, line: skipped.firstLine, column: 1),
                                                notes: [.init("the gazetteer is declared here", at: location)]))
                }
            } catch {
                plan.gazetteerFailed = true
                diagnostics.append(.error(error.code, "gazetteer: \(error.message)",
                                          at: SourceLocation(path: error.path, line: error.line ?? 1, column: error.column ?? 1),
                                          notes: [.init("the gazetteer is declared here", at: location)]))
            }
        } else if loader.declaresGazetteer {
            plan.gazetteerFailed = true
        }
        var rules: [CompiledRule] = []
        var parked: [(id: String, pack: String)] = []
        for pack in packs {
            for spec in pack.rules {
                let source = sources.first { $0.path == spec.location.path }?.bytes
                guard let rule = compile(spec, plan: &plan, source: source, diagnostics: &diagnostics) else { continue }
                if spec.enabled { rules.append(rule) } else { parked.append((spec.id, spec.pack)) }
            }
        }
        let topics = packs.flatMap(\.topics)
        let allTags = packs.flatMap { $0.rules.flatMap(\.tags) }
        for topic in topics {
            if !allTags.contains(where: topic.covers) {
                diagnostics.append(.warning(.invalidValue, "no rule carries topic '\(topic.name)' or a '\(topic.name)/…' sub-tag; is the name misspelt?",
                                            at: topic.location, length: topic.name.unicodeScalars.count))
            }
            for tag in topic.against where !allTags.contains(tag) {
                diagnostics.append(.warning(.invalidValue, "topic '\(topic.name)' counts tag '\(tag)' against it, but no rule carries that tag",
                                            at: topic.location, length: topic.name.unicodeScalars.count))
            }
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        let summary = packs.map { pack in (pack.name, pack.path, pack.rules.filter(\.enabled).count) }
        return (Ruleset(hash: hash(sources, extraFiles: extraFiles), files: sources.map(\.path) + extraFiles, rules: rules, parkedRules: parked,
                        packs: summary, topics: topics, plan: plan), diagnostics)
    }

    /// A digest (XXH3-128, `ContentDigest`) of every file the ruleset was built from: pack and
    /// list files (already read) and gazetteer files (read here).
    static func hash(_ sources: [(path: String, bytes: [UInt8])], extraFiles: [String] = []) -> String {
        let digest = ContentDigest()
        for (path, bytes) in sources.sorted(by: { $0.path < $1.path }) {
            digest.update(Array((path as NSString).lastPathComponent.utf8) + [0])
            digest.update(bytes)
            digest.update([0])
        }
        for path in extraFiles.sorted() {
            digest.update(Array((path as NSString).lastPathComponent.utf8) + [0])
            // A chunk at a time: read whole, cities500.txt was 36 MB more memory at every start.
            try? Files.forEachChunk(path) { digest.feed($0) }
            digest.update([0])
        }
        return digest.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private static func compile(_ spec: RuleSpec, plan: inout ScanPlan, source: [UInt8]?, diagnostics: inout Diagnostics) -> CompiledRule? {
        let note = Diagnostic.Note("in rule '\(spec.id)'", at: spec.location)
        var matchers: [any CompiledMatcher] = []
        var failed = false
        for m in spec.matchers {
            do {
                matchers.append(try m.kind.compile(into: &plan))
            } catch {
                var d = error
                d.notes.append(note)
                diagnostics.append(d)
                failed = true
            }
        }
        let names = spec.matchers.map(\.name)
        var condition = BoundCondition.single()
        if let c = spec.condition {
            let result: Result<BoundCondition, ConditionErrors>
            do {
                result = BoundCondition.bind(try ConditionParser.parse(c.text), matchers: names)
            } catch {
                result = .failure(ConditionErrors(errors: [error]))
            }
            switch result {
            case .success(let bound):
                condition = bound
                for w in bound.warnings {
                    var d = conditionDiagnostic(w, condition: c, source: source, note: note)
                    d.severity = .warning
                    d.code = .suspiciousCondition
                    diagnostics.append(d)
                }
                for i in bound.unusedMatchers {
                    diagnostics.append(.warning(.unusedMatcher, "matcher '\(names[i])' is never used in the condition",
                                                at: spec.matchers[i].location, length: names[i].unicodeScalars.count, notes: [note]))
                }
            case .failure(let errors):
                for e in errors.errors {
                    diagnostics.append(conditionDiagnostic(e, condition: c, source: source, note: note))
                }
                failed = true
            }
        }
        if failed { return nil }
        return CompiledRule(id: spec.id, title: spec.title, description: spec.description, level: spec.level,
                            tags: spec.tags, score: spec.score ?? 0, pack: spec.pack, location: spec.location,
                            matcherNames: names, matchers: matchers, expensiveMatchers: matchers.map(\.isExpensive),
                            condition: condition, examples: spec.examples)
    }

    /// Maps a position inside the condition string to the file. Exact for a condition written
    /// on one line, plain or quoted; otherwise the key is named and the fragment quoted.
    static func conditionDiagnostic(_ e: ConditionError, condition c: RuleSpec.ConditionSpec, source: [UInt8]?, note: Diagnostic.Note) -> Diagnostic {
        let code: DiagnosticCode = e.isUnknownName ? .unknownMatcher : .conditionSyntax
        let fix = e.suggestion
        let node = c.node
        let style = node.scalar?.style ?? .plain
        let quoteWidth = (style == .singleQuoted || style == .doubleQuoted) ? 1 : 0
        if style != .literal, style != .folded, let source,
           let line = sourceLine(source, node.location.line) {
            let scalars = Array(line.unicodeScalars)
            let from = node.location.column - 1 + quoteWidth
            if from >= 0, from <= scalars.count {
                let rest = String(String.UnicodeScalarView(scalars[from...]))
                if rest.hasPrefix(c.text) {
                    var notes = [note]
                    // `a or #b >= 2` unquoted: YAML reads ' #' as the start of a comment.
                    let after = String(rest.dropFirst(c.text.count))
                    if style == .plain, after.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                        notes.insert(.init("'#' after a space starts a YAML comment; put the condition in quotes, as in condition: \"\(c.text) \(after.trimmingCharacters(in: .whitespaces))\"",
                                           at: node.location), at: 0)
                    }
                    return .error(code, e.message, at: node.location.advanced(byColumns: quoteWidth + e.span.start),
                                  length: e.span.length, notes: notes, fix: fix)
                }
            }
        }
        let scalars = Array(c.text.unicodeScalars)
        let a = min(e.span.start, scalars.count), z = min(scalars.count, e.span.start + e.span.length)
        let fragment = String(String.UnicodeScalarView(scalars[a..<z]))
        let place = fragment.isEmpty ? "at the end of the condition '\(c.text.trimmingCharacters(in: .whitespacesAndNewlines))'"
                                     : "in the condition at '\(fragment)'"
        return .error(code, "\(e.message) (\(place))", at: node.location, notes: [note], fix: fix)
    }

    private static func sourceLine(_ source: [UInt8], _ line: Int) -> String? {
        var current = 1
        var start = 0
        for (i, b) in source.enumerated() where b == 0x0A {
            if current == line { return String(decoding: source[start..<i], as: UTF8.self) }
            current += 1
            start = i + 1
        }
        return current == line ? String(decoding: source[start...], as: UTF8.self) : nil
    }
}
