import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import WinnowEngine
import WinnowFiles
import WinnowOutput
import WinnowRules

/// What the daemon's services share: configuration, the live ruleset, counters.
///
/// The ruleset is swapped whole under the lock; a batch in flight keeps the reference it took,
/// so each document is classified by exactly one ruleset.
final class DaemonState: Sendable {
    struct Values {
        var config: WinnowConfig
        var ruleset: Ruleset
        var window: SummaryWindow
        /// Counters since start, for status.json.
        var status = StatusSnapshot()
        var lastStatusWrite: ContinuousClock.Instant = .now - .seconds(10)
        /// When the inbox loop last got something done (a poll or a batch): the watchdog's proof of life.
        var heartbeat: ContinuousClock.Instant = .now
        /// The last failure to write status.json or the metrics file, per file: logged once,
        /// not every second, and its end logged too.
        var snapshotErrors: [String: String] = [:]
    }

    private let values: Mutex<Values>
    let metrics: MetricsFile?
    let systemd = SystemdNotifier()
    private let logger: Logger

    init(config: WinnowConfig, ruleset: Ruleset, logger: Logger) {
        self.logger = logger
        let now = Timestamp.now()
        var status = StatusSnapshot()
        status.pid = getpid()
        status.started = now
        status.inbox = config.inbox
        status.state = config.state
        status.rules = config.rules
        status.ruleset = ruleset.hash
        status.ruleCount = ruleset.rules.count
        values = Mutex(Values(config: config, ruleset: ruleset, window: SummaryWindow(startNanos: Timestamp.nowNanos()), status: status))
        metrics = config.metricsPath.map { MetricsFile(path: $0) }
        metrics?.setRules(ruleset.rules.count)
    }

    var ruleset: Ruleset { values.withLock { $0.ruleset } }
    var config: WinnowConfig { values.withLock { $0.config } }

    func withValues<T>(_ body: (inout Values) -> T) -> T {
        values.withLock { body(&$0) }
    }

    /// Ends the current summary window and starts the next one.
    func takeWindow() -> (SummaryWindow, SummaryState, Int64) {
        let now = Timestamp.nowNanos()
        return values.withLock { v in
            let window = v.window
            v.window = SummaryWindow(startNanos: now)
            let state = SummaryState(ruleset: v.ruleset.hash, rules: v.ruleset.rules.count,
                                     queueDepth: v.status.queue, lastReloadError: v.status.ruleError)
            return (window, state, now)
        }
    }

    /// Puts a window's counts back after its summary could not be written (disk full).
    func restoreWindow(_ old: SummaryWindow) {
        values.withLock { v in
            var merged = old
            let w = v.window
            merged.documents += w.documents
            merged.alerts += w.alerts
            merged.bytes += w.bytes
            merged.duplicates += w.duplicates
            merged.reloads += w.reloads
            merged.failedReloads += w.failedReloads
            for (k, n) in w.byLevel { merged.byLevel[k, default: 0] += n }
            for (k, n) in w.tags { merged.tags[k, default: 0] += n }
            for (k, n) in w.places { merged.places[k, default: 0] += n }
            for (k, n) in w.failures { merged.failures[k, default: 0] += n }
            v.window = merged
        }
    }

    /// The one line `systemctl status` shows.
    static func statusLine(_ s: StatusSnapshot) -> String {
        var line = "\(s.documents) documents, \(s.alerts.values.reduce(0, +)) alerts, queue \(s.queue); ruleset \(s.ruleset)"
        if s.ruleError != nil { line += "; rule error, last good rules live" }
        if s.outputError != nil { line += "; output error, retrying" }
        if s.pausedForSpace { line += "; paused: low disk space" }
        return line
    }

    /// Writes status.json and the metrics file, at most once a second unless `force`.
    func publish(force: Bool = false) {
        let (snapshot, path): (StatusSnapshot?, String) = values.withLock { v in
            let now = ContinuousClock.now
            guard force || now - v.lastStatusWrite >= .seconds(1) else { return (nil, "") }
            v.lastStatusWrite = now
            v.status.updated = Timestamp.now()
            v.status.logLinesDropped = StderrLogHandler.dropped.load(ordering: .relaxed)
            return (v.status, v.config.state + "/status.json")
        }
        guard let snapshot else { return }
        do { try snapshot.write(to: path); note(path, nil) } catch { note(path, error) }
        systemd.status(Self.statusLine(snapshot))
        if let metrics {
            do { try metrics.write(); note(metrics.path, nil) } catch { note(metrics.path, error) }
        }
    }

    /// Logs a snapshot file that cannot be written (a folder in its place, a read-only state
    /// folder) once, and once more when it can be again: else `winnow status` would show stale
    /// counts with no word of why.
    private func note(_ path: String, _ error: FileError?) {
        let changed = values.withLock { v -> Bool in
            let before = v.snapshotErrors[path]
            // Not the description: it names a temp file that differs at every try.
            v.snapshotErrors[path] = error.map { "\($0.operation) \($0.errno)" }
            return before != v.snapshotErrors[path]
        }
        guard changed else { return }
        if let error {
            logger.warning("cannot write '\(path)': \(error.reason); winnow status and metrics show stale figures until it can be written")
        } else {
            logger.notice("'\(path)' is written again")
        }
    }
}
