import WinnowDiagnostics
import WinnowRules
import WinnowService
import WinnowTestSupport
import XCTest

final class WinnowConfigTests: XCTestCase {
    func testShippedConfig_loadsWithEveryKey() throws {
        let (config, diagnostics) = WinnowConfig.load(path: packageRoot() + "/etc/winnow/winnow.yaml")
        XCTAssertTrue(diagnostics.isEmpty, "\(diagnostics.items)")
        let c = try XCTUnwrap(config)
        XCTAssertEqual(c.inbox, "/var/lib/winnow/inbox")
        XCTAssertEqual(c.alertLevel, .medium)
        XCTAssertEqual(c.summaryInterval, .seconds(900))
        XCTAssertEqual(c.maxBytes, 32 << 20)
        XCTAssertEqual(c.metricsPath, "/var/lib/winnow/metrics.prom")
    }

    func testLoad_whenKeyMisspelt_pointsAtItAndSuggests() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "inbox: in\npoll_intervall: 2s\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config, "a bad key never falls back to a default silently")
        let d = try XCTUnwrap(diagnostics.errors.first)
        XCTAssertEqual(d.location, SourceLocation(path: path, line: 2, column: 1))
        XCTAssertEqual(d.message, "unknown key 'poll_intervall' in the configuration (did you mean 'poll_interval'?)")
    }

    func testLoad_whenConfigIsAFIFOOrEndless_reportsItWithoutHanging() throws {
        let dir = TempFolder()
        XCTAssertEqual(mkfifo(dir.path + "/fifo.yaml", 0o644), 0)
        let (fifo, d1) = WinnowConfig.load(path: dir.path + "/fifo.yaml")
        XCTAssertNil(fifo)
        XCTAssertEqual(d1.errors.first?.message, "cannot read config '\(dir.path)/fifo.yaml': is a FIFO (named pipe), not a file")
        let (zero, d2) = WinnowConfig.load(path: "/dev/zero")
        XCTAssertNil(zero)
        XCTAssertEqual(d2.errors.first?.message, "cannot read config '/dev/zero': is a device, not a file")
        let (missing, d3) = WinnowConfig.load(path: dir.path + "/none.yaml")
        XCTAssertNil(missing)
        XCTAssertEqual(d3.errors.first?.message, "cannot read config '\(dir.path)/none.yaml': no such file or folder")
    }

    func testLoad_whenValuesMalformed_reportsEach() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "alert_level: hihg\nmax_bytes: lots\npoll_interval: 1ms\nduplicates: maybe\nlog_level: loud\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config)
        let sorted = Diagnostics(diagnostics.errors).sorted
        XCTAssertEqual(sorted.map { $0.location?.line }, [1, 2, 3, 4, 5])
        XCTAssertTrue(sorted[0].message.contains("did you mean 'high'?"), sorted[0].message)
    }

    func testLoad_resolvesRelativePathsAgainstTheFile() throws {
        let dir = TempFolder()
        let path = try dir.write("etc/w.yaml", "inbox: ../spool/in\nstate: /abs/state\nmetrics_file: none\n")
        let c = try XCTUnwrap(WinnowConfig.load(path: path).0)
        XCTAssertEqual(c.inbox, dir.path + "/etc/../spool/in")
        XCTAssertEqual(c.state, "/abs/state")
        XCTAssertEqual(c.rules, dir.path + "/etc/rules")
        XCTAssertNil(c.metricsPath)
    }

    func testLoad_withoutPath_usesTheEmbeddedDefault() throws {
        let (config, diagnostics) = WinnowConfig.load(path: nil)
        XCTAssertTrue(diagnostics.isEmpty)
        XCTAssertEqual(config?.inbox, "winnow-data/inbox")
        XCTAssertEqual(config?.rules, "rules")
        XCTAssertEqual(config?.origin, "embedded default")
    }

    func testLoad_whenEmpty_takesDefaults() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "# nothing set\n")
        XCTAssertEqual(WinnowConfig.load(path: path).0?.pollInterval, .seconds(1))
    }
}
