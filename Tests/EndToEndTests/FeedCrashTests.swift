import Foundation
import WinnowTestSupport
import XCTest

/// JSON Lines feeds under SIGKILL: a feed's records are alerted one by one, and a restart after
/// a crash at any instant alerts each record exactly once and files each broken record once.
final class FeedCrashTests: XCTestCase {
    /// A feed of `records` lines: every one alerts (extremist or crime news) but line `broken`,
    /// which is not JSON. Unique bytes per feed.
    static func feed(_ n: Int, records: Int, broken: Int) -> Data {
        var lines: [String] = []
        for r in 1 ... records {
            if r == broken {
                lines.append(#"{"title": "Feed \#(n) line \#(r)", "body": "cut off"#)
            } else if r % 2 == 0 {
                lines.append(#"{"title": "Attack \#(n).\#(r)", "body": "Extremists opened fire on a police checkpoint near village \#(n)-\#(r), killing two officers, the interior ministry said."}"#)
            } else {
                lines.append(#"{"title": "Raid \#(n).\#(r)", "text": "Police detained \#(r) members of an organised crime group accused of extortion in market \#(n)."}"#)
            }
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    func testRestart_afterRepeatedSIGKILLWhileFeedsFlow_alertsEachRecordExactlyOnce() throws {
        let dir = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let d = try Deployment(base: dir.path, keeping: [dir])
        let records = 12
        let feeds = (0 ..< 60).map { n in (name: "feed-\(n).jsonl", data: Self.feed(n, records: records, broken: n % records + 1)) }
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        let seed = rng.seed
        var next = 0
        for round in 0 ..< 20 {
            let batch = [1, 2, 5, 64][Int(rng.next() % 4)]
            try d.writeConfig(defaults: ["poll_interval": "20ms", "batch_size": "\(batch)", "crash_limit": "0"])
            try d.start(waitReady: round % 4 != 3)
            for _ in 0 ..< 3 where next < feeds.count {
                try d.drop(feeds[next].name, feeds[next].data)
                next += 1
            }
            _ = waitUntilQuick(timeout: .milliseconds(300)) { !d.list(d.state + "/work").isEmpty }
            usleep(UInt32(rng.next() % 20_000))
            d.kill()
        }
        XCTAssertEqual(next, feeds.count)
        try d.writeConfig(defaults: ["poll_interval": "20ms", "crash_limit": "0"])
        try d.start()
        let finished = waitUntil(timeout: .seconds(60)) { d.processed().count == feeds.count && d.list(d.state + "/work").isEmpty }
        let result = d.stop()
        let context = "seed \(seed); last run:\n\(result.stderr.suffix(2000))"
        XCTAssertTrue(finished, "processed \(d.processed().count) of \(feeds.count); \(context)")
        let resumed = d.logs.components(separatedBy: "left in work/ by the last run").count - 1
        XCTAssertGreaterThanOrEqual(resumed, 3, "too few kills left feeds in work/; the test did not exercise crashes mid-batch")
        print("FeedCrashTests: \(resumed) of 20 kills left feeds in work/ (seed \(seed))")

        // Each good record of each feed: one alert, with its own id (`CLAIM#N`).
        var seen: [String: Int] = [:]
        let alerts = d.alerts()
        for a in alerts {
            let doc = a["document"] as? [String: Any] ?? [:]
            let key = "\(doc["name"] as? String ?? "?")#\(doc["record"] as? Int ?? 0)"
            seen[key, default: 0] += 1
            XCTAssertEqual((a["id"] as? String)?.hasSuffix("#\(doc["record"] as? Int ?? 0)"), true, "\(a["id"] ?? "")")
        }
        let ids = alerts.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, ids.count, "alert ids are unique; \(context)")
        for (n, feed) in feeds.enumerated() {
            for r in 1 ... records where r != n % records + 1 {
                XCTAssertEqual(seen["\(feed.name)#\(r)"], 1, "alerts for \(feed.name)#\(r); \(context)")
            }
        }
        XCTAssertEqual(alerts.count, feeds.count * (records - 1), context)

        // Each broken record once in failed/, with its line's bytes and a reason; the feeds
        // themselves processed, one journal line each.
        let failed = d.failed().map { ($0 as NSString).lastPathComponent }.sorted()
        XCTAssertEqual(failed, feeds.map { "feed-\($0.name.dropFirst(5).dropLast(6))#\(Int($0.name.dropFirst(5).dropLast(6))! % records + 1).jsonl" }.sorted(),
                       context)
        for name in failed {
            XCTAssertEqual(d.reason(name)?["reason"] as? String, "malformed", name)
            let bytes = FileManager.default.contents(atPath: d.state + "/failed/" + name) ?? Data()
            XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasSuffix(#""body": "cut off"#), name)
        }
        for name in d.list(d.state + "/failed") where name.hasSuffix(".reason.json") {
            XCTAssertTrue(failed.contains(String(name.dropLast(".reason.json".count))), "reason file without its record: \(name)")
        }
        XCTAssertEqual(d.journal().count, feeds.count, "one journal line per feed")
    }
}
