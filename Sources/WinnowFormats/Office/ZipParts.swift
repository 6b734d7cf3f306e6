internal import CArchive

/// The parts of an office file (a ZIP) that hold its text and metadata, read with libarchive
/// into memory under size limits, so a ZIP bomb stops at the limit instead of filling memory.
struct ZipParts {
    /// Every entry's name, in archive order.
    private(set) var names: [String] = []
    /// The wanted entries' bytes, by name.
    private(set) var data: [String: [UInt8]] = [:]

    /// Reads `zip`, keeping the entries `wanted` names. Throws `.malformed` when it is no ZIP or
    /// is damaged, `.encrypted` for an encrypted entry, `.toolFailed` past a size limit.
    init(_ zip: UnsafeBufferPointer<UInt8>, limits: OfficeLimits, wanted: (String) -> Bool) throws(ReadFailure) {
        guard let a = archive_read_new() else { throw ReadFailure(.toolFailed, "libarchive could not start (out of memory)") }
        defer { archive_read_free(a) }
        archive_read_support_format_zip(a)
        guard archive_read_open_memory(a, zip.baseAddress, zip.count) == ARCHIVE_OK else {
            throw ReadFailure(.malformed, "not a ZIP archive (\(Self.error(a)))")
        }
        var total = 0
        var entry: OpaquePointer?
        while true {
            let r = archive_read_next_header(a, &entry)
            if r == ARCHIVE_EOF { break }
            guard r >= ARCHIVE_WARN, let entry else { throw ReadFailure(.malformed, "the ZIP archive is damaged (\(Self.error(a)))") }
            let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
            names.append(name)
            guard wanted(name) else { continue }
            if archive_entry_is_encrypted(entry) != 0 {
                throw ReadFailure(.encrypted, "the document is password-protected (its part \(name) is encrypted)")
            }
            if archive_entry_size_is_set(entry) != 0, archive_entry_size(entry) > limits.maxPartBytes {
                throw Self.tooLarge(name, limits)
            }
            data[name] = try Self.readData(a, name: name, limits: limits, total: &total)
        }
    }

    /// The entry's bytes, counted as they unpack: a forged size in the headers cannot hide a bomb.
    private static func readData(_ a: OpaquePointer, name: String, limits: OfficeLimits,
                                 total: inout Int) throws(ReadFailure) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { archive_read_data(a, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            guard n > 0 else { throw ReadFailure(.malformed, "the ZIP entry \(name) is damaged (\(error(a)))") }
            total += n
            guard out.count + n <= limits.maxPartBytes else { throw tooLarge(name, limits) }
            guard total <= limits.maxTotalBytes else {
                throw ReadFailure(.toolFailed, "the document's parts unpack to more than \(ToolFailure.format(bytes: limits.maxTotalBytes)) (the limit for one office file); a ZIP bomb or a damaged file")
            }
            out.append(contentsOf: chunk[0 ..< n])
        }
    }

    private static func tooLarge(_ name: String, _ limits: OfficeLimits) -> ReadFailure {
        ReadFailure(.toolFailed, "\(name) unpacks to more than \(ToolFailure.format(bytes: limits.maxPartBytes)) (the limit for one part of an office file); a ZIP bomb or a damaged file")
    }

    private static func error(_ a: OpaquePointer) -> String {
        archive_error_string(a).map { String(cString: $0) } ?? "unknown error"
    }
}

/// Size limits of the parts of one office file, as unpacked.
public struct OfficeLimits: Sendable {
    /// One XML part (word/document.xml of a 1,000-page report is about 30 MB).
    public var maxPartBytes = 128 << 20
    /// All parts read together.
    public var maxTotalBytes = 256 << 20

    public init() {}
}
