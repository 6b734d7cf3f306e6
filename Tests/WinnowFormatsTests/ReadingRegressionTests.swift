import Foundation
@testable import WinnowCharset
@testable import WinnowFormats
import WinnowTestSupport
import WinnowText
import XCTest

/// Defects found in review of the reading layer (issue 11), each kept fixed.
final class ReadingRegressionTests: XCTestCase {
    private func read(_ name: String, _ bytes: [UInt8], options: ReadingOptions = ReadingOptions()) throws -> Reading {
        try DocumentReader.read(bytes, name: name, options: options)
    }

    private func string(_ d: ExtractedText) -> String { String(decoding: d.text, as: UTF8.self) }

    func testIssue11_thousandsOfUnclosedTitles_areReadInOnePass() throws {
        // Each `<title>` used to scan the rest of the page for its end tag: 55 s for 900 KB.
        let page = "<html><body><p>The police met.</p>" + String(repeating: "<title>", count: 128_000) + "</body></html>"
        XCTAssertTrue(string(try read("t.html", Array(page.utf8)).documents[0]).contains("The police met."))
    }

    func testIssue11_titlesWithThousandsOfSeparatorsOrHugeHeadings_areNotComparedSpanBySpan() throws {
        let separators = "<html><head><title>" + String(repeating: "ab | ", count: 1600) + "end</title></head><body><h1>Headline here</h1><p>The police met.</p></body></html>"
        XCTAssertEqual(try read("s.html", Array(separators.utf8)).documents[0].metadata.title, "Headline here")
        let long = "<html><head><title>" + String(repeating: "a", count: 160_000) + "</title></head><body><h1>" + String(repeating: "a", count: 80_000)
            + "b</h1><p>The police met.</p></body></html>"
        XCTAssertFalse(try read("r.html", Array(long.utf8)).documents.isEmpty)
    }

    func testIssue11_feedRecords_doNotEachReserveTheWholeFile() throws {
        let feed = (1 ... 20_000).map { #"{"title": "t\#($0)", "body": "The police met \#($0) times."}"# }.joined(separator: "\n")
        let reading = try read("f.jsonl", Array(feed.utf8))
        XCTAssertEqual(reading.documents.count, 20_000)
        XCTAssertLessThan(reading.documents.map(\.text.capacity).max() ?? 0, 4096, "a record's text is the record's size")
    }

    func testIssue11_feedWhoseFirstRecordIsLongerThanTheHead_isStillAFeed() throws {
        let tags = (0 ..< 12_000).map { "\"t\($0)\"" }.joined(separator: ",")
        let feed = "{\"title\": \"First\", \"tags\": [\(tags)], \"body\": \"The police met.\"}\n{\"title\": \"Second\"}\n"
        let reading = try read("big.jsonl", Array(feed.utf8))
        XCTAssertEqual(reading.documents.map(\.metadata.title), ["First", "Second"])
        XCTAssertEqual(reading.documents.map(\.record), [1, 2])
    }

    func testIssue11_UTF16MailWithAQuotedPrintableWindows1251Part_decodesThePartInItsCharset() throws {
        let body = encode("Взрыв в Актобе", as: "CP1251").map { String(format: "=%02X", $0) }.joined()
        let mail = "From: a@example.org\r\nSubject: s\r\nContent-Type: text/plain; charset=windows-1251\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\(body)\r\n"
        let file: [UInt8] = [0xFF, 0xFE] + encode(mail, as: "UTF-16LE")
        let d = try read("m.eml", file).documents[0]
        XCTAssertTrue(string(d).contains("Взрыв в Актобе"), string(d))
    }

    func testIssue11_usASCIIDeclaredOverEightBitBytes_isDetectedWithAWarning() throws {
        let body = encode("Полиция Актобе задержала группу подозреваемых в организации нападения на банк.", as: "KOI8-R")
        let mail = Array("From: a@example.org\nSubject: s\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 8bit\n\n".utf8) + body
        let d = try read("m.eml", mail).documents[0]
        XCTAssertEqual(d.metadata.charset?.charset.name, "koi8-r")
        XCTAssertTrue(d.warnings.contains { $0.contains("says us-ascii, but the text has 8-bit bytes") }, "\(d.warnings)")
    }

    func testIssue11_utf16WithoutAMark_isReadInTheOrderItsBytesShow_elseBigEndian() throws {
        let text = "The police met in Almaty."
        for (bytes, expected) in [(encode(text, as: "UTF-16BE"), "utf-16be"), (encode(text, as: "UTF-16LE"), "utf-16le")] {
            let d = try XCTUnwrap(bytes.withUnsafeBufferPointer {
                try? CharsetDecoder.decode($0, declared: CharsetDeclaration(label: "utf-16", origin: "MIME"), policy: CharsetPolicy()).get()
            })
            XCTAssertEqual(String(decoding: d.utf8, as: UTF8.self), text)
            XCTAssertEqual(d.choice.charset.name, expected)
        }
        XCTAssertEqual(CharsetDecoder.unmarkedUnicode(UnsafeBufferPointer(start: nil, count: 0), label: "utf-16"), .utf16be)
    }

    func testIssue11_charsetsSpelledAsIconvAliases_areTheCharsetsDetectionNames() {
        XCTAssertEqual(Charset(label: "iso8859-7"), Charset(label: "ISO-8859-7"))
        XCTAssertEqual(Charset(label: "greek"), Charset(label: "ISO-8859-7"))
        XCTAssertTrue([Charset(label: "iso8859-7")!].contains(Charset(label: "ISO-8859-7")!))
    }

    func testIssue11_markdownTableHeader_isNoTitle() throws {
        let md = "Police report on the case\n\n| Name | Role |\n|------|------|\n| Ivanov | boss |\n"
        XCTAssertNil(try read("t.md", Array(md.utf8)).documents[0].metadata.title)
    }

    func testIssue11_utf16WithoutAMarkWithNULLowBytes_isNotBinary() throws {
        let d = try read("u.txt", encode("police \u{1F600} police \u{0100}x police\n", as: "UTF-16LE")).documents[0]
        XCTAssertEqual(d.metadata.charset?.charset.name, "utf-16le")
    }

    func testIssue11_columnsAfterAByteOrderMark_startAtOne() throws {
        let file: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("police met.".utf8)
        let document = Document(try read("b.txt", file).documents[0], name: "b.txt", file: file)
        var lines: LineIndex?
        XCTAssertTrue(document.position(ofReported: 3, lines: &lines) == (1, 1))
    }

    func testIssue11_aReaderThatLetsBadUTF8Through_isRepairedNotACrash() {
        var reading = Reading(documents: [ExtractedText(text: [0x61, 0xFF, 0x62], map: .identity(count: 3),
                                                        metadata: DocumentMetadata(format: PlainTextReader.format))])
        reading = DocumentReader.checked(reading)
        XCTAssertEqual(String(decoding: reading.documents[0].text, as: UTF8.self), "a\u{FFFD}b")
        XCTAssertEqual(reading.documents[0].map.sourceRange(4 ..< 5, text: reading.documents[0].text), 2 ..< 3)
        XCTAssertEqual(reading.documents[0].warnings.count, 1)
    }

    func testIssue11_multiByteCharsets_copyTheirASCIIRunsInOneGo() throws {
        let text = String(repeating: "police report ", count: 2000) + "東京 警察 \\ end"
        let bytes = encode(text, as: "CP932")
        let d = try XCTUnwrap(bytes.withUnsafeBufferPointer { CharsetDecoder.decode($0, as: Charset(label: "shift_jis")!) })
        XCTAssertEqual(String(decoding: d.utf8, as: UTF8.self), text)
        XCTAssertLessThan(d.map.segments.count, 40, "runs, not one segment per character")
        let at = d.utf8.firstRange(of: Array("警察".utf8))!
        XCTAssertEqual(Array(bytes[d.map.sourceRange(at, text: d.utf8)]), encode("警察", as: "CP932"))
    }
}

/// Maps found broken by fuzzing (issue 11): every word's source range lies in the file, and
/// later words start no earlier than earlier ones.
final class SourceMapFuzzRegressionTests: XCTestCase {
    private func assertMonotone(_ name: String, _ file: [UInt8], line: UInt = #line) throws {
        for d in try DocumentReader.read(file, name: name).documents {
            var last = 0
            var start = 0
            let text = d.text
            XCTAssertEqual(d.map.sourceRange(0 ..< 0, text: text), d.map.sourceRange(0 ..< 0, text: text))
            for i in 0 ... text.count where i == text.count || text[i] == 0x20 || text[i] == 0x0A {
                defer { start = i + 1 }
                guard i > start else { continue }
                let r = d.map.sourceRange(start ..< i, text: text)
                XCTAssertTrue(r.lowerBound >= last && r.upperBound <= file.count, "\(name): \(String(decoding: text[start ..< i], as: UTF8.self)) at \(r), after \(last)", line: line)
                last = r.lowerBound
            }
        }
    }

