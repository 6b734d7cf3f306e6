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
            descriptor: Self.name("classification", "seconds", "Time to read and classify one document"),
            buckets: [.microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100),
                      .milliseconds(500), .seconds(2), .seconds(10)])
        inboxDepth = registry.makeGauge(descriptor: Self.name("inbox_depth", "", "Files waiting in the inbox and in work/"))
        lastPoll = registry.makeGauge(descriptor: Self.name("last_poll_timestamp", "seconds", "When the inbox was last polled successfully"))
        rules = registry.makeGauge(descriptor: Self.name("rules", "", "Rules in the live ruleset"))
        started = registry.makeGauge(descriptor: Self.name("start_timestamp", "seconds", "When the daemon started"))
        started.set(Double(Timestamp.nowNanos()) / 1e9)
        // Zero series for every label value, so rates work from the first scrape.
        for outcome in ["classified", "failed", "duplicate"] { _ = documents(outcome) }
        for level in ["info", "low", "medium", "high", "critical"] { _ = alerts(level) }
        for result in ["ok", "failed"] { _ = reloads(result) }
    }

    private func documents(_ outcome: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("documents", "total", "Documents taken from the inbox, by outcome"),
                             labels: [("outcome", outcome)])
    }

    private func alerts(_ level: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("alerts", "total", "Alerts written, by level"), labels: [("level", level)])
    }

    private func reloads(_ result: String) -> Counter {
        registry.makeCounter(descriptor: Self.name("reloads", "total", "Rule reloads, by result"), labels: [("result", result)])
    }

    public func recordClassified(level: String?, alerted: Bool, duration: Duration) {
        documents("classified").increment()
        if alerted, let level { alerts(level).increment() }
        classifySeconds.record(duration)
    }

    public func recordFailure(reason: String) {
        documents("failed").increment()
        registry.makeCounter(descriptor: Self.name("failures", "total", "Documents moved to failed/, by reason"),
                             labels: [("reason", reason)]).increment()
    }

    /// `winnow_<name>_<unit>`, with its help line.
    private static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "winnow", metricName: name, unitName: unit, helpText: help)
    }

    public func recordDuplicate() { documents("duplicate").increment() }
    public func recordReload(ok: Bool) { reloads(ok ? "ok" : "failed").increment() }
    public func setInboxDepth(_ n: Int) { inboxDepth.set(Double(n)) }
    public func setRules(_ n: Int) { rules.set(Double(n)) }
    public func polled() { lastPoll.set(Double(Timestamp.nowNanos()) / 1e9) }

    public func render() -> [UInt8] { registry.emitToBuffer() }

    /// Replaces the file atomically (temp file and rename); not fsynced: advisory, rewritten
    /// about once a second, and counters start at zero with each run anyway.
    public func write() throws(FileError) {
        try Files.replace(path, with: render(), mode: 0o644, durable: false)
    }
}
