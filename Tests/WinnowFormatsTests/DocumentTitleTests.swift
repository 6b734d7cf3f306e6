@testable import WinnowFormats
import XCTest

final class DocumentTitleTests: XCTestCase {
    func testTitle_isFirstNonEmptyLine() {
        XCTAssertEqual(Document(string: "\n\n  Big   news \nbody").title, "Big news")
    }

    /// ASCII lines take a byte path; it must agree with splitting Characters on whitespace.
    func testTitle_asciiAndOtherLines_agreeWithCharacterSplitting() {
        func reference(_ text: String) -> String {
            // Lines end at every LF byte (a CR LF pair is one Character, so not String.split).
            for bytes in Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false) {
                let words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0.isWhitespace })
                guard !words.isEmpty else { continue }
                let joined = words.joined(separator: " ")
                return joined.unicodeScalars.count > 200
                    ? String(String.UnicodeScalarView(joined.unicodeScalars.prefix(199))) + "…" : joined
            }
            return ""
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "Bc", " ", "\t", "\r", "\u{0B}", "\u{0C}", "\u{1C}", "\u{1F}", ".", "\n", "\u{A0}", "é", "\u{2003}", "x\u{301}"]
        for _ in 0 ..< 500 {
            let n = Int.random(in: 0 ... 300, using: &rng)
            let text = (0 ..< n).map { _ in pieces.randomElement(using: &rng)! }.joined()
            XCTAssertEqual(Document(string: text).title, reference(text), text.debugDescription)
        }
        let long = String(repeating: "word ", count: 60)
        XCTAssertEqual(Document(string: long).title, reference(long))
        XCTAssertEqual(Document(string: long).title.unicodeScalars.count, 200)
    }
}
