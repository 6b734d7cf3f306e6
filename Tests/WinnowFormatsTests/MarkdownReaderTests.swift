@testable import WinnowFormats
import XCTest

/// Markdown is read as it renders: no syntax in the text, offsets into the file.
final class MarkdownReaderTests: XCTestCase {
    private func read(_ markdown: String) throws -> ExtractedText {
        try DocumentReader.read(Array(markdown.utf8), name: "note.md").documents[0]
    }

    func testSyntax_doesNotLeakIntoTheText() throws {
        let md = """
            # Raid in *Tashkent*: police detain **five** #

            > Security services said the [group](https://example.org/g "title") planned ![an image](x.png) attacks.

            - The leader, `abu_umar`, was held in snake_case_town.
            1. Weapons were seized\\*.

            | city | arrests |
            |------|---------|
            | Tashkent | 5 |

            ```
            code block text
            ```
            [ref]: https://example.org
            ***
            """
        let d = try read(md)
        XCTAssertEqual(String(decoding: d.text, as: UTF8.self), """
            Raid in Tashkent: police detain five

            Security services said the group planned an image attacks.

            The leader, abu_umar, was held in snake_case_town.
            Weapons were seized*.

             city  arrests

             Tashkent  5

            code block text
            """)
        XCTAssertEqual(d.metadata.title, "Raid in Tashkent: police detain five")
    }

    func testSetextHeading_isTheTitle() throws {
        XCTAssertEqual(try read("Raid in Almaty\n==============\n\nPolice raided a market.\n").metadata.title, "Raid in Almaty")
    }

    func testOffsets_pointAtTheWordsInTheFile() throws {
        let md = "# Raid\n\nPolice **raided** a [market](https://x.org) in _Almaty_.\n"
        let d = try read(md)
        let file = Array(md.utf8)
        for word in ["Raid", "raided", "market", "Almaty"] {
            let at = try XCTUnwrap(d.text.firstRange(of: Array(word.utf8)), word)
            XCTAssertEqual(String(decoding: file[d.map.sourceRange(at, text: d.text)], as: UTF8.self), word)
        }
    }

    /// Brackets nested a hundred thousand deep, or links whose target never closes, in one line:
    /// read in one pass (a recursive reader overflowed its stack; a rescan per link was quadratic).
    func testHostileBrackets_areReadInOnePass() throws {
        let deep = "# T\n\n" + String(repeating: "[", count: 100_000) + "word" + String(repeating: "]", count: 100_000) + "\n"
        let deepText = String(decoding: try read(deep).text, as: UTF8.self)
        XCTAssertTrue(deepText.hasSuffix("word"), String(deepText.suffix(30)).debugDescription)
        let open = "# T\n\n" + String(repeating: "[a](", count: 100_000) + "\n"
        XCTAssertEqual(try read(open).text.count, 1 + 2 + 100_000 * 2)
        let links = "# T\n\n" + String(repeating: "[a](x) ", count: 50_000) + "\n"
        XCTAssertTrue(String(decoding: try read(links).text, as: UTF8.self).trimmingWhitespace.hasSuffix("a a a"))
    }
}
