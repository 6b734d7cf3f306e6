import WinnowCondition
import XCTest

/// Hits given as word spans per matcher name.
struct FakeInput: ConditionInput {
    var names: [String]
    var hits: [String: [WordSpan]]

    func count(_ m: Int) -> Int { hits[names[m]]?.count ?? 0 }
    func spans(_ m: Int) -> [WordSpan] { (hits[names[m]] ?? []).sorted { $0.first < $1.first } }
}

final class ConditionTests: XCTestCase {
    let names = ["a", "b", "c", "act_1", "act_2"]

    private func eval(_ condition: String, _ hits: [String: [Int]]) throws -> Bool {
        let expr = try ConditionParser.parse(condition)
        let bound = try BoundCondition.bind(expr, matchers: names).get()
        let spans = hits.mapValues { $0.map { WordSpan(first: $0, last: $0) } }
        return bound.evaluate(FakeInput(names: names, hits: spans))
    }

    private func error(_ condition: String) -> ConditionError? {
        do {
            let expr = try ConditionParser.parse(condition)
            switch BoundCondition.bind(expr, matchers: names) {
            case .success: return nil
            case .failure(let e): return e.errors.first
            }
        } catch {
            return error
        }
    }

    func testBooleans() throws {
        XCTAssertTrue(try eval("a and b", ["a": [1], "b": [2]]))
        XCTAssertFalse(try eval("a and b", ["a": [1]]))
        XCTAssertTrue(try eval("a or b", ["b": [1]]))
        XCTAssertTrue(try eval("not a", [:]))
        XCTAssertTrue(try eval("a AND NOT b", ["a": [1]]), "keywords are case-insensitive")
    }

    func testPrecedence_notBindsTighterThanAndTighterThanOr() throws {
        // a or b and c == a or (b and c)
        XCTAssertTrue(try eval("a or b and c", ["a": [1]]))
        XCTAssertFalse(try eval("(a or b) and c", ["a": [1]]))
        // not a and b == (not a) and b
        XCTAssertTrue(try eval("not a and b", ["b": [1]]))
        XCTAssertFalse(try eval("not (a and b) and c", ["a": [1], "b": [1], "c": [1]]))
    }

    func testQuantifiers() throws {
        XCTAssertTrue(try eval("2 of (a, b, c)", ["a": [1], "c": [2]]))
        XCTAssertFalse(try eval("2 of (a, b, c)", ["a": [1]]))
        XCTAssertTrue(try eval("all of them", ["a": [1], "b": [1], "c": [1], "act_1": [1], "act_2": [1]]))
        XCTAssertFalse(try eval("all of them", ["a": [1]]))
        XCTAssertTrue(try eval("any of them", ["c": [1]]))
        XCTAssertTrue(try eval("none of (a, b)", ["c": [1]]))
        XCTAssertTrue(try eval("any of (act*)", ["act_2": [1]]))
        XCTAssertFalse(try eval("all of (act*)", ["act_2": [1]]))
    }

    func testCounts() throws {
        XCTAssertTrue(try eval("#a >= 3", ["a": [1, 2, 3]]))
        XCTAssertFalse(try eval("#a >= 3", ["a": [1, 2]]))
        XCTAssertTrue(try eval("#a == 0", [:]))
        XCTAssertTrue(try eval("#a != 1 and #b < 2", ["a": [1, 2], "b": [1]]))
        XCTAssertTrue(try eval("#a > 1 or #b <= 0", ["a": [1]]))
    }

