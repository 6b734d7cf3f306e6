import Foundation
import WinnowTestSupport
import XCTest

/// Issue 11's done-criterion: the daemon reads real documents in every charset and format an
/// analyst's inbox holds, alerts on each with evidence whose offsets slice the file, and says
/// plainly what it could not read.
final class ReadingTests: XCTestCase {
    static let koi8Article = """
        Перестрелка в Актобе: экстремисты напали на полицейский пост

        В среду вооружённые боевики открыли огонь по полицейскому посту в Актобе. По данным полиции, \
        нападавшие - члены экстремистской группировки; двое полицейских погибли. Следователи задержали \
        трёх подозреваемых.
        """

    static let cp1251Body = """
        Полиция Алматы задержала группу наркоторговцев: изъято два килограмма героина. Члены \
        организованной преступной группы обвиняются в торговле наркотиками.
        """

    /// A web page whose menu, related-links box and footer would, if read, add sport words (which
    /// switch off crime rules), a terror story and four countries to a story about extortion.
    static let heavyNavigationPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>Almaty police break up extortion racket | Steppe Daily</title>
        <meta property="og:title" content="Almaty police break up extortion racket">
        <meta property="og:site_name" content="Steppe Daily">
        </head><body>
        <div id="cookie-banner">We use cookies. Accept all cookies to continue.</div>
        <header class="site-header"><nav class="main-menu"><ul>
        <li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/football">Football</a></li>
        <li><a href="/tennis">Tennis</a></li><li><a href="/sport">Sport: match results and tournament tables</a></li>
        </ul></nav></header>
        <main><article>
        <h1>Almaty police break up extortion racket</h1>
        <p class="byline">By Staff Reporter</p>
        <p>Police in Almaty have arrested four men accused of running an extortion racket that targeted market
        traders, the city's police department said on Tuesday. Investigators say the organised crime group
        demanded monthly payments from more than forty shop owners and beat those who refused.</p>
        <p>Officers seized two pistols, cash and ledgers during searches at several addresses in the city.
        The suspects face charges of extortion and membership of a criminal group, and could be jailed for
        up to twelve years if convicted.</p>
        <p>A spokesman for the prosecutor's office said more arrests were expected as the inquiry into the
        gang's finances continued, and urged other victims to come forward.</p>
        </article></main>
        <aside class="related-articles"><h2>Related</h2><ul>
        <li><a href="/a">Terror attack in Paris: gunmen kill three</a></li>
        <li><a href="/b">France and Germany sign trade deal</a></li>
        <li><a href="/c">Brazil beat Japan in friendly match</a></li></ul></aside>
        <footer class="site-footer"><p>Steppe Daily has offices in Germany, Brazil, Japan and France.</p>
        <ul class="share"><li><a href="/s">Share on social media</a></li></ul></footer>
        </body></html>
        """

    private func fixture(_ name: String) throws -> Data {
        let path = packageRoot() + "/Tests/WinnowFormatsTests/Fixtures/formats/" + name
        return try XCTUnwrap(FileManager.default.contents(atPath: path), "missing fixture \(path)")
    }

    private func koi8Article() -> Data { Data(encode(Self.koi8Article, as: "KOI8-R")) }

    private func windows1251Mail() -> Data {
        let subject = Data(encode("Задержаны наркоторговцы в Алматы", as: "CP1251")).base64EncodedString()
        var mail = Data("""
            From: desk@example.org\r
            To: news@example.org\r
            Subject: =?windows-1251?B?\(subject)?=\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=windows-1251\r
            Content-Transfer-Encoding: 8bit\r
            \r

