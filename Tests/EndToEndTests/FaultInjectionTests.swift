import Foundation
import WinnowTestSupport
import XCTest

/// I/O faults injected into the real daemon with libfiu (`fiu-run`, `fiu-ctrl`; Debian
/// fiu-utils): the failures are the kernel's answers as the daemon sees them, at the call sites
/// it really uses.
final class FaultInjectionTests: XCTestCase {
    let raid = packageRoot() + "/Tests/EndToEndTests/Fixtures/tashkent-raid.txt"

    private func tool(_ name: String) throws -> String {
        for folder in ["/usr/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
            return folder + "/" + name
        }
        throw XCTSkip("\(name) is not installed (Debian fiu-utils; `make test` installs it)")
    }

    private func control(_ command: String, pid: Int32) throws {
        let p = WinnowProcess(executable: try tool("fiu-ctrl"), ["-c", command, String(pid)])
        try p.start()
        let r = p.wait()
        XCTAssertEqual(r.status, 0, "fiu-ctrl \(command): \(r.stderr)")
    }

    func testAppend_whenWritesAndCutBacksFail_neverTearsALineOrRepeatsAnAlert() throws {
        let fiuRun = try tool("fiu-run")
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        d.launcher = [fiuRun, "-x"]
        try d.start()
        let pid = try XCTUnwrap(d.process?.pid)
        // Every cut-back fails while a third of all writes fail: each failed group leaves what
        // it wrote, and only a cut that succeeds may let the next group in.
        try control("enable name=posix/io/rw/ftruncate", pid: pid)
        try control("enable_random name=posix/io/rw/write,probability=0.3", pid: pid)
        let base = try Data(contentsOf: URL(fileURLWithPath: raid))
        for i in 0..<30 {
            try d.drop("raid-\(i).txt", base + Data("\ncopy \(i)\n".utf8))
            usleep(50_000)
        }
        usleep(2_000_000)
        try control("disable name=posix/io/rw/write", pid: pid)
        try control("disable name=posix/io/rw/ftruncate", pid: pid)
        XCTAssertTrue(waitUntil(timeout: .seconds(90)) { d.processed().count == 30 }, d.logs)
        // Its log lines fail too: an error logged, or a line dropped, shows the faults hit.
        let status = FileManager.default.contents(atPath: d.state + "/status.json").flatMap {
            try? JSONSerialization.jsonObject(with: $0) as? [String: Any]
        }
        XCTAssertTrue(d.logs.contains("error") || (status?["log_lines_dropped"] as? Int ?? 0) > 0,
                      "no fault was injected; the test proves nothing: \(d.logs)")

        let alerts = d.alerts()  // fails on any line that is not whole JSON
        let ids = alerts.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 30)
        XCTAssertEqual(Set(ids).count, ids.count, "an alert was written twice")
        XCTAssertEqual(d.alertCounts().values.filter { $0 != 1 }, [], "each document alerted exactly once")
        for line in d.journal() { XCTAssertGreaterThanOrEqual(line.count, 4, "torn journal line \(line)") }
        d.stop()
    }
}
