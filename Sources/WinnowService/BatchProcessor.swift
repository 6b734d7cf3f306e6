import Foundation
import Logging
import Synchronization
import WinnowEngine
import WinnowFiles
import WinnowFormats
import WinnowInbox
import WinnowJSON
import WinnowOutput
import WinnowRules
import WinnowText

/// Classifies a batch of claimed documents and makes their outcome durable, in an order that a
/// crash at any instant cannot break (docs/design.md §Crash safety):
/// 0. the claims (fsync `work/` and the inbox);
/// 1. the journal's mark of where the alerts start (fsync), then the alerts, skipping claims
///    whose alert is already in the log, then one fsync;
/// 2. journal lines, then one fsync;
/// 3. moves to processed/ or failed/, then one fsync per folder.
///
/// A batch's commit runs on a thread of its own while the next batch is classified (so the
/// workers never wait for the fsyncs and renames); commits run one at a time, in batch order.
/// `process` and `finishCommit` are called by one thread at a time (InboxService's
/// `BlockingThread`, while the loop awaits it).
final class BatchProcessor: @unchecked Sendable {
    let state: DaemonState
    let inbox: Inbox
    let alerts: AlertLog
    let journal: Journal
    let crashGuard: CrashGuard
    let logger: Logger
    /// A batch stops taking documents once those classified reach this many bytes or this
    /// long: the rest wait in `work/` for the next batch, so a batch of heavy documents never
    /// holds its outputs (and a shutdown) for long, and its alerts stay of bounded size.
    static let maxBatchBytes = 64 << 20
    static let maxBatchTime = Duration.seconds(5)
    /// Alert ids already in the log for claims not finished yet: read at start-up when work/
    /// had leftovers, and added when a batch's alerts are durable but a later step failed.
    /// Only commits (one at a time) touch it.
    private var alreadyAlerted: Set<String> = []
    /// What commits learn and the next batch's classification asks, under one lock.
    private struct Memory {
        /// Outcomes whose alert and journal line are durable but whose move failed: the retry
        /// only moves them (and counts them), instead of classifying, alerting and journaling again.
        var journaled: [String: Outcome] = [:]
        /// Destinations in processed/ that a durable alert or journal line names, for claims not
        /// finished yet: the document goes there even when the retry or restart comes on a later
        /// day, so the alert's `document.path` is where the file ends up.
        var promised: [String: String] = [:]
    }
    private let memory = Mutex(Memory())
    /// The last batch's commit, while it runs, and the thread commits run on: one for the
    /// daemon's life, not one per batch (tools that follow threads, strace and perf, see one).
    private var committing: Commit?
    private let committer = BlockingThread(name: "winnow-commit")

    init(state: DaemonState, inbox: Inbox, alerts: AlertLog, journal: Journal, crashGuard: CrashGuard, logger: Logger) {
        self.state = state
        self.inbox = inbox
        self.alerts = alerts
        self.journal = journal
        self.crashGuard = crashGuard
        self.logger = logger
    }

    /// Seeds what a restart knows about the leftovers in work/: the alerts already in the log
    /// (claim id → the path each names) and the journal's pending lines.
    func resume(alerted: [String: String]) {
        alreadyAlerted = Set(alerted.keys)
        let processed = inbox.layout.processed + "/"
        // Only paths inside processed/ (the state folder is ours, but a hand-edited line must
        // not send a document elsewhere); anything else is assigned afresh.
        func inside(_ path: String) -> Bool { path.hasPrefix(processed) && !path.split(separator: "/").contains("..") }
        memory.withLock { memory in
            for (id, path) in alerted where inside(path) { memory.promised[AlertLog.claim(ofAlert: id)] = path }
            for (claim, entry) in journal.pending {
                if let destination = entry.destination, inside(processed + destination) { memory.promised[claim] = processed + destination }
            }
        }
    }

