import WinnowCharset
import WinnowFormats
import WinnowText

/// The document readers, each over any bytes, and what the engine then does with their text:
/// fold it, map sampled ranges to the file as evidence is, with line, column and snippet.
enum ReaderFuzzing {
    /// Tools named by names not in PATH: a PDF, DOCX or ODT stops at format choice
    /// (`tool-missing`) before any fork, so no child process runs per input. `office` reads
    /// those files in-process instead.
    static let options: ReadingOptions = {
        var tools = ToolOptions()
        tools.pdftotext = "winnow-fuzz-no-such-pdftotext"
        tools.officeReader = ["winnow-fuzz-no-such-office-reader"]
        return ReadingOptions(tools: tools)
    }()

    /// Names `document` gives the file, by the input's first byte: no extension, each reader's
    /// first one, and one no reader claims.
    static let names = ["document", "fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.eml", "fuzz.json", "fuzz.jsonl",
                        "fuzz.pdf", "fuzz.docx", "fuzz.odt", "fuzz.xml"]

    /// `DocumentReader.read`: format choice by content and name, UTF-16 and UTF-32 conversion,
    /// then the chosen reader.
    static func runDocument(_ input: [UInt8]) throws(FuzzFailure) {
        guard let selector = input.first else { return }
        let file = Array(input.dropFirst())
        let name = names[Int(selector) % names.count]
        guard let reading = try? DocumentReader.read(file, name: name, options: options) else { return }
        try check(reading, file: file, name: name)
    }

    /// One reader, chosen by `format` whatever the content looks like, given what
    /// `DocumentReader` would give it.
    static func run(_ input: [UInt8], format: String) throws(FuzzFailure) {
        guard let reader = FormatRegistry.readers.first(where: { $0.format.rawValue == format }) else {
            fatalError("no reader for format '\(format)'")
        }
        let name = "fuzz." + (reader.extensions.first ?? format)
        let unicode = input.withUnsafeBufferPointer { CharsetDecoder.unicodeForm($0, policy: options.charsets) }
        let readerInput = ReaderInput(file: input, name: name, bytes: unicode?.utf8 ?? input, unicode: unicode, options: options)
        guard let reading = try? reader.read(readerInput) else { return }
        try check(reading, file: input, name: name)
    }

    /// `OfficeText.extract`, as the `winnow extract-office` child runs it. An input that starts
    /// as a ZIP does is read as it is; any other is a `FileBundle` of parts (the first is
    /// `word/document.xml`), archived by `ZipWriter` beside a `[Content_Types].xml` unless it
    /// brings one or a `mimetype` (ODT).
    static func runOffice(_ input: [UInt8]) {
        guard !input.starts(with: [0x50, 0x4B]) else {
            _ = try? OfficeText.extract(input)
            return
        }
        var parts = FileBundle(input, firstName: "word/document.xml").files
        if !parts.contains(where: { $0.name == "[Content_Types].xml" || $0.name == "mimetype" }) {
            parts.insert(("[Content_Types].xml", Array(contentTypes.utf8)), at: 0)
        }
        _ = try? OfficeText.extract(ZipWriter.archive(parts))
    }

    static let contentTypes = #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#

    static func check(_ reading: Reading, file: [UInt8], name: String) throws(FuzzFailure) {
        for failure in reading.failures where failure.range.lowerBound < 0 || failure.range.upperBound > file.count {
            throw FuzzFailure("record \(failure.record) failed at \(failure.range), outside the \(file.count) bytes of the file")
        }
        // Shared by the documents whose offsets count in the file, as the engine shares it.
        var fileLines: LineIndex?
        for extracted in reading.documents {
            let what = "\(extracted.metadata.format) document\(extracted.record.map { " #\($0)" } ?? "")"
            let count = extracted.offsets == .file ? file.count : extracted.text.count
            try MapCheck.check(text: extracted.text, map: extracted.map, sourceCount: count, what: what)
            let document = Document(extracted, name: name, file: file)
            var ownLines: LineIndex?
            let starts = MapCheck.sampleStarts(document.text)
            for (a, b) in zip(starts, starts.dropFirst()) {
                let reported = document.reportedRange(a ..< b)
                if document.offsets == .file {
                    _ = document.position(ofReported: reported.lowerBound, lines: &fileLines)
                } else {
                    _ = document.position(ofReported: reported.lowerBound, lines: &ownLines)
                }
                _ = snippet(of: document.text, around: a ..< b)
            }
        }
    }
}
