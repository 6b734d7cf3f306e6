@testable import WinnowFormats
import WinnowText
import XCTest

/// Text as a reader sees it, mapped to the bytes it came from: the behaviour of the old
/// `HTMLView` (inline tags join words, references decoded as browsers decode them), now as
/// extracted text instead of padding.
final class HTMLTextTests: XCTestCase {
    private func visibleText(_ html: String) -> String {
        String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: false).text, as: UTF8.self)
    }

    private func words(_ html: String) -> [String] {
        visibleText(html).split(whereSeparator: { $0 == " " || $0 == "\n" }).map { $0.lowercased() }
    }

    func testHTML_dropsMarkupScriptsStylesAndComments() {
        let html = """
        <!DOCTYPE html><html><head><title>Unrest in Aktobe &ndash; report</title>
        <style>p { color: red }</style><script>var terror = 1;</script></head>
        <body><!-- extremists hidden --><p class="x">Caf&eacute; owners said <b>gunmen</b> opened&nbsp;fire.</p></body></html>
        """
        let t = HTMLExtractor.extract(Array(html.utf8), mainContent: false)
        XCTAssertEqual(String(decoding: t.text, as: UTF8.self), "Café owners said gunmen opened fire.")
        XCTAssertEqual(t.title, "Unrest in Aktobe – report")
    }

    func testHTML_whenInlineTagSplitsAWord_readsOneWord() {
        let html = #"<p>Police in <b>Ak</b>tobe; caf<em>e</em>; <a href="x">alpha</a>bet; <SPAN class=x>ji</SPAN>had</p>"#
        XCTAssertEqual(words(html), ["police", "in", "aktobe;", "cafe;", "alphabet;", "jihad"])
    }

    func testHTML_whenBlockOrUnknownTagBetweenWords_keepsThemApart() {
        let html = "<p>sleeper<br>cell</p><p>one</p><p>two</p><ul><li>x</li><li>y</li></ul><h1>a</h1>b<my-tag>c</my-tag>d<img src=z>e"
        XCTAssertEqual(words(html), ["sleeper", "cell", "one", "two", "x", "y", "a", "b", "c", "d", "e"])
    }

    func testHTML_blocksArePararaphs_brAndListItemsAreLines() {
        XCTAssertEqual(visibleText("<h1>Title</h1><p>One<br>two</p><ul><li>x</li><li>y</li></ul><div>z</div>"),
                       "Title\n\nOne\ntwo\n\nx\ny\n\nz")
        XCTAssertEqual(visibleText("  <p>  spaced \n\t out  </p>  "), "spaced out")
    }

    func testHTML_whenLessThanDoesNotStartATag_isText() {
        let html = "<p>Price < 5 dollars; bravo here. a <3 b, 1<2 c, x </ y, done <? pi ?> end <!DOCTYPE x> z</p>"
        XCTAssertEqual(visibleText(html), "Price < 5 dollars; bravo here. a <3 b, 1<2 c, x </ y, done end z")
    }

    func testHTML_whenAQuotedAttributeHoldsAGreaterThan_theTagEndsAfterTheQuote() {
        let html = #"<p>one <a title="x > y" href='a>b'>two</a> three <img alt=">" src=x>four <b class="open>five</b> six</p>"#
        XCTAssertEqual(visibleText(html), "one two three four five six")
    }

    func testHTML_numericReferencesInTheC1Range_readAsWindows1252() {
        let html = "<p>don&#146;t &#147;wait&#148; &#150; &#128;5 &#x99;</p>"
        XCTAssertEqual(visibleText(html), "don’t “wait” – €5 ™")
    }

    func testHTML_namedReferences_decodeHTML401AndCommonHTML5Names() {
        let html = """
        <p>Cr&ecirc;pe in &Oslash;slo &Alpha;&omega; &hellip; &euro;5 &rarr; &le; &lsquo;x&rsquo; &ldquo;y&rdquo; a&ndash;b&mdash;c
        &apos;&period;&comma;&colon;&lpar;&rpar;&quest;&excl;&num;&dollar;&percnt;&ast;&plus;&equals;&lsqb;&rsqb;&lowbar;&grave;&lcub;&rcub;&verbar;&hyphen;&dash;&sol;&bsol;
        a&Tab;b&NewLine;c &eacute &unknown; &#233;&#xE9;&#XE9; &#x110000; &#; &amp;eacute;</p>
        """
        XCTAssertEqual(visibleText(html),
                       "Crêpe in Øslo Αω … €5 → ≤ ‘x’ “y” a–b—c '.,:()?!#$%*+=[]_`{}|‐‐/\\ a b c &eacute &unknown; ééé &#x110000; &#; &eacute;")
    }

    func testNamedReferenceTable_everyNameDecodesBetweenLetters() {
        let table = CharacterReference.namedTable
        XCTAssertGreaterThanOrEqual(table.count, 252 + 27)
        XCTAssertEqual(Set(table.map(\.name)).count, table.count, "names are unique")
        for (name, scalar) in table {
            let html = "<p>x&\(name);y</p>"
            let space = [0x09, 0x0A, 0x20, 0xA0].contains(scalar)
            let expected = space ? "x y" : "x" + String(Unicode.Scalar(scalar)!) + "y"
            XCTAssertEqual(visibleText(html), expected, "&\(name);")
        }
    }

    func testOffsets_mapReferencesToTheWholeReference_andInlineTagsInsideTheWord() {
        let html = "<p>caf&eacute; bar; <b>Ak</b>tobe&amp; x&nbsp;y</p>"
        let t = HTMLExtractor.extract(Array(html.utf8), mainContent: false)
        let text = String(decoding: t.text, as: UTF8.self)
        XCTAssertEqual(text, "café bar; Aktobe& x y")
        let file = Array(html.utf8)
        func slice(_ s: String) -> String {
            let r = t.text.firstRange(of: Array(s.utf8))!
            return String(decoding: file[t.map.sourceRange(r, text: t.text)], as: UTF8.self)
        }
        XCTAssertEqual(slice("café"), "caf&eacute;")
        XCTAssertEqual(slice("caf"), "caf")
        XCTAssertEqual(slice("é bar"), "&eacute; bar")
        XCTAssertEqual(slice("Ak"), "Ak", "an inline tag after a match is not part of it")
        XCTAssertEqual(slice("Aktobe"), "Ak</b>tobe")
        XCTAssertEqual(slice("tobe&"), "tobe&amp;")
        XCTAssertEqual(slice("x y"), "x&nbsp;y")
    }

    func testText_hasNoPaddingOrSeparatorAtEitherEnd() {
        for html in ["<p> a </p>\n\n", "<br><br>a<br><br>", "\n<div>\n<p>a</p>\n</div>\n", "<p>a&nbsp;</p>"] {
            let t = String(decoding: HTMLExtractor.extract(Array(html.utf8), mainContent: false).text, as: UTF8.self)
            XCTAssertEqual(t, "a", html)
        }
        XCTAssertFalse(HTMLExtractor.extract(Array("<p>x\u{7F}y</p>".utf8), mainContent: false).text.isEmpty)
    }

    func testEmailPart_keepsEveryVisibleTextButNotHiddenOnes() {
        let html = """
        <html><head><style>.x{}</style></head><body><nav><a href="/">Unsubscribe</a></nav>
        <div style="display: none">preheader text</div><p>Dear analyst, see the report.</p>
        <footer>Sent from Almaty</footer><template><p>never shown</p></template></body></html>
        """
        XCTAssertEqual(visibleText(html), "Unsubscribe\n\nDear analyst, see the report.\n\nSent from Almaty")
    }

    func testTitleLeftOpen_doesNotSwallowThePage() {
        let t = HTMLExtractor.extract(Array("<html><head><title>Half a title<body><p>Text of the page.</p>".utf8), mainContent: false)
        XCTAssertEqual(String(decoding: t.text, as: UTF8.self), "Half a title\n\nText of the page.")
        XCTAssertNil(t.title)
    }

    func testUnclosedElements_closeAsHTMLImplies() {
        XCTAssertEqual(visibleText("<ul><li>one<li>two</ul><p>a<p>b<table><tr><td>c<td>d<tr><td>e</table>"),
                       "one\ntwo\n\na\n\nb\n\nc\nd\ne")
        XCTAssertEqual(visibleText("<head><title>t</title><p>body without a body tag"), "body without a body tag")
    }
}
