import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WinnowFiles

/// Remembers which documents were being classified when the process died, so that one document
/// that kills the daemon (the watchdog, the OOM killer, a crash) cannot do it forever: resumed
/// after a restart, it would kill it again, and again.
///
/// `in-hand` in the state folder names the claims being read and classified, one per line (one
/// per worker), and loses each when it is done (blank lines are padding); it is written, not fsynced: a process that dies
/// leaves the page cache behind, and after a power cut no document is to blame. At start, the
/// claims found there are the suspects of that crash (`crash-suspect`: each claim and the deaths
/// in a row it was in hand for). A suspect is classified with nothing else in hand, so that if
/// it kills the daemon again, it alone is named, not whatever shared the workers with it. At
/// `limit` deaths in a row a claim is poisoned, and goes to `failed/` unread (reason `crashed`)
/// while the queue goes on.
public final class CrashGuard: @unchecked Sendable {
    /// The claims in hand when the last run died, and how many runs in a row each was.
    public let lastInHand: [(claim: String, deaths: Int)]
    private let poisoned: Set<String>
    private let suspects: Set<String>
    private let fd: Int32
    private let path: String
    private let lock = NSLock()
    private var inHand: [String] = []

    /// `limit` 0 never poisons a claim.
    public init(state: String, limit: Int) throws(FileError) {
        path = state + "/in-hand"
        let suspectPath = state + "/crash-suspect"
        Files.removeTemporaries(of: suspectPath)  // a replace cut short by a kill
        var earlier: [String: Int] = [:]
        for line in Self.lines(suspectPath) {
            let fields = line.split(separator: "\t")
            earlier[String(fields.first ?? "")] = fields.count > 1 ? Int(fields[1]) ?? 1 : 1
        }
        // A crash with nothing in hand (or a clean stop) breaks every chain.
        var seen: Set<String> = []
        let last = Self.lines(path).filter { seen.insert($0).inserted }.map { (claim: $0, deaths: (earlier[$0] ?? 0) + 1) }
        let poisoned = Set(last.filter { limit > 0 && $0.deaths >= limit }.map(\.claim))
        lastInHand = last
        self.poisoned = poisoned
        suspects = Set(last.map(\.claim)).subtracting(poisoned)
        let kept = last.filter { !poisoned.contains($0.claim) }
        if !kept.isEmpty {
            try Files.replace(suspectPath, with: Array(kept.map { "\($0.claim)\t\($0.deaths)\n" }.joined().utf8), durable: false)
        } else if unlink(suspectPath) != 0, errno != ENOENT {
            throw FileError("remove", suspectPath)
        }
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileError("open", path) }
    }

    deinit { close(fd) }

    /// Whether `claim` was in hand at the last `limit` deaths in a row.
    public func isPoisoned(_ claim: String) -> Bool { poisoned.contains(claim) }

    /// Whether `claim` was in hand when the last run died: classify it with nothing else in hand.
    public func isSuspect(_ claim: String) -> Bool { suspects.contains(claim) }

    /// `claim` is being read and classified now.
    public func holding(_ claim: String) {
        lock.lock()
        defer { lock.unlock() }
        inHand.append(claim)
        write()
    }

    /// `claim` is done.
    public func released(_ claim: String) {
        lock.lock()
        defer { lock.unlock() }
        if let i = inHand.firstIndex(of: claim) { inHand.remove(at: i) }
        write()
    }

    /// One `pwrite` per change, never a truncation: a shorter list is padded with newlines to
    /// the length last written (blank lines name no claim). On ext4 a truncation per document
    /// cost twice the write (docs/performance.md, the drain profile).
    private func write() {
        var text = Array(inHand.map { $0 + "\n" }.joined().utf8)
        if text.count < written { text += repeatElement(0x0A, count: written - text.count) }
        if !text.isEmpty { _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
        written = text.count
    }
    /// Bytes in the file: what the last write covered.
    private var written = 0

    private static func lines(_ path: String) -> [String] {
        guard case .bytes(let bytes)? = try? Files.read(path, maxBytes: 1 << 20) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
