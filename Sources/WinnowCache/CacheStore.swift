#if canImport(Glibc)
import Glibc
#endif

/// A folder of binary files that save start-up work between processes (a built gazetteer).
///
/// Each file is a header (magic, key, payload length, payload checksum) and a payload. Anything
/// unexpected when reading (no file, a short one, another key, a bad checksum) is a miss, so a
/// stale or corrupt file costs a rebuild and nothing else. Writes go to a temporary file renamed
/// into place, so readers never see half a file; a folder that cannot be written is skipped
/// silently (the cache is an optimisation, never a requirement).
public struct CacheStore: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
    }

    /// `$WINNOW_CACHE_DIR`, else `$CACHE_DIRECTORY` (systemd's `CacheDirectory=`), else
    /// `$XDG_CACHE_HOME/winnow`, else `$HOME/.cache/winnow`; nil when none is set.
    public static func standard(environment: (String) -> String? = Self.environment) -> CacheStore? {
        func set(_ name: String) -> String? { environment(name).flatMap { $0.isEmpty ? nil : $0 } }
        if let d = set("WINNOW_CACHE_DIR") { return CacheStore(directory: d) }
        // systemd passes a colon-separated list when several folders are configured.
        if let d = set("CACHE_DIRECTORY")?.split(separator: ":").first { return CacheStore(directory: String(d)) }
        if let d = set("XDG_CACHE_HOME") { return CacheStore(directory: d + "/winnow") }
        if let d = set("HOME") { return CacheStore(directory: d + "/.cache/winnow") }
        return nil
    }

    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// `WINNOWC2`: the payload's checksum is XXH3 (it was SHA-256 in `WINNOWC1`).
    static let magic: [UInt8] = Array("WINNOWC2".utf8)

    /// A cache file's name: its family, the first `bytes` of `digest` in hex, `.bin`
    /// (`gazetteer-4fcc326162a65ea0.bin`). `evict` keeps files by family.
    public static func fileName(family: String, digest: [UInt8], bytes: Int = 8) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return family + String(decoding: digest.prefix(bytes).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
            + ".bin"
    }
    static let headerSize = 8 + 32 + 8 + 8

    /// The payload stored under `name` for `key`, or nil (missing, stale or damaged).
    public func load(name: String, key: [UInt8]) -> [UInt8]? {
        guard key.count == 32, var file = Self.readFile(directory + "/" + name), file.count >= Self.headerSize else { return nil }
        let valid = file.withUnsafeBufferPointer { b -> Bool in
            guard b[0 ..< 8].elementsEqual(Self.magic), b[8 ..< 40].elementsEqual(key) else { return false }
            var length: UInt64 = 0
            for i in 0 ..< 8 { length |= UInt64(b[40 + i]) << (8 * UInt64(i)) }
            guard length == UInt64(b.count - Self.headerSize) else { return false }
            let payload = UnsafeBufferPointer(rebasing: b[Self.headerSize...])
            return PayloadChecksum.of(UnsafeRawBufferPointer(payload)).elementsEqual(b[48 ..< 56])
        }
        guard valid else { return nil }
        // Marks the file as in use, so `store` evicts others first.
        utimensat(AT_FDCWD, directory + "/" + name, nil, 0)
        // In place: a copy of a payload of tens of megabytes would raise the start's peak memory.
        file.removeSubrange(0 ..< Self.headerSize)
        return file
    }

    /// Saves `payload` under `name` for `key`; failures are ignored.
    ///
    /// Files whose names start with `family` are one kind of result (one per rules folder):
    /// only the `keep` most recently used stay, so the folder stays small however many
    /// folders (test copies, say) are classified over time.
    public func store(name: String, key: [UInt8], payload: [UInt8], family: String, keep: Int = 4) {
        store(name: name, key: key, family: family, keep: keep) { w in payload.withUnsafeBytes { w.append($0) } }
    }

    /// Removes all but the `keep` newest files of a family, and temporary files an interrupted
    /// writer left more than an hour ago.
    func evict(family: String, keep: Int) {
        guard let dir = opendir(directory) else { return }
        var files: [(name: String, time: Int, nanos: Int)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name.hasPrefix(family) || name.hasPrefix("." + family) else { continue }
            var st = stat()
            guard lstat(directory + "/" + name, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            files.append((name, st.st_mtim.tv_sec, st.st_mtim.tv_nsec))
        }
        closedir(dir)
        let now = time(nil)
        for f in files where f.name.hasPrefix(".") && now - f.time > 3600 { unlink(directory + "/" + f.name) }
        let done = files.filter { !$0.name.hasPrefix(".") }.sorted { ($0.time, $0.nanos) > ($1.time, $1.nanos) }
        for f in done.dropFirst(keep) { unlink(directory + "/" + f.name) }
    }

    /// Writes all of `bytes` (retrying short writes and EINTR); false on an error.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// Fills all of `buffer` (retrying short reads and EINTR); false at an error or the end.
    static func readAll(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    static func readText(_ path: String) -> String? {
        // /proc files report size 0: read until the end.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: chunk[0 ..< n])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size >= 0, st.st_size < 1 << 31 else { return nil }
        let size = Int(st.st_size)
        var complete = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, count in
            complete = readAll(fd, UnsafeMutableRawBufferPointer(buf))
            count = complete ? size : 0
        }
        return complete ? bytes : nil
    }

    /// Creates the folder and its parents (0700: the cache is the user's own).
    static func makeFolder(_ path: String) -> Bool {
        var st = stat()
        if stat(path, &st) == 0 { return st.st_mode & S_IFMT == S_IFDIR }
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return false }
        }
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
    }
}

