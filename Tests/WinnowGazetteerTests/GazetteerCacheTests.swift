import Foundation
import WinnowCache
import WinnowDiagnostics
@testable import WinnowGazetteer
import WinnowMatching
import WinnowTestSupport
import WinnowText
import XCTest

/// The on-disk gazetteer cache: what it reads back equals what was built, and anything wrong
/// with the file (stale, damaged, unwritable folder) falls back to building.
final class GazetteerCacheTests: XCTestCase {
    private func spec(_ folder: TempFolder) throws -> GazetteerSpec {
        // A copy of the fixtures, so a test may touch them without disturbing others.
        var spec = GazetteerSpec()
        for name in ["cities.txt", "countryInfo.txt", "admin1CodesASCII.txt", "admin1Extra.tsv", "common-words.txt"] {
            try folder.write(name, Data(contentsOf: URL(fileURLWithPath: GazetteerTests.fixtures + "/" + name)))
        }
        spec.placeFiles = [folder.path + "/cities.txt"]
        spec.countryFile = folder.path + "/countryInfo.txt"
        spec.admin1File = folder.path + "/admin1CodesASCII.txt"
        spec.admin1ExtraFile = folder.path + "/admin1Extra.tsv"
        spec.aliases = [.init(target: "KZ", names: ["Kazakh", "Казахстан"], origin: SourceLocation(path: "test", line: 1, column: 1))]
        spec.commonWordFiles = [folder.path + "/common-words.txt"]
        return spec
    }

    private func fresh(_ spec: GazetteerSpec) throws -> Gazetteer {
        try GazetteerBuilder.build(spec, cache: nil)
    }

    private func assertSame(_ a: Gazetteer, _ b: Gazetteer, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(GazetteerCache.encode(a), GazetteerCache.encode(b), file: file, line: line)
        XCTAssertEqual(a.names.bytes, b.names.bytes, file: file, line: line)
        XCTAssertEqual(a.entityName, b.entityName, file: file, line: line)
        XCTAssertEqual(a.regions.map(\.name), b.regions.map(\.name), file: file, line: line)
        XCTAssertEqual(a.summary, b.summary, file: file, line: line)
    }

    func testSavedGazetteer_readsBackEqual() throws {
        let data = TempFolder(), cache = TempFolder()
        let spec = try spec(data)
        let store = CacheStore(directory: cache.path + "/sub/winnow")
        let built = try fresh(spec)
        XCTAssertNil(GazetteerCache.load(spec, from: store))
        GazetteerCache.save(built, spec: spec, to: store)
        XCTAssertEqual(cache.list("sub/winnow"), [GazetteerCache.fileName(spec)], "no temporary file is left behind")
        let loaded = try XCTUnwrap(GazetteerCache.load(spec, from: store))
        assertSame(built, loaded)
        XCTAssertEqual(loaded.geonameid(of: loaded.countries[0].entity), built.geonameid(of: built.countries[0].entity))
    }

    func testSavedGazetteer_keepsTheRowsItSkipped() throws {
        let data = TempFolder(), cache = TempFolder()
        var spec = try spec(data)
        let bad = GeoNamesReaderTests.placeRow(id: "610699", name: "Nowhere", latitude: "99999")
        let original = try Data(contentsOf: URL(fileURLWithPath: spec.placeFiles[0]))
        spec.placeFiles = [try data.write("cities.txt", original + Data((bad + "\n").utf8))]
        let store = CacheStore(directory: cache.path)
        let built = try fresh(spec)
        XCTAssertEqual(built.skippedRows.map(\.firstReason), ["latitude '99999' is not a number from -90 to 90"])
        GazetteerCache.save(built, spec: spec, to: store)
        let loaded = try XCTUnwrap(GazetteerCache.load(spec, from: store))
        XCTAssertEqual(loaded.skippedRows, built.skippedRows, "a start that reads the cache reports them too")
    }

    func testChangedFileOrSpec_isAMiss() throws {
        let data = TempFolder(), cache = TempFolder()
        var spec = try spec(data)
        let store = CacheStore(directory: cache.path)
        GazetteerCache.save(try fresh(spec), spec: spec, to: store)
        XCTAssertNotNil(GazetteerCache.load(spec, from: store))
        // Same size, other modification time.
        let path = spec.placeFiles[0]
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
        XCTAssertNil(GazetteerCache.load(spec, from: store))
        GazetteerCache.save(try fresh(spec), spec: spec, to: store)
        XCTAssertNotNil(GazetteerCache.load(spec, from: store))
        spec.minConfidence = 0.7
        XCTAssertNil(GazetteerCache.load(spec, from: store))
    }

