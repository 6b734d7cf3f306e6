import Foundation
@testable import WinnowCharset
@testable import WinnowFormats
import WinnowText
import XCTest

final class MailHeaderTests: XCTestCase {
    private func header(_ s: String) -> (MailHeader, [UInt8]) {
        let b = Array(s.utf8)
        return (b.withUnsafeBufferPointer { MailHeader(parsing: $0, 0 ..< $0.count) }, b)
    }

    private func parameters(_ s: String) -> HeaderParameters { HeaderParameters(Array(s.utf8)) }

    func testFoldedField_runsToItsLastContinuationLine() {
        let (h, b) = header("Subject: first\r\n  second\r\nContent-Type: text/plain;\r\n\tcharset=koi8-r\r\n\r\nbody")
        XCTAssertEqual(h.fields.map(\.name), ["subject", "content-type"])
        let ct = h.first("content-type")!
        XCTAssertEqual(b.withUnsafeBufferPointer { String(decoding: ct.unfolded($0), as: UTF8.self) }, "text/plain;\tcharset=koi8-r")
        XCTAssertEqual(b.withUnsafeBufferPointer { h.first("subject")!.collapsed($0) }, "first second")
        XCTAssertEqual(String(decoding: b[h.bodyStart...], as: UTF8.self), "body")
    }

    func testLineThatIsNotAField_endsTheHeaderOfAPart() {
        let (h, b) = header("Content-Type: text/plain\nThis line is text.\nMore.\n")
        XCTAssertEqual(h.fields.count, 1)
        XCTAssertEqual(String(decoding: b[h.bodyStart...], as: UTF8.self), "This line is text.\nMore.\n")
    }

    func testParameters_namesAnyCaseQuotedAndEscapedValues() {
        let p = parameters("Multipart/Mixed; BOUNDARY=\"=_a\\\"b\"; Charset = UTF-8 ; name=my report.pdf")
        XCTAssertEqual(p.value, "multipart/mixed")
        XCTAssertEqual(p["boundary"], "=_a\"b")
        XCTAssertEqual(p["charset"], "UTF-8")
        XCTAssertEqual(p["name"], "my report.pdf")
    }

    func testRFC2231Parameters_joinContinuationsAndDecodeTheirCharset() {
        let p = parameters("attachment; filename*0*=utf-8''%D0%BE%D1%82%D1%87; filename*1*=%D1%91%D1%82; filename*2=\".pdf\"; filename=\"fallback.pdf\"")
        XCTAssertEqual(p["filename"], "отчёт.pdf")
        let cp1251 = parameters("attachment; filename*=windows-1251'ru'%EE%F2%F7%B8%F2.txt")
        XCTAssertEqual(cp1251["filename"], "отчёт.txt")
        let plainContinuation = parameters("text/plain; name*0=\"long \"; name*1=\"name.txt\"")
        XCTAssertEqual(plainContinuation["name"], "long name.txt")
    }

    func testEncodedWordInQuotedFilename_isDecoded() {
        let b64 = Data("сводка.txt".utf8).base64EncodedString()
        XCTAssertEqual(parameters("attachment; filename=\"=?UTF-8?B?\(b64)?=\"")["filename"], "сводка.txt")
    }

    func testEncodedWords_QWithUnderscoresLowercaseModeAndLanguageSuffix() {
        func decode(_ s: String) -> String {
            let b = Array(s.utf8)
            return b.withUnsafeBufferPointer { HeaderTextDecoder.decode($0, 0 ..< $0.count, field: "Subject", hint: nil, policy: CharsetPolicy()).string }
        }
        XCTAssertEqual(decode("=?iso-8859-5?q?=B2=D7=E0=EB=D2_=D2?= =?UTF-8*ru?b?0JDQutGC0L7QsdC1?="), "Взрыв вАктобе")
        XCTAssertEqual(decode("=?utf-8?Q?a?= b =?utf-8?Q?c?="), "a b c", "text between words keeps its spaces")
        XCTAssertEqual(decode("  plain\r\n\t text  "), "plain text")
        XCTAssertEqual(decode("=?utf-8?Q?line=0Abreak?="), "line break", "control characters become spaces")
        XCTAssertEqual(decode("=?utf-8?B?not base64 ?="), "=?utf-8?B?not base64 ?=")
    }

    func testTransferEncodingLabels() {
        XCTAssertEqual(TransferEncoding(label: " Quoted-Printable "), .quotedPrintable)
        XCTAssertEqual(TransferEncoding(label: "BASE64 (sent by x)"), .base64)
        XCTAssertEqual(TransferEncoding(label: nil), .identity)
        XCTAssertEqual(TransferEncoding(label: "8bit"), .identity)
        XCTAssertEqual(TransferEncoding(label: "x-uuencode"), .unknown("x-uuencode"))
    }
}
