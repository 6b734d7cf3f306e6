/// One MIME entity (a message or a part of one): what its header says it is, and where its
/// body is.
struct MailPart: Sendable {
    /// The part's number as mail readers give it (`2`, `1.2`), empty for a message's own body
    /// when it is multipart.
    var label: String
    var header: MailHeader
    /// `text/plain`, lowercase; the default when the header names none.
    var type: String
    var parameters: HeaderParameters
    var encoding: TransferEncoding
    /// `Content-Disposition: attachment`.
    var isAttachment: Bool
    /// The file name the part goes by (`Content-Disposition` filename, else Content-Type name).
    var filename: String?
    var body: Range<Int>

    /// What a part is, as far as reading goes.
    enum Kind: Equatable {
        case multipart(boundary: String?)
        case message
        case text(html: Bool)
        /// Listed, not read.
        case attachment
    }

    /// File name endings of parts sent as `application/octet-stream` that are text to read.
    static let textExtensions: Set<String> = ["txt", "text", "csv", "tsv", "md", "markdown", "log"]

    /// Text types read as plain text, attached or not.
    static let plainTypes: Set<String> = [
        "text/plain", "text/csv", "text/markdown", "text/x-markdown", "text/tab-separated-values",
    ]

    /// Parses the entity in `source[range]`; `defaultType` is the type when the header names
    /// none (`message/rfc822` in a `multipart/digest`).
    init(parsing source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, label: String, defaultType: String = "text/plain") {
        let header = MailHeader(parsing: source, range)
        self.init(header: header, source: source, body: header.bodyStart ..< range.upperBound, label: label, defaultType: defaultType)
    }

    /// A part whose header is already parsed (a message's top level).
    init(header: MailHeader, source: UnsafeBufferPointer<UInt8>, body: Range<Int>, label: String, defaultType: String = "text/plain") {
        self.label = label
        self.header = header
        self.body = body
        let contentType = header.first("content-type").map { HeaderParameters($0.unfolded(source)) }
        parameters = contentType ?? HeaderParameters([])
        let declared = parameters.value
        type = declared.contains("/") ? declared : defaultType
        let transfer = header.first("content-transfer-encoding").map { String(decoding: $0.unfolded(source), as: UTF8.self) }
        encoding = TransferEncoding(label: transfer)
        let disposition = header.first("content-disposition").map { HeaderParameters($0.unfolded(source)) }
        isAttachment = disposition?.value == "attachment"
        filename = [disposition?["filename"], parameters["name"]].lazy.compactMap { $0 }.first { !$0.isEmpty }
    }

    var kind: Kind {
        if type.hasPrefix("multipart/") { return .multipart(boundary: parameters["boundary"]) }
        if type == "message/rfc822" || type == "message/global" { return .message }
        if type == "text/html" || type == "application/xhtml+xml" { return .text(html: true) }
        if Self.plainTypes.contains(type) { return .text(html: false) }
        if type == "application/octet-stream", let ext = filename.flatMap(Self.fileExtension), Self.textExtensions.contains(ext) {
            return .text(html: false)
        }
        return .attachment
    }

    /// The charset `Content-Type` declares, as written.
    var charsetLabel: String? {
        parameters["charset"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// How warnings name the part: `part 2 (text/plain, 'notes.txt')`, or `the message body`.
    var description: String {
        let what = filename.map { "\(type), '\($0)'" } ?? type
        return label.isEmpty ? "the message body (\(what))" : "part \(label) (\(what))"
    }

    private static func fileExtension(_ name: String) -> String? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        return String(name[name.index(after: dot)...]).lowercased()
    }
}
