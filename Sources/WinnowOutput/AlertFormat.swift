import WinnowEngine
import WinnowFormats
import WinnowJSON

/// The alert schema: one JSON object per line. docs/alerts.md documents every field; bump
/// `version` on any change a consumer could notice.
public enum AlertFormat {
    public static let version = 3
    /// Room a writer starts with for one alert: a 5 KB news article's alert is about 12 KB
    /// (evidence, places and their signals), written then without regrowing the buffer.
    public static let typicalBytes = 16 << 10

    /// The alert's keys, escaped once (JSONWriter.Key).
    enum Keys {
        static let kAdmin1 = JSONWriter.Key("admin1")
        static let kAttachments = JSONWriter.Key("attachments")
        static let kAuthor = JSONWriter.Key("author")
        static let kCharset = JSONWriter.Key("charset")
        static let kMethod = JSONWriter.Key("method")
        static let kMentioned = JSONWriter.Key("mentioned")
        static let kRole = JSONWriter.Key("role")
        static let kSignals = JSONWriter.Key("signals")
        static let kOffsets = JSONWriter.Key("offsets")
        static let kPublished = JSONWriter.Key("published")
        static let kPublisher = JSONWriter.Key("publisher")
        static let kRecord = JSONWriter.Key("record")
        static let kType = JSONWriter.Key("type")
        static let kURL = JSONWriter.Key("url")
        static let kLanguage = JSONWriter.Key("language")
        static let kBytes = JSONWriter.Key("bytes")
        static let kCode = JSONWriter.Key("code")
        static let kColumn = JSONWriter.Key("column")
        static let kConfidence = JSONWriter.Key("confidence")
        static let kCountry = JSONWriter.Key("country")
        static let kDocument = JSONWriter.Key("document")
        static let kFormat = JSONWriter.Key("format")
        static let kEnd = JSONWriter.Key("end")
        static let kEvidence = JSONWriter.Key("evidence")
        static let kGeonameid = JSONWriter.Key("geonameid")
        static let kHits = JSONWriter.Key("hits")
        static let kId = JSONWriter.Key("id")
        static let kKind = JSONWriter.Key("kind")
        static let kLat = JSONWriter.Key("lat")
        static let kLevel = JSONWriter.Key("level")
        static let kLine = JSONWriter.Key("line")
        static let kLon = JSONWriter.Key("lon")
        static let kMatcher = JSONWriter.Key("matcher")
        static let kMentions = JSONWriter.Key("mentions")
        static let kName = JSONWriter.Key("name")
        static let kPath = JSONWriter.Key("path")
        static let kPlaces = JSONWriter.Key("places")
        static let kRules = JSONWriter.Key("rules")
        static let kStrength = JSONWriter.Key("strength")
        static let kCounted = JSONWriter.Key("counted")
        static let kTopics = JSONWriter.Key("topics")
        static let kRequired = JSONWriter.Key("required")
        static let kRuleset = JSONWriter.Key("ruleset")
        static let kSchema = JSONWriter.Key("schema")
        static let kScore = JSONWriter.Key("score")
        static let kSha256 = JSONWriter.Key("sha256")
        static let kSnippet = JSONWriter.Key("snippet")
        static let kSource = JSONWriter.Key("source")
        static let kStart = JSONWriter.Key("start")
        static let kTags = JSONWriter.Key("tags")
        static let kText = JSONWriter.Key("text")
        static let kTime = JSONWriter.Key("time")
        static let kTitle = JSONWriter.Key("title")
        static let kWarnings = JSONWriter.Key("warnings")
        static let kPlacesOmitted = JSONWriter.Key("places_omitted")
        static let kMentionedOmitted = JSONWriter.Key("mentioned_omitted")
    }

