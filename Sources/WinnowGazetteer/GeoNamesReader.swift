/// Parsers for the official GeoNames dump layouts (https://download.geonames.org/export/dump/).
///
/// They work on bytes and never build a String for a column they do not keep: reading the 35 MB
/// `cities500.txt` is part of every reload that touches the gazetteer.
enum GeoNamesReader {
    /// One row of a 19-column places file (`cities500.txt`, `allCountries.txt`, …).
    struct PlaceRow {
        var geonameid: UInt32
        var name: String
        var asciiName: String
        /// The raw comma-separated alternate names column.
        var alternateNames: ArraySlice<UInt8>
        var latitude: Float
        var longitude: Float
        var featureClass: UInt8
        var featureCode: String
        var country: String
        var admin1: String
        var population: UInt32
    }

    /// The malformed lines of one file: how many, and the first with why it was skipped.
    struct Malformed {
        var count = 0
        var first: (line: Int, reason: String)?

        mutating func add(line: Int, _ reason: @autoclosure () -> String) {
            count += 1
            if first == nil { first = (line, reason()) }
        }
    }

    /// Calls `row` for each well-formed line that `keep` accepts; returns the malformed lines
    /// (blank lines are neither). Coordinates are checked only on kept rows: parsing them on
    /// every row of `allCountries.txt` when `keep-countries` keeps a few would cost seconds.
    static func places(_ bytes: [UInt8], keep: (_ country: ArraySlice<UInt8>, _ population: UInt32) -> Bool,
                       row: (PlaceRow) -> Void) -> Malformed {
        var bad = Malformed()
        var line = 0
        forEachLine(bytes) { fields in
            line += 1
            if fields.count == 1 && fields[0].isEmpty { return }
            guard fields.count >= 15 else {
                bad.add(line: line, "expected the 19 tab-separated columns of GeoNames, found \(fields.count)")
                return
            }
            guard let id = UInt32(ascii: fields[0]), id > 0 else {
                bad.add(line: line, "geonameid '\(excerpt(fields[0]))' is not a number from 1 to \(UInt32.max)")
                return
            }
            let population = UInt32(ascii: fields[14]) ?? 0
            guard keep(fields[8], population) else { return }
            // Alerts carry coordinates as given, and distances between places weigh candidates.
            guard let latitude = coordinate(fields[4], limit: 90) else {
                bad.add(line: line, "latitude '\(excerpt(fields[4]))' is not a number from -90 to 90")
                return
            }
            guard let longitude = coordinate(fields[5], limit: 180) else {
                bad.add(line: line, "longitude '\(excerpt(fields[5]))' is not a number from -180 to 180")
                return
            }
            row(PlaceRow(
                geonameid: id,
                name: String(decoding: fields[1], as: UTF8.self),
                asciiName: String(decoding: fields[2], as: UTF8.self),
                alternateNames: fields[3],
                latitude: latitude,
                longitude: longitude,
                featureClass: fields[6].first ?? UInt8(ascii: "P"),
                featureCode: String(decoding: fields[7], as: UTF8.self),
                country: String(decoding: fields[8], as: UTF8.self),
                admin1: String(decoding: fields[10], as: UTF8.self),
                population: population))
        }
        return bad
    }

    /// A finite degree value within ±`limit`; nil for anything else (text, nan, inf, 99999).
    static func coordinate(_ field: ArraySlice<UInt8>, limit: Float) -> Float? {
        guard let v = Float(String(decoding: field, as: UTF8.self)), v.isFinite, abs(v) <= limit else { return nil }
        return v
    }

    /// A field for a message: at most 40 characters, so a binary line cannot flood the output.
    static func excerpt(_ field: ArraySlice<UInt8>) -> String {
        let text = String(decoding: field, as: UTF8.self)
        return text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    struct CountryRow {
        var iso: String
        var name: String
        var capital: String
        var population: UInt32
        var geonameid: UInt32
    }

    /// `countryInfo.txt`: lines starting with `#` are comments.
    static func countries(_ bytes: [UInt8]) -> [CountryRow] {
        var out: [CountryRow] = []
        forEachLine(bytes) { f in
            guard f.count >= 17, f[0].first != UInt8(ascii: "#"), f[0].count == 2 else { return }
            out.append(CountryRow(iso: String(decoding: f[0], as: UTF8.self), name: String(decoding: f[4], as: UTF8.self),
                                  capital: String(decoding: f[5], as: UTF8.self),
                                  population: UInt32(ascii: f[7]) ?? 0, geonameid: UInt32(ascii: f[16]) ?? 0))
        }
        return out
    }

    struct Admin1Row {
        var code: String
        var name: String
        var asciiName: String
        var geonameid: UInt32
    }

    /// `admin1CodesASCII.txt`: `CC.ADM1`, name, asciiname, geonameid.
    static func admin1(_ bytes: [UInt8]) -> [Admin1Row] {
        var out: [Admin1Row] = []
        forEachLine(bytes) { f in
            guard f.count >= 4, f[0].first != UInt8(ascii: "#"), f[0].contains(UInt8(ascii: ".")) else { return }
            out.append(Admin1Row(code: String(decoding: f[0], as: UTF8.self), name: String(decoding: f[1], as: UTF8.self),
                                 asciiName: String(decoding: f[2], as: UTF8.self), geonameid: UInt32(ascii: f[3]) ?? 0))
        }
        return out
    }

    /// `admin1Extra.tsv` (not a GeoNames file; shipped beside them): `CC.ADM1`, ISO 3166-2 code,
    /// type, comma-separated alternate names.
    static func admin1Extra(_ bytes: [UInt8]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        forEachLine(bytes) { f in
            guard f.count >= 4, f[0].first != UInt8(ascii: "#") else { return }
            let names = String(decoding: f[3], as: UTF8.self).split(separator: ",").map(String.init)
            out[String(decoding: f[0], as: UTF8.self)] = names
        }
        return out
    }

    /// 3 when `bytes` start with a UTF-8 byte order mark, else 0. Editors on Windows add one;
    /// left in place it would become part of the first row's first field.
    static func byteOrderMarkLength(_ bytes: [UInt8]) -> Int {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Splits on `\n` and `\t` without copying, after any byte order mark.
    static func forEachLine(_ bytes: [UInt8], _ body: ([ArraySlice<UInt8>]) -> Void) {
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(20)
        var start = byteOrderMarkLength(bytes)
        var fieldStart = start
        let n = bytes.count
        var i = start
        while i <= n {
            let b: UInt8 = i < n ? bytes[i] : 0x0A
            if b == 0x09 {
                fields.append(bytes[fieldStart ..< i])
                fieldStart = i + 1
            } else if b == 0x0A {
                var end = i
                if end > fieldStart, bytes[end - 1] == 0x0D { end -= 1 }
                if i > start || i < n {
                    fields.append(bytes[fieldStart ..< end])
                    body(fields)
                }
                fields.removeAll(keepingCapacity: true)
                start = i + 1
                fieldStart = start
            }
            i += 1
        }
    }
}

extension UInt32 {
    /// Parses decimal ASCII digits; nil for empty or non-digit input.
    init?(ascii: ArraySlice<UInt8>) {
        guard !ascii.isEmpty, ascii.count <= 10 else { return nil }
        var v: UInt64 = 0
        for b in ascii {
            guard b >= 0x30, b <= 0x39 else { return nil }
            v = v * 10 + UInt64(b - 0x30)
        }
        guard v <= UInt64(UInt32.max) else { return nil }
        self = UInt32(v)
    }
}
