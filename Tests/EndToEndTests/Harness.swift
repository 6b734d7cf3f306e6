import Crypto
import Foundation
import WinnowTestSupport
import XCTest

/// SHA-256 of `data` in lowercase hex, as alerts and the journal write it.
func sha256(of data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

/// Today in UTC as YYYY-MM-DD, the name of the daemon's processed/ subfolder.
func utcToday() -> String {
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    f.locale = Locale(identifier: "en_US_POSIX")
    f.dateFormat = "yyyy-MM-dd"
    return f.string(from: Date())
}

/// A small copy of the shipped rules (extremism, criminality, genres and their term lists, without the
/// gazetteer) so a daemon starts in a fraction of a second, which restart-heavy tests need.
func copyShippedRulesWithoutGazetteer(to folder: String) throws {
    let fm = FileManager.default
    let shipped = packageRoot() + "/rules"
    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for item in ["extremism.yaml", "criminality.yaml", "genres.yaml", "terms"] {
        try fm.copyItem(atPath: shipped + "/" + item, toPath: folder + "/" + item)
    }
}

extension Deployment {
    /// A deployment in `dir` with the shipped topic packs (no gazetteer, so it starts in a
    /// fraction of a second) and the test config plus `extra` lines; not started.
    static func topicPacks(_ dir: TempFolder, _ extra: String = "") throws -> Deployment {
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let d = try Deployment(base: dir.path, keeping: [dir])
        try d.writeConfig(extra)
        return d
    }
}

/// One installation of the daemon: inbox, state, rules and a config file naming them (absolute
/// paths, so `winnow status --config` finds the state folder), started and killed as often as a
/// test needs. The stderr of every run is kept.
final class Deployment {
    let inbox: String
    let state: String
    let rules: String
    let configPath: String
    /// Prepended to `winnow run …` (for example `setpriv` options).
    var launcher: [String] = []
    private(set) var process: WinnowProcess?
    private var earlierLogs = ""

    /// Kept alive as long as the deployment (the temp folders it lives in).
    private let owners: [AnyObject]

    /// `base` holds inbox/ and state/ (and the config file); `inbox` and `rules` default to
    /// base/inbox and base/rules. `keeping` holds temp folders that must outlive it.
    init(base: String, inbox: String? = nil, rules: String? = nil, configFolder: String? = nil, keeping owners: [AnyObject] = []) throws {
        self.owners = owners
        self.inbox = inbox ?? base + "/inbox"
        state = base + "/state"
        self.rules = rules ?? base + "/rules"
        configPath = (configFolder ?? base) + "/winnow.yaml"
        try FileManager.default.createDirectory(atPath: self.inbox, withIntermediateDirectories: true)
    }

    /// Writes the config: the paths, test-friendly defaults, then `extra` lines (later keys are
    /// not allowed to repeat, so `extra` must not name a key given in `defaults`).
    func writeConfig(_ extra: String = "", defaults: [String: String] = [:]) throws {
        var keys: [String: String] = [
            "poll_interval": "50ms", "settle_time": "0s", "summary_interval": "1h", "min_free_space": "0",
        ]
        for (k, v) in defaults { keys[k] = v }
        let extraKeys = Set(extra.split(separator: "\n").compactMap { $0.split(separator: ":").first.map(String.init) })
        var text = "inbox: \(inbox)\nstate: \(state)\nrules: \(rules)\n"
        for (k, v) in keys.sorted(by: { $0.key < $1.key }) where !extraKeys.contains(k) { text += "\(k): \(v)\n" }
        text += extra.hasSuffix("\n") || extra.isEmpty ? extra : extra + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: configPath))
    }

    /// Starts `winnow run --config …`; with `waitReady`, returns once it watches the inbox.
    func start(waitReady: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        precondition(process == nil, "already running")
        let p: WinnowProcess
        if launcher.isEmpty {
            p = WinnowProcess(["run", "--config", configPath])
        } else {
            p = WinnowProcess(executable: launcher[0], Array(launcher.dropFirst()) + [winnowBinary(), "run", "--config", configPath])
        }
        try p.start()
        process = p
        if waitReady {
            let ready = waitUntil(timeout: .seconds(30)) { p.stderr.contains("watching inbox") || !p.process.isRunning }
            XCTAssertTrue(ready && p.process.isRunning, "daemon did not start: \(p.stderr)", file: file, line: line)
            if !p.process.isRunning { throw XCTSkip("daemon did not start") }
        }
    }

    /// SIGKILL: no chance to finish anything.
    func kill() {
        guard let p = process else { return }
        p.signal(SIGKILL)
        earlierLogs += p.wait().stderr
        process = nil
    }

    /// SIGTERM and wait; returns the run's result.
    @discardableResult
    func stop() -> RunResult {
        guard let p = process else { return RunResult(status: -1, stdout: "", stderr: "") }
        p.signal(SIGTERM)
        let r = p.wait()
        earlierLogs += r.stderr
        process = nil
        return r
    }

    var isRunning: Bool { process?.process.isRunning ?? false }

    /// Everything every run wrote to stderr so far.
    var logs: String { earlierLogs + (process?.stderr ?? "") }

    func signal(_ sig: Int32) { process?.signal(sig) }

    /// Drops a document so that it appears complete at once: written under a dot-name (which
    /// the daemon ignores), then renamed into place, as well-behaved producers do.
    @discardableResult
    func drop(_ name: String, _ data: Data) throws -> String {
        let hidden = inbox + "/.incoming-" + name
        try data.write(to: URL(fileURLWithPath: hidden))
        guard rename(hidden, inbox + "/" + name) == 0 else {
            throw NSError(domain: "drop", code: Int(errno), userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
        return inbox + "/" + name
    }

    @discardableResult
    func drop(_ name: String, _ text: String) throws -> String { try drop(name, Data(text.utf8)) }

    // MARK: Reading what the daemon wrote

    var alertsPath: String { state + "/alerts.jsonl" }

    /// The raw bytes of alerts.jsonl (empty when absent).
    var alertBytes: Data { FileManager.default.contents(atPath: alertsPath) ?? Data() }

    /// Lines of alerts.jsonl; the last element is what follows the last newline (should be "").
    var alertLines: [String] {
        String(decoding: alertBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Every complete alert line parsed; a line that does not parse fails the test.
    func alerts(file: StaticString = #filePath, line: UInt = #line) -> [[String: Any]] {
        var out: [[String: Any]] = []
        let lines = alertLines
        XCTAssertEqual(lines.last, "", "alerts.jsonl must end with a complete line", file: file, line: line)
        for l in lines.dropLast() {
            guard let o = try? JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any] else {
                XCTFail("alert line is not a JSON object: \(l.prefix(200))", file: file, line: line)
                continue
            }
            out.append(o)
        }
        return out
    }

    /// sha256 → number of alerts naming it.
    func alertCounts() -> [String: Int] {
        var counts: [String: Int] = [:]
        for a in alerts() {
            if let d = a["document"] as? [String: Any], let sha = d["sha256"] as? String { counts[sha, default: 0] += 1 }
        }
        return counts
    }

    /// journal.tsv split into lines of tab-separated fields (the last line must be complete).
    func journal(file: StaticString = #filePath, line: UInt = #line) -> [[String]] {
        let text = String(decoding: FileManager.default.contents(atPath: state + "/journal.tsv") ?? Data(), as: UTF8.self)
        if !text.isEmpty { XCTAssertTrue(text.hasSuffix("\n"), "journal.tsv ends with a torn line", file: file, line: line) }
        let lines: [[String]] = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        return lines.filter { $0.count < 2 || $0[1] != "@alerts" }
    }

    /// journal.tsv's marks (`time @alerts  offset claims`): where each batch's alerts began.
    func journalMarks() -> [(offset: Int, claims: [String])] {
        let text = String(decoding: FileManager.default.contents(atPath: state + "/journal.tsv") ?? Data(), as: UTF8.self)
        let lines: [[String]] = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        return lines.filter { $0.count >= 5 && $0[1] == "@alerts" }.map { fields in
            (offset: Int(fields[3]) ?? -1, claims: fields[4].split(separator: " ").map(String.init))
        }
    }

    /// Names in a folder of the state (or the inbox), sorted; hidden names included.
    func list(_ folder: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted() ?? []
    }

    /// Documents under processed/ (any date folder), as paths.
    func processed() -> [String] {
        let base = state + "/processed"
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + p, isDirectory: &isDir), !isDir.boolValue { out.append(base + "/" + p) }
        }
        return out.sorted()
    }

    /// Documents in failed/ (reason files excluded), as paths. A dot-name is a reason file being
    /// written (`.NAME.reason.json.tmp.PID.N`), never a document: counting it let a wait end
    /// before the document was there.
    func failed() -> [String] {
        list(state + "/failed").filter { !$0.hasSuffix(".reason.json") && !$0.hasPrefix(".") }.map { state + "/failed/" + $0 }
    }

    /// The reason file of `failed/NAME`, parsed.
    func reason(_ name: String) -> [String: Any]? {
        FileManager.default.contents(atPath: state + "/failed/" + name + ".reason.json")
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// `winnow status --config …` with the given extra arguments.
    func status(_ arguments: [String] = []) throws -> RunResult {
        try runWinnow(["status", "--config", configPath] + arguments)
    }

    /// `winnow status --format json`, parsed.
    func statusJSON(file: StaticString = #filePath, line: UInt = #line) throws -> (Int32, [String: Any]) {
        let r = try status(["--format", "json"])
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return (r.status, try XCTUnwrap(o, "status --format json: \(r.stdout) \(r.stderr)", file: file, line: line))
    }

    /// metrics.prom as `name{labels}` → value (comments skipped).
    func metrics() -> [String: Double] {
        let text = String(decoding: FileManager.default.contents(atPath: state + "/metrics.prom") ?? Data(), as: UTF8.self)
        var out: [String: Double] = [:]
        for l in text.split(separator: "\n") where !l.hasPrefix("#") {
            guard let space = l.lastIndex(of: " "), let v = Double(l[l.index(after: space)...]) else { continue }
            out[String(l[..<space])] = v
        }
        return out
    }
}

/// Runs an external command to completion; stdout and stderr together.
@discardableResult
func sh(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The first of `candidates` that is an executable file.
func findExecutable(_ candidates: [String]) -> String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// strace, for tests that run the daemon under it; skips the test where it is absent or ptrace
/// is not permitted (a container without CAP_SYS_PTRACE).
func requireStrace() throws -> String {
    guard let strace = findExecutable(["/usr/bin/strace", "/bin/strace"]) else {
        throw XCTSkip("strace is absent (make test installs it)")
    }
    guard (try? sh(strace, ["-qq", "-e", "trace=none", "/bin/true"]).status) == 0 else {
        throw XCTSkip("strace cannot trace here (ptrace is not permitted)")
    }
    return strace
}

extension Deployment {
    /// Stops a daemon started under strace: SIGTERM to the daemon itself (strace would kill it
    /// on its own SIGTERM), whose pid is in the lock; it must exit 0.
    func stopTraced(file: StaticString = #filePath, line: UInt = #line) {
        let lock = (try? String(contentsOfFile: state + "/winnow.lock", encoding: .utf8)) ?? ""
        guard let pid = Int32(lock.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            XCTFail("no pid in winnow.lock", file: file, line: line)
            return
        }
        XCTAssertEqual(Glibc.kill(pid, SIGTERM), 0, file: file, line: line)
        XCTAssertEqual(process?.wait().status, 0, logs, file: file, line: line)
    }
}
