#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(2)` on a file, held while its descriptor is open.
///
/// The kernel drops the lock when the holder's process ends, however it ends (SIGKILL
/// included), so a crash never leaves a stale lock behind and a restart always gets it. The
/// holder writes its pid into the file, for the message a second process prints; the file
/// itself is never removed.
public final class LockFile {
    public let path: String
    private var fd: Int32

    /// What `acquire` found.
    public enum Outcome {
        case acquired(LockFile)
        /// Another process holds the lock; its pid when the file names one.
        case held(pid: Int32?)
    }

    /// What `probe` found.
    public enum State: Equatable, Sendable {
        case free
        case held(pid: Int32?)
    }

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    deinit { release() }

    /// Takes the lock without waiting, creating the file when missing, and writes this
    /// process's pid into it. Throws when the file cannot be opened or locked at all.
    public static func acquire(_ path: String) throws(FileError) -> Outcome {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw FileError("open", path) }
        // `probe` holds a shared lock for microseconds: a few short retries tell it from a holder.
        var retries = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let error = errno
            if error == EINTR { continue }
            if error == EWOULDBLOCK, retries < 5 {
                retries += 1
                usleep(20_000)
                continue
            }
            let pid = error == EWOULDBLOCK ? readPID(fd) : nil
            close(fd)
            if error != EWOULDBLOCK { throw FileError("lock", path, errno: error) }
            return .held(pid: pid)
        }
        let text = Array("\(getpid())\n".utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, text, text.count, 0) == text.count else {
            let error = FileError("write", path)
            close(fd)
            throw error
        }
        return .acquired(LockFile(path: path, fd: fd))
    }

    /// Whether some process holds the lock at `path`, without disturbing it; nil when the file
    /// is missing or cannot be opened (nothing can be told then).
    public static func probe(_ path: String) -> State? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            return errno == EWOULDBLOCK ? .held(pid: readPID(fd)) : nil
        }
        flock(fd, LOCK_UN)
        return .free
    }

    /// Gives the lock up (closing the descriptor); the process ending does the same.
    public func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, $0.count, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[..<n], as: UTF8.self)
        return Int32(text.prefix { $0 != "\n" }).flatMap { $0 > 0 ? $0 : nil }
    }
}
