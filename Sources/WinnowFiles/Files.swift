#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Numbers `Files.replace`'s temp files within the process.
private let replaceCalls = Atomic<Int>(0)

/// Durable file operations, in the order databases use them: write, fsync the file, rename,
/// fsync the folder. docs/design.md §Crash safety explains why each step is there.
public enum Files {
    /// What kind of thing a path is.
    public enum Kind: Sendable, Equatable {
        case regular, directory, symlink, fifo, socket, device, other, missing
    }

    public struct Status: Sendable, Equatable {
        public var kind: Kind
        public var size: Int
        /// Modification time in nanoseconds since the epoch.
        public var mtimeNanos: Int64
        /// Status change time (a write, and also a rename, link or chmod), in nanoseconds.
        public var ctimeNanos: Int64
        public var device: UInt64
        public var inode: UInt64
        /// Hard links to it (names in any folder).
        public var links: Int = 0
    }

    public static func status(_ path: String, followingSymlinks: Bool = false) -> Status {
        var st = stat()
        guard (followingSymlinks ? stat(path, &st) : lstat(path, &st)) == 0 else {
            return Status(kind: .missing, size: 0, mtimeNanos: 0, ctimeNanos: 0, device: 0, inode: 0)
        }
        return status(of: st)
    }

    static func status(of st: stat) -> Status {
        let kind: Kind = switch st.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        case S_IFCHR, S_IFBLK: .device
        default: .other
        }
        return Status(kind: kind, size: Int(st.st_size),
                      mtimeNanos: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                      ctimeNanos: Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec),
                      device: UInt64(st.st_dev), inode: UInt64(st.st_ino), links: Int(st.st_nlink))
    }

    /// Names in a folder (no "." or ".."), unsorted. A name that is not valid UTF-8 comes back
    /// repaired (U+FFFD), so it names no file; `entries` keeps such names apart.
    public static func list(_ folder: String) throws(FileError) -> [String] {
        let (names, undecodable) = try entries(folder)
        return names + undecodable.map { String(decoding: $0, as: UTF8.self) }
    }

    /// One pass over a folder: the names that are valid UTF-8, and the raw bytes of those that
    /// are not (a String cannot name them; `rename(raw:in:to:)` can give them a name it can).
    public static func entries(_ folder: String) throws(FileError) -> (names: [String], undecodable: [[UInt8]]) {
        guard let dir = opendir(folder) else { throw FileError("open folder", folder) }
        defer { closedir(dir) }
        var names: [String] = []
        var undecodable: [[UInt8]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: UInt8.self, capacity: 256) { Array(UnsafeBufferPointer(start: $0, count: strlen($0))) }
            }
            if let name = String(validating: bytes, as: UTF8.self) {
                if name != "." && name != ".." { names.append(name) }
            } else {
                undecodable.append(bytes)
            }
        }
        return (names, undecodable)
    }

    /// `bytes` as a name, each byte that is not part of valid UTF-8 written `%XX`.
    public static func escapingInvalidUTF8(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
            if i + length <= bytes.count, let s = String(validating: bytes[i ..< i + length], as: UTF8.self) {
                out += s
                i += length
            } else {
                out += "%" + (lead < 0x10 ? "0" : "") + String(lead, radix: 16, uppercase: true)
                i += 1
            }
        }
        return out
    }

    /// Renames `folder/raw`, a name that is not valid UTF-8, to `folder/name`.
    public static func rename(raw: [UInt8], in folder: String, to name: String) throws(FileError) {
        let from = (Array(folder.utf8) + [0x2F] + raw + [0]).map { CChar(bitPattern: $0) }
        if Glibc.rename(from, folder + "/" + name) != 0 {
            throw FileError("rename", "\(folder)/\(escapingInvalidUTF8(raw))' to '\(folder)/\(name)")
        }
    }

    /// Creates a folder and its parents (mode 0750 unless given). Each folder created is made
    /// durable in its parent: a document renamed into a new `processed/DAY/` must not vanish
    /// with its folder in a power cut after the journal says it is done.
    public static func makeFolder(_ path: String, mode: mode_t = 0o750) throws(FileError) {
        if status(path).kind == .directory { return }
        var parts: [Substring] = []
        var current = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            parts.append(part)
            current = (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
            if status(current).kind == .directory { continue }
            if mkdir(current, mode) == 0 {
                try syncFolder(parent(of: current))
            } else if errno != EEXIST {
                throw FileError("create folder", current)
            }
        }
    }

    /// What `read` found: the bytes, a file larger than `maxBytes` (its size so far), or
    /// something other than a regular file (never opened for reading).
    public enum ReadOutcome: Sendable {
        case bytes([UInt8])
        case tooLarge(Int)
        case notRegular(Kind)
        /// A regular file with more names than `maxLinks` allowed (its link count).
        case linked(Int)
    }

    /// Reads a regular file without blocking on FIFOs. Symlinks are not followed (`.notRegular`)
    /// unless `followingSymlinks`: inbox documents must not be, but packs and list files an
    /// analyst links into the rules folder are. With `maxLinks`, a file with more names is
    /// `.linked`, unread (checked on the descriptor, so it costs no call of its own).
    public static func read(_ path: String, maxBytes: Int, followingSymlinks: Bool = false,
                            maxLinks: Int? = nil) throws(FileError) -> ReadOutcome {
        // Only regular files are opened. Opening a FIFO for reading, even non-blocking,
        // releases a writer blocked in open(2) and then hands it EPIPE; a socket cannot be
        // opened at all (ENXIO, which would pass for an unreadable file); opening a device
        // can have side effects.
        var before = stat()
        guard (followingSymlinks ? stat(path, &before) : lstat(path, &before)) == 0 else { throw FileError("stat", path) }
        let kind = status(of: before).kind
        if kind != .regular { return .notRegular(kind) }
        // O_NOFOLLOW and O_NONBLOCK still guard against a swap between lstat and open: a
        // symlink fails with ELOOP, a FIFO does not wait for a writer, and fstat checks what
        // was opened.
        let fd = open(path, O_RDONLY | (followingSymlinks ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            if errno == ELOOP && !followingSymlinks { return .notRegular(.symlink) }
            throw FileError("open", path)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError("stat", path) }
        let s = status(of: st)
        guard s.kind == .regular else { return .notRegular(s.kind) }
        if let maxLinks, s.links > maxLinks { return .linked(s.links) }
        if s.size > maxBytes { return .tooLarge(s.size) }
        // Uninitialised: read(2) writes every byte kept, and zeroing first was a pass of its own.
        let room = max(s.size, 0) + 1
        var out = [UInt8](unsafeUninitializedCapacity: room) { _, count in count = room }
        var filled = 0
        while true {
            if filled == out.count {
                if out.count > maxBytes { return .tooLarge(filled) }
                out.append(contentsOf: repeatElement(0, count: max(4096, out.count)))
            }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("read", path)
            }
            if n == 0 { break }
            filled += n
            // All the bytes fstat counted, and fewer than asked for: the end of the file. Asking
            // again only to hear 0 was a system call per document. (A /proc file, which
            // reports size 0 and reads in pieces, still reads to its end.)
            if filled == s.size, filled < out.count { break }
        }
        if filled > maxBytes { return .tooLarge(filled) }
        out.removeLast(out.count - filled)
        return .bytes(out)
    }

    /// The last `maxBytes` bytes of a regular file (all of it when smaller) and the offset they
    /// start at; nil when it is missing, not a regular file (symlinks are not followed) or
    /// unreadable. Only the tail is read, however large the file.
    public static func readTail(_ path: String, maxBytes: Int) -> (bytes: [UInt8], offset: Int)? {
        guard status(path).kind == .regular else { return nil }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, status(of: st).kind == .regular else { return nil }
        let offset = max(0, Int(st.st_size) - maxBytes)
        var out = [UInt8](repeating: 0, count: Int(st.st_size) - offset)
        var filled = 0
        while filled < out.count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(offset + filled)) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            filled += n
        }
        out.removeLast(out.count - filled)
        return (out, offset)
    }

    /// Calls `body` with each newline-terminated line of a regular file (without its newline),
    /// reading a chunk at a time, so a file of any size costs a chunk plus its longest line.
    /// A line longer than `maxLine` is skipped, not buffered (garbage must not cost its size in
    /// memory). Returns how many bytes follow the last newline (a torn last line, not passed to
    /// `body`). A missing file, or one that is not a regular file (a device such as `/dev/full`
    /// standing in for a state file), has no lines.
    @discardableResult
    public static func forEachLine(_ path: String, followingSymlinks: Bool = false, chunk: Int = 1 << 20, maxLine: Int = 1 << 20,
                                   _ body: (ArraySlice<UInt8>) throws(FileError) -> Void) throws(FileError) -> Int {
        guard status(path, followingSymlinks: followingSymlinks).kind == .regular else { return 0 }
        let fd = open(path, O_RDONLY | (followingSymlinks ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            if errno == ENOENT { return 0 }
            throw FileError("open", path)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError("stat", path) }
        guard status(of: st).kind == .regular else { return 0 }
        var buffer = [UInt8](repeating: 0, count: chunk)
        var filled = 0
        var skipping = false  // inside a line past maxLine
        while true {
            if filled == buffer.count {
                if buffer.count > maxLine {
                    skipping = true
                    filled = 0
                } else {
                    buffer.append(contentsOf: repeatElement(0, count: buffer.count))  // a long line
                }
            }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("read", path)
            }
            if n == 0 { return skipping ? 0 : filled }
            let end = filled + n
            var start = 0
            var from = filled
            while let i = buffer.withUnsafeBytes({ b in
                memchr(b.baseAddress! + from, 0x0A, end - from).map { $0 - UnsafeMutableRawPointer(mutating: b.baseAddress!) }
            }) {
                if skipping {
                    skipping = false
                } else {
                    try body(buffer[start ..< i])
                }
                start = i + 1
                from = start
            }
            // Keep the unfinished line at the front.
            if start > 0 {
                buffer.withUnsafeMutableBytes { b in _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
            }
            filled = end - start
        }
    }

    /// Calls `body` with a regular file's bytes a chunk at a time, so a file of any size costs
    /// one chunk of memory. Symlinks are followed; anything but a regular file gives nothing.
    public static func forEachChunk(_ path: String, chunk: Int = 1 << 20,
                                    _ body: (UnsafeRawBufferPointer) -> Void) throws(FileError) {
        guard status(path, followingSymlinks: true).kind == .regular else { return }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        if fd < 0 { throw FileError("open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileError("stat", path) }
        guard status(of: st).kind == .regular else { return }
        var buffer = [UInt8](repeating: 0, count: max(chunk, 1))
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("read", path)
            }
            if n == 0 { return }
            buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[0 ..< n])) }
        }
    }

    /// `rename(2)`: atomic within one filesystem.
    public static func rename(_ from: String, _ to: String) throws(FileError) {
        if Glibc.rename(from, to) != 0 { throw FileError("rename", "\(from)' to '\(to)") }
    }

    /// Makes a folder's entries (creations, renames) durable.
    public static func syncFolder(_ path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError("open folder", path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileError("fsync", path) }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError("write", path)
            }
            done += n
        }
    }

    /// Replaces `path` atomically with `bytes`: temp file, fsync, rename, fsync folder.
    /// Readers see the old content or the new, never a mix. The temp file is a dot-file
    /// (`.NAME.tmp.PID`) beside `path`; one left by a killed process is removed by
    /// `removeTemporaries(of:)` or `removeTemporaries(in:endingIn:)`.
    ///
    /// `durable: false` skips both fsyncs (a snapshot rewritten soon anyway). With
    /// `syncingFolder: false` the contents are fsynced but not the folder: the caller fsyncs it
    /// once after replacing several files in it, and only then relies on them.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o640, durable: Bool = true,
                               syncingFolder: Bool = true) throws(FileError) {
        try replace(path, mode: mode, durable: durable, syncingFolder: syncingFolder) { (fd, temp) throws(FileError) in
            try writeAll(fd, bytes, path: temp)
        }
    }

    /// `replace(_:with:)` for contents too large to hold in memory: `write` gets the temp
    /// file's descriptor and path and writes the new contents through `writeAll`.
    public static func replace(_ path: String, mode: mode_t = 0o640, durable: Bool = true, syncingFolder: Bool = true,
                               writing write: (Int32, String) throws(FileError) -> Void) throws(FileError) {
        // Unique per call, not just per process: two services may replace one file at once
        // (status.json), and a shared temp name would let one rename the other's half-write.
        let temp = temporaryName(of: path) + String(getpid()) + "." + String(replaceCalls.add(1, ordering: .relaxed).newValue)
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileError("create", temp) }
        do throws(FileError) {
            try write(fd, temp)
            if durable, fsync(fd) != 0 { throw FileError("fsync", temp) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        do {
            try rename(temp, path)
        } catch {
            unlink(temp)
            throw error
        }
        if durable && syncingFolder { try syncFolder(parent(of: path)) }
    }

    /// `folder/.NAME.tmp.` for `folder/NAME`: the prefix of `replace`'s temp files.
    static func temporaryName(of path: String) -> String {
        parent(of: path) + "/." + baseName(path) + ".tmp."
    }

    /// Removes temp files that `replace(path…)` left behind when its process was killed.
    /// Call it before this process replaces `path` for the first time.
    public static func removeTemporaries(of path: String) {
        let prefix = "." + baseName(path) + ".tmp."
        for name in (try? list(parent(of: path))) ?? [] where name.hasPrefix(prefix) {
            unlink(parent(of: path) + "/" + name)
        }
    }

    /// Removes temp files left by killed `replace` calls for any `folder/*suffix`.
    public static func removeTemporaries(in folder: String, endingIn suffix: String) {
        for name in (try? list(folder)) ?? [] where name.hasPrefix(".") && name.contains(suffix + ".tmp.") {
            unlink(folder + "/" + name)
        }
    }

    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// `path` made absolute with symlinks, `.` and `..` resolved (realpath(3)); unchanged
    /// when it cannot be (a missing file).
    public static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public static func baseName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// A name in `folder` that does not exist yet: `name`, then `stem.1.ext`, `stem.2.ext`, ….
    /// Names in `avoiding` count as taken too (names already chosen for the same batch).
    public static func freeName(in folder: String, for name: String, avoiding: Set<String> = []) -> String {
        func free(_ candidate: String) -> Bool {
            !avoiding.contains(candidate) && status(folder + "/" + candidate).kind == .missing
                && status(folder + "/" + candidate + ".reason.json").kind == .missing
        }
        var n = 0
        while !free(numberedName(name, n)) { n += 1 }
        return numberedName(name, n)
    }

    /// The `n`th name `freeName` tries: `name` for 0, then `stem.n.ext`.
    public static func numberedName(_ name: String, _ n: Int) -> String {
        guard n > 0 else { return name }
        let (stem, ext) = splitExtension(name)
        return ext.isEmpty ? "\(stem).\(n)" : "\(stem).\(n).\(ext)"
    }

    /// `name` split at its last dot (not a leading one): (`stem`, `ext`).
    public static func splitExtension(_ name: String) -> (String, String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// Free bytes available to unprivileged writers on the filesystem holding `path`.
    public static func freeBytes(_ path: String) -> Int? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }
}

