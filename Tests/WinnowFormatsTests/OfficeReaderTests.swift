import Foundation
import XCTest
@testable import WinnowFormats

final class OfficeReaderTests: XCTestCase {
    func read(_ name: String, _ change: (inout ToolOptions) -> Void = { _ in }) throws -> Result<Reading, ReadFailure> {
        try FormatFixtures.read(name, options: FormatFixtures.officeOptions(change))
    }

    func testRead_englishDOCX_givesParagraphLinesTitleAuthorDateAndFootnotes() throws {
        let doc = try read("english.docx").get().documents[0]
        XCTAssertEqual(doc.metadata.format.rawValue, "docx")
        XCTAssertEqual(doc.metadata.title, "Two held over arson attack on Sheffield depot")
        XCTAssertEqual(doc.metadata.author, "Winnow Test Desk")
        XCTAssertEqual(doc.metadata.published, "2024-03-05T09:30:00Z")
        XCTAssertEqual(doc.offsets, .text)
        XCTAssertEqual(String(decoding: doc.text, as: UTF8.self), """
            Two held over arson attack on Sheffield depot
            Police in Sheffield arrested two men on Friday after a fire destroyed a bus depot on Attercliffe Road.
            Investigation
            Detectives said the fire was started deliberately.\tNobody was hurt.
            Anyone with information should call 101,
            quoting log 0412.

            South Yorkshire Police statement, 8 March.
            """)
        assertEvidence("arrested two men", in: doc)
        assertEvidence("South Yorkshire Police", in: doc)
    }

    func testRead_russianDOCX_takesTitleFromTheLocalisedTitleStyle() throws {
        let doc = try read("russian.docx").get().documents[0]
        XCTAssertEqual(doc.metadata.title, "Задержан подозреваемый в поджоге склада в Казани")
        XCTAssertEqual(doc.metadata.author, "Отдел тестов Winnow")
        assertEvidence("задержала мужчину 29 лет", in: doc)
        assertEvidence("пострадавших нет", in: doc)
    }

    func testRead_whenDOCXTitleIsAFileName_usesTheFirstLine() throws {
        let doc = try read("file-name-title.docx").get().documents[0]
        XCTAssertEqual(doc.metadata.title, "Court remands Bristol man accused of fraud")
    }

    func testRead_ODT_collapsesWhitespaceKeepsSpacesTabsAndBreaks_notesLast() throws {
        let doc = try read("english.odt").get().documents[0]
        XCTAssertEqual(doc.metadata.format.rawValue, "odt")
        XCTAssertEqual(doc.metadata.title, "Protesters detained outside Glasgow council offices")
        XCTAssertEqual(doc.metadata.author, "Winnow Test Desk", "meta:initial-creator, not the last editor")
        XCTAssertEqual(doc.metadata.published, "2024-03-06T18:05:00")
        XCTAssertEqual(String(decoding: doc.text, as: UTF8.self), """
            Protesters detained outside Glasgow council offices
            Police in Glasgow detained six people on Wednesday after a protest outside the council offices on George Square turned violent.
            Two officers were injured.   One protester was taken to hospital.
            Charges:\tbreach of the peace
            and assault.
            The council condemned the violence.

            Figures from Police Scotland.
            """)
        assertEvidence("detained six people", in: doc)
    }

    func testRead_encryptedODT_failsAsEncrypted() throws {
        XCTAssertEqual(try read("encrypted.odt").failure,
                       ReadFailure(.encrypted, "the document is password-protected (its parts are encrypted)"))
    }

    func testRead_DOCXWithoutText_failsWithNoText() throws {
        XCTAssertEqual(try read("empty.docx").failure,
                       ReadFailure(.noText, "the document has no text (only images, drawings or empty paragraphs)"))
    }

