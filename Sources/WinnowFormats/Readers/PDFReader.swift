#if canImport(Glibc)
import Glibc
#endif
import WinnowText

/// PDF, read by poppler's `pdftotext` in a child process with limits (`ToolRunner`).
///
/// One run of `pdftotext -enc UTF-8 -htmlmeta - -` gives text and the Info dictionary (about
/// 10 ms a small PDF; pdftotext then pdfinfo costs 16 ms). Offsets count bytes of the extracted
/// text (`offsets: .text`): a PDF stores no text as bytes a person could slice.
struct PDFReader: FormatReader {
    static let format = DocumentFormat(rawValue: "pdf")
    static let summary = "PDF with a text layer, read by pdftotext (poppler-utils); offsets count bytes of the extracted text."
    static let extensions = ["pdf"]

    /// How far into the file the `%PDF-` signature may start (as PDF readers allow).
    static let signatureWindow = 1024
    static let signature = Array("%PDF-".utf8)

    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        let window = UnsafeBufferPointer(rebasing: head[..<min(head.count, signatureWindow)])
        guard let at = ByteSearch.firstIndex(of: signature, in: window) else { return .no }
        // Readers accept junk before the signature (a MacBinary header); text before it is a
        // document that quotes a PDF (an e-mail with one pasted in), not a PDF.
        let before = window[..<at]
        let isPDF = before.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } || before.contains { $0 < 0x09 }
        return isPDF ? .certain : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let tools = input.options.tools
        let result = ToolRunner.run([tools.pdftotext, "-enc", "UTF-8", "-htmlmeta", "-", "-"], input: input.file, options: tools)
        switch result.termination {
        case .notFound:
            throw toolMissing(tools)
        case .exited(0):
            break
        case .exited(1) where isEncrypted(result), .exited(3):
            throw ReadFailure(.encrypted, "the PDF is password-protected; Winnow reads only PDFs that open without a password")
        case .exited(1) where !ToolFailure.ranOutOfMemory(result):
            throw ReadFailure(.malformed, "pdftotext could not parse the PDF" + (result.lastErrorLine.map { ": \($0)" } ?? ""))
        default:
            throw ToolFailure.describe(result, tool: "pdftotext", options: tools)
        }
        guard let output = PDFToTextOutput(result.stdout) else {
            throw ReadFailure(.toolFailed, "pdftotext wrote no HTML text; is '\(tools.pdftotext)' poppler's pdftotext?")
        }
        guard output.text.contains(where: { $0 > 0x20 && $0 != 0x7F }) else {
            throw ReadFailure(.noText, "a scanned PDF without a text layer; run OCR first (ocrmypdf adds one)")
        }
        var text = output.text
        if UTF8Validation.firstInvalid(text) != nil { text = Array(String(decoding: text, as: UTF8.self).utf8) }
        var metadata = DocumentMetadata(format: format, title: DocumentTitle.choose(metadata: output.title, heading: nil, text: text))
        metadata.author = output.author
        metadata.published = output.created
        return Reading(documents: [ExtractedText(text: text, map: .identity(count: text.count), offsets: .text, metadata: metadata)])
    }

    /// pdftotext's words for a PDF it cannot decrypt: a user password ("Incorrect password"),
    /// or a security handler poppler lacks ("Unsupported security handler", "Weird encryption info").
    static func isEncrypted(_ result: ToolResult) -> Bool {
        let text = String(decoding: result.stderr, as: UTF8.self).lowercased()
        return ["incorrect password", "security handler", "encryption"].contains { text.contains($0) }
    }

    static func toolMissing(_ tools: ToolOptions) -> ReadFailure {
        if tools.pdftotext == ToolOptions().pdftotext {
            return ReadFailure(.toolMissing, "PDF needs pdftotext from Debian's poppler-utils, which is not installed; apt-get install poppler-utils")
        }
        return ReadFailure(.toolMissing, "PDF needs pdftotext, and '\(tools.pdftotext)' (the 'pdftotext' setting) does not exist; apt-get install poppler-utils, or correct the setting")
    }
}
