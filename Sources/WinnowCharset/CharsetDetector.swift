internal import CUchardet
#if canImport(Glibc)
import Glibc
#endif

/// Guesses the charset of bytes that declare none and are not UTF-8, with uchardet (Mozilla's
/// detector): right on every Russian document of 256 bytes or more in windows-1251, KOI8-R,
/// ISO-8859-5, IBM866 and x-mac-cyrillic we tried, where ICU's detector and enca were not.
enum CharsetDetector {
    /// What uchardet reads: 16 KiB from just before the first byte that is not ASCII (past an
    /// HTML page's markup). uchardet's cost grows with what it reads, 20 to 300 µs per KiB here
    /// as its hundred language models decide sooner or later; on the bench's legacy corpus 16
    /// KiB found as many charsets right as 64 KiB, and 2 KiB missed 2% more (docs/performance.md).
    static let sampleBytes = 16 << 10

    /// The detected charset, if it is one of `candidates`, with uchardet's confidence when the
    /// library reports one (uchardet 0.0.8 and later; Debian 12 ships 0.0.7, which does not).
    static func detect(_ bytes: UnsafeBufferPointer<UInt8>, candidates: [Charset]) -> (Charset, confidence: Double?)? {
        guard let ud = uchardet_new() else { return nil }
        defer { uchardet_delete(ud) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        // Past an ASCII head (an HTML page's markup) to where the charset shows.
        let firstHigh = bytes.firstIndex { $0 >= 0x80 } ?? 0
        let start = max(0, min(firstHigh - 256, bytes.count - sampleBytes))
        let sample = min(bytes.count - start, sampleBytes)
        guard (base + start).withMemoryRebound(to: CChar.self, capacity: sample, { uchardet_handle_data(ud, $0, sample) }) == 0 else {
            return nil
        }
        uchardet_data_end(ud)
        if let list = CandidateAPI.shared {
            for i in 0 ..< list.count(ud) {
                guard let name = list.encoding(ud, i).map({ String(cString: $0) }),
                      let charset = refine(Charset(label: name), bytes) else { continue }
                if candidates.contains(charset) { return (charset, Double(list.confidence(ud, i))) }
            }
            return nil
        }
        guard let name = uchardet_get_charset(ud).map({ String(cString: $0) }), !name.isEmpty,
              let charset = refine(Charset(label: name), bytes), candidates.contains(charset) else { return nil }
        return (charset, nil)
    }

    /// uchardet reports KOI8-U text as KOI8-R; the two differ only where KOI8-R has box-drawing
    /// characters and KOI8-U Ukrainian letters, and box drawing does not occur in news text.
    private static func refine(_ charset: Charset?, _ bytes: UnsafeBufferPointer<UInt8>) -> Charset? {
        guard let charset, charset.name == "koi8-r" else { return charset }
        // Bytes A4 A6 A7 AD B4 B6 B7 BD: the bit of each in a 64-bit mask over A0...DF.
        let ukrainian: UInt64 = 1 << 0x04 | 1 << 0x06 | 1 << 0x07 | 1 << 0x0D | 1 << 0x14 | 1 << 0x16 | 1 << 0x17 | 1 << 0x1D
        let found = bytes.contains { $0 >= 0xA0 && $0 < 0xE0 && ukrainian & (1 << UInt64($0 - 0xA0)) != 0 }
        return found ? Charset(label: "koi8-u") : charset
    }

    /// uchardet's candidate list (0.0.8 and later), looked up at run time so Winnow builds and
    /// runs against 0.0.7 too.
    private struct CandidateAPI: @unchecked Sendable {
        typealias Count = @convention(c) (OpaquePointer?) -> Int
        typealias Encoding = @convention(c) (OpaquePointer?, Int) -> UnsafePointer<CChar>?
        typealias Confidence = @convention(c) (OpaquePointer?, Int) -> Float
        let count: Count
        let encoding: Encoding
        let confidence: Confidence

        static let shared: CandidateAPI? = {
            guard let handle = dlopen(nil, RTLD_NOW),
                  let c = dlsym(handle, "uchardet_get_n_candidates"),
                  let e = dlsym(handle, "uchardet_get_encoding"),
                  let f = dlsym(handle, "uchardet_get_confidence") else { return nil }
            return CandidateAPI(count: unsafeBitCast(c, to: Count.self), encoding: unsafeBitCast(e, to: Encoding.self),
                                confidence: unsafeBitCast(f, to: Confidence.self))
        }()
    }

    /// UTF-16 or UTF-32 without a byte-order mark, which uchardet does not detect: NUL bytes on
    /// one side of every code unit (Latin and Cyrillic text alike put one in every space), and
    /// every unit a valid character.
    static func unicodeWithoutMark(_ bytes: UnsafeBufferPointer<UInt8>) -> Charset? {
        let n = min(bytes.count, 8192) & ~3
        guard n >= 8 else { return nil }
        var zeros = [Int](repeating: 0, count: 4)
        for i in 0 ..< n where bytes[i] == 0 { zeros[i & 3] += 1 }
        let units = n / 4
        // UTF-32: three of four bytes zero in nearly every unit of Latin or Cyrillic text.
        if zeros[2] >= units * 9 / 10, zeros[3] >= units * 9 / 10, bytes.count % 4 == 0 { return .utf32le }
        if zeros[0] >= units * 9 / 10, zeros[1] >= units * 9 / 10, bytes.count % 4 == 0 { return .utf32be }
        let even = zeros[0] + zeros[2], odd = zeros[1] + zeros[3]
        // One side of the units zero in at least an eighth of them (Cyrillic text: its spaces
        // and punctuation; Latin text: nearly every unit), the other side almost never.
        let pairs = n / 2
        // The other side has a NUL now and then too (U+0100, U+4E00, a surrogate's DC00).
        if odd >= max(4, pairs / 8), even * 4 <= odd, bytes.count % 2 == 0 { return .utf16le }
        if even >= max(4, pairs / 8), odd * 4 <= even, bytes.count % 2 == 0 { return .utf16be }
        return nil
    }
}