    func testNear_countsWordsBetweenHitsEitherWay() throws {
        XCTAssertTrue(try eval("a near(1) b", ["a": [5], "b": [6]]), "adjacent words are 1 apart")
        XCTAssertTrue(try eval("a near(1) b", ["a": [6], "b": [5]]), "order does not matter")
        XCTAssertFalse(try eval("a near(1) b", ["a": [5], "b": [7]]))
        XCTAssertTrue(try eval("a near(2) b", ["a": [5], "b": [7]]))
        XCTAssertTrue(try eval("a near(0) b", ["a": [5], "b": [5]]), "overlapping hits are 0 apart")
        XCTAssertTrue(try eval("a near(3) b", ["a": [1, 100], "b": [50, 102]]), "any pair counts")
        XCTAssertFalse(try eval("a near(3) b", ["a": [1, 100], "b": [50]]))
        XCTAssertFalse(try eval("a near(3) b", ["a": [1]]))
    }

    func testNear_withSpansUsesTheirEnds() throws {
        let expr = try ConditionParser.parse("a near(2) b")
        let bound = try BoundCondition.bind(expr, matchers: names).get()
        let input = FakeInput(names: names, hits: ["a": [WordSpan(first: 0, last: 4)], "b": [WordSpan(first: 6, last: 6)]])
        XCTAssertTrue(bound.evaluate(input))
    }

    func testNear_sameMatcherNeedsTwoHits() throws {
        XCTAssertFalse(try eval("a near(5) a", ["a": [3]]))
        XCTAssertTrue(try eval("a near(5) a", ["a": [3, 7]]))
    }

    func testNear_withNameListsPoolsTheirHits() throws {
        XCTAssertTrue(try eval("a near(2) (b, c)", ["a": [5], "c": [7]]))
        XCTAssertTrue(try eval("a near(2) (b or c)", ["a": [5], "b": [6]]))
        XCTAssertFalse(try eval("a near(2) (b, c)", ["a": [5], "c": [9]]))
        XCTAssertTrue(try eval("(a, b) near(1) c", ["b": [3], "c": [4]]))
        XCTAssertTrue(try eval("(a or b) near(1) c and not act_1", ["b": [3], "c": [4]]))
        XCTAssertFalse(try eval("(a or b) and c", ["b": [3]]), "a parenthesised or without near is an ordinary group")
    }

    func testNear_withHugeDistance_meansAnywhereAndDoesNotOverflow() throws {
        XCTAssertTrue(try eval("a near(9223372036854775807) b", ["a": [0, 7], "b": [3, 1_000_000]]))
        XCTAssertTrue(try eval("a near(99999999999999999999) b", ["a": [2_000_000], "b": [1]]))
        XCTAssertFalse(try eval("a near(9223372036854775807) a", ["a": [4]]))
    }

    func testSupportingHits_ofAMatcherOnlyInNear_areThoseWithAPartnerInRange() throws {
        let bound = try BoundCondition.bind(try ConditionParser.parse("a near(2) (b, c) or c"), matchers: names).get()
        let spans: ([Int]) -> [WordSpan] = { $0.map { WordSpan(first: $0, last: $0) } }
        let input = FakeInput(names: names, hits: ["a": spans([1, 10, 20, 30]), "b": spans([12, 40]), "c": spans([28])])
        XCTAssertEqual(bound.supportingHits(of: 0, input), [1, 3], "a at 10 and 30 have b at 12 and c at 28")
        XCTAssertEqual(bound.supportingHits(of: 1, input), [0], "b at 12 has a at 10")
        XCTAssertEqual(bound.supportingHits(of: 2, input), [0], "c is also outside near: all its hits")
        let many = FakeInput(names: names, hits: ["a": spans(Array(0 ..< 20_000).map { $0 * 10 }), "b": spans([99_991, 100_002])])
        XCTAssertEqual(bound.supportingHits(of: 0, many), [9999, 10000])
    }

    func testSupportingHits_withALimit_areTheFirstOfThemInOrder() throws {
        let bound = try BoundCondition.bind(try ConditionParser.parse("a near(2) b or c"), matchers: names).get()
        let spans: ([Int]) -> [WordSpan] = { $0.map { WordSpan(first: $0, last: $0) } }
        let input = FakeInput(names: names, hits: ["a": spans([1, 10, 20, 30]), "b": spans([2, 21, 29]), "c": spans([5, 6, 7])])
        XCTAssertEqual(bound.supportingHits(of: 0, input, limit: 2), [0, 2], "a at 1 and 20; a at 30 is past the limit")
        XCTAssertEqual(bound.supportingHits(of: 2, input, limit: 2), [0, 1], "c is outside near: its first two hits")
        XCTAssertEqual(bound.supportingHits(of: 2, input, limit: 0), [])
        XCTAssertEqual(bound.supportingHits(of: 2, input, limit: 10), [0, 1, 2])
    }

