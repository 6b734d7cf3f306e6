/// A ZIP archive of stored (uncompressed) entries with correct checksums, so that fuzzed XML
/// parts reach the office reader's XML walking instead of stopping at libarchive's checks.
enum ZipWriter {
    static func archive(_ entries: [(name: String, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, bytes) in entries {
            let offset = out.count
            let nameBytes = Array(name.utf8)
            let crc = crc32(bytes)
            // Local file header: version 10, no flags, stored, no time; sizes known up front.
            out += le32(0x0403_4B50) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0)
            out += le32(crc) + le32(UInt32(bytes.count)) + le32(UInt32(bytes.count))
            out += le16(UInt16(nameBytes.count)) + le16(0) + nameBytes + bytes
            central += le32(0x0201_4B50) + le16(20) + le16(10) + le16(0) + le16(0) + le16(0) + le16(0)
            central += le32(crc) + le32(UInt32(bytes.count)) + le32(UInt32(bytes.count))
            central += le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
            central += le32(UInt32(offset)) + nameBytes
        }
        let centralOffset = out.count
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
        out += le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(0)
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0 ..< 8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private static func le32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
}
