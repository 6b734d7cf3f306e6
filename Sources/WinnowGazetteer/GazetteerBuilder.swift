import Foundation
import Synchronization
import WinnowCache
import WinnowDiagnostics
import WinnowFiles
import WinnowMatching
import WinnowText

/// Builds a `Gazetteer` from GeoNames files and a pack's options.
///
/// Names are folded exactly as documents are, collected into one flat buffer, sorted once and
/// grouped, so a million names cost a sort and no per-name object (docs/design.md §Gazetteer).
/// Built gazetteers are cached by spec and file fingerprints, in memory (a rule edit reuses
/// them) and on disk (`GazetteerCache`: the next process start reads them back).
public enum GazetteerBuilder {
    /// - Parameter cache: where built gazetteers are kept between processes (nil: nowhere).
    public static func build(_ spec: GazetteerSpec, cache store: CacheStore? = CacheStore.standard()) throws(GazetteerError) -> Gazetteer {
        let fingerprint = spec.files.map { path -> String in
            var st = stat()
            guard stat(path, &st) == 0 else { return path + ":missing" }
            return "\(path):\(st.st_size):\(st.st_mtim.tv_sec):\(st.st_mtim.tv_nsec)"
        }
        if let cached = cache.withLock({ $0 }), cached.spec == spec, cached.fingerprint == fingerprint {
            return cached.gazetteer
        }
        let g: Gazetteer
        if let store, let saved = GazetteerCache.load(spec, from: store) {
            g = saved
        } else {
            var b = Builder(spec: spec)
            g = try b.build()
            if let store { GazetteerCache.save(g, spec: spec, to: store) }
        }
        cache.withLock { $0 = (spec, fingerprint, g) }
        return g
    }

    private static let cache = Mutex<(spec: GazetteerSpec, fingerprint: [String], gazetteer: Gazetteer)?>(nil)
}

struct Builder {
    let spec: GazetteerSpec

    // Entities, parallel arrays.
    var kind: [UInt8] = []
    var geonameid: [UInt32] = []
    var entityName: [String] = []
    var countryOf: [Int32] = []
    var regionOf: [Int32] = []
    var latitude: [Float] = []
    var longitude: [Float] = []
    var population: [UInt32] = []
    var featureClass: [UInt8] = []
    var featureCode: [String] = []

    var countries: [Gazetteer.Country] = []
    var countryIndex: [String: Int32] = [:]
    var regions: [Gazetteer.Region] = []
    var regionIndex: [String: Int32] = [:]
    var entityByID: [UInt32: Int32] = [:]

    // Names: folded bytes in one buffer, with the entity each belongs to.
    var nameBytes: [UInt8] = []
    var names: [NameRecord] = []
    var scratch = FoldedText()
    var skippedRows: [SkippedRows] = []

    init(spec: GazetteerSpec) { self.spec = spec }

