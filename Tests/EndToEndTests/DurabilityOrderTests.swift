import Foundation
import WinnowTestSupport
import XCTest

/// Power loss cannot be staged in a test, but what survives it is decided by the order of
/// writes, fsyncs and renames. This runs the real daemon under `strace` and checks the order
/// docs/design.md §Crash safety promises, syscall by syscall: a document never leaves work/
/// before its alert and journal line are on disk, a claim is on disk before an alert names it,
/// a reason file is on disk before its document reaches failed/, and every folder a rename
/// touched is fsynced afterwards.
final class DurabilityOrderTests: XCTestCase {
    /// One traced system call, at the point where it was entered.
    struct Call {
        var name: String
        var args: String
        var result = ""
        var succeeded: Bool { !result.hasPrefix("-1") && !result.isEmpty && !result.hasPrefix("?") }

        /// The path strace -y prints for the first argument's descriptor (`7</x/alerts.jsonl>`).
        var fdPath: String? {
            guard let open = args.firstIndex(of: "<"), let close = args[open...].firstIndex(of: ">") else { return nil }
            return String(args[args.index(after: open) ..< close])
        }

        /// rename's and renameat's two paths: absolute, or a name relative to a folder
        /// descriptor that strace -y shows with its path (`3</s/inbox>, "a.txt"`), as claims use.
        var renamePaths: (from: String, to: String)? {
            let pattern = #/(?:\d+<([^>]*)>|AT_FDCWD), "([^"]*)"/#
            var paths = args.matches(of: pattern).map { m -> String in
                let name = String(m.output.2)
                guard let folder = m.output.1, !name.hasPrefix("/") else { return name }
                return folder + "/" + name
            }
            if paths.isEmpty {
                paths = args.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            }
            return paths.count >= 2 ? (paths[0], paths[1]) : nil
        }
    }

