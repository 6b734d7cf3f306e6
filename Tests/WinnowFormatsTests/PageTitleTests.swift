@testable import WinnowFormats
import XCTest

/// Headlines and metadata as a reader takes them from a page.
final class PageTitleTests: XCTestCase {
    private let body = "<p>Police in Taraz detained a man suspected of robbing a bank branch on Monday, taking cash, "
        + "a spokesman said, adding that the money had been recovered and returned.</p>"

    private func extract(head: String, body extra: String = "") -> HTMLText {
        HTMLExtractor.extract(Array("<html><head>\(head)</head><body>\(extra)\(body)</body></html>".utf8), mainContent: true)
    }

    func testTitle_trimsTheSiteNameOnEitherSide() {
        let site = #"<meta property="og:site_name" content="Steppe Herald">"#
        XCTAssertEqual(extract(head: "<title>Bank robbed in Taraz | Steppe Herald</title>\(site)").title, "Bank robbed in Taraz")
        XCTAssertEqual(extract(head: "<title>Steppe Herald — Bank robbed in Taraz</title>\(site)").title, "Bank robbed in Taraz")
        XCTAssertEqual(extract(head: "<title>Bank robbed in Taraz - News - steppeherald.example</title>\(site)").title,
                       "Bank robbed in Taraz - News")
        XCTAssertEqual(extract(head: "<title>Bank robbed in Taraz :: SteppeHerald</title>\(site)").title, "Bank robbed in Taraz")
        XCTAssertEqual(extract(head: #"<title>Банк ограблен в Таразе » Вести</title><meta name="application-name" content="Вести">"#).title,
                       "Банк ограблен в Таразе")
    }

    func testTitle_withoutASiteName_dropsTheLastPartAsReadabilityDoes() {
        XCTAssertEqual(extract(head: "<title>Gunmen rob a bank branch in Taraz at noon | Local news</title>").title,
                       "Gunmen rob a bank branch in Taraz at noon")
        XCTAssertEqual(extract(head: "<title>Robbery – report</title>").title, "Robbery – report", "too short to cut")
    }

    func testTitle_prefersThePreviewTitle_butTheTitleTagsSpelling() {
        XCTAssertEqual(extract(head: #"<title>Bank robbed in Taraz | Herald</title><meta property="og:title" content="Bank Robbed In Taraz">"#).title,
                       "Bank robbed in Taraz")
        XCTAssertEqual(extract(head: #"<title>Herald</title><meta property="og:title" content="Bank robbed in Taraz, police say">"#).title,
                       "Bank robbed in Taraz, police say")
        XCTAssertEqual(extract(head: #"<title>Herald</title><meta name="twitter:title" content="Robbery &amp; arrest">"#).title,
                       "Robbery & arrest")
    }

    func testTitle_fromTheArticlesHeading_whenThePageHasNoPreviewTitle() {
        let t = extract(head: "<title>Bank robbed in Taraz, police detain suspect - Herald</title>",
                        body: "<header class=\"masthead\"><h1>Herald</h1></header><h1>Bank robbed in Taraz, police detain suspect</h1>")
        XCTAssertEqual(t.title, "Bank robbed in Taraz, police detain suspect")
        XCTAssertTrue(String(decoding: t.text, as: UTF8.self).hasPrefix("Bank robbed in Taraz, police detain suspect\n\nPolice in Taraz"))
    }

    func testTitle_fromJSONLD_whenNothingElseNamesIt() {
        let ld = #"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Bank robbed in \u0022Taraz\u0022","#
            + #""author":[{"@type":"Person","name":"Dana Akhmetova"}],"datePublished":"2024-05-02"}</script>"#
        let t = extract(head: ld)
        XCTAssertEqual(t.title, "Bank robbed in \"Taraz\"")
        XCTAssertEqual(t.author, "Dana Akhmetova")
        XCTAssertEqual(t.published, "2024-05-02")
    }

    func testHeadline_isTheFirstLine_mappedToWhereThePageWritesIt() {
        let head = #"<title>Bank robbed in Taraz | Herald</title><meta property="og:site_name" content="Herald">"#
        let html = Array("<html><head>\(head)</head><body>\(body)</body></html>".utf8)
        let t = HTMLExtractor.extract(html, mainContent: true)
        let text = String(decoding: t.text, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("Bank robbed in Taraz\n\nPolice in Taraz"), text)
        let r = t.text.firstRange(of: Array("robbed in Taraz".utf8))!
        let source = t.map.sourceRange(r, text: t.text)
        XCTAssertEqual(String(decoding: html[source], as: UTF8.self), "robbed in Taraz")
        XCTAssertLessThan(source.lowerBound, html.firstRange(of: Array("</title>".utf8))!.lowerBound, "inside <title>")
    }

    func testHeadline_insideTheContentButNotFirst_isMovedNotRepeated() {
        let t = extract(head: #"<meta property="og:title" content="Bank robbed in Taraz">"#,
                        body: "<div><p class=\"kicker\">Crime</p><h2>Bank robbed in Taraz</h2>\(body)\(body)</div>")
        let text = String(decoding: t.text, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("Bank robbed in Taraz\n\n"), text)
        XCTAssertEqual(text.components(separatedBy: "Bank robbed in Taraz").count, 2, text)
    }

    func testMetadata_fromMetaTagsLinksAndTheHTMLElement() {
        let html = """
        <html lang="RU"><head><meta name="author" content="By Dana Akhmetova">
        <meta property="article:published_time" content="2024-05-02T08:00:00+05:00">
        <link rel="canonical" href="https://news.example.kz/a?x=1&amp;y=2"><meta property="og:site_name" content="Herald KZ">
        </head><body>\(body)</body></html>
        """
        let t = HTMLExtractor.extract(Array(html.utf8), mainContent: true)
        XCTAssertEqual(t.author, "Dana Akhmetova")
        XCTAssertEqual(t.published, "2024-05-02T08:00:00+05:00")
        XCTAssertEqual(t.url, "https://news.example.kz/a?x=1&y=2")
        XCTAssertEqual(t.publisher, "Herald KZ")
        XCTAssertEqual(t.language, "ru")
    }

    func testMetadata_aProfileURLIsNoAuthor_andTheBylineIsTakenInstead() {
        let t = extract(head: #"<meta property="article:author" content="https://facebook.com/herald">"#,
                        body: "<div class=\"story\"><div class=\"byline\">By Arman Nurlanov</div>\(body)\(body)\(body)\(body)</div>")
        XCTAssertEqual(t.author, "Arman Nurlanov")
        XCTAssertFalse(String(decoding: t.text, as: UTF8.self).contains("Nurlanov"))
    }
}
