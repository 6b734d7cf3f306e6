import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import WinnowDiagnostics
import WinnowService

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the daemon in the foreground until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: ArgumentHelp("Inbox folder; overrides the configuration.", valueName: "dir"))
    var inbox: String?

    @Option(name: .long, help: ArgumentHelp("State folder (alerts, summary, processed/, failed/); overrides the configuration.", valueName: "dir"))
    var state: String?

    func run() async throws {
        // SIGHUP means "reload" to the daemon, but the reload service only listens once the
        // rules are loaded (a second or more with a gazetteer); until then the default action
        // would kill it, e.g. on a `systemctl reload` right after a start. Ignore it until
        // the reload service takes it over.
        signal(SIGHUP, SIG_IGN)
        let (path, rules, inbox, state) = (options.config, options.rules, self.inbox, self.state)
        // The same steps build the configuration at start and again on SIGHUP.
        let build: @Sendable () -> (WinnowConfig?, Diagnostics) = {
            let (loaded, diagnostics) = WinnowConfig.load(path: path)
            guard var config = loaded else { return (nil, diagnostics) }
            if let rules { config.rules = rules }
            if let inbox { config.inbox = inbox }
            if let state { config.state = state }
            return (config.absolutized(), diagnostics)
        }
        let (loaded, diagnostics) = build()
        guard let config = loaded else {
            var renderer = TextRenderer()
            print(renderer.render(diagnostics.sorted), terminator: "")
            throw ExitCode(1)
        }
        let level = Logger.Level(rawValue: config.logLevel) ?? .info
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, level: level) }
        let code = await Daemon.run(config: config, logger: Logger(label: "winnow"), reloadConfig: path == nil ? nil : build)
        if code != 0 { throw ExitCode(code) }
    }
}
