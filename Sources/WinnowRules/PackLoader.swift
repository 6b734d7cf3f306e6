import Foundation
import WinnowCondition
import WinnowDiagnostics
import WinnowFiles
import WinnowGazetteer
import WinnowText
import WinnowYAML

/// Reads every pack in a rules folder and decodes it, collecting every problem.
///
/// Two passes: first every pack's name and lists (so `$pack.list` can point anywhere), then the
/// rules. A broken pack never hides problems in another.
public struct PackLoader {
    /// Files read, by path, with their bytes: the ruleset hash covers exactly these.
    public private(set) var sources: [(path: String, bytes: [UInt8])] = []
    public internal(set) var diagnostics = Diagnostics()
    public var limits = YAMLLimits()
    /// List files may be long; they have their own limit.
    /// About a million terms: compiling costs ~7.5 µs and ~420 bytes per term, on every reload.
    public var maxListFileBytes = 16 << 20

    public init() {}

    static let maxScore = 1_000_000
    static let packKeys = ["pack", "description", "lists", "gazetteer", "topics", "rules"]
    /// The one gazetteer of the folder, if a pack declares it, with where it was declared.
    public private(set) var gazetteer: (spec: GazetteerSpec, location: SourceLocation)?
    /// Whether any pack has a `gazetteer:` key, even one with errors.
    public private(set) var declaresGazetteer = false
    static let ruleKeys = ["id", "title", "description", "level", "tags", "match", "condition", "examples",
                           "score", "enabled", "references", "author"]
    private static let ruleOnly = "belongs inside a rule (under 'rules:'); check its indentation"
    private static let packMisplaced: [String: String] = [
        "id": ruleOnly, "title": ruleOnly, "level": ruleOnly, "tags": ruleOnly, "match": ruleOnly,
        "condition": ruleOnly, "examples": ruleOnly, "score": ruleOnly, "enabled": ruleOnly,
    ]
    private static let ruleMisplaced: [String: String] = {
        var m = ["lists": "belongs at the top level of the pack, not inside a rule",
                 "pack": "belongs at the top level of the pack, not inside a rule"]
        for kind in matcherKinds {
            m[kind.name] = "is a matcher kind; put it under a named matcher in 'match:', as in 'match: {actor: {\(kind.name): ...}}'"
        }
        return m
    }()

