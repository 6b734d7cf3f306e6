import Foundation
import WinnowDiagnostics
import WinnowEngine
import WinnowFiles
import WinnowFormats
import WinnowInbox
import WinnowJSON
import WinnowOutput
import WinnowRules
import WinnowText

/// The one-shot commands behind `winnow check`, `classify` and `test`. Each prints its report
/// and returns the exit code, so the executable stays a thin layer of flags.
public enum Tools {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    /// Prints diagnostics to stdout in the chosen format.
    static func print(_ diagnostics: Diagnostics, format: Format) {
        var renderer = TextRenderer()
        for d in diagnostics.sorted {
            switch format {
            case .text: Swift.print(renderer.render(d), terminator: "")
            case .json: Swift.print(JSONRenderer.render(d))
            }
        }
    }

    /// Loads the configuration; nil after printing why it failed.
    public static func config(path: String?, rulesOverride: String?, format: Format = .text) -> WinnowConfig? {
        let (config, diagnostics) = WinnowConfig.load(path: path, rules: rulesOverride, inbox: nil, state: nil, checkingFolders: false)
        guard let config, !diagnostics.hasErrors else {
            print(diagnostics, format: format)
            return nil
        }
        return config
    }

    /// `winnow check`: 0 when the config and every pack are valid and every example passes.
    public static func check(configPath: String?, rules: String?, format: Format) -> Int32 {
        guard let config = config(path: configPath, rulesOverride: rules, format: format) else { return 1 }
        if let configPath, format == .text { Swift.print("\(configPath): ok") }
        let (ruleset, diagnostics) = RulesetLoader.load(folder: config.rules)
        print(diagnostics, format: format)
        let errors = diagnostics.errors.count
        let warnings = diagnostics.count - errors
        guard let ruleset else {
            if format == .text { Swift.print("\(config.rules): \(errors) error(s), \(warnings) warning(s)") }
            return 1
        }
        if format == .text {
            let examples = ruleset.rules.reduce(0) { $0 + $1.examples.count }
            let parked = ruleset.parkedRules.isEmpty ? "" : " (\(ruleset.parkedRules.count) parked, examples not run)"
            Swift.print("\(config.rules): ok: \(ruleset.packs.count) packs, \(ruleset.rules.count) rules\(parked), \(examples) examples pass, \(warnings) warning(s); ruleset \(ruleset.hash)")
        }
        return 0
    }

    /// `winnow test`: runs embedded examples; 0 when all pass.
    public static func test(configPath: String?, rules: String?, packs: [String]) -> Int32 {
        guard let config = config(path: configPath, rulesOverride: rules) else { return 1 }
        let (ruleset, diagnostics) = RulesetCompiler.compile(folder: config.rules)
        guard let ruleset else {
            print(diagnostics, format: .text)
            return 1
        }
        let known = Set(ruleset.packs.map(\.name))
        for p in packs where !known.contains(p) {
            let guess = suggestion(for: p, among: known)
            Swift.print("error: no pack named '\(p)'\(guess.map { " (did you mean '\($0)'?)" } ?? "")")
            return 1
        }
        let results = ruleset.runExamples(packs: packs.isEmpty ? nil : Set(packs))
        var renderer = TextRenderer()
        for r in results where !r.passed {
            Swift.print(renderer.render(r.diagnostic), terminator: "")
        }
        let failed = results.filter { !$0.passed }.count
        // Parked rules' examples are not run; say so, or a parked rule's examples look passed.
        let parked = ruleset.parked.filter { packs.isEmpty || packs.contains($0.pack) }.count
        Swift.print("\(results.count - failed) passed, \(failed) failed" + (parked == 0 ? "" : ", \(parked) parked rule(s) not run"))
        return failed == 0 ? 0 : 1
    }

