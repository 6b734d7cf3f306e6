@testable import WinnowRules
import WinnowMatching
import XCTest

final class KeyIndexTests: XCTestCase {
    /// Keys that differ only in their flags, or by one byte, are different keys.
    private func keys(_ n: Int) -> [LiteralAutomaton.Key] {
        (0 ..< n).map { i in
            LiteralAutomaton.Key(bytes: Array("term\(i / 4)".utf8), isPrefix: i % 2 == 1, endsInWord: i % 4 >= 2)
        }
    }

    private func filled(_ keys: [LiteralAutomaton.Key], reserving: Int = 0) -> KeyIndex {
        var index = KeyIndex()
        index.reserve(reserving)
        for (k, key) in keys.enumerated() {
            XCTAssertNil(index.find(key, hash: KeyIndex.hash(key), in: keys), "not added yet")
            index.insert(k, hash: KeyIndex.hash(key))
        }
        return index
    }

    func testFind_afterGrowingFromEmpty_givesEachKeyItsIndex() {
        let all = keys(20_000)
        let index = filled(all)
        for (k, key) in all.enumerated() {
            XCTAssertEqual(index.find(key, hash: KeyIndex.hash(key), in: all), k)
        }
    }

    func testFind_ofAKeyNeverAdded_isNil() {
        let all = keys(5_000)
        let index = filled(all, reserving: 1_000)
        for key in [LiteralAutomaton.Key(bytes: Array("term5000".utf8), isPrefix: false, endsInWord: false),
                    LiteralAutomaton.Key(bytes: Array("term".utf8), isPrefix: false, endsInWord: false),
                    LiteralAutomaton.Key(bytes: [], isPrefix: true, endsInWord: true)] {
            XCTAssertNil(index.find(key, hash: KeyIndex.hash(key), in: all))
        }
    }

    func testFind_whenHashesCollide_comparesTheKeys() {
        // Every key given the same hash: one long probe run, told apart by the keys themselves.
        let all = keys(300)
        var index = KeyIndex()
        for k in all.indices { index.insert(k, hash: 42) }
        for (k, key) in all.enumerated() { XCTAssertEqual(index.find(key, hash: 42, in: all), k) }
        XCTAssertNil(index.find(LiteralAutomaton.Key(bytes: [1], isPrefix: false, endsInWord: false), hash: 42, in: all))
    }
}
