import Foundation
import WinnowDiagnostics
@testable import WinnowGazetteer
import WinnowTestSupport
import XCTest

/// Bad input in GeoNames files, as fuzzing found it: a byte order mark, ids that do not fit,
/// impossible coordinates. A few bad rows are skipped and reported; none slips through.
final class GeoNamesReaderTests: XCTestCase {
    static let bom = "\u{FEFF}"

    /// A 19-column places row; Aktobe's unless told otherwise.
    static func placeRow(id: String = "610611", name: String = "Aktobe", latitude: String = "50.27969",
                         longitude: String = "57.20718", admin1: String = "04", population: String = "500757") -> String {
        [id, name, name, "Aktyubinsk,Aqtobe", latitude, longitude, "P", "PPL", "KZ", "", admin1, "", "", "",
         population, "", "", "Asia/Almaty", ""].joined(separator: "\t")
    }

    static let astana = placeRow(id: "1526273", name: "Astana", latitude: "51.1801", longitude: "71.44598",
                                 admin1: "05", population: "1544142")

    private func malformed(_ text: String, keep: Bool = true) -> GeoNamesReader.Malformed {
        GeoNamesReader.places(Array(text.utf8), keep: { _, _ in keep }) { _ in }
    }

    private func folded(_ g: Gazetteer) -> Set<String> {
        Set((0 ..< g.names.count).map { String(decoding: g.names.key($0), as: UTF8.self) })
    }

    func testBuild_whenEveryFileStartsWithABOM_keepsEachFirstRow() throws {
        let dir = TempFolder()
        var spec = GazetteerSpec()
        spec.placeFiles = [try dir.write("cities.txt", Self.bom + Self.placeRow() + "\n" + Self.astana + "\n")]
        spec.countryFile = try dir.write("countryInfo.txt", Self.bom
            + "KZ\tKAZ\t398\tKZ\tKazakhstan\tNur-Sultan\t0\t18276499\tAS\t\t\t\t\t\t\t\t1522867\t\t\n")
        spec.admin1File = try dir.write("admin1.txt", Self.bom + "KZ.04\tAqtöbe oblysy\tAqtobe oblysy\t610688\n")
        // Only this file's names turn the region's display name from Aqtobe into Aktobe.
        spec.admin1ExtraFile = try dir.write("admin1Extra.tsv", Self.bom + "KZ.04\t\tRegion\tAktobe,Актюбинская Область\n")
        spec.aliasFiles = [try dir.write("aliases.tsv", Self.bom + "KZ\tKazakh, Qazaq\n")]
        spec.commonWordFiles = [try dir.write("common-words.txt", Self.bom + "Astana\n")]

        let g = try GazetteerBuilder.build(spec, cache: nil)
        XCTAssertEqual(g.skippedRows, [])
        XCTAssertEqual(Set(g.geonameid), [610611, 1526273, 1522867, 610688])
        XCTAssertEqual(g.countries.map(\.iso), ["KZ"])
        XCTAssertEqual(g.regions.map(\.code), ["KZ.04"])
        XCTAssertEqual(g.regions.map(\.name), ["Aktobe"])
        XCTAssertTrue(folded(g).isSuperset(of: ["aktobe", "kazakh", "qazaq"]), "\(folded(g).sorted())")
        let astana = try XCTUnwrap((0 ..< g.names.count).first { String(decoding: g.names.key($0), as: UTF8.self) == "astana" })
        XCTAssertTrue(g.isCommonWord(key: astana))
    }

    func testBuild_whenAFewRowsAreMalformed_skipsThemAndReportsTheFirstAndTheCount() throws {
        let dir = TempFolder()
        let rows = [
            Self.placeRow(),
            Self.placeRow(id: "4294967296", name: "Aktau"),
            Self.placeRow(id: "610612", name: "Aktau", latitude: "99999", longitude: "-99999"),
            Self.placeRow(id: "610613", name: "Nanville", latitude: "nan", longitude: "inf"),
            Self.placeRow(id: "610614", name: "Bigville", latitude: "1e999", longitude: "-1e999"),
            Self.placeRow(id: "610615", name: "Textville", latitude: "abc", longitude: ""),
            "1\t2\t3",
            "",
            Self.astana,
        ]
        let path = try dir.write("cities.txt", rows.joined(separator: "\n") + "\n")
        var spec = GazetteerSpec()
        spec.placeFiles = [path]
        let g = try GazetteerBuilder.build(spec, cache: nil)
        XCTAssertEqual(g.skippedRows, [SkippedRows(path: path, count: 6, firstLine: 2,
                                                   firstReason: "geonameid '4294967296' is not a number from 1 to 4294967295")])
        XCTAssertEqual(g.skippedRows.first?.message,
                       "skipped 6 malformed rows (first here: geonameid '4294967296' is not a number from 1 to 4294967295)")
        XCTAssertEqual(g.geonameid, [610611, 1526273])
        XCTAssertEqual(g.coordinates(of: 0)?.lat, Double(Float(50.27969)))
    }

