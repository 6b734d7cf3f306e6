import WinnowDiagnostics

/// What a pack's `gazetteer:` section asks for, with file paths already resolved.
public struct GazetteerSpec: Sendable, Hashable {
    /// Extra names for an entity: `target` is an ISO country code (`KZ`), an admin1 code
    /// (`KZ.04`) or a geonameid (`1526273`).
    public struct Alias: Sendable, Hashable {
        public var target: String
        public var names: [String]
        /// Where the alias was written, for error messages.
        public var origin: SourceLocation

        public init(target: String, names: [String], origin: SourceLocation) {
            self.target = target
            self.names = names
            self.origin = origin
        }
    }

    public var placeFiles: [String] = []
    public var countryFile: String?
    public var admin1File: String?
    public var admin1ExtraFile: String?
    /// ISO codes of countries whose places are kept; empty keeps all.
    public var keepCountries: [String] = []
    public var minPopulation = 0
    public var minConfidence = 0.6
    public var aliases: [Alias] = []
    public var aliasFiles: [String] = []
    /// Names never tagged, whatever the context, and hiding the names inside them ("Latin America").
    public var never: [String] = []
    /// Ordinary words that only count as places with support (see docs/rules.md).
    public var commonWords: [String] = []
    public var commonWordFiles: [String] = []

    public init() {}

    /// Every file the gazetteer reads; the ruleset hash and the reload watch cover them.
    public var files: [String] {
        placeFiles + [countryFile, admin1File, admin1ExtraFile].compactMap { $0 } + aliasFiles + commonWordFiles
    }
}

/// Malformed rows that a build skipped in one places file. Real dumps have the odd bad line,
/// so a few do not stop the build (`GazetteerError` when there are many), but they are reported.
public struct SkippedRows: Sendable, Hashable {
    public var path: String
    public var count: Int
    /// 1-based line of the first skipped row.
    public var firstLine: Int
    /// Why the first row was skipped, as in "latitude '99999' is not a number from -90 to 90".
    public var firstReason: String

    public init(path: String, count: Int, firstLine: Int, firstReason: String) {
        self.path = path
        self.count = count
        self.firstLine = firstLine
        self.firstReason = firstReason
    }

    /// For a diagnostic at `path:firstLine:1`.
    public var message: String {
        count == 1 ? "skipped 1 malformed row (\(firstReason))"
                   : "skipped \(count) malformed rows (first here: \(firstReason))"
    }
}

/// A gazetteer file that cannot be used.
public struct GazetteerError: Error, Sendable {
    /// `fileUnreadable` or `fileTooLarge` for a file that gave no bytes, `badGeoNamesRow` for a
    /// places file with too many malformed rows, `invalidValue` for what a file or alias says.
    public var code: DiagnosticCode = .invalidValue
    public var path: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(path: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public init(at origin: SourceLocation, message: String) {
        self.init(path: origin.path, line: origin.line, column: origin.column, message: message)
    }
}
