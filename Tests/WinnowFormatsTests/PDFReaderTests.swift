import Foundation
import XCTest
@testable import WinnowFormats

final class PDFReaderTests: XCTestCase {
    override func setUp() async throws {
        try FormatFixtures.requirePDFToText()
    }

    func read(_ name: String, _ change: (inout ToolOptions) -> Void = { _ in }) throws -> Result<Reading, ReadFailure> {
        var options = ReadingOptions()
        change(&options.tools)
        return try FormatFixtures.read(name, options: options)
    }

    func testRead_textPDF_givesTextTitleAuthorAndDate() throws {
        let reading = try read("text.pdf").get()
        XCTAssertEqual(reading.documents.count, 1)
        let doc = reading.documents[0]
        XCTAssertEqual(doc.metadata.format.rawValue, "pdf")
        XCTAssertEqual(doc.metadata.title, "Man arrested after pharmacy break-in in Leeds")
        XCTAssertEqual(doc.metadata.author, "Winnow Test Desk")
        XCTAssertEqual(doc.metadata.published, "2024-03-05T09:30:00Z")
        XCTAssertNil(doc.metadata.charset)
        XCTAssertEqual(doc.offsets, .text)
        XCTAssertEqual(doc.map, .identity(count: doc.text.count))
        XCTAssertEqual(String(decoding: doc.text, as: UTF8.self), """
            Man arrested after pharmacy break-in in Leeds

            Police in Leeds arrested a 34-year-old man on Tuesday night after a break-in
            at a pharmacy on Kirkgate. Officers found him hiding near the café next door,
            with boxes of prescription drugs in a rucksack.

            The man was held at Elland Road police station and charged with burglary.
            A detective said the arrest followed a tip from a neighbour.
            """)
        assertEvidence("arrested a 34-year-old man", in: doc)
        assertEvidence("café", in: doc)
        assertEvidence("Elland Road police station", in: doc)
    }

    func testRead_whenTitleIsAFileName_usesTheFirstLine() throws {
        let doc = try read("file-name-title.pdf").get().documents[0]
        XCTAssertEqual(doc.metadata.title, "Man arrested after pharmacy break-in in Leeds")
        XCTAssertNil(doc.metadata.author)
    }

    func testRead_withoutInfoDictionary_usesTheFirstLine() throws {
        let doc = try read("no-info.pdf").get().documents[0]
        XCTAssertEqual(doc.metadata.title, "The man was held at Elland Road police station and charged with burglary.")
        XCTAssertNil(doc.metadata.published)
    }

    func testRead_whenNameSaysNothing_choosesPDFByContent() throws {
        let file = try FormatFixtures.bytes("text.pdf")
        let reading = try DocumentReader.read(file, name: "upload.bin")
        XCTAssertEqual(reading.documents[0].metadata.format.rawValue, "pdf")
    }

    func testRead_scannedPDF_failsWithNoText() throws {
        let failure = try XCTUnwrap(read("scanned.pdf").failure)
        XCTAssertEqual(failure, ReadFailure(.noText, "a scanned PDF without a text layer; run OCR first (ocrmypdf adds one)"))
    }

    func testRead_encryptedPDF_failsAsEncrypted() throws {
        let failure = try XCTUnwrap(read("encrypted.pdf").failure)
        XCTAssertEqual(failure, ReadFailure(.encrypted, "the PDF is password-protected; Winnow reads only PDFs that open without a password"))
    }

    func testRead_malformedPDF_failsAsMalformed_quotingPdftotext() throws {
        let failure = try XCTUnwrap(read("malformed.pdf").failure)
        XCTAssertEqual(failure.reason, .malformed)
        XCTAssertTrue(failure.detail.hasPrefix("pdftotext could not parse the PDF: "), failure.detail)
        XCTAssertTrue(failure.detail.contains("xref"), failure.detail)
    }

