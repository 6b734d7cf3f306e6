import Foundation
import WinnowTestSupport
import XCTest

/// One daemon per state folder: `winnow run` holds a `flock` on `state/winnow.lock`.
final class StateLockTests: XCTestCase {
    func testRun_whenAnotherDaemonUsesTheStateFolder_exitsOneAndTheFirstKeepsProcessing() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        let first = try XCTUnwrap(d.process?.pid)
        XCTAssertEqual(try String(contentsOfFile: d.state + "/winnow.lock", encoding: .utf8), "\(first)\n")

        let second = try runWinnow(["run", "--config", d.configPath])
        XCTAssertEqual(second.status, 1, second.stderr)
        XCTAssertTrue(second.stderr.contains("another winnow (pid \(first)) is already running on state folder '\(d.state)'"), second.stderr)
        XCTAssertEqual(second.stderr.split(separator: "\n").count, 1, "one line: \(second.stderr)")
        XCTAssertFalse(second.stderr.contains("watching inbox"), second.stderr)

        XCTAssertTrue(d.isRunning, "the first daemon is untouched")
        let data = Data("Extremists opened fire on a police checkpoint, killing two officers.\n".utf8)
        try d.drop("raid.txt", data)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.alertCounts()[sha256(of: data)], 1)
        XCTAssertEqual(try d.status().status, 0, "status sees the first daemon's lock")
        XCTAssertEqual(d.stop().status, 0)
        XCTAssertEqual(try d.status().status, 3, "the lock went with the first daemon")
    }

    /// The kernel drops a flock with its process: a SIGKILLed daemon never blocks its restart.
    func testRun_afterTheHolderIsKilled_startsOnTheSameStateFolder() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        d.kill()
        try d.start()
        try d.drop("raid.txt", "Extremists opened fire on a police checkpoint, killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }
}
