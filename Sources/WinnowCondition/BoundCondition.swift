import WinnowDiagnostics

/// Where a hit lies in a document, in word indexes (0-based, inclusive).
public struct WordSpan: Sendable, Hashable {
    public var first: Int
    public var last: Int
    public init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }
}

/// What a condition needs to know about one document: the hits of each matcher of the rule.
///
/// Matchers are numbered in the order the rule defines them. `spans` are sorted by `first`.
public protocol ConditionInput {
    func count(_ matcher: Int) -> Int
    func spans(_ matcher: Int) -> [WordSpan]
    /// Whether asking about `matcher` would cost a pass of its own (an unrun regex); such
    /// operands are evaluated last, where `and` and `or` may make them unnecessary.
    func isExpensive(_ matcher: Int) -> Bool
    /// False when no matcher can be expensive: `and` and `or` then skip asking about each side.
    var mayBeExpensive: Bool { get }
}

extension ConditionInput {
    public func isExpensive(_ matcher: Int) -> Bool { false }
    public var mayBeExpensive: Bool { true }
}

/// A condition whose names are resolved to a rule's matchers, ready to evaluate.
public struct BoundCondition: Sendable {
    // Inlinable evaluation (below) specialises for the engine's ConditionInput: generic code
    // went through witness tables and value witnesses for every matcher it asked about.
    @usableFromInline
    indirect enum Node: Sendable {
        case matcher(Int)
        case not(Node)
        case and(Node, Node)
        case or(Node, Node)
        case of(Quantifier, [Int])
        case count(Int, Comparison, Int)
        case near([Int], Int, [Int])
    }

    @usableFromInline let root: Node
    /// Matchers whose hits can make the condition true (not only under `not`); their hits are
    /// the evidence of a fired rule.
    public let evidenceMatchers: [Int]
    /// Matchers the condition never mentions.
    public let unusedMatchers: [Int]
    /// `a near(N) b` constraints outside `not`: evidence for a matcher that appears only in
    /// these shows just the hits that have a partner in range.
    public let nearConstraints: [(a: [Int], distance: Int, b: [Int])]
    /// Evidence matchers that appear only as operands of `near`.
    public let onlyInNear: Set<Int>
    /// Parts of the condition that are valid but probably not what was meant (`0 of (...)`,
    /// a name listed twice in one `N of` list), positioned inside the string.
    public var warnings: [ConditionError] = []

