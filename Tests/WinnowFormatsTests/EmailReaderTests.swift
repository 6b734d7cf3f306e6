import Foundation
@testable import WinnowCharset
@testable import WinnowFormats
import XCTest

final class EmailReaderTests: XCTestCase {
    // MARK: Charsets of text parts

    func testEightBitWindows1251Part_isReadInItsDeclaredCharset() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Report from Aktobe")
        m.line("Content-Type: text/plain; charset=windows-1251")
        m.line("Content-Transfer-Encoding: 8bit")
        m.line()
        m.body("Боевики открыли огонь у здания акимата в Актобе.\nПолиция оцепила район.", charset: "WINDOWS-1251", transfer: .identity)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.format.rawValue, "email")
        XCTAssertEqual(doc.metadata.title, "Report from Aktobe")
        XCTAssertEqual(doc.metadata.charset?.charset.name, "windows-1251")
        XCTAssertEqual(doc.metadata.charset?.method, .declared)
        XCTAssertEqual(doc.string, "Report from Aktobe\n\nБоевики открыли огонь у здания акимата в Актобе.\r\nПолиция оцепила район.")
        XCTAssertEqual(doc.warnings, [])
        assertEveryWordMapsBack(doc, m)
    }

    func testKOI8RQuotedPrintablePart_isDecodedThroughBothLayers() throws {
        var m = MailFixture()
        m.header("From", "monitor@example.org")
        m.header("Subject", "Daily digest")
        m.line("MIME-Version: 1.0")
        m.line("Content-Type: text/plain; charset=\"koi8-r\"")
        m.line("Content-Transfer-Encoding: quoted-printable")
        m.line()
        let body = "В Алматы задержаны трое подозреваемых в подготовке теракта; при обыске изъяты взрывчатка и оружие."
        m.body(body, charset: "KOI8-R", transfer: .quotedPrintable)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.charset?.charset.name, "koi8-r")
        XCTAssertEqual(doc.string, "Daily digest\n\n" + body)
        assertEveryWordMapsBack(doc, m)
    }

    func testBase64UTF8Part_isDecodedAndMapsToWholeGroups() throws {
        var m = MailFixture()
        m.header("From", "monitor@example.org")
        m.header("Subject", "Fwd: court ruling")
        m.line("Content-Type: text/plain; charset=utf-8")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        let body = String(repeating: "Суд приговорил организатора нападения на инкассаторов к 12 годам. ", count: 6)
        m.body(body, charset: "UTF-8", transfer: .base64)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Fwd: court ruling\n\n" + body.trimmingCharacters(in: .whitespaces))
        XCTAssertEqual(doc.metadata.charset?.method, .declared)
        assertEveryWordMapsBack(doc, m)
    }

    func testPartWithoutCharset_isDetected() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "no charset")
        m.line("Content-Type: text/plain")
        m.line()
        m.body("Сотрудники полиции задержали подозреваемого в поджоге автомобиля у здания администрации города.", charset: "WINDOWS-1251", transfer: .identity)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.charset?.charset.name, "windows-1251")
        XCTAssertEqual(doc.metadata.charset?.method, .detected)
        assertEveryWordMapsBack(doc, m)
    }

    func testPartWithUnknownCharsetLabel_isDetectedAndSaysSo() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "odd label")
        m.line("Content-Type: text/plain; charset=x-mystery-cyrillic")
        m.line("Content-Transfer-Encoding: 8bit")
        m.line()
        m.body("Сотрудники полиции задержали подозреваемого в поджоге автомобиля у здания администрации города.", charset: "KOI8-R", transfer: .identity)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.charset?.charset.name, "koi8-r")
        XCTAssertEqual(doc.metadata.charset?.method, .detected)
        XCTAssertEqual(doc.warnings, ["the message's Content-Type names charset 'x-mystery-cyrillic', which is unknown; ignored"])
        assertEveryWordMapsBack(doc, m)
    }

    // MARK: Headers

    func testKOI8REncodedWordSubjectAndWindows1251QFrom_areTitleAndAuthor() throws {
        var m = MailFixture()
        let subject = "Перестрелка в Актобе: двое задержаны"
        let b64 = Data(MailFixture.encode(subject, to: "KOI8-R")).base64EncodedString()
        let name = MailFixture.encode("Иван Петров", to: "WINDOWS-1251").map { $0 >= 0x80 || $0 == 0x20 ? ($0 == 0x20 ? "_" : String(format: "=%02X", $0)) : String(UnicodeScalar($0)) }.joined()
        m.header("From", "=?windows-1251?Q?\(name)?= <ivan@example.ru>")
        m.header("Subject", "=?koi8-r?B?\(b64)?=")
        m.header("Date", "Tue, 14 Mar 2017 09:20:00 +0000")
        m.line()
        m.body("Police said two men were detained.", charset: "UTF-8", transfer: .identity)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.title, subject)
        XCTAssertEqual(doc.metadata.author, "Иван Петров <ivan@example.ru>")
        XCTAssertEqual(doc.metadata.published, "Tue, 14 Mar 2017 09:20:00 +0000")
        XCTAssertTrue(doc.string.hasPrefix(subject + "\n\n"), doc.string)
        assertEveryWordMapsBack(doc, m)
    }

    func testFoldedSubjectOfAdjacentEncodedWords_joinsThemWithoutTheSpaceBetween() throws {
        // A UTF-8 character cut between two words, as some mailers cut them.
        let bytes = Array("Взрыв в Актобе".utf8)
        let w1 = Data(bytes[..<3]).base64EncodedString(), w2 = Data(bytes[3...]).base64EncodedString()
        var m = MailFixture()
        m.header("From", "a@example.org")
        m.header("Subject", "Re: =?UTF-8?B?\(w1)?=\r\n =?utf-8?b?\(w2)?= (update)")
        m.line()
        m.body("Text.", charset: "UTF-8", transfer: .identity)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.metadata.title, "Re: Взрыв в Актобе (update)")
        assertEveryWordMapsBack(doc, m)
    }

    func testEightBitSubject_isReadAsUTF8OrInTheMessageCharset() throws {
        for (charset, declared) in [("UTF-8", "utf-8"), ("WINDOWS-1251", "windows-1251"), ("WINDOWS-1251", nil)] {
            var m = MailFixture()
            let subject = "Задержан подозреваемый в подготовке теракта"
            m.header("From", "a@example.org")
            m.header("Subject", MailFixture.encode(subject, to: charset), charset: charset)
            if let declared { m.line("Content-Type: text/plain; charset=\(declared)") }
            m.line()
            m.body("Полиция сообщила о задержании подозреваемого в подготовке теракта в центре города.", charset: charset, transfer: .identity)
            let doc = try readMail(m.bytes)
            XCTAssertEqual(doc.metadata.title, subject, "\(charset) declared \(declared ?? "nothing")")
            assertEveryWordMapsBack(doc, m)
        }
    }

    func testSubjectWithManyEncodedWordsAndStrayMarkers_decodesEachWordAndKeepsTheRest() throws {
        // 20,000 words: building a String of the rest of the header per `=?` took seconds.
        let words = String(repeating: "=?utf-8?Q?caf=C3=A9_x?= =?x-unknown?Q?skip?= =?=?a?b? ", count: 20_000)
        let mail = "From: a@example.org\nSubject: \(words)=?utf-8?B?\(Data("Актобе".utf8).base64EncodedString())?=\n\nbody\n"
        let doc = try readMail(Array(mail.utf8))
        let title = doc.metadata.title ?? ""
        XCTAssertTrue(title.hasPrefix("café x =?x-unknown?Q?skip?= =?=?a?b? café x"), String(title.prefix(100)))
        XCTAssertTrue(title.hasSuffix("=?=?a?b? Актобе"), String(title.suffix(100)))
        XCTAssertEqual(doc.warnings, ["Subject: an encoded word in charset 'x-unknown', which is unknown, was kept as written"])
    }

    // MARK: Structure

    func testAlternativeOfPlainAndHTML_isReadOnceAsPlainText() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Alert")
        m.line("Content-Type: multipart/alternative; boundary=\"alt\"")
        m.line()
        m.line("--alt")
        m.line("Content-Type: text/plain; charset=utf-8")
        m.line()
        m.body("Gunmen opened fire near the border post.", charset: "UTF-8", transfer: .identity)
        m.line("--alt")
        m.line("Content-Type: text/html; charset=utf-8")
        m.line()
        m.body("<p>Gunmen opened fire near the <b>border</b> post.</p>", charset: "UTF-8", transfer: .identity)
        m.line("--alt--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Alert\n\nGunmen opened fire near the border post.")
        assertEveryWordMapsBack(doc, m)
    }

    func testAlternativeWithEmptyPlainPart_fallsBackToHTML() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Alert")
        m.line("Content-Type: multipart/alternative; boundary=alt")
        m.line()
        m.line("--alt")
        m.line("Content-Type: text/plain; charset=utf-8")
        m.line()
        m.line("  ")
        m.line("--alt")
        m.line("Content-Type: text/html; charset=koi8-r")
        m.line("Content-Transfer-Encoding: quoted-printable")
        m.line()
        m.body("<html><body><p>Боевики атаковали пост.</p><p>Есть раненые.</p></body></html>", charset: "KOI8-R", transfer: .quotedPrintable)
        m.line("--alt--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Alert\n\nБоевики атаковали пост.\n\nЕсть раненые.")
        XCTAssertEqual(doc.metadata.charset?.charset.name, "koi8-r")
        assertEveryWordMapsBack(doc, m)
    }

    func testRelatedHTMLInAlternative_isReadAndItsInlineImageNotListed() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Newsletter")
        m.line("Content-Type: multipart/alternative; boundary=a")
        m.line()
        m.line("--a")
        m.line("Content-Type: multipart/related; boundary=r")
        m.line()
        m.line("--r")
        m.line("Content-Type: text/html; charset=utf-8")
        m.line()
        m.body("<p>Explosion near the <img src=\"cid:logo\"> station.</p>", charset: "UTF-8", transfer: .identity)
        m.line("--r")
        m.line("Content-Type: image/png")
        m.line("Content-ID: <logo>")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        m.line("iVBORw0KGgo=")
        m.line("--r")
        m.line("Content-Type: application/pdf; name=brief.pdf")
        m.line("Content-Disposition: attachment")
        m.line()
        m.line("%PDF-1.4")
        m.line("--r--")
        m.line("--a--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Newsletter\n\nExplosion near the station.")
        XCTAssertEqual(doc.attachments, [Attachment(name: "brief.pdf", type: "application/pdf", bytes: 8)])
        assertEveryWordMapsBack(doc, m)
    }

    func testUTF8ByteOrderMarkBeforeTheHeader_isSkipped() throws {
        let mail = [0xEF, 0xBB, 0xBF] + Array("From: a@example.org\r\nSubject: Тема\r\n\r\nТекст.\r\n".utf8)
        XCTAssertEqual(mail.withUnsafeBufferPointer { EmailReader.sniff($0) }, .strong)
        let doc = try readMail(mail)
        XCTAssertEqual(doc.metadata.title, "Тема")
        XCTAssertEqual(doc.string, "Тема\n\nТекст.")
    }

    func testEncryptedMessage_saysItsTextCannotBeRead() throws {
        let mail = "From: a@example.org\nSubject: secret\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\n\n"
            + "--e\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n--e\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\n--e--\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "secret")
        XCTAssertEqual(doc.warnings, ["the message body (multipart/encrypted) is encrypted; its text cannot be read"])
        XCTAssertEqual(doc.attachments.map(\.type), ["application/pgp-encrypted", "application/octet-stream"])
    }

    func testHTMLOnlyMessage_isReadAsItsText() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "HTML only")
        m.line("Content-Type: text/html; charset=windows-1251")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        m.body("<div>Взрыв прогремел у здания суда.</div><div>Пострадавших нет.</div>", charset: "WINDOWS-1251", transfer: .base64)
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "HTML only\n\nВзрыв прогремел у здания суда.\n\nПострадавших нет.")
        assertEveryWordMapsBack(doc, m)
    }

    func testQuotedPrintableHTMLWithGreaterThanInQuotedAttribute_keepsTheTagOutOfText() throws {
        let mail = "From: a@example.org\nSubject: s\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
            + "<p>one <a title=3D\"x > leaked\" href=3D\"u\">word</a></p>\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "s\n\none word")
    }

    func testForwardedMessage_readsItsSubjectAndText() throws {
        var m = MailFixture()
        m.header("From", "analyst@example.org")
        m.header("Subject", "Fwd: for review")
        m.line("Content-Type: multipart/mixed; boundary=\"outer\"")
        m.line()
        m.line("--outer")
        m.line("Content-Type: text/plain; charset=us-ascii")
        m.line()
        m.body("See the report below.", charset: "UTF-8", transfer: .identity)
        m.line("--outer")
        m.line("Content-Type: message/rfc822")
        m.line("Content-Disposition: attachment")
        m.line()
        m.header("From", "source@example.ru")
        m.header("Subject", "=?koi8-r?B?\(Data(MailFixture.encode("Нападение на пост ДПС", to: "KOI8-R")).base64EncodedString())?=")
        m.line("Content-Type: text/plain; charset=koi8-r")
        m.line("Content-Transfer-Encoding: quoted-printable")
        m.line()
        m.body("Неизвестные обстреляли пост ДПС на трассе.", charset: "KOI8-R", transfer: .quotedPrintable)
        m.line("--outer--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Fwd: for review\n\nSee the report below.\n\nНападение на пост ДПС\n\nНеизвестные обстреляли пост ДПС на трассе.")
        XCTAssertEqual(doc.metadata.title, "Fwd: for review")
        XCTAssertEqual(doc.metadata.charset?.charset.name, "windows-1252", "us-ascii is read as browsers read it")
        XCTAssertEqual(doc.attachments, [])
        assertEveryWordMapsBack(doc, m)
    }

    func testDigest_readsEachMessageWithItsSubject() throws {
        var m = MailFixture()
        m.header("From", "list@example.org")
        m.header("Subject", "Digest 12")
        m.line("Content-Type: multipart/digest; boundary=d")
        m.line()
        for (subject, text) in [("Arrest in Almaty", "Two men were detained."), ("Fire in Aktobe", "No one was hurt.")] {
            m.line("--d")
            m.line()
            m.header("Subject", subject)
            m.line()
            m.body(text, charset: "UTF-8", transfer: .identity)
        }
        m.line("--d--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Digest 12\n\nArrest in Almaty\n\nTwo men were detained.\n\nFire in Aktobe\n\nNo one was hurt.")
        assertEveryWordMapsBack(doc, m)
    }

    func testForwardedMessageSentInBase64_isDecodedAndMapsToWholeGroups() throws {
        let inner = "Subject: =?utf-8?B?\(Data("Обстрел колонны".utf8).base64EncodedString())?=\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\n"
        let innerBytes = Array(inner.utf8) + MailFixture.encode("Колонна попала под обстрел у перевала.", to: "KOI8-R")
        var m = MailFixture()
        m.header("From", "analyst@example.org")
        m.header("Subject", "Fwd")
        m.line("Content-Type: message/rfc822")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        let start = m.bytes.count
        m.line(Data(innerBytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]))
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Fwd\n\nОбстрел колонны\n\nКолонна попала под обстрел у перевала.")
        for (word, r) in words(of: doc.string).dropFirst() {
            let s = doc.map.sourceRange(r, text: doc.text)
            XCTAssertGreaterThanOrEqual(s.lowerBound, start, word)
            XCTAssertEqual((s.lowerBound - start - (s.lowerBound - start) / 66 * 2) % 4, 0, "\(word) starts a group")
        }
    }

    func testUTF16File_isConvertedAndMapsToItsCodeUnits() throws {
        let mail = "From: desk@example.org\r\nSubject: Взрыв в Актобе\r\nContent-Type: text/plain; charset=utf-16\r\n\r\nПолиция оцепила район.\r\n"
        let file = [0xFF, 0xFE] + MailFixture.encode(mail, to: "UTF-16LE")
        let doc = try readMail(file)
        XCTAssertEqual(doc.string, "Взрыв в Актобе\n\nПолиция оцепила район.")
        XCTAssertEqual(doc.metadata.charset?.charset.name, "utf-16le")
        for (word, r) in words(of: doc.string) {
            XCTAssertEqual(MailFixture.decode(Array(file[doc.map.sourceRange(r, text: doc.text)]), from: "UTF-16LE"), word)
        }
    }

    func testPDFAttachment_isListedWithItsDecodedSizeAndNotRead() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Report attached")
        m.line("Content-Type: multipart/mixed; boundary=b1")
        m.line()
        m.line("preamble is not read")
        m.line("--b1")
        m.line("Content-Type: text/plain; charset=utf-8")
        m.line("Content-Transfer-Encoding: quoted-printable")
        m.line()
        m.body("Police said extremists opened fire at a café in the city centre, injuring three.", charset: "UTF-8", transfer: .quotedPrintable)
        m.line("--b1")
        m.line("Content-Type: application/pdf;")
        m.line("\tname=\"report.pdf\"")
        m.line("Content-Disposition: attachment; filename*=utf-8''%D0%BE%D1%82%D1%87%D1%91%D1%82.pdf")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        m.line(Data("%PDF-1.4\n%extremists\n".utf8).base64EncodedString())
        m.line("--b1--")
        m.line("epilogue is not read")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Report attached\n\nPolice said extremists opened fire at a café in the city centre, injuring three.")
        XCTAssertEqual(doc.attachments, [Attachment(name: "отчёт.pdf", type: "application/pdf", bytes: 21)])
        XCTAssertEqual(doc.warnings, [])
        assertEveryWordMapsBack(doc, m)
    }

    func testTextAttachments_areRead() throws {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        m.header("Subject", "Lists")
        m.line("Content-Type: multipart/mixed; boundary=\"==b==\"")
        m.line()
        m.line("--==b==")
        m.line("Content-Type: text/plain")
        m.line()
        m.body("Two files attached.", charset: "UTF-8", transfer: .identity)
        m.line("--==b==")
        m.line("Content-Type: text/csv; charset=windows-1251; name=\"list.csv\"")
        m.line("Content-Disposition: attachment; filename=\"list.csv\"")
        m.line("Content-Transfer-Encoding: base64")
        m.line()
        m.body("город;событие\nАктобе;перестрелка\nАлматы;задержание\n", charset: "WINDOWS-1251", transfer: .base64)
        m.line("--==b==")
        m.line("Content-Type: application/octet-stream; name=notes.txt")
        m.line("Content-Disposition: attachment")
        m.line()
        m.body("Notes: the suspect fled on foot.", charset: "UTF-8", transfer: .identity)
        m.line("--==b==--")
        let doc = try readMail(m.bytes)
        XCTAssertEqual(doc.string, "Lists\n\nTwo files attached.\n\nгород;событие\r\nАктобе;перестрелка\r\nАлматы;задержание\n\nNotes: the suspect fled on foot.")
        XCTAssertEqual(doc.attachments, [])
        assertEveryWordMapsBack(doc, m)
    }

    func testMboxMessage_isTitledBySubjectNotByItsFromLine() throws {
        var m = MailFixture()
        m.line("From desk@example.org Tue Mar 14 09:20:00 2017")
        m.header("From", "desk@example.org")
        m.header("Subject", "Arrest in Almaty")
        m.header("Date", "Tue, 14 Mar 2017 09:20:00 +0000")
        m.line()
        m.body("Police arrested two men.\n>From the statement: both were armed.", charset: "UTF-8", transfer: .identity)
        let doc = try readMail(m.bytes, name: "message.mbox")
        XCTAssertEqual(doc.metadata.title, "Arrest in Almaty")
        XCTAssertEqual(doc.string, "Arrest in Almaty\n\nPolice arrested two men.\r\n>From the statement: both were armed.")
        assertEveryWordMapsBack(doc, m)
    }

    func testMboxWithSeveralMessages_readsTheFirstAndSaysSo() throws {
        let mbox = "From a@example.org Mon Jan  1 00:00:00 2024\nFrom: a@example.org\nSubject: one\n\nFirst.\n\n"
            + "From b@example.org Mon Jan  1 00:00:01 2024\nFrom: b@example.org\nSubject: two\n\nSecond.\n"
        let doc = try readMail(Array(mbox.utf8), name: "box.mbox")
        XCTAssertEqual(doc.string, "one\n\nFirst.")
        XCTAssertEqual(doc.warnings, ["the mbox holds 1 more message(s) after the first; only the first was read"])
    }

    // MARK: What cannot be read

    func testPartThatCannotBeDecoded_isSkippedWithAWarning() throws {
        let mail = """
        From: a@example.org\r
        Subject: mixed\r
        Content-Type: multipart/mixed; boundary=b\r
        \r
        --b\r
        Content-Type: text/plain\r
        Content-Transfer-Encoding: x-uuencode\r
        \r
        begin 644 x.txt\r
        --b\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: base64\r
        \r
        \(Data("The convoy was attacked.".utf8).base64EncodedString())!!\r
        --b--\r
        """
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "mixed\n\nThe convoy was attacked.")
        XCTAssertEqual(doc.warnings.count, 2, "\(doc.warnings)")
        XCTAssertEqual(doc.warnings.first, "part 1 (text/plain) was not read: its transfer encoding 'x-uuencode' is not one Winnow reads")
        XCTAssertTrue(doc.warnings.last?.hasPrefix("part 2 (text/plain): 2 character(s) that are not base64 skipped") == true, "\(doc.warnings)")
    }

    func testMessageWithNoSubjectAndNoReadableText_failsAsMalformed() {
        let mail = "From: a@example.org\nTo: b@example.org\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
        XCTAssertThrowsError(try readMail(Array(mail.utf8))) { error in
            XCTAssertEqual((error as? ReadFailure)?.reason, .malformed)
        }
        let withSubject = "From: a@example.org\nSubject: a picture\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
        let doc = try? readMail(Array(withSubject.utf8))
        XCTAssertEqual(doc?.string, "a picture")
        XCTAssertEqual(doc?.attachments, [Attachment(name: nil, type: "image/png", bytes: 8)])
    }

    // MARK: Sniffing

    func testSniff_needsFamiliarHeadersOrAnMboxLine() {
        func sniff(_ s: String) -> SniffResult { Array(s.utf8).withUnsafeBufferPointer { EmailReader.sniff($0) } }
        XCTAssertEqual(sniff("Note: this is not mail\nBody\n"), .no)
        XCTAssertEqual(sniff("From: a@b\nSubject: Hi\n\nBody\n"), .strong)
        XCTAssertEqual(sniff("From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: Hi\n\nBody\n"), .strong)
        XCTAssertEqual(sniff("From here on, text.\nSubject: x\n"), .no)
        XCTAssertEqual(try? DocumentReader.read(Array("From: a@b\nSubject: Hi\n\nBody\n".utf8), name: "a.txt").documents.first?.metadata.format.rawValue, "email")
    }
}
