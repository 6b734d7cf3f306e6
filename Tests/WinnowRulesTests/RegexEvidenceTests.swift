import Foundation
import WinnowEngine
import WinnowRules
import WinnowTestSupport
import WinnowFormats
import WinnowText
import XCTest

/// Regexes over HTML and e-mail: they read the decoded text, and evidence points into the file.
final class RegexEvidenceTests: XCTestCase {
    /// The evidence of `pattern` in a document named `name`: the matched text and the file's
    /// bytes at its offsets.
    private func evidence(_ pattern: String, in text: String, name: String) throws -> [(text: String, file: String)] {
        let dir = TempFolder()
        try dir.write("rules/r.yaml", """
        pack: r
        rules:
          - {id: r.one, title: t, level: low, match: {m: {regex: '\(pattern)'}}}
        """)
        let (ruleset, diagnostics) = RulesetLoader.load(folder: dir.path + "/rules")
        XCTAssertFalse(diagnostics.hasErrors, "\(diagnostics.items)")
        let file = Array(text.utf8)
        let fired = try XCTUnwrap(ruleset).classify(Document(name: name, string: text)).rules
        return fired.flatMap(\.evidence).map { ($0.text, String(decoding: file[$0.start ..< $0.end], as: UTF8.self)) }
    }

    private func assertEvidence(_ pattern: String, in text: String, name: String, _ expected: [(String, String)],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let found = try evidence(pattern, in: text, name: name)
        XCTAssertEqual(found.map(\.text), expected.map(\.0), pattern, file: file, line: line)
        XCTAssertEqual(found.map(\.file), expected.map(\.1), pattern, file: file, line: line)
    }

    func testRegex_whenHTMLReferencesInsideTheMatch_matchesTheDecodedTextAndCoversTheReferences() throws {
        let html = "<p>caf&eacute; bar; AT&amp;T; &laquo;Jihad&raquo;; AT&amp;Tx</p>"
        try assertEvidence("café bar", in: html, name: "a.html", [("café bar", "caf&eacute; bar")])
        try assertEvidence(#"\bAT&T\b"#, in: html, name: "a.html", [("AT&T", "AT&amp;T")])
        try assertEvidence("«Jihad»", in: html, name: "a.html", [("«Jihad»", "&laquo;Jihad&raquo;")])
    }

    func testRegex_whenInlineTagInsideAWord_readsOneWord() throws {
        let html = #"<p>Police in <b>Ak</b>tobe; <a href="x">alpha</a>bet; the <i>gunmen</i> fled</p>"#
        try assertEvidence(#"\bAktobe\b"#, in: html, name: "a.html", [("Aktobe", "Ak</b>tobe")])
        try assertEvidence(#"\balpha\b"#, in: html, name: "a.html", [])
        try assertEvidence(#"\w+bet\b"#, in: html, name: "a.html", [("alphabet", #"alpha</a>bet"#)])
        try assertEvidence(#"\bgunmen\b"#, in: html, name: "a.html", [("gunmen", "gunmen")])
    }

    func testRegex_whenBlockTagBetweenWords_seesWhitespaceThere() throws {
        let html = "<p>sleeper<br>cell</p>"
        try assertEvidence("sleeper cell", in: html, name: "a.html", [])
        try assertEvidence(#"sleeper\s+cell"#, in: html, name: "a.html", [("sleeper\ncell", "sleeper<br>cell")])
    }

    func testRegex_whenQuotedPrintable_matchesAcrossEscapesAndSoftLineBreaks() throws {
        let mail = """
        From: a@b.c
        Subject: s
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        The caf=C3=A9 bar; sleeper ce=
        ll.

        """
        try assertEvidence("café bar", in: mail, name: "m.eml", [("café bar", "caf=C3=A9 bar")])
        try assertEvidence("sleeper cell", in: mail, name: "m.eml", [("sleeper cell", "sleeper ce=\nll")])
    }

    func testRegex_whenPlainText_evidenceSlicesTheFile() throws {
        let text = "Привет. café bar; AT&T; «Jihad»; sleeper cell"
        for (pattern, match) in [("café bar", "café bar"), (#"\bAT&T\b"#, "AT&T"), ("«Jihad»", "«Jihad»"), ("sleeper cell", "sleeper cell")] {
            try assertEvidence(pattern, in: text, name: "a.txt", [(match, match)])
        }
    }
}
