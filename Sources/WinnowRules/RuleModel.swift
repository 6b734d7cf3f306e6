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
    public var topics: [Topic] = []
}

/// A tag that needs enough evidence before a document gets it, as SpamAssassin's
/// `required_score` (docs/rules.md §Topics).
///
/// Each fired rule carrying the topic (its tag or a `topic/…` sub-tag) adds its strength: the
/// weight of its evidence, 2 per hit in the lead, 1 elsewhere, 3 more for words in the
/// headline. The document
/// gets the topic when the sum reaches `required`, and a rule's sub-tags when the rule's own
/// strength reaches `subTags`. Rules carrying an `against` tag (`genre/fiction`: a film review,
/// a game) subtract their strength.
public struct Topic: Sendable, Equatable {
    public var name: String
    public var required: Int
    public var subTags: Int
    public var against: [String]
    public var location: SourceLocation

    public init(name: String, required: Int, subTags: Int, against: [String] = [], location: SourceLocation) {
        self.name = name
        self.required = required
        self.subTags = subTags
        self.against = against
        self.location = location
    }

    /// Whether `tag` is this topic or one of its sub-tags.
    public func covers(_ tag: String) -> Bool {
        tag == name || (tag.hasPrefix(name) && tag.dropFirst(name.count).first == "/")
    }
}
