import Foundation
import WinnowTestSupport
import XCTest

/// SIGKILL at random instants, and restarts from the states a crash can leave behind: a
/// restart finishes the work with no document lost or handled twice and no alert written twice.
final class CrashTests: XCTestCase {
    enum Kind: CaseIterable {
        case extremist, crime, quiet, empty, binary, tooLarge, undecodable

        var endsInFailed: Bool { self == .binary || self == .tooLarge || self == .undecodable }
        var alerts: Bool { self == .extremist || self == .crime }
        var reason: String? {
            switch self {
            case .binary: "binary"
            case .tooLarge: "too-large"
            case .undecodable: "undecodable"
            default: nil
            }
        }
    }

    struct Doc {
        var name: String
        var data: Data
        var kind: Kind
        var sha: String
    }

    /// Varied documents, each with unique bytes (except the empty ones, which are all alike
    /// and never alert), so duplicate skipping never hides an alert.
    static func documents(_ count: Int, maxBytes: Int) -> [Doc] {
        (0..<count).map { i in
            let kind: Kind = switch i % 10 {
            case 0, 1, 2: .extremist
            case 3, 4: .crime
            case 5, 6: .quiet
            case 7: [Kind.empty, .binary][i / 10 % 2]
            case 8: .tooLarge
            default: .undecodable
            }
            var data: Data
            var ext = "txt"
            switch kind {
            case .extremist:
                data = Data("Extremists opened fire on a police checkpoint near village \(i), killing two officers, the interior ministry said.\n".utf8)
            case .crime:
                data = Data("Police detained \(i) members of an organised crime group accused of extortion in the city market.\n".utf8)
            case .quiet:
                data = Data("The harvest in district \(i) was the largest in a decade, the agriculture ministry reported.\n".utf8)
            case .empty:
                data = Data()
            case .binary:
                data = Data([0x01, 0x00, 0x02]) + Data("blob \(i)".utf8) + Data([0x00, 0xFF])
                ext = "bin"
            case .tooLarge:
                data = Data("Report \(i)\n".utf8) + Data(repeating: UInt8(ascii: "x"), count: maxBytes + 100 + i)
            case .undecodable:
                // Bytes no charset detector recognises (unassigned in windows-1252).
                data = Data("number \(i) ".utf8) + Data([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A])
            }
            return Doc(name: "doc-\(i).\(ext)", data: data, kind: kind, sha: sha256(of: data))
        }
    }

