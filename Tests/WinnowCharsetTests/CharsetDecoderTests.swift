#if canImport(Glibc)
import Glibc
#endif
@testable import WinnowCharset
import WinnowTestSupport
import WinnowText
import XCTest

final class CharsetDecoderTests: XCTestCase {
    static let russian = """
        Полиция Актобе задержала группу подозреваемых в организации вооружённого нападения на отделение банка. \
        По словам следователей, участники группы готовили теракт и финансировали экстремистскую ячейку, \
        а также занимались контрабандой оружия через границу с Россией.
        """
    static let ukrainian = """
        Поліція затримала у Києві підозрюваних у підготовці вибуху; слідчі кажуть, що їхня група \
        отримувала гроші з-за кордону і готувала ґрунт для нових нападів на є-черги та вокзали.
        """
    static let french = """
        La police a arrêté mercredi à Marseille trois hommes soupçonnés d'avoir préparé un attentat; \
        selon le procureur, les enquêteurs ont découvert des armes et des documents liés à une organisation extrémiste.
        """
    static let polish = """
        Policja zatrzymała w środę w Łodzi trzech mężczyzn podejrzanych o przygotowywanie zamachu; według \
        prokuratora śledczy znaleźli broń i dokumenty związane z organizacją przestępczą działającą w Gdańsku.
        """

    private func decode(_ bytes: [UInt8], declared: String? = nil, policy: CharsetPolicy = CharsetPolicy())
        -> Result<DecodedText, UndecodableText> {
        bytes.withUnsafeBufferPointer {
            CharsetDecoder.decode($0, declared: declared.map { CharsetDeclaration(label: $0, origin: "the test") }, policy: policy)
        }
    }

    private func string(_ d: DecodedText) -> String { String(decoding: d.utf8, as: UTF8.self) }

    /// Every charset of the default candidate list, undeclared, is detected and decoded right,
    /// and every word's mapped bytes are that word in the file.
    func testDetection_readsEveryCandidateCharsetUndeclared() throws {
        let cases: [(String, String, String)] = [
            (Self.russian, "windows-1251", "windows-1251"), (Self.russian, "KOI8-R", "koi8-r"),
            (Self.ukrainian, "KOI8-U", "koi8-u"), (Self.russian, "ISO-8859-5", "iso-8859-5"),
            (Self.russian, "IBM866", "ibm866"), (Self.russian, "MAC-CYRILLIC", "x-mac-cyrillic"),
            (Self.french, "CP1252", "windows-1252"), (Self.polish, "CP1250", "windows-1250"),
            (Self.polish, "ISO-8859-2", "iso-8859-2"),
            (Self.russian, "UTF-16LE", "utf-16le"), (Self.russian, "UTF-16BE", "utf-16be"),
            (Self.french, "UTF-32LE", "utf-32le"), (Self.french, "UTF-32BE", "utf-32be"),
        ]
        for (text, iconvName, expected) in cases {
            let bytes = encode(text, as: iconvName)
            let d = try decode(bytes).get()
            XCTAssertEqual(string(d), text, expected)
            XCTAssertEqual(d.choice.charset.name, expected)
            XCTAssertEqual(d.choice.method, .detected, expected)
            assertWordsMapToTheirBytes(d, file: bytes, charset: iconvName)
        }
    }

    /// ISO-8859-15 and ISO-8859-1 text is told apart from windows-1252 only by a few letters; the
    /// decoded text is right whichever name the detector gives it.
    func testDetection_westernEuropeanText_decodesRight() throws {
        for charset in ["ISO-8859-15", "ISO-8859-1"] {
            XCTAssertEqual(string(try decode(encode(Self.french, as: charset)).get()), Self.french, charset)
        }
    }

    private func assertWordsMapToTheirBytes(_ d: DecodedText, file: [UInt8], charset: String,
                                            line: UInt = #line) {
        var start = 0
        let text = d.utf8
        for i in 0 ... text.count where i == text.count || text[i] == 0x20 {
            defer { start = i + 1 }
            guard i > start else { continue }
            let word = Array(text[start ..< i])
            let r = d.map.sourceRange(start ..< i, text: text)
            XCTAssertEqual(Array(file[r]), encode(String(decoding: word, as: UTF8.self), as: charset), "\(charset)", line: line)
        }
    }

