import Foundation
import WinnowCharset
import WinnowDiagnostics
import WinnowFormats
import WinnowText
import WinnowYAML

/// Document metadata: file name, extension, title, size, word count, inbox subfolder, script,
/// language, format, charset and what the document says of itself (author, date, url,
/// publisher), compared by equality, list membership, glob or numeric bounds.
struct FieldMatcher: MatcherKind {
    static let name = "field"
    static let summary = "Document metadata (name, extension, title, size, words, source, script, language, format, charset, author, published, url, publisher) by `is`, `in`, `glob`, `min`, `max`."
    static let options = ["is", "in", "glob", "min", "max"]
    static let examples: [KindExample] = [
        .match("{field: language, is: ru}", in: "Полиция сообщила, что в городе была перестрелка, и это было не в первый раз."),
        .match("{field: script, is: cyrillic}", in: "Перестрелка в Актобе: полиция сообщила о задержании подозреваемых."),
        .match("{field: words, min: 5}", in: "one two three four five six"),
        .match("{field: charset, is: utf8}", in: "A plain text file, in UTF-8 as every example is."),
        .noMatch("{field: words, max: 3}", in: "one two three four five six"),
        .noMatch("{field: language, in: [ru, kk]}", in: "The police said there had been a shooting in the city, and it was not the first time."),
        .noMatch("{field: extension, in: [html, htm]}", in: "plain text"),
        .noMatch("{field: format, in: [html, email]}", in: "Plain news text, not a web page."),
    ]

    enum Field: String, CaseIterable {
        case name, `extension`, title, size, words, source, script, language, format, charset, author, published, url, publisher
        var isNumeric: Bool { self == .size || self == .words }

        /// Every value a closed field can take (lowercase), or nil for an open one. A value
        /// outside the set would make a matcher that never fires, so it is an error.
        var closedValues: [String]? {
            switch self {
            case .script: DocumentFacts.scriptNames
            case .language: DocumentFacts.languageCodes
            case .format: FormatRegistry.names
            default: nil
            }
        }

        /// Other names analysts write for a closed value: ISO 15924 script codes, language
        /// names in English. Used only to suggest the value Winnow reports.
        var spellings: [String: String] {
            switch self {
            case .script: ["latn": "latin", "cyrl": "cyrillic", "arab": "arabic", "grek": "greek", "hani": "cjk",
                           "hans": "cjk", "hant": "cjk", "jpan": "cjk", "kore": "cjk", "hang": "cjk", "zyyy": "other"]
            case .language: ["english": "en", "russian": "ru", "kazakh": "kk", "ukrainian": "uk", "arabic": "ar",
                             "persian": "fa", "farsi": "fa", "french": "fr", "german": "de", "spanish": "es",
                             "turkish": "tr", "uzbek": "uz", "eng": "en", "rus": "ru", "kaz": "kk", "ukr": "uk",
                             "ara": "ar", "fas": "fa", "per": "fa", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de",
                             "spa": "es", "tur": "tr", "uzb": "uz", "unknown": "und"]
            case .format: ["txt": "text", "plain": "text", "htm": "html", "eml": "email", "mail": "email", "md": "markdown",
                           "jsonl": "json", "ndjson": "json", "doc": "docx", "word": "docx"]
            default: [:]
            }
        }
    }

    enum Test {
        case oneOf([String])
        case glob([String])
        case range(min: Int?, max: Int?)
    }

    let field: Field
    let test: Test

