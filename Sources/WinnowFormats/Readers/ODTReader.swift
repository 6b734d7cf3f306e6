/// OpenDocument text (LibreOffice, ODT), read by `winnow extract-office` in a child process with
/// limits: libarchive for the ZIP, libxml2 for the XML. Offsets count bytes of the extracted text.
struct ODTReader: FormatReader {
    static let format = DocumentFormat(rawValue: "odt")
    static let summary = "OpenDocument text (ODT), read in a child process with libarchive and libxml2; offsets count bytes of the extracted text."
    static let extensions = ["odt", "ott"]

    /// The stored `mimetype` entry ODF puts first: a text document (or its template).
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        guard let type = ZipHead(head)?.mimetype else { return .no }
        return type.hasPrefix("application/vnd.oasis.opendocument.text") ? .certain : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        try OfficeReading.read(input, as: format)
    }
}
