import Foundation
@testable import WinnowFormats
import XCTest

/// Messages built to hurt: each must be read in time linear in its size, with the stack
/// bounded, and say what it did not read.
final class EmailHostileInputTests: XCTestCase {
    func testPartsNestedTooDeep_stopAtTheLimitInsteadOfOverflowingTheStack() throws {
        let level = "Content-Type: message/rfc822\n\n"
        let shallow = "From: a@b\nSubject: Fwd\n" + String(repeating: level, count: 3) + "Gunmen opened fire.\n"
        XCTAssertEqual(try readMail(Array(shallow.utf8)).string, "Fwd\n\nGunmen opened fire.")
        let deep = "From: a@b\nSubject: Fwd\n" + String(repeating: level, count: 100_000) + "Gunmen opened fire.\n"
        let doc = try readMail(Array(deep.utf8))
        XCTAssertEqual(doc.metadata.title, "Fwd")
        XCTAssertEqual(doc.string, "Fwd", "the innermost text is beyond the limit")
        XCTAssertEqual(doc.warnings, ["a part nested more than 32 levels deep was not read"])
    }

    func testHundredThousandNestedMultiparts_areReadToTheLimit() throws {
        var mail = "From: a@b\nSubject: nested\n"
        for k in 0 ..< 100_000 { mail += "Content-Type: multipart/mixed; boundary=\"b\(k)\"\n\n--b\(k)\n" }
        mail += "Content-Type: text/plain\n\nGunmen opened fire.\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "nested")
        XCTAssertTrue(doc.warnings.contains("a part nested more than 32 levels deep was not read"), "\(doc.warnings)")
        XCTAssertLessThanOrEqual(doc.warnings.count, MailPartWalker.maxWarnings + 2)
    }

    func testHundredThousandMultipartsUnderOneBoundary_areSiblingsAndWarningsAreCapped() throws {
        var mail = "From: a@b\nSubject: flat\nContent-Type: multipart/mixed; boundary=b\n\n"
        for _ in 0 ..< 100_000 { mail += "--b\nContent-Type: multipart/mixed; boundary=b\n\n" }
        mail += "--b\nContent-Type: text/plain\n\nGunmen opened fire.\n--b--\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "flat\n\nGunmen opened fire.")
        XCTAssertLessThanOrEqual(doc.warnings.count, MailPartWalker.maxWarnings + 2)
    }

    func testBoundaryThatNeverCloses_readsTheLastPartToTheEnd() throws {
        let mail = "From: a@b\nSubject: cut off\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\nContent-Type: text/plain\n\n"
            + "First part.\n--x\nContent-Type: text/plain\n\nThe message was cut here"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "cut off\n\nFirst part.\n\nThe message was cut here")
        XCTAssertEqual(doc.warnings, ["the message body (multipart/mixed) ends without its closing boundary; read to the end of the file"])
    }

    func testBoundaryThatNeverOccurs_readsNoPartsAndSaysSo() throws {
        let mail = "From: a@b\nSubject: lost\nContent-Type: multipart/mixed; boundary=\"x\"\n\nNo boundary here.\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "lost")
        XCTAssertEqual(doc.warnings, ["the message body (multipart/mixed): the boundary 'x' never occurs; its parts were not read"])
    }

    func testFourMegabyteSubjectOfEncodedWordStarts_isReadAsWritten() throws {
        let junk = String(repeating: "=?", count: 2 << 20)
        let mail = "From: a@b\nSubject: \(junk)\n\nbody\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.metadata.title?.utf8.count, junk.utf8.count)
        XCTAssertEqual(doc.string.utf8.count, junk.utf8.count + "\n\nbody".utf8.count)
    }

    func testFourMegabyteSubjectOfOneUnfinishedEncodedWordAndOfManyWords_isLinear() throws {
        let unfinished = "=?utf-8?B?" + String(repeating: "QUFB", count: 1 << 20)
        let many = String(repeating: "=?koi8-r?Q?=F7=DA=D2=D9=D7?= ", count: 100_000)
        for subject in [unfinished, many] {
            let doc = try readMail(Array("From: a@b\nSubject: \(subject)\n\nbody\n".utf8))
            XCTAssertNotNil(doc.metadata.title)
        }
    }

    func testBase64PartOfGarbage_isReadAsFarAsItDecodesAndWarns() throws {
        let mail = "From: a@b\nSubject: junk\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
            + "!!!!\n" + Data("Attack on the convoy.".utf8).base64EncodedString() + "\n"
        let doc = try readMail(Array(mail.utf8))
        XCTAssertEqual(doc.string, "junk\n\nAttack on the convoy.")
        XCTAssertEqual(doc.warnings.count, 1)
    }
}
