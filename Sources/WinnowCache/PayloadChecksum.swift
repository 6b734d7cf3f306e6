import CXXHash

/// The checksum a cache file keeps of its payload: XXH3 (64 bits, libxxhash), fed section by
/// section.
///
/// It only has to notice damage (a disk error, a file cut short, a stray write): the cache
/// folder is the user's own, and anyone who can write a file there could as well write a
/// matching SHA-256, which is public too. SHA-256 took 32 ms over the shipped packs' 39 MB of
/// cache at every start, XXH3 takes 2 ms (docs/performance.md).
final class PayloadChecksum {
    private let state: OpaquePointer

    init() {
        state = XXH3_createState()
        XXH3_64bits_reset(state)
    }

    deinit { XXH3_freeState(state) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        XXH3_64bits_update(state, base, bytes.count)
    }

    /// The checksum of everything fed so far, little-endian.
    func bytes() -> [UInt8] {
        let h = XXH3_64bits_digest(state)
        return (0 ..< 8).map { UInt8(truncatingIfNeeded: h >> (8 * UInt64($0))) }
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let c = PayloadChecksum()
        c.update(bytes)
        return c.bytes()
    }
}
