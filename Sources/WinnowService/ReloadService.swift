import Logging
import ServiceLifecycle
import UnixSignals
import WinnowDiagnostics
import WinnowEngine
import WinnowFiles
import WinnowRules

/// Watches the rules folder by polling and reloads on change or SIGHUP.
///
/// A new ruleset is compiled here, off the document path, and swapped in whole only when it
/// compiles and all its examples pass; otherwise the last good ruleset keeps running and the
/// problem is logged with `path:line:col`.
struct ReloadService: Service {
    let config: WinnowConfig
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let initial = Self.fingerprint(config.rules)
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withThrowingTaskGroup(of: Void.self) { group in
            let (changes, continuation) = AsyncStream<String>.makeStream()
            group.addTask {
                for await _ in hangups { continuation.yield("SIGHUP") }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: config.pollInterval)
                    continuation.yield("poll")
                }
            }
            await cancelWhenGracefulShutdown {
                var fingerprint = initial
                for await trigger in changes {
                    let now = Self.fingerprint(config.rules)
                    if trigger == "poll", now == fingerprint { continue }
                    fingerprint = now
                    reload(because: trigger == "poll" ? "rules changed" : "SIGHUP")
                }
            }
            group.cancelAll()
        }
    }

    private func reload(because reason: String) {
        let (ruleset, diagnostics) = RulesetLoader.load(folder: config.rules)
        guard let ruleset else {
            let errors = diagnostics.errors
            for d in errors.prefix(20) { logger.error("\(d.description)") }
            let first = errors.first?.description ?? "unknown error"
            logger.error("failed to reload rules (\(reason)): \(errors.count) error(s), keeping last good ruleset",
                         metadata: ["ruleset": "\(state.ruleset.hash)"])
            state.withValues {
                $0.window.failedReloads += 1
                $0.lastReloadError = first
            }
            return
        }
        let old = state.withValues { v -> String in
            let old = v.ruleset.hash
            v.ruleset = ruleset
            v.window.reloads += 1
            v.lastReloadError = nil
            return old
        }
        for d in diagnostics.items where d.severity == .warning { logger.warning("\(d.description)") }
        logger.notice("rules reloaded (\(reason))", metadata: ["ruleset": "\(ruleset.hash)", "previous": "\(old)",
                                                              "rules": "\(ruleset.rules.count)"])
    }

    /// Names, sizes and mtimes of every file under the rules folder.
    static func fingerprint(_ folder: String) -> [String: Files.Status] {
        var out: [String: Files.Status] = [:]
        var stack = [folder]
        while let dir = stack.popLast(), out.count < 10_000 {
            guard let names = try? Files.list(dir) else { continue }
            for name in names where !name.hasPrefix(".") {
                let path = dir + "/" + name
                let s = Files.status(path)
                if s.kind == .directory { stack.append(path) } else { out[path] = s }
            }
        }
        return out
    }
}
