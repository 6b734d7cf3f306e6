import Foundation
import WinnowTestSupport
import XCTest

/// `winnow status` while the daemon runs and after it stopped, and the Prometheus textfile.
final class StatusTests: XCTestCase {
    /// Two high alerts, one medium, one quiet document, one binary.
    private func dropMix(_ d: Deployment) throws {
        try d.drop("raid-1.txt", "Extremists opened fire on a police checkpoint, killing two officers.\n")
        try d.drop("raid-2.txt", "Extremists opened fire on a bus station, killing three.\n")
        try d.drop("gang.txt", "Police detained members of an organised crime group accused of extortion.\n")
        try d.drop("harvest.txt", "The harvest was the largest in a decade.\n")
        try d.drop("blob.bin", Data([0, 1, 2]))
    }

    func testStatus_whenNeverRun_saysSoAndExitsThree() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        let r = try d.status()
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("winnow has not run"), r.stdout)
        let (code, json) = try d.statusJSON()
        XCTAssertEqual(code, 3)
        XCTAssertEqual(json["running"] as? Bool, false)
    }

    /// The queue line counts what the daemon would take: files in subfolders of a recursive
    /// inbox, never the folders themselves, never dot-files or ignored names.
    func testStatus_whenInboxHasSubfolders_countsFilesAsTheDaemonWouldTakeThem() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        for path in ["top.txt", "wire/a.txt", "wire/reuters/b.txt", "wire/reuters/c.part", "wire/.d.txt", ".hidden/e.txt", ".f.txt"] {
            try dir.write("inbox/" + path, "The harvest was the largest in a decade.\n")
        }
        try dir.write("state/work/0000000ab-00001-000001_wire%2Fg.txt", "claimed\n")
        try dir.write("state/failed/h.bin", "\u{0}")
        try dir.write("state/failed/h.bin.reason.json", "{}\n")

        let flat = try d.status()
        XCTAssertTrue(flat.stdout.contains("queue        1 in the inbox, 1 in work/, 1 in failed/"), flat.stdout)
        XCTAssertEqual(try d.statusJSON().1["inbox_waiting"] as? Int, 1)

        try d.writeConfig("recursive: true")
        let recursive = try d.status()
        XCTAssertTrue(recursive.stdout.contains("queue        3 in the inbox, 1 in work/, 1 in failed/"), recursive.stdout)
        XCTAssertEqual(try d.statusJSON().1["inbox_waiting"] as? Int, 3)
    }

    func testStatus_withOnlyStateFolder_countsTheInboxTheDaemonWatched() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        XCTAssertEqual(d.stop().status, 0)
        try d.drop("one.txt", "waiting\n")
        try d.drop("two.txt", "waiting\n")
        // No --config (as after `make run`): the inbox comes from the daemon's snapshot, not
        // from the embedded default's ./winnow-data/inbox.
        let r = try runWinnow(["status", "--state", d.state, "--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(json["inbox_waiting"] as? Int, 2, r.stdout)
    }

    /// Rules in the deployment's packs, counted from the files (the shipped packs grow).
    private func ruleCount(_ d: Deployment) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: d.rules).filter { $0.hasSuffix(".yaml") }.reduce(0) { n, file in
            let text = try String(contentsOfFile: d.rules + "/" + file, encoding: .utf8)
            return n + text.split(separator: "\n").filter { $0.hasPrefix("  - id: ") }.count
        }
    }

    func testStatus_whileRunningAndAfterSIGTERM_showsRulesetAndCounts() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try dropMix(d)
        XCTAssertTrue(waitUntil { d.processed().count == 4 && d.failed().count == 1 }, d.logs)
        let ruleset = try XCTUnwrap(d.alerts().first?["ruleset"] as? String)

        XCTAssertTrue(waitUntil { (try? d.status().stdout)?.contains("documents    4 classified") == true }, (try? d.status().stdout) ?? "")
        let running = try d.status()
        XCTAssertEqual(running.status, 0, "exit 0 while the daemon runs")
        XCTAssertTrue(running.stdout.contains("winnow is running (pid \(d.process?.pid ?? 0)"), running.stdout)
        let rules = try ruleCount(d)
        XCTAssertTrue(running.stdout.contains("ruleset      \(ruleset) (\(rules) rules)"), running.stdout)
        XCTAssertTrue(running.stdout.contains("documents    4 classified, alerts: high 2, medium 1, duplicates 0"), running.stdout)
        XCTAssertTrue(running.stdout.contains("failures     binary 1"), running.stdout)
        XCTAssertTrue(running.stdout.contains("queue        0 in the inbox, 0 in work/, 1 in failed/"), running.stdout)

        let (code, json) = try d.statusJSON()
        XCTAssertEqual(code, 0)
        XCTAssertEqual(json["running"] as? Bool, true)
        XCTAssertEqual(json["pid"] as? Int, Int(d.process?.pid ?? 0))
        XCTAssertEqual(json["ruleset"] as? String, ruleset)
        XCTAssertEqual(json["rule_count"] as? Int, rules)
        XCTAssertEqual(json["documents"] as? Int, 4)
        XCTAssertEqual(json["alerts"] as? [String: Int], ["high": 2, "medium": 1])
        XCTAssertEqual(json["failures"] as? [String: Int], ["binary": 1])
        XCTAssertEqual(json["failed"] as? Int, 1)
        XCTAssertTrue(json["rule_error"] is NSNull)
        XCTAssertTrue(json["output_error"] is NSNull)
        XCTAssertEqual(json["paused_for_space"] as? Bool, false)

        XCTAssertEqual(d.stop().status, 0)
        let stopped = try d.status()
        XCTAssertEqual(stopped.status, 3, "exit 3 once stopped")
        XCTAssertTrue(stopped.stdout.contains("winnow is not running (last seen"), stopped.stdout)
        XCTAssertTrue(stopped.stdout.contains("documents    4 classified, alerts: high 2, medium 1"), "the last counts stay: \(stopped.stdout)")
        let (stoppedCode, stoppedJSON) = try d.statusJSON()
        XCTAssertEqual(stoppedCode, 3)
        XCTAssertEqual(stoppedJSON["running"] as? Bool, false)
        XCTAssertEqual(stoppedJSON["documents"] as? Int, 4)

        // --state alone (no config file) finds the same snapshot.
        let byState = try runWinnow(["status", "--state", d.state, "--format", "json"])
        XCTAssertEqual(byState.status, 3)
        XCTAssertTrue(byState.stdout.contains("\"documents\":4"), byState.stdout)
    }

    func testStatus_afterSIGKILL_reportsNotRunning() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        XCTAssertTrue(waitUntil { FileManager.default.fileExists(atPath: d.state + "/status.json") })
        XCTAssertEqual(try d.status().status, 0)
        d.kill()
        let r = try d.status()
        XCTAssertEqual(r.status, 3, "a dead pid is not running: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("not running"), r.stdout)
    }

    /// A snapshot that names a live winnow-like pid (this test runner) is not proof: nobody
    /// holds the state folder's lock, so the daemon does not run.
    func testStatus_whenSnapshotNamesLivePidButLockIsFree_reportsNotRunning() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try dir.write("state/winnow.lock", "\(getpid())\n")
        try dir.write("state/status.json", #"{"pid":\#(getpid()),"stopped":false,"ruleset":"0123456789abcdef"}"# + "\n")
        let r = try d.status()
        XCTAssertEqual(r.status, 3, r.stdout)
        XCTAssertTrue(r.stdout.contains("winnow is not running"), r.stdout)
    }

    /// Between taking the lock and its first snapshot (loading a gazetteer takes seconds), the
    /// daemon already runs.
    func testStatus_whenLockHeldBeforeFirstSnapshot_reportsRunning() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        let path = try dir.write("state/winnow.lock", "4242\n")
        let fd = open(path, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let r = try d.status()
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("winnow is running (pid 4242) but has not written its status yet"), r.stdout)
        XCTAssertEqual(try d.statusJSON().1["running"] as? Bool, true)
    }

    func testSnapshots_whenStatusAndMetricsCannotBeWritten_saySoOnceAndWhenTheyRecover() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        let status = d.state + "/status.json", metrics = d.state + "/metrics.prom"
        XCTAssertTrue(waitUntil { FileManager.default.fileExists(atPath: metrics) }, d.logs)
        for path in [status, metrics] {
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        XCTAssertTrue(waitUntil { d.logs.contains("cannot write '\(status)'") && d.logs.contains("cannot write '\(metrics)'") }, d.logs)
        usleep(2_500_000)  // two more snapshots
        XCTAssertEqual(d.logs.components(separatedBy: "cannot write '\(status)'").count - 1, 1, "logged once, not every second")
        for path in [status, metrics] { try FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(waitUntil { d.logs.contains("'\(status)' is written again") }, d.logs)
        XCTAssertTrue(waitUntil { FileManager.default.fileExists(atPath: status) })
        XCTAssertEqual(d.stop().status, 0)
    }

    func testShutdown_whenTheLastSummaryCannotBeWritten_logsItsCounts() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try d.drop("raid.txt", "Extremists opened fire on a police checkpoint, killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        try FileManager.default.createDirectory(atPath: d.state + "/summary.log", withIntermediateDirectories: false)
        let r = d.stop()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("failed to write the last summary"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\"documents\":1"), r.stderr)
    }

    func testMetrics_afterProcessing_countDocumentsAlertsAndFailures() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        try dropMix(d)
        XCTAssertTrue(waitUntil { d.processed().count == 4 && d.failed().count == 1 }, d.logs)
        XCTAssertTrue(waitUntil { d.metrics()[#"winnow_documents_total{outcome="classified"}"#] == 4 }, "\(d.metrics())")
        let m = d.metrics()
        XCTAssertEqual(m[#"winnow_documents_total{outcome="failed"}"#], 1)
        XCTAssertEqual(m[#"winnow_documents_total{outcome="duplicate"}"#], 0)
        XCTAssertEqual(m[#"winnow_alerts_total{level="high"}"#], 2)
        XCTAssertEqual(m[#"winnow_alerts_total{level="medium"}"#], 1)
        XCTAssertEqual(m[#"winnow_alerts_total{level="critical"}"#], 0)
        XCTAssertEqual(m[#"winnow_failures_total{reason="binary"}"#], 1)
        XCTAssertEqual(m["winnow_classification_seconds_count"], 4)
        XCTAssertEqual(m["winnow_rules"], Double(try ruleCount(d)))
        XCTAssertEqual(m["winnow_inbox_depth"], 0)
        XCTAssertNotNil(m["winnow_last_poll_timestamp_seconds"])
        let text = String(decoding: FileManager.default.contents(atPath: d.state + "/metrics.prom") ?? Data(), as: UTF8.self)
        XCTAssertTrue(text.contains("# TYPE winnow_documents_total counter"), text)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testMetrics_whenMetricsFileNone_writesNoFile() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "metrics_file: none")
        try d.start()
        try d.drop("a.txt", "The harvest was the largest in a decade.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertTrue(waitUntil { FileManager.default.fileExists(atPath: d.state + "/status.json") })
        XCTAssertEqual(d.stop().status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: d.state + "/metrics.prom"))
    }
}
