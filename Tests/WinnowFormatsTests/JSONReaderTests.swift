import Foundation
@testable import WinnowFormats
import WinnowTestSupport
import XCTest

/// JSON articles and JSON Lines feeds: fields by key, escapes decoded, offsets into the file.
final class JSONReaderTests: XCTestCase {
    private func read(_ name: String, _ json: String, options: ReadingOptions = ReadingOptions()) throws -> Reading {
        try DocumentReader.read(Array(json.utf8), name: name, options: options)
    }

    private func text(_ d: ExtractedText) -> String { String(decoding: d.text, as: UTF8.self) }

    /// Every word's mapped bytes, with JSON escapes decoded, are the word.
    private func assertWordsMapBack(_ d: ExtractedText, _ file: String, line: UInt = #line) throws {
        let bytes = Array(file.utf8)
        let text = d.text
        var start = 0
        for i in 0 ... text.count where i == text.count || text[i] == 0x20 || text[i] == 0x0A {
            defer { start = i + 1 }
            guard i > start else { continue }
            let r = d.map.sourceRange(start ..< i, text: text)
            let quoted = "\"" + String(decoding: bytes[r], as: UTF8.self) + "\""
            let decoded = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed) as? String
            XCTAssertEqual(decoded, String(decoding: text[start ..< i], as: UTF8.self), line: line)
        }
    }

    func testArticle_readsTitleThenBodyAndDecodesEveryEscape() throws {
        let json = #"""
            {"id": 7, "url": "https://example.org/a", "title": "Police in \u0410\u043a\u0442\u043e\u0431\u0435 detain suspects",
             "description": "A short lead.", "body": "Police said:\n\"five men were detained\" \ud83d\ude00 in the raid.",
             "author": {"name": "Staff"}, "published": "2026-11-30", "source": "Example Wire", "lang": "EN"}
            """#
        let d = try read("a.json", json).documents[0]
        XCTAssertEqual(text(d), "Police in Актобе detain suspects\n\nA short lead.\n\nPolice said:\n\"five men were detained\" 😀 in the raid.")
        XCTAssertEqual(d.metadata.title, "Police in Актобе detain suspects")
        XCTAssertEqual(d.metadata.author, "Staff")
        XCTAssertEqual(d.metadata.published, "2026-11-30")
        XCTAssertEqual(d.metadata.url, "https://example.org/a")
        XCTAssertEqual(d.metadata.publisher, "Example Wire")
        XCTAssertEqual(d.metadata.language, "en")
        XCTAssertNil(d.record)
        try assertWordsMapBack(d, json)
    }

    func testArticle_withHTMLInItsBody_readsTheHTMLsText() throws {
        let json = #"{"title": "Raid", "content": "<p>Police <b>raided</b> a market &amp; seized <a href=\"/x\">arms</a>.</p><p>Two held.</p>"}"#
        let d = try read("a.json", json).documents[0]
        XCTAssertEqual(text(d), "Raid\n\nPolice raided a market & seized arms.\n\nTwo held.")
        let at = d.text.firstRange(of: Array("raided".utf8))!
        XCTAssertEqual(String(decoding: Array(json.utf8)[d.map.sourceRange(at, text: d.text)], as: UTF8.self), "raided")
    }

    func testKeys_comeFromTheConfiguration() throws {
        var options = ReadingOptions()
        options.json.title = ["headline"]
        options.json.body = ["story"]
        let d = try read("a.json", #"{"title": "not this", "headline": "This", "story": "Text.", "body": "not this"}"#, options: options)
            .documents[0]
        XCTAssertEqual(text(d), "This\n\nText.")
    }

    func testObjectWithoutKnownKeys_isReadWhole() throws {
        let d = try read("a.json", #"{"id": "x1", "headline_text": "Raid in Almaty", "paragraphs": ["Police raided a market.", "Two held."]}"#)
            .documents[0]
        XCTAssertEqual(text(d), "Raid in Almaty\n\nPolice raided a market.\n\nTwo held.")
    }

    func testListOfArticles_isAFeedOfRecords() throws {
        let reading = try read("list.json", #"{"items": [{"title": "One", "body": "First."}, {"title": "Two", "body": "Second."}]}"#)
        XCTAssertEqual(reading.documents.map { $0.record }, [1, 2])
        XCTAssertEqual(reading.documents.map { $0.metadata.title }, ["One", "Two"])
    }

    func testBrokenJSON_isReadAsPlainTextWithAWarning() throws {
        let d = try read("a.json", "{\"title\": \"Raid\",\n \"body\": \"Police raided\" \"a market\"}").documents[0]
        XCTAssertEqual(d.metadata.format.rawValue, "text")
        XCTAssertTrue(d.warnings.first?.hasPrefix("not valid JSON (line 2, column ") ?? false, "\(d.warnings)")
    }

    func testFeed_numbersRecordsSkippingBlankLinesAndFailsBrokenOnesAlone() throws {
        let feed = "{\"title\": \"One\"}\n\n{\"title\": \"Two\", broken}\n[1, 2]\n{\"title\": \"Four\"}\n"
        let reading = try read("f.jsonl", feed)
        XCTAssertEqual(reading.documents.map { $0.record }, [1, 4])
        XCTAssertEqual(reading.documents.map { $0.metadata.title }, ["One", "Four"])
        XCTAssertEqual(reading.failures.map(\.record), [2, 3])
        XCTAssertEqual(reading.failures[0].failure.detail, "line 3, column 18 is not valid JSON: expected a key in double quotes")
        XCTAssertTrue(reading.failures[1].failure.detail.hasPrefix("line 4 is JSON but not an object"))
        let bytes = Array(feed.utf8)
        XCTAssertEqual(String(decoding: bytes[reading.failures[0].range], as: UTF8.self), "{\"title\": \"Two\", broken}")
    }

    func testFeed_inALegacyCharset_mapsRecordsToTheFilesBytes() throws {
        let line = "{\"title\": \"Взрыв в Актобе\", \"body\": \"Боевики открыли огонь.\"}\n"
        let file = encode(line + line, as: "CP1251")
        let reading = try DocumentReader.read(file, name: "f.jsonl")
        let d = reading.documents[1]
        XCTAssertEqual(d.metadata.charset?.charset.name, "windows-1251")
        let at = d.text.firstRange(of: Array("Боевики".utf8))!
        let r = d.map.sourceRange(at, text: d.text)
        XCTAssertEqual(Array(file[r]), encode("Боевики", as: "CP1251"))
        XCTAssertGreaterThan(r.lowerBound, file.count / 2, "record 2's offsets count from the file's start")
    }

    func testHostileNesting_failsAsMalformedWithoutOverflowingTheStack() throws {
        let deep = String(repeating: "[", count: 100_000)
        let reading = try read("deep.json", deep)
        XCTAssertTrue(reading.documents[0].warnings.first?.contains("nested more than") ?? false)
    }
}
