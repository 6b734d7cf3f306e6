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
/// and cut. docs/operations.md explains the guarantees.
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
    /// When each SHA-256 was last finished, in seconds since the epoch; failures do not count.
    private var seen: [String: Int] = [:]
    /// The duplicate window in seconds; older entries are forgotten at start-up and while running.
    private let window: Int
    private var nextPrune = 0
    private let file: AppendOnlyFile

    /// Opens (creating) the journal; drops entries older than `window` when compacting.
    public init(path: String, pendingClaims: Set<String>, window: Duration) throws(FileError) {
        self.path = path
        self.window = Int(window.components.seconds)
        Files.removeTemporaries(of: path)  // a compaction cut short by a kill
        let cutoff = Int(time(nil)) - self.window
        var kept: [UInt8] = []
        var dropped = 0
        var torn = false
        if case .bytes(let bytes) = (try? Files.read(path, maxBytes: 1 << 30)) ?? .bytes([]) {
            var start = 0
            for i in bytes.indices where bytes[i] == 0x0A {
                let line = bytes[start ..< i]
                start = i + 1
                let f = line.split(separator: 0x09, omittingEmptySubsequences: false)
                guard f.count >= 4, let t = Int(String(decoding: f[0], as: UTF8.self)) else { continue }
                let claim = String(decoding: f[1], as: UTF8.self)
                let entry = Entry(claim: claim, sha256: String(decoding: f[2], as: UTF8.self),
                                  disposition: String(decoding: f[3], as: UTF8.self),
                                  detail: f.count > 4 ? String(decoding: f[4], as: UTF8.self) : "",
                                  destination: f.count > 5 && !f[5].isEmpty ? Self.unescape(String(decoding: f[5], as: UTF8.self)) : nil)
                if pendingClaims.contains(claim) { pending[claim] = entry }
                if t < cutoff && !pendingClaims.contains(claim) {
                    dropped += 1
                    continue
                }
                if !entry.sha256.isEmpty, !entry.disposition.hasPrefix("failed") { seen[entry.sha256] = t }
                kept += line
                kept.append(0x0A)
            }
            torn = start < bytes.count
        }
        if dropped > 0 || torn {
            try Files.replace(path, with: kept)
        }
        file = try AppendOnlyFile(path: path)
    }

    /// Whether these bytes were processed within the duplicate window (failures do not count).
    public func hasSeen(sha256: String, now: Int = Int(time(nil))) -> Bool {
        guard let t = seen[sha256] else { return false }
        return t >= now - window
    }

    /// Appends entries with one fsync; on failure nothing of them stays (see `AppendOnlyFile`).
    public func append(_ entries: [Entry]) throws(FileError) {
        guard !entries.isEmpty else { return }
        let now = Int(time(nil))
        try file.append(lines: entries.map { e in
            let destination = e.destination.map { "\t" + Self.escape($0) } ?? ""
            return Array("\(now)\t\(Self.clean(e.claim))\t\(e.sha256)\t\(e.disposition)\t\(Self.clean(e.detail))\(destination)".utf8)
        })
        for e in entries where !e.sha256.isEmpty && !e.disposition.hasPrefix("failed") { seen[e.sha256] = now }
        // A daemon that runs for months forgets what left the window, as a restart would.
        if now >= nextPrune {
            seen = seen.filter { $0.value >= now - window }
            nextPrune = now + 3600
        }
    }

    /// Tabs and line breaks would break the line format.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }))
    }

    /// A path must come back exactly (a file name may hold a tab), so it is escaped, not cleaned.
    static func escape(_ path: String) -> String { Files.percentEncoding(path, ["\t", "\n", "\r"]) }

    static func unescape(_ field: String) -> String { Files.percentDecoding(field) }
}
