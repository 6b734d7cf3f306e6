import Foundation
import WinnowCharset
import WinnowDiagnostics
import WinnowFiles
import WinnowFormats
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
    /// How documents are read: charsets, JSON keys, the PDF and office tools' limits.
    public var reading = ReadingOptions()
    /// Same bytes dropped again: `skip` (counted in the summary) or `alert` again.
    public var duplicates = "skip"
    /// How long the journal remembers documents for duplicate detection.
    public var duplicateWindow: Duration = .seconds(30 * 86400)
    /// Stop claiming new documents while the state filesystem has less free space than this.
    public var minFreeSpace = 64 << 20
    public var recursive = false
    /// Documents whose outputs share one fsync.
    public var batchSize = 64
    /// Deaths in a row with one document in hand before it fails as `crashed` (0: never).
    public var crashLimit = 2
    /// Threads that classify a batch's documents at once; nil: the cores the process may use.
    public var workers: Int?
    /// Hits of one matcher an alert shows as evidence.
    public var evidencePerMatcher = 5
    /// What classifying one document may take: wall time, and growth of the daemon's memory
    /// (nil: no limit); past either, it fails with reason `budget`.
    public var documentTimeout: Duration? = .seconds(10)
    public var documentMemory: Int? = 2 << 30
    public var summaryMaxBytes = 10 << 20
    public var summaryKeep = 7
    /// Prometheus textfile; relative to the state folder; "none" disables it.
    public var metricsFile = "metrics.prom"
    /// Where the configuration came from ("embedded default" or a path), for messages.
    public var origin = "embedded default"
    /// Where each key was written in the config file, for errors found after loading.
    public var locations: [String: SourceLocation] = [:]

    public init() {}

    static let keys = ["inbox", "rules", "state", "poll_interval", "settle_time", "summary_interval",
                       "alert_level", "max_bytes", "keep_processed", "ignore", "log_level", "fallback_encoding",
                       "duplicates", "duplicate_window", "min_free_space", "recursive", "batch_size", "crash_limit", "workers", "evidence_per_matcher", "document_timeout", "document_memory",
                       "summary_max_bytes", "summary_keep", "metrics_file"] + readingKeys

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
        for key in keys { if let at = r.keyLocation(key) { config.locations[key] = at } }
        func folder(_ key: String, _ current: String) -> String {
            guard let n = r[key], let v = n.string(key, &diagnostics) else { return resolve(current) }
            // An empty path would silently mean the config file's own folder.
            if v.trimmingCharacters(in: .whitespaces).isEmpty {
                diagnostics.append(.error(.badConfig, "'\(key)' must name a folder", at: n.location))
            }
            return resolve(v)
        }
        config.inbox = folder("inbox", config.inbox)
        config.rules = folder("rules", config.rules)
        config.state = folder("state", config.state)
        // Bounded both ways: the daemon adds these to clock readings in nanoseconds, where a
        // value of centuries would overflow and trap.
        func duration(_ key: String, _ range: ClosedRange<Duration>, _ words: String) -> Duration? {
            guard let n = r[key], let v = n.duration(key, &diagnostics) else { return nil }
            guard range.contains(v) else {
                diagnostics.append(.error(.badConfig, "'\(key)' must be \(words)", at: n.location))
                return nil
            }
            return v
        }
        if let v = duration("poll_interval", .milliseconds(10) ... .seconds(3600), "between 10ms and 1h") { config.pollInterval = v }
        if let v = duration("settle_time", .zero ... .seconds(86400), "between 0s and 1d") { config.settleTime = v }
        if let v = duration("summary_interval", .seconds(1) ... .seconds(7 * 86400), "between 1s and 7d") { config.summaryInterval = v }
        if let n = r["alert_level"], let v = n.string("alert_level", &diagnostics) {
            if let l = Level(rawValue: v.lowercased()) {
                config.alertLevel = l
            } else {
                let guess = suggestion(for: v, among: Level.allCases.map(\.rawValue))
                diagnostics.append(.error(.invalidValue, "unknown level '\(v)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use info, low, medium, high or critical", at: n.location))
            }
        }
        if let n = r["max_bytes"], let v = n.byteSize("max_bytes", &diagnostics) {
            // 1 GB: text converted from a legacy charset can triple, and offsets are 32-bit.
            if v < 1 || v > 1_000_000_000 {
                diagnostics.append(.error(.badConfig, "'max_bytes' must be between 1 byte and 1GB", at: n.location))
            } else { config.maxBytes = v }
        }
        if let n = r["keep_processed"], let v = n.bool("keep_processed", &diagnostics) { config.keepProcessed = v }
        if let n = r["ignore"], let v = n.strings("ignore", &diagnostics) { config.ignore = v.map(\.0) }
        // Names from a closed set are read case-insensitively, as alert_level always was.
        if let n = r["log_level"], let v = n.string("log_level", &diagnostics) {
            if logLevels.contains(v.lowercased()) {
                config.logLevel = v.lowercased()
            } else {
                let guess = suggestion(for: v, among: logLevels)
                diagnostics.append(.error(.invalidValue, "unknown log level '\(v)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); use \(logLevels.joined(separator: ", "))", at: n.location))
            }
        }
        config.readReadingKeys(r, &diagnostics)
        if let n = r["duplicates"], let v = n.string("duplicates", &diagnostics) {
            if v.lowercased() == "skip" || v.lowercased() == "alert" { config.duplicates = v.lowercased() } else {
                diagnostics.append(.error(.invalidValue, "'duplicates' is skip or alert, found '\(v)'", at: n.location))
            }
        }
        if let v = duration("duplicate_window", .zero ... .seconds(3650 * 86400), "between 0s and 3650d") { config.duplicateWindow = v }
        if let n = r["min_free_space"], let v = n.byteSize("min_free_space", &diagnostics) { config.minFreeSpace = v }
        if let n = r["recursive"], let v = n.bool("recursive", &diagnostics) { config.recursive = v }
        if let n = r["batch_size"], let v = n.int("batch_size", &diagnostics) {
            if (1...10_000).contains(v) { config.batchSize = v } else {
                diagnostics.append(.error(.badConfig, "'batch_size' is between 1 and 10000", at: n.location))
            }
        }
        if let v = duration("document_timeout", .zero ... .seconds(86400), "between 0s (no limit) and 1d") {
            config.documentTimeout = v == .zero ? nil : v
        }
        if let n = r["document_memory"], let v = n.byteSize("document_memory", &diagnostics) {
            config.documentMemory = v == 0 ? nil : v
        }
        if let n = r["workers"], let v = n.int("workers", &diagnostics) {
            if (0...256).contains(v) { config.workers = v == 0 ? nil : v } else {
                diagnostics.append(.error(.badConfig, "'workers' is between 1 and 256, or 0 for the cores this process may use", at: n.location))
            }
        }
        if let n = r["evidence_per_matcher"], let v = n.int("evidence_per_matcher", &diagnostics) {
            if (1...100).contains(v) { config.evidencePerMatcher = v } else {
                diagnostics.append(.error(.badConfig, "'evidence_per_matcher' is between 1 and 100", at: n.location))
            }
        }
        if let n = r["crash_limit"], let v = n.int("crash_limit", &diagnostics) {
            if (0...100).contains(v) { config.crashLimit = v } else {
                diagnostics.append(.error(.badConfig, "'crash_limit' is between 0 (never) and 100", at: n.location))
            }
        }
        if let n = r["summary_max_bytes"], let v = n.byteSize("summary_max_bytes", &diagnostics) {
            if (1024 ... 1 << 40).contains(v) { config.summaryMaxBytes = v } else {
                diagnostics.append(.error(.badConfig, "'summary_max_bytes' is between 1KB and 1TB", at: n.location))
            }
        }
        // Each rotation renames every kept file, so the count is bounded.
        if let n = r["summary_keep"], let v = n.int("summary_keep", &diagnostics) {
            if (0 ... 1000).contains(v) { config.summaryKeep = v } else {
                diagnostics.append(.error(.badConfig, "'summary_keep' is between 0 and 1000", at: n.location))
            }
        }
        if let n = r["metrics_file"], let v = n.string("metrics_file", &diagnostics) {
            if v.isEmpty {
                diagnostics.append(.error(.badConfig, "'metrics_file' is empty; name a file such as metrics.prom, or none to turn metrics off", at: n.location))
            } else { config.metricsFile = v.lowercased() == "none" ? "none" : v }
        }
        if !diagnostics.hasErrors { diagnostics.append(contentsOf: config.folderProblems()) }
        return diagnostics.hasErrors ? (nil, diagnostics) : (config, diagnostics)
    }

    /// Files the daemon keeps in the state folder; the metrics file must not be one of them.
    static let stateFiles = ["alerts.jsonl", "journal.tsv", "winnow.lock", "summary.log", "summary.jsonl", "status.json"]

    /// Folders that overlap so that the daemon would take its own files as documents (or its
    /// rules, or write its metrics over them). Checked on the final paths, after `--inbox`,
    /// `--state` and `--rules`. The inbox may live in the state folder (the installed layout
    /// is /var/lib/winnow/inbox), beside work/, processed/ and failed/, not inside them.
    public func folderProblems() -> [Diagnostic] {
        func clean(_ p: String) -> String {
            let s = (p as NSString).standardizingPath
            return s.hasPrefix("/") ? s : ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(s) as NSString).standardizingPath
        }
        func within(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b == "/" ? b : b + "/") }
        let inbox = clean(inbox), state = clean(state), rules = clean(rules)
        let layout = InboxLayout(inbox: inbox, state: state)
        let stateFolders = [layout.work, layout.processed, layout.failed].map(clean)
        var out: [Diagnostic] = []
        if inbox == state || stateFolders.contains(where: { within(inbox, $0) }) || (recursive && within(state, inbox)) {
            out.append(.error(.badConfig, "the inbox '\(inbox)' overlaps the state folder '\(state)'; the daemon would take its own files as documents. Use a folder of its own, such as '\(state)/inbox'",
                              at: locations["inbox"]))
        }
        if within(state, rules) {
            out.append(.error(.badConfig, "the state folder '\(state)' is inside the rules folder '\(rules)'; the files the daemon rewrites would look like rule edits on every poll. Give each its own folder",
                              at: locations["state"]))
        }
        if within(inbox, rules) || (recursive && within(rules, inbox)) {
            out.append(.error(.badConfig, "the rules folder '\(rules)' and the inbox '\(inbox)' overlap; the daemon would take its rules as documents, or reload on every drop. Give each its own folder",
                              at: locations["rules"]))
        }
        if out.isEmpty, let metrics = metricsPath.map(clean) {
            let ownFolders = [inbox] + stateFolders
            if ownFolders.contains(where: { within(metrics, $0) })
                || ((metrics as NSString).deletingLastPathComponent == state && Self.stateFiles.contains((metrics as NSString).lastPathComponent)) {
                out.append(.error(.badConfig, "'metrics_file' '\(metrics)' would overwrite the daemon's own files; name a file of its own, such as metrics.prom",
                                  at: locations["metrics_file"]))
            }
        }
        return out
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

    /// The config with the command line's folders over it, checked again for `winnow run`
    /// (`checkingFolders`): `--inbox` or `--state` may make folders overlap that did not in the
    /// file. `check`, `test` and `classify` use only the rules folder, so an embedded default
    /// inbox inside it (`winnow check --rules .`) is no error there.
    public static func load(path: String?, rules: String?, inbox: String?, state: String?,
                            checkingFolders: Bool = true) -> (WinnowConfig?, Diagnostics) {
        var (loaded, diagnostics) = load(path: path)
        guard var config = loaded else { return (nil, diagnostics) }
        for (key, value) in [("rules", rules), ("inbox", inbox), ("state", state)] where value != nil {
            config.locations[key] = nil
        }
        if let rules { config.rules = rules }
        if let inbox { config.inbox = inbox }
        if let state { config.state = state }
        if checkingFolders, path == nil || rules != nil || inbox != nil || state != nil {
            diagnostics.append(contentsOf: config.folderProblems())
        }
        return diagnostics.hasErrors ? (nil, diagnostics) : (config, diagnostics)
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