    /// Resolves names against `matchers` (the rule's matcher names, in order).
    public static func bind(_ expr: ConditionExpr, matchers: [String]) -> Result<BoundCondition, ConditionErrors> {
        var errors: [ConditionError] = []
        var used = Set<Int>()
        var positive = Set<Int>()
        var near: [(a: [Int], distance: Int, b: [Int])] = []
        var outsideNear = Set<Int>()
        var warnings: [ConditionError] = []

        func index(_ name: String, _ span: Span) -> Int? {
            if let i = matchers.firstIndex(of: name) { return i }
            let guess = suggestion(for: name, among: matchers)
            let message = guess.map { "unknown matcher '\(name)' (did you mean '\($0)'?)" }
                ?? "unknown matcher '\(name)'; this rule defines \(matchers.map { "'\($0)'" }.joined(separator: ", "))"
            errors.append(ConditionError(message, span, suggestion: guess, isUnknownName: true))
            return nil
        }

        func resolve(_ set: NameSet, in quantifier: String) -> [Int] {
            switch set {
            case .them:
                return Array(matchers.indices)
            case .names(let names):
                var out: [Int] = []
                var written = Set<String>()
                for (name, span) in names {
                    if !written.insert(name).inserted {
                        warnings.append(ConditionError("matcher '\(name)' is listed twice in '\(quantifier) of (...)'; it counts once", span))
                    }
                    if name.hasSuffix("*") {
                        let prefix = String(name.dropLast())
                        let found = matchers.indices.filter { matchers[$0].hasPrefix(prefix) }
                        if found.isEmpty { errors.append(ConditionError("no matcher name starts with '\(prefix)'", span)) }
                        out += found
                    } else if let i = index(name, span) {
                        out.append(i)
                    }
                }
                return out
            }
        }

        func walk(_ e: ConditionExpr, negated: Bool) -> Node {
            switch e {
            case let .name(n, span):
                let i = index(n, span) ?? -1
                used.insert(i)
                outsideNear.insert(i)
                if !negated { positive.insert(i) }
                return .matcher(i)
            case let .not(inner, _):
                return .not(walk(inner, negated: !negated))
            case let .and(a, b):
                return .and(walk(a, negated: negated), walk(b, negated: negated))
            case let .or(a, b):
                return .or(walk(a, negated: negated), walk(b, negated: negated))
            case let .of(q, set, span):
                // "N of" counts distinct matchers: `2 of (a, a, b)` and `2 of (act*, actor)` need
                // two different matchers to hit, so a name met twice (written or by a prefix)
                // is kept once, in first-seen order.
                var seen = Set<Int>()
                let members = resolve(set, in: q.keyword).filter { seen.insert($0).inserted }
                used.formUnion(members)
                outsideNear.formUnion(members)
                if case .atLeast(let n) = q, n > members.count, !members.isEmpty {
                    errors.append(ConditionError("'\(n) of' a set of \(members.count) can never be true", span))
                }
                if case .atLeast(0) = q {
                    warnings.append(ConditionError("'0 of' is always true, whatever the matchers find; write '1 of' (or 'any of') to need one of them", span))
                }
                let negatedHere = negated != (q == .none)
                if !negatedHere { positive.formUnion(members) }
                return .of(q, members)
            case let .count(n, op, value, span):
                let i = index(n, span) ?? -1
                used.insert(i)
                outsideNear.insert(i)
                if !negated { positive.insert(i) }
                return .count(i, op, value)
            case let .near(a, written, b):
                // Word indexes fit in UInt32, so a longer distance means the same and would
                // overflow near()'s arithmetic (`near(99999999999999999999)` parses as Int.max).
                let distance = min(written, Int(UInt32.max))
                let i = a.map { index($0.0, $0.1) ?? -1 }, j = b.map { index($0.0, $0.1) ?? -1 }
                used.formUnion(i + j)
                if !negated {
                    positive.formUnion(i + j)
                    near.append((i, distance, j))
                }
                return .near(i, distance, j)
            }
        }

        let root = walk(expr, negated: false)
        guard errors.isEmpty else { return .failure(ConditionErrors(errors: errors)) }
        let evidence = positive.filter { $0 >= 0 }
        return .success(BoundCondition(
            root: root,
            evidenceMatchers: evidence.sorted(),
            unusedMatchers: matchers.indices.filter { !used.contains($0) },
            nearConstraints: near,
            onlyInNear: evidence.subtracting(outsideNear),
            warnings: warnings))
    }

    /// The condition every rule with one matcher and no `condition:` gets.
    public static func single() -> BoundCondition {
        BoundCondition(root: .matcher(0), evidenceMatchers: [0], unusedMatchers: [], nearConstraints: [], onlyInNear: [])
    }

    /// Indexes (into `spans(m)`) of the hits of `m` that have a partner within range under
    /// some near constraint; all hits when `m` is not only in `near`. The first `limit` of them.
    @inlinable
    public func supportingHits(of m: Int, _ input: some ConditionInput, limit: Int = .max) -> [Int] {
        // Most evidence matchers are not only in `near`: every hit counts, and making their
        // spans only to number them was a tenth of building a fired rule's evidence.
        guard onlyInNear.contains(m) else { return Array(0 ..< min(input.count(m), max(limit, 0))) }
        let mine = input.spans(m)
        var keep = [Bool](repeating: false, count: mine.count)
        for c in nearConstraints where c.a.contains(m) || c.b.contains(m) {
            let other = Reach(Self.pooled(c.a.contains(m) ? c.b : c.a, input))
            for (i, x) in mine.enumerated() where !keep[i] {
                if other.hasPartner(x, c.distance) { keep[i] = true }
            }
        }
        return Array(keep.indices.lazy.filter { keep[$0] }.prefix(max(limit, 0)))
    }

    @inlinable
    public func evaluate(_ input: some ConditionInput) -> Bool {
        eval(root, input)
    }