    mutating func build() throws(GazetteerError) -> Gazetteer {
        if let file = spec.countryFile {
            for row in GeoNamesReader.countries(try read(file)) {
                let e = addEntity(.country, id: row.geonameid, name: row.name, population: row.population,
                                  featureClass: UInt8(ascii: "A"), featureCode: "PCLI")
                countryIndex[row.iso] = Int32(countries.count)
                countryOf[Int(e)] = Int32(countries.count)
                countries.append(.init(iso: row.iso, name: row.name, entity: e))
                addName(row.name, to: e, primary: true)
            }
        }
        var extra: [String: [String]] = [:]
        if let file = spec.admin1ExtraFile { extra = GeoNamesReader.admin1Extra(try read(file)) }
        if let file = spec.admin1File {
            for row in GeoNamesReader.admin1(try read(file)) {
                let cc = String(row.code.prefix(2))
                let alternates = extra[row.code] ?? []
                let display = Self.displayName(asciiName: row.asciiName, alternates: alternates)
                let e = addEntity(.region, id: row.geonameid, name: display, population: 0,
                                  featureClass: UInt8(ascii: "A"), featureCode: "ADM1")
                countryOf[Int(e)] = countryIndex[cc] ?? -1
                regionIndex[row.code] = Int32(regions.count)
                regionOf[Int(e)] = Int32(regions.count)
                regions.append(.init(code: row.code, name: display, country: countryIndex[cc] ?? -1, entity: e))
                for name in [row.name, row.asciiName] + alternates {
                    addName(name, to: e, primary: false)
                    let base = Self.stripRegionSuffix(name)
                    if base != name, base.unicodeScalars.count >= 3 {
                        addName(base, to: e, primary: false)
                        if base.unicodeScalars.allSatisfy(\.isASCII) {
                            for suffix in [" Region", " Oblast", " Province"] { addName(base + suffix, to: e, primary: false) }
                        }
                    }
                }
            }
        }
        let keep = Set(spec.keepCountries.map { Array($0.utf8) })
        let minPopulation = UInt32(clamping: spec.minPopulation)
        // By region index: a dictionary lookup and store per row was a fiftieth of a cold build.
        var regionSums = [(lat: Double, lon: Double, n: Int, pop: UInt64)](repeating: (0, 0, 0, 0), count: regions.count)
        for file in spec.placeFiles {
            let bytes = try read(file)
            var rows = 0
            let bad = GeoNamesReader.places(bytes, keep: { cc, pop in
                (keep.isEmpty || keep.contains(Array(cc))) && pop >= minPopulation
            }) { row in
                rows += 1
                let e = addEntity(.place, id: row.geonameid, name: row.name, population: row.population,
                                  featureClass: row.featureClass, featureCode: row.featureCode)
                latitude[Int(e)] = row.latitude
                longitude[Int(e)] = row.longitude
                countryOf[Int(e)] = countryIndex[row.country] ?? -1
                let r = regionIndex[row.country + "." + row.admin1] ?? -1
                regionOf[Int(e)] = r
                if r >= 0 {
                    regionSums[Int(r)].lat += Double(row.latitude)
                    regionSums[Int(r)].lon += Double(row.longitude)
                    regionSums[Int(r)].n += 1
                    regionSums[Int(r)].pop += UInt64(row.population)
                }
                addName(row.name, to: e, primary: true)
                if row.asciiName != row.name { addName(row.asciiName, to: e, primary: true) }
                var from = row.alternateNames.startIndex
                let all = row.alternateNames
                while from < all.endIndex {
                    let comma = all[from...].firstIndex(of: 0x2C) ?? all.endIndex
                    if comma > from { addName(bytes: all[from ..< comma], to: e, primary: false) }
                    from = comma + 1
                }
            }
            guard let first = bad.first else { continue }
            if bad.count > max(10, rows / 100) {
                var e = GazetteerError(path: file, line: first.line, column: 1,
                                       message: "\(bad.count) malformed rows, too many to skip (first here: \(first.reason)); is this a file in the GeoNames 19-column layout?")
                e.code = .badGeoNamesRow
                throw e
            }
            skippedRows.append(SkippedRows(path: file, count: bad.count, firstLine: first.line, firstReason: first.reason))
        }
        // Regions get the mean position of their places; countries their capital's or largest place's.
        for (r, s) in regionSums.enumerated() where s.n > 0 {
            let e = Int(regions[r].entity)
            latitude[e] = Float(s.lat / Double(s.n))
            longitude[e] = Float(s.lon / Double(s.n))
            population[e] = UInt32(clamping: s.pop)
        }
        var largest: [Int32: Int32] = [:]
        for e in kind.indices where kind[e] == Gazetteer.Kind.place.rawValue && countryOf[e] >= 0 {
            let c = countryOf[e]
            if let l = largest[c], population[Int(l)] >= population[e] { continue }
            largest[c] = Int32(e)
        }
        for (c, e) in largest {
            let ce = Int(countries[Int(c)].entity)
            latitude[ce] = latitude[Int(e)]
            longitude[ce] = longitude[Int(e)]
        }

        for alias in spec.aliases { try addAlias(alias) }
        for file in spec.aliasFiles {
            var line = 0
            let bytes = try read(file)
            for raw in bytes.dropFirst(GeoNamesReader.byteOrderMarkLength(bytes)).split(separator: 0x0A, omittingEmptySubsequences: false) {
                line += 1
                let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty || text.hasPrefix("#") { continue }
                let parts = text.split(separator: "\t", maxSplits: 1)
                guard parts.count == 2 else {
                    throw GazetteerError(path: file, line: line, message: "expected 'TARGET<tab>name, name, …'")
                }
                try addAlias(.init(target: String(parts[0]).trimmingCharacters(in: .whitespaces),
                                   names: parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                   origin: SourceLocation(path: file, line: line, column: 1)))
            }
        }

        var never = Set<[UInt8]>()
        for name in spec.never { addNever(name, into: &never) }
        var common = Set<[UInt8]>()
        for word in spec.commonWords { if let k = fold(word) { common.insert(k) } }
        for file in spec.commonWordFiles {
            let bytes = try read(file)
            for raw in bytes.dropFirst(GeoNamesReader.byteOrderMarkLength(bytes)).split(separator: 0x0A) {
                let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if text.isEmpty || text.hasPrefix("#") { continue }
                if let k = fold(text) { common.insert(k) }
            }
        }
        return finish(never: never, common: common)
    }

