import Foundation
import WinnowOutput
import WinnowTestSupport
import XCTest

final class AlertLogTests: XCTestCase {
    private func alert(_ id: String) -> [UInt8] {
        Array(#"{"schema":1,"id":"\#(id)","time":"2026-11-26T02:16:15.123Z"}"#.utf8)
    }

    /// Lines are written many to a write(2), up to a chunk's size: a group larger than a chunk,
    /// and a line larger than a chunk, still land whole, in order, each on its own line.
    func testAppend_groupLargerThanOneWrite_landsWholeAndInOrder() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        let long = Array(repeating: UInt8(ascii: "x"), count: (1 << 20) + 17)
        let lines = (0 ..< 40_000).map { alert("a\($0)") } + [long, alert("after")]
        try log.append(lines: lines)
        try log.append(lines: [alert("next")])
        let written = try Data(contentsOf: URL(fileURLWithPath: log.path))
        XCTAssertGreaterThan(written.count, 2 << 20, "more than one chunk")
        XCTAssertEqual(written.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init),
                       lines + [alert("next"), []])
    }

    func testRecentPaths_whenLogIsLargerThanMemory_readsOnlyItsTail() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        try log.append(lines: [alert("old")])
        // A sparse hole of 64 GiB (no disk, no memory unless read), then the recent alerts.
        let fd = open(log.path, O_WRONLY)
        XCTAssertEqual(ftruncate(fd, 64 << 30), 0)
        close(fd)
        try log.append(lines: [[], alert("new1"), alert("new2")])
        XCTAssertEqual(Set(log.recentPaths(among: ["old", "new1", "new2"]).keys), ["new1", "new2"])
    }

    func testRecentPaths_takesOnlyLinesThatStartWithinTheWindow() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        try log.append(lines: [alert("a"), alert("b"), alert("c")])
        let lastTwo = alert("b").count + alert("c").count + 2
        let all: Set = ["a", "b", "c"]
        XCTAssertEqual(Set(log.recentPaths(among: all, window: lastTwo).keys), ["b", "c"])
        XCTAssertEqual(Set(log.recentPaths(among: all, window: lastTwo - 1).keys), ["c"], "a line cut by the window is not read")
        XCTAssertEqual(Set(log.recentPaths(among: all).keys), all)
    }

    func testRecentPaths_givesTheDocumentPathOfEachRequestedAlert() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        func alert(_ id: String, path: String) -> [UInt8] {
            Array(#"{"schema":1,"id":"\#(id)","document":{"name":"a.txt","path":"\#(path)"},"level":"high"}"#.utf8)
        }
        try log.append(lines: [alert("a", path: "/s/processed/2000-01-01/a.txt"), alert("b", path: "/s/processed/2000-01-02/b\\u0009.txt"),
                               self.alert("c")])
        XCTAssertEqual(log.recentPaths(among: ["a", "b", "c", "missing"]),
                       ["a": "/s/processed/2000-01-01/a.txt", "b": "/s/processed/2000-01-02/b\t.txt", "c": ""])
        XCTAssertEqual(log.recentPaths(among: []), [:])
    }

    /// A feed's records are alerted as `CLAIM#N`; a restart asks by claim and gets each record's
    /// alert, in logs written by this schema or the one before.
    func testRecentPaths_findsTheRecordAlertsOfAClaimInEverySchema() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        try log.append(lines: [alert("feed-1#1"), Array(#"{"schema":2,"id":"feed-1#3","level":"low"}"#.utf8), alert("feed-10#1"),
                               Array(#"{"schema":12,"id":"plain","level":"low"}"#.utf8)])
        XCTAssertEqual(Set(log.recentPaths(among: ["feed-1", "plain"]).keys), ["feed-1#1", "feed-1#3", "plain"])
        XCTAssertEqual(AlertLog.claim(ofAlert: "feed-1#3"), "feed-1")
    }
}
