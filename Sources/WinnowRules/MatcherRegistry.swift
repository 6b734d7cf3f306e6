/// Every matcher kind, sorted by name; adding a kind adds one line here.
public let matcherKinds: [any MatcherKind.Type] = [
    FieldMatcher.self,
    PlacesMatcher.self,
    RegexMatcher.self,
    WordsMatcher.self,
]

/// The kind selected by a matcher's keys, if any.
func matcherKind(named name: String) -> (any MatcherKind.Type)? {
    matcherKinds.first { $0.name == name }
}
