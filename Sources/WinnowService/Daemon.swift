import Logging
import ServiceLifecycle
import WinnowDiagnostics
import WinnowEngine

/// `winnow run`: loads the rules, then runs the inbox, reload and summary services until
/// SIGTERM or SIGINT.
public enum Daemon {
    /// Runs until stopped; returns the process exit code. `reloadConfig` rebuilds the
    /// configuration on SIGHUP (the config file with the command line's overrides).
    public static func run(config: WinnowConfig, logger: Logger,
                           reloadConfig: (@Sendable () -> (WinnowConfig?, Diagnostics))? = nil) async -> Int32 {
        let (ruleset, diagnostics) = RulesetLoader.load(folder: config.rules)
        for d in diagnostics.items where d.severity == .warning { logger.warning("\(d.description)") }
        guard let ruleset else {
            for d in diagnostics.errors { logger.error("\(d.description)") }
            logger.critical("cannot start: the rules in '\(config.rules)' have \(diagnostics.errors.count) error(s); run 'winnow check --rules \(config.rules)'")
            return 1
        }
        if let g = ruleset.gazetteer { logger.info("gazetteer loaded: \(g.summary)") }
        let state = DaemonState(config: config, ruleset: ruleset)
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
