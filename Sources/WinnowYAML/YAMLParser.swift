internal import CYAML
import WinnowDiagnostics

/// Parses YAML text into a `YAMLNode` tree with positions, on the system's libyaml.
///
/// Errors are diagnostics with `path:line:col`; the first error stops parsing, since libyaml
/// cannot recover. Duplicate keys in one mapping are errors (YAML would keep only one).
public enum YAMLParser {
    /// The single document in `text`, or nil when the file holds no document (empty or comments).
    public static func parse(
        _ text: String, path: String, limits: YAMLLimits = .default
    ) throws(Diagnostic) -> YAMLNode? {
        if text.utf8.count > limits.maxBytes {
            throw .error(.fileTooLarge,
                         "'\(path)' is \(text.utf8.count) bytes, more than the limit of \(limits.maxBytes)",
                         at: SourceLocation(path: path, line: 1, column: 1))
        }
        var builder = TreeBuilder(path: path, limits: limits)
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buf throws(Diagnostic) -> YAMLNode? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                throw .error(.yamlSyntax, "could not start the YAML parser (out of memory)")
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buf.baseAddress, buf.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw syntaxError(parser, path: path, text: buf)
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(&event)
            }
            return builder.root
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, path: String, text: UnsafeMutableBufferPointer<UInt8>) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let mark = parser.problem_mark
        var message = "invalid YAML: \(problem)"
        var notes: [Diagnostic.Note] = []
        if let context = parser.context.map({ String(cString: $0) }) {
            notes.append(.init(context, at: location(parser.context_mark, path)))
        }
        if problem.contains("tab") || scalar(atLine: Int(mark.line), column: Int(mark.column), in: text) == "\t" {
            message += "; indent with spaces, not tabs"
        }
        if problem.contains("mapping values are not allowed") {
            message += "; a value containing ': ' needs quotes, or the line is indented wrongly"
        }
        return .error(.yamlSyntax, message, at: location(mark, path), notes: notes)
    }

    /// The scalar at a 0-based line and column (libyaml's marks count characters, not bytes).
    private static func scalar(atLine line: Int, column: Int, in text: UnsafeMutableBufferPointer<UInt8>) -> Unicode.Scalar? {
        var i = 0, l = 0
        while l < line, i < text.count {
            if text[i] == 0x0A { l += 1 }
            i += 1
        }
        var c = 0
        while i < text.count, text[i] != 0x0A {
            if text[i] & 0xC0 != 0x80 {
                if c == column { return text[i] < 0x80 ? Unicode.Scalar(text[i]) : nil }
                c += 1
            }
            i += 1
        }
        return nil
    }

    /// The only place libyaml's 0-based marks become 1-based positions.
    static func location(_ mark: yaml_mark_t, _ path: String) -> SourceLocation {
        SourceLocation(path: path, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }
}

/// Builds the tree from libyaml events with an explicit stack, so depth is checked before it
/// can cost anything.
private struct TreeBuilder {
    struct Frame {
        var isMapping: Bool
        var start: SourceLocation
        var anchor: String?
        var nodes = 1
        var items: [YAMLNode] = []
        var pairs: [YAMLNode.Pair] = []
        var pendingKey: YAMLNode?
        var keys: [String: SourceLocation] = [:]
    }

    let path: String
    let limits: YAMLLimits
    var stack: [Frame] = []
    var anchors: [String: (node: YAMLNode, nodes: Int)] = [:]
    var totalNodes = 0
    var aliasCount = 0
    var documents = 0
    var root: YAMLNode?

    init(path: String, limits: YAMLLimits) {
        self.path = path
        self.limits = limits
    }

    mutating func handle(_ event: inout yaml_event_t) throws(Diagnostic) {
        let loc = YAMLParser.location(event.start_mark, path)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw .error(.yamlSyntax, "a file holds one YAML document; remove the second '---' or split the file", at: loc)
            }
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: Int(s.length)), as: UTF8.self)
            let style: YAMLNode.ScalarStyle = switch s.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: .literal
            case YAML_FOLDED_SCALAR_STYLE: .folded
            default: .plain
            }
            let tag = s.tag.map { String(cString: $0) }
            try add(YAMLNode(.scalar(.init(value: value, style: style, tag: tag)), at: loc),
                    nodes: 1, anchor: s.anchor.map { String(cString: $0) })
        case YAML_SEQUENCE_START_EVENT:
            try push(Frame(isMapping: false, start: loc, anchor: event.data.sequence_start.anchor.map { String(cString: $0) }))
        case YAML_MAPPING_START_EVENT:
            try push(Frame(isMapping: true, start: loc, anchor: event.data.mapping_start.anchor.map { String(cString: $0) }))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            let f = stack.removeLast()
            let node = f.isMapping ? YAMLNode(.mapping(f.pairs), at: f.start) : YAMLNode(.sequence(f.items), at: f.start)
            try add(node, nodes: f.nodes, anchor: f.anchor)
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw .error(.yamlSyntax, "alias '*\(name)' refers to no anchor defined before it", at: loc)
            }
            aliasCount += 1
            if aliasCount > limits.maxAliases {
                throw .error(.yamlLimit, "more than \(limits.maxAliases) aliases; rule files never need this many", at: loc)
            }
            var copy = target.node
            copy.location = loc
            try add(copy, nodes: target.nodes, anchor: nil)
        default:
            break
        }
    }

    private mutating func push(_ frame: Frame) throws(Diagnostic) {
        if stack.count >= limits.maxDepth {
            throw .error(.yamlLimit, "nesting deeper than \(limits.maxDepth) levels", at: frame.start)
        }
        stack.append(frame)
    }

    private mutating func add(_ node: YAMLNode, nodes: Int, anchor: String?) throws(Diagnostic) {
        totalNodes += nodes
        if totalNodes > limits.maxNodes {
            throw .error(.yamlLimit, "more than \(limits.maxNodes) values after expanding aliases", at: node.location)
        }
        if let anchor { anchors[anchor] = (node, nodes) }
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].nodes += nodes
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pairs.append(.init(key: key, value: node))
            stack[top].pendingKey = nil
        } else {
            guard let keyScalar = node.scalar else {
                throw .error(.wrongType, "a key must be plain text, not \(node.kindDescription)", at: node.location)
            }
            if let first = stack[top].keys[keyScalar.value] {
                throw .error(.duplicateKey, "key '\(keyScalar.value)' appears twice in this mapping",
                             at: node.location, length: keyScalar.value.unicodeScalars.count,
                             notes: [.init("first '\(keyScalar.value)' is here", at: first)])
            }
            stack[top].keys[keyScalar.value] = node.location
            stack[top].pendingKey = node
        }
    }
}
