import Foundation
import WinnowDiagnostics
import WinnowFiles
import WinnowInbox
import WinnowRules
import WinnowYAML

/// The daemon's configuration: `etc/winnow/winnow.yaml` documents every key.
///
/// Relative paths in a config file are resolved against the file's folder; in the embedded
/// default (no `--config`), against the working directory.
public struct WinnowConfig: Sendable {
    public var inbox = "winnow-data/inbox"
    public var rules = "rules"
    public var state = "winnow-data/state"
    public var pollInterval: Duration = .seconds(1)
    public var settleTime: Duration = .seconds(1)
    public var summaryInterval: Duration = .seconds(15 * 60)
    public var alertLevel: Level = .medium
    public var maxBytes = 32 << 20
    public var keepProcessed = true
    public var ignore = InboxOptions().ignore
    public var logLevel = "info"
    public var fallbackEncoding: String?
    /// Same bytes dropped again: `skip` (counted in the summary) or `alert` again.
    public var duplicates = "skip"
    /// How long the journal remembers documents for duplicate detection.
    public var duplicateWindow: Duration = .seconds(30 * 86400)
    /// Stop claiming new documents while the state filesystem has less free space than this.
    public var minFreeSpace = 64 << 20
    public var recursive = false
    /// Documents whose outputs share one fsync.
    public var batchSize = 64
    public var summaryMaxBytes = 10 << 20
    public var summaryKeep = 7
    /// Prometheus textfile; relative to the state folder; "none" disables it.
    public var metricsFile = "metrics.prom"
    /// Where the configuration came from ("embedded default" or a path), for messages.
    public var origin = "embedded default"

    public init() {}

