#if canImport(Glibc)
import Glibc
#endif

/// A file of lines that only grows, made durable a group of lines at a time.
///
/// Lines go out whole, many to a `write(2)` (up to `chunkBytes`), on an `O_APPEND` descriptor,
/// so a reader (`tail -f`, a log shipper) never sees half a line from a completed append. A
/// group shares one `fsync`. (One write per line cost two system calls per document in the
/// daemon's drain, the alert's and the journal line's: docs/performance.md.)
/// When a write or the `fsync` fails, everything the group wrote is cut away and the descriptor
/// is dropped: after a failed `fsync` the kernel may have discarded the pages and will not say
/// so again, so nothing written through it is trusted (docs/design.md §Crash safety). When the
/// cut itself fails, nothing more is appended until a later append manages it: a retry never
/// writes its lines after a torn one. On open, a torn last line left by a crash is cut back to
/// the last complete line.
public final class AppendOnlyFile {
    public let path: String
    private var fd: Int32 = -1
    /// Bytes cut from a torn last line when the file was opened (0 when it was intact).
    public private(set) var repairedBytes = 0
    /// A failed group this process could not cut away: the file (device, inode) and the size to
    /// cut it back to before the next append.
    private var pendingCut: (device: UInt64, inode: UInt64, size: off_t)?

    public init(path: String) throws(FileError) {
        self.path = path
        try open()
        try repairTornTail()
    }

    deinit { if fd >= 0 { close(fd) } }

    private func open() throws(FileError) {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileError("open", path) }
        // A file just created is lost in a power cut, lines and all, until its folder entry is
        // durable; opening is rare (start-up, rotation, after an I/O error), so always sync.
        do throws(FileError) {
            try Files.syncFolder(Files.parent(of: path))
        } catch {
            close(fd)
            throw error
        }
        self.fd = fd
    }

    /// Appends each line plus a newline and fsyncs once; on failure nothing of it stays.
    ///
    /// Appends follow the path, not the open file: when `path` names another file than the
    /// one open (logrotate renamed it away and created a new one, or the journal was
    /// rewritten by a rename), the descriptor is dropped and `path` is opened (or created).
    public func append(lines: [[UInt8]]) throws(FileError) {
        guard !lines.isEmpty else { return }
        var st = stat()
        if fd >= 0 {
            var named = stat()
            if fstat(fd, &st) != 0 || stat(path, &named) != 0 || named.st_dev != st.st_dev || named.st_ino != st.st_ino {
                close(fd)
                fd = -1
            }
        }
        if fd < 0 { try open() }
        guard fstat(fd, &st) == 0 else {
            let error = FileError("stat", path)
            drop()
            throw error
        }
        if let cut = pendingCut {
            // Another file now has the name (rotated away): the damaged one is not ours to append to.
            if cut.device == UInt64(st.st_dev), cut.inode == UInt64(st.st_ino) {
                guard ftruncate(fd, cut.size) == 0, fsync(fd) == 0 else {
                    let error = FileError("truncate", path)
                    drop()
                    throw error
                }
                st.st_size = cut.size
            }
            pendingCut = nil
        }
        let before = off_t(st.st_size)
        do throws(FileError) {
            try write(lines)
            if fsync(fd) != 0 { throw FileError("fsync", path) }
        } catch {
            // Only a regular file can be cut (a device such as /dev/full cannot, nor needs it).
            if ftruncate(fd, before) != 0, st.st_mode & S_IFMT == S_IFREG {
                pendingCut = (UInt64(st.st_dev), UInt64(st.st_ino), before)
            }
            drop()
            throw error
        }
    }

    /// Bytes gathered for one `write(2)`: a line longer than this goes out alone.
    static let chunkBytes = 1 << 20

    /// Each line plus a newline, gathered into writes of at most `chunkBytes`.
    private func write(_ lines: [[UInt8]]) throws(FileError) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(Self.chunkBytes, lines.reduce(0) { $0 + $1.count + 1 }))
        for line in lines {
            if !chunk.isEmpty, chunk.count + line.count + 1 > Self.chunkBytes {
                try Files.writeAll(fd, chunk, path: path)
                chunk.removeAll(keepingCapacity: true)
            }
            chunk += line
            chunk.append(0x0A)
        }
        try Files.writeAll(fd, chunk, path: path)
    }

    /// Where the next append's first line will start: the file's size, or where a failed
    /// group is still to be cut back to.
    public func appendOffset() throws(FileError) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT { return 0 }
            throw FileError("stat", path)
        }
        if let cut = pendingCut, cut.device == UInt64(st.st_dev), cut.inode == UInt64(st.st_ino) { return Int(cut.size) }
        return Int(st.st_size)
    }

    private func drop() {
        close(fd)
        fd = -1
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
}