    func testIssue11_unknownElementInsideAnInlineTag_mapsForward() throws {
        try assertMonotone("x.html", Array("<p>alpha <em><x-widget>beta</em> gamma</p>".utf8))
    }

    func testIssue11_composingCharsets_mapForward() throws {
        try assertMonotone("m.eml", Array("Content-Type: text/plain; charset=windows-1255\n\n".utf8) + [0xCF, 0xEE, 0xEB, 0xEB, 0xCB, 0x0A])
        let vietnamese = encode("Công an Hà Nội bắt giữ nghi phạm.", as: "CP1258")
        try assertMonotone("v.html", Array("<meta charset=\"windows-1258\"><p>".utf8) + vietnamese + Array("</p>".utf8))
    }

    func testIssue11_composingCharsets_keepTheirTextInOrder() throws {
        let mail = Array("Content-Type: text/plain; charset=windows-1258\n\n".utf8)
            + [0x56, 0x69, 0xEA, 0xF2, 0x74] + Array(" Nam h".utf8) + [0xF4] + Array("m nay, H".utf8) + [0xE0] + Array(" N".utf8)
            + [0xF4, 0xF2] + Array("i. ab\n".utf8)
        let d = try DocumentReader.read(mail, name: "v.eml").documents[0]
        XCTAssertEqual(String(decoding: d.text, as: UTF8.self).precomposedStringWithCanonicalMapping, "Việt Nam hôm nay, Hà Nội. ab")
        try assertMonotone("v.eml", mail)
    }

    func testIssue11_aCharacterBeforeAnInvalidSequence_isKept() throws {
        let file = Array("<meta charset=\"shift_jis\"><p>".utf8) + [0x8E, 0x96, 0x8C, 0x8F, 0x81, 0x42, 0xFF] + Array("</p>".utf8)
        let d = try DocumentReader.read(file, name: "s.html").documents[0]
        XCTAssertEqual(String(decoding: d.text, as: UTF8.self), "事件。\u{FFFD}")
        try assertMonotone("s.html", file)
    }

    func testIssue11_emptyAndMarkOnlyDocuments_mapWithoutRecursing() throws {
        for file in [[UInt8](), [0xEF, 0xBB, 0xBF]] {
            let d = try DocumentReader.read(file, name: "e.txt").documents[0]
            XCTAssertEqual(d.map.sourceRange(0 ..< 0, text: d.text), file.count ..< file.count)
        }
    }
}