    func testRead_zipBomb_stopsAtThePartLimit() throws {
        let expected = ReadFailure(.toolFailed, "word/document.xml unpacks to more than 128 MB (the limit for one part of an office file); a ZIP bomb or a damaged file")
        XCTAssertEqual(try read("zip-bomb.docx").failure, expected)
        XCTAssertEqual(try read("zip-bomb-forged.docx").failure, expected, "sizes are counted as the part unpacks")
    }

    func testRead_entityBomb_failsAsMalformed() throws {
        let failure = try XCTUnwrap(read("entity-bomb.docx").failure)
        XCTAssertEqual(failure.reason, .malformed)
        XCTAssertTrue(failure.detail.hasPrefix("word/document.xml "), failure.detail)
    }

    func testRead_zipOfSomethingElse_isNotTakenForAnOfficeFile() throws {
        let failure = try XCTUnwrap(read("not-office.zip").failure)
        XCTAssertEqual(failure.reason, .unsupportedFormat)
        XCTAssertTrue(failure.detail.hasPrefix("a ZIP archive"), failure.detail)
    }

    func testRead_whenNotRunFromWinnow_andNoCommandSet_failsAsToolMissing() throws {
        XCTAssertNil(OfficeCommand.default, "the test runner is not named winnow")
        let failure = try XCTUnwrap(FormatFixtures.read("english.docx").failure)
        XCTAssertEqual(failure, ReadFailure(.toolMissing, "DOCX is read by 'winnow extract-office', and the running program is not winnow; set ToolOptions.officeReader to that command"))
    }

    func testRead_whenCommandAbsent_failsAsToolMissing() throws {
        var options = ReadingOptions()
        options.tools.officeReader = ["/nonexistent/winnow", "extract-office"]
        XCTAssertEqual(try FormatFixtures.read("english.odt", options: options).failure,
                       ReadFailure(.toolMissing, "ODT is read by 'winnow extract-office', and '/nonexistent/winnow' does not exist; reinstall Winnow"))
    }

    func testRead_underATinyMemoryLimit_failsNamingTheMemorySetting() throws {
        // The child dies while loading (a crash or an allocation failure, as the runtime has
        // it); either way the reason names the limit and its setting.
        let failure = try XCTUnwrap(try read("english.docx") { $0.memoryBytes = 8 << 20 }.failure)
        XCTAssertEqual(failure.reason, .toolFailed)
        XCTAssertTrue(failure.detail.contains("limit of 8 MB (the 'tool_memory' setting)"), failure.detail)
    }

    func testRead_whenCommandIsNotTheOfficeReader_saysSo() throws {
        var options = ReadingOptions()
        options.tools.officeReader = ["sh", "-c", "cat > /dev/null; echo hello"]
        XCTAssertEqual(try FormatFixtures.read("english.docx", options: options).failure,
                       ReadFailure(.toolFailed, "'sh -c cat > /dev/null; echo hello' wrote no office reader output; is it 'winnow extract-office'?"))
    }

    func testRead_whenOfficeReaderHangs_failsAtTheTimeLimit() throws {
        var options = ReadingOptions()
        options.tools.officeReader = ["sh", "-c", "sleep 60"]
        options.tools.timeout = .milliseconds(300)
        XCTAssertEqual(try FormatFixtures.read("english.docx", options: options).failure,
                       ReadFailure(.toolFailed, "winnow extract-office ran past its time limit of 300 ms (the 'tool_timeout' setting) and was stopped"))
    }

    func testDefaultCommand_isTheRunningWinnow() {
        XCTAssertEqual(OfficeCommand.command(running: "/usr/local/bin/winnow"), ["/usr/local/bin/winnow", "extract-office"])
        XCTAssertEqual(OfficeCommand.command(running: "/usr/local/bin/winnow (deleted)"), ["/proc/self/exe", "extract-office"])
        XCTAssertNil(OfficeCommand.command(running: "/work/.build/debug/scratchPackageTests.xctest"))
        XCTAssertNil(OfficeCommand.command(running: nil))
    }
}
