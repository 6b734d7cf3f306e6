import Foundation
import WinnowDiagnostics
import WinnowFiles
import WinnowGazetteer
import WinnowYAML

extension PackLoader {
    static let gazetteerKeys = ["places", "countries", "admin1", "admin1-names", "keep-countries", "min-population",
                                "min-confidence", "aliases", "never", "common-words"]

    /// Decodes a pack's `gazetteer:` section, with file paths resolved against the pack's folder.
    mutating func decodeGazetteer(_ node: YAMLNode, path: String) -> GazetteerSpec? {
        guard let r = MappingReader(node, what: "'gazetteer'", allowed: Self.gazetteerKeys, diagnostics: &diagnostics) else { return nil }
        let before = diagnostics.errorCount
        func files(_ key: String, _ n: YAMLNode) -> [String] {
            (n.strings(key, &diagnostics) ?? []).compactMap { (file, location) -> String? in
                let full = Self.path(file, besidePack: path)
                guard let why = Files.namedFileProblem(full) else { return full }
                diagnostics.append(.error(.fileUnreadable, "cannot read '\(full)': \(why)", at: location, length: file.unicodeScalars.count))
                return nil
            }
        }
        var spec = GazetteerSpec()
        if let n = r.required("places", what: "a gazetteer", diagnostics: &diagnostics) { spec.placeFiles = files("places", n) }
        if let n = r["countries"] { spec.countryFile = files("countries", n).first }
        if let n = r["admin1"] { spec.admin1File = files("admin1", n).first }
        if let n = r["admin1-names"] { spec.admin1ExtraFile = files("admin1-names", n).first }
        if let n = r["keep-countries"], let codes = n.strings("keep-countries", &diagnostics) {
            for (code, loc) in codes where code.count != 2 || code != code.uppercased() {
                diagnostics.append(.error(.invalidValue, "'\(code)' is not an ISO 3166 country code such as KZ", at: loc))
            }
            spec.keepCountries = codes.map(\.0)
        }
        if let n = r["min-population"], let v = n.int("min-population", &diagnostics) { spec.minPopulation = v }
        if let n = r["min-confidence"], let v = n.double("min-confidence", &diagnostics) {
            if v < 0 || v > 1 {
                diagnostics.append(.error(.invalidValue, "'min-confidence' is between 0 and 1", at: n.location))
            } else { spec.minConfidence = v }
        }
        if let n = r["aliases"] {
            if let pairs = n.mapping {
                for pair in pairs {
                    guard let target = pair.key.scalar?.value else { continue }
                    if target == "file" {
                        spec.aliasFiles += files("file", pair.value)
                    } else if let names = pair.value.strings(target, &diagnostics) {
                        spec.aliases.append(.init(target: target, names: names.map(\.0), origin: pair.key.location))
                    }
                }
            } else {
                diagnostics.append(.error(.wrongType, "'aliases' maps a country code, admin1 code or geonameid to names, as in 'KZ: [Kazakhstan, Kazakh]', found \(n.kindDescription)", at: n.location))
            }
        }
        if let n = r["never"], let names = n.strings("never", &diagnostics) { spec.never = names.map(\.0) }
        if let n = r["common-words"] {
            if n.mapping != nil {
                if let m = MappingReader(n, what: "'common-words'", allowed: ["file"], diagnostics: &diagnostics),
                   let f = m.required("file", what: "'common-words' given as a mapping", diagnostics: &diagnostics) {
                    spec.commonWordFiles = files("file", f)
                }
            } else if let words = n.strings("common-words", &diagnostics) {
                spec.commonWords = words.map(\.0)
            }
        }
        return diagnostics.errorCount == before ? spec : nil
    }
}