    /// `path` relative to processed/, as the journal records it.
    private func journalDestination(_ path: String?) -> String? {
        let processed = inbox.layout.processed + "/"
        guard let path, path.hasPrefix(processed) else { return nil }
        return String(path.dropFirst(processed.count))
    }

    /// One document of a file as its commit and the log need it. The worker that classified
    /// it renders its alert line and keeps only this: the rest of the classification (evidence,
    /// snippets, places in passing) is freed there, not held by the batch until its commit
    /// (which cost about a tenth of a drain's time: docs/performance.md).
    private struct Classified {
        /// Its number in a feed, else nil.
        var record: Int?
        var alerted: Bool
        var line: [UInt8]?
        var summary: SummaryWindow.Entry
        var rules: [String]
        var warnings: [String]
    }

    private enum Outcome {
        /// The file's SHA-256 (nil when no document in it was classified) and size, each
        /// document in it (one, or one per record of a feed), and the records that failed
        /// on their own.
        case classified(sha256: String?, bytes: Int, [Classified], parts: [FailedPart], Duration)
        case duplicate(sha256: String, bytes: Int)
        case failed(DocumentFailure, sha256: String)
        /// Journaled by an earlier run; only the move is missing.
        case finished(Journal.Entry)
        /// Alerted by an earlier run, not journaled, and in hand at too many crashes to be
        /// classified again: journaled as alerted and moved where its alert says.
        case alertedEarlier(Journal.Entry, deaths: Int)

        /// The document's bytes, for the batch's bound.
        var bytes: Int {
            switch self {
            case let .classified(_, bytes, _, _, _): bytes
            case let .duplicate(_, bytes): bytes
            case .failed, .finished, .alertedEarlier: 0
            }
        }
    }

    /// Classifies the first documents of `batch`, as many as `maxBatchBytes` and `maxBatchTime`
    /// allow (at least one), waits for the last batch's commit, starts theirs, and returns the
    /// rest, still claimed in `work/`, whether a commit ended (well) meanwhile, and what `claim`
    /// claimed while the workers classified (the next batch). Throws the last commit's error
    /// (then this batch is not committed either, and all of it stays in `work/` for the next
    /// poll), or the error of `claim` once this batch's commit has started.
    func process(_ batch: [ClaimedDocument], claim: () throws(FileError) -> [ClaimedDocument] = { [] })
        throws(FileError) -> (rest: [ClaimedDocument], committed: Bool, claimed: [ClaimedDocument]) {
        // Final names in processed/ first: the alerts name them. The batch being committed
        // holds names that are neither in processed/ nor all promised yet: taken as well.
        var batch = batch
        var taken = memory.withLock { $0.promised }
        for doc in committing?.batch ?? [] { if let d = doc.destination { taken[doc.claimID] = d } }
        inbox.assignDestinations(&batch, promised: taken)
        let config = state.config
        let ruleset = state.ruleset
        // Copies of a document the last batch classified count as duplicates, as they would
        // once its commit journals it.
        var batchHashes = committing?.hashes ?? []
        var outcomes: [Outcome] = []
        let started = ContinuousClock.now
        // Documents are read and classified on `workers` threads, admitted in claim order
        // while the batch is within its bounds (as one thread would take them), and handed
        // back in claim order. A suspect of the last crash is classified alone (CrashGuard).
        let admission = Admission(started: started)
        let suspect = batch.contains { crashGuard.isSuspect($0.claimID) }
        let inHand = batch
        var claimed: [ClaimedDocument] = []
        var claimError: FileError?
        OrderedWorkers.run(count: batch.count, workers: suspect ? 1 : config.workers ?? OrderedWorkers.cores) { i -> Outcome? in
            let doc = inHand[i]
            if let known = self.memory.withLock({ $0.journaled[doc.claimID] }) ?? self.journal.pending[doc.claimID].map(Outcome.finished) {
                return admission.admit(i, bytes: 0) ? known : nil
            }
            return self.read(doc, config: config, ruleset: ruleset) { admission.admit(i, bytes: $0) }
        } meanwhile: {
            do throws(FileError) { claimed = try claim() } catch { claimError = error }
        } deliver: { i, outcome in
            guard var outcome, outcomes.count == i else { return }
            // Copies within one batch (the journal learns its hashes only when it is journaled),
            // in claim order: like the journal, only what was classified counts.
            if case let .classified(sha?, _, _, _, _) = outcome, config.duplicates == "skip", !batchHashes.insert(sha).inserted {
                outcome = .duplicate(sha256: sha, bytes: outcome.bytes)
            }
            outcomes.append(outcome)
        }
        let rest = Array(batch.dropFirst(outcomes.count))
        batch.removeLast(rest.count)
        let ended = try finishCommit()
        let committed = batch
        let hashes = Set(outcomes.compactMap { outcome -> String? in
            guard case let .classified(sha, _, _, _, _) = outcome else { return nil }
            return sha
        })
        let classified = outcomes
        committing = Commit(batch: committed, hashes: hashes,
                            started: committer.start { () throws(FileError) in try self.commit(committed, classified) })
        if let claimError { throw claimError }
        return (rest, ended, claimed)
    }

