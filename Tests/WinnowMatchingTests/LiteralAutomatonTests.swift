@testable import WinnowMatching
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
        ("one scalar folds to two bytes", ["strasse"], "Die Straße.", [("strasse", "Straße")]),
        ("a combining accent stays with its letter", ["cafe"], "cafe\u{301} cafe\u{301}s", [("cafe", "cafe\u{301}")]),
        ("soft hyphen inside a word", ["extremist*"], "extre\u{AD}mists", [("extremist*", "extre\u{AD}mists")]),
    ]

    private func run(_ row: Row, denseLimit: Int) -> [(String, String)] {
        var keys: [LiteralAutomaton.Key] = []
        for p in row.patterns {
            let prefix = p.hasSuffix("*")
            keys.append(LiteralAutomaton.Key(folding: prefix ? String(p.dropLast()) : p, isPrefix: prefix)!)
        }
        let automaton = LiteralAutomaton(keys: keys, denseLimit: denseLimit)
        XCTAssertEqual(automaton.isDense, denseLimit > 0, row.name)
        let original = Array(row.text.utf8)
        var out: [(String, String)] = []
        automaton.scan(original) { hit in
            out.append((row.patterns[hit.key], String(decoding: original[hit.start ..< hit.end], as: UTF8.self)))
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

    /// The automaton, which folds as it walks, against a direct reading of its contract over
    /// the whole folded text, on random keys and texts: every key at every word start, word-end
    /// and prefix rules, capitalised-only keys skipped from lowercase words, hits ordered by
    /// start, then end, then key, and ranges mapped back to the text through the fold's map.
    func testRandomKeysAndTexts_matchTheNaiveDefinition() {
        var rng = SystemRandomNumberGenerator()
        let syllables = ["a", "an", "ab", "ba", "n", "ан", "ба", "қа", "é", "x1", "1", "ab-", "a.b",
                         "e\u{301}", "\u{AD}", "ß", "ss", "a\u{7F}", "«", "😀"]
        func word(_ parts: Int) -> String { (0 ..< parts).map { _ in syllables.randomElement(using: &rng)! }.joined() }
        for round in 0 ..< 300 {
            var keys = KeySet()
            var terms: [String] = []
            for _ in 0 ..< Int.random(in: 1 ... 30, using: &rng) {
                let term = (0 ..< Int.random(in: 1 ... 2, using: &rng)).map { _ in word(Int.random(in: 1 ... 3, using: &rng)) }.joined(separator: " ")
                guard let key = LiteralAutomaton.Key(folding: term, isPrefix: Bool.random(using: &rng)) else { continue }
                keys.append(bytes: key.bytes, isPrefix: key.isPrefix, endsInWord: key.endsInWord,
                            capitalisedOnly: !key.isPrefix && Int.random(in: 0 ..< 3, using: &rng) == 0)
                terms.append(term)
            }
            let text = (0 ..< Int.random(in: 0 ... 25, using: &rng)).map { _ -> String in
                let w = word(Int.random(in: 1 ... 3, using: &rng))
                return Bool.random(using: &rng) ? w.capitalized : w
            }.joined(separator: [" ", "  ", "-", ", ", "\n"].randomElement(using: &rng)!)
            let folded = FoldedText(folding: text)
            let original = Array(text.utf8)
            for denseLimit in [0, 64, 1 << 18] {
                let automaton = LiteralAutomaton(keys: keys, denseLimit: denseLimit)
                var got: [LiteralAutomaton.Hit] = []
                automaton.scan(original) { got.append($0) }
                let want = Self.naive(keys, folded, original).map { h in
                    LiteralAutomaton.Hit(key: h.key, start: Int(folded.originalOffset[h.start]), end: Int(folded.originalOffset[h.end]),
                                         firstWord: h.firstWord, lastWord: h.lastWord)
                }
                XCTAssertEqual(got.map { "\($0)" }, want.map { "\($0)" }, "round \(round) dense \(denseLimit): \(terms) in \(text.debugDescription)")
            }
        }
    }

    /// Hits in folded bytes.
    static func naive(_ keys: KeySet, _ text: FoldedText, _ original: [UInt8]) -> [LiteralAutomaton.Hit] {
        let n = text.bytes.count, words = text.wordCount
        let anyCapitalisedOnly = (0 ..< keys.count).contains { keys.isCapitalisedOnly($0) }
        var hits: [LiteralAutomaton.Hit] = []
        for w in 0 ..< words {
            let s = Int(text.wordStarts[w])
            let o = Int(text.originalOffset[s])
            let first = String(decoding: original[o...].prefix(4), as: UTF8.self).unicodeScalars.first!
            let lowercase = anyCapitalisedOnly && (("a" ... "z").contains(first) || ("а" ... "я").contains(first) || ("ѐ" ... "џ").contains(first))
            var found: [LiteralAutomaton.Hit] = []
            for k in 0 ..< keys.count where !(lowercase && keys.isCapitalisedOnly(k)) {
                let key = Array(keys.key(k))
                guard s + key.count <= n, Array(text.bytes[s ..< s + key.count]) == key else { continue }
                let e = s + key.count
                var endWord = w
                while endWord < words, Int(text.wordEnds[endWord]) < e { endWord += 1 }
                let wordEnd = endWord < words ? Int(text.wordEnds[endWord]) : n
                if keys.isPrefix(k) {
                    found.append(.init(key: k, start: s, end: max(wordEnd, e), firstWord: w, lastWord: endWord))
                } else if !keys.endsInWord(k) || wordEnd == e {
                    found.append(.init(key: k, start: s, end: e, firstWord: w, lastWord: wordEnd == e ? endWord : max(w, endWord - 1)))
                }
            }
            hits += found.sorted { (keys.length($0.key), $0.key) < (keys.length($1.key), $1.key) }
        }
        return hits
    }

    func testKey_whenTermStartsWithPunctuation_isRejected() {
        XCTAssertNil(LiteralAutomaton.Key(folding: "#tag", isPrefix: false))
        XCTAssertNil(LiteralAutomaton.Key(folding: "  ", isPrefix: false))
    }

    func testHit_reportsWordIndexes() {
        let automaton = LiteralAutomaton(keys: [LiteralAutomaton.Key(folding: "opened fire", isPrefix: false)!])
        var hits: [LiteralAutomaton.Hit] = []
        automaton.scan(Array("they then opened fire today".utf8)) { hits.append($0) }
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
