import WinnowDiagnostics
import WinnowGazetteer
import WinnowFormats
import WinnowText
import WinnowYAML

/// Mentions of places resolved against the folder's gazetteer, filtered by country, region,
/// id, kind, feature class or code, population or confidence.
struct PlacesMatcher: MatcherKind {
    static let name = "places"
    static let summary = "Places the document mentions (resolved with the gazetteer), filtered by country, admin1, id, kind, feature, population."
    static let examples: [KindExample] = [
        .match("{places: {country: [KZ]}}", in: "Shootouts in «Aktobe» left ten dead."),
        .match("{places: {admin1: [KZ.09]}}", in: "Oil workers in «Aktau» went on strike."),
        .match("{places: any}", in: "Delegates met in «Tashkent»."),
        .match("{places: {country: [UZ], role: mentioned}}",
               in: "Police in Almaty said on Monday that the two suspects, arrested in Almaty after the raid, had once lived in «Tashkent»."),
        .noMatch("{places: {country: [UZ]}}",
                 in: "Police in Almaty said on Monday that the two suspects, arrested in Almaty after the raid, had once lived in Tashkent."),
        .noMatch("{places: {country: [KZ]}}", in: "Delegates met in Tashkent."),
        .noMatch("{places: any}", in: "Police joined troops on the base."),
    ]

    /// GeoNames feature classes (https://www.geonames.org/export/codes.html).
    static let featureClasses = ["A", "H", "L", "P", "R", "S", "T", "U", "V"]

    static let filterKeys = ["country", "admin1", "id", "kind", "feature-class", "feature-code", "min-population", "min-confidence", "role"]

    struct Filter: Sendable {
        var countries: Set<String> = []
        var regions: Set<String> = []
        var ids: Set<UInt32> = []
        var kinds: Set<String> = []
        var featureClasses: Set<String> = []
        var featureCodes: Set<String> = []
        var minPopulation = 0
        var minConfidence = 0.0
        /// The roles kept: what the document is about, unless the rule asks for more.
        var roles: Set<PlaceRole> = [.main]
        var locations: [String: SourceLocation] = [:]
    }

    let filter: Filter
    let location: SourceLocation

