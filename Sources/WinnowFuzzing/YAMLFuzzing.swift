import WinnowDiagnostics
import WinnowYAML

/// The YAML layer as a pack or the configuration uses it: parse with the default limits, then
/// read every mapping through `MappingReader` and every value through each typed getter, and
/// render what was reported against the input's own lines.
enum YAMLFuzzing {
    static let path = "fuzz.yaml"
    static let allowed = ["pack", "rules", "id", "level", "match", "condition", "poll_interval", "max_file_size"]

    static func run(_ input: [UInt8]) {
        let text = String(decoding: input, as: UTF8.self)
        var diagnostics = Diagnostics()
        do {
            if let root = try YAMLParser.parse(text, path: path) {
                // Aliases may expand to a million nodes: the getters need not see them all.
                var budget = 5000
                read(root, &diagnostics, &budget)
            }
        } catch {
            diagnostics.append(error)
        }
        var renderer = TextRenderer { $0 == path ? text : nil }
        _ = renderer.render(diagnostics.sorted)
        for d in diagnostics.sorted { _ = JSONRenderer.render(d) }
    }

    private static func read(_ node: YAMLNode, _ diagnostics: inout Diagnostics, _ budget: inout Int) {
        guard budget > 0 else { return }
        budget -= 1
        switch node.content {
        case .scalar(let s):
            _ = parseDuration(s.value)
            _ = parseByteSize(s.value)
        case .sequence(let items):
            _ = node.strings("items", &diagnostics)
            for item in items { read(item, &diagnostics, &budget) }
        case .mapping(let pairs):
            if let reader = MappingReader(node, what: "a mapping", allowed: allowed, misplaced: ["tags": "belongs elsewhere"],
                                          diagnostics: &diagnostics) {
                for key in allowed + ["missing"] { _ = reader.required(key, what: "the mapping", diagnostics: &diagnostics) }
            }
            for pair in pairs {
                let key = pair.key.scalar?.value ?? "key"
                let value = pair.value
                _ = value.string(key, &diagnostics)
                _ = value.int(key, &diagnostics)
                _ = value.double(key, &diagnostics)
                _ = value.bool(key, &diagnostics)
                _ = value.strings(key, &diagnostics)
                _ = value.duration(key, &diagnostics)
                _ = value.byteSize(key, &diagnostics)
                read(pair.key, &diagnostics, &budget)
                read(value, &diagnostics, &budget)
            }
        }
    }
}