    static let keys = ["inbox", "rules", "state", "poll_interval", "settle_time", "summary_interval",
                       "alert_level", "max_bytes", "keep_processed", "ignore", "log_level", "fallback_encoding",
                       "duplicates", "duplicate_window", "min_free_space", "recursive", "batch_size",
                       "summary_max_bytes", "summary_keep", "metrics_file"]

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Loads a config file; nil with diagnostics when anything in it is wrong (no silent defaults
    /// for a bad key).
    public static func load(path: String) -> (WinnowConfig?, Diagnostics) {
        var diagnostics = Diagnostics()
        let limit = 1 << 20
        let data: [UInt8]
        do {
            data = try Files.readNamed(path, maxBytes: limit)
        } catch {
            switch error {
            case .unreadable(let why): diagnostics.append(.error(.fileUnreadable, "cannot read config '\(path)': \(why)"))
            case .tooLarge: diagnostics.append(.error(.fileTooLarge, "config '\(path)' is larger than \(limit) bytes"))
            }
            return (nil, diagnostics)
        }
        var config = WinnowConfig()
        config.origin = path
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(String(decoding: data, as: UTF8.self), path: path, limits: YAMLLimits(maxBytes: limit))
        } catch {
            diagnostics.append(error)
            return (nil, diagnostics)
        }
        guard let root else { return (config, diagnostics) }  // empty file: all defaults
        guard let r = MappingReader(root, what: "the configuration", allowed: keys, diagnostics: &diagnostics) else {
            return (nil, diagnostics)
        }
        let base = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") || base.isEmpty ? p : base + "/" + p
        }
        if let n = r["inbox"], let v = n.string("inbox", &diagnostics) { config.inbox = resolve(v) } else { config.inbox = resolve(config.inbox) }
        if let n = r["rules"], let v = n.string("rules", &diagnostics) { config.rules = resolve(v) } else { config.rules = resolve(config.rules) }
        if let n = r["state"], let v = n.string("state", &diagnostics) { config.state = resolve(v) } else { config.state = resolve(config.state) }
        if let n = r["poll_interval"], let v = n.duration("poll_interval", &diagnostics) {
            if v < .milliseconds(10) {
                diagnostics.append(.error(.badConfig, "'poll_interval' must be at least 10ms", at: n.location))
            } else { config.pollInterval = v }
        }
        if let n = r["settle_time"], let v = n.duration("settle_time", &diagnostics) { config.settleTime = v }
        if let n = r["summary_interval"], let v = n.duration("summary_interval", &diagnostics) {
            if v < .seconds(1) {
                diagnostics.append(.error(.badConfig, "'summary_interval' must be at least 1s", at: n.location))
            } else { config.summaryInterval = v }
        }
        if let n = r["alert_level"], let v = n.string("alert_level", &diagnostics) {
            if let l = Level(rawValue: v.lowercased()) {
                config.alertLevel = l
            } else {
                let guess = suggestion(for: v, among: Level.allCases.map(\.rawValue))
                diagnostics.append(.error(.invalidValue, "unknown level '\(v)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use info, low, medium, high or critical", at: n.location))
            }
        }
        if let n = r["max_bytes"], let v = n.byteSize("max_bytes", &diagnostics) {
            if v < 1 || v > 2_000_000_000 {
                diagnostics.append(.error(.badConfig, "'max_bytes' must be between 1 byte and 2GB", at: n.location))
            } else { config.maxBytes = v }
        }
        if let n = r["keep_processed"], let v = n.bool("keep_processed", &diagnostics) { config.keepProcessed = v }
        if let n = r["ignore"], let v = n.strings("ignore", &diagnostics) { config.ignore = v.map(\.0) }
        if let n = r["log_level"], let v = n.string("log_level", &diagnostics) {
            if logLevels.contains(v) {
                config.logLevel = v
            } else {
                let guess = suggestion(for: v, among: logLevels)
                diagnostics.append(.error(.invalidValue, "unknown log level '\(v)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use \(logLevels.joined(separator: ", "))", at: n.location))
            }
        }
        if let n = r["fallback_encoding"], let v = n.string("fallback_encoding", &diagnostics) {
            if v == "none" {
                config.fallbackEncoding = nil
            } else if encoding(named: v) == nil {
                diagnostics.append(.error(.invalidValue, "unknown encoding '\(v)'; use none, windows-1251, windows-1252 or iso-8859-1", at: n.location))
            } else { config.fallbackEncoding = v }
        }
        if let n = r["duplicates"], let v = n.string("duplicates", &diagnostics) {
            if v == "skip" || v == "alert" { config.duplicates = v } else {
                diagnostics.append(.error(.invalidValue, "'duplicates' is skip or alert, found '\(v)'", at: n.location))
            }
        }
        if let n = r["duplicate_window"], let v = n.duration("duplicate_window", &diagnostics) { config.duplicateWindow = v }
        if let n = r["min_free_space"], let v = n.byteSize("min_free_space", &diagnostics) { config.minFreeSpace = v }
        if let n = r["recursive"], let v = n.bool("recursive", &diagnostics) { config.recursive = v }
        if let n = r["batch_size"], let v = n.int("batch_size", &diagnostics) {
            if (1...10_000).contains(v) { config.batchSize = v } else {
                diagnostics.append(.error(.badConfig, "'batch_size' is between 1 and 10000", at: n.location))
            }
        }
        if let n = r["summary_max_bytes"], let v = n.byteSize("summary_max_bytes", &diagnostics) { config.summaryMaxBytes = v }
        if let n = r["summary_keep"], let v = n.int("summary_keep", &diagnostics) { config.summaryKeep = max(0, v) }
        if let n = r["metrics_file"], let v = n.string("metrics_file", &diagnostics) { config.metricsFile = v }
        return diagnostics.hasErrors ? (nil, diagnostics) : (config, diagnostics)
    }

    /// The metrics file's full path, or nil when disabled.
    public var metricsPath: String? {
        if metricsFile == "none" || metricsFile.isEmpty { return nil }
        return metricsFile.hasPrefix("/") ? metricsFile : state + "/" + metricsFile
    }

    /// The config at `path`, or the embedded default when `path` is nil.
    public static func load(path: String?) -> (WinnowConfig?, Diagnostics) {
        guard let path else { return (WinnowConfig(), Diagnostics()) }
        return load(path: path)
    }

    public var fallback: String.Encoding? { fallbackEncoding.flatMap(Self.encoding(named:)) }

    static func encoding(named name: String) -> String.Encoding? {
        switch name.lowercased() {
        case "windows-1251", "cp1251": .windowsCP1251
        case "windows-1252", "cp1252": .windowsCP1252
        case "iso-8859-1", "latin1", "latin-1": .isoLatin1
        default: nil
        }
    }

    public var inboxLayout: InboxLayout { InboxLayout(inbox: inbox, state: state) }

    /// The same configuration with every folder made absolute (alerts name absolute paths).
    public func absolutized() -> WinnowConfig {
        var c = self
        let cwd = FileManager.default.currentDirectoryPath
        func abs(_ p: String) -> String {
            p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p)
        }
        c.inbox = abs(inbox)
        c.rules = abs(rules)
        c.state = abs(state)
        return c
    }

    public var inboxOptions: InboxOptions {
        var o = InboxOptions()
        o.settle = settleTime
        o.ignore = ignore
        o.maxBytes = maxBytes
        o.keepProcessed = keepProcessed
        o.recursive = recursive
        return o
    }
}
