import Foundation
import WinnowTestSupport
import XCTest

/// A log that cannot be written is counted and dropped; the daemon goes on (issue 13, defect 5).
final class LogFailureTests: XCTestCase {
    let raid = packageRoot() + "/Tests/EndToEndTests/Fixtures/tashkent-raid.txt"

    /// `winnow run` with stderr on `handle`; the caller owns what happens to the other end.
    private func start(_ d: Deployment, stderr handle: FileHandle) throws -> Process {
        try d.writeConfig()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: winnowBinary())
        p.arguments = ["run", "--config", d.configPath]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = handle
        try p.run()
        return p
    }

    private func stopAndCheck(_ p: Process, _ d: Deployment, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(p.isRunning, "the daemon died of its log", file: file, line: line)
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .exit, file: file, line: line)
        XCTAssertEqual(p.terminationStatus, 0, file: file, line: line)
        let summary = (try? String(contentsOfFile: d.state + "/summary.log", encoding: .utf8)) ?? ""
        XCTAssertTrue(summary.contains("(shutdown)"), "the last summary is still written: \(summary)", file: file, line: line)
        let status = try XCTUnwrap(FileManager.default.contents(atPath: d.state + "/status.json"), file: file, line: line)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: status) as? [String: Any], file: file, line: line)
        XCTAssertGreaterThan(object["log_lines_dropped"] as? Int ?? 0, 0, "\(object)", file: file, line: line)
    }

    func testRun_withStderrOnAFullDevice_goesOnAlertingAndCountsDroppedLines() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        let p = try start(d, stderr: try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full")))
        try d.drop("raid.txt", try Data(contentsOf: URL(fileURLWithPath: raid)))
        XCTAssertTrue(waitUntil { d.alerts().count == 1 && d.processed().count == 1 }, "no alert with stderr on /dev/full")
        try stopAndCheck(p, d)
    }

    func testRun_whenTheLogPipesReaderIsGone_goesOnAlertingAndStopsCleanly() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        let pipe = Pipe()
        let p = try start(d, stderr: pipe.fileHandleForWriting)
        try pipe.fileHandleForWriting.close()
        // Like `winnow run 2>&1 | head -1`: one line read, then the reader is gone.
        var first = Data()
        while !first.contains(0x0A) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first += chunk
        }
        try pipe.fileHandleForReading.close()
        try d.drop("raid.txt", try Data(contentsOf: URL(fileURLWithPath: raid)))
        XCTAssertTrue(waitUntil { d.alerts().count == 1 && d.processed().count == 1 }, "no alert once the log's reader left")
        try stopAndCheck(p, d)
    }
}
