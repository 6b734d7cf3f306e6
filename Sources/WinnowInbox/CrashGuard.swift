#if canImport(Glibc)
import Glibc
#endif
import WinnowFiles

/// Remembers which document was being classified when the process died, so that one document
/// that kills the daemon (the watchdog, the OOM killer, a crash) cannot do it forever: resumed
/// after a restart, it would kill it again, and again.
///
/// `in-hand` in the state folder names the claim being read and classified, and is emptied when
/// that is done; it is written, not fsynced: a process that dies leaves the page cache behind,
/// and after a power cut no document is to blame. At start, a claim found there is the suspect
/// of that crash (`crash-suspect`: the claim and the deaths in a row it was in hand for); at
/// `limit` deaths in a row it is `poisoned`, and goes to `failed/` unread (reason `crashed`)
/// while the queue goes on.
public final class CrashGuard {
    /// The claim that was in hand at the last `limit` crashes.
    public let poisoned: String?
    /// The claim that was in hand when the last run died, and how many runs in a row it was.
    public let lastInHand: (claim: String, deaths: Int)?
    private let fd: Int32
    private let path: String

    /// `limit` 0 never poisons a claim.
    public init(state: String, limit: Int) throws(FileError) {
        path = state + "/in-hand"
        let suspectPath = state + "/crash-suspect"
        Files.removeTemporaries(of: suspectPath)  // a replace cut short by a kill
        let suspect = Self.read(suspectPath).map { line -> (String, Int) in
            let fields = line.split(separator: "\t")
            return (String(fields.first ?? ""), fields.count > 1 ? Int(fields[1]) ?? 1 : 1)
        }
        // A crash with nothing in hand (or a clean stop) breaks the chain.
        lastInHand = Self.read(path).map { claim in (claim, suspect?.0 == claim ? suspect!.1 + 1 : 1) }
        poisoned = lastInHand.flatMap { limit > 0 && $0.deaths >= limit ? $0.claim : nil }
        if let last = lastInHand, poisoned == nil {
            try Files.replace(suspectPath, with: Array("\(last.claim)\t\(last.deaths)\n".utf8), durable: false)
        } else if unlink(suspectPath) != 0, errno != ENOENT {
            throw FileError("remove", suspectPath)
        }
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileError("open", path) }
        released()
    }

    deinit { close(fd) }

    /// `claim` is being read and classified now.
    public func holding(_ claim: String) {
        let line = Array((claim + "\n").utf8)
        _ = line.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(fd, off_t(line.count))
    }

    /// Nothing is being classified.
    public func released() {
        _ = ftruncate(fd, 0)
    }

    private static func read(_ path: String) -> String? {
        guard case .bytes(let bytes)? = try? Files.read(path, maxBytes: 4096) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init)
    }
}
