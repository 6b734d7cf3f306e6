import Foundation
@testable import WinnowFormats
import WinnowText
import XCTest

final class TransferDecodingTests: XCTestCase {
    private func decode(_ s: String, _ e: TransferEncoding) -> (text: String, bytes: [UInt8], map: SourceMap, input: [UInt8]) {
        let input = Array(s.utf8)
        let (bytes, map, _) = input.withUnsafeBufferPointer { e.decode($0, 0 ..< $0.count)! }
        return (String(decoding: bytes, as: UTF8.self), bytes, map, input)
    }

    func testQuotedPrintable_softBreaksReadAsNothingAndEscapesMapToThemselves() {
        let d = decode("Police said extre=\r\nmists opened fire at a caf=C3=A9 =3D ok=  \nend=", .quotedPrintable)
        XCTAssertEqual(d.text, "Police said extremists opened fire at a café = ok" + "end")
        let t = Array(d.text.utf8)
        let word = t.firstRange(of: Array("extremists".utf8))!
        XCTAssertEqual(String(decoding: d.input[d.map.sourceRange(word, text: d.bytes)], as: UTF8.self), "extre=\r\nmists")
        let cafe = t.firstRange(of: Array("é".utf8))!
        XCTAssertEqual(String(decoding: d.input[d.map.sourceRange(cafe, text: d.bytes)], as: UTF8.self), "=C3=A9")
    }

    func testBase64_groupSplitAcrossLinesMapsAsAWhole() {
        // "Attack on the convoy." in lines of 7 characters: groups cut by line breaks.
        let b64 = Data("Attack on the convoy.".utf8).base64EncodedString()
        var wrapped = ""
        for (k, c) in b64.enumerated() { wrapped.append(c); if k % 7 == 6 { wrapped += "\r\n" } }
        let d = decode(wrapped, .base64)
        XCTAssertEqual(d.text, "Attack on the convoy.")
        for (word, r) in words(of: d.text) {
            let slice = d.input[d.map.sourceRange(r, text: d.bytes)].filter { $0 != 0x0D && $0 != 0x0A }
            XCTAssertEqual(slice.count % 4, 0, word)
            XCTAssertTrue(String(decoding: Data(base64Encoded: Data(slice))!, as: UTF8.self).contains(word), word)
        }
    }

    func testBase64_withoutPaddingAndWithJoinedBlobs_decodesAll() {
        XCTAssertEqual(decode("QUJD\nREU", .base64).text, "ABCDE")
        XCTAssertEqual(decode("QQ==\nQg==\n", .base64).text, "AB")
        XCTAssertEqual(decode("QQ=\n=Qg==", .base64).text, "AB")
    }

    func testSizes_areCountedWithoutDecoding() {
        let input = Array("QUJD\r\nREVG\r\nRw==\r\n".utf8)
        XCTAssertEqual(input.withUnsafeBufferPointer { TransferEncoding.base64.decodedSize($0, 0 ..< $0.count) }, 7)
        let qp = Array("caf=C3=A9=\r\n!".utf8)
        XCTAssertEqual(qp.withUnsafeBufferPointer { TransferEncoding.quotedPrintable.decodedSize($0, 0 ..< $0.count) }, 6)
    }
}
