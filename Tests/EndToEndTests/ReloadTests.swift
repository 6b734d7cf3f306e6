import Foundation
import WinnowTestSupport
import XCTest

/// Rules edited while the daemon runs: a valid edit goes live whole, a broken one is refused
/// and reported while the last good ruleset keeps working; SIGHUP re-reads config and rules.
final class ReloadTests: XCTestCase {
    static let alphaRule = """
      - id: t.alpha
        title: Alpha
        level: high
        match:
          a: {words: [alphaword]}
        condition: a
        examples:
          match: ["an alphaword here"]
          no-match: ["nothing here"]

    """
    static let betaRule = """
      - id: t.beta
        title: Beta
        level: medium
        match:
          b: {words: [betaword]}
        condition: b
        examples:
          match: ["a betaword here"]

    """

    static func pack(_ rules: String...) -> String { "pack: t\nrules:\n" + rules.joined() }

    private func deployment(_ dir: TempFolder, _ extra: String = "", pollInterval: String = "100ms") throws -> Deployment {
        let d = try Deployment(base: dir.path, keeping: [dir])
        try writeRules(d, Self.pack(Self.alphaRule))
        try d.writeConfig(extra, defaults: ["poll_interval": pollInterval])
        return d
    }

    /// Replaces rules/t.yaml atomically (an editor's save), so no half-written file is seen.
    private func writeRules(_ d: Deployment, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: d.rules, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: d.rules + "/.t.yaml.swp"))
        XCTAssertEqual(rename(d.rules + "/.t.yaml.swp", d.rules + "/t.yaml"), 0)
    }

    /// The ruleset hash `winnow check` reports for the rules folder as it is now.
    private func checkedHash(_ d: Deployment) throws -> String {
        let r = try runWinnow(["check", "--rules", d.rules])
        XCTAssertEqual(r.status, 0, r.stdout)
        return String(try XCTUnwrap(r.stdout.components(separatedBy: "ruleset ").last).prefix(16))
    }

    private func lastAlert(_ d: Deployment) -> [String: Any]? { d.alerts().last }

    private func ruleIDs(_ alert: [String: Any]?) -> [String] {
        (alert?["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    func testReload_whenRuleAdded_newRuleFiresAndAlertNamesNewRuleset() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        let oldHash = try checkedHash(d)
        try d.start()
        try d.drop("one.txt", "an alphaword\n")
        XCTAssertTrue(waitUntil { d.alerts().count == 1 }, d.logs)
        XCTAssertEqual(lastAlert(d)?["ruleset"] as? String, oldHash)

        try writeRules(d, Self.pack(Self.alphaRule, Self.betaRule))
        let newHash = try checkedHash(d)
        XCTAssertNotEqual(newHash, oldHash)
        XCTAssertTrue(waitUntil { d.logs.contains("rules reloaded (rules changed)") }, d.logs)
        try d.drop("two.txt", "a betaword\n")
        XCTAssertTrue(waitUntil { d.alerts().count == 2 }, d.logs)
        XCTAssertEqual(ruleIDs(lastAlert(d)), ["t.beta"])
        XCTAssertEqual(lastAlert(d)?["ruleset"] as? String, newHash, "the alert names the ruleset that produced it")
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["ruleset"]) as? String) == newHash })
        let (_, status) = try d.statusJSON()
        XCTAssertEqual(status["reloads"] as? Int, 1)
        XCTAssertEqual(status["rule_count"] as? Int, 2)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testReload_whenAFIFOAppearsInTheRulesFolder_reportsItAndKeepsClassifying() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        try d.start()
        // Opening a FIFO for reading waits for a writer: before, this hung the reload for good.
        XCTAssertEqual(mkfifo(d.rules + "/pipe.yaml", 0o644), 0)
        XCTAssertTrue(waitUntil { d.logs.contains("pipe.yaml:1:1: error: cannot read") && d.logs.contains("is a FIFO (named pipe), not a file") }, d.logs)
        try d.drop("one.txt", "an alphaword\n")
        XCTAssertTrue(waitUntil { d.alerts().count == 1 }, d.logs)
        XCTAssertEqual(unlink(d.rules + "/pipe.yaml"), 0)
        XCTAssertTrue(waitUntil { d.logs.contains("rules reloaded (rules changed)") }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testReload_whenASymlinkedPacksTargetChanges_reloads() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        // The pack lives elsewhere and is linked into the rules folder, as configuration
        // management tools deploy files.
        let target = dir.path + "/deployed-t.yaml"
        try Data(Self.pack(Self.alphaRule).utf8).write(to: URL(fileURLWithPath: target))
        XCTAssertEqual(unlink(d.rules + "/t.yaml"), 0)
        XCTAssertEqual(symlink(target, d.rules + "/t.yaml"), 0)
        try d.start()
        try Data(Self.pack(Self.alphaRule, Self.betaRule).utf8).write(to: URL(fileURLWithPath: target + ".new"))
        XCTAssertEqual(rename(target + ".new", target), 0)
        XCTAssertTrue(waitUntil { d.logs.contains("rules reloaded (rules changed)") }, d.logs)
        try d.drop("two.txt", "a betaword\n")
        XCTAssertTrue(waitUntil { d.alerts().count == 1 }, d.logs)
        XCTAssertEqual(ruleIDs(lastAlert(d)), ["t.beta"])
        XCTAssertEqual(d.stop().status, 0)
    }

    func testStartAndReload_whenGazetteerRowsAreMalformed_logWhatWasSkipped() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        let columns = ["P", "PPL", "KZ", "", "04", "", "", "", "500757", "", "", "Asia/Almaty", ""]
        let good = (["610611", "Aktobe", "Aktobe", "", "50.27969", "57.20718"] + columns).joined(separator: "\t") + "\n"
        let farNorth = (["610612", "Aktau", "Aktau", "", "99999", "51.2"] + columns).joined(separator: "\t") + "\n"
        let noId = (["", "Atyrau", "Atyrau", "", "47.11", "51.88"] + columns).joined(separator: "\t") + "\n"
        let cities = d.rules + "/cities.txt"
        try Data((good + farNorth).utf8).write(to: URL(fileURLWithPath: cities))
        try Data("pack: places\ngazetteer:\n  places: cities.txt\n".utf8).write(to: URL(fileURLWithPath: d.rules + "/places.yaml"))
        try d.start()
        XCTAssertTrue(d.logs.contains("cities.txt:2:1: warning: skipped 1 malformed row (latitude '99999' is not a number from -90 to 90) [bad-geonames-row]"), d.logs)

        try Data((good + noId + farNorth).utf8).write(to: URL(fileURLWithPath: d.rules + "/.cities.txt.new"))
        XCTAssertEqual(rename(d.rules + "/.cities.txt.new", cities), 0)
        XCTAssertTrue(waitUntil { d.logs.contains("rules reloaded (rules changed)") }, d.logs)
        XCTAssertTrue(d.logs.contains("cities.txt:2:1: warning: skipped 2 malformed rows (first here: geonameid '' is not a number from 1 to 4294967295) [bad-geonames-row]"), d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testReload_whenEditBroken_keepsLastGoodRulesetAndReportsPathLineColumn() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        let goodHash = try checkedHash(d)
        try d.start()

        // Three kinds of broken edit, each with the position of its first error.
        let broken: [(String, String)] = [
            (Self.pack(Self.alphaRule.replacingOccurrences(of: "condition:", with: "condtion:")),
             "t.yaml:8:5: error: unknown key 'condtion' in a rule (did you mean 'condition'?)"),
            (Self.pack(Self.alphaRule) + "  - id: [unclosed\n", #"t\.yaml:\d+:\d+: error: invalid YAML"#),
            (Self.pack(Self.alphaRule.replacingOccurrences(of: "an alphaword here", with: "an alphawords here")),
             "t.yaml:10:15: error: rule 't.alpha' should fire on this example, but did not"),
        ]
        for (round, (text, expected)) in broken.enumerated() {
            try writeRules(d, text)
            let isRegex = expected.contains(#"\d"#)
            func reported(_ s: String) -> Bool {
                isRegex ? s.range(of: expected, options: .regularExpression) != nil : s.contains(expected)
            }
            XCTAssertTrue(waitUntil { reported(d.logs) && d.logs.components(separatedBy: "keeping last good ruleset").count - 1 == round + 1 },
                          "logged with path:line:col: \(d.logs)")
            XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["rule_error"]) as? String).map(reported) == true },
                          "status --format json rule_error: \((try? d.status(["--format", "json"]).stdout) ?? "")")
            let text = try d.status().stdout
            XCTAssertTrue(text.contains("rule error") && reported(text), text)
            XCTAssertTrue(text.contains("ruleset      \(goodHash)"), text)

            // Documents are still classified, by the last good ruleset.
            try d.drop("doc-\(round).txt", "an alphaword, round \(round)\n")
            XCTAssertTrue(waitUntil { d.alerts().count == round + 1 }, d.logs)
            XCTAssertEqual(lastAlert(d)?["ruleset"] as? String, goodHash)
            XCTAssertEqual(ruleIDs(lastAlert(d)), ["t.alpha"])
        }
        let (_, status) = try d.statusJSON()
        XCTAssertEqual(status["failed_reloads"] as? Int, 3)
        XCTAssertEqual(status["ruleset"] as? String, goodHash)

        XCTAssertEqual(d.stop().status, 0)
        let summary = try XCTUnwrap(String(data: FileManager.default.contents(atPath: d.state + "/summary.log") ?? Data(), encoding: .utf8))
        XCTAssertTrue(summary.contains("rule error  ") && summary.contains("t.yaml:10:15: error: rule 't.alpha' should fire"), summary)
        XCTAssertTrue(summary.contains("reloads 0 ok, 3 failed"), summary)
        let (code, stopped) = try d.statusJSON()
        XCTAssertEqual(code, 3)
        XCTAssertNotNil(stopped["rule_error"] as? String, "the error stays visible after the daemon stops")
    }

    func testReload_whenBrokenEditFixed_clearsTheRuleError() throws {
        let dir = TempFolder()
        let d = try deployment(dir)
        try d.start()
        try writeRules(d, Self.pack(Self.alphaRule.replacingOccurrences(of: "condition:", with: "condtion:")))
        XCTAssertTrue(waitUntil { ((try? d.statusJSON().1["rule_error"]) as? String) != nil }, d.logs)
        try writeRules(d, Self.pack(Self.alphaRule, Self.betaRule))
        let fixed = try checkedHash(d)
        XCTAssertTrue(waitUntil {
            guard let s = try? d.statusJSON().1 else { return false }
            return s["rule_error"] is NSNull && s["ruleset"] as? String == fixed
        }, d.logs)
        XCTAssertFalse(try d.status().stdout.contains("rule error"))
        XCTAssertEqual(d.stop().status, 0)
    }

    func testSIGHUP_shorteningPollInterval_wakesTheInboxNow() throws {
        let dir = TempFolder()
        let d = try deployment(dir, pollInterval: "1h")
        try d.start()
        // The inbox polled once at start and sleeps for an hour; before, a SIGHUP that
        // shortened poll_interval applied only after that hour.
        try d.writeConfig("", defaults: ["poll_interval": "100ms"])
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil { d.logs.contains("configuration reloaded") }, d.logs)
        try d.drop("late.txt", "an alphaword\n")
        XCTAssertTrue(waitUntil(timeout: .seconds(10)) { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testReload_whenPackIsSavedInPlaceInTwoWrites_loadsOnlyTheFinishedFile() throws {
        let dir = TempFolder()
        let d = try deployment(dir, pollInterval: "300ms")
        try d.start()
        // An editor that writes in place: first a valid half (one rule), 200 ms later the
        // whole file. A change is loaded only once it held still for a poll, so the half,
        // which lasts less than one, never goes live.
        let path = d.rules + "/t.yaml"
        try Data(Self.pack(Self.betaRule).utf8).write(to: URL(fileURLWithPath: path))
        usleep(200_000)
        try Data(Self.pack(Self.alphaRule, Self.betaRule).utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertTrue(waitUntil { d.logs.contains("rules reloaded (rules changed)") }, d.logs)
        usleep(800_000)
        XCTAssertEqual(d.logs.components(separatedBy: "rules reloaded").count - 1, 1, d.logs)
        XCTAssertEqual((try d.statusJSON().1["rule_count"]) as? Int, 2)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testSIGHUP_reloadsConfigurationAndRules() throws {
        let dir = TempFolder()
        let d = try deployment(dir, "alert_level: critical")
        try d.start()
        try d.drop("before.txt", "an alphaword\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.alerts().count, 0, "a high document does not reach alert_level critical")

        try d.writeConfig("alert_level: high", defaults: ["poll_interval": "100ms"])
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil { d.logs.contains("configuration reloaded") && d.logs.contains("rules reloaded (SIGHUP)") }, d.logs)
        XCTAssertTrue(d.isRunning)
        try d.drop("after.txt", "an alphaword again\n")
        XCTAssertTrue(waitUntil { d.processed().count == 2 }, d.logs)
        XCTAssertEqual(d.alerts().count, 1, "alert_level high applies after SIGHUP")
        XCTAssertEqual((d.alerts().first?["document"] as? [String: Any])?["name"] as? String, "after.txt")
        XCTAssertEqual(d.stop().status, 0)
    }

    /// A config whose new inbox and state are fine with its new rules folder, but whose rules
    /// folder holds the running state folder (inbox and state change only at a restart).
    func testSIGHUP_whenNewRulesFolderWouldHoldTheRunningStateFolder_keepsTheRunningConfiguration() throws {
        let dir = TempFolder()
        let top = dir.path + "/top"
        try FileManager.default.createDirectory(atPath: top, withIntermediateDirectories: true)
        let d = try Deployment(base: top, configFolder: dir.path, keeping: [dir])
        try writeRules(d, Self.pack(Self.alphaRule))
        try d.writeConfig(defaults: ["poll_interval": "100ms"])
        try d.start()
        try FileManager.default.copyItem(atPath: d.rules + "/t.yaml", toPath: top + "/t.yaml")
        let config = "inbox: \(dir.path)/x/inbox\nstate: \(dir.path)/x/state\nrules: \(top)\npoll_interval: 100ms\nsettle_time: 0s\nmin_free_space: 0\n"
        try Data(config.utf8).write(to: URL(fileURLWithPath: d.configPath))
        let checked = try runWinnow(["check", "--config", d.configPath])
        XCTAssertEqual(checked.status, 0, "the file alone is fine: \(checked.stdout)\(checked.stderr)")

        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil { d.logs.contains("failed to reload the configuration") }, d.logs)
        XCTAssertTrue(d.logs.contains("is inside the rules folder"), d.logs)
        usleep(500_000)
        XCTAssertFalse(d.logs.contains("rules reloaded (rules changed)"), "the state folder's rewrites must not look like rule edits")
        try d.drop("after.txt", "an alphaword again\n")
        XCTAssertTrue(waitUntil { d.processed().count == 1 }, d.logs)
        XCTAssertEqual(d.stop().status, 0)
    }

    /// `systemctl reload` right after a start: SIGHUP must not kill the daemon while it is
    /// still loading its rules (the shipped ones, with the gazetteer, take about a second in
    /// a debug build). Its disposition is read from /proc: SIGHUP has to be ignored before
    /// the rules are loaded, not only once the reload service listens.
    func testSIGHUP_whileRulesStillLoad_doesNotStopTheDaemon() throws {
        let dir = TempFolder()
        let d = try Deployment(base: dir.path, rules: packageRoot() + "/rules", keeping: [dir])
        try d.writeConfig()
        try d.start(waitReady: false)
        let pid = try XCTUnwrap(d.process?.pid)
        func hangupIgnored() -> Bool {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigIgn:") }),
                  let mask = UInt64(line.split(separator: "\t").last ?? "", radix: 16) else { return false }
            return mask & (1 << (UInt64(SIGHUP) - 1)) != 0
        }
        guard FileManager.default.fileExists(atPath: "/proc/\(pid)/status") else { throw XCTSkip("no /proc") }
        XCTAssertTrue(waitUntil(timeout: .seconds(10)) { hangupIgnored() || d.logs.contains("watching inbox") }, d.logs)
        XCTAssertFalse(d.logs.contains("gazetteer loaded"), "SIGHUP was still deadly while the rules loaded: \(d.logs)")
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil { d.logs.contains("watching inbox") || !d.isRunning }, d.logs)
        XCTAssertTrue(d.isRunning, "a SIGHUP during start-up stopped the daemon: \(d.logs)")
        XCTAssertEqual(d.stop().status, 0)
    }

    /// The operator's way to retry a failed document: fix the cause, move it back into the
    /// inbox. Its sha256 was never recorded as seen, so it is not skipped as a duplicate.
    func testRequeue_afterSIGHUPRaisesMaxBytes_failedDocumentIsClassified() throws {
        let dir = TempFolder()
        let d = try deployment(dir, "max_bytes: 100")
        try d.start()
        let long = "an alphaword in a long report\n" + String(repeating: "more text follows here.\n", count: 10)
        try d.drop("report.txt", long)
        XCTAssertTrue(waitUntil { d.failed().count == 1 }, d.logs)
        XCTAssertEqual(d.reason("report.txt")?["reason"] as? String, "too-large")

        try d.writeConfig("max_bytes: 1KB", defaults: ["poll_interval": "100ms"])
        d.signal(SIGHUP)
        XCTAssertTrue(waitUntil { d.logs.contains("configuration reloaded") }, d.logs)
        XCTAssertEqual(rename(d.state + "/failed/report.txt", d.inbox + "/report.txt"), 0)
        try FileManager.default.removeItem(atPath: d.state + "/failed/report.txt.reason.json")
        XCTAssertTrue(waitUntil { d.processed().count == 1 || d.failed().count == 1 }, d.logs)
        XCTAssertEqual(d.failed(), [], "max_bytes from the reloaded config applies: \(d.reason("report.txt") ?? [:])")
        XCTAssertEqual(d.alerts().count, 1)
        XCTAssertEqual(d.stop().status, 0)
    }
}
