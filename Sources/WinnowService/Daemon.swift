import Logging
import ServiceLifecycle
import WinnowDiagnostics
import WinnowEngine

/// `winnow run`: loads the rules, then runs the inbox, reload and summary services until
/// SIGTERM or SIGINT.
public enum Daemon {
    /// Runs until stopped; returns the process exit code.
    public static func run(config: WinnowConfig, logger: Logger) async -> Int32 {
        let (ruleset, diagnostics) = RulesetLoader.load(folder: config.rules)
        for d in diagnostics.items where d.severity == .warning { logger.warning("\(d.description)") }
        guard let ruleset else {
            for d in diagnostics.errors { logger.error("\(d.description)") }
            logger.critical("cannot start: the rules in '\(config.rules)' have \(diagnostics.errors.count) error(s); run 'winnow check --rules \(config.rules)'")
            return 1
        }
        let state = DaemonState(ruleset: ruleset)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: SummaryService(config: config, state: state, logger: logger)),
                .init(service: ReloadService(config: config, state: state, logger: logger)),
                .init(service: InboxService(config: config, state: state, logger: logger)),
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