    /// Waits for the commit in flight, if any, and throws its error (its documents stay in
    /// `work/`); whether there was one. Call it before anything lists `work/` or stops.
    @discardableResult
    func finishCommit() throws(FileError) -> Bool {
        guard let commit = committing else { return false }
        committing = nil
        try commit.join()
        return true
    }

    /// A batch's commit, started on `committer`.
    private struct Commit {
        let batch: [ClaimedDocument]
        let hashes: Set<String>
        let started: BlockingThread.Started<FileError>

        func join() throws(FileError) { try started.wait() }
    }

    /// Makes a classified batch's outcome durable, in the order of the type's comment.
    private func commit(_ batch: [ClaimedDocument], _ outcomes: [Outcome]) throws(FileError) {
        // 0. Claims, before anything names them.
        try inbox.syncClaims(batch)

        // 1. Alerts; then the records that failed on their own, beside their reasons.
        let time = Timestamp.now()
        var lines: [[UInt8]] = []
        var alerting: [String] = []
        var parts: [FailedPart] = []
        for (doc, outcome) in zip(batch, outcomes) {
            guard case let .classified(_, _, documents, failedParts, _) = outcome else { continue }
            parts += failedParts
            let before = lines.count
            for c in documents {
                guard let line = c.line, !alreadyAlerted.contains(Self.alertID(doc, record: c.record)) else { continue }
                lines.append(line)
            }
            if lines.count > before { alerting.append(doc.claimID) }
        }
        // Where these alerts start, durable before them: a restart reads the log from there.
        if !lines.isEmpty { try journal.markAlerts(claims: alerting, at: alerts.appendOffset()) }
        try alerts.append(lines: lines)
        for (doc, outcome) in zip(batch, outcomes) {
            guard case let .classified(_, _, documents, _, _) = outcome, documents.contains(where: \.alerted) else { continue }
            for c in documents where c.alerted { alreadyAlerted.insert(Self.alertID(doc, record: c.record)) }
            if doc.destination != nil { memory.withLock { $0.promised[doc.claimID] = doc.destination } }
        }
        try inbox.writeFailedParts(parts, time: time)

        // 2. Journal.
        var entries: [Journal.Entry] = []
        let alreadyJournaled = memory.withLock { memory in Set(batch.map(\.claimID).filter { memory.journaled[$0] != nil }) }
        for (doc, outcome) in zip(batch, outcomes) where !alreadyJournaled.contains(doc.claimID) {
            switch outcome {
            case let .classified(sha, _, documents, _, _):
                entries.append(.init(claim: doc.claimID, sha256: sha ?? "",
                                     disposition: documents.contains(where: \.alerted) ? "alerted" : "processed",
                                     destination: journalDestination(doc.destination)))
            case let .duplicate(sha, _):
                entries.append(.init(claim: doc.claimID, sha256: sha, disposition: "duplicate",
                                     destination: journalDestination(doc.destination)))
            case let .failed(f, sha):
                entries.append(.init(claim: doc.claimID, sha256: sha, disposition: "failed:" + f.reason.rawValue, detail: f.detail))
            case .alertedEarlier(let entry, _):
                entries.append(entry)
            case .finished:
                break
            }
        }
        try journal.append(entries)
        memory.withLock { memory in
            for (doc, outcome) in zip(batch, outcomes) { memory.journaled[doc.claimID] = outcome }
            for entry in entries {
                if let destination = entry.destination { memory.promised[entry.claim] = inbox.layout.processed + "/" + destination }
            }
        }

        // 3. Moves.
        let endings: [(ClaimedDocument, Inbox.Ending)] = zip(batch, outcomes).map { doc, outcome in
            switch outcome {
            case .failed(let f, _): return (doc, .failed(f))
            case .finished(let e) where e.disposition.hasPrefix("failed:"):
                let reason = FailureReason(rawValue: String(e.disposition.dropFirst("failed:".count))) ?? .unreadable
                return (doc, .failed(DocumentFailure(reason, e.detail)))
            default: return (doc, .processed)
            }
        }
        do {
            try inbox.finish(endings, time: time)
        } catch {
            // The documents moved before the failure are done (the retry lists only what is
            // still in work/): count and log them now, and retry the rest.
            for (doc, outcome) in zip(batch, outcomes) where Files.status(doc.workPath).kind == .missing {
                memory.withLock {
                    $0.journaled[doc.claimID] = nil
                    $0.promised[doc.claimID] = nil
                }
                forget(doc, outcome)
                record(doc, outcome)
            }
            throw error
        }
        memory.withLock { memory in
            for doc in batch {
                memory.journaled[doc.claimID] = nil
                memory.promised[doc.claimID] = nil
            }
        }
        for (doc, outcome) in zip(batch, outcomes) { forget(doc, outcome) }

        // Only now, with everything durable, count and log.
        for (doc, outcome) in zip(batch, outcomes) { record(doc, outcome) }

        // A daemon that runs for months keeps a journal of about one duplicate window.
        do {
            let unfinished = memory.withLock { Set($0.journaled.keys) }
            if let dropped = try journal.compactIfDue(keeping: Set(journal.pending.keys).union(unfinished)) {
                logger.info("compacted journal.tsv", metadata: ["dropped": "\(dropped)"])
            }
        } catch {
            logger.warning("could not compact journal.tsv: \(error); appending to it as it is, trying again in 10 minutes")
        }
    }

