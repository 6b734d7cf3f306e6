import Foundation
import WinnowFiles
import WinnowJSON

/// `status.json` in the state folder: what `winnow status` reads, whether or not the daemon runs.
///
/// The daemon rewrites it atomically about once a second; it is a snapshot, not a log.
public struct StatusSnapshot: Sendable {
    public var pid: Int32 = 0
    public var started = ""
    public var updated = ""
    public var inbox = ""
    public var state = ""
    public var rules = ""
    public var ruleset = ""
    public var ruleCount = 0
    public var queue = 0
    public var lastPoll = ""
    public var documents = 0
    public var alerts: [String: Int] = [:]
    public var failures: [String: Int] = [:]
    public var duplicates = 0
    public var reloads = 0
    public var failedReloads = 0
    /// The last broken rule edit (`path:line:col: error: …`), while the last good ruleset runs.
    public var ruleError: String?
    /// The last output error (disk full, I/O), while retrying.
    public var outputError: String?
    public var pausedForSpace = false
    /// Files in the inbox this process may not move (set aside, retried every minute).
    public var unclaimable = 0
    /// Log lines that could not be written to stderr (full, closed, a pipe with no reader).
    public var logLinesDropped = 0
    public var stopped = false

    public init() {}

    /// Replaces the file atomically; not fsynced: an advisory snapshot rewritten about once a
    /// second. After a power cut it may be stale or empty (read as no snapshot) until the next write.
    public func write(to path: String) throws(FileError) {
        var w = JSONWriter()
        w.object { writeFields(into: &$0) }
        try Files.replace(path, with: w.bytes + [0x0A], mode: 0o644, durable: false)
    }

    /// The snapshot's fields, for status.json and `winnow status --format json`.
    public func writeFields(into w: inout JSONWriter) {
        w.field("pid", Int(pid))
        w.field("started", started)
        w.field("updated", updated)
        w.field("stopped", stopped)
        w.field("inbox", inbox)
        w.field("state", state)
        w.field("rules", rules)
        w.field("ruleset", ruleset)
        w.field("rule_count", ruleCount)
        w.field("queue", queue)
        w.field("last_poll", lastPoll)
        w.field("documents", documents)
        w.field("alerts", counts: alerts)
        w.field("failures", counts: failures)
        w.field("duplicates", duplicates)
        w.field("reloads", reloads)
        w.field("failed_reloads", failedReloads)
        w.field("rule_error", ruleError)
        w.field("output_error", outputError)
        w.field("paused_for_space", pausedForSpace)
        w.field("unclaimable", unclaimable)
        w.field("log_lines_dropped", logLinesDropped)
    }

    public static func read(from path: String) -> StatusSnapshot? {
        guard let data = FileManager.default.contents(atPath: path),
              let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        var s = StatusSnapshot()
        s.pid = Int32(o["pid"] as? Int ?? 0)
        s.started = o["started"] as? String ?? ""
        s.updated = o["updated"] as? String ?? ""
        s.stopped = o["stopped"] as? Bool ?? false
        s.inbox = o["inbox"] as? String ?? ""
        s.state = o["state"] as? String ?? ""
        s.rules = o["rules"] as? String ?? ""
        s.ruleset = o["ruleset"] as? String ?? ""
        s.ruleCount = o["rule_count"] as? Int ?? 0
        s.queue = o["queue"] as? Int ?? 0
        s.lastPoll = o["last_poll"] as? String ?? ""
        s.documents = o["documents"] as? Int ?? 0
        s.alerts = o["alerts"] as? [String: Int] ?? [:]
        s.failures = o["failures"] as? [String: Int] ?? [:]
        s.duplicates = o["duplicates"] as? Int ?? 0
        s.reloads = o["reloads"] as? Int ?? 0
        s.failedReloads = o["failed_reloads"] as? Int ?? 0
        s.ruleError = o["rule_error"] as? String
        s.outputError = o["output_error"] as? String
        s.pausedForSpace = o["paused_for_space"] as? Bool ?? false
        s.unclaimable = o["unclaimable"] as? Int ?? 0
        s.logLinesDropped = o["log_lines_dropped"] as? Int ?? 0
        return s
    }
}
