import WinnowDiagnostics
import WinnowEngine
import WinnowFormats

/// `winnow classify --format text`: a report an analyst reads in a terminal.
///
/// Text from the document (name, title, matches, snippets) goes through `oneLine`: a control
/// character or an escape sequence in a file must not drive the analyst's terminal.
public enum TextReport {
    public static func render(_ c: Classification) -> String {
        var s = "\(oneLine(c.document.displayName)): "
        if let level = c.level {
            s += "\(level.rawValue.uppercased())"
            if c.score != 0 { s += ", score \(c.score)" }
            s += "\n"
        } else {
            s += "no rule fired\n"
        }
        if !c.document.title.isEmpty { s += "  title: \(oneLine(c.document.title))\n" }
        s += "  read:  \(readAs(c.document))\n"
        if !c.tags.isEmpty { s += "  tags:  \(c.tags.joined(separator: ", "))\n" }
        if !c.topics.isEmpty {
            let scores = c.topics.map { "\($0.name) \($0.score) of \($0.required)\($0.reached ? "" : ", not tagged")" }
            s += "  topics: \(scores.joined(separator: "; "))\n"
        }
        for rule in c.rules {
            let weak = rule.counted ? "" : " (not counted: its topic lacks evidence)"
            s += "\n  [\(rule.level.rawValue)] \(rule.id): \(rule.title)\(weak)\n"
            let counts = rule.hitCounts.map { "\($0.matcher) \($0.count)" }.joined(separator: ", ")
            s += "    hits: \(counts); strength \(rule.strength)\n"
            for e in rule.evidence {
                s += "    \(e.matcher) at \(e.line):\(e.column) «\(oneLine(e.text))»  \(oneLine(e.snippet))\n"
            }
        }
        if !c.places.isEmpty {
            s += "\n  places:\n"
            for p in c.places {
                let region = p.admin1.map { ", \($0.name)" } ?? ""
                s += "    \(p.role == .main ? "" : "(\(p.role.rawValue)) ")\(p.name) (\(p.kind), \(p.country ?? "?")\(region); geonameid \(p.geonameid)) «\(oneLine(p.text))» ×\(p.mentions), confidence \(p.confidence); \(p.signals.joined(separator: ", "))\n"
            }
        }
        for w in c.warnings { s += "  warning: \(oneLine(w))\n" }
        return s
    }

    /// The text rules read, indented under a heading; control characters made visible.
    public static func renderText(_ text: [UInt8]) -> String {
        var s = "\n  text read:\n"
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            s += "    | \(oneLine(String(line)))\n"
        }
        return s
    }

    /// `html, windows-1251 (detected)`: the format and how the charset was chosen.
    static func readAs(_ d: Classification.DocumentInfo) -> String {
        var s = d.metadata.format.rawValue
        if let c = d.metadata.charset {
            s += ", \(c.charset.name) (\(c.method.rawValue)"
            if let confidence = c.confidence { s += ", confidence \((confidence * 100).rounded() / 100)" }
            s += ")"
        }
        if d.offsets == .text { s += "; offsets count in the extracted text" }
        if !d.attachments.isEmpty { s += "; \(d.attachments.count) attachment(s) not read" }
        return s
    }
}