    /// `winnow classify`: one report per file on stdout, in the order given; problems with a
    /// file on stderr. Files are classified on `jobs` threads (default: the cores this process
    /// may use). Exit 0 when every file was classified, 1 when a file could not be, 2 when
    /// rules fail.
    public static func classify(configPath: String?, rules: String?, format: Format, files: [String],
                                showText: Bool = false, jobs: Int? = nil) -> Int32 {
        guard let config = config(path: configPath, rulesOverride: rules) else { return 2 }
        let (ruleset, diagnostics) = RulesetCompiler.compile(folder: config.rules)
        guard let ruleset else {
            var renderer = TextRenderer()
            FileHandle.standardError.write(Data(renderer.render(diagnostics.sorted).utf8))
            return 2
        }
        var status: Int32 = 0
        var out: [UInt8] = []
        let paths = expand(files)
        OrderedWorkers.run(count: paths.count, workers: jobs ?? OrderedWorkers.cores) { i in
            report(paths[i], ruleset: ruleset, config: config, format: format, showText: showText)
        } deliver: { _, report in
            out += report.stdout
            if !report.problems.isEmpty {
                FileHandle.standardOutput.write(Data(out))
                out.removeAll()
                for p in report.problems { FileHandle.standardError.write(Data("winnow: cannot classify \(p)\n".utf8)) }
                status = 1
            }
            if out.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(out))
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(Data(out))
        return status
    }

    /// What `classify` prints for one file: its reports, and the problems with it.
    private struct FileReport: Sendable {
        var stdout: [UInt8] = []
        /// `'path': reason` (or `'path#record': reason`).
        var problems: [String] = []
    }

    private static func report(_ path: String, ruleset: Ruleset, config: WinnowConfig, format: Format, showText: Bool) -> FileReport {
        let name = Files.baseName(path)
        var report = FileReport()
        let file: FileOutcome
        var texts: [ExtractedText] = []
        do {
            switch try Files.read(path, maxBytes: config.maxBytes, followingSymlinks: true) {
            case .bytes(let bytes):
                do {
                    file = try ruleset.classify(bytes: bytes, name: name, reading: config.reading,
                                               evidence: config.evidencePerMatcher)
                    if showText { texts = (try? DocumentReader.read(bytes, name: name, options: config.reading))?.documents ?? [] }
                } catch {
                    report.problems.append("'\(path)': \(error.reason.rawValue): \(error.detail)")
                    return report
                }
            case .tooLarge(let n):
                report.problems.append("'\(path)': too-large: \(n) bytes, more than max_bytes (\(config.maxBytes))")
                return report
            case .notRegular(let kind):
                report.problems.append("'\(path)': not a regular file (\(kind))")
                return report
            case .linked(let n):  // only with maxLinks, which classify does not set
                report.problems.append("'\(path)': a hard link (\(n) names)")
                return report
            }
        } catch {
            report.problems.append("'\(path)': \(error.reason)")
            return report
        }
        var json = JSONWriter(capacity: AlertFormat.typicalBytes)
        for (k, c) in file.classifications.enumerated() {
            switch format {
            case .json:
                json.reset()
                AlertFormat.write(c, alert: nil, into: &json)
                report.stdout += json.bytes
                report.stdout.append(0x0A)
            case .text:
                report.stdout += Array(TextReport.render(c).utf8)
                if k < texts.count { report.stdout += Array(TextReport.renderText(texts[k].text).utf8) }
            }
        }
        for f in file.failures {
            report.problems.append("'\(path)#\(f.record)': \(f.failure.reason.rawValue): \(f.failure.detail)")
        }
        return report
    }

    /// Paths listed in a file, one per line (`-`: standard input); empty lines are skipped.
    public static func paths(listedIn list: String) throws -> [String] {
        let data: Data
        if list == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = try Data(contentsOf: URL(fileURLWithPath: list))
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
    }

    /// `winnow extract-office`: the child that reads one DOCX or ODT file (stdin to stdout).
    public static func extractOffice() -> Int32 {
        OfficeExtractCommand.run()
    }

    /// Files as given; a folder stands for the regular files in it (not recursive), sorted.
    static func expand(_ paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            guard Files.status(path).kind == .directory, let names = try? Files.list(path) else { return [path] }
            let base = path.hasSuffix("/") ? path : path + "/"
            return names.filter { !$0.hasPrefix(".") }.sorted().map { base + $0 }
                .filter { Files.status($0).kind == .regular }
        }
    }

    struct DocumentProblem: Error {
        var message: String
    }
}

