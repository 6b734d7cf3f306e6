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

    func testDocumentPastItsTimeBudget_failsAloneWithReasonBudget() throws {
        let dir = TempFolder()
        let d = try Deployment(base: dir.path, rules: packageRoot() + "/rules", keeping: [dir])
        try d.writeConfig("document_timeout: 300ms")
        try d.start()
        // Every city of the shipped gazetteer, named: seconds of place resolution.
        let cities = try String(contentsOfFile: packageRoot() + "/rules/geonames/cities.txt", encoding: .utf8)
        let names = cities.split(separator: "\n").compactMap { $0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().first }
        try d.drop("atlas.txt", "Extremists opened fire in the capital.\n\n" + names.joined(separator: ", ") + ".\n")
        try d.drop("after.txt", try String(contentsOfFile: raid, encoding: .utf8))
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.failed().count == 1 && d.processed().count == 1 }, d.logs)
        d.stop()
        let r = try XCTUnwrap(d.reason("atlas.txt"))
        XCTAssertEqual(r["reason"] as? String, "budget")
        XCTAssertTrue((r["detail"] as? String ?? "").contains("document_timeout"), "\(r)")
        XCTAssertEqual(d.alerts().count, 1, "the document behind it is classified")
    }

    func testDocumentPastItsMemoryBudget_failsAloneWithReasonBudget() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "document_memory: 8MB\ndocument_timeout: 0s")
        try d.start()
        let line = "Police detained members of an organised crime group accused of extortion in the market.\n"
        try d.drop("big.txt", String(repeating: line, count: 200_000))  // 18 MB
        try d.drop("after.txt", try String(contentsOfFile: raid, encoding: .utf8))
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.failed().count == 1 && d.processed().count == 1 }, d.logs)
        d.stop()
        let r = try XCTUnwrap(d.reason("big.txt"))
        XCTAssertEqual(r["reason"] as? String, "budget")
        XCTAssertTrue((r["detail"] as? String ?? "").contains("document_memory"), "\(r)")
    }

    func testBatchOfLargeDocuments_isCutByBytesOrTime_theRestWaitingForTheNextBatch() throws {
        let dir = TempFolder()
        // No time budget: a debug build on a busy machine may take more than 10 s a document.
        let d = try Deployment.topicPacks(dir, "batch_size: 64\nmax_bytes: 64MB\ndocument_timeout: 0s")
        let line = "Police detained members of an organised crime group accused of extortion in the market.\n"
        let body = String(repeating: line, count: 390_000)  // 34.7 MB each: two pass 64 MiB
        for i in 0..<3 { try d.drop("big-\(i).txt", "\(i)\n" + body) }
        try d.start()
        XCTAssertTrue(waitUntil(timeout: .seconds(120)) { d.processed().count == 3 }, d.logs)
        d.stop()
        XCTAssertEqual(d.alerts().count, 3)
        // The journal marks each batch's alerts: one batch took all three before; now a batch
        // stops at 64 MiB (or 5 s, on a slow machine), and the rest wait for the next.
        let marks = d.journalMarks().map(\.claims.count)
        XCTAssertGreaterThan(marks.count, 1, "\(marks)")
        XCTAssertTrue(marks.allSatisfy { $0 <= 2 }, "\(marks)")
    }
}
