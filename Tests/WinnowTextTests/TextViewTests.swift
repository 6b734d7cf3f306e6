import Foundation
@testable import WinnowText
import XCTest

final class TextViewTests: XCTestCase {
    private func visible(_ v: TextView) -> String { visible(v.bytes) }

    private func visible(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.filter { $0 != 0x7F }, as: UTF8.self)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    func testPlainText_isItsOwnView() {
        let text = Array("Gunmen opened fire.\n".utf8)
        let v = TextView(of: text, name: "a.txt")
        XCTAssertEqual(v.format, .text)
        XCTAssertEqual(v.bytes, text)
    }

    func testHTML_blanksMarkupScriptsAndComments_keepsLength() {
        let html = """
        <!DOCTYPE html><html><head><title>Unrest in Aktobe &ndash; report</title>
        <style>p { color: red }</style><script>var terror = 1;</script></head>
        <body><!-- extremists hidden --><p class="x">Caf&eacute; owners said <b>gunmen</b> opened&nbsp;fire.</p></body></html>
        """
        let bytes = Array(html.utf8)
        let v = TextView(of: bytes, name: "page.html")
        XCTAssertEqual(v.format, .html)
        XCTAssertEqual(v.bytes.count, bytes.count)
        XCTAssertEqual(v.title, "Unrest in Aktobe – report")
        XCTAssertEqual(visible(v), "Unrest in Aktobe – report Café owners said gunmen opened fire.")
    }

    func testHTML_offsetsInTheViewAreOffsetsInTheFile() {
        let html = "<p>The <i>sleeper</i> cell</p>"
        let v = TextView(of: Array(html.utf8), name: "x.htm")
        let f = FoldedText(folding: v.bytes)
        let folded = String(decoding: f.bytes, as: UTF8.self)
        let r = folded.range(of: "sleeper cell")!
        let a = folded.utf8.distance(from: folded.startIndex, to: r.lowerBound)
        let z = folded.utf8.distance(from: folded.startIndex, to: r.upperBound)
        let original = f.originalRange(a, z)
        XCTAssertTrue(String(decoding: Array(html.utf8)[original], as: UTF8.self).hasPrefix("sleeper"))
    }

    func testMailSubject_withManyEncodedWordsAndStrayMarkers_decodesEachWordAndKeepsTheRest() {
        // 20,000 words: building a String of the rest of the header per `=?` took seconds here.
        let words = String(repeating: "=?utf-8?Q?caf=C3=A9_x?= =?x-unknown?Q?skip?= =?=?a?b? ", count: 20_000)
        let mail = "From: a@example.org\nSubject: \(words)=?utf-8?B?\(Data("Актобе".utf8).base64EncodedString())?=\n\nbody\n"
        let v = TextView(of: Array(mail.utf8), name: "m.eml")
        let title = v.title ?? ""
        XCTAssertTrue(title.hasPrefix("café x =?x-unknown?Q?skip?= =?=?a?b? café x"), String(title.prefix(100)))
        XCTAssertTrue(title.hasSuffix("=?=?a?b? Актобе"), String(title.suffix(100)))
    }

    func testMail_readsSubjectAndTextParts_decodesQuotedPrintableAndBase64() {
        let body = "Боевики открыли огонь в Актобе."
        let b64 = Data(body.utf8).base64EncodedString()
        let mail = """
        From: desk@example.org\r
        To: analysts@example.org\r
        Subject: =?UTF-8?B?\(Data("Перестрелка в Актобе".utf8).base64EncodedString())?=\r
        MIME-Version: 1.0\r
        Content-Type: multipart/mixed; boundary="b1"\r
        \r
        preamble\r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        Police said extre=\r
        mists opened fire at a caf=C3=A9.\r
        --b1\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        \(b64)\r
        --b1\r
        Content-Type: application/pdf; name="report.pdf"\r
        Content-Transfer-Encoding: base64\r
        \r
        JVBERi0xLjQKJcfsj6IKNSAwIG9iago=\r
        --b1--\r
        """
        let bytes = Array(mail.utf8)
        let v = TextView(of: bytes, name: "message.eml")
        XCTAssertEqual(v.format, .email)
        XCTAssertEqual(v.bytes.count, bytes.count)
        XCTAssertEqual(v.title, "Перестрелка в Актобе")
        let text = visible(v)
        XCTAssertTrue(text.contains("Police said extremists opened fire at a café."), text)
        XCTAssertTrue(text.contains(body), text)
        XCTAssertFalse(text.contains("desk@example.org"), "other headers are not text")
        XCTAssertFalse(text.contains("JVBER"), "attachments are not read")
        XCTAssertEqual(v.notes, ["attachment 'report.pdf' (application/pdf) not read"])
        XCTAssertNil(DocumentText.firstInvalidUTF8(v.bytes))
    }

