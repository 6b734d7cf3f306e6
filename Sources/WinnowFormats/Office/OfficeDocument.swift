/// What the office reader took out of a DOCX or ODT file: the text and what the file says
/// about itself. What `winnow extract-office` writes (`OfficeOutput`) and the reader reads back.
public struct OfficeDocument: Sendable, Equatable {
    public enum Format: String, Sendable {
        case docx, odt
    }

    public var format: Format
    /// UTF-8: paragraphs as lines, notes after the body.
    public var text: [UInt8]
    /// The metadata title (docProps/core.xml dc:title, meta.xml dc:title), as written.
    public var title: String?
    /// The first Title-styled paragraph or heading.
    public var heading: String?
    public var author: String?
    /// Creation date as written (`2024-03-05T09:30:00Z`).
    public var created: String?
    public var warnings: [String] = []

    public init(format: Format, text: [UInt8], title: String? = nil, heading: String? = nil,
                author: String? = nil, created: String? = nil, warnings: [String] = []) {
        self.format = format
        self.text = text
        self.title = title
        self.heading = heading
        self.author = author
        self.created = created
        self.warnings = warnings
    }
}