extension Files.Kind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .regular: "regular file"
        case .directory: "folder"
        case .symlink: "symbolic link"
        case .fifo: "FIFO (named pipe)"
        case .socket: "socket"
        case .device: "device"
        case .other: "special file"
        case .missing: "missing file"
        }
    }
}

extension Files {
    /// Why a file a user named (a pack, a list, a gazetteer or config file) gave no bytes.
    public enum NamedFileProblem: Error, Sendable {
        /// A sentence such as "no such file or folder" or "is a FIFO (named pipe), not a file".
        case unreadable(String)
        case tooLarge(limit: Int)
    }

    /// Reads a file a user pointed Winnow at. Symlinks are followed; anything but a regular
    /// file is refused before it is read, so a FIFO in the rules folder cannot hang a reload.
    public static func readNamed(_ path: String, maxBytes: Int) throws(NamedFileProblem) -> [UInt8] {
        let outcome: ReadOutcome
        do {
            outcome = try read(path, maxBytes: maxBytes, followingSymlinks: true)
        } catch {
            throw .unreadable(error.errno == ENOENT ? "no such file or folder" : error.reason)
        }
        switch outcome {
        case .bytes(let bytes): return bytes
        case .linked: throw .unreadable("has several names")  // not asked for here
        case .tooLarge: throw .tooLarge(limit: maxBytes)
        case .notRegular(let kind): throw .unreadable("is a \(kind), not a file")
        }
    }