    func testMail_whenQuotedPrintableHTMLHasAGreaterThanInAQuotedAttribute_hidesTheWholeTag() {
        let mail = "From: a@example.org\nSubject: s\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "<p>one <a title=3D\"x > leaked\" href=3D\"u\">word</a></p>\n"
        let v = TextView(of: Array(mail.utf8), name: "m.eml")
        XCTAssertTrue(visible(v).hasSuffix("one word"), visible(v))
    }

    func testMail_whenPartsNestTooDeep_stopsReadingThemInsteadOfOverflowingTheStack() {
        let level = "Content-Type: message/rfc822\n\n"
        let shallow = "From: a@b\nSubject: Fwd\n" + String(repeating: level, count: 3) + "Gunmen opened fire.\n"
        XCTAssertEqual(visible(TextView(of: Array(shallow.utf8), name: "a.eml")), "Fwd Gunmen opened fire.")
        let deep = "From: a@b\nSubject: Fwd\n" + String(repeating: level, count: 100_000) + "Gunmen opened fire.\n"
        let bytes = Array(deep.utf8)
        let v = TextView(of: bytes, name: "a.eml")
        XCTAssertEqual(v.bytes.count, bytes.count)
        XCTAssertEqual(v.title, "Fwd")
        XCTAssertEqual(visible(v), "Fwd", "the innermost text is beyond the limit")
        XCTAssertEqual(v.notes, ["a part nested more than 32 levels deep was not read"])
    }

    func testMailDetection_needsFamiliarHeaders() {
        XCTAssertEqual(TextView(of: Array("Note: this is not mail\nBody\n".utf8), name: "a.txt").format, .text)
        XCTAssertEqual(TextView(of: Array("From: a@b\nSubject: Hi\n\nBody\n".utf8), name: "a.txt").format, .email)
    }

    func testScript_whenTwoScriptsTie_isTheEarlierInAFixedOrderInEveryRun() {
        // Counts were kept in a Dictionary, whose order changes from process to process.
        for (text, script) in [("abc где", "latin"), ("где abc", "latin"), ("где αβγ", "cyrillic"),
                               ("αβ مر", "arabic"), ("αβ 中文", "greek"), ("中文 ꯀꯁ", "cjk"), ("", "none")] {
            XCTAssertEqual(Document(string: text).facts.script, script, text)
        }
    }

    func testFacts_takeOnlyTheValuesRulesAreCheckedAgainst() {
        // `field: script` and `field: language` reject values outside these lists.
        let samples = ["", "The police said that the attack was on the base and the city.", "Полиция сообщила о стрельбе.",
                       "Екі адамды өлтірді, қаза тапты, ұсталды.", "Україна, їжак, євро, ґанок.", "الشرطة قالت",
                       "پلیس گفت چه ژاله گل", "Η αστυνομία", "警察说", "ꯀꯁꯂ", "Le la les des et est une dans que",
                       "der die und das ist nicht mit", "el los las y que en por", "ve bir bu ile icin olarak",
                       "va bilan uchun edi ham", "12345 !!!"]
        for text in samples {
            let facts = Document(string: text).facts
            XCTAssertTrue(DocumentFacts.scriptNames.contains(facts.script), "\(text): \(facts.script)")
            XCTAssertTrue(DocumentFacts.languageCodes.contains(facts.language), "\(text): \(facts.language)")
        }
        XCTAssertEqual(Set(DocumentFacts.languageCodes).count, 12)
    }

    func testDocument_usesTheViewForTitleAndFolding() {
        let d = Document(name: "a.html", string: "<html><head><title>Big News</title></head><body>Extremists</body></html>")
        XCTAssertEqual(d.title, "Big News")
        XCTAssertEqual(d.format, .html)
        XCTAssertEqual(String(decoding: d.folded.bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces), "big news extremists")
    }

    private func words(_ html: String) -> [String] {
        let f = FoldedText(folding: TextView(of: Array(html.utf8), name: "a.html").bytes)
        return zip(f.wordStarts, f.wordEnds).map { String(decoding: f.bytes[Int($0) ..< Int($1)], as: UTF8.self) }
    }

    func testHTML_whenInlineTagSplitsAWord_readsOneWord() {
        let html = #"<p>Police in <b>Ak</b>tobe; caf<em>e</em>; <a href="x">alpha</a>bet; <SPAN class=x>ji</SPAN>had</p>"#
        XCTAssertEqual(words(html), ["police", "in", "aktobe", "cafe", "alphabet", "jihad"])
        XCTAssertEqual(TextView(of: Array(html.utf8), name: "a.html").bytes.count, html.utf8.count)
    }

    func testHTML_whenBlockOrUnknownTagBetweenWords_keepsThemApart() {
        let html = "<p>sleeper<br>cell</p><p>one</p><p>two</p><ul><li>x</li><li>y</li></ul><h1>a</h1>b<my-tag>c</my-tag>d<img src=z>e"
        XCTAssertEqual(words(html), ["sleeper", "cell", "one", "two", "x", "y", "a", "b", "c", "d", "e"])
    }

