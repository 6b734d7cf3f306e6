/// Takes the text and metadata out of a DOCX or ODT file: the ZIP through libarchive, the XML
/// through libxml2's streaming reader. What `winnow extract-office` runs in its child process;
/// callable in-process by tests.
///
/// Throws a `ReadFailure`: `.malformed` (no ZIP, damaged ZIP or XML), `.encrypted`,
/// `.unsupportedFormat` (a spreadsheet, a presentation, a ZIP of something else), `.noText`,
/// `.toolFailed` (a part past `limits`: a ZIP bomb).
public enum OfficeText {
    static let docxParts: Set = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml",
                                 "word/styles.xml", "word/footnotes.xml", "word/endnotes.xml"]
    static let odtParts: Set = ["mimetype", "META-INF/manifest.xml", "content.xml", "meta.xml"]
    static let odtText = "application/vnd.oasis.opendocument.text"

    public static func extract(_ file: [UInt8], limits: OfficeLimits = OfficeLimits()) throws(ReadFailure) -> OfficeDocument {
        let parts = try file.withUnsafeBufferPointer { zip throws(ReadFailure) in
            try ZipParts(zip, limits: limits) { name in
                // Every top-level word/*.xml: the main part may be named otherwise (_rels/.rels says).
                docxParts.contains(name) || odtParts.contains(name)
                    || (name.hasPrefix("word/") && name.hasSuffix(".xml") && !name.dropFirst(5).contains("/"))
            }
        }
        if let mimetype = parts.data["mimetype"] {
            let type = String(decoding: mimetype, as: UTF8.self).trimmingWhitespace
            guard type.hasPrefix(odtText) else {
                throw ReadFailure(.unsupportedFormat, "an OpenDocument file of type '\(type)', which Winnow does not read; it reads text documents (ODT)")
            }
            return try odt(parts)
        }
        if parts.names.contains("[Content_Types].xml") || parts.names.contains("_rels/.rels") {
            return try docx(parts)
        }
        throw ReadFailure(.unsupportedFormat, "a ZIP archive that is neither a Word document (DOCX) nor an OpenDocument text (ODT)")
    }

    static func docx(_ parts: ZipParts) throws(ReadFailure) -> OfficeDocument {
        let main = try parts.data["_rels/.rels"].map { rels throws(ReadFailure) in try mainPart(rels) } ?? "word/document.xml"
        guard parts.data[main] != nil else {
            if main.hasPrefix("xl/") { throw ReadFailure(.unsupportedFormat, "an Excel workbook (XLSX), which Winnow does not read") }
            if main.hasPrefix("ppt/") { throw ReadFailure(.unsupportedFormat, "a PowerPoint presentation (PPTX), which Winnow does not read") }
            throw ReadFailure(.malformed, "an Office Open XML package without its main part '\(main)'")
        }
        let styles = try parts.data["word/styles.xml"].map { s throws(ReadFailure) in
            try parse(s, part: "word/styles.xml") { x throws(ReadFailure) in try DOCXText.headingStyles(x) }
        } ?? [:]
        var text = DOCXText(headingStyles: styles)
        for name in [main, "word/footnotes.xml", "word/endnotes.xml"] {
            guard let bytes = parts.data[name] else { continue }
            text.writer.breakParagraph()
            try parse(bytes, part: name) { x throws(ReadFailure) in try text.read(x) }
        }
        let fields = try parts.data["docProps/core.xml"].map { core throws(ReadFailure) in
            try parse(core, part: "docProps/core.xml") { x throws(ReadFailure) in
                try OfficeMetadata.fields(x, [(.dc, "title"), (.dc, "creator"), (.dcterms, "created")])
            }
        } ?? [nil, nil, nil]
        let body = try finish(&text.writer)
        return OfficeDocument(format: .docx, text: body, title: fields[0], heading: text.titleParagraph ?? text.heading?.text,
                              author: fields[1], created: fields[2])
    }

    static func odt(_ parts: ZipParts) throws(ReadFailure) -> OfficeDocument {
        if let manifest = parts.data["META-INF/manifest.xml"], manifest.firstRange(of: Array("encryption-data".utf8)) != nil {
            throw ReadFailure(.encrypted, "the document is password-protected (its parts are encrypted)")
        }
        guard let content = parts.data["content.xml"] else {
            throw ReadFailure(.malformed, "an OpenDocument text without content.xml")
        }
        var text = ODTText()
        try parse(content, part: "content.xml") { x throws(ReadFailure) in try text.read(x) }
        let fields = try parts.data["meta.xml"].map { meta throws(ReadFailure) in
            try parse(meta, part: "meta.xml") { x throws(ReadFailure) in
                try OfficeMetadata.fields(x, [(.dc, "title"), (.meta, "initial-creator"), (.dc, "creator"), (.meta, "creation-date")])
            }
        } ?? [nil, nil, nil, nil]
        let notes = text.writers[1].finish()
        text.writers[0].breakParagraph()
        text.writers[0].append(notes)
        let body = try finish(&text.writers[0])
        return OfficeDocument(format: .odt, text: body, title: fields[0], heading: text.heading?.text,
                              author: fields[1] ?? fields[2], created: fields[3])
    }

    /// The main part's name from the package relationships (`officeDocument`).
    static func mainPart(_ rels: [UInt8]) throws(ReadFailure) -> String {
        try parse(rels, part: "_rels/.rels") { x throws(ReadFailure) in
            while try x.next() {
                guard x.node == .element, x.isNamed("Relationship", in: .packageRelationships),
                      x.attribute("Type", in: nil)?.hasSuffix("/officeDocument") == true,
                      let target = x.attribute("Target", in: nil) else { continue }
                return target.hasPrefix("/") ? String(target.dropFirst()) : target
            }
            return "word/document.xml"
        }
    }

    static func parse<T>(_ bytes: [UInt8], part: String, _ body: (XMLStream) throws(ReadFailure) -> T) throws(ReadFailure) -> T {
        try bytes.withUnsafeBufferPointer { b throws(ReadFailure) in try body(XMLStream(b, part: part)) }
    }

    private static func finish(_ writer: inout ParagraphWriter) throws(ReadFailure) -> [UInt8] {
        let text = writer.finish()
        guard text.contains(where: { $0 > 0x20 && $0 != 0x7F }) else {
            throw ReadFailure(.noText, "the document has no text (only images, drawings or empty paragraphs)")
        }
        return text
    }
}
