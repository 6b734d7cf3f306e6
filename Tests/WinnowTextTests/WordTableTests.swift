@testable import WinnowText
import XCTest

final class WordTableTests: XCTestCase {
    /// Word k of the table is word k of the folded text, mapped back through the fold's map;
    /// a cursor from each word start reads what the folded text holds from there, and where a
    /// match ends is where the map says.
    func testWordsAndCursor_agreeWithTheFoldedText() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "Ab", "ан", "Қа", "é", "e\u{301}", "\u{AD}", "ß", "ﬁ", "1", " ", "  ", "-", " - ", "\n",
                      ",", "«", "»", "’", "\u{7F}", "😀", "x\u{200D}y", "\u{0640}", "İ"]
        for round in 0 ..< 500 {
            let text = (0 ..< Int.random(in: 0 ... 30, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let bytes = Array(text.utf8)
            let folded = FoldedText(folding: bytes)
            let words = WordTable(bytes)
            let label = "round \(round): \(text.debugDescription)"
            XCTAssertEqual(words.count, folded.wordCount, label)
            guard words.count == folded.wordCount else { continue }
            for k in 0 ..< words.count {
                XCTAssertEqual(words.start(k), Int(folded.originalOffset[Int(folded.wordStarts[k])]), label)
                XCTAssertEqual(words.end(k), Int(folded.originalOffset[Int(folded.wordEnds[k])]), label)
                let s = Int(folded.wordStarts[k])
                var read: [UInt8] = []
                bytes.withUnsafeBufferPointer { text in
                    FoldTable.shared.withBuffers { fold in
                        var cursor = FoldCursor(text, fold, at: words.start(k))
                        while let b = cursor.next() {
                            read.append(b)
                            // Keys never end in a space: a match ends after a letter or a mark.
                            guard b != 0x20 else { continue }
                            XCTAssertEqual(cursor.matchEnd(), Int(folded.originalOffset[s + read.count]), label)
                        }
                    }
                }
                XCTAssertEqual(read, Array(folded.bytes[s...]), label)
            }
        }
    }

    func testLongWords_keepTheirEnds() {
        let long = String(repeating: "x", count: 300), longer = String(repeating: "я", count: 400)
        let text = Array("a \(long) b \(longer)".utf8)
        let words = WordTable(text)
        XCTAssertEqual(words.count, 4)
        XCTAssertEqual(words.end(1) - words.start(1), 300)
        XCTAssertEqual(words.end(2), words.start(2) + 1)
        XCTAssertEqual(words.end(3), text.count)
    }

    func testIndexAtOrAfter_findsTheWordStartingThere() {
        let words = WordTable(Array("one two  three".utf8))
        XCTAssertEqual(words.index(atOrAfter: 0), 0)
        XCTAssertEqual(words.index(atOrAfter: 1), 1)
        XCTAssertEqual(words.index(atOrAfter: 4), 1)
        XCTAssertEqual(words.index(atOrAfter: 9), 2)
        XCTAssertEqual(words.index(atOrAfter: 14), 3)
    }
}