    /// Reads and classifies one claimed document (nothing written yet).
    /// `admit`, called once the document's size is known (0 when it is not read), says whether
    /// the batch still takes it; nil when it does not.
    private func read(_ doc: ClaimedDocument, config: WinnowConfig, ruleset: Ruleset, admit: (Int) -> Bool) -> Outcome? {
        let started = ContinuousClock.now
        // Each document, and a PDF or office reader while it runs, is a sign of life for the
        // watchdog: a batch of slow documents is not a hung loop.
        let state = self.state
        state.withValues { $0.heartbeat = started }
        var reading = config.reading
        reading.tools.alive = { state.withValues { $0.heartbeat = .now } }
        if crashGuard.isPoisoned(doc.claimID) {
            guard admit(0) else { return nil }
            let deaths = crashGuard.lastInHand.first { $0.claim == doc.claimID }?.deaths ?? 0
            // Its alert, written before the crashes, names its place in processed/ (only alerts
            // promise a place to a claim not journaled): it goes there, so the alert stays true.
            if memory.withLock({ $0.promised[doc.claimID] }) != nil {
                let sha = (try? inbox.read(doc).get()).map { sha256Hex($0) } ?? ""
                return .alertedEarlier(.init(claim: doc.claimID, sha256: sha, disposition: "alerted",
                                             destination: journalDestination(doc.destination)), deaths: deaths)
            }
            return .failed(DocumentFailure(.crashed, "the daemon died \(deaths) times in a row while classifying it; not tried again"),
                           sha256: "")
        }
        let bytes: [UInt8]
        switch inbox.read(doc) {
        case .success(let b): bytes = b
        case .failure(let f): return admit(0) ? .failed(f, sha256: "") : nil
        }
        guard admit(bytes.count) else { return nil }
        // Named as in hand until classified: if it kills the process, the restart knows.
        crashGuard.holding(doc.claimID)
        defer { crashGuard.released(doc.claimID) }
        let sha = sha256Hex(bytes)
        if config.duplicates == "skip", journal.hasSeen(sha256: sha) {
            return .duplicate(sha256: sha, bytes: bytes.count)
        }
        do {
            let budget = WorkBudget(time: config.documentTimeout, memory: config.documentMemory)
            let file = try ruleset.classify(bytes: bytes, name: doc.name, path: doc.destination, source: doc.source,
                                            sha256: sha, reading: reading, budget: budget,
                                            evidence: config.evidencePerMatcher)
            let alerted = file.classifications.map { c in c.level.map { $0 >= config.alertLevel } ?? false }
            let parts = file.failures.map { f in
                FailedPart(name: Self.partName(doc.name, record: f.record), claimID: "\(doc.claimID)#\(f.record)",
                           bytes: Array(bytes[f.range]), failure: DocumentFailure(f.failure), document: doc)
            }
            let time = Timestamp.now()
            var json = JSONWriter(capacity: AlertFormat.typicalBytes)
            let documents = zip(file.classifications, alerted).map { c, alert in
                var line: [UInt8]?
                if alert {
                    json.reset()
                    AlertFormat.write(c, alert: .init(id: Self.alertID(doc, record: c.document.record), time: time,
                                                      path: doc.destination ?? doc.workPath, source: doc.source), into: &json)
                    // A copy of its own size: the batch holds it until its commit (a feed's
                    // thousands of short alerts must not each keep the writer's 16 KB), and
                    // the writer keeps its buffer for the next document.
                    line = json.bytes.withUnsafeBufferPointer { Array($0) }
                }
                return Classified(record: c.document.record, alerted: alert, line: line, summary: .init(c),
                                  rules: c.rules.map(\.id), warnings: c.warnings)
            }
            return .classified(sha256: file.classifications.isEmpty ? nil : sha, bytes: bytes.count, documents,
                               parts: parts, ContinuousClock.now - started)
        } catch {
            return .failed(DocumentFailure(error), sha256: sha)
        }
    }

