import Foundation
import WinnowTestSupport
import XCTest

/// I/O faults injected into the real daemon by `strace --inject` (ptrace): the failures are the
/// kernel's answers as the daemon sees them, at the system calls it really makes, on the file
/// named (`-P`). (libfiu's preload was tried first: its wrappers deadlock against the dynamic
/// loader when a thread opens a library while another fails a call.)
final class FaultInjectionTests: XCTestCase {
    let raid = packageRoot() + "/Tests/EndToEndTests/Fixtures/tashkent-raid.txt"

    func testAppend_whenWritesAndCutBacksFail_neverTearsALineOrRepeatsAnAlert() throws {
        let strace = try requireStrace()
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "batch_size: 10")
        try FileManager.default.createDirectory(atPath: d.state, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: d.alertsPath, contents: nil)
        // Three batches of 10 alert lines, each batch's lines in one write: the first batch's
        // fsync fails and so do the first two cut-backs, so its 10 lines stay in the file while
        // the batch is retried; the 4th write fails outright later, its cut-back working.
        d.launcher = [strace, "-f", "-qq", "-o", "/dev/null", "-P", d.alertsPath, "-e", "trace=write,fsync,ftruncate",
                      "-e", "inject=fsync:error=EIO:when=1", "-e", "inject=write:error=EIO:when=4",
                      "-e", "inject=ftruncate:error=EIO:when=1..2", "--"]
        let base = try Data(contentsOf: URL(fileURLWithPath: raid))
        for i in 0..<30 { try d.drop("raid-\(i).txt", base + Data("\ncopy \(i)\n".utf8)) }
        try d.start(waitReady: false)
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 30 }, d.logs)
        XCTAssertTrue(d.logs.contains("truncate '\(d.alertsPath)': Input/output error"), "the cut-back never failed; the test proves nothing: \(d.logs)")
        d.stopTraced()

        let alerts = d.alerts()  // fails on any line that is not whole JSON
        let ids = alerts.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 30)
        XCTAssertEqual(Set(ids).count, ids.count, "an alert was written twice")
        XCTAssertEqual(d.alertCounts().values.filter { $0 != 1 }, [], "each document alerted exactly once")
    }

    /// Alert and journal line are durable, but the moves out of work/ fail (rename(2) gives
    /// EROFS three times, as on a filesystem gone read-only): retries only retry the move. They
    /// must not alert again, journal again, or take the document for a duplicate of itself.
    func testMove_whenRenamesFail_retriesOnlyTheMove() throws {
        let strace = try requireStrace()
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "duplicates: skip")
        let data = Data("Extremists opened fire on a police checkpoint near the border post, killing two officers.\n".utf8)
        try d.drop("raid.txt", data)
        try d.drop("blob.bin", Data([0, 1, 2, 3]))
        // Claims use renameat(2): only the moves (and snapshot replaces) use rename(2).
        d.launcher = [strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename", "-e", "inject=rename:error=EROFS:when=1..3", "--"]
        try d.start(waitReady: false)
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 1 && d.list(d.state + "/work").isEmpty }, d.logs)
        XCTAssertTrue(d.logs.contains("Read-only file system"), "no rename failed; the test proves nothing: \(d.logs)")
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["documents"]) as? Int) == 1 })
        let (_, status) = try d.statusJSON()
        d.stopTraced()
        XCTAssertEqual(d.alertCounts()[sha256(of: data)], 1, "retries of the move do not alert again")
        XCTAssertEqual(d.journal().count, 2, "one journal line per document, however many retries")
        XCTAssertEqual(status["duplicates"] as? Int, 0, "a retried document is not a duplicate of itself")
        XCTAssertEqual((status["failures"] as? [String: Int])?["binary"], 1, "\(status) \(d.logs)")
        XCTAssertEqual(d.list(d.state + "/failed"), ["blob.bin", "blob.bin.reason.json"])
    }
}
