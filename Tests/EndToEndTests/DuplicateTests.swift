import Foundation
import WinnowTestSupport
import XCTest

/// The same bytes dropped again are recognised by sha256: `duplicates: skip` counts them and
/// moves them on without alerting, `duplicates: alert` alerts again.
final class DuplicateTests: XCTestCase {
    static let raid = Data("Extremists opened fire on a police checkpoint, killing two officers.\n".utf8)

    private func deployment(_ dir: TempFolder, duplicates: String) throws -> Deployment {
        try Deployment.topicPacks(dir, "duplicates: \(duplicates)")
    }

    func testDuplicates_whenSkip_alertsOnceMovesBothAndCountsOneDuplicate() throws {
        let dir = TempFolder()
        let d = try deployment(dir, duplicates: "skip")
        try d.start()
        try d.drop("first.txt", Self.raid)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        try d.drop("again.txt", Self.raid)
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertTrue(d.logs.contains("duplicate, skipping"), d.logs)
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["duplicates"]) as? Int) == 1 })
        XCTAssertTrue(waitUntil { d.metrics()[#"winnow_documents_total{outcome="duplicate"}"#] == 1 }, "\(d.metrics())")
        XCTAssertEqual(d.stop().status, 0)

        XCTAssertEqual(d.alerts().count, 1)
        XCTAssertEqual(d.processed().map { FileManager.default.contents(atPath: $0) }, [Self.raid, Self.raid], "both copies kept")
        let summary = String(decoding: FileManager.default.contents(atPath: d.state + "/summary.log") ?? Data(), as: UTF8.self)
        XCTAssertTrue(summary.contains("documents   1 classified, 0 failed, 1 duplicates"), summary)
        XCTAssertEqual(d.journal().map { $0[3] }, ["alerted", "duplicate"])
    }

    /// Both copies are taken in one batch (they wait in the inbox before the daemon starts).
    func testDuplicates_whenSkipAndBothCopiesInOneBatch_alertsOnce() throws {
        let dir = TempFolder()
        let d = try deployment(dir, duplicates: "skip")
        try d.drop("first.txt", Self.raid)
        try d.drop("second.txt", Self.raid)
        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
        XCTAssertEqual(d.alerts().count, 1, "the second copy is a duplicate of the first, even in the same batch")
        XCTAssertEqual(d.journal().map { $0[3] }.sorted(), ["alerted", "duplicate"])
    }

    /// One copy per batch: each batch is classified while the last one's commit may still be
    /// journaling the first copy, and still finds it a duplicate.
    func testDuplicates_whenSkipAndCopiesInConsecutiveBatches_alertsOnce() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "duplicates: skip\nbatch_size: 1")
        for i in 0 ..< 8 { try d.drop("copy-\(i).txt", Self.raid) }
        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 8 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
        XCTAssertEqual(d.alerts().count, 1, d.logs)
        XCTAssertEqual(d.journal().map { $0[3] }.sorted(), ["alerted"] + Array(repeating: "duplicate", count: 7))
    }

    func testDuplicates_whenAlert_alertsForEachCopyWithItsOwnID() throws {
        let dir = TempFolder()
        let d = try deployment(dir, duplicates: "alert")
        try d.start()
        try d.drop("first.txt", Self.raid)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        try d.drop("again.txt", Self.raid)
        try d.drop("third.txt", Self.raid)
        XCTAssertTrue(waitUntil { d.processed().count == 3 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
        let alerts = d.alerts()
        XCTAssertEqual(alerts.count, 3)
        XCTAssertEqual(Set(alerts.compactMap { $0["id"] as? String }).count, 3)
        XCTAssertEqual(Set(alerts.compactMap { ($0["document"] as? [String: Any])?["name"] as? String }),
                       ["first.txt", "again.txt", "third.txt"])
    }

    /// A second document with a name already in today's processed/ folder is kept under a
    /// new name; its alert must name the path it really has, not the first document's.
    func testSameName_twice_eachAlertPathHoldsItsOwnDocument() throws {
        let dir = TempFolder()
        let d = try deployment(dir, duplicates: "skip")
        try d.start()
        let first = Data("Extremists opened fire on a bus station, killing two.\n".utf8)
        let second = Data("Extremists opened fire on a market, killing three.\n".utf8)
        try d.drop("report.txt", first)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        try d.drop("report.txt", second)
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
        let alerts = d.alerts()
        XCTAssertEqual(alerts.count, 2)
        for alert in alerts {
            let document = try XCTUnwrap(alert["document"] as? [String: Any])
            let path = try XCTUnwrap(document["path"] as? String)
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path), "\(path) exists")
            XCTAssertEqual(sha256(of: bytes), document["sha256"] as? String, "\(path) holds the alert's document")
        }
    }
}