    /// Which documents a batch takes, decided in claim order whichever thread asks first: the
    /// first always, then each while the batch's bytes are under `maxBatchBytes` and it has run
    /// less than `maxBatchTime`; after one is refused, every later one is.
    private final class Admission: @unchecked Sendable {
        private let condition = NSCondition()
        private let started: ContinuousClock.Instant
        private var next = 0
        private var bytes = 0
        private var closed = false

        init(started: ContinuousClock.Instant) { self.started = started }

        /// Document `i`, of `size` bytes: called once for every index.
        func admit(_ i: Int, bytes size: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while next < i { condition.wait() }
            next = i + 1
            condition.broadcast()
            if i > 0, bytes >= BatchProcessor.maxBatchBytes || ContinuousClock.now - started >= BatchProcessor.maxBatchTime {
                closed = true
            }
            guard !closed else { return false }
            bytes += size
            return true
        }
    }

    /// The alert id of a document: the claim id, with `#N` for a feed's record N.
    static func alertID(_ doc: ClaimedDocument, record: Int?) -> String {
        record.map { "\(doc.claimID)#\($0)" } ?? doc.claimID
    }

    /// `feed#3.jsonl`: the name record 3 of `feed.jsonl` gets in failed/, still a feed.
    static func partName(_ name: String, record: Int) -> String {
        let (stem, ext) = Files.splitExtension(name)
        return ext.isEmpty ? "\(stem)#\(record)" : "\(stem)#\(record).\(ext)"
    }