    @inlinable
    func eval(_ node: Node, _ input: some ConditionInput) -> Bool {
        switch node {
        case .matcher(let i): return input.count(i) > 0
        case .not(let n): return !eval(n, input)
        case let .and(a, b):
            // Asking whether a side is expensive walks it: only when some matcher may be.
            if input.mayBeExpensive, expensive(a, input), !expensive(b, input) { return eval(b, input) && eval(a, input) }
            return eval(a, input) && eval(b, input)
        case let .or(a, b):
            if input.mayBeExpensive, expensive(a, input), !expensive(b, input) { return eval(b, input) || eval(a, input) }
            return eval(a, input) || eval(b, input)
        case let .of(q, members):
            switch q {
            case .all: return members.allSatisfy { input.count($0) > 0 }
            case .any: return members.contains { input.count($0) > 0 }
            case .none: return !members.contains { input.count($0) > 0 }
            case .atLeast(let n):
                var found = 0
                for m in members where input.count(m) > 0 {
                    found += 1
                    if found >= n { return true }
                }
                return found >= n
            }
        case let .count(i, op, value): return op.holds(input.count(i), value)
        case let .near(a, distance, b):
            let (x, y) = input.mayBeExpensive && a.contains(where: input.isExpensive) ? (b, a) : (a, b)
            guard x.contains(where: { input.count($0) > 0 }), y.contains(where: { input.count($0) > 0 }) else { return false }
            return BoundCondition.near(Self.pooled(a, input), Self.pooled(b, input), distance, same: a == b)
        }
    }

    @inlinable
    func expensive(_ node: Node, _ input: some ConditionInput) -> Bool {
        switch node {
        case .matcher(let i), .count(let i, _, _): return input.isExpensive(i)
        case .not(let n): return expensive(n, input)
        case let .and(a, b), let .or(a, b): return expensive(a, input) || expensive(b, input)
        case let .of(_, members): return members.contains(where: input.isExpensive)
        case let .near(a, _, b): return a.contains(where: input.isExpensive) || b.contains(where: input.isExpensive)
        }
    }

    /// The spans of several matchers, in one list sorted by first word.
    @inlinable
    static func pooled(_ matchers: [Int], _ input: some ConditionInput) -> [WordSpan] {
        if matchers.count == 1 { return input.spans(matchers[0]) }
        return matchers.flatMap { input.spans($0) }.sorted { $0.first < $1.first }
    }

    /// Whether some span of `xs` lies within `distance` words of some span of `ys`.
    ///
    /// Adjacent words are 1 apart; overlapping spans 0. With `same`, a span is not near itself.
    @inlinable
    static func near(_ xs: [WordSpan], _ ys: [WordSpan], _ distance: Int, same: Bool) -> Bool {
        let reach = Reach(ys)
        for (xi, x) in xs.enumerated() where reach.hasPartner(x, distance, skipping: same ? xi : nil) {
            return true
        }
        return false
    }

    /// Spans sorted by first word, with how far back the spans up to each one reach: whether
    /// some span lies near a given one is then one binary search. Scanning the spans that
    /// start in range instead made one long span (a regex hit over a whole document)
    /// quadratic: every check had to start from it.
    @usableFromInline
    struct Reach {
        @usableFromInline let spans: [WordSpan]
        /// For `spans[0...i]`: the latest last word, the index of a span ending there, and the
        /// latest last word of any other span (for `skipping`).
        @usableFromInline var latest: [Int] = [], latestIndex: [Int] = [], runnerUp: [Int] = []

        @inlinable
        init(_ spans: [WordSpan]) {
            self.spans = spans
            latest.reserveCapacity(spans.count)
            latestIndex.reserveCapacity(spans.count)
            runnerUp.reserveCapacity(spans.count)
            var best = Int.min, index = -1, second = Int.min
            for (i, y) in spans.enumerated() {
                if y.last > best {
                    second = best
                    best = y.last
                    index = i
                } else if y.last > second {
                    second = y.last
                }
                latest.append(best)
                latestIndex.append(index)
                runnerUp.append(second)
            }
        }

        /// Whether some span other than `spans[skipping]` lies within `distance` words of `x`.
        @inlinable
        func hasPartner(_ x: WordSpan, _ distance: Int, skipping: Int? = nil) -> Bool {
            // Spans starting after x.last + distance are too far; of the others, one must end at
            // or after x.first - distance.
            var lo = 0, hi = spans.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if spans[mid].first <= x.last + distance { lo = mid + 1 } else { hi = mid }
            }
            guard lo > 0 else { return false }
            let reached = latestIndex[lo - 1] == skipping ? runnerUp[lo - 1] : latest[lo - 1]
            return reached >= x.first - distance
        }
    }
}
