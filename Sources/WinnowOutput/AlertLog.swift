import WinnowFiles
#if canImport(Glibc)
import Glibc
#endif

/// `alerts.jsonl`: append-only, one complete JSON line per alert, durable when `append` returns.
///
/// Each line goes out in one `write(2)` on an `O_APPEND` descriptor, so concurrent readers
/// (`tail -f`, Vector) never see half a line from a completed append. On open, a torn last line
/// left by a crash is cut back to the last complete line before anything is appended.
public final class AlertLog {
    public let path: String
    private var fd: Int32 = -1

    public init(path: String) throws(FileError) {
        self.path = path
        try open()
    }

    deinit { if fd >= 0 { close(fd) } }

    private func open() throws(FileError) {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileError("open", path) }
        self.fd = fd
        try repairTornTail()
    }

    /// Appends `line` plus a newline and fsyncs. On failure nothing partial stays behind.
    public func append(_ line: [UInt8]) throws(FileError) {
        try append(lines: [line])
    }

    /// Appends several lines with one fsync: a backlog drains at disk speed, not fsync speed.
    /// Each line still goes out in its own `write(2)`, so readers never see half of one.
    /// On failure everything this call wrote is cut away again and the error is thrown.
    public func append(lines: [[UInt8]]) throws(FileError) {
        guard !lines.isEmpty else { return }
        if fd < 0 { try open() }
        var st = stat()
        let before = fstat(fd, &st) == 0 ? off_t(st.st_size) : -1
        do throws(FileError) {
            for line in lines { try Files.writeAll(fd, line + [0x0A], path: path) }
            if fsync(fd) != 0 { throw FileError("fsync", path) }
        } catch {
            // A failed fsync may have lost the pages: the line may or may not be on disk, so
            // cut it away and reopen rather than trust the descriptor again.
            if before >= 0 { _ = ftruncate(fd, before) }
            close(fd)
            fd = -1
            throw error
        }
    }

    private func repairTornTail() throws(FileError) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError("stat", path) }
        let size = Int(st.st_size)
        guard size > 0 else { return }
        let rfd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard rfd >= 0 else { throw FileError("open", path) }
        defer { close(rfd) }
        var last: UInt8 = 0
        guard pread(rfd, &last, 1, off_t(size - 1)) == 1 else { throw FileError("read", path) }
        if last == 0x0A { return }
        // Scan backwards for the last newline.
        var end = size
        var chunk = [UInt8](repeating: 0, count: 65536)
        var keep = 0
        search: while end > 0 {
            let start = max(0, end - chunk.count)
            let n = chunk.withUnsafeMutableBytes { pread(rfd, $0.baseAddress!, end - start, off_t(start)) }
            guard n == end - start else { throw FileError("read", path) }
            for i in stride(from: n - 1, through: 0, by: -1) where chunk[i] == 0x0A {
                keep = start + i + 1
                break search
            }
            end = start
        }
        if ftruncate(fd, off_t(keep)) != 0 { throw FileError("truncate", path) }
        if fsync(fd) != 0 { throw FileError("fsync", path) }
        repairedBytes = size - keep
    }

    /// Bytes cut from a torn last line when the log was opened (0 when it was intact).
    public private(set) var repairedBytes = 0

    /// Alert ids in the last `window` bytes of the log: a restart checks a claim against them
    /// before alerting again, since the alert may have been durable before the crash.
    public func recentIDs(window: Int = 16 << 20) -> Set<String> {
        guard case .bytes(let bytes)? = try? Files.read(path, maxBytes: Int.max / 2) else { return [] }
        var ids = Set<String>()
        let marker = Array(#"{"schema":1,"id":""#.utf8)
        var start = max(0, bytes.count - window)
        while start < bytes.count, start > 0, bytes[start - 1] != 0x0A { start += 1 }
        var i = start
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            if end - i > marker.count, bytes[i ..< i + marker.count].elementsEqual(marker) {
                let from = i + marker.count
                if let quote = bytes[from ..< end].firstIndex(of: 0x22) {
                    ids.insert(String(decoding: bytes[from ..< quote], as: UTF8.self))
                }
            }
            i = end + 1
        }
        return ids
    }
}
