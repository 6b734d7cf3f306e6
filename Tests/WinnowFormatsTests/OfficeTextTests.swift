import Foundation
import XCTest
@testable import WinnowFormats

/// The office reader's library part, in-process: limits, formats, the output protocol, sniffing.
final class OfficeTextTests: XCTestCase {
    func testExtract_pastThePartLimit_failsAsToolFailed() throws {
        var limits = OfficeLimits()
        limits.maxPartBytes = 100
        XCTAssertThrowsError(try OfficeText.extract(FormatFixtures.bytes("english.docx"), limits: limits)) { error in
            XCTAssertEqual((error as? ReadFailure)?.reason, .toolFailed)
            XCTAssertTrue((error as? ReadFailure)?.detail.contains("more than 100 bytes") == true)
        }
    }

    func testExtract_pastTheTotalLimit_failsAsToolFailed() throws {
        var limits = OfficeLimits()
        limits.maxTotalBytes = 1500
        XCTAssertThrowsError(try OfficeText.extract(FormatFixtures.bytes("english.docx"), limits: limits)) { error in
            XCTAssertEqual((error as? ReadFailure)?.detail, "the document's parts unpack to more than 1 KB (the limit for one office file); a ZIP bomb or a damaged file")
        }
    }

    func testExtract_zipOfSomethingElse_isUnsupported() throws {
        XCTAssertThrowsError(try OfficeText.extract(FormatFixtures.bytes("not-office.zip"))) { error in
            XCTAssertEqual(error as? ReadFailure, ReadFailure(.unsupportedFormat, "a ZIP archive that is neither a Word document (DOCX) nor an OpenDocument text (ODT)"))
        }
    }

    func testExtract_notAZip_isMalformed() throws {
        XCTAssertThrowsError(try OfficeText.extract(FormatFixtures.bytes("text.pdf"))) { error in
            XCTAssertEqual((error as? ReadFailure)?.reason, .malformed)
        }
    }

    func testExtract_truncatedDOCX_isMalformed() throws {
        let file = try FormatFixtures.bytes("english.docx")
        XCTAssertThrowsError(try OfficeText.extract(Array(file.prefix(file.count / 2)))) { error in
            XCTAssertEqual((error as? ReadFailure)?.reason, .malformed)
        }
    }

    func testOutput_roundTripsADocument() {
        let d = OfficeDocument(format: .odt, text: Array("Line one\n\nLine: two".utf8), title: "A\ntitle", heading: nil,
                               author: "Анна", created: "2024-03-06", warnings: ["w1", "w2"])
        var expected = d
        expected.title = "A title"
        XCTAssertEqual(OfficeOutput.decode(OfficeOutput.encode(d)), .success(expected))
    }

    func testOutput_roundTripsAFailure() {
        let f = ReadFailure(.encrypted, "locked")
        XCTAssertEqual(OfficeOutput.decode(OfficeOutput.encode(f)), .failure(f))
        XCTAssertEqual(OfficeOutput.exitStatus(for: .encrypted), 4)
    }

    func testOutput_refusesWhatIsNotTheProtocol() {
        XCTAssertNil(OfficeOutput.decode(Array("hello\n\nworld".utf8)))
        XCTAssertNil(OfficeOutput.decode(Array("winnow-office 1\nformat: docx".utf8)), "no blank line: cut short")
        XCTAssertNil(OfficeOutput.decode(Array("winnow-office 1\nformat: xlsx\n\n".utf8)))
    }

    func testSniff_tellsDOCXFromODTFromOtherZips() throws {
        func sniff(_ name: String) throws -> (docx: SniffResult, odt: SniffResult) {
            try FormatFixtures.bytes(name).withUnsafeBufferPointer { (DOCXReader.sniff($0), ODTReader.sniff($0)) }
        }
        XCTAssertTrue(try sniff("english.docx") == (.certain, .no))
        XCTAssertTrue(try sniff("russian.docx") == (.certain, .no))
        XCTAssertTrue(try sniff("zip-bomb.docx") == (.certain, .no), "[Content_Types].xml and no spreadsheet part")
        XCTAssertTrue(try sniff("english.odt") == (.no, .certain))
        XCTAssertTrue(try sniff("not-office.zip") == (.no, .no))
        XCTAssertTrue(try sniff("text.pdf") == (.no, .no))
    }

    func testSniff_survivesEveryCutAndDamagedHeader() throws {
        var generator = SystemRandomNumberGenerator()
        for name in ["english.docx", "english.odt", "zip-bomb.docx", "not-office.zip"] {
            let file = try FormatFixtures.bytes(name)
            for cut in stride(from: 0, through: min(file.count, 4096), by: 7) {
                var head = Array(file.prefix(cut))
                _ = head.withUnsafeBufferPointer { (DOCXReader.sniff($0), ODTReader.sniff($0)) }
                if head.count > 30 {
                    for _ in 0 ..< 8 { head[Int.random(in: 4 ..< head.count, using: &generator)] = .random(in: 0 ... 255, using: &generator) }
                    _ = head.withUnsafeBufferPointer { (DOCXReader.sniff($0), ODTReader.sniff($0)) }
                }
            }
        }
    }

    func testFixtures_areWhatTheScriptWrites() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/make-format-fixtures.py").path
        guard FileManager.default.fileExists(atPath: script), FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else {
            throw XCTSkip("python3 or the script is absent")
        }
        let tools = FakeTools()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [script, tools.path]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let committed = try FileManager.default.contentsOfDirectory(atPath: FormatFixtures.folder).sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tools.path).sorted(), committed)
        for name in committed {
            XCTAssertEqual(FileManager.default.contents(atPath: tools.path + "/" + name),
                           FileManager.default.contents(atPath: FormatFixtures.folder + "/" + name), name)
        }
    }
}
