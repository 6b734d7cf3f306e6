import Foundation
@testable import WinnowFormats
import XCTest

/// The offsets contract on generated messages: every charset Winnow reads Cyrillic in, every
/// transfer encoding, base64 lines that cut groups, subjects cut into encoded words anywhere
/// (inside a UTF-8 character too). Seeded, so a failure repeats.
final class EmailOffsetsTests: XCTestCase {
    static let charsets = ["UTF-8", "WINDOWS-1251", "KOI8-R", "ISO-8859-5", "IBM866", "MAC-CYRILLIC"]
    static let labels = ["UTF-8": "utf-8", "WINDOWS-1251": "windows-1251", "KOI8-R": "koi8-r", "ISO-8859-5": "iso-8859-5",
                         "IBM866": "ibm866", "MAC-CYRILLIC": "x-mac-cyrillic"]
    static let vocabulary = ("Полиция задержала двух подозреваемых в нападении на инкассаторов; police said the gunmen fled, "
        + "взрыв прогремел у здания суда в Актобе - пострадавших нет. The convoy was attacked near the border.").split(separator: " ").map(String.init)

    func testGeneratedMessages_everyWordMapsBackToItsBytes() throws {
        var rng = SplitMix(seed: 11)
        for round in 0 ..< 60 {
            let (fixture, expectedParts) = Self.message(&rng)
            let doc = try readMail(fixture.bytes)
            XCTAssertEqual(doc.warnings, [], "round \(round)")
            for part in expectedParts {
                XCTAssertTrue(doc.string.contains(part), "round \(round): '\(part)' missing from '\(doc.string)'")
            }
            assertEveryWordMapsBack(doc, fixture)
        }
    }

    private static func sentence(_ rng: inout SplitMix) -> String {
        (0 ..< Int.random(in: 3 ... 30, using: &rng)).map { k in
            vocabulary.randomElement(using: &rng)! + (k % 7 == 6 ? "\n" : "")
        }.joined(separator: " ").replacingOccurrences(of: "\n ", with: "\n")
    }

    private static func message(_ rng: inout SplitMix) -> (MailFixture, [String]) {
        var m = MailFixture()
        m.header("From", "desk@example.org")
        let subject = sentence(&rng).replacingOccurrences(of: "\n", with: " ")
        m.header("Subject", encodedWords(subject, &rng))
        m.line("Content-Type: multipart/mixed; boundary=\"b\"")
        m.line()
        var texts: [String] = []
        for _ in 0 ..< Int.random(in: 1 ... 3, using: &rng) {
            let charset = charsets.randomElement(using: &rng)!
            let transfer = [MailFixture.Transfer.identity, .quotedPrintable, .base64].randomElement(using: &rng)!
            let text = sentence(&rng)
            m.line("--b")
            m.line("Content-Type: text/plain; charset=\(labels[charset]!)")
            m.line("Content-Transfer-Encoding: \(transfer == .identity ? "8bit" : transfer == .base64 ? "base64" : "quoted-printable")")
            m.line()
            m.body(text, charset: charset, transfer: transfer, lineLength: Int.random(in: 5 ... 80, using: &rng))
            texts.append(text.replacingOccurrences(of: "\n", with: "\r\n").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        m.line("--b--")
        return (m, texts)
    }

    /// `text` in a random charset, cut into B or Q words at random byte positions.
    private static func encodedWords(_ text: String, _ rng: inout SplitMix) -> String {
        let charset = charsets.randomElement(using: &rng)!
        var bytes = MailFixture.encode(text, to: charset)[...]
        var words: [String] = []
        while !bytes.isEmpty {
            let chunk = bytes.prefix(Int.random(in: 1 ... 30, using: &rng))
            bytes = bytes.dropFirst(chunk.count)
            let q = Bool.random(using: &rng)
            let encoded = q
                ? chunk.map { c in c == 0x20 ? "_" : (c < 0x80 && c != 0x3D && c != 0x3F && c != 0x5F ? String(UnicodeScalar(c)) : String(format: "=%02X", c)) }.joined()
                : Data(chunk).base64EncodedString()
            words.append("=?\(labels[charset]!)?\(q ? "Q" : "B")?\(encoded)?=")
        }
        return words.joined(separator: Bool.random(using: &rng) ? " " : "\r\n ")
    }
}

/// A small seeded generator (SplitMix64), so generated tests repeat.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
