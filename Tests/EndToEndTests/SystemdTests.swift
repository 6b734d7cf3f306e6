import Foundation
import WinnowTestSupport
import XCTest

/// The installed unit under a real systemd: `make install-files` into a tree, then Debian's
/// systemd as PID 1 of private namespaces (Fixtures/systemd, after
/// ../shared/notes/real-systemd.md) starts, reloads and stops `winnow.service` with all of its
/// hardening. This proves what the unit file, `make install`, the sysusers and tmpfiles snippets
/// and the sd_notify code do together, which no simulation of the protocol can.
///
/// The namespaced systemd sees only stub targets, journald's units and the unit under test, with
/// private /tmp, /run and /dev and overlays over /etc, /usr and /var; the host's /tmp is checked
/// to be untouched. Needs root; skips where namespaces, overlayfs or cgroup2 are missing.
final class SystemdTests: XCTestCase {
    static let fixtures = packageRoot() + "/Tests/EndToEndTests/Fixtures/systemd"
    static let tools = ["/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv", "/usr/bin/make",
                        "/usr/bin/systemctl", "/usr/bin/journalctl", "/usr/bin/systemd-analyze",
                        "/usr/bin/systemd-sysusers", "/usr/bin/systemd-tmpfiles"]
    /// Needs the mass-casualty rule's PCRE2 patterns ("killing 25"), so it classifies only if
    /// the interpreter runs them where JIT is refused.
    static let kabul = "Islamist militants attacked a market in Kabul, killing 25 people and wounding dozens."