            """.utf8)
        mail.append(contentsOf: encode(Self.cp1251Body, as: "CP1251"))
        mail.append(contentsOf: Array("\r\n".utf8))
        return mail
    }

    private func feed() -> Data {
        Data("""
            {"title": "Gunmen attack police station in Tashkent", "body": "Gunmen linked to an extremist group attacked a police station in Tashkent on Monday, killing two officers, the interior ministry said.", "source": "Example Wire", "published": "2026-11-30T08:00:00Z"}
            {"title": "Broken record", "body": "this line is not JSON",
            {"title": "Задержаны контрабандисты оружия", "text": "Пограничники задержали в Актобе группу контрабандистов оружия; изъяты автоматы и патроны.", "author": {"name": "Редакция"}}

            """.utf8)
    }

    /// Evidence whose offsets count in the file: the file's bytes there, decoded in the charset
    /// the alert names (and, in HTML, with references decoded), are the evidence text.
    private func assertEvidenceSlicesTheFile(_ alert: [String: Any], _ file: Data, line: UInt = #line) {
        let document = alert["document"] as? [String: Any] ?? [:]
        guard document["offsets"] as? String == "file" else { return XCTFail("offsets: \(document)", line: line) }
        let charset = ((document["charset"] as? [String: Any])?["name"] as? String) ?? "utf-8"
        let iconvName = ["x-mac-cyrillic": "MAC-CYRILLIC"][charset] ?? charset.uppercased()
        var checked = 0
        for rule in alert["rules"] as? [[String: Any]] ?? [] {
            for e in rule["evidence"] as? [[String: Any]] ?? [] {
                guard let start = e["start"] as? Int, let end = e["end"] as? Int, end > start, let text = e["text"] as? String else { continue }
                let bytes = Array(file[start ..< end])
                if let word = encodedWord(bytes) {
                    // A header's encoded word maps as a whole: decoded, it holds the evidence.
                    XCTAssertTrue(word.contains(text), "\(word) holds \(text)", line: line)
                } else {
                    let slice = decode(bytes, from: iconvName) ?? "?"
                    let read = slice.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&amp;", with: "&")
                    XCTAssertEqual(read.split(whereSeparator: \.isWhitespace), text.split(whereSeparator: \.isWhitespace),
                                   "\(document["name"] ?? "") \(start)..<\(end)", line: line)
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0, "no evidence with offsets in \(document["name"] ?? "")", line: line)
    }

    /// An RFC 2047 `=?charset?B?…?=` word, decoded (base64 only: what these fixtures write).
    private func encodedWord(_ bytes: [UInt8]) -> String? {
        let s = String(decoding: bytes, as: UTF8.self)
        let parts = s.split(separator: "?")
        guard s.hasPrefix("=?"), s.hasSuffix("?="), parts.count == 5, parts[2].uppercased() == "B",
              let data = Data(base64Encoded: String(parts[3])) else { return nil }
        return decode(Array(data), from: String(parts[1]).uppercased())
    }

    private func tags(_ alert: [String: Any]) -> [String] { alert["tags"] as? [String] ?? [] }

    private func document(_ alert: [String: Any]) -> [String: Any] { alert["document"] as? [String: Any] ?? [:] }

    func testIssue11_realDocumentsInEveryCharsetAndFormat_areReadAlertedAndMapped() throws {
        let dir = TempFolder()
        try FileManager.default.copyItem(atPath: packageRoot() + "/rules", toPath: dir.path + "/rules")
        let d = try Deployment(base: dir.path, keeping: [dir])
        try d.writeConfig("alert_level: low")
        try d.start()
        let drops: [(String, Data)] = [
            ("aktobe-koi8.txt", koi8Article()), ("tip.eml", windows1251Mail()), ("wire.jsonl", feed()),
            ("racket.html", Data(Self.heavyNavigationPage.utf8)),
            ("text.pdf", try fixture("text.pdf")), ("fraud.docx", try fixture("file-name-title.docx")),
        ]
        for (name, data) in drops { _ = try d.drop(name, data) }
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == drops.count && d.failed().count == 1 },
                      "processed: \(d.processed()), failed: \(d.failed())\n\(d.logs)")
        let alerts = d.alerts()
        func alert(_ name: String, record: Int? = nil) -> [String: Any]? {
            alerts.first { document($0)["name"] as? String == name && document($0)["record"] as? Int == record }
        }

        let koi8 = try XCTUnwrap(alert("aktobe-koi8.txt"), "\(alerts)")
        XCTAssertEqual(document(koi8)["title"] as? String, "Перестрелка в Актобе: экстремисты напали на полицейский пост")
        XCTAssertEqual(document(koi8)["charset"] as? [String: String], ["name": "koi8-r", "method": "detected"])
        XCTAssertTrue(tags(koi8).contains("extremism") && tags(koi8).contains("place:KZ"), "\(tags(koi8))")
        assertEvidenceSlicesTheFile(koi8, koi8Article())

        let mail = try XCTUnwrap(alert("tip.eml"))
        XCTAssertEqual(document(mail)["title"] as? String, "Задержаны наркоторговцы в Алматы")
        XCTAssertEqual(document(mail)["format"] as? String, "email")
        XCTAssertEqual((document(mail)["charset"] as? [String: String])?["name"], "windows-1251")
        XCTAssertTrue(tags(mail).contains("criminality"), "\(tags(mail))")
        assertEvidenceSlicesTheFile(mail, windows1251Mail())

        // The feed: records 1 and 3 alerted on their own; record 2 in failed/ with its line.
        let first = try XCTUnwrap(alert("wire.jsonl", record: 1), "\(alerts.map(document))")
        let third = try XCTUnwrap(alert("wire.jsonl", record: 3))
        XCTAssertEqual(document(first)["title"] as? String, "Gunmen attack police station in Tashkent")
        XCTAssertEqual(document(first)["publisher"] as? String, "Example Wire")
        XCTAssertTrue(tags(first).contains("extremism"), "\(tags(first))")
        XCTAssertTrue(tags(third).contains("criminality"), "\(tags(third))")
        XCTAssertEqual(document(third)["author"] as? String, "Редакция")
        let ids = [first, third].compactMap { $0["id"] as? String }
        XCTAssertTrue(ids.count == 2 && ids[0].hasSuffix("#1") && ids[1].hasSuffix("#3") && ids[0].dropLast(2) == ids[1].dropLast(2), "\(ids)")
        assertEvidenceSlicesTheFile(first, feed())
        assertEvidenceSlicesTheFile(third, feed())
        XCTAssertEqual(d.failed().map { ($0 as NSString).lastPathComponent }, ["wire#2.jsonl"])
        let reason = try XCTUnwrap(d.reason("wire#2.jsonl"))
        XCTAssertEqual(reason["reason"] as? String, "malformed")
        XCTAssertTrue((reason["detail"] as? String ?? "").hasPrefix("line 2, column "), "\(reason)")
        XCTAssertEqual(FileManager.default.contents(atPath: d.state + "/failed/wire#2.jsonl"),
                       Data(#"{"title": "Broken record", "body": "this line is not JSON","#.utf8))

        // The web page: the article, not the menu, related links and footer.
        let page = try XCTUnwrap(alert("racket.html"))
        XCTAssertEqual(document(page)["title"] as? String, "Almaty police break up extortion racket")
        XCTAssertEqual(document(page)["publisher"] as? String, "Steppe Daily")
        XCTAssertTrue(tags(page).contains("criminality"), "sport words in the menu must not switch the crime rules off: \(tags(page))")
        XCTAssertFalse(tags(page).contains("extremism"), "the related-links box is not the story: \(tags(page))")
        let countries = Set((page["places"] as? [[String: Any]] ?? []).compactMap { $0["country"] as? String })
        XCTAssertEqual(countries, ["KZ"], "countries of the footer and related links are page furniture")
        for rule in page["rules"] as? [[String: Any]] ?? [] {
            for e in rule["evidence"] as? [[String: Any]] ?? [] {
                let snippet = e["snippet"] as? String ?? ""
                XCTAssertFalse(snippet.contains("Football") || snippet.contains("cookies") || snippet.contains("\u{7F}"), snippet)
            }
        }
        assertEvidenceSlicesTheFile(page, Data(Self.heavyNavigationPage.utf8))

        // PDF and DOCX: text from poppler and libarchive + libxml2 in child processes.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
            let pdf = try XCTUnwrap(alert("text.pdf"), "\(alerts.map(document))")
            XCTAssertEqual(document(pdf)["offsets"] as? String, "text")
            XCTAssertEqual(document(pdf)["format"] as? String, "pdf")
            XCTAssertEqual(document(pdf)["title"] as? String, "Man arrested after pharmacy break-in in Leeds")
        }
        let docx = try XCTUnwrap(alert("fraud.docx"))
        XCTAssertEqual(document(docx)["format"] as? String, "docx")
        XCTAssertEqual(document(docx)["title"] as? String, "Court remands Bristol man accused of fraud")
        XCTAssertEqual(document(docx)["offsets"] as? String, "text")
        XCTAssertEqual(d.stop().status, 0)
    }

    /// Each way a document can fail to be read ends in failed/ with a reason that says why.
    func testIssue11_unreadableDocuments_failWithReasonsThatSayWhy() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        var expected: [(String, String, String)] = [
            ("archive.zip", "unsupported-format", "a ZIP archive"),
            ("scan.jpg", "unsupported-format", "a JPEG image"),
            ("blob.bin", "binary", "NUL byte"),
            ("mystery.txt", "undecodable", "fallback_encoding"),
            ("empty.docx", "no-text", "no text"),
            ("bomb.docx", "tool-failed", "128 MB"),
            ("feed.jsonl", "malformed", "no line of the feed"),
        ]
        var files: [String: Data] = [
            "archive.zip": try fixture("not-office.zip"),
            "scan.jpg": Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8),
            "blob.bin": Data([0x01, 0x00, 0x02, 0x00, 0xFF]),
            "mystery.txt": Data([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A]),
            "empty.docx": try fixture("empty.docx"),
            "bomb.docx": try fixture("zip-bomb.docx"),
            "feed.jsonl": Data("{\"a\": 1,\n{\"b\": \n".utf8),
        ]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") {
            expected += [("scan.pdf", "no-text", "OCR"), ("locked.pdf", "encrypted", "password"), ("broken.pdf", "malformed", "pdftotext")]
            files["scan.pdf"] = try fixture("scanned.pdf")
            files["locked.pdf"] = try fixture("encrypted.pdf")
            files["broken.pdf"] = try fixture("malformed.pdf")
        }
        for (name, data) in files { _ = try d.drop(name, data) }
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.failed().count == files.count }, "failed: \(d.failed())\n\(d.logs)")
        for (name, reason, words) in expected {
            let r = d.reason(name)
            XCTAssertEqual(r?["reason"] as? String, reason, "\(name): \(r ?? [:])")
            XCTAssertTrue((r?["detail"] as? String ?? "").contains(words), "\(name): \(r ?? [:])")
            XCTAssertEqual(FileManager.default.contents(atPath: d.state + "/failed/" + name), files[name], "\(name) keeps its bytes")
        }
        XCTAssertTrue(d.isRunning)
        XCTAssertEqual(d.stop().status, 0)
    }
}
