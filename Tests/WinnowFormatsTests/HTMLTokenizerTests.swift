@testable import WinnowFormats
import XCTest

final class HTMLTokenizerTests: XCTestCase {
    private func tokens(_ html: String) -> [String] {
        let bytes = Array(html.utf8)
        return bytes.withUnsafeBufferPointer { p in
            var t = HTMLTokenizer(p)
            var out: [String] = []
            func s(_ r: Range<Int>) -> String { String(decoding: p[r], as: UTF8.self) }
            while let token = t.next() {
                switch token {
                case .text(let r): out.append("text:" + s(r))
                case .startTag(let tag, _, let r, let selfClosing):
                    let attributes = t.attributes.map { s($0.value) }.joined(separator: ",")
                    out.append("<\(tag)\(attributes.isEmpty ? "" : " " + attributes)\(selfClosing ? "/" : "")>" + (s(r).hasSuffix(">") ? "" : "…"))
                    if tag == .script || tag == .style || tag == .title { out.append("raw:" + s(t.rawText(closing: tag)!)) }
                case .endTag(let tag, _, _): out.append("</\(tag)>")
                }
            }
            return out
        }
    }

    func testLessThan_opensATagOnlyBeforeALetterSlashLetterBangOrQuestionMark() {
        XCTAssertEqual(tokens("a < 5, 1<2, x </ y, <3 <p>z"), ["text:a < 5, 1<2, x </ y, <3 ", "<p>", "text:z"])
        XCTAssertEqual(tokens("x<!DOCTYPE html>y<?pi ?>z</b>"), ["text:x", "text:y", "text:z", "</b>"])
    }

    func testComments_areSkipped_andHTML5sShortFormsCloseAtOnce() {
        XCTAssertEqual(tokens("a<!-- <p>b</p> -->c<!-->d<!--->e"), ["text:a", "text:c", "text:d", "text:e"])
        XCTAssertEqual(tokens("a<!-- never closed <p>b"), ["text:a"])
    }

    func testQuotedAttribute_holdingAGreaterThan_doesNotEndTheTag() {
        XCTAssertEqual(tokens(#"<a title="x > y" href='a>b'>two</a>"#), ["<a x > y,a>b>", "text:two", "</a>"])
        XCTAssertEqual(tokens(#"<img alt=">" src=x>four"#), ["<img >,x>", "text:four"])
    }

    func testUnclosedQuote_isIgnored_andTheFirstGreaterThanAfterItEndsTheTag() {
        XCTAssertEqual(tokens(#"<b class="open>five</b> six"#), ["<b open>", "text:five", "</b>", "text: six"])
        let far = "<b class=\"x>" + String(repeating: "y", count: 70_000) + "\">z"
        XCTAssertEqual(tokens(far).first, "<b x>")
    }

    func testAttributes_quotedUnquotedAndBare() {
        XCTAssertEqual(tokens("<div id=main class='a b' hidden data-x = \"1\">"), ["<div main,a b,,1>"])
        XCTAssertEqual(tokens("<br/><img src=x />"), ["<br/>", "<img x/>"])
    }

    func testRawText_runsToItsEndTagWhateverItHolds() {
        XCTAssertEqual(tokens("<script>if (a<b && c>d) x = '</p>';</script>after"),
                       ["<script>", "raw:if (a<b && c>d) x = '</p>';", "text:after"])
        XCTAssertEqual(tokens("<title>A &amp; B</TITLE >t"), ["<title>", "raw:A &amp; B", "text:t"])
        XCTAssertEqual(tokens("<style>p{}</styles></style>x"), ["<style>", "raw:p{}</styles>", "text:x"])
        XCTAssertEqual(tokens("<script>never closed <p>"), ["<script>", "raw:never closed <p>"])
    }

    func testTagNames_anyCaseAndLength_areTold() {
        XCTAssertEqual(tokens("<FIGCAPTION>c</FigCaption><BlockQuote>q</blockquote><my-element>e</my-element>"),
                       ["<figcaption>", "text:c", "</figcaption>", "<blockquote>", "text:q", "</blockquote>", "<unknown>", "text:e", "</unknown>"])
    }

    func testTagLeftOpenAtTheEnd_takesTheRest() {
        XCTAssertEqual(tokens("a<div class=x"), ["text:a", "<div x>…"])
        XCTAssertEqual(tokens("a</div"), ["text:a", "</div>"])
    }

    func testAttributeNameConstants_areTheKeysOfTheirNames() {
        let names: [(String, UInt64)] = [
            ("class", AttributeName.class), ("id", AttributeName.id), ("style", AttributeName.style),
            ("hidden", AttributeName.hidden), ("aria-hidden", AttributeName.ariaHidden), ("aria-modal", AttributeName.ariaModal),
            ("role", AttributeName.role), ("itemprop", AttributeName.itemprop), ("href", AttributeName.href),
            ("name", AttributeName.name), ("property", AttributeName.property), ("content", AttributeName.content),
            ("charset", AttributeName.charset), ("http-equiv", AttributeName.httpEquiv), ("rel", AttributeName.rel),
            ("lang", AttributeName.lang), ("type", AttributeName.type), ("datetime", AttributeName.datetime),
        ]
        for (name, key) in names {
            XCTAssertEqual(AttributeName.key(name), key, name)
            XCTAssertEqual(AttributeName.key(name.uppercased()), key, name)
        }
        XCTAssertEqual(Set(names.map(\.1)).count, names.count)
    }

    /// Each of these pages costs linear time; a quadratic scan would take minutes here.
    func testHostileInput_isReadInOnePass() {
        let mb = 2 << 20
        for unit in ["<", "<a x='y ", "<b c=\"d=\"e ", "<div>", "</span>", "<!--x", "&amp&#x&", "<script>", "<a<a<a"] {
            let page = Array(String(repeating: unit, count: mb / unit.utf8.count).utf8)
            var tokens = 0
            page.withUnsafeBufferPointer { p in
                var t = HTMLTokenizer(p)
                while let token = t.next() {
                    tokens += 1
                    if case .startTag(.script, _, _, _) = token { _ = t.rawText(closing: .script) }
                }
            }
            XCTAssertLessThanOrEqual(tokens, page.count, unit)
            let text = HTMLExtractor.extract(page, mainContent: true)
            XCTAssertLessThanOrEqual(text.text.count, page.count, unit)
        }
    }
}
