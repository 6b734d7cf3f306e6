import WinnowFormats
import WinnowGazetteer
import WinnowRules

/// What Winnow concluded about one document: the body of an alert line.
public struct Classification: Sendable {
    public struct DocumentInfo: Sendable {
        public var name: String
        public var path: String?
        /// The record's number in a feed (`FILE#N`), else nil.
        public var record: Int?
        /// Hex SHA-256 of the file's original bytes.
        public var sha256: String
        public var bytes: Int
        public var title: String
        /// Format, charset and what the document says of itself.
        public var metadata: DocumentMetadata
        /// What evidence offsets count in.
        public var offsets: OffsetBasis
        public var attachments: [Attachment]

        /// `feed.jsonl#3` for a feed's record, else the file name.
        public var displayName: String { record.map { "\(name)#\($0)" } ?? name }
    }

    /// One place a matcher matched, located for a person.
    public struct Evidence: Sendable {
        public var matcher: String
        /// The matched text as written in the document (or the matcher's label).
        public var text: String
        /// Byte range in the file (or in the extracted text, see `DocumentInfo.offsets`).
        public var start: Int
        public var end: Int
        /// 1-based line and column (column in Unicode scalars).
        public var line: Int
        public var column: Int
        public var snippet: String
    }

    public struct FiredRule: Sendable {
        public var id: String
        public var title: String
        public var level: Level
        public var tags: [String]
        public var score: Int
        /// Hits per matcher name (all of them, also those not shown as evidence).
        public var hitCounts: [(matcher: String, count: Int)]
        public var evidence: [Evidence]
        public var pack: String
        /// Weight of its evidence (2 per hit in the lead, 1 elsewhere, combined by the
        /// condition), plus 3 when its words are in the headline (`inHeadline`).
        public var strength: Int = 0
        public var inHeadline = false
        /// False when every topic it carries fell short: it adds no tag, level or score.
        public var counted = true
        /// Index of the rule in its ruleset.
        var rule = -1
    }

    /// How much evidence a topic got (`topics:` in the packs).
    public struct TopicScore: Sendable {
        public var name: String
        public var score: Int
        public var required: Int
        public var reached: Bool { score >= required }
    }

    /// A place the document mentions.
    public struct Place: Sendable {
        /// The first mention as written.
        public var text: String
        public var geonameid: UInt32
        public var name: String
        /// `place`, `region` or `country`.
        public var kind: String
        public var country: String?
        public var admin1: (code: String, name: String)?
        public var latitude: Double?
        public var longitude: Double?
        public var mentions: Int
        public var confidence: Double
        /// `main` (what the document is about) or `mentioned` (in passing).
        public var role: PlaceRole
        /// What decided the role.
        public var signals: [String]
    }

    public var document: DocumentInfo
    /// The highest level among fired rules; nil when no rule fired.
    public var level: Level?
    /// Union of fired rules' tags, sorted.
    public var tags: [String]
    public var score: Int
    public var rules: [FiredRule]
    /// Every place the document names, main ones and those mentioned in passing.
    public var places: [Place]
    /// Each declared topic some fired rule carries, with its score.
    public var topics: [TopicScore] = []
    /// Problems met while classifying (a regex that hit its limit), for the alert and the log.
    public var warnings: [String]
    /// The ruleset that produced this classification.
    public var ruleset: String
}

extension Classification.Place {
    /// `place:KZ`, `place:KZ/Aktobe` (the admin1 region) and `place:KZ/Aktobe/Aktobe` (the place).
    public var tags: [String] {
        guard let country else { return [] }
        var tags = ["place:\(country)"]
        if let region = admin1 {
            tags.append("place:\(country)/\(region.name)")
            if kind == "place" { tags.append("place:\(country)/\(region.name)/\(name)") }
        } else if kind == "place" {
            tags.append("place:\(country)/\(name)")
        }
        return tags
    }
}
