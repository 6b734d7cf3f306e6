import Logging
import ServiceLifecycle
import WinnowEngine
import WinnowFiles
import WinnowInbox
import WinnowOutput

/// Polls the inbox and takes documents, a batch at a time, through
/// claim → classify → alerts (fsync) → journal (fsync) → move (fsync folders).
///
/// Between batches it checks for graceful shutdown, so SIGTERM finishes the batch in hand and
/// then stops. An output that cannot be written (disk full, I/O error) leaves the batch in
/// `work/`; it is retried with backoff, and the journal and alert ids make the retry neither
/// lose nor repeat anything (docs/operations.md).
struct InboxService: Service {
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let config = state.config
        let inbox = Inbox(layout: config.inboxLayout, options: config.inboxOptions)
        try inbox.prepare()
        // Snapshots a killed run was replacing (status.json and the metrics file).
        Files.removeTemporaries(of: config.state + "/status.json")
        if let metrics = config.metricsPath { Files.removeTemporaries(of: metrics) }
        let leftovers = try inbox.leftovers()
        let alerts = try AlertLog(path: config.state + "/alerts.jsonl")
        if alerts.repairedBytes > 0 {
            logger.warning("cut a torn last line of \(alerts.repairedBytes) bytes from alerts.jsonl")
        }
        let journal = try Journal(path: config.state + "/journal.tsv", pendingClaims: Set(leftovers.map(\.claimID)),
                                  window: config.duplicateWindow)
        let crashGuard = try CrashGuard(state: config.state, limit: config.crashLimit)
        for last in crashGuard.lastInHand {
            if crashGuard.isPoisoned(last.claim) {
                logger.error("the last \(last.deaths) runs died while classifying claim \(last.claim); it goes to failed/ unread (reason crashed)")
            } else {
                logger.warning("the last run died while classifying claim \(last.claim) (\(last.deaths) time(s) in a row); trying it again, alone")
            }
        }
        let processor = BatchProcessor(state: state, inbox: inbox, alerts: alerts, journal: journal, crashGuard: crashGuard,
                                       logger: logger)
        // Polls, claims and batches block (stat, rename, classify, fsync): on a thread of their
        // own, so the watchdog, signals and reloads stay live on the cooperative pool.
        let worker = BlockingThread(name: "winnow-inbox")
        if !leftovers.isEmpty {
            let earliest = leftovers.compactMap { journal.alertOffsets[$0.claimID] }.min()
            processor.resume(alerted: alerts.recentPaths(among: Set(leftovers.map(\.claimID)), from: earliest))
            logger.notice("resuming \(leftovers.count) document(s) left in work/ by the last run")
        }
        logger.info("watching inbox", metadata: ["inbox": "\(config.inbox)", "state": "\(config.state)",
                                                 "ruleset": "\(state.ruleset.hash)", "rules": "\(state.ruleset.rules.count)"])
        state.systemd.ready(status: "watching \(config.inbox); ruleset \(state.ruleset.hash)")
        var backoff = Duration.zero
        var lowSpaceLogged = false
        while !Task.isShuttingDownGracefully {
            let config = state.config
            inbox.options = config.inboxOptions  // max_bytes, settle_time, ignore, … after SIGHUP
            var failed = false
            do {
                // Work left over (by a crash or a failed batch) comes first.
                var (pending, ready) = try await worker.run { () throws(FileError) in (try inbox.leftovers(), try inbox.poll()) }
                state.metrics?.polled()
                state.withValues { $0.heartbeat = .now }
                state.withValues {
                    $0.status.queue = pending.count + ready.count
                    $0.status.lastPoll = Timestamp.now()
                }
                state.metrics?.setInboxDepth(pending.count + ready.count)
                var names = ready[...]
                while !Task.isShuttingDownGracefully && (!pending.isEmpty || !names.isEmpty) {
                    // Claim only as much as one batch, and only while there is room to write.
                    let free = Files.freeBytes(config.state) ?? .max
                    let paused = free < config.minFreeSpace
                    state.withValues { $0.status.pausedForSpace = paused }
                    if paused {
                        if !lowSpaceLogged {
                            logger.warning("only \(free) bytes free on the state filesystem (min_free_space \(config.minFreeSpace)); not claiming new documents until space returns")
                            lowSpaceLogged = true
                        }
                    } else if lowSpaceLogged {
                        logger.notice("free space is back; claiming documents again")
                        lowSpaceLogged = false
                    }
                    if !paused, pending.count < config.batchSize, !names.isEmpty {
                        let wanted = names.prefix(config.batchSize - pending.count)
                        names.removeFirst(wanted.count)
                        pending += try await worker.run { () throws(FileError) in try inbox.claim(all: Array(wanted)) }
                    }
                    if pending.isEmpty { break }
                    let batch = Array(pending.prefix(config.batchSize))
                    pending.removeFirst(batch.count)
                    // The next batch is claimed while the workers classify this one (not once
                    // stopping: what is claimed waits in work/ for the next start).
                    let next = paused || Task.isShuttingDownGracefully ? [] : Array(names.prefix(max(0, config.batchSize - pending.count)))
                    names.removeFirst(next.count)
                    let (rest, committed, claimed) = try await worker.run { () throws(FileError) in
                        try processor.process(batch) { () throws(FileError) in try inbox.claim(all: next) }
                    }
                    pending.insert(contentsOf: rest, at: 0)
                    pending += claimed
                    let done = batch.count - rest.count
                    state.withValues { $0.heartbeat = .now }
                    state.withValues {
                        $0.status.queue = max(0, $0.status.queue - done)
                        if committed { $0.status.outputError = nil }
                    }
                    state.publish()
                }
                // The last batch's commit ends before the next poll lists work/ (or the loop stops).
                if try await worker.run({ () throws(FileError) in try processor.finishCommit() }) {
                    state.withValues { $0.status.outputError = nil }
                }
                backoff = .zero
            } catch {
                failed = true
                backoff = min(max(backoff * 2, .milliseconds(500)), .seconds(60))
                // A claim can fail while a commit runs: it ends (or fails too) before work/ is listed.
                do {
                    _ = try await worker.run { () throws(FileError) in try processor.finishCommit() }
                } catch let commitError {
                    logger.error("\(commitError)")
                }
                // A poll or claim can fail with nothing claimed; say "stay in work/" only when true.
                let waiting = (try? inbox.leftovers().count) ?? 0
                let kept = switch waiting {
                case 0: ""
                case 1: "; 1 document stays in work/"
                default: "; \(waiting) documents stay in work/"
                }
                logger.error("\(error)\(kept), retrying in \(backoff)")
                state.withValues { $0.status.outputError = "\(error)" }
            }
            // Each file that cannot be moved once, when it is first set aside; the rest of the
            // inbox goes on without it.
            for (name, error) in inbox.takeRefusals() {
                logger.warning("cannot take '\(name)' from the inbox: \(error.reason); it stays there and is tried again every minute")
            }
            state.withValues { $0.status.unclaimable = inbox.refusedCount }
            state.publish()
            // In slices, re-reading poll_interval: a SIGHUP that shortens it takes effect now,
            // not after the old interval (which may be an hour).
            let start = ContinuousClock.now
            while !Task.isShuttingDownGracefully {
                let left = (failed ? backoff : state.config.pollInterval) - (.now - start)
                if left <= .zero { break }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: min(left, .seconds(1))) }
            }
        }
        state.systemd.stopping()
        logger.info("inbox stopped")
    }
}