    func testNear_agreesWithCheckingEveryPairOnRandomSpans() throws {
        // Spans of any length, overlapping, and one list against itself.
        var rng = SystemRandomNumberGenerator()
        func randomSpans(_ n: Int) -> [WordSpan] {
            (0 ..< n).map { _ in
                let first = Int.random(in: 0 ..< 200, using: &rng)
                let long = Int.random(in: 0 ..< 10, using: &rng) == 0
                return WordSpan(first: first, last: first + Int.random(in: 0 ... (long ? 150 : 3), using: &rng))
            }.sorted { $0.first < $1.first }
        }
        func gap(_ x: WordSpan, _ y: WordSpan) -> Int { max(0, max(x.first, y.first) - min(x.last, y.last)) }
        for round in 0 ..< 2000 {
            let a = randomSpans(Int.random(in: 0 ..< 6, using: &rng)), b = randomSpans(Int.random(in: 0 ..< 6, using: &rng))
            let d = Int.random(in: 0 ..< 12, using: &rng)
            let input = FakeInput(names: names, hits: ["a": a, "b": b])
            let pairs = try BoundCondition.bind(try ConditionParser.parse("a near(\(d)) b"), matchers: names).get()
            let expected = a.contains { x in b.contains { y in gap(x, y) <= d } }
            XCTAssertEqual(pairs.evaluate(input), expected, "round \(round): a=\(a) b=\(b) d=\(d)")
            let itself = try BoundCondition.bind(try ConditionParser.parse("a near(\(d)) a"), matchers: names).get()
            let expectedSelf = a.indices.contains { i in a.indices.contains { j in i != j && gap(a[i], a[j]) <= d } }
            XCTAssertEqual(itself.evaluate(input), expectedSelf, "round \(round): a=\(a) d=\(d)")
        }
    }

    func testNear_withOneSpanOverTheWholeDocument_findsPartnersAnywhereInIt() throws {
        // A regex hit spanning 300,000 words; checking it used to rescan every hit in range.
        let bound = try BoundCondition.bind(try ConditionParser.parse("b near(5) (a, c)"), matchers: names).get()
        let spans: ([Int]) -> [WordSpan] = { $0.map { WordSpan(first: $0, last: $0) } }
        let long = [WordSpan(first: 0, last: 300_000)]
        let input = FakeInput(names: names, hits: ["a": long, "b": spans(Array(300_020 ..< 600_000)), "c": spans(Array(1 ..< 300_000))])
        XCTAssertFalse(bound.evaluate(input))
        let near = FakeInput(names: names, hits: ["a": long, "b": spans(Array(300_005 ..< 600_000)), "c": spans(Array(1 ..< 300_000))])
        XCTAssertTrue(bound.evaluate(near))
        XCTAssertEqual(bound.supportingHits(of: 1, near), [0])
    }

    func testNear_bindsTighterThanNot() throws {
        XCTAssertTrue(try eval("not a near(1) b", ["a": [1], "b": [9]]))
    }

    func testEvidence_excludesNegatedMatchers() throws {
        let bound = try BoundCondition.bind(try ConditionParser.parse("a and not b and none of (c)"), matchers: names).get()
        XCTAssertEqual(bound.evidenceMatchers, [0])
        XCTAssertEqual(bound.unusedMatchers, [3, 4])
    }

