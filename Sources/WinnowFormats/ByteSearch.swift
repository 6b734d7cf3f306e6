#if canImport(Glibc)
import Glibc
#endif

/// Finding bytes in bytes: `memchr` to each candidate first byte, then a compare. Foundation's
/// generic `firstRange(of:)` over a buffer cost a third of classifying a plain text file when
/// every sniffer called it.
enum ByteSearch {
    /// Where `needle` first starts in `haystack` (an index of `haystack`), or nil.
    static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, let base = haystack.baseAddress else { return nil }
        let last = haystack.count - needle.count
        var i = 0
        while i <= last, let hit = memchr(base + i, Int32(first), last - i + 1) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if needle.withUnsafeBufferPointer({ memcmp(base + at, $0.baseAddress!, needle.count) == 0 }) { return at }
            i = at + 1
        }
        return nil
    }

    static func contains(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { firstIndex(of: needle, in: $0) != nil }
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        haystack.withUnsafeBufferPointer { firstIndex(of: needle, in: $0) }
    }
}
