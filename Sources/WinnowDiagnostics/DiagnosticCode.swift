/// A stable identifier for a kind of problem, with its title and advice declared together.
///
/// Tests and documentation refer to the `id` (e.g. `unknown-key`), so a message's wording can
/// improve without breaking them. Every code Winnow can emit is declared in this file.
public struct DiagnosticCode: Hashable, Sendable {
    public let id: String
    public let title: String
    public let help: String

    public init(_ id: String, title: String, help: String) {
        self.id = id
        self.title = title
        self.help = help
    }

    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension DiagnosticCode {
    // MARK: Files and YAML syntax
    public static let fileUnreadable = DiagnosticCode(
        "file-unreadable", title: "A file could not be read",
        help: "Check that the path exists and that Winnow's user may read it.")
    public static let fileTooLarge = DiagnosticCode(
        "file-too-large", title: "A rule or config file is larger than the limit",
        help: "Move long term lists into a list file (`file:`), which has a higher limit.")
    public static let yamlSyntax = DiagnosticCode(
        "yaml-syntax", title: "The file is not valid YAML",
        help: "Look at the indentation and quoting just before the position shown.")
    public static let yamlLimit = DiagnosticCode(
        "yaml-limit", title: "The YAML is too deep, too large, or expands too many aliases",
        help: "Rule packs never need deep nesting or many aliases; simplify the file.")
    public static let duplicateKey = DiagnosticCode(
        "duplicate-key", title: "A key appears twice in one mapping",
        help: "YAML would silently keep only one of them; remove or rename one.")
    public static let unknownKey = DiagnosticCode(
        "unknown-key", title: "A key Winnow does not know",
        help: "Usually a typo or a key at the wrong indentation.")
    public static let missingKey = DiagnosticCode(
        "missing-key", title: "A required key is missing",
        help: "Add the key; docs/rules.md lists what each part of a pack needs.")
    public static let wrongType = DiagnosticCode(
        "wrong-type", title: "A value has the wrong shape",
        help: "For example a list where a single value was expected.")
    public static let invalidValue = DiagnosticCode(
        "invalid-value", title: "A value is not one of those allowed",
        help: "The message lists the accepted values.")

    // MARK: Rules
    public static let duplicateRuleID = DiagnosticCode(
        "duplicate-rule-id", title: "Two rules share an id",
        help: "Rule ids are unique across all packs; alerts name rules by id.")
    public static let duplicatePack = DiagnosticCode(
        "duplicate-pack", title: "Two packs share a name",
        help: "Pack names are unique; `$pack.list` references need them.")
    public static let unknownList = DiagnosticCode(
        "unknown-list", title: "A `$list` reference names no list",
        help: "Define the list under `lists:` in this pack, or write `$pack.list` for another pack's.")
    public static let unknownMatcherKind = DiagnosticCode(
        "unknown-matcher-kind", title: "A matcher has no known kind",
        help: "Each matcher is a mapping with one kind key such as `words` or `regex`.")
    public static let badTerm = DiagnosticCode(
        "bad-term", title: "A term cannot be matched as written",
        help: "Terms start with a letter or digit; use a `regex` matcher for anything else.")
    public static let badRegex = DiagnosticCode(
        "bad-regex", title: "A regular expression does not compile",
        help: "The message is PCRE2's; the column points at the problem inside the pattern.")
    public static let conditionSyntax = DiagnosticCode(
        "condition-syntax", title: "A condition cannot be parsed",
        help: "Conditions combine matcher names with and, or, not, parentheses, `N of (...)`, `#name >= N` and `near(N)`.")
    public static let unknownMatcher = DiagnosticCode(
        "unknown-matcher", title: "A condition names a matcher the rule does not define",
        help: "Define the matcher under the rule's `match:` or fix the name.")
    public static let unusedMatcher = DiagnosticCode(
        "unused-matcher", title: "A matcher is defined but the condition never uses it",
        help: "Use it in the condition or delete it.")
    public static let suspiciousCondition = DiagnosticCode(
        "suspicious-condition", title: "A part of a condition is valid but probably not what was meant",
        help: "`0 of (...)` is always true; a name listed twice in `N of (...)` counts once. Fix the number or the list.")
    public static let exampleFailed = DiagnosticCode(
        "example-failed", title: "A rule's example does not behave as stated",
        help: "Run `winnow test` to see what matched; fix the rule or the example.")
    public static let noRules = DiagnosticCode(
        "no-rules", title: "The rules folder holds no rule pack",
        help: "Point `rules:` (or --rules) at a folder of .yaml packs.")

    // MARK: Gazetteer
    public static let badGeoNamesRow = DiagnosticCode(
        "bad-geonames-row", title: "A row of a GeoNames places file is malformed",
        help: "A few such rows are skipped with a warning; many stop the build. Check that the file is a GeoNames dump in the 19-column layout.")

    // MARK: Configuration
    public static let badConfig = DiagnosticCode(
        "bad-config", title: "A configuration value is not usable",
        help: "etc/winnow/winnow.yaml documents every key.")
}