    init?(decoding node: MappingReader, context: DecodeContext, diagnostics: inout Diagnostics) {
        guard let value = node[Self.name] else { return nil }
        location = value.location
        var f = Filter()
        if let s = value.scalar, s.value == "any" {
            filter = f
            return
        }
        guard let r = MappingReader(value, what: "a 'places' filter", allowed: Self.filterKeys, diagnostics: &diagnostics) else { return nil }
        let before = diagnostics.errorCount
        func list(_ key: String) -> [(String, SourceLocation)] {
            guard let n = r[key] else { return [] }
            f.locations[key] = n.location
            // An empty list would drop the filter and keep every place, the opposite of intent.
            if n.sequence?.isEmpty == true {
                diagnostics.append(.error(.invalidValue, "empty list: '\(key)' needs at least one value; leave the key out to keep every place", at: n.location))
            }
            return n.strings(key, &diagnostics) ?? []
        }
        for (code, loc) in list("country") {
            if code.count != 2 || code != code.uppercased() {
                diagnostics.append(.error(.invalidValue, "'\(code)' is not an ISO 3166 country code such as KZ", at: loc))
            }
            f.countries.insert(code)
        }
        for (code, loc) in list("admin1") {
            if !code.contains(".") {
                diagnostics.append(.error(.invalidValue, "'\(code)' is not an admin1 code such as KZ.04 (country, dot, GeoNames region code)", at: loc))
            }
            f.regions.insert(code)
        }
        for (id, loc) in list("id") {
            guard let n = UInt32(id) else {
                diagnostics.append(.error(.invalidValue, "'\(id)' is not a geonameid (a number such as 610612)", at: loc))
                continue
            }
            f.ids.insert(n)
        }
        for (k, loc) in list("kind") {
            if !["place", "region", "country"].contains(k) {
                diagnostics.append(.error(.invalidValue, "unknown kind '\(k)'; use place, region or country", at: loc))
            }
            f.kinds.insert(k)
        }
        // GeoNames writes classes and codes in capitals; any case is accepted, as everywhere
        // else an analyst compares words.
        for (c, loc) in list("feature-class") {
            let upper = c.uppercased()
            guard Self.featureClasses.contains(upper) else {
                diagnostics.append(.error(.invalidValue, "unknown feature class '\(c)'; GeoNames classes are \(Self.featureClasses.joined(separator: ", ")) (P populated places, A administrative areas)",
                                          at: loc))
                continue
            }
            f.featureClasses.insert(upper)
        }
        for (c, loc) in list("feature-code") {
            let upper = c.uppercased()
            guard !upper.isEmpty, upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
                diagnostics.append(.error(.invalidValue, "'\(c)' is not a GeoNames feature code such as PPL, PPLC, ADM1 or PCLI", at: loc))
                continue
            }
            f.featureCodes.insert(upper)
        }
        if let n = r["role"], let v = n.string("role", &diagnostics) {
            switch v.lowercased() {
            case "main": f.roles = [.main]
            case "mentioned": f.roles = [.mentioned]
            case "any": f.roles = Set(PlaceRole.allCases)
            default:
                let guess = suggestion(for: v.lowercased(), among: ["main", "mentioned", "any"])
                diagnostics.append(.error(.invalidValue, "unknown role '\(v)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use main (what the document is about, the default), mentioned (named in passing) or any",
                                          at: n.location, fix: guess))
            }
        }
        if let n = r["min-population"], let v = n.int("min-population", &diagnostics) { f.minPopulation = v }
        if let n = r["min-confidence"], let v = n.double("min-confidence", &diagnostics) {
            if (0...1).contains(v) {
                f.minConfidence = v
            } else {
                diagnostics.append(.error(.invalidValue, "min-confidence \(n.scalar?.value ?? String(v)) is out of range; confidence runs from 0 to 1, as in 0.6",
                                          at: n.location))
            }
        }
        filter = f
        if diagnostics.errorCount > before { return nil }
    }

    func compile(into plan: inout ScanPlan) throws(Diagnostic) -> any CompiledMatcher {
        guard let g = plan.gazetteer else {
            // The gazetteer's own error is reported, and no ruleset will be built from this.
            if plan.gazetteerFailed { return Unavailable() }
            throw .error(.invalidValue, "a 'places' matcher needs a gazetteer; declare one with 'gazetteer:' in a pack (rules/locations.yaml ships one)",
                         at: location)
        }
        let knownCountries = Set(g.countries.map(\.iso))
        for c in filter.countries where !knownCountries.isEmpty && !knownCountries.contains(c) {
            throw .error(.invalidValue, "country '\(c)' is not in the gazetteer", at: filter.locations["country"] ?? location)
        }
        let knownRegions = Set(g.regions.map(\.code))
        for r in filter.regions where !knownRegions.contains(r) {
            let guess = suggestion(for: r, among: knownRegions)
            throw .error(.invalidValue, "admin1 code '\(r)' is not in the gazetteer\(guess.map { " (did you mean '\($0)'?)" } ?? "")",
                         at: filter.locations["admin1"] ?? location)
        }
        return Compiled(filter: filter, gazetteer: g)
    }

    /// Stands in for a matcher whose gazetteer failed to load.
    struct Unavailable: CompiledMatcher {
        func hits(in document: Document, scan: ScanResult) -> [Hit] { [] }
    }

    struct Compiled: CompiledMatcher {
        var locates: Bool { true }
        let filter: Filter
        let gazetteer: Gazetteer
        /// The country, region and kind filters per index, so a mention is checked without
        /// hashing strings (every places matcher sees every mention of every document).
        let countryAllowed: [Bool]?
        let regionAllowed: [Bool]?
        let kindAllowed: [Bool]?
        let keepsMain: Bool, keepsMentioned: Bool

        init(filter: Filter, gazetteer g: Gazetteer) {
            self.filter = filter
            self.gazetteer = g
            keepsMain = filter.roles.contains(.main)
            keepsMentioned = filter.roles.contains(.mentioned)
            countryAllowed = filter.countries.isEmpty ? nil : g.countries.map { filter.countries.contains($0.iso) }
            regionAllowed = filter.regions.isEmpty ? nil : g.regions.map { filter.regions.contains($0.code) }
            // Indexed by Gazetteer.Kind.rawValue: place, region, country.
            kindAllowed = filter.kinds.isEmpty ? nil : ["place", "region", "country"].map { filter.kinds.contains($0) }
        }

        func hits(in document: Document, scan: ScanResult) -> [Hit] {
            scan.places.mentions.compactMap { m in
                accepts(m) ? Hit(start: m.start, end: m.end, words: m.words) : nil
            }
        }

        func accepts(_ m: PlaceMention) -> Bool {
            let g = gazetteer, e = m.entity, f = filter
            if m.confidence < f.minConfidence || !(m.role == .main ? keepsMain : keepsMentioned) { return false }
            if let countryAllowed {
                let c = g.countryIndex(of: e)
                if c < 0 || !countryAllowed[Int(c)] { return false }
            }
            if let regionAllowed {
                let r = g.regionIndex(of: e)
                if r < 0 || !regionAllowed[Int(r)] { return false }
            }
            if !f.ids.isEmpty, !f.ids.contains(g.geonameid(of: e)) { return false }
            if let kindAllowed, !kindAllowed[Int(g.kind(of: e).rawValue)] { return false }
            if !f.featureClasses.isEmpty, !f.featureClasses.contains(String(g.featureClass(of: e))) { return false }
            if !f.featureCodes.isEmpty, !f.featureCodes.contains(g.featureCode(of: e)) { return false }
            if f.minPopulation > 0, Int(g.population(of: e)) < f.minPopulation { return false }
            return true
        }
    }
}
