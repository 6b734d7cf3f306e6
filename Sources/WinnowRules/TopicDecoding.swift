import WinnowDiagnostics
import WinnowYAML

extension PackLoader {
    static let topicKeys = ["required", "sub-tags", "against"]
    /// A bound that keeps typos (30000 for 3) visible; real topics need a few.
    static let maxRequired = 3_000

    /// `topics: {criminality: {required: 2, sub-tags: 3, against: [genre/fiction]}}`;
    /// `{criminality: 2}` is short for `{required: 2}`. A topic is declared once across all packs.
    mutating func decodeTopics(_ node: YAMLNode, seen: inout [String: SourceLocation]) -> [Topic] {
        guard let pairs = node.mapping else {
            diagnostics.append(.error(.wrongType, "'topics' maps a topic tag to the evidence it needs, as in 'criminality: {required: 2}', found \(node.kindDescription)",
                                      at: node.location))
            return []
        }
        var out: [Topic] = []
        for pair in pairs {
            guard let name = pair.key.scalar?.value else { continue }
            let here = pair.key.location
            guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
                diagnostics.append(.error(.invalidValue, "topic '\(name)' should be a tag without '/' or spaces (its sub-tags are '\(name.split(separator: "/").first ?? "topic")/…')",
                                          at: here, length: name.unicodeScalars.count))
                continue
            }
            if let first = seen[name] {
                diagnostics.append(.error(.duplicatePack, "topic '\(name)' is already declared", at: here,
                                          notes: [.init("first declared here", at: first)]))
                continue
            }
            seen[name] = here
            var required: Int?
            var subTags: Int?
            var against: [String] = []
            if pair.value.scalar != nil {
                required = threshold(pair.value, key: "required")
            } else if let r = MappingReader(pair.value, what: "topic '\(name)'", allowed: Self.topicKeys, diagnostics: &diagnostics) {
                if let n = r.required("required", what: "topic '\(name)'", diagnostics: &diagnostics) {
                    required = threshold(n, key: "required")
                }
                if let n = r["sub-tags"] { subTags = threshold(n, key: "sub-tags") }
                if let n = r["against"], let tags = n.strings("against", &diagnostics) {
                    for (tag, location) in tags where tag == name || tag.hasPrefix(name + "/") {
                        diagnostics.append(.error(.invalidValue, "topic '\(name)' cannot count against itself; 'against' names other tags, such as genre/fiction",
                                                  at: location, length: tag.unicodeScalars.count))
                    }
                    against = tags.map(\.0)
                }
            }
            guard let required else { continue }
            out.append(Topic(name: name, required: required, subTags: subTags ?? required, against: against, location: here))
        }
        return out
    }

    private mutating func threshold(_ node: YAMLNode, key: String) -> Int? {
        guard let n = node.int(key, &diagnostics) else { return nil }
        guard (1 ... Self.maxRequired).contains(n) else {
            diagnostics.append(.error(.invalidValue, "'\(key)' is a weight from 1 to \(Self.maxRequired) (a hit weighs 2 in the lead, 1 elsewhere; a rule with words in the headline gains 3), found \(n)",
                                      at: node.location))
            return nil
        }
        return n
    }
}
