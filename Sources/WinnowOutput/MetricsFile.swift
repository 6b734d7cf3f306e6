import Prometheus
import WinnowFiles

/// The daemon's counters in Prometheus text format, written atomically for node_exporter's
/// textfile collector (`--collector.textfile.directory` pointed at the state folder or a link).
public final class MetricsFile: Sendable {
    public let path: String
    private let registry = PrometheusCollectorRegistry()
    private let classifySeconds: DurationHistogram
    private let inboxDepth: Gauge
    private let lastPoll: Gauge
    private let rules: Gauge
    private let started: Gauge

    public init(path: String) {
        self.path = path
        classifySeconds = registry.makeDurationHistogram(
            name: "winnow_classification_seconds",
            buckets: [.microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100),
                      .milliseconds(500), .seconds(2), .seconds(10)],
            help: "Time to read, classify and format one document")
        inboxDepth = registry.makeGauge(name: "winnow_inbox_depth", help: "Files waiting in the inbox and in work/")
        lastPoll = registry.makeGauge(name: "winnow_last_poll_timestamp_seconds", help: "When the inbox was last polled successfully")
        rules = registry.makeGauge(name: "winnow_rules", help: "Rules in the live ruleset")
        started = registry.makeGauge(name: "winnow_start_timestamp_seconds", help: "When the daemon started")
        started.set(Double(Timestamp.nowNanos()) / 1e9)
        // Zero series for every label value, so rates work from the first scrape.
        for outcome in ["classified", "failed", "duplicate"] { _ = documents(outcome) }
        for level in ["info", "low", "medium", "high", "critical"] { _ = alerts(level) }
        for result in ["ok", "failed"] { _ = reloads(result) }
    }

    private func documents(_ outcome: String) -> Counter {
        registry.makeCounter(name: "winnow_documents_total", labels: [("outcome", outcome)],
                             help: "Documents taken from the inbox, by outcome")
    }

    private func alerts(_ level: String) -> Counter {
        registry.makeCounter(name: "winnow_alerts_total", labels: [("level", level)], help: "Alerts written, by level")
    }

    private func reloads(_ result: String) -> Counter {
        registry.makeCounter(name: "winnow_reloads_total", labels: [("result", result)], help: "Rule reloads, by result")
    }

    public func recordClassified(level: String?, alerted: Bool, duration: Duration) {
        documents("classified").increment()
        if alerted, let level { alerts(level).increment() }
        classifySeconds.record(duration)
    }

    public func recordFailure(reason: String) {
        documents("failed").increment()
        registry.makeCounter(name: "winnow_failures_total", labels: [("reason", reason)],
                             help: "Documents moved to failed/, by reason").increment()
    }

    public func recordDuplicate() { documents("duplicate").increment() }
    public func recordReload(ok: Bool) { reloads(ok ? "ok" : "failed").increment() }
    public func setInboxDepth(_ n: Int) { inboxDepth.set(Double(n)) }
    public func setRules(_ n: Int) { rules.set(Double(n)) }
    public func polled() { lastPoll.set(Double(Timestamp.nowNanos()) / 1e9) }

    public func render() -> [UInt8] { registry.emitToBuffer() }

    /// Replaces the file atomically (temp file and rename); not fsynced: metrics are rewritten soon.
    public func write() throws(FileError) {
        try Files.replace(path, with: render(), mode: 0o644, durable: false)
    }
}