    init?(decoding node: MappingReader, context: DecodeContext, diagnostics: inout Diagnostics) {
        guard let value = node[Self.name], let text = value.string("field", &diagnostics) else { return nil }
        guard let field = Field(rawValue: text) else {
            let guess = suggestion(for: text, among: Field.allCases.map(\.rawValue))
            diagnostics.append(.error(.invalidValue, "unknown field '\(text)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); fields are \(Field.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))",
                                      at: value.location, fix: guess))
            return nil
        }
        self.field = field
        let given = Self.options.filter { node[$0] != nil }
        if field.isNumeric {
            if let bad = given.first(where: { $0 != "min" && $0 != "max" }) {
                diagnostics.append(.error(.invalidValue, "field '\(text)' is a number; compare it with 'min' and 'max', not '\(bad)'",
                                          at: node.keyLocation(bad) ?? value.location))
                return nil
            }
            var bounds: [Int?] = []
            for key in ["min", "max"] {
                guard let n = node[key] else { bounds.append(nil); continue }
                bounds.append(field == .size ? n.byteSize(key, &diagnostics) : n.int(key, &diagnostics))
            }
            let lo = bounds[0], hi = bounds[1]
            guard lo != nil || hi != nil else {
                if given.isEmpty {
                    diagnostics.append(.error(.missingKey, "field '\(text)' needs 'min' or 'max'", at: node.node.location))
                }
                return nil
            }
            if let lo, let hi, lo > hi, let maxNode = node["max"], let minNode = node["min"] {
                let written = { (n: YAMLNode) in n.scalar?.value ?? "" }
                diagnostics.append(.error(.invalidValue, "field '\(text)' has 'min' (\(written(minNode))) above 'max' (\(written(maxNode))), so it never matches; swap them",
                                          at: maxNode.location))
                return nil
            }
            test = .range(min: lo, max: hi)
        } else {
            let textual = given.filter { $0 == "is" || $0 == "in" || $0 == "glob" }
            if let bad = given.first(where: { $0 == "min" || $0 == "max" }) {
                diagnostics.append(.error(.invalidValue, "field '\(text)' is text; compare it with 'is', 'in' or 'glob', not '\(bad)'",
                                          at: node.keyLocation(bad) ?? value.location))
                return nil
            }
            guard textual.count == 1, let op = textual.first, let operand = node[op] else {
                diagnostics.append(.error(textual.isEmpty ? .missingKey : .invalidValue,
                                          "field '\(text)' needs exactly one of 'is', 'in' or 'glob'", at: node.node.location))
                return nil
            }
            guard let items = operand.strings(op, &diagnostics) else { return nil }
            if items.isEmpty {
                // An empty list never matches; when items were dropped, their errors are enough.
                if operand.sequence?.isEmpty == true {
                    diagnostics.append(.error(.invalidValue, "empty list: '\(op)' of field '\(text)' needs at least one value", at: operand.location))
                }
                return nil
            }
            var values = items.map { $0.0.lowercased() }
            if field == .charset, op != "glob" {
                // Any label of a charset names it (`cp1251` is `windows-1251`, as documents say).
                for (k, (written, location)) in items.enumerated() {
                    guard let charset = Charset(label: written) else {
                        diagnostics.append(.error(.invalidValue, "unknown charset '\(written)'; use a name iconv knows, such as windows-1251 or koi8-r",
                                                  at: location))
                        return nil
                    }
                    values[k] = charset.name
                }
            }
            if let known = field.closedValues {
                var bad = false
                for (value, (written, location)) in zip(values, items) {
                    let fits = op == "glob" ? known.contains { fnmatch(value, $0, 0) == 0 } : known.contains(value)
                    guard !fits else { continue }
                    let guess = op == "glob" ? nil : field.spellings[value] ?? suggestion(for: value, among: known)
                    let what = op == "glob" ? "pattern '\(written)' matches no \(text)" : "unknown \(text) '\(written)'"
                    diagnostics.append(.error(.invalidValue, "\(what)\(guess.map { " (did you mean '\($0)'?)" } ?? ""); field '\(text)' is one of \(known.map { "'\($0)'" }.joined(separator: ", "))",
                                              at: location, fix: guess))
                    bad = true
                }
                if bad { return nil }
            }
            test = op == "glob" ? .glob(values) : .oneOf(values)
        }
    }

    func compile(into plan: inout ScanPlan) throws(Diagnostic) -> any CompiledMatcher {
        CompiledField(field: field, test: test)
    }

    struct CompiledField: CompiledMatcher {
        let field: Field
        let test: Test

        func hits(in document: Document, scan: ScanResult) -> [Hit] {
            let value: String
            switch field {
            case .name: value = document.name
            case .extension: value = document.fileExtension
            case .title: value = document.title
            case .source: value = document.source
            case .script: value = document.facts.script
            case .language: value = document.facts.language
            case .format: value = document.metadata.format.rawValue
            case .charset: value = document.metadata.charset?.charset.name ?? ""
            case .author: value = document.metadata.author ?? ""
            case .published: value = document.metadata.published ?? ""
            case .url: value = document.metadata.url ?? ""
            case .publisher: value = document.metadata.publisher ?? ""
            case .size: value = String(document.byteCount)
            case .words: value = String(document.words.count)
            }
            let matched: Bool
            switch test {
            case .oneOf(let values): matched = values.contains(value.lowercased())
            case .glob(let patterns): matched = patterns.contains { fnmatch($0, value.lowercased(), 0) == 0 }
            case let .range(lo, hi):
                let n = Int(value) ?? 0
                matched = (lo.map { n >= $0 } ?? true) && (hi.map { n <= $0 } ?? true)
            }
            return matched ? [Hit(start: 0, end: 0, words: 0...0, label: scan.addLabel("\(field.rawValue)=\(value)"))] : []
        }
    }
}

extension FieldMatcher.Test: Sendable {}