    func testByteOrderMark_winsAndOffsetsCountFromTheFilesStart() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + encode("ab Жук", as: "UTF-16LE")
        let d = try decode(bytes).get()
        XCTAssertEqual(string(d), "ab Жук")
        XCTAssertEqual(d.choice, CharsetChoice(charset: .utf16le, method: .bom))
        XCTAssertEqual(d.map.sourceRange(3 ..< 9, text: d.utf8), 8 ..< 14)
        let utf8 = try decode([0xEF, 0xBB, 0xBF] + Array("abc".utf8)).get()
        XCTAssertEqual(utf8.utf8, Array("abc".utf8))
        XCTAssertEqual(utf8.map.sourceRange(0 ..< 3, text: utf8.utf8), 3 ..< 6)
        let utf32 = try decode([0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x04, 0x14]).get()
        XCTAssertEqual(string(utf32), "Д")
        XCTAssertEqual(utf32.choice.charset, .utf32be)
    }

    func testUTF16_oddTrailingByte_becomesAReplacementWithAWarning() throws {
        let d = try decode([0xFF, 0xFE, 0x41, 0x00, 0x42]).get()
        XCTAssertEqual(string(d), "A\u{FFFD}")
        XCTAssertEqual(d.warnings.count, 1)
        XCTAssertEqual(d.map.sourceRange(1 ..< 4, text: d.utf8), 4 ..< 5)
    }

    func testDeclaration_isFollowedWhenTheBytesAgree() throws {
        let bytes = encode(Self.russian, as: "KOI8-R")
        let d = try decode(bytes, declared: "koi8-r").get()
        XCTAssertEqual(d.choice, CharsetChoice(charset: Charset(label: "koi8-r")!, method: .declared))
        XCTAssertEqual(string(d), Self.russian)
    }

    func testDeclaration_ofALegacyCharsetOverValidUTF8_readsUTF8AndSaysSo() throws {
        let d = try decode(Array(Self.russian.utf8), declared: "windows-1251").get()
        XCTAssertEqual(d.choice.method, .utf8)
        XCTAssertEqual(string(d), Self.russian)
        XCTAssertTrue(d.warnings.first?.contains("valid UTF-8") ?? false, "\(d.warnings)")
    }

    func testDeclaration_ofUTF8OverLegacyBytes_isOverruledByDetection() throws {
        let d = try decode(encode(Self.russian, as: "windows-1251"), declared: "utf-8").get()
        XCTAssertEqual(d.choice.charset.name, "windows-1251")
        XCTAssertEqual(d.choice.method, .detected)
        XCTAssertEqual(string(d), Self.russian)
    }

    func testUnknownDeclaredCharset_isAWarningNotAFailure() throws {
        let d = try decode(Array("plain words".utf8), declared: "x-made-up").get()
        XCTAssertEqual(string(d), "plain words")
        XCTAssertTrue(d.warnings.first?.contains("x-made-up") ?? false)
    }

    func testUTF8WithAFewDamagedBytes_readsAsUTF8WithReplacements() throws {
        let bytes = Array("Полиция задержала".utf8) + [0xFF] + Array(" подозреваемых в Актобе".utf8)
        let d = try decode(bytes).get()
        XCTAssertEqual(d.choice.method, .utf8)
        XCTAssertEqual(string(d), "Полиция задержала\u{FFFD} подозреваемых в Актобе")
        XCTAssertEqual(d.warnings.count, 1)
        let word = Array("подозреваемых".utf8)
        let at = d.utf8.firstRange(of: word)!
        XCTAssertEqual(Array(bytes[d.map.sourceRange(at, text: d.utf8)]), word)
    }

    func testInvalidBytesOfTheCharset_becomeReplacementsWithAWarning() throws {
        // 0x98 is unassigned in windows-1251.
        let bytes = encode("Жук", as: "CP1251") + [0x98] + encode(" бежал", as: "CP1251")
        let d = try decode(bytes, declared: "windows-1251").get()
        XCTAssertEqual(string(d), "Жук\u{FFFD} бежал")
        XCTAssertTrue(d.warnings.first?.contains("windows-1251") ?? false, "\(d.warnings)")
    }

    func testFallback_isUsedWhenDetectionFindsNoCandidate() throws {
        let bytes = encode(Self.russian, as: "KOI8-R")
        let policy = CharsetPolicy(candidates: [Charset(label: "windows-1252")!], fallback: Charset(label: "koi8-r"))
        let d = try decode(bytes, policy: policy).get()
        XCTAssertEqual(d.choice, CharsetChoice(charset: Charset(label: "koi8-r")!, method: .fallback))
    }

    func testNothingWorks_failsNamingWhatWasTriedAndTheSetting() {
        let bytes = encode(Self.russian, as: "KOI8-R")
        let policy = CharsetPolicy(candidates: [Charset(label: "windows-1252")!], fallback: nil)
        guard case .failure(let f) = decode(bytes, policy: policy) else { return XCTFail("decoded") }
        XCTAssertTrue(f.detail.contains("windows-1252"), f.detail)
        XCTAssertTrue(f.detail.contains("fallback_encoding"), f.detail)
    }

    func testLabels_areReadAsBrowsersReadThem() {
        XCTAssertEqual(Charset(label: "CP1251")?.name, "windows-1251")
        XCTAssertEqual(Charset(label: "latin1")?.name, "windows-1252")
        XCTAssertEqual(Charset(label: "US-ASCII")?.name, "windows-1252")
        XCTAssertEqual(Charset(label: " \"koi8-r\" ")?.name, "koi8-r")
        XCTAssertEqual(Charset(label: "Shift_JIS")?.name, "shift_jis")
        XCTAssertNil(Charset(label: "no-such-charset"))
    }

    /// A charset whose characters take one or two bytes is converted a character at a time, and
    /// offsets still land on each character's bytes.
    func testMultiByteCharset_mapsEachCharacter() throws {
        let text = "東京 police 警察"
        let bytes = encode(text, as: "SHIFT_JIS")
        let d = try decode(bytes, declared: "shift_jis").get()
        XCTAssertEqual(string(d), text)
        XCTAssertEqual(Array(bytes[d.map.sourceRange(7 ..< 13, text: d.utf8)]), Array("police".utf8))
        let kanji = Array("警察".utf8)
        XCTAssertEqual(Array(bytes[d.map.sourceRange(14 ..< 14 + kanji.count, text: d.utf8)]), encode("警察", as: "SHIFT_JIS"))
    }

    func testUnicodeForm_withoutMark_isFoundFromItsNULBytes() throws {
        for charset in ["UTF-16LE", "UTF-16BE"] {
            let bytes = encode("Short note: police in Almaty detained two men.", as: charset)
            let d = try XCTUnwrap(bytes.withUnsafeBufferPointer { CharsetDecoder.unicodeForm($0, policy: CharsetPolicy()) }, charset)
            XCTAssertEqual(d.choice.charset.name, charset.lowercased())
        }
        let binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + [UInt8](repeating: 0, count: 40) + [0x03, 0x00, 0x3E, 0x00]
        XCTAssertNil(binary.withUnsafeBufferPointer { CharsetDecoder.unicodeForm($0, policy: CharsetPolicy()) })
    }
}
