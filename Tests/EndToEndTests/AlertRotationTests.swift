import Foundation
import WinnowTestSupport
import XCTest

/// Operators rotate alerts.jsonl with logrotate: by rename (`create`, the default) or by
/// truncation (`copytruncate`). Either way the next alert must land in the file the name
/// points to, complete, and never in the rotated copy.
final class AlertRotationTests: XCTestCase {
    private func raid(_ n: Int) -> String { "Extremists opened fire on police checkpoint \(n), killing two officers.\n" }

    func testAlerts_whenLogIsRenamedAway_nextAlertGoesToANewFileAtThePath() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try d.drop("one.txt", raid(1))
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(rename(d.alertsPath, d.alertsPath + ".1"), 0)

        try d.drop("two.txt", raid(2))
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertEqual(d.alerts().compactMap { ($0["document"] as? [String: Any])?["name"] as? String }, ["two.txt"])
        let rotated = String(decoding: FileManager.default.contents(atPath: d.alertsPath + ".1") ?? Data(), as: UTF8.self)
        XCTAssertEqual(rotated.split(separator: "\n").count, 1, "the rotated file keeps only the alert written before")
        XCTAssertTrue(rotated.contains("one.txt"))
        XCTAssertEqual(d.stop().status, 0)
    }

    func testAlerts_whenLogIsTruncatedInPlace_nextAlertStartsAtTheBeginning() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try d.drop("one.txt", raid(1))
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(truncate(d.alertsPath, 0), 0)

        try d.drop("two.txt", raid(2))
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertFalse(d.alertBytes.contains(0), "no hole of zeros where the old lines were")
        XCTAssertEqual(d.alerts().compactMap { ($0["document"] as? [String: Any])?["name"] as? String }, ["two.txt"])
        XCTAssertEqual(d.stop().status, 0)
    }
}