    func testOneFolderNamedTwoWays_sharesOneEntry_andNamesFilesAsWrittenNow() throws {
        let data = TempFolder(), cache = TempFolder(), links = TempFolder()
        var spec = try spec(data)
        let bad = GeoNamesReaderTests.placeRow(id: "610699", name: "Nowhere", latitude: "99999")
        let original = try Data(contentsOf: URL(fileURLWithPath: spec.placeFiles[0]))
        spec.placeFiles = [try data.write("cities.txt", original + Data((bad + "\n").utf8))]
        let store = CacheStore(directory: cache.path)
        GazetteerCache.save(try fresh(spec), spec: spec, to: store)
        // The same files through a symlink to their folder, spelt with a `.` on the way.
        XCTAssertEqual(symlink(data.path, links.path + "/rules"), 0)
        let other = links.path + "/./rules"
        var renamed = spec
        renamed.placeFiles = [other + "/cities.txt"]
        renamed.countryFile = other + "/countryInfo.txt"
        renamed.admin1File = other + "/admin1CodesASCII.txt"
        renamed.admin1ExtraFile = other + "/admin1Extra.tsv"
        renamed.commonWordFiles = [other + "/common-words.txt"]
        XCTAssertEqual(GazetteerCache.fileName(renamed), GazetteerCache.fileName(spec))
        let loaded = try XCTUnwrap(GazetteerCache.load(renamed, from: store), "the entry the other name saved")
        XCTAssertEqual(loaded.skippedRows.map(\.path), [other + "/cities.txt"], "reported as this spec writes the file")
        XCTAssertEqual(try XCTUnwrap(GazetteerCache.load(spec, from: store)).skippedRows.map(\.path), spec.placeFiles)
    }

    func testDamagedFile_isAMissAndIsRebuilt() throws {
        let data = TempFolder(), cache = TempFolder()
        let spec = try spec(data)
        let store = CacheStore(directory: cache.path)
        let built = try fresh(spec)
        GazetteerCache.save(built, spec: spec, to: store)
        let path = cache.path + "/" + GazetteerCache.fileName(spec)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        for damage in [good.prefix(good.count / 2), good.prefix(10), Data(),
                       { var d = good; d[d.count - 100] ^= 0x40; return d }(),
                       { var d = good; d[3] ^= 1; return d }()] {
            try damage.write(to: URL(fileURLWithPath: path))
            XCTAssertNil(GazetteerCache.load(spec, from: store))
        }
        // A payload that passes the checksum but is inconsistent is refused by the decoder too.
        var w = ByteWriter()
        w.write([UInt8]([0, 1]))
        var r = ByteReader(w.bytes)
        XCTAssertNil(GazetteerCache.decode(&r))
        var payload = GazetteerCache.encode(built)
        payload.removeLast()
        r = ByteReader(payload)
        XCTAssertNil(GazetteerCache.decode(&r))
    }

    func testUnwritableFolder_isSkippedSilently() throws {
        let data = TempFolder()
        let spec = try spec(data)
        let store = CacheStore(directory: "/proc/winnow-cache-test")
        GazetteerCache.save(try fresh(spec), spec: spec, to: store)
        XCTAssertNil(GazetteerCache.load(spec, from: store))
    }

    func testStore_keepsTheMostRecentlyUsedFilesOfAFamily() {
        let cache = TempFolder()
        let store = CacheStore(directory: cache.path)
        let key = [UInt8](repeating: 7, count: 32)
        for i in 0 ..< 6 {
            store.store(name: "t-\(i).bin", key: key, payload: [UInt8(i)], family: "t-")
            var times = [timespec(tv_sec: 1000 + i, tv_nsec: 0), timespec(tv_sec: 1000 + i, tv_nsec: 0)]
            utimensat(AT_FDCWD, cache.path + "/t-\(i).bin", &times, 0)
        }
        store.store(name: "other.bin", key: key, payload: [9], family: "other")
        XCTAssertEqual(cache.list(""), ["other.bin", "t-2.bin", "t-3.bin", "t-4.bin", "t-5.bin"])
        // Reading a file marks it used: t-2 now outlives t-3 when t-6 arrives.
        XCTAssertEqual(store.load(name: "t-2.bin", key: key), [2])
        store.store(name: "t-6.bin", key: key, payload: [6], family: "t-")
        XCTAssertEqual(cache.list(""), ["other.bin", "t-2.bin", "t-4.bin", "t-5.bin", "t-6.bin"])
        XCTAssertNil(store.load(name: "t-2.bin", key: [UInt8](repeating: 8, count: 32)))
    }

    func testStandardFolder_followsTheEnvironmentInOrder() {
        func folder(_ env: [String: String]) -> String? { CacheStore.standard(environment: { env[$0] })?.directory }
        let all = ["WINNOW_CACHE_DIR": "/w", "CACHE_DIRECTORY": "/s1:/s2", "XDG_CACHE_HOME": "/x", "HOME": "/h"]
        XCTAssertEqual(folder(all), "/w")
        XCTAssertEqual(folder(all.filter { $0.key != "WINNOW_CACHE_DIR" }), "/s1")
        XCTAssertEqual(folder(["XDG_CACHE_HOME": "/x", "HOME": "/h"]), "/x/winnow")
        XCTAssertEqual(folder(["HOME": "/h", "WINNOW_CACHE_DIR": ""]), "/h/.cache/winnow")
        XCTAssertNil(folder([:]))
    }
}
