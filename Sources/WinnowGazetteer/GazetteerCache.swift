import WinnowCache
import WinnowFiles
import WinnowMatching
import WinnowText

/// A built gazetteer on disk, so a process start reads a few megabytes instead of parsing and
/// sorting the GeoNames files (0.15 s for the shipped pack, seconds for `cities500.txt`).
///
/// The key covers the spec, every file's path, size and modification time, the running binary
/// and the fold table, so any change that could alter the result gives another key. Paths are
/// taken resolved (`resolved`). Bump `format` whenever the payload layout changes.
enum GazetteerCache {
    static let format = "winnow-gazetteer-3"

    /// The spec with every path resolved: one rules folder named two ways (`rules` by an analyst
    /// in it, `/etc/winnow/rules` by the service) is one cache entry, not a cold build each.
    static func resolved(_ spec: GazetteerSpec) -> GazetteerSpec {
        var s = spec
        s.placeFiles = s.placeFiles.map(Files.resolvedPath)
        s.countryFile = s.countryFile.map(Files.resolvedPath)
        s.admin1File = s.admin1File.map(Files.resolvedPath)
        s.admin1ExtraFile = s.admin1ExtraFile.map(Files.resolvedPath)
        s.aliasFiles = s.aliasFiles.map(Files.resolvedPath)
        s.commonWordFiles = s.commonWordFiles.map(Files.resolvedPath)
        for i in s.aliases.indices { s.aliases[i].origin.path = Files.resolvedPath(s.aliases[i].origin.path) }
        return s
    }

    /// `spec` as `resolved` gives it.
    static func key(resolved spec: GazetteerSpec) -> [UInt8] {
        let key = CacheKey(format: format)
        // The reflected spec names every stored property, so a new option joins the key by itself.
        key.add(String(reflecting: spec))
        for path in spec.files { key.addFile(path) }
        // Names are folded with the fold table, which comes from the system's Unicode data.
        FoldTable.shared.withTables { key.add(bytes: $0) }
        return key.finalize()
    }

    /// One file per spec (per rules folder): a changed gazetteer replaces its own file.
    static func fileName(_ spec: GazetteerSpec) -> String { fileName(resolved: resolved(spec)) }

    /// `spec` as `resolved` gives it.
    static func fileName(resolved spec: GazetteerSpec) -> String {
        let name = CacheKey(format: format, binary: false)
        name.add(String(reflecting: spec))
        return CacheStore.fileName(family: "gazetteer-", digest: name.finalize())
    }

    /// The skipped rows name their file as this spec writes it, whichever way the spec that
    /// saved the entry did.
    static func load(_ spec: GazetteerSpec, from store: CacheStore) -> Gazetteer? {
        let r = resolved(spec)
        guard let payload = store.load(name: fileName(resolved: r), key: key(resolved: r)) else { return nil }
        var reader = ByteReader(payload)
        let written = Dictionary(zip(r.placeFiles, spec.placeFiles).map { $0 }, uniquingKeysWith: { first, _ in first })
        return decode(&reader) { written[$0] ?? $0 }
    }

    static func save(_ g: Gazetteer, spec: GazetteerSpec, to store: CacheStore) {
        let r = resolved(spec)
        let resolvedPath = Dictionary(zip(spec.placeFiles, r.placeFiles).map { $0 }, uniquingKeysWith: { first, _ in first })
        store.store(name: fileName(resolved: r), key: key(resolved: r),
                    payload: encode(g, path: { resolvedPath[$0] ?? Files.resolvedPath($0) }), family: "gazetteer-")
    }

    /// `path` maps the skipped rows' file paths as they are written.
    static func encode(_ g: Gazetteer, path: (String) -> String = { $0 }) -> [UInt8] {
        var w = ByteWriter()
        w.write(g.kind)
        w.write(g.geonameid)
        w.write(strings: g.entityName)
        w.write(g.countryOf)
        w.write(g.regionOf)
        w.write(g.latitude)
        w.write(g.longitude)
        w.write(g.population)
        w.write(g.featureClass)
        w.write(strings: g.featureCode)
        w.write(strings: g.countries.map(\.iso))
        w.write(strings: g.countries.map(\.name))
        w.write(g.countries.map(\.entity))
        w.write(strings: g.regions.map(\.code))
        w.write(strings: g.regions.map(\.name))
        w.write(g.regions.map(\.country))
        w.write(g.regions.map(\.entity))
        w.write(g.names.bytes)
        w.write(g.names.ends)
        w.write(g.names.flags)
        w.write(g.candidateStart)
        w.write(g.candidateList)
        w.write(g.candidatePrimary.map { $0 ? UInt8(1) : 0 })
        w.write(g.keyFlags)
        w.write(g.minConfidence)
        w.write(g.summary)
        w.write(strings: g.skippedRows.map { path($0.path) })
        w.write(g.skippedRows.map { UInt64($0.count) })
        w.write(g.skippedRows.map { UInt64($0.firstLine) })
        w.write(strings: g.skippedRows.map(\.firstReason))
        return w.bytes
    }

