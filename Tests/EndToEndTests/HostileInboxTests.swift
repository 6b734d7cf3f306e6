import Foundation
import WinnowTestSupport
import XCTest

/// Inboxes that senders (or attackers) arrange against the daemon (issue 13).
final class HostileInboxTests: XCTestCase {
    let raid = packageRoot() + "/Tests/EndToEndTests/Fixtures/tashkent-raid.txt"

    func testRecursiveInbox_whenAFolderTakesTheNameOfAProcessedFile_theQueueFlows() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "recursive: true")
        try d.start()
        let text = try Data(contentsOf: URL(fileURLWithPath: raid))
        try d.drop("x", text)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        try FileManager.default.createDirectory(atPath: d.inbox + "/x", withIntermediateDirectories: false)
        try (text + Data("\nsecond\n".utf8)).write(to: URL(fileURLWithPath: d.inbox + "/x/.a.txt"))
        XCTAssertEqual(rename(d.inbox + "/x/.a.txt", d.inbox + "/x/a.txt"), 0)
        try d.drop("after.txt", text + Data("\nthird\n".utf8))
        XCTAssertTrue(waitUntil { d.processed().count == 3 }, d.logs)
        let paths = d.alerts().compactMap { ($0["document"] as? [String: Any])?["path"] as? String }
        XCTAssertEqual(paths.count, 3)
        for path in paths { XCTAssertTrue(FileManager.default.fileExists(atPath: path), "alert names \(path), which is not there") }
        XCTAssertFalse(d.logs.contains("error"), d.logs)
        d.stop()
    }

    func testHardLinkDroppedInTheInbox_isFailedUnreadWithReasonHardlink() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try dir.write("private/raid.txt", try String(contentsOfFile: raid, encoding: .utf8))
        XCTAssertEqual(link(dir.path + "/private/raid.txt", d.inbox + "/linked.txt"), 0)
        XCTAssertTrue(waitUntil { d.list(d.state + "/failed").contains("linked.txt.reason.json") }, d.logs)
        let reason = try XCTUnwrap(FileManager.default.contents(atPath: d.state + "/failed/linked.txt.reason.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: reason) as? [String: Any])
        XCTAssertEqual(object["reason"] as? String, "hardlink")
        XCTAssertEqual(d.alerts().count, 0, "nothing of it was read, so nothing of it is quoted")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path + "/private/raid.txt"))
        d.stop()
    }
}
