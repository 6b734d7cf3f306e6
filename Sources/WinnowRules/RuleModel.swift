import WinnowDiagnostics
import WinnowYAML

/// A rule as decoded from its pack, before compilation.
public struct RuleSpec: Sendable {
    public struct MatcherSpec: Sendable {
        public var name: String
        public var kind: any MatcherKind
        public var location: SourceLocation
    }

    public struct ConditionSpec: Sendable {
        public var text: String
        public var node: YAMLNode
    }

    public var id: String
    public var title: String
    public var description: String?
    public var level: Level
    public var tags: [String]
    public var score: Int?
    public var enabled: Bool
    public var matchers: [MatcherSpec]
    public var condition: ConditionSpec?
    public var examples: [Example]
    public var location: SourceLocation
    public var pack: String
}

/// A document a rule must (or must not) fire on, embedded in the pack.
public struct Example: Sendable {
    public var text: String
    /// File name the example document gets (for `field` matchers); "example.txt" by default.
    public var name: String
    public var shouldMatch: Bool
    public var location: SourceLocation
}

/// A pack as decoded from one YAML file.
public struct PackSpec: Sendable {
    public var name: String
    public var description: String?
    public var path: String
    public var rules: [RuleSpec]
}