/// 32 bytes over everything a cached result depends on: XXH3-128 of it under two seeds.
///
/// Like `ContentDigest`, it tells contents apart and seals nothing (the cache folder is the
/// user's own). SHA-256 over the automaton's keys was 5 ms of every start (docs/performance.md).
public final class CacheKey {
    private let low = ContentDigest(seed: 0), high = ContentDigest(seed: 0x9E37_79B9_7F4A_7C15)

    /// With `binary`, the key also covers the running executable, so a rebuilt Winnow never
    /// reads what an older one wrote.
    public init(format: String, binary: Bool = true) {
        add(format)
        if binary { addExecutable() }
    }

    public func add(_ s: String) {
        add(UInt64(s.utf8.count))
        Array(s.utf8).withUnsafeBytes { feed($0) }
    }

    public func add(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { feed($0) }
    }

    public func add(bytes: UnsafeRawBufferPointer) {
        add(UInt64(bytes.count))
        feed(bytes)
    }

    private func feed(_ bytes: UnsafeRawBufferPointer) {
        low.feed(bytes)
        high.feed(bytes)
    }

    /// A file's path, size and modification time (a changed file gives another key).
    public func addFile(_ path: String) {
        var st = stat()
        add(path)
        if stat(path, &st) == 0 {
            add(UInt64(bitPattern: Int64(st.st_size)))
            add(UInt64(bitPattern: Int64(st.st_mtim.tv_sec)))
            add(UInt64(bitPattern: Int64(st.st_mtim.tv_nsec)))
        } else {
            add("missing")
        }
    }

    /// The Swift runtime, Foundation and ICU libraries this process loaded (path, size and
    /// mtime), for results that depend on their Unicode data.
    public func addRuntimeLibraries() {
        guard let maps = CacheStore.readText("/proc/self/maps") else { return add("no maps") }
        var paths = Set<String>()
        for line in maps.split(separator: "\n") {
            guard let slash = line.firstIndex(of: "/") else { continue }
            let path = String(line[slash...])
            let name = path.split(separator: "/").last ?? ""
            if name.hasPrefix("lib"), name.contains("swift") || name.contains("Foundation") || name.contains("ICU") {
                paths.insert(path)
            }
        }
        for path in paths.sorted() { addFile(path) }
    }

    private func addExecutable() {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        addFile(n > 0 ? String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown")
    }

    public func finalize() -> [UInt8] { low.finalize() + high.finalize() }
}

/// Types for which every bit pattern is a valid value, so they can be read back as raw memory
/// from a file that may be damaged (not `Bool`: store flags as `UInt8`).
public protocol PlainData: BitwiseCopyable {}
extension UInt8: PlainData {}
extension UInt16: PlainData {}
extension UInt32: PlainData {}
extension Int32: PlainData {}
extension UInt64: PlainData {}
extension Float: PlainData {}

/// Appends plain values and arrays to a payload.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ v: UInt64) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ v: Double) { write(v.bitPattern) }

    /// An array of fixed-size values, as raw memory.
    public mutating func write<T: PlainData>(_ array: [T]) {
        write(UInt64(array.count))
        array.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ s: String) {
        write(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    /// Many strings: their lengths, then their bytes.
    public mutating func write(strings: [String]) {
        write(strings.map { UInt32(truncatingIfNeeded: $0.utf8.count) })
        var all: [UInt8] = []
        for s in strings { all.append(contentsOf: s.utf8) }
        write(all)
    }
}

/// Reads what a `ByteWriter` wrote; every read is bounds-checked and returns nil past the end.
public struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { offset == bytes.count }

    public mutating func readUInt64() -> UInt64? {
        guard bytes.count - offset >= 8 else { return nil }
        var v: UInt64 = 0
        for i in 0 ..< 8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    public mutating func readDouble() -> Double? { readUInt64().map(Double.init(bitPattern:)) }

    /// An array of fixed-size values.
    public mutating func read<T: PlainData>(_: [T].Type) -> [T]? {
        guard let n = readUInt64(), n <= UInt64(bytes.count), case let size = Int(n) * MemoryLayout<T>.stride,
              bytes.count - offset >= size else { return nil }
        let start = offset
        offset += size
        return [T](unsafeUninitializedCapacity: Int(n)) { buf, count in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: UnsafeRawBufferPointer(rebasing: src[start ..< start + size]))
            }
            count = Int(n)
        }
    }

    public mutating func readString() -> String? {
        guard let n = readUInt64(), n <= UInt64(bytes.count - offset) else { return nil }
        defer { offset += Int(n) }
        return String(decoding: bytes[offset ..< offset + Int(n)], as: UTF8.self)
    }

    public mutating func readStrings() -> [String]? {
        guard let lengths = read([UInt32].self), let all = read([UInt8].self) else { return nil }
        var out: [String] = []
        out.reserveCapacity(lengths.count)
        var at = 0
        for l in lengths {
            guard all.count - at >= Int(l) else { return nil }
            out.append(String(decoding: all[at ..< at + Int(l)], as: UTF8.self))
            at += Int(l)
        }
        return at == all.count ? out : nil
    }
}
