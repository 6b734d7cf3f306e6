import Foundation
import WinnowTestSupport
import XCTest

/// Outputs that cannot be written: a real full filesystem (a small tmpfs), writes injected to
/// fail with ENOSPC (`/dev/full`), a move that fails, and the `min_free_space` floor. In every
/// case no input moves on, nothing partial stays, the daemon keeps running and retries, and
/// once the problem is gone everything finishes exactly once.
final class DiskFullTests: XCTestCase {
    static let raid = "Extremists opened fire on a police checkpoint near the border post"

    private func deployment(_ dir: TempFolder, _ extra: String = "") throws -> Deployment {
        let d = try Deployment.topicPacks(dir, extra)
        try FileManager.default.createDirectory(atPath: d.state, withIntermediateDirectories: true)
        return d
    }

    private func occurrences(_ text: String, in logs: String) -> Int {
        logs.components(separatedBy: text).count - 1
    }

    private func requireDevFull() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("/dev/full is absent") }
    }

    // MARK: Injected ENOSPC

    func testAlertWrite_whenAlertsLogFailsWithENOSPC_keepsDocumentsInWorkAndFinishesOnceWritable() throws {
        try requireDevFull()
        let dir = TempFolder()
        let d = try deployment(dir)
        // The daemon opens alerts.jsonl with O_APPEND and follows the link: every write fails.
        XCTAssertEqual(symlink("/dev/full", d.alertsPath), 0)
        try d.start()
        let docs = (1...3).map { Data("\(Self.raid) \($0), killing two officers.\n".utf8) }
        for (i, data) in docs.enumerated() { try d.drop("raid-\(i).txt", data) }

        XCTAssertTrue(waitUntil { self.occurrences("No space left on device", in: d.logs) >= 3 }, d.logs)
        XCTAssertTrue(d.logs.contains("alerts.jsonl"), d.logs)
        XCTAssertTrue(d.isRunning, "the daemon keeps running")
        XCTAssertEqual(d.processed(), [], "no document moves on before its alert is written")
        XCTAssertEqual(d.list(d.state + "/work").count + d.list(d.inbox).count, 3, "the documents wait in work/ (or the inbox)")
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["output_error"]) as? String)?.contains("No space left") == true },
                      "status shows the output error: \((try? d.status().stdout) ?? "")")
        XCTAssertTrue(try d.status().stdout.contains("output error"))

        // Space comes back: a regular file replaces the link.
        XCTAssertEqual(unlink(d.alertsPath), 0)
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 3 }, d.logs)
        let result = d.stop()
        XCTAssertEqual(result.status, 0)
        let counts = d.alertCounts()
        for data in docs { XCTAssertEqual(counts[sha256(of: data)], 1, "one alert per document") }
        XCTAssertEqual(d.alerts().count, 3)
        XCTAssertEqual(d.list(d.state + "/work"), [])
    }

    /// The retry log line names what waits in work/: an analyst reading it must not go looking
    /// for documents that are not there.
    func testRetryLog_whenBatchCannotBeWritten_saysHowManyDocumentsStayInWork() throws {
        try requireDevFull()
        let dir = TempFolder()
        let d = try deployment(dir, "batch_size: 8")
        XCTAssertEqual(symlink("/dev/full", d.alertsPath), 0)
        // Both documents are there before the first poll, so they are claimed in one batch.
        for i in 1...2 { try d.drop("raid-\(i).txt", "\(Self.raid) \(i), killing two officers.\n") }
        try d.start()
        XCTAssertTrue(waitUntil { d.logs.contains("No space left on device; 2 documents stay in work/, retrying in") }, d.logs)
        XCTAssertEqual(unlink(d.alertsPath), 0)
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 2 }, d.logs)
        d.stop()
    }

    func testRetryLog_whenInboxVanishesWithNothingClaimed_doesNotSayDocumentsStayInWork() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        try d.start()
        try FileManager.default.removeItem(atPath: d.inbox)
        XCTAssertTrue(waitUntil { self.occurrences("No such file or directory, retrying in", in: d.logs) >= 2 }, d.logs)
        XCTAssertFalse(d.logs.contains("stay in work/"), d.logs)
        XCTAssertFalse(d.logs.contains("stays in work/"), d.logs)

        // The inbox comes back and the daemon takes documents again.
        try FileManager.default.createDirectory(atPath: d.inbox, withIntermediateDirectories: true)
        try d.drop("raid.txt", "\(Self.raid), killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }

    /// The journal cannot be written: no alert goes out before the journal's mark of where the
    /// batch's alerts start is durable, so nothing is alerted until it can be, and then once.
    func testJournalWrite_whenJournalFailsWithENOSPC_alertsNothingUntilItsMarkIsDurableThenOnce() throws {
        try requireDevFull()
        let dir = TempFolder()
        let d = try deployment(dir)
        XCTAssertEqual(symlink("/dev/full", d.state + "/journal.tsv"), 0)
        try d.start()
        let data = Data("\(Self.raid), killing two officers.\n".utf8)
        try d.drop("raid.txt", data)

        XCTAssertTrue(waitUntil { self.occurrences("journal.tsv", in: d.logs) >= 3 }, "three failed attempts: \(d.logs)")
        XCTAssertTrue(d.isRunning)
        XCTAssertEqual(d.processed(), [])
        XCTAssertEqual(d.list(d.state + "/work").count, 1)
        XCTAssertEqual(d.alerts().count, 0, "no alert before the mark of where it starts is durable")

        XCTAssertEqual(unlink(d.state + "/journal.tsv"), 0)
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 1 }, "the journal recovers: \(d.logs)")
        d.stop()
        XCTAssertEqual(d.alerts().count, 1)
        let journal = d.journal()
        XCTAssertEqual(journal.count, 1)
        XCTAssertEqual(journal.first?[3], "alerted")
        XCTAssertEqual(journal.first?[1], d.alerts().first?["id"] as? String)
        XCTAssertEqual(d.journalMarks().map(\.claims), [[journal.first?[1] ?? ""]])
    }

    /// A file where today's folder in processed/ should be: the documents go to the next free
    /// folder name, which their alerts name; nothing waits.
    func testMove_whenAFileHoldsTheDayFoldersName_filesUnderTheNextFreeName() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        try FileManager.default.createDirectory(atPath: d.state + "/processed", withIntermediateDirectories: true)
        let blocker = d.state + "/processed/" + utcToday()
        try Data("not a folder".utf8).write(to: URL(fileURLWithPath: blocker))
        try d.start()
        try d.drop("raid.txt", "\(Self.raid), killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        d.stop()
        let path = (d.alerts().first?["document"] as? [String: Any])?["path"] as? String
        XCTAssertEqual(path, blocker + ".1/raid.txt")
        XCTAssertTrue(FileManager.default.fileExists(atPath: blocker + ".1/raid.txt"))
        XCTAssertEqual(try String(contentsOfFile: blocker, encoding: .utf8), "not a folder")
    }

    // MARK: A real full filesystem

    /// Mounts a tmpfs of `size` under a new temp folder; unmounted in teardown (after `stop`).
    /// A deployment whose inbox and state live on a fresh tmpfs of `size` (rules and config
    /// stay outside it, so they never run out of space); the daemon is killed before unmount.
    private func deploymentOnTmpfs(size: String, config: String) throws -> (Deployment, String) {
        let rules = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: rules.path + "/rules")
        var deployment: Deployment?
        let fs = try mountTmpfs(size: size) { deployment?.kill(); deployment = nil }
        let d = try Deployment(base: fs, rules: rules.path + "/rules", configFolder: rules.path, keeping: [rules])
        deployment = d
        try d.writeConfig(config)
        return (d, fs)
    }

    private func mountTmpfs(size: String, _ stop: @escaping () -> Void) throws -> String {
        guard getuid() == 0 else {
            throw XCTSkip("needs root to mount a size-limited tmpfs (run the suite as root, e.g. in the CI container)")
        }
        let dir = TempFolder("winnow-fs")
        let mountPoint = dir.path + "/fs"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard mount("tmpfs", mountPoint, "tmpfs", 0, "size=\(size),mode=0755") == 0 else {
            throw XCTSkip("cannot mount tmpfs (\(String(cString: strerror(errno)))); needs CAP_SYS_ADMIN")
        }
        addTeardownBlock {
            stop()
            if umount2(mountPoint, 0) != 0 { _ = umount2(mountPoint, Int32(MNT_DETACH)) }
            try? FileManager.default.removeItem(atPath: dir.path)  // only after the unmount
        }
        return mountPoint
    }

    /// Writes zeros to `path` until the filesystem is full (or `limit` bytes); returns the size.
    @discardableResult
    private func fill(_ path: String, limit: Int = .max) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var written = 0
        for chunk in [1 << 16, 4096, 512, 1] {
            let zeros = [UInt8](repeating: 0, count: chunk)
            while written < limit {
                let n = write(fd, zeros, min(chunk, limit - written))
                if n <= 0 { break }
                written += n
            }
        }
        return written
    }

    func testDiskFull_onRealFilesystem_movesNothingOnThenFinishesEachDocumentOnceWhenSpaceReturns() throws {
        let (d, fs) = try deploymentOnTmpfs(size: "4m", config: "batch_size: 4")
        try d.start()
        try d.drop("first.txt", "\(Self.raid), killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)

        // Documents wait under dot-names (ignored), the filesystem fills, then they appear.
        let docs = (0..<12).map { Data("\(Self.raid) \($0), killing \($0 + 2) officers.\n".utf8) }
        for (i, data) in docs.enumerated() { try data.write(to: URL(fileURLWithPath: d.inbox + "/.staged-\(i).txt")) }
        let ballast = fs + "/ballast"
        XCTAssertGreaterThan(fill(ballast), 0)
        let errorsBefore = occurrences("No space left on device", in: d.logs)
        for i in docs.indices { XCTAssertEqual(rename(d.inbox + "/.staged-\(i).txt", d.inbox + "/doc-\(i).txt"), 0) }

        XCTAssertTrue(waitUntil { self.occurrences("No space left on device", in: d.logs) > errorsBefore }, "the error is logged: \(d.logs)")
        let stuck = d.processed()
        usleep(3_000_000)  // several retries
        XCTAssertTrue(d.isRunning, "the daemon keeps running")
        XCTAssertEqual(d.processed(), stuck, "nothing moves on while the disk is full")
        XCTAssertLessThan(stuck.count, docs.count + 1, "some documents must be stuck, or the disk was not full")
        XCTAssertEqual(d.list(d.state + "/failed"), [], "a full disk is not the document's fault")
        XCTAssertEqual(d.list(d.inbox).filter { !$0.hasPrefix(".") }.count + d.list(d.state + "/work").count,
                       docs.count + 1 - stuck.count, "every other document waits in the inbox or work/")
        XCTAssertTrue(d.journal().allSatisfy { $0.count >= 4 }, "journal lines are complete")
        // Complete lines only (the last one may be in flight), each one an alert of a document.
        for line in d.alertLines.dropLast() {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), "torn alert line: \(line.prefix(100))")
        }

        try FileManager.default.removeItem(atPath: ballast)
        XCTAssertTrue(waitUntil(timeout: .seconds(90)) {
            d.processed().count == docs.count + 1 && d.list(d.state + "/work").isEmpty
        }, "everything finishes once space returns: \(d.logs.suffix(2000))")
        let result = d.stop()
        XCTAssertEqual(result.status, 0)

        let counts = d.alertCounts()
        for data in docs { XCTAssertEqual(counts[sha256(of: data)], 1, "one alert per document") }
        XCTAssertEqual(d.alerts().count, docs.count + 1, "no alert repeated")
        let ids = d.alerts().compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, ids.count)
        let journal = d.journal()
        XCTAssertEqual(journal.count, docs.count + 1, "one journal line per document")
        XCTAssertEqual(Set(journal.map { $0[1] }).count, journal.count)
        let processedShas = Set(d.processed().map { sha256(of: FileManager.default.contents(atPath: $0) ?? Data()) })
        XCTAssertTrue(processedShas.isSuperset(of: docs.map { sha256(of: $0) }), "processed/ holds every document's bytes")
    }

    func testMinFreeSpace_whenBelowFloor_stopsClaimingAndStatusSaysSoUntilSpaceReturns() throws {
        let (d, fs) = try deploymentOnTmpfs(size: "8m", config: "min_free_space: 3MB")
        try d.start()
        try d.drop("first.txt", "\(Self.raid), killing two officers.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)

        var s = statvfs()
        XCTAssertEqual(statvfs(fs, &s), 0)
        let free = Int(s.f_bavail) * Int(s.f_frsize)
        let ballast = fs + "/ballast"
        fill(ballast, limit: free - (2 << 20))  // leaves about 2 MB, under the 3 MB floor
        for i in 0..<3 { try d.drop("doc-\(i).txt", "\(Self.raid) \(i), killing two officers.\n") }

        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["paused_for_space"]) as? Bool) == true }, d.logs)
        XCTAssertTrue(d.logs.contains("not claiming new documents"), d.logs)
        let text = try d.status().stdout
        XCTAssertTrue(text.contains("paused"), text)
        usleep(500_000)
        XCTAssertEqual(d.list(d.inbox).filter { !$0.hasPrefix(".") }.count, 3, "nothing is claimed below the floor")
        XCTAssertEqual(d.processed().count, 1)

        try FileManager.default.removeItem(atPath: ballast)
        XCTAssertTrue(waitUntil { d.processed().count == 4 }, d.logs)
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["paused_for_space"]) as? Bool) == false })
        XCTAssertTrue(d.logs.contains("claiming documents again"), d.logs)
        d.stop()
        XCTAssertEqual(d.alerts().count, 4)
    }
}