    func testInstalledUnit_underRealSystemd_startsAlertsReloadsPingsWatchdogAndStopsCleanly() throws {
        try Self.requireEnvironment()
        let clock = ContinuousClock()
        let began = clock.now

        // Proof that the host's /tmp is left alone (systemd-tmpfiles-setup would empty it).
        let marker = "/tmp/winnow-systemd-marker-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        XCTAssertTrue(FileManager.default.createFile(atPath: marker, contents: Data("keep\n".utf8)))
        addTeardownBlock {  // runs after the sandbox's teardown (blocks run last-added first)
            XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the host's /tmp lost \(marker)")
            try? FileManager.default.removeItem(atPath: marker)
        }

        let dir = TempFolder("winnow-systemd")
        let tree = dir.path + "/tree"
        let install = try command("/usr/bin/make", ["-s", "-C", packageRoot(), "install-files",
                                                    "DESTDIR=\(tree)", "INSTALL_BIN=\(winnowBinary())"])
        XCTAssertEqual(install.status, 0, install.all)
        let unitFile = tree + "/usr/lib/systemd/system/winnow.service"
        let unit = try String(contentsOfFile: unitFile, encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecStart=/usr/local/bin/winnow run --config /etc/winnow/winnow.yaml"), unit)
        XCTAssertTrue(unit.contains("Type=notify") && unit.contains("WatchdogSec=60s"), unit)

        // systemd-analyze security on the installed file (offline: no running manager needed).
        let security = try command("/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", unitFile])
        let overall = security.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") }.map(String.init) ?? ""
        print("systemd-analyze security --offline=true: \(overall)")
        let score = overall.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        XCTAssertNotNil(score, security.all)
        XCTAssertLessThan(score ?? 99, 2.0, security.all)

        // The watchdog at a few seconds instead of a minute, so the test sees pings and outlives it.
        try dir.write("units/winnow.service.d/test-watchdog.conf", "[Service]\nWatchdogSec=3s\n")

        let sandbox = try SystemdSandbox.boot(in: dir)
        addTeardownBlock {
            let r = sandbox.teardown()
            XCTAssertEqual(r.status, 0, "teardown left something behind: \(r.all)")
        }
        // What `systemctl enable` does; it also keeps the unit loaded once stopped, so its
        // ExecMain* properties can be read then.
        try FileManager.default.createDirectory(atPath: dir.path + "/units/multi-user.target.wants", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/units/multi-user.target.wants/winnow.service",
                                                   withDestinationPath: "/usr/lib/systemd/system/winnow.service")
        try sandbox.expectSuccess(["systemctl", "daemon-reload"])

        // The unit as installed verifies where its paths exist (inside: /usr/local/bin/winnow).
        try sandbox.expectSuccess(["systemd-analyze", "verify", "/usr/lib/systemd/system/winnow.service"])

        // Start: Type=notify returns once Winnow sent READY=1.
        try sandbox.expectSuccess(["timeout", "60", "systemctl", "start", "winnow"])
        var show = try sandbox.show(["ActiveState", "SubState", "StatusText", "MainPID", "Type", "WatchdogUSec", "NRestarts",
                                     "ActiveEnterTimestampMonotonic"])
        XCTAssertEqual(show["ActiveState"], "active", sandbox.diagnostics())
        XCTAssertEqual(show["SubState"], "running")
        XCTAssertEqual(show["Type"], "notify")
        XCTAssertEqual(show["WatchdogUSec"], "3s")
        let mainPID = try XCTUnwrap(show["MainPID"].flatMap(Int.init), "\(show)")
        XCTAssertGreaterThan(mainPID, 0)
        let ready = try XCTUnwrap(show["ActiveEnterTimestampMonotonic"].flatMap(UInt64.init), "\(show)")
        let ruleset = try XCTUnwrap(sandbox.winnowJournal().first { $0.message.hasPrefix("watching inbox ") }?
            .message.firstMatch(of: /ruleset=([0-9a-f]+)/)?.1, sandbox.diagnostics())
        XCTAssertTrue(show["StatusText"].map { $0.hasSuffix("ruleset \(ruleset)") } ?? false,
                      "StatusText is Winnow's (watching …; ruleset …, or its counts): \(show)")

        // The hardening is in force on the running process.
        let procStatus = try sandbox.expectSuccess(["cat", "/proc/\(mainPID)/status"])
        XCTAssertTrue(procStatus.contains("Seccomp:\t2"), procStatus)
        XCTAssertTrue(procStatus.contains("NoNewPrivs:\t1"), procStatus)
        XCTAssertTrue(procStatus.contains("CapEff:\t0000000000000000"), procStatus)

        // A sender in the winnow group (not the winnow user) drops a document into the inbox.
        try sandbox.expectSuccess(["setpriv", "--reuid=65534", "--regid=winnow", "--clear-groups", "sh", "-c",
                                   #"umask 027; printf '%s\n' "$1" > /var/lib/winnow/inbox/.kabul.txt && mv /var/lib/winnow/inbox/.kabul.txt /var/lib/winnow/inbox/kabul.txt"#,
                                   "sh", Self.kabul])
        let state = tree + "/var/lib/winnow"  // the upper layer of /var: what the daemon wrote
        XCTAssertTrue(waitUntil(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: state + "/processed/\(utcToday())/kabul.txt") },
                      "the document reaches processed/: \(sandbox.diagnostics())")
        let alertText = String(decoding: FileManager.default.contents(atPath: state + "/alerts.jsonl") ?? Data(), as: UTF8.self)
        let alerts = alertText.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(alerts.count, 1, alertText)
        let rules = (alerts.first?["rules"] as? [[String: Any]]) ?? []
        let massCasualty = rules.first { $0["id"] as? String == "extremism.mass-casualty-attack" }
        XCTAssertNotNil(massCasualty, "the regex rule fired under MemoryDenyWriteExecute: \(alertText)")
        let evidence = (massCasualty?["evidence"] as? [[String: Any]]) ?? []
        XCTAssertTrue(evidence.contains { $0["matcher"] as? String == "toll" && $0["text"] as? String == "killing 25" }, "\(evidence)")
        XCTAssertEqual((alerts.first?["document"] as? [String: Any])?["path"] as? String, "/var/lib/winnow/processed/\(utcToday())/kabul.txt")

