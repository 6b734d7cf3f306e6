import Foundation
import WinnowTestSupport
import XCTest

/// The daemon classifying a batch on several threads: what it writes is what one thread writes.
final class WorkersTests: XCTestCase {
    /// A slow document first, quick ones after it, all in one batch on two workers: the quick
    /// ones finish first, yet alerts, journal lines and claims stay in claim order.
    func testBatchOnTwoWorkers_alertsAndJournalKeepTheOrderOfTheClaims() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "workers: 2\nbatch_size: 64\ndocument_timeout: 0s")
        let slow = String(repeating: "Police detained members of an organised crime group accused of extortion.\n", count: 30_000)
        try d.drop("a-slow.txt", slow)
        for i in 0 ..< 12 {
            try d.drop(String(format: "b-%02d.txt", i), "Extremists opened fire on a police checkpoint, report \(i).\n")
        }
        try d.start()
        XCTAssertTrue(waitUntil(timeout: .seconds(120)) { d.processed().count == 13 }, d.logs)
        d.stop()
        let ids = d.alerts().compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 13)
        XCTAssertEqual(ids, ids.sorted(), "alerts in claim order")
        let journaled = d.journal().map { $0[1] }
        XCTAssertEqual(journaled, ids, "journal lines in the same order")
        let names = d.alerts().compactMap { ($0["document"] as? [String: Any])?["name"] as? String }
        XCTAssertEqual(names.first, "a-slow.txt")
    }

    /// Two copies in one batch on two workers: the first claimed is classified, the other is
    /// the duplicate, as on one thread.
    func testCopiesInOneBatchOnTwoWorkers_theFirstClaimedIsClassified() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "workers: 2\nbatch_size: 64")
        let text = "Extremists opened fire on a police checkpoint near the border.\n"
        try d.drop("a.txt", text)
        try d.drop("b.txt", text)
        try d.drop("c.txt", "A quiet day at the market.\n")
        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 3 }, d.logs)
        d.stop()
        let dispositions = Dictionary(uniqueKeysWithValues: d.journal().map { ($0[1], $0[3]) })
        let alerted = d.alerts().compactMap { ($0["document"] as? [String: Any])?["name"] as? String }
        XCTAssertEqual(alerted, ["a.txt"])
        XCTAssertEqual(dispositions.values.sorted(), ["alerted", "duplicate", "processed"])
    }
}
