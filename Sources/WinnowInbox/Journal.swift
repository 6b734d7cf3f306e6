import Foundation
import WinnowFiles
#if canImport(Glibc)
import Glibc
#endif

/// `journal.tsv`: one line per finished document, made durable before the document moves.
///
/// It is what makes a restart after a crash finish work without repeating it (a claim found in
/// `work/` and in the journal only needs its move) and what recognises the same bytes dropped
/// again (by SHA-256). Lines are `time <tab> claim <tab> sha256 <tab> disposition <tab> detail`,
/// plus `<tab> destination` for a document bound for `processed/`; a torn last line is ignored
/// and cut. A mark line, `time <tab> @alerts <tab> <tab> offset <tab> claim claim …`, precedes
/// each batch's alerts (`markAlerts`). docs/operations.md explains the guarantees.
public final class Journal {
    public struct Entry: Sendable, Equatable {
        public var claim: String
        public var sha256: String
        /// `processed`, `alerted`, `duplicate`, or `failed:<reason>`.
        public var disposition: String
        public var detail: String
        /// Where the document goes, relative to `processed/` (`2025-01-31/a.txt`): the path its
        /// alert names, so a restart on a later day moves it there. Nil for failures, deleted
        /// documents and lines written before this field existed.
        public var destination: String?

        public init(claim: String, sha256: String, disposition: String, detail: String = "", destination: String? = nil) {
            self.claim = claim
            self.sha256 = sha256
            self.disposition = disposition
            self.detail = detail
            self.destination = destination
        }
    }

    public let path: String
    /// Entries of claims that were still in `work/` when the journal was opened.
    public private(set) var pending: [String: Entry] = [:]
    /// For claims still in `work/` when the journal was opened: where `alerts.jsonl` ended when
    /// their alerts were first about to be written (see `markAlerts`).
    public private(set) var alertOffsets: [String: Int] = [:]
    /// The claim field of a mark line.
    static let markClaim = "@alerts"
    /// When each SHA-256 was last finished, in seconds since the epoch; failures do not count.
    /// Under `seenLock`: the next batch asks `hasSeen` while this one's commit appends.
    private var seen: [String: Int] = [:]
    private let seenLock = NSLock()
    /// The duplicate window in seconds; older entries are forgotten at start-up and while running.
    private let window: Int
    private var nextPrune = 0
    /// Lines in the file per hour (`time / 3600`): how many have left the window, without
    /// reading the file to find out.
    private var linesPerHour: [Int: Int] = [:]
    /// Fewest expired lines worth a rewrite while running.
    private let compactionMinimum: Int
    private var retryCompactionAt = 0
    private let file: AppendOnlyFile

    /// Opens (creating) the journal, dropping entries older than `window` unless their claim is
    /// in `pendingClaims`, and a torn last line. The file is read a chunk at a time, whatever
    /// its size; one that cannot be read is an error, never taken for an empty journal (that
    /// would forget which claims were already finished).
    public init(path: String, pendingClaims: Set<String>, window: Duration, compactionMinimum: Int = 10_000) throws(FileError) {
        self.path = path
        self.window = Int(window.components.seconds)
        self.compactionMinimum = compactionMinimum
        Files.removeTemporaries(of: path)  // a compaction cut short by a kill
        let cutoff = Int(time(nil)) - self.window
        var dropped = 0
        var pending: [String: Entry] = [:]
        var seen: [String: Int] = [:]
        var hours: [Int: Int] = [:]
        var offsets: [String: Int] = [:]
        let torn = try Files.forEachLine(path, followingSymlinks: true) { line in
            guard let (t, entry) = Self.parse(line) else { return }
            if let (offset, claims) = Self.mark(entry) {
                for claim in claims where pendingClaims.contains(claim) { offsets[claim] = min(offsets[claim] ?? .max, offset) }
                if t >= cutoff || claims.contains(where: pendingClaims.contains) { hours[t / 3600, default: 0] += 1 } else { dropped += 1 }
                return
            }
            if pendingClaims.contains(entry.claim) { pending[entry.claim] = entry }
            if t < cutoff && !pendingClaims.contains(entry.claim) {
                dropped += 1
                return
            }
            if !entry.sha256.isEmpty, !entry.disposition.hasPrefix("failed") { seen[entry.sha256] = t }
            hours[t / 3600, default: 0] += 1
        }
        self.pending = pending
        self.alertOffsets = offsets
        self.seen = seen
        self.linesPerHour = hours
        if dropped > 0 || torn > 0 {
            try Self.rewrite(path, keepingFrom: cutoff, claims: pendingClaims)
        }
        file = try AppendOnlyFile(path: path)
    }

    /// One line's time and entry; nil for a line that is not one (hand-edited, or cut).
    private static func parse(_ line: ArraySlice<UInt8>) -> (Int, Entry)? {
        let f = line.split(separator: 0x09, omittingEmptySubsequences: false)
        guard f.count >= 4, let t = Int(String(decoding: f[0], as: UTF8.self)) else { return nil }
        return (t, Entry(claim: String(decoding: f[1], as: UTF8.self), sha256: String(decoding: f[2], as: UTF8.self),
                         disposition: String(decoding: f[3], as: UTF8.self),
                         detail: f.count > 4 ? String(decoding: f[4], as: UTF8.self) : "",
                         destination: f.count > 5 && !f[5].isEmpty ? unescape(String(decoding: f[5], as: UTF8.self)) : nil))
    }