    // MARK: Entities and names

    mutating func addEntity(_ k: Gazetteer.Kind, id: UInt32, name: String, population p: UInt32,
                            featureClass fc: UInt8, featureCode code: String) -> Int32 {
        let e = Int32(kind.count)
        kind.append(k.rawValue)
        geonameid.append(id)
        entityName.append(name)
        countryOf.append(-1)
        regionOf.append(-1)
        latitude.append(.nan)
        longitude.append(.nan)
        population.append(p)
        featureClass.append(fc)
        featureCode.append(code)
        if id != 0, entityByID[id] == nil { entityByID[id] = e }
        return e
    }

    mutating func addAlias(_ alias: GazetteerSpec.Alias) throws(GazetteerError) {
        let t = alias.target
        let e: Int32?
        if t.count == 2, t == t.uppercased() {
            e = countryIndex[t].map { countries[Int($0)].entity }
        } else if t.contains(".") {
            e = regionIndex[t].map { regions[Int($0)].entity }
        } else if let id = UInt32(t) {
            e = entityByID[id]
        } else {
            throw GazetteerError(at: alias.origin, message: "alias target '\(t)' is not a country code (KZ), an admin1 code (KZ.04) or a geonameid")
        }
        guard let e else {
            throw GazetteerError(at: alias.origin, message: "alias target '\(t)' is not in the gazetteer (filtered out by keep-countries or min-population, or misspelt)")
        }
        // Aliases are deliberate, so short ones count (UK, ОАЭ); the three-byte floor is for
        // GeoNames' alternate names.
        for name in alias.names where !name.isEmpty { addName(name, to: e, primary: true, minBytes: 2, alias: true) }
    }

    /// A `never` name, with its Russian case forms: a key with no candidates, so it is found
    /// like a place name and then dropped, taking with it the names inside it ("America" in
    /// "Latin America", "Guinea" in "New Guinea").
    mutating func addNever(_ name: String, into never: inout Set<[UInt8]>) {
        // Cyrillic, by the test `addName` uses.
        let forms = name.utf8.contains { $0 >= 0xD0 && $0 <= 0xD4 } ? [name] + RussianForms.forms(of: name, pluralNouns: false) : [name]
        for form in forms {
            var f = form
            f.withUTF8 { scratch.fold($0) }
            guard let start = appendScratch(minBytes: 2) else { continue }
            let length = nameBytes.count - Int(start)
            never.insert(Array(nameBytes[Int(start)...]))
            names.append(NameRecord(start: start, length: UInt16(length), entity: -1, primary: false,
                                    generated: false, capitals: false))
        }
    }

    /// Adds a name unless it cannot be a mention in running text: digits, airport-style codes
    /// (`AKX`, `SCO`), or shorter than three folded bytes (`Of`, but `Ош` stays).
    mutating func addName(_ name: some StringProtocol, to e: Int32, primary: Bool, minBytes: Int = 3, alias: Bool = false) {
        var s = String(name)
        s.withUTF8 { addName(bytes: $0, to: e, primary: primary, minBytes: minBytes, alias: alias) }
    }

    /// Least population of a place whose Russian names get case forms: smaller places are
    /// rarely written about in Russian, and their forms would only add collisions.
    static let formsMinPopulation: UInt32 = 15_000