    /// Calls in the order they were entered; a call another thread interrupted
    /// (`<unfinished ...>`) gets its result from its `resumed` line.
    static func parse(_ trace: String) -> [Call] {
        var calls: [Call] = []
        var unfinished: [Substring: Int] = [:]
        for line in trace.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let pid = line[..<space]
            // strace pads short pids: "805   fsync(…".
            let rest = line[line.index(after: space)...].drop { $0 == " " }
            if rest.hasPrefix("<... ") {
                guard let i = unfinished.removeValue(forKey: pid), let eq = rest.range(of: " = ", options: .backwards) else { continue }
                calls[i].result = String(rest[eq.upperBound...])
            } else if let open = rest.firstIndex(of: "(") {
                var call = Call(name: String(rest[..<open]), args: String(rest[rest.index(after: open)...]))
                if rest.hasSuffix("<unfinished ...>") {
                    unfinished[pid] = calls.count
                } else if let eq = rest.range(of: " = ", options: .backwards) {
                    call.result = String(rest[eq.upperBound...])
                }
                calls.append(call)
            }
        }
        return calls
    }

    func testParse_readsPaddedPidsAndCallsAnotherThreadInterrupted() {
        let calls = Self.parse("""
        805   fsync(12</s/state> <unfinished ...>
        12345 write(7</s/state/alerts.jsonl>, ""..., 953) = 953
        805   <... fsync resumed>)              = 0
        805   rename("/s/inbox/a.txt", "/s/state/work/c1_a.txt") = -1 ENOENT (No such file or directory)
        """)
        XCTAssertEqual(calls.map(\.name), ["fsync", "write", "rename"])
        XCTAssertEqual(calls.map(\.succeeded), [true, true, false])
        XCTAssertEqual(calls[0].fdPath, "/s/state")
        XCTAssertEqual(calls[1].fdPath, "/s/state/alerts.jsonl")
        XCTAssertEqual(calls[2].renamePaths?.to, "/s/state/work/c1_a.txt")
        let at = Self.parse("""
        805   renameat(5</s/inbox/sub>, "a.txt", 6</s/state/work>, "c1_sub%2Fa.txt") = 0
        """)
        XCTAssertEqual(at.first?.renamePaths?.from, "/s/inbox/sub/a.txt")
        XCTAssertEqual(at.first?.renamePaths?.to, "/s/state/work/c1_sub%2Fa.txt")
    }

    func testDaemon_writesFsyncsAndRenamesInTheOrderThatSurvivesPowerLoss() throws {
        let strace = try requireStrace()
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "max_bytes: 4KB")
        let tracePath = dir.path + "/trace.txt"
        d.launcher = [strace, "-f", "-qq", "-y", "-s", "0", "-e", "signal=none",
                      "-e", "trace=write,pwrite64,writev,ftruncate,fsync,fdatasync,rename,renameat,renameat2",
                      "-o", tracePath, "--"]
        try d.start()

        let alerting = (0 ..< 12).map { ("alert-\($0).txt", "Extremists opened fire on a bus station, report \($0).\n") }
        let quiet = (0 ..< 6).map { ("quiet-\($0).txt", "The council met to discuss the budget, item \($0).\n") }
        for (name, text) in alerting + quiet { try d.drop(name, text) }
        try d.drop("blob.bin", Data([0x00, 0x01, 0x02]))
        try d.drop("large.txt", Data(repeating: UInt8(ascii: "x"), count: 5000))
        XCTAssertTrue(waitUntil { d.processed().count == 18 && d.list(d.state + "/failed").count == 4 },
                      "processed \(d.processed().count), failed \(d.list(d.state + "/failed")): \(d.logs)")

        d.stopTraced()

        let calls = Self.parse(try String(contentsOfFile: tracePath, encoding: .utf8))
        let inbox = d.inbox, work = d.state + "/work", failed = d.state + "/failed", processed = d.state + "/processed"
        let alerts = d.state + "/alerts.jsonl", journal = d.state + "/journal.tsv"
        func folder(_ path: String) -> String { (path as NSString).deletingLastPathComponent }
        func tracked(_ path: String) -> Bool {
            [inbox, work, failed].contains(folder(path)) || path.hasPrefix(processed + "/")
        }

        var unsynced = Set<String>()            // files written since their last fsync
        var renamedIn: [String: [String]] = [:] // folder → renames since its last fsync
        var counts: [String: Int] = [:]
        var violations: [String] = []
        for (i, c) in calls.enumerated() where c.succeeded {
            switch c.name {
            case "write", "pwrite64", "writev", "ftruncate":
                guard let path = c.fdPath else { continue }
                if path == alerts {
                    counts["alert writes", default: 0] += 1
                    for f in [inbox, work] where !(renamedIn[f] ?? []).isEmpty {
                        violations.append("#\(i) alert written while claims in \(f) are not fsynced: \(renamedIn[f]!)")
                    }
                    if unsynced.contains(journal) {
                        violations.append("#\(i) alert written before the journal's mark of where it starts was fsynced")
                    }
                }
                if path == journal, unsynced.contains(alerts) {
                    violations.append("#\(i) journal written before alerts.jsonl was fsynced")
                }
                unsynced.insert(path)
            case "fsync", "fdatasync":
                guard let path = c.fdPath else { continue }
                if path == alerts { counts["alert fsyncs", default: 0] += 1 }
                unsynced.remove(path)
                renamedIn[path] = nil
            default: // rename, renameat, renameat2
                guard let (from, to) = c.renamePaths else { continue }
                if folder(from) == work {
                    counts["moves out of work/", default: 0] += 1
                    for f in [alerts, journal] where unsynced.contains(f) {
                        violations.append("#\(i) \(to) left work/ before \(f) was fsynced")
                    }
                    if folder(to) == failed, case let pending = (renamedIn[failed] ?? []).filter({ $0.hasSuffix(".reason.json") }), !pending.isEmpty {
                        violations.append("#\(i) \(to) reached failed/ before its folder's reason files were fsynced: \(pending)")
                    }
                }
                if to.hasSuffix(".reason.json") {
                    counts["reason files", default: 0] += 1
                    if unsynced.contains(from) { violations.append("#\(i) reason file \(to) renamed into place before its fsync") }
                }
                if folder(from) == inbox, folder(to) == work { counts["claims", default: 0] += 1 }
                for path in [from, to] where tracked(path) { renamedIn[folder(path), default: []].append(path) }
            }
        }
        for (f, pending) in renamedIn where !pending.isEmpty {
            violations.append("at exit, renames in \(f) were never fsynced: \(pending)")
        }
        XCTAssertEqual(violations, [], "\(violations.count) ordering violations")
        // Not vacuous: the trace saw the whole life of every document.
        XCTAssertGreaterThanOrEqual(counts["claims"] ?? 0, 20, "\(counts)")
        XCTAssertGreaterThanOrEqual(counts["moves out of work/"] ?? 0, 20, "\(counts)")
        XCTAssertGreaterThanOrEqual(counts["alert writes"] ?? 0, 1, "\(counts)")  // many lines to a write
        XCTAssertGreaterThanOrEqual(d.alerts().count, 12, "\(counts)")
        XCTAssertGreaterThanOrEqual(counts["alert fsyncs"] ?? 0, 1, "\(counts)")
        XCTAssertGreaterThanOrEqual(counts["reason files"] ?? 0, 2, "\(counts)")
    }
}
