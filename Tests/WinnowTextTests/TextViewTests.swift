import Foundation
import WinnowText
import XCTest

final class TextViewTests: XCTestCase {
    private func visible(_ v: TextView) -> String {
        String(decoding: v.bytes.filter { $0 != 0x7F }, as: UTF8.self)
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
}
