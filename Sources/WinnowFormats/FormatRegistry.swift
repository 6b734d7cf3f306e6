/// Every format Winnow reads, one line per reader, sorted by name. A test checks that formats
/// and extensions are unique and that each format appears in docs/formats.md.
public enum FormatRegistry {
    public static let readers: [any FormatReader.Type] = [
        DOCXReader.self,
        EmailReader.self,
        HTMLReader.self,
        JSONLinesReader.self,
        JSONReader.self,
        MarkdownReader.self,
        ODTReader.self,
        PDFReader.self,
        PlainTextReader.self,
    ]

    /// Every format name, for rules that compare `format`.
    public static var names: [String] { readers.map { $0.format.rawValue } }
}
