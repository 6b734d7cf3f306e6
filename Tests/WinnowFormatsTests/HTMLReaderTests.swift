import WinnowCharset
@testable import WinnowFormats
import WinnowText
import XCTest

/// Web pages through `DocumentReader`: recognised by content, read in their charset, with
/// every word's offsets pointing at its bytes in the file.
final class HTMLReaderTests: XCTestCase {
    private func sniff(_ s: String) -> SniffResult {
        Array(s.utf8).withUnsafeBufferPointer { HTMLReader.sniff($0) }
    }

    private func declared(_ s: String) -> String? {
        Array(s.utf8).withUnsafeBufferPointer { HTMLExtractor.declaredCharset($0) }
    }

    func testSniff_doctypeOrHTMLHeadOrBodyNearTheStart_isStrong() {
        XCTAssertEqual(sniff("<!DOCTYPE html><p>x"), .strong)
        XCTAssertEqual(sniff("\u{FEFF}\n  <HTML lang=en>"), .strong)
        XCTAssertEqual(sniff("<!-- saved page --><head><title>x</title>"), .strong)
        XCTAssertEqual(sniff("<?xml version=\"1.0\"?><!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\"><html>"), .strong)
    }

    func testSniff_aFragmentWithBlocksIsWeak_andTextMentioningTagsIsNot() {
        XCTAssertEqual(sniff("<div><p>one</p><p>two</p></div>"), .weak)
        XCTAssertEqual(sniff("Use <b>bold</b> sparingly."), .no)
        XCTAssertEqual(sniff("Dear analyst,\nthe <html> tag starts a page.\n"), .no)
    }

    func testDeclaredCharset_byHTML5sPrescan() {
        XCTAssertEqual(declared("<meta charset=koi8-r><p>"), "koi8-r")
        XCTAssertEqual(declared(#"<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=windows-1251">"#), "windows-1251")
        XCTAssertEqual(declared(#"<meta content='text/html; charset="cp1251"' http-equiv=content-type>"#), "cp1251")
        XCTAssertNil(declared(#"<meta content="text/html; charset=koi8-r">"#), "content counts only with http-equiv")
        XCTAssertNil(declared("<!-- <meta charset=koi8-r> --><p>"), "not inside a comment")
        XCTAssertNil(declared(#"<p title="<meta charset=koi8-r>">x"#), "not inside an attribute")
        XCTAssertEqual(declared("<?xml version=\"1.0\" encoding=\"windows-1251\"?><html>"), "windows-1251")
        XCTAssertEqual(declared("<meta charset=\"utf-16le\">"), "utf-8", "an ASCII prescan found it: not UTF-16")
        XCTAssertNil(declared(String(repeating: " ", count: 1024) + "<meta charset=koi8-r>"), "past the first 1024 bytes")
    }

    private func russianPage() throws -> String { try HTMLFixtures.string("ru-news-divs.html") }

    func testRussianPage_inUndeclaredWindows1251_isDetected() throws {
        let file = HTMLFixtures.encode(try russianPage(), as: "CP1251")
        let doc = try HTMLFixtures.read(file)
        XCTAssertEqual(doc.metadata.charset?.charset.name, "windows-1251")
        XCTAssertEqual(doc.metadata.charset?.method, .detected)
        XCTAssertEqual(doc.metadata.title, "Задержаны подозреваемые в поджоге мечети в Шымкенте")
        XCTAssertTrue(HTMLFixtures.text(doc).contains("задержала троих мужчин"))
        HTMLFixtures.assertEveryWordMapsToItsBytes(doc, file: file, "windows-1251")
    }

    func testRussianPage_withMetaCharsetKOI8R_isReadAsDeclared() throws {
        for declaration in ["<meta charset=koi8-r>", #"<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">"#] {
            let page = try russianPage().replacingOccurrences(of: #"<meta http-equiv="Content-Type" content="text/html">"#, with: declaration)
            let file = HTMLFixtures.encode(page, as: "KOI8-R")
            let doc = try HTMLFixtures.read(file)
            XCTAssertEqual(doc.metadata.charset?.charset.name, "koi8-r", declaration)
            XCTAssertEqual(doc.metadata.charset?.method, .declared, declaration)
            XCTAssertEqual(doc.metadata.publisher, "Вести Степи")
            XCTAssertTrue(HTMLFixtures.text(doc).contains("около миллиона тенге"))
            HTMLFixtures.assertEveryWordMapsToItsBytes(doc, file: file, declaration)
        }
    }

    func testPage_inUTF16WithBOM_isReadThroughDocumentReader() throws {
        let page = try HTMLFixtures.string("en-news-heavy-chrome.html")
        let file: [UInt8] = [0xFF, 0xFE] + HTMLFixtures.encode(page, as: "UTF-16LE")
        let doc = try HTMLFixtures.read(file, name: "page.htm")
        XCTAssertEqual(doc.metadata.format.rawValue, "html")
        XCTAssertEqual(doc.metadata.charset?.charset.name, "utf-16le")
        XCTAssertEqual(doc.metadata.title, "Police detain two men over Aktobe shooting")
        XCTAssertFalse(HTMLFixtures.text(doc).contains("Uzbekistan"))
        HTMLFixtures.assertEveryWordMapsToItsBytes(doc, file: file, "utf-16le")
    }

    func testPage_declaringACharsetItIsNotIn_isReadAsWhatItIs_withAWarning() throws {
        let page = "<html><head><meta charset=windows-1251><title>Взрыв в Актобе</title></head><body><p>Текст статьи.</p></body></html>"
        let doc = try HTMLFixtures.read(Array(page.utf8))
        XCTAssertEqual(doc.metadata.charset?.charset.name, "utf-8")
        XCTAssertEqual(doc.metadata.title, "Взрыв в Актобе")
        XCTAssertTrue(doc.warnings.contains { $0.contains("the page's charset declaration says windows-1251") }, "\(doc.warnings)")
    }

    func testMetadata_reachesTheDocument() throws {
        let doc = try HTMLFixtures.read(Array(try HTMLFixtures.string("en-news-heavy-chrome.html").utf8))
        let m = doc.metadata
        XCTAssertEqual(m.title, "Police detain two men over Aktobe shooting")
        XCTAssertEqual(m.author, "Aigerim Sadykova")
        XCTAssertEqual(m.published, "2024-03-01T10:00:00Z")
        XCTAssertEqual(m.url, "https://herald.example.org/news/aktobe-shooting")
        XCTAssertEqual(m.publisher, "Steppe Herald")
        XCTAssertEqual(m.language, "en-gb")
        XCTAssertEqual(m.charset?.method, .declared)
    }

    func testExtension_choosesTheReaderForAFragment() throws {
        let fragment = Array("<p>Two men were detained in <b>Aktobe</b>.</p>".utf8)
        XCTAssertEqual(try HTMLFixtures.read(fragment, name: "note.html").metadata.format.rawValue, "html")
        XCTAssertEqual(HTMLFixtures.text(try HTMLFixtures.read(fragment, name: "note.html")), "Two men were detained in Aktobe.")
        XCTAssertEqual(try HTMLFixtures.read(fragment, name: "note.txt").metadata.format.rawValue, "text")
    }
}