    /// The packs in `folder` (files ending in .yaml or .yml, hidden and backup files skipped).
    public mutating func load(folder: String) -> [PackSpec] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") && !$0.hasPrefix("#") }
                .sorted()
        } catch {
            let kind = Files.status(folder, followingSymlinks: true).kind
            let why = switch kind {
            case .directory: Self.reason(error)
            case .missing: "no such folder"
            default: "it is a \(kind), not a folder"
            }
            diagnostics.append(.error(.fileUnreadable, "cannot read rules folder '\(folder)': \(why)"))
            return []
        }
        if files.isEmpty {
            diagnostics.append(.error(.noRules, "rules folder '\(folder)' holds no .yaml pack"))
            return []
        }
        let paths = files.map { folder.hasSuffix("/") ? folder + $0 : folder + "/" + $0 }
        return load(files: paths)
    }

    /// The packs in the given files.
    public mutating func load(files: [String]) -> [PackSpec] {
        var parsed: [(path: String, root: YAMLNode)] = []
        for path in files {
            guard let bytes = readFile(path, limit: limits.maxBytes) else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                if let root = try YAMLParser.parse(text, path: path, limits: limits) {
                    parsed.append((path, root))
                } else {
                    diagnostics.append(.warning(.noRules, "'\(path)' is empty", at: SourceLocation(path: path, line: 1, column: 1)))
                }
            } catch {
                diagnostics.append(error)
            }
        }

        // Pass 1: names and lists.
        var lists = ListTable()
        let termKeys = TermKeyCache()
        var headers: [(path: String, name: String, description: String?, reader: MappingReader)] = []
        var seenPacks: [String: SourceLocation] = [:]
        var topics: [String: [Topic]] = [:]
        var seenTopics: [String: SourceLocation] = [:]
        for (path, root) in parsed {
            guard let reader = MappingReader(root, what: "a pack", allowed: Self.packKeys,
                                             misplaced: Self.packMisplaced, diagnostics: &diagnostics) else { continue }
            var name = (path as NSString).lastPathComponent
            name = (name as NSString).deletingPathExtension
            if let node = reader["pack"], let n = node.string("pack", &diagnostics) {
                if Self.isIdentifier(n) {
                    name = n
                } else {
                    diagnostics.append(.error(.invalidValue, "pack name '\(n)' may hold only letters, digits, '-' and '_'", at: node.location))
                }
            } else if reader["pack"] == nil, !Self.isIdentifier(name) {
                // The name `$pack.list` references use: 'my.rules' would read as pack 'my'.
                let valid = Self.packNameSuggestion(for: name)
                // A warning, not an error: packs named by files such as '10-core.yaml' loaded
                // before, and only references to their lists need the name.
                diagnostics.append(.warning(.invalidValue, "pack name '\(name)', taken from the file name, cannot be named in '$pack.list' references (a pack name holds only letters, digits, '-' and '_' and starts with a letter or '_'); add 'pack: \(valid)' at the top or rename the file to '\(valid).yaml'",
                                            at: SourceLocation(path: path, line: 1, column: 1)))
            }
            let here = reader.keyLocation("pack") ?? root.location
            if let first = seenPacks[name] {
                diagnostics.append(.error(.duplicatePack, "pack '\(name)' is also defined in another file", at: here,
                                          notes: [.init("first defined here", at: first)]))
                continue
            }
            seenPacks[name] = here
            let description = reader["description"].flatMap { $0.string("description", &diagnostics) }
            if let node = reader["lists"] {
                decodeLists(node, pack: name, path: path, into: &lists, termKeys: termKeys)
            }
            if let node = reader["gazetteer"] {
                declaresGazetteer = true
                let here = reader.keyLocation("gazetteer") ?? node.location
                if let first = gazetteer {
                    diagnostics.append(.error(.duplicatePack, "only one pack may declare a gazetteer", at: here,
                                              notes: [.init("the gazetteer is declared here", at: first.location)]))
                } else if let spec = decodeGazetteer(node, path: path) {
                    gazetteer = (spec, here)
                }
            }
            if let node = reader["topics"] {
                topics[path] = decodeTopics(node, seen: &seenTopics)
            }
            headers.append((path, name, description, reader))
        }

        // Pass 2: rules.
        var packs: [PackSpec] = []
        var ruleIDs: [String: SourceLocation] = [:]
        for (path, name, description, reader) in headers {
            let context = DecodeContext(lists: lists, pack: name, termKeys: termKeys)
            var rules: [RuleSpec] = []
            if let node = reader["rules"] {
                guard let items = node.sequence else {
                    diagnostics.append(.error(.wrongType, "'rules' should be a list of rules, each starting with '- id:', found \(node.kindDescription)",
                                              at: node.location))
                    continue
                }
                for item in items {
                    guard let rule = decodeRule(item, context: context) else { continue }
                    if let first = ruleIDs[rule.id] {
                        diagnostics.append(.error(.duplicateRuleID, "rule id '\(rule.id)' is already used", at: rule.location,
                                                  notes: [.init("first used here", at: first)]))
                        continue
                    }
                    ruleIDs[rule.id] = rule.location
                    rules.append(rule)
                }
            }
            packs.append(PackSpec(name: name, description: description, path: path, rules: rules, topics: topics[path] ?? []))
        }
        return packs
    }

    // MARK: Lists

    /// Adds the pack's lists to `lists` and checks each one's terms as `words` would, used or
    /// not; rules that use a list then skip the problems reported here (`TermKeyCache`).
    private mutating func decodeLists(_ node: YAMLNode, pack: String, path: String, into lists: inout ListTable,
                                      termKeys: TermKeyCache) {
        guard let pairs = node.mapping else {
            diagnostics.append(.error(.wrongType, "'lists' should map list names to terms, as in 'actors: [extremist*, jihadist*]', found \(node.kindDescription)",
                                      at: node.location))
            return
        }
        for pair in pairs {
            guard let name = pair.key.scalar?.value else { continue }
            if !Self.isIdentifier(name) {
                diagnostics.append(.error(.invalidValue, "list name '\(name)' may hold only letters, digits, '-' and '_'", at: pair.key.location))
                continue
            }
            let value = pair.value
            // A list declared with an error (a wrong type, an unreadable file) is still known,
            // empty: its one error is enough, without an 'unknown list' at every use.
            lists.add(pack: pack, name: name, terms: [])
            let terms: [Term]
            if value.mapping != nil {
                guard let reader = MappingReader(value, what: "a list", allowed: ["file"], diagnostics: &diagnostics),
                      let fileNode = reader.required("file", what: "a list given as a mapping", diagnostics: &diagnostics),
                      let file = fileNode.string("file", &diagnostics) else { continue }
                let full = Self.path(file, besidePack: path)
                guard let bytes = readFile(full, limit: maxListFileBytes, at: fileNode.location) else { continue }
                terms = Self.terms(inListFile: bytes, path: full)
            } else if let items = value.strings(name, &diagnostics) {
                terms = items.map { Term($0.0, at: $0.1) }
            } else {
                continue
            }
            let keys = WordsMatcher.listKeys(for: terms, context: DecodeContext(lists: lists, pack: pack, termKeys: termKeys),
                                             diagnostics: &diagnostics)
            lists.add(pack: pack, name: name, terms: terms, keys: keys)
        }
    }

    /// One term per line; blank lines and lines starting with '#' are skipped.
    static func terms(inListFile bytes: [UInt8], path: String) -> [Term] {
        var out: [Term] = []
        var line = 1
        for raw in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            defer { line += 1 }
            // The column counts the spaces and tabs before the term.
            let leading = raw.prefix { $0 == 0x20 || $0 == 0x09 }.count
            // Not Foundation's trimming: a list of a million terms spent seconds in it.
            let trimmed = String(decoding: raw, as: UTF8.self).trimmingWhitespace
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            out.append(Term(trimmed, at: SourceLocation(path: path, line: line, column: leading + 1)))
        }
        return out
    }

    // MARK: Rules

    private mutating func decodeRule(_ node: YAMLNode, context: DecodeContext) -> RuleSpec? {
        guard let r = MappingReader(node, what: "a rule", allowed: Self.ruleKeys, misplaced: Self.ruleMisplaced,
                                    diagnostics: &diagnostics) else { return nil }
        let before = diagnostics.errorCount
        let idNode = r.required("id", what: "every rule", diagnostics: &diagnostics)
        let id = idNode?.string("id", &diagnostics) ?? ""
        if let idNode, idNode.scalar != nil, !Self.isRuleID(id) {
            let guess = Self.ruleIDSuggestion(for: id)
            let example = Self.isRuleID(context.pack + ".armed-attack") ? context.pack + ".armed-attack" : "extremism.armed-attack"
            diagnostics.append(.error(.invalidValue, Self.ruleIDProblem(id) + (guess.map { " (did you mean '\($0)'?)" } ?? "")
                                      + "; an id holds lowercase letters, digits, '.', '-' and '_', as in '\(example)'",
                                      at: idNode.location, fix: guess))
        }
        let ruleNote: [Diagnostic.Note] = id.isEmpty ? [] : [.init("in rule '\(id)'", at: node.location)]
        let title = r.required("title", what: "rule '\(id)'", diagnostics: &diagnostics)?.string("title", &diagnostics) ?? ""
        let description = r["description"]?.string("description", &diagnostics)
        var level = Level.medium
        if let levelNode = r.required("level", what: "rule '\(id)'", diagnostics: &diagnostics),
           let text = levelNode.string("level", &diagnostics) {
            if let l = Level(rawValue: text.lowercased()) {
                level = l
            } else {
                let guess = suggestion(for: text, among: Level.allCases.map(\.rawValue))
                diagnostics.append(.error(.invalidValue, "unknown level '\(text)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use info, low, medium, high or critical",
                                          at: levelNode.location, notes: ruleNote))
            }
        }
        var tags: [String] = []
        if let tagNode = r["tags"], let items = tagNode.strings("tags", &diagnostics) {
            for (tag, loc) in items {
                if Self.isTag(tag) {
                    tags.append(tag)
                } else {
                    diagnostics.append(.error(.invalidValue, "tag '\(tag)' may hold only lowercase letters, digits, '-', '_', '.', ':' and '/'",
                                              at: loc, notes: ruleNote))
                }
            }
        }
        var score = r["score"]?.int("score", &diagnostics)
        // Bounded so that the sum over every fired rule cannot overflow and trap on a document.
        if let s = score, s < -Self.maxScore || s > Self.maxScore, let n = r["score"] {
            diagnostics.append(.error(.invalidValue, "score \(s) is out of range; use a whole number from -\(Self.maxScore) to \(Self.maxScore)",
                                      at: n.location, notes: ruleNote))
            score = nil
        }
        let enabled = r["enabled"]?.bool("enabled", &diagnostics) ?? true
        _ = r["references"]?.strings("references", &diagnostics)
        _ = r["author"]?.string("author", &diagnostics)

        var matchers: [RuleSpec.MatcherSpec] = []
        if let matchNode = r.required("match", what: "rule '\(id)'", diagnostics: &diagnostics) {
            matchers = decodeMatchers(matchNode, context: context, ruleNote: ruleNote)
        }
        var condition: RuleSpec.ConditionSpec?
        if let cNode = r["condition"] {
            if let text = cNode.string("condition", &diagnostics) { condition = .init(text: text, node: cNode) }
        } else if matchers.count > 1 {
            let names = matchers.map(\.name)
            diagnostics.append(.error(.missingKey, "rule '\(id)' has \(matchers.count) matchers and needs a 'condition' that combines them, such as '\(names.prefix(2).joined(separator: " and "))'",
                                      at: r.keyLocation("match") ?? node.location))
        }
        let examples = r["examples"].map { decodeExamples($0) } ?? []
        guard diagnostics.errorCount == before else { return nil }
        return RuleSpec(id: id, title: title, description: description, level: level, tags: tags, score: score,
                        enabled: enabled, matchers: matchers, condition: condition, examples: examples,
                        location: node.location, pack: context.pack)
    }

    private mutating func decodeMatchers(_ node: YAMLNode, context: DecodeContext, ruleNote: [Diagnostic.Note]) -> [RuleSpec.MatcherSpec] {
        guard let pairs = node.mapping else {
            diagnostics.append(.error(.wrongType, "'match' should name each matcher, as in 'match: {actor: {words: [extremist*]}}', found \(node.kindDescription)",
                                      at: node.location))
            return []
        }
        if pairs.isEmpty {
            diagnostics.append(.error(.invalidValue, "'match' defines no matcher", at: node.location, notes: ruleNote))
        }
        var out: [RuleSpec.MatcherSpec] = []
        let kindNames = matcherKinds.map { $0.name }
        for pair in pairs {
            guard let name = pair.key.scalar?.value else { continue }
            if !Self.isIdentifier(name) || ConditionParser.keywords.contains(name.lowercased()) {
                diagnostics.append(.error(.invalidValue, ConditionParser.keywords.contains(name.lowercased())
                                          ? "'\(name)' is a condition keyword and cannot name a matcher"
                                          : "matcher name '\(name)' may hold only letters, digits, '-' and '_'",
                                          at: pair.key.location, notes: ruleNote))
                continue
            }
            var value = pair.value
            // Shorthand: a bare list or `$list` means `words`.
            if value.sequence != nil || (value.scalar.map { $0.style == .plain && $0.value.hasPrefix("$") } ?? false) {
                value = YAMLNode(.mapping([.init(key: YAMLNode(.scalar(.init(value: "words", style: .plain, tag: nil)), at: value.location),
                                                 value: value)]), at: value.location)
            }
            guard let keys = value.mapping?.compactMap({ $0.key.scalar?.value }) else {
                diagnostics.append(.error(.wrongType, "matcher '\(name)' should be a mapping with one kind, such as '{words: [...]}', found \(value.kindDescription)",
                                          at: value.location, notes: ruleNote))
                continue
            }
            let present = matcherKinds.filter { keys.contains($0.name) }
            guard present.count == 1, let kind = present.first else {
                if present.count > 1 {
                    diagnostics.append(.error(.unknownMatcherKind, "matcher '\(name)' has several kinds (\(present.map { "'\($0.name)'" }.joined(separator: ", "))); give each its own matcher",
                                              at: value.location, notes: ruleNote))
                } else {
                    let guess = keys.lazy.compactMap { suggestion(for: $0, among: kindNames) }.first
                    let first = value.mapping?.first?.key
                    diagnostics.append(.error(.unknownMatcherKind, "matcher '\(name)' has no known kind\(guess.map { " (did you mean '\($0)'?)" } ?? ""); kinds are \(kindNames.map { "'\($0)'" }.joined(separator: ", "))",
                                              at: first?.location ?? value.location,
                                              length: first?.scalar?.value.unicodeScalars.count ?? 1, notes: ruleNote, fix: guess))
                }
                continue
            }
            guard let reader = MappingReader(value, what: "a '\(kind.name)' matcher", allowed: [kind.name] + kind.options,
                                             diagnostics: &diagnostics),
                  let decoded = kind.init(decoding: reader, context: context, diagnostics: &diagnostics) else { continue }
            out.append(.init(name: name, kind: decoded, location: pair.key.location))
        }
        return out
    }

    private mutating func decodeExamples(_ node: YAMLNode) -> [Example] {
        guard let r = MappingReader(node, what: "'examples'", allowed: ["match", "no-match"],
                                    misplaced: ["no_match": "is written 'no-match'", "nomatch": "is written 'no-match'"],
                                    diagnostics: &diagnostics) else { return [] }
        var out: [Example] = []
        for (key, should) in [("match", true), ("no-match", false)] {
            guard let list = r[key] else { continue }
            guard let items = list.sequence else {
                diagnostics.append(.error(.wrongType, "'\(key)' should be a list of example texts, found \(list.kindDescription)", at: list.location))
                continue
            }
            for item in items {
                if item.mapping != nil {
                    guard let e = MappingReader(item, what: "an example", allowed: ["text", "name"], diagnostics: &diagnostics),
                          let text = e.required("text", what: "an example given as a mapping", diagnostics: &diagnostics)?.string("text", &diagnostics)
                    else { continue }
                    let name = e["name"]?.string("name", &diagnostics) ?? "example.txt"
                    out.append(Example(text: text, name: name, shouldMatch: should, location: item.location))
                } else if let text = item.string("\(key) example", &diagnostics) {
                    out.append(Example(text: text, name: "example.txt", shouldMatch: should, location: item.location))
                }
            }
        }
        return out
    }

    // MARK: Helpers

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// A valid pack name made from `name`: every other character becomes '-' (or '_' first).
    static func packNameSuggestion(for name: String) -> String {
        var out = String.UnicodeScalarView()
        for c in name.unicodeScalars {
            out.append(c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" ? c : "-")
        }
        // A conf.d-style order prefix ('10-core') is dropped rather than hidden behind '_'.
        let guess = String(String(out).drop { !$0.isLetter && $0 != "_" })
        return isIdentifier(guess) ? guess : "my-pack"
    }

    /// A rule id: lowercase letters, digits, '.', '-' and '_', with at least one letter or digit
    /// ('', '...' and '-' name nothing an analyst can read). Ids of that alphabet that older
    /// versions accepted ('_draft.one', 'a..b') stay valid.
    static func isRuleID(_ s: String) -> Bool {
        s.unicodeScalars.contains(where: isLowerAlphanumeric)
            && s.unicodeScalars.allSatisfy { isLowerAlphanumeric($0) || ".-_".unicodeScalars.contains($0) }
    }

    private static func isLowerAlphanumeric(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c)
    }

    /// What is wrong with an id `isRuleID` rejects, as the start of a message.
    static func ruleIDProblem(_ id: String) -> String {
        if id.isEmpty { return "rule id is empty" }
        if let bad = id.unicodeScalars.first(where: { !isLowerAlphanumeric($0) && !".-_".unicodeScalars.contains($0) }) {
            return "rule id '\(id)' may not hold '\(bad)'"
        }
        return "rule id '\(id)' has no letter or digit"
    }

    /// A valid id close to `id`, when one follows plainly: lowercased, spaces as '-'
    /// ('Extremism Attack' → 'extremism-attack').
    static func ruleIDSuggestion(for id: String) -> String? {
        let guess = id.lowercased().replacingOccurrences(of: " ", with: "-")
        return guess != id && isRuleID(guess) ? guess : nil
    }

    static func isTag(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix("/") && !s.hasSuffix("/")
            && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.:/".unicodeScalars.contains($0) }
    }

    /// A file named in the pack at `pack`: absolute, or relative to the pack's folder.
    static func path(_ file: String, besidePack pack: String) -> String {
        let folder = (pack as NSString).deletingLastPathComponent
        return file.hasPrefix("/") || folder.isEmpty ? file : folder + "/" + file
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        if ns.domain == NSCocoaErrorDomain, ns.code == NSFileReadNoSuchFileError || ns.code == NSFileNoSuchFileError {
            return "no such file or folder"
        }
        return ns.localizedDescription
    }

    /// A pack or list file's bytes, or nil with a diagnostic at `location` (the key that names
    /// the file) or else at the file itself.
    private mutating func readFile(_ path: String, limit: Int, at location: SourceLocation? = nil) -> [UInt8]? {
        let here = location ?? SourceLocation(path: path, line: 1, column: 1)
        let bytes: [UInt8]
        do {
            bytes = try Files.readNamed(path, maxBytes: limit)
        } catch {
            switch error {
            case .unreadable(let why):
                diagnostics.append(.error(.fileUnreadable, "cannot read '\(path)': \(why)", at: here))
            case .tooLarge(let limit):
                diagnostics.append(.error(.fileTooLarge, "'\(path)' is larger than the limit of \(limit) bytes", at: here))
            }
            return nil
        }
        sources.append((path, bytes))
        return bytes
    }
}
