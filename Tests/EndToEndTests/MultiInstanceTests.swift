import Foundation
import WinnowTestSupport
import XCTest

/// docs/operations.md promises that any number of daemons may watch one inbox, each with its
/// own state folder: the rename is the claim, so each document is taken by exactly one.
final class MultiInstanceTests: XCTestCase {
    func testTwoDaemonsOnOneInbox_whileOneIsKilledAndRestarted_takeEachDocumentExactlyOnce() throws {
        let dir = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let maxBytes = 4096
        let instances = try ["a", "b"].map { name in
            try FileManager.default.createDirectory(atPath: dir.path + "/" + name, withIntermediateDirectories: true)
            return try Deployment(base: dir.path + "/" + name, inbox: dir.path + "/inbox", rules: dir.path + "/rules", keeping: [dir])
        }
        // Small batches and a fast poll, so both instances race for the same names all the time.
        for (d, batch) in zip(instances, [1, 3]) {
            try d.writeConfig(defaults: ["poll_interval": "10ms", "batch_size": "\(batch)", "max_bytes": "\(maxBytes)", "crash_limit": "0"])
            try d.start()
        }
        let docs = CrashTests.documents(400, maxBytes: maxBytes)
        for (i, doc) in docs.enumerated() {
            try instances[0].drop(doc.name, doc.data)
            if i % 100 == 50 {
                instances[0].kill()  // with claims in its work/, which only it may resume
                try instances[0].start()
            }
            if i % 10 == 0 { usleep(2_000) }
        }
        let finished = waitUntil(timeout: .seconds(60)) {
            instances.reduce(0) { $0 + $1.processed().count + $1.failed().count } >= docs.count
                && instances[0].list(instances[0].inbox).isEmpty
                && instances.allSatisfy { $0.list($0.state + "/work").isEmpty }
        }
        let logs = instances.map { $0.stop() }
        for r in logs { XCTAssertEqual(r.status, 0, r.stderr) }
        XCTAssertTrue(finished, "not everything finished; logs:\n\(logs.map(\.stderr).joined().suffix(3000))")

        let taken = instances.map { $0.processed().count + $0.failed().count }
        let resumed = instances[0].logs.components(separatedBy: "left in work/ by the last run").count - 1
        print("MultiInstanceTests: taken \(taken), \(resumed) restart(s) resumed claims")
        // Both took part, and neither mistook the other's claims for its own trouble.
        for d in instances {
            XCTAssertGreaterThan(d.processed().count + d.failed().count, 20, "\(d.state) took almost nothing")
            XCTAssertFalse(d.logs.contains("cannot take"), d.logs)
            XCTAssertFalse(d.logs.contains(" error"), d.logs)
        }

        // Every document once across both instances, where it belongs.
        var found: [String: Int] = [:]
        for d in instances {
            for path in d.processed() + d.failed() {
                found[sha256(of: FileManager.default.contents(atPath: path) ?? Data()), default: 0] += 1
            }
        }
        var expected: [String: Int] = [:]
        for doc in docs { expected[doc.sha, default: 0] += 1 }
        XCTAssertEqual(found, expected, "each document exactly once in processed/ or failed/ of one instance")

        // One alert per alerting document across both logs, with ids unique across instances.
        var alertCounts: [String: Int] = [:]
        var ids: [String] = []
        for d in instances {
            for (sha, n) in d.alertCounts() { alertCounts[sha, default: 0] += n }
            ids += d.alerts().compactMap { $0["id"] as? String }
        }
        for doc in docs where doc.kind.alerts { XCTAssertEqual(alertCounts[doc.sha], 1, "alerts for \(doc.name)") }
        XCTAssertEqual(alertCounts.values.reduce(0, +), docs.filter(\.kind.alerts).count)
        XCTAssertEqual(Set(ids).count, ids.count, "alert ids are unique across instances")
    }
}
