/// Every matcher kind, sorted by name; adding a kind adds one line here.
public let matcherKinds: [any MatcherKind.Type] = [
    FieldMatcher.self,
    PlacesMatcher.self,
    RegexMatcher.self,
    WordsMatcher.self,
]
