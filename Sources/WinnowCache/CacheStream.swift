#if canImport(Glibc)
import Glibc
#endif

// Large payloads (an automaton's tries: tens of megabytes) go between the file and their
// arrays directly: assembling the payload in one buffer first, as `store` and `load` do,
// doubled the start's peak memory for what a cache was meant to save.

extension CacheStore {
    /// Saves a payload written section by section by `body` under `name` for `key`, as `store`
    /// does (same file layout, eviction and atomic rename); failures are ignored.
    public func store(name: String, key: [UInt8], family: String, keep: Int = 4, _ body: (inout CacheWriter) -> Void) {
        guard key.count == 32, Self.makeFolder(directory) else { return }
        var template = Array((directory + "/." + name + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var writer = CacheWriter(fd: fd)
        // The header (its length and checksum known only at the end) is written last, in place.
        writer.ok = [UInt8](repeating: 0, count: Self.headerSize).withUnsafeBytes { Self.writeAll(fd, $0) }
        if writer.ok { body(&writer) }
        var header = Self.magic + key
        for i in 0 ..< 8 { header.append(UInt8(truncatingIfNeeded: writer.length >> (8 * UInt64(i)))) }
        header += writer.checksum.bytes()
        let written = writer.ok && header.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) == $0.count }
        // A reader checks the checksum, so a file cut short by a crash is only a miss: no fsync.
        close(fd)
        if !written || rename(temporary, directory + "/" + name) != 0 { unlink(temporary) }
        evict(family: family, keep: keep)
    }

    /// Reads the payload stored under `name` for `key` section by section: nil when there is
    /// none or its header does not match. What `CacheReader` returns is unverified until its
    /// `finish()` says the checksum matched.
    public func reader(name: String, key: [UInt8]) -> CacheReader? {
        guard key.count == 32 else { return nil }
        let path = directory + "/" + name
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        var st = stat()
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= Self.headerSize,
              header.withUnsafeMutableBytes({ Self.readAll(fd, $0) }), header[0 ..< 8].elementsEqual(Self.magic), header[8 ..< 40].elementsEqual(key)
        else { close(fd); return nil }
        var length: UInt64 = 0
        for i in 0 ..< 8 { length |= UInt64(header[40 + i]) << (8 * UInt64(i)) }
        guard length == UInt64(st.st_size) - UInt64(Self.headerSize) else { close(fd); return nil }
        return CacheReader(fd: fd, path: path, remaining: Int(length), checksum: Array(header[48 ..< 56]))
    }
}

/// Writes sections of a payload straight to a cache file, checksumming them on the way.
public struct CacheWriter {
    let fd: Int32
    let checksum = PayloadChecksum()
    var length: UInt64 = 0
    var ok = true

    public mutating func write(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { append($0) }
    }

    /// An array of fixed-size values, as raw memory (`ByteWriter`'s layout).
    public mutating func write<T: PlainData>(_ array: [T]) {
        write(UInt64(array.count))
        array.withUnsafeBytes { append($0) }
    }

    /// Raw bytes, unframed.
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard ok, bytes.count > 0 else { return }
        checksum.update(bytes)
        length += UInt64(bytes.count)
        ok = CacheStore.writeAll(fd, bytes)
    }
}

/// Reads sections of a payload from a cache file into their arrays, checksumming them on the way;
/// every read is bounds-checked against the payload's length and returns nil past its end.
public final class CacheReader {
    private let fd: Int32
    private let path: String
    private var remaining: Int
    private let expected: [UInt8]
    private let checksum = PayloadChecksum()
    private var ok = true

    init(fd: Int32, path: String, remaining: Int, checksum: [UInt8]) {
        self.fd = fd
        self.path = path
        self.remaining = remaining
        expected = checksum
    }

    deinit { close(fd) }

    public func readUInt64() -> UInt64? {
        var v: UInt64 = 0
        guard withUnsafeMutableBytes(of: &v, { fill($0) }) else { return nil }
        return UInt64(littleEndian: v)
    }

    public func read<T: PlainData>(_: [T].Type) -> [T]? {
        guard let n = readUInt64(), n <= UInt64(remaining), case let size = Int(n) * MemoryLayout<T>.stride,
              size <= remaining else { ok = false; return nil }
        var filled = false
        let array = [T](unsafeUninitializedCapacity: Int(n)) { buffer, count in
            filled = fill(UnsafeMutableRawBufferPointer(buffer))
            count = filled ? Int(n) : 0
        }
        return filled ? array : nil
    }

    /// Whether the whole payload was read and its checksum matches; marks the file as in use.
    public func finish() -> Bool {
        guard ok, remaining == 0, checksum.bytes() == expected else { return false }
        utimensat(AT_FDCWD, path, nil, 0)
        return true
    }

    private func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard ok, buffer.count <= remaining, CacheStore.readAll(fd, buffer) else { ok = false; return false }
        checksum.update(UnsafeRawBufferPointer(buffer))
        remaining -= buffer.count
        return true
    }
}
