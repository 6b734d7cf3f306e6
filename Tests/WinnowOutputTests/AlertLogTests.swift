import Foundation
import WinnowOutput
import WinnowTestSupport
import XCTest

final class AlertLogTests: XCTestCase {
    private func alert(_ id: String) -> [UInt8] {
        Array(#"{"schema":1,"id":"\#(id)","time":"2026-11-26T02:16:15.123Z"}"#.utf8)
    }

    func testRecentIDs_whenLogIsLargerThanMemory_readsOnlyItsTail() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        try log.append(lines: [alert("old")])
        // A sparse hole of 64 GiB (no disk, no memory unless read), then the recent alerts.
        let fd = open(log.path, O_WRONLY)
        XCTAssertEqual(ftruncate(fd, 64 << 30), 0)
        close(fd)
        try log.append(lines: [[], alert("new1"), alert("new2")])
        XCTAssertEqual(log.recentIDs(), ["new1", "new2"])
    }

    func testRecentIDs_takesOnlyLinesThatStartWithinTheWindow() throws {
        let dir = TempFolder()
        let log = try AlertLog(path: dir.path + "/alerts.jsonl")
        try log.append(lines: [alert("a"), alert("b"), alert("c")])
        let lastTwo = alert("b").count + alert("c").count + 2
        XCTAssertEqual(log.recentIDs(window: lastTwo), ["b", "c"])
        XCTAssertEqual(log.recentIDs(window: lastTwo - 1), ["c"], "a line cut by the window is not read")
        XCTAssertEqual(log.recentIDs(), ["a", "b", "c"])
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
}
