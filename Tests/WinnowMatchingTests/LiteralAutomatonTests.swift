import WinnowMatching
import WinnowText
import XCTest

/// Table tests, each run with the dense and the sparse layout (aho-corasick found its bugs in
/// single option combinations).
final class LiteralAutomatonTests: XCTestCase {
    typealias Row = (name: String, patterns: [String], text: String, hits: [(String, String)])

    let table: [Row] = [
        ("whole word only", ["art"], "art martial arts art.", [("art", "art"), ("art", "art")]),
        ("prefix takes the whole word", ["extremis*"], "Extremists and extremism, extremely", [("extremis*", "Extremists"), ("extremis*", "extremism")]),
        ("phrase across hyphen and newline", ["sleeper cell"], "a sleeper-cell, a sleeper\ncell", [("sleeper cell", "sleeper-cell"), ("sleeper cell", "sleeper\ncell")]),
        ("overlapping keys at one start", ["new", "new york"], "New York", [("new", "New"), ("new york", "New York")]),
        ("key inside a longer key", ["york", "new york"], "new york", [("new york", "new york"), ("york", "york")]),
        ("same bytes exact and prefix", ["bomb", "bomb*"], "bomb bombs", [("bomb", "bomb"), ("bomb*", "bomb"), ("bomb*", "bombs")]),
        ("cyrillic case", ["актобе"], "В АКТОБЕ и Актобе.", [("актобе", "АКТОБЕ"), ("актобе", "Актобе")]),
        ("kazakh letters fold", ["ақтөбе"], "Актобе", [("ақтөбе", "Актобе")]),
        ("key ending in punctuation", ["u.s."], "the U.S. army", [("u.s.", "U.S.")]),
        ("digits are words", ["10"], "10 100 10", [("10", "10"), ("10", "10")]),
        ("no match mid-word after emoji", ["cell"], "😀cell excellent", [("cell", "cell")]),
        ("empty text", ["x"], "", []),
    ]

    private func run(_ row: Row, denseLimit: Int) -> [(String, String)] {
        var keys: [LiteralAutomaton.Key] = []
        for p in row.patterns {
            let prefix = p.hasSuffix("*")
            keys.append(LiteralAutomaton.Key(folding: prefix ? String(p.dropLast()) : p, isPrefix: prefix)!)
        }
        let automaton = LiteralAutomaton(keys: keys, denseLimit: denseLimit)
        XCTAssertEqual(automaton.isDense, denseLimit > 0, row.name)
        let text = FoldedText(folding: row.text)
        let original = Array(row.text.utf8)
        var out: [(String, String)] = []
        automaton.scan(text) { hit in
            let r = text.originalRange(hit.start, hit.end)
            out.append((row.patterns[hit.key], String(decoding: original[r], as: UTF8.self)))
        }
        return out
    }

    func testTable_denseLayout() {
        for row in table {
            let got = run(row, denseLimit: 1 << 21)
            XCTAssertEqual(got.map { "\($0.0)=\($0.1)" }, row.hits.map { "\($0.0)=\($0.1)" }, row.name)
        }
    }

    func testTable_sparseLayout() {
        for row in table {
            let got = run(row, denseLimit: 0)
            XCTAssertEqual(got.map { "\($0.0)=\($0.1)" }, row.hits.map { "\($0.0)=\($0.1)" }, row.name)
        }
    }

    func testKey_whenTermStartsWithPunctuation_isRejected() {
        XCTAssertNil(LiteralAutomaton.Key(folding: "#tag", isPrefix: false))
        XCTAssertNil(LiteralAutomaton.Key(folding: "  ", isPrefix: false))
    }

    func testHit_reportsWordIndexes() {
        let automaton = LiteralAutomaton(keys: [LiteralAutomaton.Key(folding: "opened fire", isPrefix: false)!])
        var hits: [LiteralAutomaton.Hit] = []
        automaton.scan(FoldedText(folding: "they then opened fire today")) { hits.append($0) }
        XCTAssertEqual(hits.map(\.firstWord), [2])
        XCTAssertEqual(hits.map(\.lastWord), [3])
    }
}

final class PCRE2RegexTests: XCTestCase {
    private func matches(_ pattern: String, _ text: String) throws -> [String] {
        let r = try PCRE2Regex(pattern)
        let bytes = Array(text.utf8)
        guard case .matches(let ranges) = bytes.withUnsafeBufferPointer({ r.matches(in: $0) }) else { return ["LIMIT"] }
        return ranges.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    func testMatches_caselessUnicodeByDefault() throws {
        XCTAssertEqual(try matches(#"\bактоб\w+"#, "В АКТОБЕ, Актобе"), ["АКТОБЕ", "Актобе"])
    }

    func testMatches_emptyMatchesAdvanceByWholeScalars() throws {
        XCTAssertEqual(try matches("x*", "ёx").filter { !$0.isEmpty }, ["x"])
    }

    func testCompile_whenPatternBroken_givesMessageAndScalarOffset() {
        XCTAssertThrowsError(try PCRE2Regex("ёё(ab")) { error in
            let e = error as! PCRE2Regex.CompileError
            XCTAssertTrue(e.message.contains("missing closing parenthesis"), e.message)
            XCTAssertEqual(e.scalarOffset, 5)
        }
    }

    func testMatches_whenBacktrackingExplodes_reportsLimitInsteadOfHanging() throws {
        var options = PCRE2Regex.Options()
        options.matchLimit = 10_000
        let r = try PCRE2Regex("(a+)+$", options: options)
        let text = Array((String(repeating: "a", count: 40) + "b").utf8)
        guard case .limitExceeded = text.withUnsafeBufferPointer({ r.matches(in: $0) }) else {
            return XCTFail("expected the match limit to stop the search")
        }
    }
}
