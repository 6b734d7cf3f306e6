import Logging
import ServiceLifecycle
import WinnowEngine
import WinnowFiles
import WinnowInbox
import WinnowJSON
import WinnowOutput
import WinnowRules

/// Polls the inbox and takes each ready document through claim → classify → alert → move.
///
/// Between documents it checks for graceful shutdown, so SIGTERM finishes the document in hand
/// and then stops. An output that cannot be written leaves the document in `work/`; it is
/// retried with backoff, never skipped.
struct InboxService: Service {
    let config: WinnowConfig
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let inbox = Inbox(layout: config.inboxLayout, options: config.inboxOptions)
        try inbox.prepare()
        let alerts = try AlertLog(path: config.state + "/alerts.jsonl")
        if alerts.repairedBytes > 0 {
            logger.warning("cut a torn last line from alerts.jsonl", metadata: ["bytes": "\(alerts.repairedBytes)"])
        }
        var processor = DocumentProcessor(config: config, state: state, inbox: inbox, alerts: alerts, logger: logger)
        logger.info("watching inbox", metadata: ["inbox": "\(config.inbox)", "state": "\(config.state)",
                                                 "ruleset": "\(state.ruleset.hash)", "rules": "\(state.ruleset.rules.count)"])
        var backoff = Duration.zero
        while !Task.isShuttingDownGracefully {
            var failed = false
            do {
                var queue = try inbox.leftovers()
                let fresh = try inbox.poll()
                state.withValues { $0.queueDepth = queue.count + fresh.count }
                for name in fresh {
                    if let claimed = try inbox.claim(name) { queue.append(claimed) }
                }
                for claimed in queue {
                    if Task.isShuttingDownGracefully { break }
                    try processor.process(claimed)
                    state.withValues { $0.queueDepth = max(0, $0.queueDepth - 1) }
                }
                backoff = .zero
            } catch {
                failed = true
                backoff = min(max(backoff * 2, .milliseconds(500)), .seconds(60))
                logger.error("\(error), retrying", metadata: ["retry_in": "\(backoff)"])
            }
            let pause = failed ? backoff : config.pollInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
        logger.info("inbox stopped")
    }
}

/// Classifies one claimed document and moves it on; the part of the loop that touches files.
struct DocumentProcessor {
    let config: WinnowConfig
    let state: DaemonState
    let inbox: Inbox
    let alerts: AlertLog
    let logger: Logger
    private var json = JSONWriter(capacity: 4096)

    init(config: WinnowConfig, state: DaemonState, inbox: Inbox, alerts: AlertLog, logger: Logger) {
        self.config = config
        self.state = state
        self.inbox = inbox
        self.alerts = alerts
        self.logger = logger
    }

    mutating func process(_ doc: ClaimedDocument) throws(FileError) {
        let started = ContinuousClock.now
        let bytes: [UInt8]
        switch inbox.read(doc) {
        case .success(let b): bytes = b
        case .failure(let f):
            try fail(doc, f)
            return
        }
        let ruleset = state.ruleset
        switch ruleset.classify(bytes: bytes, name: doc.name, path: doc.destination, fallbackEncoding: config.fallback) {
        case .failure(let f):
            try fail(doc, DocumentFailure(f.reason == "binary" ? .binary : .undecodable, f.detail))
        case .success(let c):
            let alerted = (c.level ?? .info) >= config.alertLevel && c.level != nil
            if alerted {
                json.reset()
                AlertFormat.write(c, alert: .init(time: Timestamp.now(), path: doc.destination ?? doc.workPath), into: &json)
                try alerts.append(json.bytes)
            }
            try inbox.finishProcessed(doc)
            state.withValues { $0.window.record(c, alerted: alerted) }
            for warning in c.warnings {
                logger.warning("\(warning)", metadata: ["document": "\(doc.name)"])
            }
            logger.info(alerted ? "alert" : "classified", metadata: [
                "document": "\(doc.name)",
                "level": "\(c.level?.rawValue ?? "none")",
                "tags": "\(c.tags.joined(separator: ","))",
                "rules": "\(c.rules.map(\.id).joined(separator: ","))",
                "ms": "\((ContinuousClock.now - started).milliseconds)",
            ])
        }
    }

    private func fail(_ doc: ClaimedDocument, _ f: DocumentFailure) throws(FileError) {
        try inbox.finishFailed(doc, reason: f.reason, detail: f.detail, time: Timestamp.now())
        state.withValues { $0.window.recordFailure(f.reason.rawValue) }
        logger.warning("failed to classify '\(doc.name)': \(f.detail), moved to failed/",
                       metadata: ["reason": "\(f.reason.rawValue)"])
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