    func testHTML_whenLessThanDoesNotStartATag_isText() {
        let html = "<p>Price < 5 dollars; bravo here. a <3 b, 1<2 c, x </ y, done <? pi ?> end <!DOCTYPE x> z</p>"
        XCTAssertEqual(visible(TextView(of: Array(html.utf8), name: "a.html")),
                       "Price < 5 dollars; bravo here. a <3 b, 1<2 c, x </ y, done end z")
    }

    func testHTML_whenAQuotedAttributeHoldsAGreaterThan_theTagEndsAfterTheQuote() {
        let html = #"<p>one <a title="x > y" href='a>b'>two</a> three <img alt=">" src=x>four <b class="open>five</b> six</p>"#
        XCTAssertEqual(visible(TextView(of: Array(html.utf8), name: "a.html")), "one two three four five six")
    }

    func testHTML_numericReferencesInTheC1Range_readAsWindows1252() {
        let html = "<p>don&#146;t &#147;wait&#148; &#150; &#128;5 &#x99;</p>"
        XCTAssertEqual(visible(TextView(of: Array(html.utf8), name: "a.html")), "don’t “wait” – €5 ™")
    }

    func testHTML_namedReferences_decodeHTML401AndCommonHTML5Names() {
        let html = """
        <p>Cr&ecirc;pe in &Oslash;slo &Alpha;&omega; &hellip; &euro;5 &rarr; &le; &lsquo;x&rsquo; &ldquo;y&rdquo; a&ndash;b&mdash;c
        &apos;&period;&comma;&colon;&lpar;&rpar;&quest;&excl;&num;&dollar;&percnt;&ast;&plus;&equals;&lsqb;&rsqb;&lowbar;&grave;&lcub;&rcub;&verbar;&hyphen;&dash;&sol;&bsol;
        a&Tab;b&NewLine;c &eacute &unknown; &#233;&#xE9;&#XE9; &#x110000; &#; &amp;eacute;</p>
        """
        XCTAssertEqual(visible(TextView(of: Array(html.utf8), name: "a.html")),
                       "Crêpe in Øslo Αω … €5 → ≤ ‘x’ “y” a–b—c '.,:()?!#$%*+=[]_`{}|‐‐/\\ a b c &eacute &unknown; ééé &#x110000; &#; &eacute;")
    }

    func testNamedReferenceTable_everyCharacterFitsInPlaceOfItsReference() {
        let table = HTMLView.namedTable
        XCTAssertGreaterThanOrEqual(table.count, 252 + 27)
        XCTAssertEqual(Set(table.map(\.name)).count, table.count, "names are unique")
        for (name, scalar) in table {
            let utf8 = ViewBytes.utf8(scalar) ?? []
            XCTAssertFalse(utf8.isEmpty, "&\(name);")
            XCTAssertLessThanOrEqual(utf8.count, name.utf8.count + 2, "&\(name);")
            var bytes = Array("x&\(name);y".utf8)
            HTMLView.blank(&bytes, 0 ..< bytes.count)
            XCTAssertEqual(bytes.count, name.utf8.count + 4)
            // Tab, line feed, space and no-break space are blanked, so words stay apart.
            let blanked = [0x09, 0x0A, 0x20, 0xA0].contains(scalar)
            let expected = "x" + (blanked ? String(repeating: " ", count: name.utf8.count + 2) : String(Unicode.Scalar(scalar)!)) + "y"
            XCTAssertEqual(String(decoding: bytes.filter { $0 != 0x7F }, as: UTF8.self), expected, "&\(name);")
        }
    }

    func testCompactedView_dropsPaddingAndMapsMatchesBackToTheReferenceNotTheTag() throws {
        let html = "<p>caf&eacute; bar; <b>Ak</b>tobe&amp;</p>"
        let c = try XCTUnwrap(CompactedView(Document(name: "a.html", string: html)))
        let text = String(decoding: c.bytes, as: UTF8.self)
        XCTAssertEqual(text.trimmingCharacters(in: .whitespaces), "café bar; Aktobe&")
        let file = Array(html.utf8)
        func slice(_ s: String) -> String {
            let r = text.range(of: s)!
            let a = text.utf8.distance(from: text.startIndex, to: r.lowerBound)
            let z = text.utf8.distance(from: text.startIndex, to: r.upperBound)
            return String(decoding: file[c.fileRange(a ..< z)], as: UTF8.self)
        }
        XCTAssertEqual(slice("café"), "caf&eacute;")
        XCTAssertEqual(slice("caf"), "caf")
        XCTAssertEqual(slice("é bar"), "&eacute; bar")
        XCTAssertEqual(slice("Ak"), "Ak", "an inline tag after a match is not part of it")
        XCTAssertEqual(slice("Aktobe"), "Ak</b>tobe")
        XCTAssertEqual(slice("tobe&"), "tobe&amp;")
        XCTAssertNil(CompactedView(Document(string: "plain text, no padding")))
    }
}
