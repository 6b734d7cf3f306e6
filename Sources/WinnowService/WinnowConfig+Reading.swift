import WinnowCharset
import WinnowDiagnostics
import WinnowFormats
import WinnowYAML

/// The configuration keys of how documents are read (docs/formats.md): charsets, the keys of
/// JSON articles, and the tools that read PDF and office files.
extension WinnowConfig {
    static let readingKeys = ["fallback_encoding", "charsets", "json_keys", "tool_timeout", "tool_memory", "pdftotext"]

    /// The `json_keys` fields, each a list of keys tried in order.
    static var jsonFields: [(String, WritableKeyPath<JSONKeys, [String]>)] { [
        ("title", \.title), ("body", \.body), ("url", \.url), ("published", \.published),
        ("author", \.author), ("publisher", \.publisher), ("language", \.language),
    ] }

    mutating func readReadingKeys(_ r: MappingReader, _ diagnostics: inout Diagnostics) {
        if let n = r["fallback_encoding"], let v = n.string("fallback_encoding", &diagnostics) {
            if v.lowercased() == "none" {
                reading.charsets.fallback = nil
            } else if let charset = charset(v, at: n.location, &diagnostics) {
                reading.charsets.fallback = charset
            }
        }
        if let n = r["charsets"], let items = n.strings("charsets", &diagnostics) {
            let charsets = items.compactMap { charset($0.0, at: $0.1, &diagnostics) }
            if items.isEmpty {
                diagnostics.append(.error(.invalidValue, "'charsets' is empty: detection could choose none; list the charsets your documents come in, or leave the key out for the default",
                                          at: n.location))
            } else if charsets.count == items.count {
                reading.charsets.candidates = charsets
            }
        }
        if let n = r["json_keys"], let m = MappingReader(n, what: "'json_keys'", allowed: Self.jsonFields.map(\.0), diagnostics: &diagnostics) {
            for (field, path) in Self.jsonFields {
                guard let v = m[field], let keys = v.strings(field, &diagnostics) else { continue }
                if keys.isEmpty {
                    diagnostics.append(.error(.invalidValue, "'json_keys.\(field)' is empty; list at least one key, or leave it out for the default", at: v.location))
                } else {
                    reading.json[keyPath: path] = keys.map(\.0)
                }
            }
        }
        if let n = r["tool_timeout"], let v = n.duration("tool_timeout", &diagnostics) {
            if (Duration.milliseconds(100) ... .seconds(3600)).contains(v) { reading.tools.timeout = v } else {
                diagnostics.append(.error(.badConfig, "'tool_timeout' must be between 100ms and 1h", at: n.location))
            }
        }
        if let n = r["tool_memory"], let v = n.byteSize("tool_memory", &diagnostics) {
            if (256 << 20 ... 64 << 30).contains(v) { reading.tools.memoryBytes = v } else {
                diagnostics.append(.error(.badConfig, "'tool_memory' must be between 256MB and 64GB (the readers need about 60MB to start, and thread stacks more)", at: n.location))
            }
        }
        if let n = r["pdftotext"], let v = n.string("pdftotext", &diagnostics) {
            if v.isEmpty {
                diagnostics.append(.error(.badConfig, "'pdftotext' is empty; name the program (pdftotext) or its path", at: n.location))
            } else { reading.tools.pdftotext = v }
        }
    }

    /// A charset label iconv knows, or an error that suggests the name closest to it.
    private func charset(_ label: String, at location: SourceLocation?, _ diagnostics: inout Diagnostics) -> Charset? {
        if let c = Charset(label: label) { return c }
        let guess = suggestion(for: label.lowercased(), among: CharsetPolicy.defaultCandidateNames + ["utf-8", "iso-8859-1"])
        diagnostics.append(.error(.invalidValue, "unknown charset '\(label)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use a name iconv knows, such as windows-1251, koi8-r or iso-8859-5 (`iconv -l` lists them)",
                                  at: location, fix: guess))
        return nil
    }
}