    /// An `alias` written in lowercase ("казахстанский", "россияне") matches lowercase text: an
    /// adjective or a people's name is written so mid-sentence. GeoNames' alternate names are
    /// not taken so: many are lowercase transliterations ("tandil") that would match words.
    mutating func addName(bytes: some Collection<UInt8>, to e: Int32, primary: Bool, minBytes: Int = 3, alias: Bool = false) {
        let head = Array(bytes.prefix(4))
        let first = head.isEmpty ? nil : OrdinaryWords.classify(head, 0)
        let lowercase = alias && first?.letter == true && first?.lower == true
        addName(bytes: bytes, to: e, primary: primary, generated: false, lowercase: lowercase, minBytes: minBytes)
        // Cyrillic letters start with 0xD0-0xD4 in UTF-8; names past 200 bytes are never keys.
        guard bytes.count <= 200, bytes.contains(where: { $0 >= 0xD0 && $0 <= 0xD4 }),
              kind[Int(e)] != Gazetteer.Kind.place.rawValue || population[Int(e)] >= Self.formsMinPopulation else { return }
        let name = String(decoding: bytes, as: UTF8.self)
        for form in RussianForms.forms(of: name, pluralNouns: kind[Int(e)] == Gazetteer.Kind.country.rawValue) {
            var f = form
            f.withUTF8 { addName(bytes: $0, to: e, primary: primary, generated: true, lowercase: lowercase, minBytes: minBytes) }
        }
    }

    private mutating func addName(bytes: some Collection<UInt8>, to e: Int32, primary: Bool, generated: Bool, lowercase: Bool,
                                  minBytes: Int) {
        var length = 0, upper = 0
        for b in bytes {
            if b >= 0x30 && b <= 0x39 { return }
            if b >= 0x41 && b <= 0x5A { upper += 1 }
            length += 1
        }
        if !primary, length <= 4, upper == length { return }
        let folded: Bool = bytes.withContiguousStorageIfAvailable { buf in
            scratch.fold(buf)
            return true
        } ?? {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { scratch.fold($0) }
            return true
        }()
        guard folded, let start = appendScratch(minBytes: minBytes) else { return }
        names.append(NameRecord(start: start, length: UInt16(clamping: nameBytes.count - Int(start)), entity: e,
                                primary: primary, generated: generated, capitals: Self.isCapitals(bytes), lowercase: lowercase))
    }

    /// Two to six letters, all capitals (Latin or Cyrillic), possibly with full stops: `US`, `U.S.`, `РК`.
    static func isCapitals(_ bytes: some Collection<UInt8>) -> Bool {
        // Six letters take at most 12 bytes (and 5 full stops); most names fail here.
        guard bytes.count <= 17, let first = bytes.first, first < 0x61 || first >= 0x80 else { return false }
        return Surface.capitalLetterCount(bytes).map { (2 ... 6).contains($0) } == true
    }

    /// Appends the folded scratch text to `nameBytes`; nil (and nothing appended) when unusable.
    mutating func appendScratch(minBytes: Int = 3) -> UInt32? {
        var n = scratch.bytes.count
        while n > 0, scratch.bytes[n - 1] == 0x20 { n -= 1 }
        guard n >= minBytes, n <= 200, scratch.wordStarts.first == 0 else { return nil }
        let start = UInt32(nameBytes.count)
        nameBytes.append(contentsOf: scratch.bytes[0 ..< n])
        return start
    }

    mutating func fold(_ s: String) -> [UInt8]? {
        var copy = s
        copy.withUTF8 { scratch.fold($0) }
        guard let start = appendScratch() else { return nil }
        let key = Array(nameBytes[Int(start)...])
        nameBytes.removeLast(nameBytes.count - Int(start))
        return key
    }