        // PDF and DOCX are read by child processes that set their own limits: the system call
        // filter, ProtectSystem and the rest must let them run (issue 11).
        let formats = packageRoot() + "/Tests/WinnowFormatsTests/Fixtures/formats"
        var dropped = ["english.docx"]
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") { dropped.append("text.pdf") }
        for name in dropped {
            // The sandbox has a /tmp of its own, where a clone of the project may live: the bytes
            // go in as an argument.
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: formats + "/" + name), name).base64EncodedString()
            try sandbox.expectSuccess(["sh", "-c", #"printf '%s' "$1" | base64 -d > "/var/lib/winnow/inbox/.$2" && chmod 0644 "/var/lib/winnow/inbox/.$2" && mv "/var/lib/winnow/inbox/.$2" "/var/lib/winnow/inbox/$2""#,
                                       "sh", bytes, name])
        }
        XCTAssertTrue(waitUntil(timeout: .seconds(30)) {
            dropped.allSatisfy { FileManager.default.fileExists(atPath: state + "/processed/\(utcToday())/\($0)") }
        }, "PDF and DOCX are read under the unit's hardening: \(sandbox.diagnostics()) failed/: \((try? FileManager.default.contentsOfDirectory(atPath: state + "/failed")) ?? [])")

        // PCRE2 fell back to its interpreter: no anonymous executable mapping (JIT code) exists.
        let maps = try sandbox.expectSuccess(["cat", "/proc/\(mainPID)/maps"])
        let jitMappings = maps.split(separator: "\n").filter { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            return f.count == 5 && f[1].contains("x")
        }
        XCTAssertEqual(jitMappings, [], "executable anonymous memory under MemoryDenyWriteExecute")

        // The journal parsed the <N> prefixes into priorities.
        XCTAssertTrue(waitUntil(timeout: .seconds(10)) { (try? sandbox.winnowJournal().contains { $0.message.hasPrefix("alert ") }) == true })
        var journal = try sandbox.winnowJournal()
        let alertLine = journal.first { $0.message.hasPrefix("alert document=kabul.txt") }
        XCTAssertEqual(alertLine?.priority, 6, "alert line at info: \(journal.map(\.message))")
        XCTAssertTrue(alertLine?.message.contains("rules=extremism.mass-casualty-attack") ?? false)
        XCTAssertEqual(journal.first { $0.message.hasPrefix("watching inbox") }?.priority, 6)
        XCTAssertEqual(journal.filter { $0.message.hasPrefix("<") }.map(\.message), [], "unparsed priority prefixes")

        // Reload: ExecReload's SIGHUP re-reads the configuration and the rules; same process.
        try sandbox.expectSuccess(["timeout", "60", "systemctl", "reload", "winnow"])
        XCTAssertTrue(waitUntil(timeout: .seconds(20)) {
            (try? sandbox.winnowJournal().contains { $0.message.hasPrefix("rules reloaded (SIGHUP)") }) == true
        }, sandbox.diagnostics())
        journal = try sandbox.winnowJournal()
        XCTAssertEqual(journal.first { $0.message.hasPrefix("configuration reloaded") }?.priority, 5, "\(journal.map(\.message))")
        XCTAssertEqual(journal.first { $0.message.hasPrefix("rules reloaded (SIGHUP)") }?.priority, 5)
        XCTAssertTrue(waitUntil(timeout: .seconds(10)) { (try? sandbox.show(["SubState"]))?["SubState"] == "running" })
        show = try sandbox.show(["ActiveState", "SubState", "MainPID", "StatusText"])
        XCTAssertEqual(show["ActiveState"], "active")
        XCTAssertEqual(show["MainPID"], "\(mainPID)", "reload must not restart the daemon")
        XCTAssertTrue(show["StatusText"]?.contains("ruleset \(ruleset)") ?? false, "\(show)")

        // The watchdog: pings keep arriving, and the daemon outlives WatchdogSec=3s by far.
        let firstPing = try sandbox.show(["WatchdogTimestampMonotonic"])["WatchdogTimestampMonotonic"].flatMap(UInt64.init) ?? 0
        var pings = [String: String]()
        XCTAssertTrue(waitUntil(timeout: .seconds(15)) {
            pings = (try? sandbox.show(["WatchdogTimestampMonotonic"])) ?? [:]
            let last = pings["WatchdogTimestampMonotonic"].flatMap(UInt64.init) ?? 0
            return last > firstPing && last > ready + 4_000_000
        }, "watchdog pings more than 4 s after READY=1: \(pings) \(sandbox.diagnostics())")
        show = try sandbox.show(["ActiveState", "SubState", "MainPID", "NRestarts"])
        XCTAssertEqual(show["SubState"], "running")
        XCTAssertEqual(show["MainPID"], "\(mainPID)", "the watchdog must not have killed the daemon")
        XCTAssertEqual(show["NRestarts"], "0")

        // Stop: SIGTERM, a clean exit and the shutdown summary.
        try sandbox.expectSuccess(["timeout", "60", "systemctl", "stop", "winnow"])
        show = try sandbox.show(["ActiveState", "Result", "ExecMainCode", "ExecMainStatus", "ExecMainPID"])
        XCTAssertEqual(show["ActiveState"], "inactive")
        XCTAssertEqual(show["Result"], "success", "\(show) \(sandbox.diagnostics())")
        XCTAssertEqual(show["ExecMainPID"], "\(mainPID)")
        XCTAssertEqual(show["ExecMainCode"], "1", "CLD_EXITED")
        XCTAssertEqual(show["ExecMainStatus"], "0")
        let summary = String(decoding: FileManager.default.contents(atPath: state + "/summary.log") ?? Data(), as: UTF8.self)
        XCTAssertTrue(summary.contains("(shutdown) =="), summary)
        XCTAssertTrue(summary.contains("alerts      1 "), summary)

        // Nothing the sandbox refused: no signal deaths, no EPERM from the system call filter.
        let everything = try sandbox.expectSuccess(["journalctl", "--no-pager", "-o", "cat"])
        for bad in ["SIGSYS", "code=killed", "code=dumped", "Watchdog timeout"] {
            XCTAssertFalse(everything.contains(bad), "'\(bad)' in the journal:\n\(everything)")
        }
        journal = try sandbox.winnowJournal()
        let winnowText = journal.map(\.message).joined(separator: "\n")
        XCTAssertFalse(winnowText.contains("Operation not permitted"), winnowText)
        // libdispatch renices its worker threads; errno=1 (EPERM) is the filter refusing it.
        XCTAssertFalse(winnowText.contains(/errno=1(?!\d)/), "a system call refused by SystemCallFilter:\n\(winnowText)")
        XCTAssertEqual(journal.filter { $0.priority <= 4 }.map(\.message), [], "warnings or errors from Winnow")
        XCTAssertTrue(journal.contains { $0.message == "stopped" })
        print("SystemdTests: \(clock.now - began) until stopped")
    }

    /// Skips (with the reason) where the sandbox cannot be built.
    static func requireEnvironment() throws {
        if ProcessInfo.processInfo.environment["WINNOW_SKIP_SYSTEMD_TEST"] != nil { throw XCTSkip("WINNOW_SKIP_SYSTEMD_TEST is set") }
        guard getuid() == 0 else { throw XCTSkip("needs root: runs systemd as PID 1 of private namespaces (run the suite as root, e.g. in the CI container)") }
        guard FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd") else { throw XCTSkip("/lib/systemd/systemd is absent (Debian package systemd)") }
        guard FileManager.default.fileExists(atPath: "/lib/systemd/system/systemd-journald.service") else { throw XCTSkip("journald's units are absent") }
        for tool in tools where !FileManager.default.isExecutableFile(atPath: tool) { throw XCTSkip("\(tool) is absent") }
        let filesystems = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? ""
        guard filesystems.contains("\toverlay\n") else { throw XCTSkip("overlayfs is not available (/proc/filesystems)") }
        guard isCgroup2("/sys/fs/cgroup/unified") || isCgroup2("/sys/fs/cgroup") else {
            throw XCTSkip("no cgroup2 hierarchy at /sys/fs/cgroup/unified (hybrid) or /sys/fs/cgroup")
        }
        let probe = try command("/usr/bin/unshare", ["--pid", "--fork", "--mount", "--cgroup", "--uts", "--ipc", "--net", "--mount-proc",
                                                     "/bin/true"])
        guard probe.status == 0 else { throw XCTSkip("cannot create namespaces here: \(probe.all)") }
    }

    static func isCgroup2(_ path: String) -> Bool {
        (try? command("/usr/bin/stat", ["-f", "-c", "%T", path]))?.stdout == "cgroup2fs\n"
    }
}