    /// Why `readNamed` would refuse `path`, found without reading it; nil when it is a
    /// readable regular file (or a symlink to one).
    public static func namedFileProblem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ENOENT ? "no such file or folder" : String(cString: strerror(errno)) }
        let kind = status(of: st).kind
        if kind != .regular { return "is a \(kind), not a file" }
        if access(path, R_OK) != 0 { return String(cString: strerror(errno)) }
        return nil
    }
}

extension Files {
    /// `text` with `%` and each of `scalars` written as `%XX` (their UTF-8 bytes), scalar by
    /// scalar: Foundation's `replacingOccurrences` matches whole characters, so a line break
    /// followed by a combining mark (one character) would slip through unescaped.
    public static func percentEncoding(_ text: String, _ scalars: Set<Unicode.Scalar>) -> String {
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "%" || scalars.contains(s) {
                for b in String(s).utf8 {
                    let hex = Array("0123456789ABCDEF".unicodeScalars)
                    out.append("%")
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Undoes `percentEncoding`: every `%XX` becomes its byte again.
    public static func percentDecoding(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25, i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                let b = hi << 4 | lo
                out.append(b)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30 ... 0x39: c - 0x30
        case 0x41 ... 0x46: c - 0x41 + 10
        case 0x61 ... 0x66: c - 0x61 + 10
        default: nil
        }
    }
}