    func testRead_whenPdftotextMissing_namesThePackageAndTheSetting() throws {
        let failure = try XCTUnwrap(read("text.pdf") { $0.pdftotext = "/nonexistent/pdftotext" }.failure)
        XCTAssertEqual(failure, ReadFailure(.toolMissing, "PDF needs pdftotext, and '/nonexistent/pdftotext' (the 'pdftotext' setting) does not exist; apt-get install poppler-utils, or correct the setting"))
        XCTAssertEqual(PDFReader.toolMissing(ToolOptions()), ReadFailure(.toolMissing,
            "PDF needs pdftotext from Debian's poppler-utils, which is not installed; apt-get install poppler-utils"))
    }

    func testRead_whenPdftotextHangs_failsAtTheTimeLimit() throws {
        let tools = FakeTools()
        let hang = try tools.script("pdftotext", "cat > /dev/null; sleep 60")
        let failure = try XCTUnwrap(read("text.pdf") { $0.pdftotext = hang; $0.timeout = .milliseconds(300) }.failure)
        XCTAssertEqual(failure, ReadFailure(.toolFailed, "pdftotext ran past its time limit of 300 ms (the 'tool_timeout' setting) and was stopped"))
    }

    func testRead_underATinyMemoryLimit_failsNamingTheMemorySetting() throws {
        let failure = try XCTUnwrap(read("text.pdf") { $0.memoryBytes = 4 << 20 }.failure)
        XCTAssertEqual(failure, ReadFailure(.toolFailed, "pdftotext ran out of memory under its limit of 4 MB (the 'tool_memory' setting)"))
    }

    func testRead_whenPdftotextCrashes_saysWhichSignal() throws {
        let tools = FakeTools()
        let crash = try tools.script("pdftotext", "kill -SEGV $$")
        let failure = try XCTUnwrap(read("text.pdf") { $0.pdftotext = crash }.failure)
        XCTAssertEqual(failure, ReadFailure(.toolFailed, "pdftotext crashed (SIGSEGV, signal 11); the document may be damaged or hostile, or the tool short of memory under its limit of 1 GB (the 'tool_memory' setting)"))
    }

    func testRead_pastTheOutputLimit_failsNamingIt() throws {
        let failure = try XCTUnwrap(read("text.pdf") { $0.maxOutputBytes = 100 }.failure)
        XCTAssertEqual(failure, ReadFailure(.toolFailed, "pdftotext wrote more than 100 bytes of text (the output limit) and was stopped"))
    }

    func testSniff_findsTheSignatureInTheFirstKilobyteOnly() {
        func sniff(_ bytes: [UInt8]) -> SniffResult { bytes.withUnsafeBufferPointer { PDFReader.sniff($0) } }
        XCTAssertEqual(sniff(Array("%PDF-1.7\n".utf8)), .certain)
        XCTAssertEqual(sniff([UInt8](repeating: 0x20, count: 500) + Array("%PDF-1.4".utf8)), .certain)
        XCTAssertEqual(sniff([UInt8](repeating: 0x20, count: 1020) + Array("%PDF-1.4".utf8)), .no)
        XCTAssertEqual(sniff(Array("Notes on %PDF files".utf8)), .no)
    }

    func testOutput_bodyIsRaw_headIsUnescaped() throws {
        let html = """
            <!DOCTYPE html><html><head>
            <title>Fish &amp; chips &quot;to go&quot;</title>
            <meta name="Author" content="O&apos;Brien"/>
            </head>
            <body>
            <pre>
            a </pre> b &amp; c
            \u{0C}second page
            \u{0C}</pre>
            </body>
            </html>

            """
        let out = try XCTUnwrap(PDFToTextOutput(Array(html.utf8)))
        XCTAssertEqual(out.title, "Fish & chips \"to go\"")
        XCTAssertEqual(out.author, "O'Brien")
        XCTAssertEqual(String(decoding: out.text, as: UTF8.self), "a </pre> b &amp; c\n\nsecond page")
    }

    func testTitle_rejectsFileNamesAndPlaceholders() {
        for t in ["Microsoft Word - report.docx", "untitled", "scan0042.tif", "C:\\Users\\anna\\brief.doc", "  ", "1234"] {
            XCTAssertFalse(DocumentTitle.isReal(t), t)
        }
        for t in ["Man arrested after pharmacy break-in in Leeds", "Задержан подозреваемый", "Report v2.1 final"] {
            XCTAssertTrue(DocumentTitle.isReal(t), t)
        }
    }
}