    /// Extra fields an alert line carries beyond `winnow classify --format json`.
    public struct AlertContext: Sendable {
        /// Unique per alert (the document's claim id); a restart uses it to never alert twice.
        public var id: String
        public var time: String
        public var path: String?
        public var source: String
        public init(id: String, time: String, path: String?, source: String = "") {
            self.id = id
            self.time = time
            self.path = path
            self.source = source
        }
    }

    /// One line (without the newline) for a classification; `alert` adds time, ruleset and path.
    public static func write(_ c: Classification, alert: AlertContext?, into w: inout JSONWriter) {
        w.object { w in
            w.field(Keys.kSchema, version)
            if let alert {
                // `id` stays the second field: AlertLog finds recent ids without parsing JSON.
                w.field(Keys.kId, alert.id)
                w.field(Keys.kTime, alert.time)
                w.field(Keys.kRuleset, c.ruleset)
            }
            w.key(Keys.kDocument)
            w.object { w in
                w.field(Keys.kName, c.document.name)
                if let alert {
                    w.field(Keys.kPath, alert.path)
                    if !alert.source.isEmpty { w.field(Keys.kSource, alert.source) }
                }
                if let record = c.document.record { w.field(Keys.kRecord, record) }
                w.field(Keys.kSha256, c.document.sha256)
                w.field(Keys.kBytes, c.document.bytes)
                w.field(Keys.kTitle, c.document.title)
                writeMetadata(c.document, into: &w)
            }
            w.field(Keys.kLevel, c.level?.rawValue)
            w.field(Keys.kScore, c.score)
            let main = Self.bounded(c.places.filter { $0.role == .main })
            let mentioned = Self.bounded(c.places.filter { $0.role == .mentioned })
            // The `place:` tags of the places written, when some were left out.
            w.field(Keys.kTags, strings: main.omitted == 0 ? c.tags
                    : Set(c.tags.filter { !$0.hasPrefix("place:") } + main.kept.flatMap(\.tags)).sorted())
            w.key(Keys.kTopics)
            w.array { w in
                for t in c.topics {
                    w.object { w in
                        w.field(Keys.kName, t.name)
                        w.field(Keys.kScore, t.score)
                        w.field(Keys.kRequired, t.required)
                    }
                }
            }
            w.key(Keys.kRules)
            w.array { w in
                for rule in c.rules {
                    w.object { w in
                        w.field(Keys.kId, rule.id)
                        w.field(Keys.kTitle, rule.title)
                        w.field(Keys.kLevel, rule.level.rawValue)
                        w.field(Keys.kTags, strings: rule.tags)
                        if rule.score != 0 { w.field(Keys.kScore, rule.score) }
                        w.field(Keys.kStrength, rule.strength)
                        if !rule.counted { w.key(Keys.kCounted); w.value(false) }
                        w.key(Keys.kHits)
                        w.object { w in for (m, n) in rule.hitCounts { w.field(m, n) } }
                        w.key(Keys.kEvidence)
                        w.array { w in
                            for e in rule.evidence {
                                w.object { w in
                                    w.field(Keys.kMatcher, e.matcher)
                                    w.field(Keys.kText, Self.cut(e.text))
                                    w.field(Keys.kStart, e.start)
                                    w.field(Keys.kEnd, e.end)
                                    w.field(Keys.kLine, e.line)
                                    w.field(Keys.kColumn, e.column)
                                    w.field(Keys.kSnippet, e.snippet)
                                }
                            }
                        }
                    }
                }
            }
            // What the document is about, then what it names in passing: consumers that count
            // `places` count only the first.
            w.key(Keys.kPlaces)
            w.array { w in for p in main.kept { writePlace(p, into: &w) } }
            if main.omitted > 0 { w.field(Keys.kPlacesOmitted, main.omitted) }
            w.key(Keys.kMentioned)
            w.array { w in for p in mentioned.kept { writePlace(p, into: &w) } }
            if mentioned.omitted > 0 { w.field(Keys.kMentionedOmitted, mentioned.omitted) }
            if !c.warnings.isEmpty { w.field(Keys.kWarnings, strings: c.warnings) }
        }
    }

