/// Word documents (Office Open XML), read by `winnow extract-office` in a child process with
/// limits: libarchive for the ZIP, libxml2 for the XML. Offsets count bytes of the extracted text.
struct DOCXReader: FormatReader {
    static let format = DocumentFormat(rawValue: "docx")
    static let summary = "Word documents (DOCX), read in a child process with libarchive and libxml2; offsets count bytes of the extracted text."
    static let extensions = ["docx", "docm", "dotx"]

    /// A ZIP holding word/…, or an Office Open XML package ([Content_Types].xml) that shows no
    /// spreadsheet or presentation part: the child then names what it is.
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        guard let zip = ZipHead(head) else { return .no }
        if zip.contains(prefix: "word/") { return .certain }
        if let types = zip.contentTypes {
            return ByteSearch.contains(Array("wordprocessingml".utf8), in: Array(types)) ? .certain : .no
        }
        if zip.contains("[Content_Types].xml"), !zip.contains(prefix: "xl/"), !zip.contains(prefix: "ppt/") {
            return .certain
        }
        return .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        try OfficeReading.read(input, as: format)
    }
}