    func testLimits_whenNestedTooDeep_reportsInsteadOfOverflowingTheStack() throws {
        let deep = String(repeating: "(", count: 400) + "a" + String(repeating: ")", count: 400)
        XCTAssertEqual(error(deep)?.message, "the condition nests more than 64 levels of parentheses and 'not'; simplify it")
        XCTAssertEqual(error(deep)?.span.start, 64)
        XCTAssertEqual(error(String(repeating: "not ", count: 400) + "a")?.span.start, 64 * 4)
        let allowed = String(repeating: "(", count: 64) + "a" + String(repeating: ")", count: 64)
        XCTAssertTrue(try eval(allowed, ["a": [1]]))
    }

    func testLimits_whenTooLong_reportsInsteadOfOverflowingTheStack() throws {
        let long = Array(repeating: "a", count: 100_000).joined(separator: " and ")
        XCTAssertEqual(error(long)?.message, "the condition has more than 1000 names, keywords and symbols; split it across rules")
        XCTAssertEqual(error(long)?.span.start, 500 * 6)
        XCTAssertTrue(try eval(Array(repeating: "a", count: 500).joined(separator: " and "), ["a": [1]]))
    }

    func testErrors_pointInsideTheString() {
        let cases: [(String, String, Int)] = [
            ("a and", "the condition ends where a matcher name was expected", 5),
            ("a && b", "'&' is not an operator; write 'and'", 2),
            ("a b", "unexpected 'b' after a complete condition; join parts with 'and' or 'or'", 2),
            ("(a or b", "'(' is never closed", 0),
            ("a near b", "expected '(' after 'near', as in near(20), found 'b'", 7),
            ("a near(3) (b and c)", "expected ',', 'or' or ')' in the list after near(3), found 'and'", 13),
            ("a near(3) not", "expected a matcher name or a list such as (b, c) after near(3), found 'not'", 10),
            ("#a = 2", "'=' is not an operator; write '==' to compare", 3),
            ("2 of a", "expected 'them' or a list in parentheses after 'of', found 'a'", 5),
            ("all them", "'all' must be followed by 'of', as in 'all of them'", 0),
            ("a and bb", "unknown matcher 'bb' (did you mean 'b'?)", 6),
            ("3 of (a, b)", "'3 of' a set of 2 can never be true", 0),
            ("any of (zz*)", "no matcher name starts with 'zz'", 8),
        ]
        for (text, message, column) in cases {
            let e = error(text)
            XCTAssertEqual(e?.message, message, text)
            XCTAssertEqual(e?.span.start, column, text)
        }
    }

    private func warnings(_ condition: String) throws -> [ConditionError] {
        try BoundCondition.bind(ConditionParser.parse(condition), matchers: names).get().warnings
    }

    func testOf_whenANameIsListedTwice_countsItOnce() throws {
        XCTAssertFalse(try eval("2 of (a, a, b)", ["a": [1]]))
        XCTAssertTrue(try eval("2 of (a, a, b)", ["a": [1], "b": [2]]))
        XCTAssertFalse(try eval("2 of (act*, act_1)", ["act_1": [1]]))
        XCTAssertTrue(try eval("2 of (act*, act_1)", ["act_1": [1], "act_2": [2]]))
    }

    func testOf_whenANameIsWrittenTwice_warnsAtTheSecond() throws {
        let w = try warnings("2 of (a, b, a)")
        XCTAssertEqual(w.map(\.message), ["matcher 'a' is listed twice in '2 of (...)'; it counts once"])
        XCTAssertEqual(w.first?.span.start, 12)
        XCTAssertEqual(try warnings("any of (act*, act_1)").count, 0, "a prefix covering a name is not a repetition")
    }

    func testOf_whenZero_isAlwaysTrueAndWarns() throws {
        XCTAssertTrue(try eval("0 of (a)", [:]))
        XCTAssertEqual(try warnings("0 of them").map(\.message),
                       ["'0 of' is always true, whatever the matchers find; write '1 of' (or 'any of') to need one of them"])
        XCTAssertEqual(try warnings("1 of them").count, 0)
    }
}