    /// At most this many places in `places`, and as many in `mentioned`: a document that names
    /// thousands (a gazetteer dump, a long list of towns) still gets an alert of readable size.
    public static let maxPlaces = 50
    /// Evidence `text` longer than this many bytes is cut (at a character boundary, with `…`);
    /// its `start` and `end` still give the whole match.
    public static let maxEvidenceText = 500

    /// The `maxPlaces` most mentioned of `places`, in their order, and how many were left out.
    static func bounded(_ places: [Classification.Place]) -> (kept: [Classification.Place], omitted: Int) {
        guard places.count > maxPlaces else { return (places, 0) }
        let chosen = Set(places.indices.sorted { (places[$0].mentions, $1) > (places[$1].mentions, $0) }.prefix(maxPlaces))
        return (places.indices.filter(chosen.contains).map { places[$0] }, places.count - maxPlaces)
    }

    static func cut(_ text: String) -> String {
        guard text.utf8.count > maxEvidenceText else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxEvidenceText)
        // Back to the start of a character: UTF-8 continuation bytes are 10xxxxxx.
        while end > text.startIndex, text.utf8[end] & 0xC0 == 0x80 { end = text.utf8.index(before: end) }
        return String(text[..<end]) + "…"
    }

    private static func writePlace(_ p: Classification.Place, into w: inout JSONWriter) {
        w.object { w in
            w.field(Keys.kText, p.text)
            w.field(Keys.kGeonameid, Int(p.geonameid))
            w.field(Keys.kName, p.name)
            w.field(Keys.kKind, p.kind)
            w.field(Keys.kCountry, p.country)
            w.key(Keys.kAdmin1)
            if let a = p.admin1 {
                w.object { w in
                    w.field(Keys.kCode, a.code)
                    w.field(Keys.kName, a.name)
                }
            } else {
                w.null()
            }
            w.key(Keys.kLat)
            if let v = p.latitude { w.value(v) } else { w.null() }
            w.key(Keys.kLon)
            if let v = p.longitude { w.value(v) } else { w.null() }
            w.field(Keys.kMentions, p.mentions)
            w.field(Keys.kConfidence, p.confidence)
            w.field(Keys.kRole, p.role.rawValue)
            w.field(Keys.kSignals, strings: p.signals)
        }
    }

    /// Format, charset, offsets and what the document says of itself.
    private static func writeMetadata(_ d: Classification.DocumentInfo, into w: inout JSONWriter) {
        let m = d.metadata
        w.field(Keys.kFormat, m.format.rawValue)
        if let charset = m.charset {
            w.key(Keys.kCharset)
            w.object { w in
                w.field(Keys.kName, charset.charset.name)
                w.field(Keys.kMethod, charset.method.rawValue)
                if let confidence = charset.confidence { w.field(Keys.kConfidence, (confidence * 100).rounded() / 100) }
            }
        }
        w.field(Keys.kOffsets, d.offsets.rawValue)
        if let v = m.author { w.field(Keys.kAuthor, v) }
        if let v = m.published { w.field(Keys.kPublished, v) }
        if let v = m.url { w.field(Keys.kURL, v) }
        if let v = m.publisher { w.field(Keys.kPublisher, v) }
        if let v = m.language { w.field(Keys.kLanguage, v) }
        if !d.attachments.isEmpty {
            w.key(Keys.kAttachments)
            w.array { w in
                for a in d.attachments {
                    w.object { w in
                        w.field(Keys.kName, a.name)
                        w.field(Keys.kType, a.type)
                        w.key(Keys.kBytes)
                        if let n = a.bytes { w.value(n) } else { w.null() }
                    }
                }
            }
        }
    }

    public static func line(_ c: Classification, alert: AlertContext?) -> String {
        var w = JSONWriter()
        write(c, alert: alert, into: &w)
        return w.string
    }
}
