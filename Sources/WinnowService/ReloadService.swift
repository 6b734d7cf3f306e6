import Logging
import ServiceLifecycle
import UnixSignals
import WinnowDiagnostics
import WinnowEngine
import WinnowFiles
import WinnowRules

/// Watches the rules (and every file the ruleset was built from) by polling, and reloads on a
/// change or on SIGHUP, which also re-reads the configuration.
///
/// A new ruleset is compiled here, off the document path, and swapped in whole only when it
/// compiles and all its examples pass; otherwise the last good ruleset keeps running and the
/// problem is logged with `path:line:col`, shown by `winnow status` and in the summary.
struct ReloadService: Service {
    let state: DaemonState
    let logger: Logger
    /// How to rebuild the configuration on SIGHUP (nil: nothing to re-read).
    let reloadConfig: (@Sendable () -> (WinnowConfig?, Diagnostics))?

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let initial = Self.fingerprint(state.config.rules, files: state.ruleset.files)
        // Compiling a large pack or gazetteer takes seconds of CPU: not on the cooperative pool.
        let compiler = BlockingThread(name: "winnow-reload")
        await withThrowingTaskGroup(of: Void.self) { group in
            let (triggers, continuation) = AsyncStream<String>.makeStream()
            group.addTask {
                for await _ in hangups { continuation.yield("SIGHUP") }
            }
            group.addTask {
                while !Task.isCancelled {
                    // In slices, so that a SIGHUP shortening poll_interval applies at once.
                    let start = ContinuousClock.now
                    while case let left = state.config.pollInterval - (.now - start), left > .zero {
                        try await Task.sleep(for: min(left, .seconds(1)))
                    }
                    continuation.yield("poll")
                }
            }
            await cancelWhenGracefulShutdown {
                var fingerprint = initial
                // A change is loaded once it has held still for a poll interval: a pack saved
                // in place may be half-written, and its first half can be valid YAML. Timed,
                // not counted: polls queued during a long compile arrive microseconds apart.
                var changing: (fingerprint: [String: Files.Status], since: ContinuousClock.Instant)?
                for await trigger in triggers {
                    if trigger == "SIGHUP" {
                        state.systemd.reloading()
                        reloadConfiguration()
                    }
                    let now = Self.fingerprint(state.config.rules, files: state.ruleset.files)
                    if trigger == "poll" {
                        if now == fingerprint { changing = nil; continue }
                        guard let c = changing, c.fingerprint == now else { changing = (now, .now); continue }
                        if ContinuousClock.now - c.since < state.config.pollInterval { continue }
                    }
                    changing = nil
                    await reloadRules(because: trigger == "poll" ? "rules changed" : "SIGHUP", on: compiler)
                    if trigger == "SIGHUP" { state.systemd.ready(status: "reloaded; ruleset \(state.ruleset.hash)") }
                    // What was on disk before the load, so an edit made during the compile is
                    // seen as a change; files the new ruleset added (a new list file) join it.
                    let added = Self.fingerprint(state.config.rules, files: state.ruleset.files).filter { now[$0.key] == nil }
                    fingerprint = now.merging(added) { old, _ in old }
                }
            }
            group.cancelAll()
        }
    }

    private func reloadConfiguration() {
        guard let reloadConfig else { return }
        let (config, diagnostics) = reloadConfig()
        guard let config else {
            for d in diagnostics.errors { logger.error("\(d.description)") }
            logger.error("failed to reload the configuration, keeping the running one")
            return
        }
        let old = state.config
        var applied = config
        for (key, before, after) in [("inbox", old.inbox, config.inbox), ("state", old.state, config.state),
                                     ("metrics_file", old.metricsFile, config.metricsFile),
                                     ("log_level", old.logLevel, config.logLevel),
                                     ("duplicate_window", "\(old.duplicateWindow)", "\(config.duplicateWindow)")]
            where before != after {
            logger.warning("'\(key)' changed from '\(before)' to '\(after)'; this takes effect after a restart")
        }
        applied.inbox = old.inbox
        applied.state = old.state
        applied.metricsFile = old.metricsFile
        applied.logLevel = old.logLevel
        applied.duplicateWindow = old.duplicateWindow
        // The new file was checked with its own inbox and state; what runs is the old ones with
        // the new rules folder and `recursive`, and that mix must not overlap either.
        let problems = applied.folderProblems()
        guard problems.isEmpty else {
            for d in problems { logger.error("\(d.description) (with the running inbox '\(old.inbox)' and state '\(old.state)')") }
            logger.error("failed to reload the configuration, keeping the running one")
            return
        }
        state.withValues { $0.config = applied }
        logger.notice("configuration reloaded", metadata: ["config": "\(config.origin)"])
    }

    private func reloadRules(because reason: String, on compiler: BlockingThread) async {
        let folder = state.config.rules
        let (ruleset, diagnostics) = await compiler.run { RulesetLoader.load(folder: folder) }
        guard let ruleset else {
            let errors = diagnostics.errors
            for d in errors.prefix(20) { logger.error("\(d.description)") }
            let first = errors.first?.description ?? "unknown error"
            logger.error("failed to reload rules (\(reason)): \(errors.count) error(s), keeping last good ruleset",
                         metadata: ["ruleset": "\(state.ruleset.hash)"])
            state.withValues {
                $0.window.failedReloads += 1
                $0.status.failedReloads += 1
                $0.status.ruleError = first
            }
            state.metrics?.recordReload(ok: false)
            state.publish(force: true)
            return
        }
        let old = state.withValues { v -> String in
            let old = v.ruleset.hash
            v.ruleset = ruleset
            v.window.reloads += 1
            v.status.reloads += 1
            v.status.ruleError = nil
            v.status.ruleset = ruleset.hash
            v.status.ruleCount = ruleset.rules.count
            return old
        }
        state.metrics?.recordReload(ok: true)
        state.metrics?.setRules(ruleset.rules.count)
        state.publish(force: true)
        for d in diagnostics.items where d.severity == .warning { logger.warning("\(d.description)") }
        logger.notice("rules reloaded (\(reason))", metadata: ["ruleset": "\(ruleset.hash)", "previous": "\(old)",
                                                              "rules": "\(ruleset.rules.count)"])
    }

    /// Names, sizes and mtimes of every file under the rules folder and of `files` (gazetteer
    /// files may live elsewhere).
    static func fingerprint(_ folder: String, files: [String]) -> [String: Files.Status] {
        var out: [String: Files.Status] = [:]
        var stack = [folder]
        while let dir = stack.popLast(), out.count < 10_000 {
            guard let names = try? Files.list(dir) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = dir + "/" + name
                // A linked pack changes when its target does, so links to files are followed;
                // links to folders are not walked into (`rules/all -> /` would be).
                let own = Files.status(path)
                let s = own.kind == .symlink ? Files.status(path, followingSymlinks: true) : own
                if own.kind == .directory { stack.append(path) } else { out[path] = s }
            }
        }
        for file in files { out[file] = Files.status(file, followingSymlinks: true) }
        return out
    }
}
