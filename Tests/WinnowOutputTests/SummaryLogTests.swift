import Foundation
import WinnowOutput
import WinnowTestSupport
import XCTest

final class SummaryLogTests: XCTestCase {
    private let state = SummaryState(ruleset: "3c469cd3b3a2ab2b", rules: 26, queueDepth: 4)

    private func nowNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    private func window(documents: Int = 3) -> SummaryWindow {
        var w = SummaryWindow(startNanos: nowNanos() - 900_000_000_000)
        w.documents = documents
        w.alerts = 2
        w.byLevel = ["high": 2, "none": 1]
        w.tags = ["extremism": 2, "criminality": 1]
        w.places = ["Aktobe (KZ)": 2]
        w.failures = ["binary": 1, "too-large": 2]
        w.duplicates = 1
        w.reloads = 1
        w.failedReloads = 1
        return w
    }

    private func read(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    private func setModified(_ path: String, secondsAgo: Int) {
        var times = [timespec(tv_sec: time(nil) - secondsAgo, tv_nsec: 0), timespec(tv_sec: time(nil) - secondsAgo, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0)
    }

    func testWrite_appendsAReadableBlockAndItsJSONTwin() throws {
        let dir = TempFolder()
        let log = SummaryLog(folder: dir.path)
        var s = state
        s.lastReloadError = "rules/x.yaml:14:9: error: unknown key 'condtion'"
        try log.write(window(), endNanos: nowNanos(), state: s, final: true)

        let text = read(log.textPath)
        XCTAssertTrue(text.hasPrefix("== winnow summary "), text)
        XCTAssertTrue(text.contains("(shutdown) =="), text)
        XCTAssertTrue(text.contains("documents   3 classified, 3 failed, 1 duplicates"), text)
        XCTAssertTrue(text.contains("queue 4"), text)
        XCTAssertTrue(text.contains("alerts      2 (documents by level: high 2, none 1)"), text)
        XCTAssertTrue(text.contains("top tags    extremism 2, criminality 1"), text)
        XCTAssertTrue(text.contains("top places  Aktobe (KZ) 2"), text)
        XCTAssertTrue(text.contains("failures    binary 1, too-large 2"), text)
        XCTAssertTrue(text.contains("reloads 1 ok, 1 failed"), text)
        XCTAssertTrue(text.contains("rule error  rules/x.yaml:14:9: error: unknown key 'condtion' (keeping last good ruleset)"), text)

        let lines = read(log.jsonPath).split(separator: "\n")
        XCTAssertEqual(lines.count, 1)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        XCTAssertEqual(json["documents"] as? Int, 3)
        XCTAssertEqual(json["final"] as? Bool, true)
        XCTAssertEqual(json["failures"] as? [String: Int], ["binary": 1, "too-large": 2])
        XCTAssertEqual(json["queue"] as? Int, 4)
        XCTAssertEqual(json["rule_error"] as? String, s.lastReloadError)
    }

    func testWrite_whenLogGrowsPastMaxBytes_rotatesAndKeepsOnlyKeepFiles() throws {
        let dir = TempFolder()
        let log = SummaryLog(folder: dir.path, maxBytes: 100, keep: 2)
        for n in 1 ... 4 {
            try log.write(window(documents: n), endNanos: nowNanos(), state: state, final: false)
        }
        for path in [log.textPath, log.jsonPath] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".1"), path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".2"), path)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".3"), "keep: 2 keeps two rotated files")
        }
        // Each block is past 100 bytes, so each file holds one: the newest first, then older.
        XCTAssertTrue(read(log.textPath).contains("documents   4 classified"))
        XCTAssertTrue(read(log.textPath + ".1").contains("documents   3 classified"))
        XCTAssertTrue(read(log.textPath + ".2").contains("documents   2 classified"))
        XCTAssertTrue(read(log.jsonPath + ".2").contains(#""documents":2"#))
    }

    func testWrite_whenLogIsFromAnEarlierDay_startsANewFile() throws {
        let dir = TempFolder()
        let log = SummaryLog(folder: dir.path)
        try log.write(window(documents: 1), endNanos: nowNanos(), state: state, final: false)
        try log.write(window(documents: 2), endNanos: nowNanos(), state: state, final: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: log.textPath + ".1"), "same day, small: no rotation")

        setModified(log.textPath, secondsAgo: 2 * 86400)
        setModified(log.jsonPath, secondsAgo: 2 * 86400)
        try log.write(window(documents: 3), endNanos: nowNanos(), state: state, final: false)
        XCTAssertEqual(read(log.textPath + ".1").components(separatedBy: "== winnow summary").count - 1, 2)
        XCTAssertEqual(read(log.textPath).components(separatedBy: "== winnow summary").count - 1, 1)
        XCTAssertTrue(read(log.textPath).contains("documents   3 classified"))
        XCTAssertEqual(read(log.jsonPath + ".1").split(separator: "\n").count, 2)
    }

    func testWrite_whenKeepIsZero_dropsTheFullLog() throws {
        let dir = TempFolder()
        let log = SummaryLog(folder: dir.path, maxBytes: 100, keep: 0)
        try log.write(window(documents: 1), endNanos: nowNanos(), state: state, final: false)
        try log.write(window(documents: 2), endNanos: nowNanos(), state: state, final: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: log.textPath + ".1"))
        XCTAssertTrue(read(log.textPath).contains("documents   2 classified"))
        XCTAssertFalse(read(log.textPath).contains("documents   1 classified"))
    }
}