    /// Reads a gazetteer back, checking every index the accessors use without bounds checks of
    /// their own would trap on: a damaged file is a miss, never a crash.
    /// `path` maps the skipped rows' file paths as they are read.
    static func decode(_ r: inout ByteReader, path: (String) -> String = { $0 }) -> Gazetteer? {
        guard let kind = r.read([UInt8].self), let geonameid = r.read([UInt32].self),
              let entityName = r.readStrings(), let countryOf = r.read([Int32].self),
              let regionOf = r.read([Int32].self), let latitude = r.read([Float].self),
              let longitude = r.read([Float].self), let population = r.read([UInt32].self),
              let featureClass = r.read([UInt8].self), let featureCode = r.readStrings(),
              let countryISO = r.readStrings(), let countryName = r.readStrings(), let countryEntity = r.read([Int32].self),
              let regionCode = r.readStrings(), let regionName = r.readStrings(),
              let regionCountry = r.read([Int32].self), let regionEntity = r.read([Int32].self),
              let nameBytes = r.read([UInt8].self), let nameEnds = r.read([UInt32].self), let nameFlags = r.read([UInt8].self),
              let candidateStart = r.read([UInt32].self), let candidateList = r.read([Int32].self),
              let candidatePrimary = r.read([UInt8].self), let keyFlags = r.read([UInt8].self),
              let minConfidence = r.readDouble(), let summary = r.readString(),
              let skippedPath = r.readStrings(), let skippedCount = r.read([UInt64].self),
              let skippedLine = r.read([UInt64].self), let skippedReason = r.readStrings(), r.isAtEnd
        else { return nil }
        let entities = kind.count
        let countries = countryISO.count, regions = regionCode.count
        guard [geonameid.count, entityName.count, countryOf.count, regionOf.count, latitude.count, longitude.count,
               population.count, featureClass.count, featureCode.count].allSatisfy({ $0 == entities }),
              countryName.count == countries, countryEntity.count == countries,
              regionName.count == regions, regionCountry.count == regions, regionEntity.count == regions,
              countryOf.allSatisfy({ $0 >= -1 && $0 < countries }), regionOf.allSatisfy({ $0 >= -1 && $0 < regions }),
              countryEntity.allSatisfy({ $0 >= 0 && $0 < entities }), regionEntity.allSatisfy({ $0 >= 0 && $0 < entities }),
              regionCountry.allSatisfy({ $0 >= -1 && $0 < countries }),
              let names = KeySet(bytes: nameBytes, ends: nameEnds, flags: nameFlags),
              candidateStart.count == names.count + 1, candidateStart.first == 0,
              candidateStart.last.map({ Int($0) == candidateList.count }) == true,
              zip(candidateStart, candidateStart.dropFirst()).allSatisfy({ $0 <= $1 }),
              candidateList.allSatisfy({ $0 >= 0 && $0 < entities }),
              candidatePrimary.count == candidateList.count, keyFlags.count == names.count,
              [skippedCount.count, skippedLine.count, skippedReason.count].allSatisfy({ $0 == skippedPath.count }),
              (skippedCount + skippedLine).allSatisfy({ $0 <= UInt64(Int.max) })
        else { return nil }
        return Gazetteer(
            kind: kind, geonameid: geonameid, entityName: entityName, countryOf: countryOf, regionOf: regionOf,
            latitude: latitude, longitude: longitude, population: population, featureClass: featureClass,
            featureCode: featureCode,
            countries: (0 ..< countries).map { .init(iso: countryISO[$0], name: countryName[$0], entity: countryEntity[$0]) },
            regions: (0 ..< regions).map {
                .init(code: regionCode[$0], name: regionName[$0], country: regionCountry[$0], entity: regionEntity[$0])
            },
            names: names, candidateStart: candidateStart, candidateList: candidateList,
            candidatePrimary: candidatePrimary.map { $0 != 0 }, keyFlags: keyFlags,
            minConfidence: minConfidence, summary: summary,
            skippedRows: skippedPath.indices.map {
                SkippedRows(path: path(skippedPath[$0]), count: Int(skippedCount[$0]), firstLine: Int(skippedLine[$0]),
                            firstReason: skippedReason[$0])
            })
    }
}
