import WinnowCondition
import XCTest

/// Every hit weighs 1 here, except hits at word 0 (a headline), which weigh 3.
final class ConditionStrengthTests: XCTestCase {
    let names = ["a", "b", "c"]

    private func strength(_ condition: String, _ hits: [String: [Int]]) throws -> Int {
        let bound = try BoundCondition.bind(try ConditionParser.parse(condition), matchers: names).get()
        let input = FakeInput(names: names, hits: hits.mapValues { $0.map { WordSpan(first: $0, last: $0) } })
        return bound.strength(input) { m, i in input.spans(m)[i].first == 0 ? 3 : 1 }
    }

    func testMatcher_weighsTheSumOfItsHits() throws {
        XCTAssertEqual(try strength("a", ["a": [0, 5, 9]]), 5)
    }

    func testAnd_isAsStrongAsItsWeakerPart() throws {
        XCTAssertEqual(try strength("a and b", ["a": [1, 2, 3, 4, 5, 6], "b": [40]]), 1)
    }

    func testOr_isAsStrongAsItsStrongerTruePart() throws {
        XCTAssertEqual(try strength("a or b", ["a": [1, 2], "b": [0, 7, 8]]), 5)
        XCTAssertEqual(try strength("a or b", ["a": [1, 2]]), 2)
    }

    func testNear_countsOnlyHitsWithAPartnerInRange() throws {
        XCTAssertEqual(try strength("a near(3) b", ["a": [10, 11, 50, 90], "b": [12, 13]]), 2)
    }

    func testNotAndCeilings_addNothing_andAFalseConditionWeighsZero() throws {
        XCTAssertEqual(try strength("a and not b", ["a": [1, 2]]), 2)
        XCTAssertEqual(try strength("a and #b <= 5", ["a": [1], "b": [3, 4, 5]]), 1)
        XCTAssertEqual(try strength("#a >= 2", ["a": [1, 2, 3]]), 3)
        XCTAssertEqual(try strength("a and b", ["a": [1]]), 0)
    }

    func testNOf_isItsNthStrongestMember() throws {
        XCTAssertEqual(try strength("2 of (a, b, c)", ["a": [1, 2, 3], "b": [4], "c": [5, 6]]), 2)
    }
}