    /// Replaces the journal with its lines from `cutoff` on, plus the lines of `claims`, and
    /// nothing unparseable or torn; returns how many lines were dropped. Atomic: a crash leaves
    /// the old file or the new one (and a temp file that the next start removes).
    @discardableResult
    private static func rewrite(_ path: String, keepingFrom cutoff: Int, claims: Set<String>) throws(FileError) -> Int {
        var dropped = 0
        try Files.replace(path) { (fd, temp) throws(FileError) in
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            try Files.forEachLine(path, followingSymlinks: true) { (line) throws(FileError) in
                guard let (t, entry) = parse(line),
                      t >= cutoff || claims.contains(entry.claim) || mark(entry)?.claims.contains(where: claims.contains) == true else {
                    dropped += 1
                    return
                }
                out += line
                out.append(0x0A)
                if out.count >= 1 << 20 {
                    try Files.writeAll(fd, out, path: temp)
                    out.removeAll(keepingCapacity: true)
                }
            }
            try Files.writeAll(fd, out, path: temp)
        }
        return dropped
    }

    /// Rewrites the journal without the lines that left the duplicate window, once there are
    /// enough of them (at least `compactionMinimum` and a quarter of the file), so a daemon
    /// that runs for months keeps a journal of about one window, as a restart would. Lines of
    /// `claims` (documents still in `work/`) are kept whatever their age. Returns the number of
    /// lines dropped, or nil when it was not yet worth it. On failure the journal is unchanged
    /// and appends go on; the caller may try again later.
    @discardableResult
    public func compactIfDue(now: Int = Int(time(nil)), keeping claims: Set<String>) throws(FileError) -> Int? {
        let cutoff = now - window
        // Only whole hours that ended before the cutoff count, so the estimate never overshoots.
        let expired = linesPerHour.reduce(0) { $1.key * 3600 + 3599 < cutoff ? $0 + $1.value : $0 }
        let total = linesPerHour.values.reduce(0, +)
        guard expired >= compactionMinimum, expired * 4 >= total, now >= retryCompactionAt else { return nil }
        let dropped: Int
        do throws(FileError) {
            dropped = try Self.rewrite(path, keepingFrom: cutoff, claims: claims)
        } catch {
            retryCompactionAt = now + 600  // disk full, say: not at every batch
            throw error
        }
        // The next append notices that the path names a new file and opens it (AppendOnlyFile).
        linesPerHour = linesPerHour.filter { $0.key * 3600 + 3599 >= cutoff }
        return dropped
    }

    /// Records, durably, that the alerts of `claims` are about to be appended to `alerts.jsonl`
    /// from byte `offset` on. A restart reads the log from the earliest mark of its leftover
    /// claims, so it finds every alert they already have, however large their batches were
    /// (a tail of fixed size misses them once a batch's alerts outgrow it).
    public func markAlerts(claims: [String], at offset: Int, now: Int = Int(time(nil))) throws(FileError) {
        guard !claims.isEmpty else { return }
        try file.append(lines: [Array("\(now)\t\(Self.markClaim)\t\t\(offset)\t\(claims.joined(separator: " "))".utf8)])
        linesPerHour[now / 3600, default: 0] += 1
    }

    /// A mark line's offset and claims; nil for an ordinary entry.
    private static func mark(_ entry: Entry) -> (offset: Int, claims: [String])? {
        guard entry.claim == markClaim, let offset = Int(entry.disposition) else { return nil }
        return (offset, entry.detail.split(separator: " ").map(String.init))
    }

    /// Whether these bytes were processed within the duplicate window (failures do not count).
    public func hasSeen(sha256: String, now: Int = Int(time(nil))) -> Bool {
        guard let t = seenLock.withLock({ seen[sha256] }) else { return false }
        return t >= now - window
    }

    /// Appends entries with one fsync; on failure nothing of them stays (see `AppendOnlyFile`).
    public func append(_ entries: [Entry], now: Int = Int(time(nil))) throws(FileError) {
        guard !entries.isEmpty else { return }
        try file.append(lines: entries.map { e in
            let destination = e.destination.map { "\t" + Self.escape($0) } ?? ""
            return Array("\(now)\t\(Self.clean(e.claim))\t\(e.sha256)\t\(e.disposition)\t\(Self.clean(e.detail))\(destination)".utf8)
        })
        seenLock.withLock {
            for e in entries where !e.sha256.isEmpty && !e.disposition.hasPrefix("failed") { seen[e.sha256] = now }
            // A daemon that runs for months forgets what left the window, as a restart would.
            if now >= nextPrune {
                seen = seen.filter { $0.value >= now - window }
                nextPrune = now + 3600
            }
        }
        linesPerHour[now / 3600, default: 0] += entries.count
    }

    /// Tabs and line breaks would break the line format.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }))
    }

    /// A path must come back exactly (a file name may hold a tab), so it is escaped, not cleaned.
    static func escape(_ path: String) -> String { Files.percentEncoding(path, ["\t", "\n", "\r"]) }

    static func unescape(_ field: String) -> String { Files.percentDecoding(field) }
}
