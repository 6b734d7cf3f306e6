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
    /// Names never tagged, whatever the context.
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

/// A gazetteer file that cannot be used.
public struct GazetteerError: Error, Sendable {
    /// `fileUnreadable` or `fileTooLarge` for a file that gave no bytes, `invalidValue` for
    /// what a file or alias says.
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
