import CXXHash

/// XXH3-128 over a stream of sections: an identifier for content (the ruleset's `hash`), not a
/// seal. SHA-256 over the shipped rules and their 7 MB gazetteer took 8 ms of a 100 ms warm
/// start, and 25 ms with cities500; XXH3 takes under 1 ms (docs/performance.md).
package final class ContentDigest {
    private let state: OpaquePointer

    package init(seed: UInt64 = 0) {
        state = XXH3_createState()
        XXH3_128bits_reset_withSeed(state, seed)
    }

    deinit { XXH3_freeState(state) }

    package func update(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ feed(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { feed($0) }
        }
    }

    package func feed(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        XXH3_128bits_update(state, base, bytes.count)
    }

    /// The digest of everything fed so far: 16 bytes, high half first.
    package func finalize() -> [UInt8] {
        let h = XXH3_128bits_digest(state)
        return [h.high64, h.low64].flatMap { v in (0 ..< 8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    }
}
