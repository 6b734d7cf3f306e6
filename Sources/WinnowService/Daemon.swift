#if canImport(Glibc)
import Glibc
#endif
import Logging
import ServiceLifecycle
import WinnowDiagnostics
import WinnowEngine
import WinnowFiles

/// `winnow run`: loads the rules, then runs the inbox, reload and summary services until
/// SIGTERM or SIGINT.
public enum Daemon {
    /// The file in the state folder whose `flock` the running daemon holds.
    static let lockName = "winnow.lock"

    /// Builds the configuration (the file at `configPath`, or the embedded default, with the
    /// command line's folders over it), sets up logging and runs until stopped; returns the
    /// process exit code. On SIGHUP the same steps rebuild the configuration.
    public static func run(configPath: String?, rules: String?, inbox: String?, state: String?) async -> Int32 {
        // SIGHUP means "reload" to the daemon, but the reload service only listens once the
        // rules are loaded (a second or more with a gazetteer); until then the default action
        // would kill it, e.g. on a `systemctl reload` right after a start. Ignore it until
        // the reload service takes it over.
        signal(SIGHUP, SIG_IGN)
        // A log on a pipe whose reader is gone (`winnow run | head`, `make run | tee` after
        // Ctrl-C) must fail the write, not kill the daemon; tools it starts get SIGPIPE back
        // (CSpawn resets signals).
        signal(SIGPIPE, SIG_IGN)
        let build: @Sendable () -> (WinnowConfig?, Diagnostics) = {
            let (config, diagnostics) = WinnowConfig.load(path: configPath, rules: rules, inbox: inbox, state: state)
            return (config?.absolutized(), diagnostics)
        }
        let (loaded, diagnostics) = build()
        guard let config = loaded else {
            Tools.print(diagnostics, format: .text)
            return 1
        }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }
        return await run(config: config, logger: Logger(label: "winnow"), reloadConfig: configPath == nil ? nil : build)
    }

    /// Runs until stopped; returns the process exit code. `reloadConfig` rebuilds the
    /// configuration on SIGHUP (the config file with the command line's overrides).
    static func run(config: WinnowConfig, logger: Logger,
                           reloadConfig: (@Sendable () -> (WinnowConfig?, Diagnostics))? = nil) async -> Int32 {
        // One daemon per state folder, before anything reads work/ or the journal: two would
        // resume each other's claims and could alert twice. The kernel drops the lock on any exit.
        let lock: LockFile
        do {
            try Files.makeFolder(config.state)
            switch try LockFile.acquire(config.state + "/" + Self.lockName) {
            case .acquired(let acquired):
                lock = acquired
            case .held(let pid):
                logger.critical("cannot start: another winnow\(pid.map { " (pid \($0))" } ?? "") is already running on state folder '\(config.state)'; stop it, or give this one its own state folder")
                return 1
            }
        } catch {
            logger.critical("cannot start: \(error)")
            return 1
        }
        defer { lock.release() }

        let (ruleset, diagnostics) = RulesetLoader.load(folder: config.rules)
        for d in diagnostics.items where d.severity == .warning { logger.warning("\(d.description)") }
        guard let ruleset else {
            for d in diagnostics.errors { logger.error("\(d.description)") }
            logger.critical("cannot start: the rules in '\(config.rules)' have \(diagnostics.errors.count) error(s); run 'winnow check --rules \(config.rules)'")
            return 1
        }
        if let g = ruleset.gazetteer { logger.info("gazetteer loaded: \(g.summary)") }
        if let warning = MemoryLimit.warning(maxBytes: config.maxBytes, limit: MemoryLimit.current()) { logger.warning("\(warning)") }
        let state = DaemonState(config: config, ruleset: ruleset, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: SummaryService(state: state, logger: logger)),
                .init(service: ReloadService(state: state, logger: logger, reloadConfig: reloadConfig)),
                .init(service: InboxService(state: state, logger: logger)),
                .init(service: WatchdogService(state: state, logger: logger),
                      successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: Logger(label: "winnow.lifecycle", factory: { _ in SwiftLogNoOpLogHandler() })))
        do {
            try await group.run()
            logger.info("stopped")
            return 0
        } catch {
            logger.critical("stopped on error: \(error)")
            return 1
        }
    }
}
