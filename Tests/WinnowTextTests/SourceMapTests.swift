@testable import WinnowText
import XCTest

final class SourceMapTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testIdentity_mapsEveryOffsetToItself() {
        let text = bytes("Gunmen in Актобе")
        let map = SourceMap.identity(count: text.count)
        XCTAssertTrue(map.isIdentity)
        XCTAssertEqual(map.sourceRange(3 ..< 9, text: text), 3 ..< 9)
        XCTAssertEqual(map.sourceRange(10 ..< text.count, text: text), 10 ..< text.count)
    }

    func testBuilder_copiesAndDecodedCharacters_mapToWhatTheyStandFor() {
        // `Caf&eacute; <b>owners</b>` → `Café owners`
        let input = bytes("Caf&eacute; <b>owners</b>")
        var b = TextBuilder()
        b.copy(input, 0 ..< 3)
        b.append(bytes("é"), for: 3 ..< 11)
        b.copy(input, 11 ..< 12)
        b.copy(input, 15 ..< 21)
        let (text, map) = b.finish()
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "Café owners")
        XCTAssertEqual(map.sourceRange(0 ..< 5, text: text), 0 ..< 11, "the word ends where its last reference ends")
        XCTAssertEqual(map.sourceRange(6 ..< 12, text: text), 15 ..< 21, "a copy after markup maps past the markup")
        XCTAssertEqual(map.sourceRange(3 ..< 5, text: text), 3 ..< 11)
    }

    func testBuilder_separators_replaceTrailingSpaceAndDoNotRepeat() {
        let input = bytes("one </p><p> <p>two")
        var b = TextBuilder()
        b.copy(input, 0 ..< 4)
        b.separate(lines: 2, at: 4 ..< 11)
        b.separate(lines: 1, at: 12 ..< 15)
        b.copy(input, 15 ..< 18)
        let (text, map) = b.finish()
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "one\n\ntwo")
        XCTAssertEqual(map.sourceRange(5 ..< 8, text: text), 15 ..< 18)
        XCTAssertEqual(map.sourceRange(0 ..< 8, text: text), 0 ..< 18)
    }

    func testScaledRun_mapsEachByteToItsEscape() {
        // Quoted-printable `x=D0=96y` → `xЖy`
        let input = bytes("x=D0=96y")
        var b = TextBuilder()
        b.copy(input, 0 ..< 1)
        b.append([0xD0, 0x96], scaledFrom: 1, width: 3)
        b.copy(input, 7 ..< 8)
        let (text, map) = b.finish()
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "xЖy")
        XCTAssertEqual(map.sourceRange(1 ..< 3, text: text), 1 ..< 7)
        XCTAssertEqual(map.sourceRange(3 ..< 4, text: text), 7 ..< 8)
    }

    func testBase64Run_mapsToWholeGroups() {
        // "Hello world" in base64 after 10 bytes of something else.
        let encoded = bytes("SGVsbG8gd29ybGQ=")
        var b = TextBuilder()
        b.append(base64Decoded: bytes("Hello world"), from: 10)
        let (text, map) = b.finish()
        XCTAssertEqual(map.sourceRange(6 ..< 11, text: text), 10 + 8 ..< 10 + 16, "`world` lies in groups 3 and 4")
        XCTAssertEqual(map.sourceRange(0 ..< 5, text: text), 10 + 0 ..< 10 + 8)
        XCTAssertEqual(encoded.count, 16)
    }

    func testScalars_countCharactersNotBytes() {
        // A single-byte charset: every character one source byte, Cyrillic two bytes of UTF-8.
        let text = bytes("ab Жук")
        let map = SourceMap(segments: [.init(textStart: 0, fileStart: 0, unit: .scalars, width: 1)], textCount: text.count)
        XCTAssertEqual(map.sourceRange(3 ..< 9, text: text), 3 ..< 6)
        let utf16 = SourceMap(segments: [.init(textStart: 0, fileStart: 2, unit: .scalars, width: 2)], textCount: text.count)
        XCTAssertEqual(utf16.sourceRange(3 ..< 9, text: text), 2 + 6 ..< 2 + 12, "after a 2-byte mark")
    }

    /// HTML over a single-byte charset: the composed map counts characters in the file.
    func testComposition_ofACopyOverACharset_countsSourceCharacters() {
        // File (windows-1251-like, 1 byte per character): `<p>Жук</p>` → UTF-8 `<p>Жук</p>` → text `Жук`.
        let utf8 = bytes("<p>Жук</p>")
        let charset = SourceMap(segments: [.init(textStart: 0, fileStart: 0, unit: .scalars, width: 1)], textCount: utf8.count)
        var b = TextBuilder()
        b.copy(utf8, 3 ..< 9)
        let (text, html) = b.finish()
        let composed = html.composed(over: charset, text: text, innerText: utf8)
        XCTAssertEqual(composed.sourceRange(0 ..< 6, text: text), 3 ..< 6)
        XCTAssertEqual(composed.sourceRange(2 ..< 4, text: text), 4 ..< 5)
    }

    /// An e-mail part: text ← charset (1 byte per character) ← quoted-printable (3 file bytes per byte).
    func testComposition_ofACharsetOverQuotedPrintable_multipliesWidths() {
        let file = bytes("Subject: x\n\n=C6=F3=EA end")
        var qp = TextBuilder()
        qp.append([0xC6, 0xF3, 0xEA], scaledFrom: 12, width: 3)
        qp.copy(file, 21 ..< 25)
        let (partBytes, transfer) = qp.finish()
        XCTAssertEqual(partBytes, [0xC6, 0xF3, 0xEA] + bytes(" end"))
        let utf8 = bytes("Жук end")
        let charset = SourceMap(segments: [.init(textStart: 0, fileStart: 0, unit: .scalars, width: 1)], textCount: utf8.count)
        let composed = charset.composed(over: transfer, text: utf8, innerText: partBytes)
        XCTAssertEqual(composed.sourceRange(0 ..< 6, text: utf8), 12 ..< 21)
        XCTAssertEqual(composed.sourceRange(2 ..< 4, text: utf8), 15 ..< 18)
        XCTAssertEqual(composed.sourceRange(7 ..< 10, text: utf8), 22 ..< 25)
    }

    /// Text ← charset ← base64: positions land on the groups that hold the character's byte.
    func testComposition_ofACharsetOverBase64_landsOnWholeGroups() {
        var b64 = TextBuilder()
        b64.append(base64Decoded: [0xC6, 0xF3, 0xEA, 0x20, 0x41, 0x42], from: 100)
        let (partBytes, transfer) = b64.finish()
        let utf8 = bytes("Жук AB")
        let charset = SourceMap(segments: [.init(textStart: 0, fileStart: 0, unit: .scalars, width: 1)], textCount: utf8.count)
        let composed = charset.composed(over: transfer, text: utf8, innerText: partBytes)
        XCTAssertEqual(composed.sourceRange(0 ..< 6, text: utf8), 100 ..< 104, "bytes 0-2: the first group")
        XCTAssertEqual(composed.sourceRange(7 ..< 9, text: utf8), 104 ..< 108, "bytes 4-5: the second group")
    }

    func testCheckpoints_keepLongTranscodedTextsExact() {
        let text = bytes(String(repeating: "Жук ", count: 5000))
        let whole = SourceMap(segments: [.init(textStart: 0, fileStart: 7, unit: .scalars, width: 2)], textCount: text.count)
        let cut = whole.checkpointed(text: text, span: 100)
        XCTAssertGreaterThan(cut.segments.count, 100)
        for start in stride(from: 0, to: text.count - 7, by: 97) where text[start] & 0xC0 != 0x80 {
            let r = start ..< start + 7
            XCTAssertEqual(cut.sourceRange(r, text: text), whole.sourceRange(r, text: text))
        }
    }
}