/// A namespaced systemd booted by Fixtures/systemd/boot.sh, driven through nsenter.
final class SystemdSandbox: @unchecked Sendable {
    let work: String
    let pid1: Int32
    /// Removed (by its deinit) only after the teardown: teardown.sh reads its files.
    private var folder: TempFolder?

    private init(folder: TempFolder, pid1: Int32) {
        self.folder = folder
        self.work = folder.path
        self.pid1 = pid1
    }

    static func boot(in folder: TempFolder) throws -> SystemdSandbox {
        let work = folder.path
        let r = try command(SystemdTests.fixtures + "/boot.sh", [work, "\(getpid())"])
        guard r.status == 0, let pid = Int32(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            let down = try? command(SystemdTests.fixtures + "/teardown.sh", [work])
            throw NSError(domain: "SystemdTests", code: Int(r.status), userInfo: [
                NSLocalizedDescriptionKey: "boot.sh failed (\(r.status)): \(r.all)\(down?.all ?? "")"])
        }
        return SystemdSandbox(folder: folder, pid1: pid)
    }

    /// Runs a command inside the namespaces (mount and PID): it sees that systemd's /run,
    /// /etc, /usr and /var.
    @discardableResult
    func run(_ arguments: [String]) throws -> CommandResult {
        try command("/usr/bin/nsenter", ["-t", "\(pid1)", "-m", "-p", "--"] + arguments)
    }