    func testBuild_whenOneRowIsMalformed_saysSoWithoutFirstHere() throws {
        let dir = TempFolder()
        let path = try dir.write("cities.txt", Self.placeRow(latitude: "-90.5") + "\n" + Self.astana + "\n")
        var spec = GazetteerSpec()
        spec.placeFiles = [path]
        let g = try GazetteerBuilder.build(spec, cache: nil)
        XCTAssertEqual(g.skippedRows.map(\.message), ["skipped 1 malformed row (latitude '-90.5' is not a number from -90 to 90)"])
    }

    func testBuild_whenNoRowIsMalformed_reportsNothing() throws {
        var spec = GazetteerSpec()
        spec.placeFiles = [GazetteerTests.fixtures + "/cities.txt"]
        XCTAssertEqual(try GazetteerBuilder.build(spec, cache: nil).skippedRows, [])
    }

    func testPlaces_eachKindOfMalformedRow_isCountedWithItsReason() {
        let long = String(repeating: "9", count: 50)
        let cases: [(row: String, reason: String?)] = [
            (Self.placeRow(), nil),
            (Self.placeRow(latitude: "90", longitude: "-180"), nil),
            (Self.placeRow(latitude: "-90", longitude: "180"), nil),
            (Self.placeRow(id: "4294967295"), nil),
            (Self.placeRow(id: "4294967296"), "geonameid '4294967296' is not a number from 1 to 4294967295"),
            (Self.placeRow(id: "0"), "geonameid '0' is not a number from 1 to 4294967295"),
            (Self.placeRow(id: "-1"), "geonameid '-1' is not a number from 1 to 4294967295"),
            (Self.placeRow(id: ""), "geonameid '' is not a number from 1 to 4294967295"),
            (Self.placeRow(id: long), "geonameid '\(long.prefix(40))…' is not a number from 1 to 4294967295"),
            (Self.placeRow(latitude: "99999"), "latitude '99999' is not a number from -90 to 90"),
            (Self.placeRow(latitude: "90.01"), "latitude '90.01' is not a number from -90 to 90"),
            (Self.placeRow(latitude: "nan"), "latitude 'nan' is not a number from -90 to 90"),
            (Self.placeRow(latitude: "-inf"), "latitude '-inf' is not a number from -90 to 90"),
            (Self.placeRow(latitude: "1e999"), "latitude '1e999' is not a number from -90 to 90"),
            (Self.placeRow(latitude: "abc"), "latitude 'abc' is not a number from -90 to 90"),
            (Self.placeRow(latitude: ""), "latitude '' is not a number from -90 to 90"),
            (Self.placeRow(longitude: "180.5"), "longitude '180.5' is not a number from -180 to 180"),
            (Self.placeRow(longitude: "inf"), "longitude 'inf' is not a number from -180 to 180"),
            ("1\t2\t3", "expected the 19 tab-separated columns of GeoNames, found 3"),
            ("garbage", "expected the 19 tab-separated columns of GeoNames, found 1"),
        ]
        for (row, reason) in cases {
            let bad = malformed(Self.astana + "\n" + row + "\n\n")
            XCTAssertEqual(bad.count, reason == nil ? 0 : 1, row)
            XCTAssertEqual(bad.first?.line, reason == nil ? nil : 2, row)
            XCTAssertEqual(bad.first?.reason, reason, row)
        }
    }

    func testPlaces_whenARowIsFilteredOut_checksOnlyItsLayoutAndId() {
        XCTAssertEqual(malformed(Self.placeRow(latitude: "99999"), keep: false).count, 0)
        XCTAssertEqual(malformed(Self.placeRow(id: "0"), keep: false).count, 1)
    }

    func testPlaces_whenFileStartsWithABOM_readsTheFirstRow() {
        var ids: [UInt32] = []
        let bad = GeoNamesReader.places(Array((Self.bom + Self.placeRow()).utf8), keep: { _, _ in true }) { ids.append($0.geonameid) }
        XCTAssertEqual(bad.count, 0)
        XCTAssertEqual(ids, [610611])
    }

    func testPlaces_whenFileIsOnlyABOM_hasNoRows() {
        XCTAssertEqual(malformed(Self.bom).count, 0)
    }
}