    func testRestart_afterRepeatedSIGKILLWhileDocumentsFlow_finishesEachDocumentExactlyOnce() throws {
        let dir = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let d = try Deployment(base: dir.path, keeping: [dir])
        let maxBytes = 4096
        let docs = Self.documents(800, maxBytes: maxBytes)
        let kills = 40
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970 * 1000))
        let seed = rng.seed
        let perRound = (docs.count + kills - 1) / kills
        var next = 0

        // crash_limit 0: these kills are the test's, no document's doing (the crash limit has its own test).
        for round in 0..<kills {
            let batch = [1, 2, 3, 5, 8, 64][Int(rng.next() % 6)]
            try d.writeConfig(defaults: ["poll_interval": "20ms", "batch_size": "\(batch)", "max_bytes": "\(maxBytes)", "crash_limit": "0"])
            // Every fourth kill lands during start-up or the resume of leftovers.
            try d.start(waitReady: round % 4 != 3)
            // A burst of documents, then the kill a random moment later: usually mid-batch.
            usleep(UInt32(rng.next() % 150_000))
            let end = min(docs.count, next + perRound)
            while next < end {
                try d.drop(docs[next].name, docs[next].data)
                next += 1
            }
            if round % 4 == 1 {
                usleep(UInt32(rng.next() % 60_000))  // anywhere: mid-batch, between batches, idle
            } else {
                // Right after a claim: documents are in work/, the batch is being written.
                _ = waitUntilQuick(timeout: .milliseconds(300)) { !d.list(d.state + "/work").isEmpty }
                usleep(UInt32(rng.next() % 3_000))
            }
            d.kill()
        }
        XCTAssertEqual(next, docs.count)

        try d.writeConfig(defaults: ["poll_interval": "20ms", "max_bytes": "\(maxBytes)", "crash_limit": "0"])
        try d.start()
        let finished = waitUntil(timeout: .seconds(60)) {
            d.processed().count + d.failed().count >= docs.count && d.list(d.inbox).isEmpty && d.list(d.state + "/work").isEmpty
        }
        let result = d.stop()
        XCTAssertEqual(result.status, 0, result.stderr)
        let context = "seed \(seed); last run:\n\(result.stderr.suffix(3000))"
        XCTAssertTrue(finished, "not everything finished: \(d.list(d.inbox).count) in the inbox, \(d.list(d.state + "/work").count) in work/; \(context)")

        // The test only means something if kills landed while documents were in flight.
        let resumed = d.logs.components(separatedBy: "left in work/ by the last run").count - 1
        XCTAssertGreaterThanOrEqual(resumed, 5, "too few kills left work behind; the test did not exercise crashes mid-batch")

        print("CrashTests: \(kills) kills, \(resumed) of them left documents in work/ (seed \(seed))")
        XCTAssertEqual(d.list(d.inbox), [], "inbox")
        let known: Set = ["alerts.jsonl", "journal.tsv", "status.json", "metrics.prom", "summary.log", "summary.jsonl", "winnow.lock", "in-hand", "crash-suspect",
                          "work", "processed", "failed"]
        XCTAssertEqual(d.list(d.state).filter { !known.contains($0) }, [], "nothing half-written is left in the state folder")
        XCTAssertEqual(d.list(d.state + "/work"), [], "work/")

        // Every document exactly once, in the right place (compared by content: names may
        // have changed, and the empty documents are all alike).
        var expectProcessed: [String: Int] = [:], expectFailed: [String: Int] = [:]
        let docNames = Set(docs.map(\.name))
        let bySha = Dictionary(docs.map { ($0.sha, $0) }, uniquingKeysWith: { a, _ in a })
        for doc in docs { if doc.kind.endsInFailed { expectFailed[doc.sha, default: 0] += 1 } else { expectProcessed[doc.sha, default: 0] += 1 } }
        func counts(_ paths: [String]) -> [String: Int] {
            var c: [String: Int] = [:]
            for p in paths { c[sha256(of: FileManager.default.contents(atPath: p) ?? Data()), default: 0] += 1 }
            return c
        }
        let processed = counts(d.processed()), failed = counts(d.failed())
        XCTAssertTrue(processed == expectProcessed, "processed/ differs: \(diff(processed, expectProcessed, bySha)); \(context)")
        XCTAssertTrue(failed == expectFailed, "failed/ differs: \(diff(failed, expectFailed, bySha)); unexpected names: \(d.failed().map { ($0 as NSString).lastPathComponent }.filter { !docNames.contains($0) }); \(context)")

        // Every failed document has its reason file with the right reason, and no reason file
        // is left without its document.
        let failedNames = Set(d.failed().map { ($0 as NSString).lastPathComponent })
        for path in d.failed() {
            let name = (path as NSString).lastPathComponent
            let sha = sha256(of: FileManager.default.contents(atPath: path) ?? Data())
            XCTAssertEqual(d.reason(name)?["reason"] as? String, bySha[sha]?.kind.reason, "reason of \(name)")
        }
        for name in d.list(d.state + "/failed") where name.hasSuffix(".reason.json") {
            XCTAssertTrue(failedNames.contains(String(name.dropLast(".reason.json".count))), "reason file without its document: \(name); \(context)")
        }

        // Exactly one alert per alerting document, none for the others; ids unique.
        let alerts = d.alerts()
        let ids = alerts.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, alerts.count, "every alert has an id")
        XCTAssertEqual(Set(ids).count, ids.count, "alert ids are unique")
        let alertCounts = d.alertCounts()
        for doc in docs where doc.kind.alerts {
            XCTAssertEqual(alertCounts[doc.sha], 1, "alerts for \(doc.name); \(context)")
        }
        XCTAssertEqual(alertCounts.values.reduce(0, +), docs.filter(\.kind.alerts).count, "no alert for a non-alerting document")

        // The journal: complete lines, one per claim, one claim per document.
        let journal = d.journal()
        XCTAssertTrue(journal.allSatisfy { $0.count >= 4 }, "journal lines have their fields")
        let claims = journal.map { $0[1] }
        XCTAssertEqual(Set(claims).count, claims.count, "a claim is journaled once")
        XCTAssertEqual(claims.count, docs.count, "one journal line per document")
        let journaled = Dictionary(journal.map { ($0[1], $0) }, uniquingKeysWith: { a, _ in a })
        for a in alerts {
            let id = a["id"] as? String ?? ""
            let sha = (a["document"] as? [String: Any])?["sha256"] as? String
            XCTAssertEqual(journaled[id]?[3], "alerted", "the journal line of alert \(id)")
            XCTAssertEqual(journaled[id]?[2], sha, "the journal names the alert's document")
            let path = (a["document"] as? [String: Any])?["path"] as? String ?? ""
            XCTAssertEqual(FileManager.default.contents(atPath: path).map { sha256(of: $0) }, sha, "alert \(id) names where its document is")
        }
    }

    private func diff(_ found: [String: Int], _ expected: [String: Int], _ docs: [String: Doc]) -> String {
        var out: [String] = []
        for (sha, n) in expected where found[sha] != n { out.append("\(docs[sha]?.name ?? sha): \(found[sha] ?? 0) instead of \(n)") }
        for (sha, n) in found where expected[sha] == nil { out.append("unexpected \(docs[sha]?.name ?? String(sha.prefix(12))) ×\(n)") }
        return out.prefix(20).joined(separator: ", ")
    }

    /// One document kills the daemon whenever it is classified (here: SIGKILL while it is in
    /// hand, as the watchdog or the OOM killer would): after the second death it goes to
    /// failed/ alone, reason `crashed`, and the queue behind it flows.
    func testRestart_whenOneDocumentWasInHandAtTwoCrashes_failsItAloneAndTheRestFlow() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "max_bytes: 100MB\ndocument_timeout: 0s")
        let line = "Police detained members of an organised crime group accused of extortion in the market.\n"
        let heavy = Data(String(repeating: line, count: 400_000).utf8)  // ~36 MB: seconds to classify
        try d.drop("heavy.txt", heavy)
        try d.drop("after.txt", "Extremists opened fire on a police checkpoint near the border.\n")
        let inHand = d.state + "/in-hand"
        // The claim in hand alone, and still after 300 ms: the heavy one. With two workers the
        // small document can be taken first and be in hand alone for a moment.
        func claimInHand() -> String? {
            let lines = (try? String(contentsOfFile: inHand, encoding: .utf8))?.split(separator: "\n") ?? []
            return lines.count == 1 ? String(lines[0]) : nil
        }
        func heavyInHand() -> String? {
            guard let claim = claimInHand() else { return nil }
            usleep(300_000)
            return claimInHand() == claim ? claim : nil
        }
        var claims: [String] = []
        for _ in 0..<2 {
            try d.start()
            var claim: String?
            XCTAssertTrue(waitUntilQuick(timeout: .seconds(30)) { claim = heavyInHand(); return claim != nil }, d.logs)
            d.kill()
            claims.append(claim ?? "")
        }
        XCTAssertEqual(claims[0], claims[1], "the same document was in hand at both deaths")
        XCTAssertTrue(d.logs.contains("(1 time(s) in a row); trying it again"), d.logs)

        try d.start()
        XCTAssertTrue(waitUntil(timeout: .seconds(60)) { d.processed().count == 1 && d.failed().count == 1 }, d.logs)
        d.stop()
        XCTAssertEqual(d.failed(), [d.state + "/failed/heavy.txt"])
        let reason = try XCTUnwrap(FileManager.default.contents(atPath: d.state + "/failed/heavy.txt.reason.json"))
        XCTAssertEqual((try JSONSerialization.jsonObject(with: reason) as? [String: Any])?["reason"] as? String, "crashed")
        XCTAssertEqual(FileManager.default.contents(atPath: d.state + "/failed/heavy.txt"), heavy, "its bytes kept")
        XCTAssertEqual(d.alerts().count, 1, "the document behind it was classified")
        XCTAssertTrue(d.logs.contains("it goes to failed/ unread (reason crashed)"), d.logs)
    }

    // MARK: Restarts from each state a crash can leave

    /// A deployment with the shipped topic packs and the default config, not started.
    private func restartDeployment() throws -> Deployment {
        try Deployment.topicPacks(TempFolder())
    }

    /// Runs the daemon once on `data` and returns its alert line and id: what a crash after the
    /// alert's fsync leaves behind, once the test rewinds the rest.
    private func alertFromAFirstRun(_ d: Deployment, _ name: String, _ data: Data) throws -> (line: String, claim: String) {
        try d.start()
        try d.drop(name, data)
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        d.stop()
        return (try XCTUnwrap(d.alertLines.first), try XCTUnwrap(d.alerts().first?["id"] as? String))
    }

    /// A claim as `Inbox.claim` names it in work/.
    @discardableResult
    private func plantClaim(_ d: Deployment, claim: String, name: String, _ data: Data) throws -> String {
        let work = d.state + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let path = work + "/" + claim + "_" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    private func journalLine(claim: String, sha: String, _ disposition: String, _ detail: String = "") -> String {
        "\(Int(Date().timeIntervalSince1970))\t\(claim)\t\(sha)\t\(disposition)\t\(detail)\n"
    }

    /// Killed after the alert was fsynced, before the journal line: the restart must not alert again.
    func testRestart_whenAlertDurableButNotJournaled_finishesWithoutSecondAlert() throws {
        let d = try restartDeployment()
        let data = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        let (alertLine, claim) = try alertFromAFirstRun(d, "bus.txt", data)
        // Rewind to the instant between the alert fsync and the journal fsync.
        try FileManager.default.removeItem(atPath: d.processed()[0])
        try plantClaim(d, claim: claim, name: "bus.txt", data)
        try Data().write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))
        try Data((alertLine + "\n").utf8).write(to: URL(fileURLWithPath: d.alertsPath))

        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        d.stop()
        XCTAssertEqual(d.alerts().count, 1, "the alert written before the crash is not repeated")
        XCTAssertEqual(d.journal().map { $0[1] + " " + $0[3] }, [claim + " alerted"])
        XCTAssertEqual(d.list(d.state + "/work"), [])
    }

    /// A document whose alert an earlier run wrote, then in hand at two crashes (say the OOM
    /// killer, twice): it is not classified again, and it goes where its alert says, to
    /// processed/, not to failed/, so the alert's path stays true.
    func testRestart_whenAnAlertedDocumentWasInHandAtTwoCrashes_goesWhereItsAlertSays() throws {
        let d = try restartDeployment()
        let data = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        let (alertLine, claim) = try alertFromAFirstRun(d, "bus.txt", data)
        let promised = d.processed()[0]
        try FileManager.default.removeItem(atPath: promised)
        try plantClaim(d, claim: claim, name: "bus.txt", data)
        try Data().write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))
        try Data((alertLine + "\n").utf8).write(to: URL(fileURLWithPath: d.alertsPath))
        // The second death with it in hand: the first left it as the suspect.
        try Data((claim + "\t1\n").utf8).write(to: URL(fileURLWithPath: d.state + "/crash-suspect"))
        try Data((claim + "\n").utf8).write(to: URL(fileURLWithPath: d.state + "/in-hand"))

        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        d.stop()
        XCTAssertEqual(d.processed(), [promised])
        XCTAssertEqual(d.failed(), [])
        XCTAssertEqual(d.alerts().count, 1)
        XCTAssertEqual((d.alerts().first?["document"] as? [String: Any])?["path"] as? String, promised)
        XCTAssertEqual(d.journal().map { $0[1] + " " + $0[3] }, [claim + " alerted"])
        XCTAssertTrue(d.logs.contains("not classified again"), d.logs)
    }

    /// Killed after a batch whose alerts outgrew any fixed tail (20 MB here: a feed of many
    /// records, or place-heavy documents), before its journal lines: the restart reads the log
    /// from the journal's mark of where the batch began, and alerts nothing twice.
    func testRestart_whenABatchsAlertsOutgrewTheTailBeforeTheCrash_finishesWithoutSecondAlert() throws {
        let d = try restartDeployment()
        let data = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        let (alertLine, claim) = try alertFromAFirstRun(d, "bus.txt", data)
        let marks = d.journalMarks()
        XCTAssertEqual(marks.map(\.claims), [[claim]], "the first run marked where its alert starts")
        // Rewind to the instant between the batch's alert fsync and its journal fsync, the
        // first alert followed by 20 MB of the batch's others (alerts of other claims).
        try FileManager.default.removeItem(atPath: d.processed()[0])
        try plantClaim(d, claim: claim, name: "bus.txt", data)
        let journalText = try String(contentsOfFile: d.state + "/journal.tsv", encoding: .utf8)
        let markOnly = journalText.split(separator: "\n").filter { $0.contains("\t@alerts\t") }.map { $0 + "\n" }.joined()
        try Data(markOnly.utf8).write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))
        var log = Data((alertLine + "\n").utf8)
        let other = alertLine.replacingOccurrences(of: "\"id\":\"\(claim)\"", with: "\"id\":\"0000other-00000-000000\"")
        let filler = Data((other + "\n").utf8)
        while log.count < 20 << 20 { log += filler }
        try log.write(to: URL(fileURLWithPath: d.alertsPath))

        try d.start()
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        d.stop()
        XCTAssertEqual(d.alerts().filter { $0["id"] as? String == claim }.count, 1, "the alert written before the crash is not repeated")
        XCTAssertEqual(d.journal().map { $0[1] + " " + $0[3] }, [claim + " alerted"])
    }

    /// Killed after the journal line, before the move: the restart only moves the document.
    func testRestart_whenJournaledButNotMoved_onlyMovesTheDocument() throws {
        let d = try restartDeployment()
        let alerting = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        let binary = Data([0x00, 0x01, 0x02])
        try plantClaim(d, claim: "crashed-1-1", name: "bus.txt", alerting)
        try plantClaim(d, claim: "crashed-1-2", name: "blob.bin", binary)
        try FileManager.default.createDirectory(atPath: d.state + "/failed", withIntermediateDirectories: true)
        try Data((journalLine(claim: "crashed-1-1", sha: sha256(of: alerting), "alerted")
            + journalLine(claim: "crashed-1-2", sha: "", "failed:binary", "NUL byte at offset 0")).utf8)
            .write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))
        // The reason file was written too (it goes before the move); the document was not moved.
        try Data(#"{"reason":"binary","detail":"NUL byte at offset 0","name":"blob.bin","source":"","claim":"crashed-1-2"}"#.utf8 + [0x0A])
            .write(to: URL(fileURLWithPath: d.state + "/failed/blob.bin.reason.json"))

        try d.start()
        XCTAssertTrue(waitUntil { d.list(d.state + "/work").isEmpty && d.processed().count == 1 }, d.logs)
        d.stop()
        XCTAssertEqual(d.alertLines, [""], "the alert (if any) was written before the journal line; none is added")
        XCTAssertEqual(d.journal().count, 2, "nothing journaled twice")
        XCTAssertEqual(d.processed().map { FileManager.default.contents(atPath: $0) }, [alerting])
        XCTAssertEqual(d.list(d.state + "/failed"), ["blob.bin", "blob.bin.reason.json"],
                       "the reason file written before the crash is the document's; no second name, no orphan")
        XCTAssertEqual(d.reason("blob.bin")?["reason"] as? String, "binary")
        XCTAssertEqual(d.reason("blob.bin")?["claim"] as? String, "crashed-1-2")
    }

    // MARK: Restarts on a later day

    /// The day folder an earlier run chose; a restart today must not pick today's.
    static let earlierDay = "2000-01-01"

    /// Killed after the journal line, before the move, and restarted after midnight: the
    /// document goes to the day folder its journal line (and its alert) names, not today's.
    func testRestart_whenJournaledOnAnEarlierDay_movesDocumentWhereItsJournalLineSays() throws {
        let d = try restartDeployment()
        let data = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        try plantClaim(d, claim: "crashed-1-1", name: "bus.txt", data)
        let destination = "\(Self.earlierDay)/bus.txt"
        try Data((journalLine(claim: "crashed-1-1", sha: sha256(of: data), "alerted").dropLast() + "\t\(destination)\n").utf8)
            .write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))

        try d.start()
        XCTAssertTrue(waitUntil { d.list(d.state + "/work").isEmpty }, d.logs)
        d.stop()
        XCTAssertEqual(d.processed(), [d.state + "/processed/" + destination])
        XCTAssertEqual(FileManager.default.contents(atPath: d.state + "/processed/" + destination), data)
        XCTAssertEqual(d.journal().count, 1, "nothing journaled twice")
        XCTAssertEqual(d.alertLines, [""], "no alert added")
    }

    /// Killed after the alert was fsynced, before the journal line, and restarted after
    /// midnight: the document goes where the alert's `document.path` says, and the journal
    /// line written now records that path.
    func testRestart_whenAlertedOnAnEarlierDay_movesDocumentWhereItsAlertSays() throws {
        let d = try restartDeployment()
        let data = Data("Extremists opened fire on a bus station in the capital.\n".utf8)
        // Moved back a day, a first run's alert is what a crash before midnight leaves.
        let (firstLine, claim) = try alertFromAFirstRun(d, "bus.txt", data)
        let today = "/processed/" + utcToday() + "/"
        let alertLine = firstLine.replacingOccurrences(of: today, with: "/processed/\(Self.earlierDay)/")
        let promised = d.state + "/processed/\(Self.earlierDay)/bus.txt"
        XCTAssertTrue(alertLine.contains(promised), alertLine)
        try FileManager.default.removeItem(atPath: d.processed()[0])
        try plantClaim(d, claim: claim, name: "bus.txt", data)
        try Data().write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))
        try Data((alertLine + "\n").utf8).write(to: URL(fileURLWithPath: d.alertsPath))

        try d.start()
        XCTAssertTrue(waitUntil { d.list(d.state + "/work").isEmpty }, d.logs)
        d.stop()
        XCTAssertEqual(d.processed(), [promised], "the document is where its alert says")
        XCTAssertEqual(d.alerts().count, 1, "the alert is not repeated")
        XCTAssertEqual(d.journal().map { $0[1] + " " + $0[3] + " " + ($0.count > 5 ? $0[5] : "-") },
                       [claim + " alerted " + Self.earlierDay + "/bus.txt"])
    }

    /// A crash in the middle of an alert line leaves a torn tail: the restart cuts it back,
    /// keeps the complete lines, and appends after them.
    func testStart_whenAlertsEndWithTornLine_cutsItBackAndKeepsCompleteLines() throws {
        let d = try restartDeployment()
        try FileManager.default.createDirectory(atPath: d.state, withIntermediateDirectories: true)
        let complete = #"{"schema":1,"id":"old-1","level":"high"}"# + "\n" + #"{"schema":1,"id":"old-2","level":"low"}"# + "\n"
        try Data((complete + #"{"schema":1,"id":"old-3","lev"#).utf8).write(to: URL(fileURLWithPath: d.alertsPath))
        try Data((journalLine(claim: "old-1", sha: "aa", "alerted") + "17000\told-2\tbb\talert").utf8)
            .write(to: URL(fileURLWithPath: d.state + "/journal.tsv"))

        try d.start()
        XCTAssertTrue(d.logs.contains("cut a torn last line"), d.logs)
        XCTAssertEqual(String(decoding: d.alertBytes, as: UTF8.self), complete)
        try d.drop("raid.txt", "Extremists opened fire on a bus station in the capital.\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        d.stop()
        let alerts = d.alerts()
        XCTAssertEqual(alerts.map { $0["id"] as? String ?? "" }.prefix(2), ["old-1", "old-2"])
        XCTAssertEqual(alerts.count, 3)
        let journal = d.journal()
        XCTAssertEqual(journal.map { $0[1] }, ["old-1", journal.last?[1] ?? ""], "the torn journal line is cut too")
    }
}

/// Polls `condition` without sleeping (a kill must land within microseconds of it).
func waitUntilQuick(timeout: Duration, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
    }
    return false
}

/// A small seeded generator, so a failing run can be told apart (the seed is in the message).
struct SplitMix64: RandomNumberGenerator {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
