extension BoundCondition {
    /// How much evidence a true condition stands on, given a weight per hit (`weight(m, i)` for
    /// hit `i` of `spans(m)`): a matcher weighs the sum of its hits, `a and b` the lesser of
    /// the two (a rule is as strong as its weakest part: twenty mentions of a country and one
    /// of fighters are one sentence about fighters), `a or b` the greater of the true ones,
    /// `a near(N) b` the lesser of the hits on each side that have a partner in range, and
    /// `N of (…)` its N-th strongest true member. `not`, and counts that set a ceiling
    /// (`#x <= 2`), are no evidence. Zero when the condition is false.
    // Inlinable, as `evaluate` is: unspecialised, every question about a matcher went through
    // witness tables and retained the condition's nodes (a tenth of classifying a document).
    @inlinable
    public func strength(_ input: some ConditionInput, weight: (Int, Int) -> Int) -> Int {
        evaluate(input) ? strength(ofTrue: input, weight: weight) : 0
    }

    /// `strength` of a condition already known to be true for `input` (a fired rule), without
    /// evaluating it again.
    @inlinable
    public func strength(ofTrue input: some ConditionInput, weight: (Int, Int) -> Int) -> Int {
        strength(root, input, weight) ?? 0
    }

    /// Nil for a node that is no evidence (a `not`, a ceiling), or is false.
    @inlinable
    func strength(_ node: Node, _ input: some ConditionInput, _ weight: (Int, Int) -> Int) -> Int? {
        func sum(_ m: Int) -> Int {
            var total = 0
            for i in 0 ..< input.count(m) { total += weight(m, i) }
            return total
        }
        switch node {
        case .matcher(let m):
            return input.count(m) > 0 ? sum(m) : nil
        case .not:
            return nil
        case let .and(a, b):
            // Both sides are true (the caller asks only about true nodes), or one is no evidence.
            switch (strength(a, input, weight), strength(b, input, weight)) {
            case let (x?, y?): return min(x, y)
            case let (x?, nil), let (nil, x?): return x
            case (nil, nil): return nil
            }
        case let .or(a, b):
            let x = eval(a, input) ? strength(a, input, weight) : nil
            let y = eval(b, input) ? strength(b, input, weight) : nil
            switch (x, y) {
            case let (x?, y?): return max(x, y)
            case let (x?, nil), let (nil, x?): return x
            case (nil, nil): return nil
            }
        case let .of(q, members):
            let present = members.filter { input.count($0) > 0 }.map(sum).sorted(by: >)
            switch q {
            case .none: return nil
            case .any: return present.first
            case .all: return present.count == members.count ? present.last : nil
            case .atLeast(let n): return n >= 1 && present.count >= n ? present[n - 1] : (n == 0 ? present.first : nil)
            }
        case let .count(m, op, value):
            // `#x >= 3` is evidence; `#x <= 2` or `#x == 0` only limits.
            guard op == .ge || op == .gt, op.holds(input.count(m), value) else { return nil }
            return sum(m)
        case let .near(a, distance, b):
            guard eval(node, input) else { return nil }
            func side(_ mine: [Int], _ other: [Int]) -> Int {
                let reach = Reach(Self.pooled(other, input))
                var total = 0
                for m in mine {
                    for (i, x) in input.spans(m).enumerated() where reach.hasPartner(x, distance, skipping: nil) {
                        total += weight(m, i)
                    }
                }
                return total
            }
            return min(side(a, b), side(b, a))
        }
    }
}
