import WinnowDiagnostics

/// One node of a parsed YAML document, with the position where it starts.
///
/// Aliases are already expanded (the alias gets the anchored node's content and the alias's
/// own position), so consumers never see anchors.
public struct YAMLNode: Sendable {
    public enum ScalarStyle: Sendable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public struct Scalar: Sendable {
        public var value: String
        public var style: ScalarStyle
        /// An explicit tag such as `!!str`, if the author wrote one.
        public var tag: String?

        public init(value: String, style: ScalarStyle = .plain, tag: String? = nil) {
            self.value = value
            self.style = style
            self.tag = tag
        }

        /// Plain `~`, `null` or nothing: YAML's null.
        public var isNull: Bool {
            style == .plain && tag == nil && (value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL")
        }
    }

    public struct Pair: Sendable {
        public var key: YAMLNode
        public var value: YAMLNode

        public init(key: YAMLNode, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// What an analyst calls this shape, for messages ("expected text, found a list").
    public var kindDescription: String {
        switch content {
        case .scalar(let s): s.isNull ? "nothing" : "text"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    public var scalar: Scalar? {
        if case .scalar(let s) = content { s } else { nil }
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { items } else { nil }
    }

    public var mapping: [Pair]? {
        if case .mapping(let pairs) = content { pairs } else { nil }
    }

    /// The value under a plain-text key, for mappings.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.value == key }?.value
    }
}
