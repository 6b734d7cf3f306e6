import WinnowFiles
import WinnowJSON
#if canImport(Glibc)
import Glibc
#endif

/// `summary.log` (blocks a person reads with `tail -f`) and its twin `summary.jsonl`.
public final class SummaryLog {
    public let textPath: String
    public let jsonPath: String
    /// A file past this size is rotated before the next block.
    public var maxBytes: Int
    /// Rotated files kept (`summary.log.1` … `summary.log.N`).
    public var keep: Int

    public init(folder: String, maxBytes: Int = 10 << 20, keep: Int = 7) {
        textPath = folder + "/summary.log"
        jsonPath = folder + "/summary.jsonl"
        self.maxBytes = maxBytes
        self.keep = keep
    }

    /// Appends one block for `window`, ending at `endNanos`, and its JSON line; rotates first
    /// when the log is from an earlier day (UTC) or has grown past `maxBytes`.
    public func write(_ window: SummaryWindow, endNanos: Int64, state: SummaryState, final: Bool) throws(FileError) {
        for path in [textPath, jsonPath] { try rotateIfNeeded(path, now: endNanos) }
        try append(textPath, Array(Self.text(window, endNanos: endNanos, state: state, final: final).utf8))
        var w = JSONWriter()
        Self.json(window, endNanos: endNanos, state: state, final: final, into: &w)
        try append(jsonPath, w.bytes + [0x0A])
    }

    /// The block's JSON line, for the log when the files cannot take it.
    public static func jsonLine(_ window: SummaryWindow, endNanos: Int64, state: SummaryState, final: Bool) -> String {
        var w = JSONWriter()
        json(window, endNanos: endNanos, state: state, final: final, into: &w)
        return w.string
    }

    static func text(_ w: SummaryWindow, endNanos: Int64, state: SummaryState, final: Bool) -> String {
        let start = Timestamp.format(nanos: w.startNanos, milliseconds: false)
        let end = Timestamp.format(nanos: endNanos, milliseconds: false)
        let failed = w.failures.values.reduce(0, +)
        var s = "== winnow summary \(start) .. \(end)\(final ? " (shutdown)" : "") ==\n"
        s += "documents   \(w.documents) classified, \(failed) failed, \(w.duplicates) duplicates, \(formatBytes(w.bytes)); queue \(state.queueDepth)\n"
        let levels = ["critical", "high", "medium", "low", "info", "none"]
            .compactMap { l in w.byLevel[l].map { "\(l) \($0)" } }
        s += "alerts      \(w.alerts)\(levels.isEmpty ? "" : " (documents by level: \(levels.joined(separator: ", ")))")\n"
        let top = w.tags.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10)
        s += "top tags    \(top.isEmpty ? "-" : top.map { "\($0.key) \($0.value)" }.joined(separator: ", "))\n"
        let places = w.places.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(10)
        s += "top places  \(places.isEmpty ? "-" : places.map { "\($0.key) \($0.value)" }.joined(separator: ", "))\n"
        let failures = w.failures.sorted { $0.key < $1.key }
        s += "failures    \(failures.isEmpty ? "-" : failures.map { "\($0.key) \($0.value)" }.joined(separator: ", "))\n"
        s += "ruleset     \(state.ruleset) (\(state.rules) rules); reloads \(w.reloads) ok, \(w.failedReloads) failed\n"
        if let error = state.lastReloadError {
            s += "rule error  \(error) (keeping last good ruleset)\n"
        }
        return s + "\n"
    }

    static func json(_ w: SummaryWindow, endNanos: Int64, state: SummaryState, final: Bool, into j: inout JSONWriter) {
        j.object { j in
            j.field("start", Timestamp.format(nanos: w.startNanos))
            j.field("end", Timestamp.format(nanos: endNanos))
            j.field("final", final)
            j.field("documents", w.documents)
            j.field("bytes", w.bytes)
            j.field("alerts", w.alerts)
            j.field("levels", counts: w.byLevel)
            j.field("tags", counts: w.tags)
            j.field("places", counts: w.places)
            j.field("failures", counts: w.failures)
            j.field("duplicates", w.duplicates)
            j.field("reloads", w.reloads)
            j.field("failed_reloads", w.failedReloads)
            j.field("queue", state.queueDepth)
            j.field("ruleset", state.ruleset)
            j.field("rules", state.rules)
            j.field("rule_error", state.lastReloadError)
        }
    }

    func rotateIfNeeded(_ path: String, now: Int64) throws(FileError) {
        let s = Files.status(path)
        guard s.kind == .regular, s.size > 0 else { return }
        let day: (Int64) -> Int64 = { $0 / 1_000_000_000 / 86400 }
        guard s.size >= maxBytes || day(s.mtimeNanos) < day(now) else { return }
        if keep <= 0 {
            if unlink(path) != 0 { throw FileError("delete", path) }
            return
        }
        _ = unlink("\(path).\(keep)")
        for n in stride(from: keep - 1, through: 1, by: -1) where Files.status("\(path).\(n)").kind == .regular {
            try Files.rename("\(path).\(n)", "\(path).\(n + 1)")
        }
        try Files.rename(path, "\(path).1")
    }

    private func append(_ path: String, _ bytes: [UInt8]) throws(FileError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileError("open", path) }
        defer { close(fd) }
        try Files.writeAll(fd, bytes, path: path)
        if fsync(fd) != 0 { throw FileError("fsync", path) }
    }
}

func formatBytes(_ n: Int) -> String {
    if n < 1024 { return "\(n) B" }
    let units = ["KiB", "MiB", "GiB", "TiB"]
    var v = Double(n) / 1024
    var i = 0
    while v >= 1024, i < units.count - 1 { v /= 1024; i += 1 }
    let rounded = (v * 10).rounded() / 10
    return "\(rounded) \(units[i])"
}