    /// Sorts the names, groups equal ones into keys with their candidate entities.
    mutating func finish(never: Set<[UInt8]>, common: Set<[UInt8]>) -> Gazetteer {
        let count = names.count
        // Sort by the first eight bytes as one big-endian integer, comparing the rest only on
        // ties: most comparisons become one integer compare instead of a memcmp call.
        let order: [Int32] = nameBytes.withUnsafeBufferPointer { b in
        names.withUnsafeBufferPointer { names in
            var items: [(prefix: UInt64, index: Int32)] = []
            items.reserveCapacity(count)
            for i in 0 ..< count {
                let a = Int(names[i].start), l = Int(names[i].length)
                var p: UInt64 = 0
                for k in 0 ..< 8 { p = (p << 8) | UInt64(k < l ? b[a + k] : 0) }
                items.append((p, Int32(i)))
            }
            items.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let xn = names[Int(x.index)], yn = names[Int(y.index)]
                let xa = Int(xn.start), xl = Int(xn.length)
                let ya = Int(yn.start), yl = Int(yn.length)
                if xl > 8 || yl > 8 {
                    let c = memcmp(b.baseAddress! + xa + 8, b.baseAddress! + ya + 8, max(0, min(xl, yl) - 8))
                    if c != 0 { return c < 0 }
                }
                if xl != yl { return xl < yl }
                return xn.entity < yn.entity
            }
            return items.map(\.index)
        }}
        // The records in sorted order, gathered in one pass of random reads: the passes below
        // then read them in sequence (a record per name, so one cache miss where a field per
        // array made six). The unsorted ones are not needed after.
        let sorted = order.map { names[Int($0)] }
        names = []
        // The lists of names to drop or to mark, looked up by their bytes in one go: a
        // `Set<[UInt8]>` hashes an array byte by byte, once for each of a million names.
        let never = Set(never.map(NameBytes.init)), common = Set(common.map(NameBytes.init))
        var keys = KeySet()
        keys.reserve(keys: count / 2, bytes: nameBytes.count / 2)
        var candidateStart: [UInt32] = [0]
        var candidateList: [Int32] = []
        var candidatePrimary: [Bool] = []
        var keyFlags: [UInt8] = []
        var i = 0
        while i < count {
            let a = Int(sorted[i].start), l = Int(sorted[i].length)
            let key = nameBytes[a ..< a + l]
            var j = i
            var last: Int32 = -1
            var real = false, capitalsOnly = true, capitals = false
            while j < count {
                let b = Int(sorted[j].start)
                guard Int(sorted[j].length) == l, nameBytes[b ..< b + l] == key else { break }
                if !sorted[j].generated { real = true }
                if sorted[j].capitals { capitals = true } else { capitalsOnly = false }
                j += 1
            }
            let group = i ..< j
            i = j
            let name = NameBytes(Array(key))
            if never.contains(name) {
                keys.append(bytes: name.bytes, isPrefix: false, endsInWord: Self.endsInWord(name.bytes), capitalisedOnly: true)
                candidateStart.append(UInt32(candidateList.count))
                keyFlags.append(0)
                continue
            }
            // A case form never competes with a real name ("Мира" the name of a town stays its own).
            var lowercase = false
            for k in group {
                let r = sorted[k]
                if real && r.generated { continue }
                if r.lowercase { lowercase = true }
                if r.entity != last {
                    candidateList.append(r.entity)
                    candidatePrimary.append(r.primary)
                    last = r.entity
                } else if r.primary {
                    candidatePrimary[candidatePrimary.count - 1] = true
                }
            }
            // The resolver drops lowercase occurrences, so the scan may skip them (KeySet.flags),
            // unless an alias is written in lowercase.
            keys.append(bytes: name.bytes, isPrefix: false, endsInWord: Self.endsInWord(name.bytes), capitalisedOnly: !lowercase)
            candidateStart.append(UInt32(candidateList.count))
            keyFlags.append((common.contains(name) ? 1 : 0) | (capitalsOnly ? 4 : 0) | (capitals ? 8 : 0) | (lowercase ? 16 : 0))
        }
        let places = kind.filter { $0 == Gazetteer.Kind.place.rawValue }.count
        let summary = "\(places) places, \(regions.count) regions, \(countries.count) countries, \(keys.count) names"
        return Gazetteer(kind: kind, geonameid: geonameid, entityName: entityName, countryOf: countryOf,
                         regionOf: regionOf, latitude: latitude, longitude: longitude, population: population,
                         featureClass: featureClass, featureCode: featureCode, countries: countries, regions: regions,
                         names: keys, candidateStart: candidateStart, candidateList: candidateList,
                         candidatePrimary: candidatePrimary, keyFlags: keyFlags,
                         minConfidence: spec.minConfidence, summary: summary, skippedRows: skippedRows)
    }

    /// One name as collected: where its folded bytes are in `nameBytes`, its entity, and how
    /// it was written.
    struct NameRecord {
        var start: UInt32
        var length: UInt16
        private var flags: UInt8
        var entity: Int32

        init(start: UInt32, length: UInt16, entity: Int32, primary: Bool, generated: Bool, capitals: Bool, lowercase: Bool = false) {
            self.start = start
            self.length = length
            self.entity = entity
            flags = (primary ? 1 : 0) | (generated ? 2 : 0) | (capitals ? 4 : 0) | (lowercase ? 8 : 0)
        }

        var primary: Bool { flags & 1 != 0 }
        /// A case form made by `RussianForms`: kept only when no real name has the same key.
        var generated: Bool { flags & 2 != 0 }
        /// Written in capitals (`US`, `UAE`, `США`): such a name matches only text in capitals.
        var capitals: Bool { flags & 4 != 0 }
        /// An alias written in lowercase: it matches lowercase text.
        var lowercase: Bool { flags & 8 != 0 }
    }

    /// A folded name, hashed by its bytes in one go.
    private struct NameBytes: Hashable {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    /// Whether the folded name ends in a letter or digit (ASCII or any non-ASCII scalar).
    static func endsInWord(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last else { return false }
        return last >= 0x80 || (last >= 0x30 && last <= 0x39) || (last >= 0x61 && last <= 0x7A)
    }

    func read(_ path: String) throws(GazetteerError) -> [UInt8] {
        do {
            // No practical bound: the full GeoNames dump (allCountries.txt) is about 1.6 GB.
            return try Files.readNamed(path, maxBytes: 1 << 36)
        } catch {
            switch error {
            case .unreadable(let why):
                var e = GazetteerError(path: path, message: "cannot read gazetteer file: \(why)")
                e.code = .fileUnreadable
                throw e
            case .tooLarge(let limit):
                var e = GazetteerError(path: path, message: "gazetteer file is larger than \(limit) bytes")
                e.code = .fileTooLarge
                throw e
            }
        }
    }

    // MARK: Region names

    static let regionSuffixes = [" oblysy", " oblast’", " oblast'", " oblast", " oblisi", " region", " province",
                                 " viloyati", " viloyat", " vilayeti", " welayaty", " welaýaty", " oblasty", " oblusu",
                                 " governorate", " ostan", " kray", " krai", " respublikasy", " respublika", " republic"]

    static func stripRegionSuffix(_ name: String) -> String {
        let lower = name.lowercased()
        for suffix in regionSuffixes where lower.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// A short English name for tags: GeoNames' ASCII name without its suffix ("Atyrau oblysy" →
    /// "Atyrau", "Tatarstan, Respublika" → "Tatarstan"), or an alternate one or two edits
    /// away that is the usual English spelling ("Aqtobe" → "Aktobe", "Mangghystau" → "Mangystau").
    static func displayName(asciiName: String, alternates: [String]) -> String {
        var base = asciiName
        if let comma = base.firstIndex(of: ",") { base = String(base[..<comma]) }
        base = stripRegionSuffix(base).trimmingCharacters(in: .whitespaces)
        if base.isEmpty { return asciiName }
        let lower = Array(base.lowercased().unicodeScalars)
        // The distance is quadratic in the names' lengths, and only distances up to 2 count:
        // names of very different lengths are skipped, and names past 200 are never tagged.
        guard lower.count <= 200 else { return base }
        var best: (String, Int)?
        var tied = false
        for alt in alternates where alt.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0 == " " || $0 == "-") }) {
            let candidate = stripRegionSuffix(alt)
            guard !candidate.isEmpty, candidate != base, abs(candidate.unicodeScalars.count - lower.count) <= 2 else { continue }
            let d = levenshtein(lower, Array(candidate.lowercased().unicodeScalars))
            guard d <= 2 else { continue }
            if let b = best, d == b.1, candidate.lowercased() != b.0.lowercased() { tied = true }
            if d < (best?.1 ?? .max) { best = (candidate, d); tied = false }
        }
        // Two spellings as close ("Catalunya": Catalonia, Catalonha) say no one of them is the usual one.
        return tied ? base : best?.0 ?? base
    }

    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0 ... b.count)
        var cur = prev
        for i in 1 ... a.count {
            cur[0] = i
            for j in 1 ... b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
