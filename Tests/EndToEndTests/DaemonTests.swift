import Crypto
import Foundation
import WinnowTestSupport
import XCTest

/// Starts the real `winnow run` on a temporary inbox, drops documents, reads what it wrote.
final class DaemonTests: XCTestCase {
    let fixtures = packageRoot() + "/Tests/EndToEndTests/Fixtures"
    let rules = packageRoot() + "/rules"

    private func startDaemon(_ dir: TempFolder, extraArgs: [String] = []) throws -> WinnowProcess {
        try FileManager.default.createDirectory(atPath: dir.path + "/inbox", withIntermediateDirectories: true)
        let config = """
        poll_interval: 100ms
        settle_time: 200ms
        summary_interval: 1h
        """
        try dir.write("winnow.yaml", config)
        let p = WinnowProcess(["run", "--config", dir.path + "/winnow.yaml", "--inbox", dir.path + "/inbox",
                               "--state", dir.path + "/state", "--rules", rules] + extraArgs)
        try p.start()
        let ready = waitUntil { p.stderr.contains("watching inbox") || !p.process.isRunning }
        XCTAssertTrue(ready && p.process.isRunning, "daemon did not start: \(p.stderr)")
        return p
    }

    private func alerts(_ dir: TempFolder) -> [[String: Any]] {
        (dir.read("state/alerts.jsonl") ?? "").split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func testRun_whenDocumentDropped_writesAlertMovesFileAndSummarisesOnSIGTERM() throws {
        let dir = TempFolder()
        let daemon = try startDaemon(dir)
        let original = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/tashkent-raid.txt"))
        try original.write(to: dir.url("inbox/tashkent-raid.txt"))
        try Data(contentsOf: URL(fileURLWithPath: fixtures + "/harvest-report.txt")).write(to: dir.url("inbox/harvest-report.txt"))

        XCTAssertTrue(waitUntil { dir.files(under: "state/processed").count == 2 }, daemon.stderr)
        let found = alerts(dir)
        XCTAssertEqual(found.count, 1, "only the raid alerts; the harvest report fires nothing")
        let alert = try XCTUnwrap(found.first)
        XCTAssertEqual(alert["schema"] as? Int, 3)
        XCTAssertEqual(alert["level"] as? String, "high")
        let tags = try XCTUnwrap(alert["tags"] as? [String])
        XCTAssertTrue(tags.contains("extremism"), "\(tags)")
        XCTAssertTrue(tags.contains("criminality"), "\(tags)")
        XCTAssertNotNil(alert["time"] as? String)
        XCTAssertEqual((alert["ruleset"] as? String)?.count, 16)
        let document = try XCTUnwrap(alert["document"] as? [String: Any])
        XCTAssertEqual(document["name"] as? String, "tashkent-raid.txt")
        XCTAssertEqual(document["bytes"] as? Int, original.count)
        XCTAssertEqual(document["title"] as? String, "Police Say Extremist Cell Behind Market Shooting in Tashkent")
        XCTAssertEqual(document["sha256"] as? String, sha256Hex(original))
        let path = try XCTUnwrap(document["path"] as? String)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "alert path \(path) should exist")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original, "processed file keeps its bytes")
        let rules = try XCTUnwrap(alert["rules"] as? [[String: Any]])
        let attack = try XCTUnwrap(rules.first { $0["id"] as? String == "extremism.armed-attack" })
        let evidence = try XCTUnwrap(attack["evidence"] as? [[String: Any]])
        let first = try XCTUnwrap(evidence.first)
        let start = try XCTUnwrap(first["start"] as? Int), end = try XCTUnwrap(first["end"] as? Int)
        XCTAssertEqual(String(decoding: original[start..<end], as: UTF8.self), first["text"] as? String,
                       "evidence offsets point at the matched text in the original bytes")
        XCTAssertEqual(dir.list("inbox"), [])

        daemon.signal(SIGTERM)
        let result = daemon.wait()
        XCTAssertEqual(result.status, 0, result.stderr)
        let summary = try XCTUnwrap(dir.read("state/summary.log"))
        XCTAssertTrue(summary.contains("(shutdown)"), summary)
        XCTAssertTrue(summary.contains("documents   2 classified"), summary)
        XCTAssertTrue(summary.contains("alerts      1"), summary)
    }

    func testRun_whenSampleArticleDropped_alertsExtremismAndCriminality() throws {
        guard let shared = sharedFolder() else { throw XCTSkip("../shared is absent") }
        let dir = TempFolder()
        let daemon = try startDaemon(dir)
        try FileManager.default.copyItem(atPath: shared + "/samples/aktobe-unrest.txt", toPath: dir.path + "/inbox/aktobe-unrest.txt")
        XCTAssertTrue(waitUntil { !self.alerts(dir).isEmpty }, daemon.stderr)
        let tags = alerts(dir).first?["tags"] as? [String] ?? []
        XCTAssertTrue(tags.contains("extremism") && tags.contains("criminality"), "\(tags)")
        daemon.signal(SIGINT)
        XCTAssertEqual(daemon.wait().status, 0)
        // The region and its capital share a name; the summary tells them apart.
        let summary = dir.read("state/summary.log") ?? ""
        XCTAssertTrue(summary.contains("Aktobe (KZ) 1") && summary.contains("Aktobe region (KZ) 1"), summary)
    }

    func testRun_whenBinaryDropped_movesItToFailedWithReason() throws {
        let dir = TempFolder()
        let daemon = try startDaemon(dir)
        try Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF]).write(to: dir.url("inbox/archive.zip"))
        try Data([0x01, 0x02, 0x00, 0x00, 0xFF]).write(to: dir.url("inbox/blob.bin"))
        XCTAssertTrue(waitUntil { dir.list("state/failed").count == 4 }, daemon.stderr)
        XCTAssertEqual(dir.list("state/failed"), ["archive.zip", "archive.zip.reason.json", "blob.bin", "blob.bin.reason.json"])
        func reason(_ name: String) throws -> [String: Any]? {
            try JSONSerialization.jsonObject(with: Data((dir.read("state/failed/\(name).reason.json") ?? "").utf8)) as? [String: Any]
        }
        XCTAssertEqual(try reason("archive.zip")?["reason"] as? String, "unsupported-format")
        XCTAssertEqual(try reason("archive.zip")?["detail"] as? String, "a ZIP archive (not a DOCX or ODT document), a format Winnow does not read")
        XCTAssertEqual(try reason("blob.bin")?["reason"] as? String, "binary")
        daemon.signal(SIGTERM)
        XCTAssertEqual(daemon.wait().status, 0)
    }

    func testRun_whenFileNameHasLineBreak_logLineIsEscaped() throws {
        let dir = TempFolder()
        let daemon = try startDaemon(dir)
        try "Extremists opened fire and killed two.".write(toFile: dir.path + "/inbox/evil\nname 0 error forged.txt", atomically: false, encoding: .utf8)
        XCTAssertTrue(waitUntil { dir.files(under: "state/processed").count == 1 }, daemon.stderr)
        daemon.signal(SIGTERM)
        let result = daemon.wait()
        XCTAssertFalse(result.stderr.split(separator: "\n").contains { $0.hasPrefix("name 0") }, result.stderr)
        XCTAssertTrue(result.stderr.contains("evil\\nname"), result.stderr)
    }
}

private func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}
