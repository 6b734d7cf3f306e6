import WinnowEngine
import WinnowJSON

/// The alert schema: one JSON object per line. docs/alerts.md documents every field; bump
/// `version` on any change a consumer could notice.
public enum AlertFormat {
    public static let version = 1

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
            w.field("schema", version)
            if let alert {
                // `id` stays the second field: AlertLog.recentIDs reads it without parsing JSON.
                w.field("id", alert.id)
                w.field("time", alert.time)
                w.field("ruleset", c.ruleset)
            }
            w.key("document")
            w.object { w in
                w.field("name", c.document.name)
                if let alert {
                    w.field("path", alert.path)
                    if !alert.source.isEmpty { w.field("source", alert.source) }
                }
                w.field("sha256", c.document.sha256)
                w.field("bytes", c.document.bytes)
                w.field("title", c.document.title)
                if c.document.encoding != "utf-8" { w.field("encoding", c.document.encoding) }
                if c.document.format != "text" { w.field("format", c.document.format) }
            }
            w.field("level", c.level?.rawValue)
            w.field("score", c.score)
            w.field("tags", strings: c.tags)
            w.key("rules")
            w.array { w in
                for rule in c.rules {
                    w.object { w in
                        w.field("id", rule.id)
                        w.field("title", rule.title)
                        w.field("level", rule.level.rawValue)
                        w.field("tags", strings: rule.tags)
                        if rule.score != 0 { w.field("score", rule.score) }
                        w.key("hits")
                        w.object { w in for (m, n) in rule.hitCounts { w.field(m, n) } }
                        w.key("evidence")
                        w.array { w in
                            for e in rule.evidence {
                                w.object { w in
                                    w.field("matcher", e.matcher)
                                    w.field("text", e.text)
                                    w.field("start", e.start)
                                    w.field("end", e.end)
                                    w.field("line", e.line)
                                    w.field("column", e.column)
                                    w.field("snippet", e.snippet)
                                }
                            }
                        }
                    }
                }
            }
            w.key("places")
            w.array { w in
                for p in c.places {
                    w.object { w in
                        w.field("text", p.text)
                        w.field("geonameid", Int(p.geonameid))
                        w.field("name", p.name)
                        w.field("kind", p.kind)
                        w.field("country", p.country)
                        w.key("admin1")
                        if let a = p.admin1 {
                            w.object { w in
                                w.field("code", a.code)
                                w.field("name", a.name)
                            }
                        } else {
                            w.null()
                        }
                        w.key("lat")
                        if let v = p.latitude { w.value(v) } else { w.null() }
                        w.key("lon")
                        if let v = p.longitude { w.value(v) } else { w.null() }
                        w.field("mentions", p.mentions)
                        w.field("confidence", p.confidence)
                    }
                }
            }
            if !c.warnings.isEmpty { w.field("warnings", strings: c.warnings) }
        }
    }

    public static func line(_ c: Classification, alert: AlertContext?) -> String {
        var w = JSONWriter()
        write(c, alert: alert, into: &w)
        return w.string
    }
}
