import WinnowCharset

/// How documents are read: charsets, the keys of JSON articles, the limits of external tools.
/// Built from the configuration (docs/formats.md lists the keys).
public struct ReadingOptions: Sendable {
    public var charsets: CharsetPolicy
    public var json: JSONKeys
    public var tools: ToolOptions

    public init(charsets: CharsetPolicy = CharsetPolicy(), json: JSONKeys = JSONKeys(), tools: ToolOptions = ToolOptions()) {
        self.charsets = charsets
        self.json = json
        self.tools = tools
    }
}

/// The keys a JSON article's fields go by; the first key present wins.
public struct JSONKeys: Sendable, Equatable {
    public var title = ["title", "headline", "name", "subject"]
    /// Every key present is read, in this order (a summary and a body both).
    public var body = ["description", "summary", "lead", "body", "text", "content", "article", "articleBody", "message"]
    public var url = ["url", "link", "canonical_url", "permalink"]
    public var published = ["published", "published_at", "publishedAt", "date", "datePublished", "pubDate", "time", "created_at"]
    public var author = ["author", "byline", "creator", "authors"]
    public var publisher = ["source", "publisher", "site", "site_name", "feed"]
    public var language = ["language", "lang"]

    public init() {}
}

/// Limits for the tools that read PDF and office files, each run as a child process.
public struct ToolOptions: Sendable {
    /// Wall-clock time a tool may take for one document.
    public var timeout: Duration = .seconds(30)
    /// Address space a tool may use, in bytes.
    public var memoryBytes = 1 << 30
    /// Called while a tool runs, at least every 100 ms: the daemon's heartbeat, so a PDF that
    /// takes its time does not look like a hung inbox loop to the watchdog.
    public var alive: (@Sendable () -> Void)?
    /// Most bytes of text a tool may write.
    public var maxOutputBytes = 64 << 20
    /// `pdftotext` from poppler-utils: a name looked up in PATH, or a path.
    public var pdftotext = "pdftotext"
    /// The command that reads DOCX and ODT in a child process: Winnow itself (`winnow
    /// extract-office`). Nil when the running program is not Winnow (a test runner).
    public var officeReader: [String]? = OfficeCommand.default

    public init() {}
}
