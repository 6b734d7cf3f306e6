/// What the first bytes of a ZIP show without unpacking anything: entry names from the local
/// headers (and from the central directory when the file is that small) and the stored
/// `mimetype` entry of OpenDocument files. For sniffing only; reading goes through libarchive.
struct ZipHead {
    private(set) var names: [String] = []
    /// The `mimetype` entry's bytes, when stored uncompressed (as ODF requires, first).
    private(set) var mimetype: String?
    /// `[Content_Types].xml`'s bytes, when stored uncompressed.
    private(set) var contentTypes: [UInt8]?

    static let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]

    /// Nil when `head` does not start with a ZIP local file header.
    init?(_ head: UnsafeBufferPointer<UInt8>) {
        guard head.count >= 30, head[0 ..< 4].elementsEqual(Self.local) else { return nil }
        func u16(_ i: Int) -> Int { Int(head[i]) | Int(head[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var i = 0
        // Local headers, one after another while their sizes are known.
        while i + 30 <= head.count, head[i ..< i + 4].elementsEqual(Self.local) {
            let method = u16(i + 8), size = u32(i + 18), nameEnd = i + 30 + u16(i + 26)
            guard nameEnd <= head.count else { break }
            let name = String(decoding: head[i + 30 ..< nameEnd], as: UTF8.self)
            names.append(name)
            let data = nameEnd + u16(i + 28)
            if method == 0, data + size <= head.count {
                if name == "mimetype" { mimetype = String(decoding: head[data ..< data + size], as: UTF8.self) }
                if name == "[Content_Types].xml" { contentTypes = Array(head[data ..< data + size]) }
            }
            // A streamed entry (flag 8) has no size here: the walk stops.
            guard u16(i + 6) & 8 == 0 || size > 0 else { break }
            i = data + size
        }
        // The central directory lists every name; only a small file has it in the head.
        var k = min(i, head.count)
        while k < head.count, let r = ByteSearch.firstIndex(of: Self.central, in: UnsafeBufferPointer(rebasing: head[k...])) {
            let at = k + r
            let nameEnd = at + 46 + (at + 30 <= head.count ? u16(at + 28) : 0)
            if at + 46 <= head.count, nameEnd <= head.count {
                names.append(String(decoding: head[at + 46 ..< nameEnd], as: UTF8.self))
            }
            k = at + 4
        }
    }

    func contains(_ name: String) -> Bool { names.contains(name) }
    func contains(prefix: String) -> Bool { names.contains { $0.hasPrefix(prefix) } }
}