    /// Drops what was remembered of a document's alerts once it is finished.
    private func forget(_ doc: ClaimedDocument, _ outcome: Outcome) {
        alreadyAlerted.remove(doc.claimID)
        if case let .classified(_, _, documents, _, _) = outcome {
            for c in documents { alreadyAlerted.remove(Self.alertID(doc, record: c.record)) }
        }
    }

    private func record(_ doc: ClaimedDocument, _ outcome: Outcome) {
        let name = doc.source.isEmpty ? doc.name : doc.source + "/" + doc.name
        switch outcome {
        case let .classified(_, _, documents, parts, duration):
            for c in documents {
                recordClassified(c, name: c.record.map { "\(name)#\($0)" } ?? name, duration: duration / max(1, documents.count))
            }
            for part in parts {
                let f = part.failure
                state.withValues { v in
                    v.window.recordFailure(f.reason.rawValue)
                    v.status.failures[f.reason.rawValue, default: 0] += 1
                }
                state.metrics?.recordFailure(reason: f.reason.rawValue)
                logger.warning("failed to classify '\(name)#\(part.claimID.split(separator: "#").last ?? "")': \(f.detail), written to failed/",
                               metadata: ["reason": "\(f.reason.rawValue)"])
            }
        case let .duplicate(sha, bytes):
            state.withValues { v in
                v.window.recordDuplicate(bytes: bytes)
                v.status.duplicates += 1
            }
            state.metrics?.recordDuplicate()
            logger.info("duplicate, skipping", metadata: ["document": "\(name)", "sha256": "\(sha)"])
        case .failed(let f, _):
            state.withValues { v in
                v.window.recordFailure(f.reason.rawValue)
                v.status.failures[f.reason.rawValue, default: 0] += 1
            }
            state.metrics?.recordFailure(reason: f.reason.rawValue)
            logger.warning("failed to classify '\(name)': \(f.detail), moved to failed/", metadata: ["reason": "\(f.reason.rawValue)"])
        case .finished(let e):
            logger.info("finished \(e.disposition) document left by the last run", metadata: ["document": "\(name)"])
        case .alertedEarlier(_, let deaths):
            logger.warning("the daemon died \(deaths) times in a row while classifying '\(name)', whose alert an earlier run wrote: moved to processed/ as that alert says, not classified again")
        }
    }
}

extension BatchProcessor {
    private func recordClassified(_ c: Classified, name: String, duration: Duration) {
        let level = c.summary.level
        state.withValues { v in
            v.window.record(c.summary, alerted: c.alerted)
            v.status.documents += 1
            if c.alerted, let level { v.status.alerts[level.rawValue, default: 0] += 1 }
        }
        state.metrics?.recordClassified(level: level?.rawValue, alerted: c.alerted, duration: duration)
        for warning in c.warnings { logger.warning("\(warning)", metadata: ["document": "\(name)"]) }
        logger.info(c.alerted ? "alert" : "classified", metadata: [
            "document": "\(name)",
            "level": "\(level?.rawValue ?? "none")",
            "tags": "\(c.summary.tags.joined(separator: ","))",
            "places": "\(c.summary.places.prefix(5).joined(separator: ","))",
            "rules": "\(c.rules.joined(separator: ","))",
            "ms": "\(duration.milliseconds)",
        ])
    }
}

extension DocumentFailure {
    /// The inbox's reason for a reading failure (the same names).
    init(_ f: ReadFailure) {
        let reason: FailureReason = switch f.reason {
        case .binary: .binary
        case .undecodable: .undecodable
        case .unsupportedFormat: .unsupportedFormat
        case .malformed: .malformed
        case .encrypted: .encrypted
        case .noText: .noText
        case .toolMissing: .toolMissing
        case .toolFailed: .toolFailed
        case .budget: .budget
        }
        self.init(reason, f.detail)
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
