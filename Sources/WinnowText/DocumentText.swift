import Foundation

/// Why a document's bytes cannot be read as text.
public enum DecodeFailure: Error, Sendable, Equatable {
    /// NUL bytes or other signs of a binary format.
    case binary(String)
    /// Not valid UTF-8 (or the declared encoding) at the given byte offset.
    case undecodable(String)

    public var reason: String {
        switch self {
        case .binary: "binary"
        case .undecodable: "undecodable"
        }
    }

    public var detail: String {
        switch self {
        case .binary(let d), .undecodable(let d): d
        }
    }
}

/// A document's text as UTF-8, decoded from the bytes a file held.
///
/// Offsets in evidence are byte offsets into `utf8`. For UTF-8 files (the usual case) those are
/// the file's own offsets, after a byte-order mark if there was one (`bomLength` says how long).
/// For UTF-16 files they are offsets into the UTF-8 transcoding.
public struct DocumentText: Sendable {
    public var utf8: [UInt8]
    public var encoding: String
    public var bomLength: Int

    public init(utf8: [UInt8], encoding: String = "utf-8", bomLength: Int = 0) {
        self.utf8 = utf8
        self.encoding = encoding
        self.bomLength = bomLength
    }

    /// Decodes file bytes: UTF-8 with or without BOM, UTF-16 or UTF-32 with BOM; `fallback` (an encoding
    /// name such as "windows-1251") is tried for bytes that are not UTF-8.
    public static func decode(_ raw: [UInt8], fallback: String.Encoding? = nil) -> Result<DocumentText, DecodeFailure> {
        if raw.starts(with: [0xEF, 0xBB, 0xBF]) {
            return validateUTF8(Array(raw.dropFirst(3)), bom: 3)
        }
        // UTF-32's marks first: FF FE 00 00 also begins with UTF-16LE's.
        for (mark, encoding, name) in [([0xFF, 0xFE, 0x00, 0x00] as [UInt8], String.Encoding.utf32LittleEndian, "utf-32le"),
                                       ([0x00, 0x00, 0xFE, 0xFF], .utf32BigEndian, "utf-32be"),
                                       ([0xFF, 0xFE], .utf16LittleEndian, "utf-16le"),
                                       ([0xFE, 0xFF], .utf16BigEndian, "utf-16be")] where raw.starts(with: mark) {
            let unit = mark.count
            // Foundation drops a trailing partial unit without a word; it is a damaged file.
            guard (raw.count - mark.count) % unit == 0 else {
                return .failure(.undecodable("\(raw.count - mark.count) bytes after a \(name.uppercased().dropLast(2)) byte-order mark, not a whole number of \(unit)-byte units"))
            }
            guard var text = String(data: Data(raw), encoding: encoding) else {
                return .failure(.undecodable("invalid \(name.uppercased().dropLast(2)) after a byte-order mark"))
            }
            if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return .success(DocumentText(utf8: Array(text.utf8), encoding: name, bomLength: unit))
        }
        // As git and ripgrep do: a NUL in the first 8 KiB means binary.
        let nul = raw.withUnsafeBufferPointer { b -> Int? in
            guard let base = b.baseAddress else { return nil }
            return memchr(base, 0, min(b.count, 8192)).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) }
        }
        if let nul {
            return .failure(.binary("NUL byte at offset \(nul)"))
        }
        switch validateUTF8(raw, bom: 0) {
        case .success(let t): return .success(t)
        case .failure(let f):
            if let fallback, let s = String(data: Data(raw), encoding: fallback) {
                return .success(DocumentText(utf8: Array(s.utf8), encoding: Self.name(of: fallback)))
            }
            return .failure(f)
        }
    }

    /// The name alerts give an encoding (`windows-1251`), not Foundation's description
    /// ("Cyrillic (Windows)").
    static func name(of encoding: String.Encoding) -> String {
        switch encoding {
        case .windowsCP1251: "windows-1251"
        case .windowsCP1252: "windows-1252"
        case .isoLatin1: "iso-8859-1"
        case .utf16LittleEndian: "utf-16le"
        case .utf16BigEndian: "utf-16be"
        default: encoding.description.lowercased()
        }
    }

    private static func validateUTF8(_ bytes: [UInt8], bom: Int) -> Result<DocumentText, DecodeFailure> {
        if let bad = firstInvalidUTF8(bytes) {
            return .failure(.undecodable("invalid UTF-8 at byte \(bad + bom)"))
        }
        return .success(DocumentText(utf8: bytes, bomLength: bom))
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence, or nil.
    public static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = 0
            while i < n {
                // Eight ASCII bytes at a time.
                while i + 8 <= n {
                    let w = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 { break }
                    i += 8
                }
                if i >= n { break }
                let b = p[i]
                if b < 0x80 { i += 1; continue }
                // Two-byte sequences (Cyrillic, Greek, Arabic text): a C2-DF lead and one
                // continuation byte is always a valid scalar, never overlong or a surrogate.
                if b >= 0xC2 && b <= 0xDF {
                    guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return i }
                    i += 2
                    continue
                }
                var need = 0
                var minValue: UInt32 = 0
                var v: UInt32 = 0
                switch b {
                case 0xC2...0xDF: need = 1; v = UInt32(b & 0x1F); minValue = 0x80
                case 0xE0...0xEF: need = 2; v = UInt32(b & 0x0F); minValue = 0x800
                case 0xF0...0xF4: need = 3; v = UInt32(b & 0x07); minValue = 0x10000
                default: return i
                }
                if i + need >= n { return i }  // truncated sequence at the end
                for k in 1...need {
                    let c = p[i + k]
                    if c & 0xC0 != 0x80 { return i }
                    v = (v << 6) | UInt32(c & 0x3F)
                }
                if v < minValue || v > 0x10FFFF || (0xD800...0xDFFF).contains(v) { return i }
                i += need + 1
            }
            return nil
        }
    }
}
