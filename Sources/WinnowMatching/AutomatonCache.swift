import WinnowCache

/// A built automaton on disk, so a process start reads its tries instead of building them
/// (80 of the 190 ms a start took with the shipped gazetteer).
///
/// The key covers the running binary, the dense budget and every key's bytes and flags; the
/// file name is the key's start, so each key set has its own file, and the four most recently
/// used stay. Bump `format` whenever the payload layout changes.
enum AutomatonCache {
    static let format = "winnow-automaton-2"

    static func key(_ keys: KeySet, denseLimit: Int) -> [UInt8] {
        let key = CacheKey(format: format)
        key.add(UInt64(denseLimit))
        keys.bytes.withUnsafeBytes { key.add(bytes: $0) }
        keys.ends.withUnsafeBytes { key.add(bytes: $0) }
        keys.flags.withUnsafeBytes { key.add(bytes: $0) }
        return key.finalize()
    }

    static func fileName(_ key: [UInt8]) -> String { CacheStore.fileName(family: "automaton-", digest: key) }
}

extension LiteralAutomaton {
    /// Key sets smaller than this build in a few milliseconds (a topic pack's terms): no file.
    public static let cachedFromBytes = 1 << 20

    /// The automaton of `keys`, read from `store` when an earlier process of this binary built
    /// it, else built and saved there.
    public static func cached(keys: KeySet, denseLimit: Int = 1 << 16, store: CacheStore? = CacheStore.standard(),
                              minimumBytes: Int = cachedFromBytes) -> LiteralAutomaton {
        guard let store, keys.bytes.count >= minimumBytes else { return LiteralAutomaton(keys: keys, denseLimit: denseLimit) }
        let key = AutomatonCache.key(keys, denseLimit: denseLimit)
        let name = AutomatonCache.fileName(key)
        if let reader = store.reader(name: name, key: key), let saved = LiteralAutomaton(keys: keys, reading: reader) {
            return saved
        }
        let built = LiteralAutomaton(keys: keys, denseLimit: denseLimit)
        store.store(name: name, key: key, family: "automaton-") { built.write(to: &$0) }
        return built
    }
}
