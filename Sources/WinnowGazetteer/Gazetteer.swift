import WinnowMatching

/// Places and their names, ready to match and resolve.
///
/// Entities are cities and other populated places, first-level regions (admin1) and countries,
/// stored as parallel arrays (no object per place: the full `cities500.txt` has 235k places and
/// 1.6 million names). Every distinct folded name is one key of `names`; `candidates(ofKey:)`
/// lists the entities that carry it.
public final class Gazetteer: Sendable {
    public enum Kind: UInt8, Sendable {
        case place = 0, region = 1, country = 2
    }

    public struct Country: Sendable {
        public var iso: String
        public var name: String
        public var entity: Int32
    }

    public struct Region: Sendable {
        /// `KZ.04`
        public var code: String
        /// A short name for tags and alerts (`Aktobe`).
        public var name: String
        public var country: Int32
        public var entity: Int32
    }

    // Entities.
    let kind: [UInt8]
    let geonameid: [UInt32]
    let entityName: [String]
    /// Index into `countries`, or -1.
    let countryOf: [Int32]
    /// Index into `regions`, or -1.
    let regionOf: [Int32]
    let latitude: [Float]
    let longitude: [Float]
    let population: [UInt32]
    let featureClass: [UInt8]
    let featureCode: [String]

    public let countries: [Country]
    public let regions: [Region]

    /// Folded names (exact keys, no prefixes).
    public let names: KeySet
    /// Candidates of key k: `candidateList[candidateStart[k] ..< candidateStart[k + 1]]`.
    let candidateStart: [UInt32]
    let candidateList: [Int32]
    /// Whether the key is the candidate's own name or ASCII name (not only an alternate name).
    let candidatePrimary: [Bool]
    /// Per key: bit 0 common word (needs support to count), bit 1 a code-like name, bit 2
    /// written in capitals only, bit 3 written in capitals by some name.
    let keyFlags: [UInt8]

    /// cos(latitude) per entity, for distances (NaN without coordinates).
    let cosLatitude: [Double]

    /// Least confidence for a place to be reported.
    public let minConfidence: Double
    /// What was loaded, for logs and `winnow check`.
    public let summary: String
    /// Malformed rows left out, per places file; kept with the gazetteer (and its cache) so
    /// every load reports them, not only the one that built it.
    public let skippedRows: [SkippedRows]

    init(kind: [UInt8], geonameid: [UInt32], entityName: [String], countryOf: [Int32], regionOf: [Int32],
         latitude: [Float], longitude: [Float], population: [UInt32], featureClass: [UInt8], featureCode: [String],
         countries: [Country], regions: [Region], names: KeySet, candidateStart: [UInt32], candidateList: [Int32],
         candidatePrimary: [Bool], keyFlags: [UInt8], minConfidence: Double, summary: String,
         skippedRows: [SkippedRows]) {
        self.kind = kind
        self.geonameid = geonameid
        self.entityName = entityName
        self.countryOf = countryOf
        self.regionOf = regionOf
        self.latitude = latitude
        self.cosLatitude = latitude.map { cos(Double($0) * (Double.pi / 180)) }
        self.longitude = longitude
        self.population = population
        self.featureClass = featureClass
        self.featureCode = featureCode
        self.countries = countries
        self.regions = regions
        self.names = names
        self.candidateStart = candidateStart
        self.candidateList = candidateList
        self.candidatePrimary = candidatePrimary
        self.keyFlags = keyFlags
        self.minConfidence = minConfidence
        self.summary = summary
        self.skippedRows = skippedRows
    }

    public func candidates(ofKey k: Int) -> ArraySlice<Int32> {
        candidateList[Int(candidateStart[k]) ..< Int(candidateStart[k + 1])]
    }

    /// Whether key k is candidate `index` (0-based within the key's candidates) own name.
    public func isPrimaryName(key k: Int, candidate index: Int) -> Bool {
        candidatePrimary[Int(candidateStart[k]) + index]
    }

    public func isCommonWord(key k: Int) -> Bool { keyFlags[k] & 1 != 0 }

    /// Whether every name of key k is written in capitals (`US`, `США`).
    public func isCapitalsOnly(key k: Int) -> Bool { keyFlags[k] & 4 != 0 }

    /// Whether some name of key k is written in capitals.
    public func hasCapitals(key k: Int) -> Bool { keyFlags[k] & 8 != 0 }
    /// Whether an alias of key `k` is written in lowercase ("казахстанский"): lowercase text matches it.
    public func matchesLowercase(key k: Int) -> Bool { keyFlags[k] & 16 != 0 }

    // MARK: Entity accessors

    public func kind(of e: Int32) -> Kind { Kind(rawValue: kind[Int(e)]) ?? .place }
    public func geonameid(of e: Int32) -> UInt32 { geonameid[Int(e)] }
    public func name(of e: Int32) -> String { entityName[Int(e)] }
    public func population(of e: Int32) -> UInt32 { population[Int(e)] }
    public func featureClass(of e: Int32) -> Character { Character(Unicode.Scalar(featureClass[Int(e)])) }
    public func featureCode(of e: Int32) -> String { featureCode[Int(e)] }

    public func country(of e: Int32) -> Country? {
        let c = countryOf[Int(e)]
        return c >= 0 ? countries[Int(c)] : nil
    }

    public func countryIndex(of e: Int32) -> Int32 { countryOf[Int(e)] }
    public func regionIndex(of e: Int32) -> Int32 { regionOf[Int(e)] }

    public func region(of e: Int32) -> Region? {
        let r = regionOf[Int(e)]
        return r >= 0 ? regions[Int(r)] : nil
    }

    /// Coordinates, or nil when unknown.
    public func coordinates(of e: Int32) -> (lat: Double, lon: Double)? {
        let lat = latitude[Int(e)], lon = longitude[Int(e)]
        return lat.isNaN || lon.isNaN ? nil : (Double(lat), Double(lon))
    }

    /// Great-circle distance in kilometres, or nil when either lacks coordinates.
    func distance(_ a: Int32, _ b: Int32) -> Double? {
        guard let p = coordinates(of: a), let q = coordinates(of: b) else { return nil }
        let r = 6371.0, rad = Double.pi / 180
        let dLat = (q.lat - p.lat) * rad, dLon = (q.lon - p.lon) * rad
        // cos(lat * rad) of each entity is computed once, by the same expression.
        let h = sin(dLat / 2) * sin(dLat / 2) + cosLatitude[Int(a)] * cosLatitude[Int(b)] * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }

    /// The distance in kilometres when it may be below `limit`; nil when it is not (or unknown).
    ///
    /// The latitude difference alone bounds a great-circle distance from below (R·|Δφ|), so
    /// most pairs (different countries) need no trigonometry. The margin keeps the bound on
    /// the safe side of rounding: a pair skipped here is never below `limit` in `distance`.
    func distance(_ a: Int32, _ b: Int32, ifBelow limit: Double) -> Double? {
        let dLat = abs(Double(latitude[Int(a)]) - Double(latitude[Int(b)]))
        if dLat * (Double.pi / 180) * 6371.0 > limit * (1 + 1e-9) { return nil }
        return distance(a, b)
    }
}

#if canImport(Glibc)
import Glibc
#endif