extension Tools {
    /// `winnow status`: the daemon's last snapshot plus what the folders hold right now.
    /// Exit 0 when the daemon runs, 3 when it does not (as `systemctl status` does).
    public static func status(configPath: String?, stateOverride: String?, format: Format) -> Int32 {
        guard var config = config(path: configPath, rulesOverride: nil) else { return 1 }
        if let stateOverride { config.state = stateOverride }
        config = config.absolutized()
        let snapshot = StatusSnapshot.read(from: config.state + "/status.json")
        // The daemon's lock says whether it runs; the snapshot's pid is the guess for a state
        // folder without a lock file (or one this user cannot open).
        let lock = LockFile.probe(config.state + "/" + Daemon.lockName)
        let running: Bool
        var holder: Int32?
        switch lock {
        case .held(let pid)?:
            running = true
            holder = pid
        case .free?:
            running = false
        case nil:
            running = snapshot.map { !$0.stopped && isWinnow(pid: $0.pid) } ?? false
        }
        // The inbox the daemon watches (its snapshot says), which `--state` alone does not give:
        // `winnow status --state demo/state` after `make run` counts demo/inbox.
        var layout = config.inboxLayout
        if let s = snapshot, !s.inbox.isEmpty { layout.inbox = s.inbox }
        let inbox = Inbox(layout: layout, options: config.inboxOptions)
        let waiting = inbox.depth()
        let inWork = (try? Files.list(config.inboxLayout.work).count) ?? 0
        let failed = ((try? Files.list(config.inboxLayout.failed)) ?? []).filter { !$0.hasSuffix(".reason.json") && !$0.hasPrefix(".") }.count
        switch format {
        case .json:
            var w = JSONWriter()
            w.object { w in
                w.field("running", running)
                // The lock holder's pid; the snapshot's `pid` below may be the run before's.
                if let holder { w.field("running_pid", Int(holder)) }
                w.field("inbox_waiting", waiting)
                w.field("work", inWork)
                w.field("failed", failed)
                if let s = snapshot { s.writeFields(into: &w) } else { w.field("state", config.state) }
            }
            Swift.print(w.string)
        case .text:
            var out = ""
            if let s = snapshot {
                if running, let holder, holder != s.pid {
                    out += "winnow is running (pid \(holder)) but has not written its status yet; the figures below are from the run before\n"
                } else {
                    out += running ? "winnow is running (pid \(s.pid), since \(s.started))\n"
                                   : "winnow is not running (last seen \(s.updated))\n"
                }
                out += "  ruleset      \(s.ruleset) (\(s.ruleCount) rules)\n"
                if let e = s.ruleError { out += "  rule error   \(e)\n               the last good ruleset stays live until this is fixed\n" }
                out += "  last poll    \(s.lastPoll.isEmpty ? "-" : s.lastPoll)\n"
                let alerts = s.alerts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "  documents    \(s.documents) classified, alerts: \(alerts.isEmpty ? "none" : alerts), duplicates \(s.duplicates)\n"
                let failures = s.failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out += "  failures     \(failures.isEmpty ? "none" : failures)\n"
                out += "  reloads      \(s.reloads) ok, \(s.failedReloads) failed\n"
                if let e = s.outputError { out += "  output error \(e) (retrying)\n" }
                if s.pausedForSpace { out += "  paused       free space below min_free_space; not claiming new documents\n" }
                if s.unclaimable > 0 { out += "  unclaimable  \(s.unclaimable) file(s) in the inbox cannot be moved by the daemon (see its log); tried again every minute\n" }
                if s.logLinesDropped > 0 { out += "  log          \(s.logLinesDropped) line(s) could not be written to stderr (full, closed, or a pipe with no reader) and were dropped\n" }
            } else if running {
                out += "winnow is running (pid \(holder.map(String.init) ?? "unknown")) but has not written its status yet\n"
            } else {
                out += "winnow has not run with state folder \(config.state)\n"
            }
            out += "  queue        \(waiting) in the inbox, \(inWork) in work/, \(failed) in failed/\n"
            Swift.print(out, terminator: "")
        }
        return running ? 0 : 3
    }

    /// Whether `pid` is alive and is a winnow process (not a recycled pid).
    static func isWinnow(pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return true }
        return String(decoding: cmdline, as: UTF8.self).contains("winnow")
    }
}
