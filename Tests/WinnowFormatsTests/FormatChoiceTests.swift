import Foundation
@testable import WinnowFormats
import WinnowTestSupport
import XCTest

/// How a file's format is chosen: content first, extension second (docs/formats.md).
final class FormatChoiceTests: XCTestCase {
    private func format(_ name: String, _ content: String) throws -> String {
        try DocumentReader.read(Array(content.utf8), name: name).documents[0].metadata.format.rawValue
    }

    func testFormat_isChosenByContentFirstAndExtensionSecond() throws {
        let mail = "From: desk@example.org\nSubject: Raid\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\nPolice raided a market.\n"
        let page = "<!DOCTYPE html><html><head><title>Raid</title></head><body><p>Police raided a market.</p></body></html>"
        let table: [(String, String, String)] = [
            ("note.txt", "Police raided a market.", "text"),
            ("no-extension", "Police raided a market.", "text"),
            ("saved.txt", page, "html"),
            ("message.txt", mail, "email"),
            ("page.html", page, "html"),
            ("mail.eml", mail, "email"),
            ("fragment.html", "<p>Police</p><p>raided</p><p>a market.</p>", "html"),
            ("fragment.txt", "<p>Police</p><p>raided</p><p>a market.</p>", "text"),
            ("article.txt", #"{"title": "Raid", "body": "Police raided a market."}"#, "json"),
            ("feed.json", "{\"title\": \"a\"}\n{\"title\": \"b\"}\n", "jsonl"),
            ("one.jsonl", #"{"title": "Raid", "body": "Police raided a market."}"#, "jsonl"),
            ("notes.md", "# Raid\n\nPolice *raided* a market.", "markdown"),
            ("notes", "# Raid\n\nPolice [raided](https://example.org) a market.", "markdown"),
            ("notes.txt", "# Raid\n\nPolice [raided](https://example.org) a market.", "text"),
            ("notes.txt", "# Raid\n\nPolice raided a market.", "text"),
        ]
        for (name, content, expected) in table {
            XCTAssertEqual(try format(name, content), expected, "\(name): \(content.prefix(40))")
        }
    }

    func testBinarySignatures_areUnsupportedFormatsNamedInTheReason() {
        let cases: [([UInt8], String)] = [
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0], "a legacy Microsoft Office file"),
            (Array("{\\rtf1\\ansi Police raided a market.}".utf8), "an RTF document"),
            ([0x1F, 0x8B, 0x08, 0x00], "a gzip file"),
        ]
        for (bytes, kind) in cases {
            XCTAssertThrowsError(try DocumentReader.read(bytes, name: "file.bin")) { error in
                let f = error as? ReadFailure
                XCTAssertEqual(f?.reason, .unsupportedFormat)
                XCTAssertTrue(f?.detail.hasPrefix(kind) ?? false, "\(f?.detail ?? "")")
            }
        }
    }

    func testRegistry_formatsAndExtensionsAreUniqueAndDocumented() throws {
        let names = FormatRegistry.names
        XCTAssertEqual(Set(names).count, names.count, "\(names)")
        let extensions = FormatRegistry.readers.flatMap { $0.extensions }
        XCTAssertEqual(Set(extensions).count, extensions.count, "an extension names one reader: \(extensions)")
        let doc = try String(contentsOfFile: packageRoot() + "/docs/formats.md", encoding: .utf8)
        for reader in FormatRegistry.readers {
            XCTAssertTrue(doc.contains("| `\(reader.format.rawValue)` |"), "docs/formats.md lists \(reader.format)")
            XCTAssertFalse(reader.summary.isEmpty)
        }
    }
}