    /// Runs a command inside and fails the test (returning its stdout anyway) when it fails.
    @discardableResult
    func expectSuccess(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try run(arguments)
        XCTAssertEqual(r.status, 0, "\(arguments.joined(separator: " ")): \(r.all)\n\(diagnostics())", file: file, line: line)
        return r.stdout
    }

    /// `systemctl show -p …` of winnow.service as a dictionary.
    func show(_ properties: [String]) throws -> [String: String] {
        let r = try run(["systemctl", "show", "-p", properties.joined(separator: ","), "winnow.service"])
        var out: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    struct JournalLine {
        var priority: Int
        var message: String
    }

    /// What Winnow itself wrote to the journal (not systemd's lines about the unit).
    func winnowJournal() throws -> [JournalLine] {
        let r = try run(["journalctl", "--no-pager", "-o", "json", "-u", "winnow.service"])
        return r.stdout.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  o["SYSLOG_IDENTIFIER"] as? String == "winnow", let message = o["MESSAGE"] as? String,
                  let priority = (o["PRIORITY"] as? String).flatMap(Int.init) else { return nil }
            return JournalLine(priority: priority, message: message)
        }
    }

    /// The unit's state and the journal's tail, for failure messages.
    func diagnostics() -> String {
        let status = (try? run(["systemctl", "--no-pager", "status", "winnow.service"]))?.all ?? ""
        let journal = (try? run(["journalctl", "--no-pager", "-n", "60", "-o", "short-monotonic"]))?.all ?? ""
        return "\n--- systemctl status\n\(status)\n--- journal\n\(journal)"
    }

    /// Kills the namespace's PID 1 and removes the cgroup (the guard of boot.sh does the same if
    /// the test process dies first).
    func teardown() -> CommandResult {
        guard folder != nil else { return CommandResult(status: 0, stdout: "", stderr: "") }
        let r = (try? command(SystemdTests.fixtures + "/teardown.sh", [work]))
            ?? CommandResult(status: -1, stdout: "", stderr: "teardown.sh did not run")
        if r.status == 0 { folder = nil }  // otherwise leave it for a look (the tree may still be mounted)
        return r
    }
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var all: String { stdout + stderr }
}

/// Runs a program to completion; stdout and stderr go to files, so no pipe can fill up.
func command(_ executable: String, _ arguments: [String]) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let id = UUID().uuidString
    let outPath = NSTemporaryDirectory() + "winnow-cmd-out-\(id)"
    let errPath = NSTemporaryDirectory() + "winnow-cmd-err-\(id)"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer {
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
    p.standardOutput = FileHandle(forWritingAtPath: outPath)
    p.standardError = FileHandle(forWritingAtPath: errPath)
    p.standardInput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
    return CommandResult(status: p.terminationStatus, stdout: read(outPath), stderr: read(errPath))
}
