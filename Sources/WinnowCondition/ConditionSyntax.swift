/// A range inside a condition string, in Unicode scalars from its start (0-based).
public struct Span: Sendable, Hashable {
    public var start: Int
    public var length: Int
    public init(_ start: Int, _ length: Int) {
        self.start = start
        self.length = max(1, length)
    }
    func union(_ other: Span) -> Span {
        let a = min(start, other.start), z = max(start + length, other.start + other.length)
        return Span(a, z - a)
    }
}

/// A problem in a condition, positioned inside the string.
public struct ConditionError: Error, Sendable, Hashable {
    public var message: String
    public var span: Span
    /// A name the analyst probably meant (for unknown matcher names).
    public var suggestion: String?
    public var isUnknownName: Bool

    public init(_ message: String, _ span: Span, suggestion: String? = nil, isUnknownName: Bool = false) {
        self.message = message
        self.span = span
        self.suggestion = suggestion
        self.isUnknownName = isUnknownName
    }
}

/// Every problem found while binding a condition's names.
public struct ConditionErrors: Error, Sendable {
    public var errors: [ConditionError]
    public init(errors: [ConditionError]) { self.errors = errors }
}

public enum Comparison: String, Sendable, CaseIterable {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="

    @inlinable
    func holds(_ a: Int, _ b: Int) -> Bool {
        switch self {
        case .eq: a == b
        case .ne: a != b
        case .lt: a < b
        case .le: a <= b
        case .gt: a > b
        case .ge: a >= b
        }
    }
}

/// How many of a set must match: `all of`, `any of`, `none of`, `2 of`.
public enum Quantifier: Sendable, Hashable {
    case all, any, none, atLeast(Int)

    /// As written before `of`: `all`, `any`, `none` or the number.
    public var keyword: String {
        switch self {
        case .all: "all"
        case .any: "any"
        case .none: "none"
        case .atLeast(let n): String(n)
        }
    }
}

/// The names a quantifier ranges over: `them` (every matcher of the rule) or a list, where a
/// trailing `*` takes every matcher whose name starts with what precedes it.
public enum NameSet: Sendable, Hashable {
    case them
    case names([(String, Span)])

    public static func == (a: NameSet, b: NameSet) -> Bool {
        switch (a, b) {
        case (.them, .them): true
        case let (.names(x), .names(y)): x.map(\.0) == y.map(\.0)
        default: false
        }
    }
    public func hash(into h: inout Hasher) {
        switch self {
        case .them: h.combine(0)
        case .names(let n): h.combine(n.map(\.0))
        }
    }
}

/// A parsed condition, before its names are resolved against a rule's matchers.
public indirect enum ConditionExpr: Sendable {
    case name(String, Span)
    case not(ConditionExpr, Span)
    case and(ConditionExpr, ConditionExpr)
    case or(ConditionExpr, ConditionExpr)
    case of(Quantifier, NameSet, Span)
    case count(String, Comparison, Int, Span)
    /// `a near(N) b`: some hit of a within N words of some hit of b. Each side is one name or a
    /// parenthesised list of names (`(b, c)` or `(b or c)`), whose hits are pooled.
    case near([(String, Span)], Int, [(String, Span)])

    public var span: Span {
        switch self {
        case .name(_, let s), .not(_, let s), .of(_, _, let s), .count(_, _, _, let s): s
        case .and(let a, let b), .or(let a, let b): a.span.union(b.span)
        case let .near(a, _, b): (a.first?.1 ?? Span(0, 1)).union(b.last?.1 ?? Span(0, 1))
        }
    }
}
