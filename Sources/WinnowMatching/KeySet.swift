import WinnowText

/// Keys for `LiteralAutomaton`, stored flat: one byte buffer and offsets, no object per key.
///
/// A gazetteer adds about a million names; a `[UInt8]` per name would cost an allocation each
/// and several times the memory (notes/swift-performance.md §3).
public struct KeySet: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Key i is `bytes[ends[i] ..< ends[i + 1]]`.
    public private(set) var ends: [UInt32] = [0]
    /// Bit 0: prefix key (`extremis*`); bit 1: the key ends in a letter or digit; bit 2: the
    /// key only counts where the text is capitalised (gazetteer names), so walks from lowercase
    /// words need not look for it.
    public private(set) var flags: [UInt8] = []

    public init() {}

    /// Keys from their flat arrays (a cache file); nil unless they are consistent.
    public init?(bytes: [UInt8], ends: [UInt32], flags: [UInt8]) {
        guard ends.count == flags.count + 1, ends.first == 0, ends.last.map({ Int($0) == bytes.count }) == true,
              zip(ends, ends.dropFirst()).allSatisfy({ $0 <= $1 }) else { return nil }
        self.bytes = bytes
        self.ends = ends
        self.flags = flags
    }

    public var count: Int { flags.count }

    public mutating func reserve(keys: Int, bytes total: Int) {
        bytes.reserveCapacity(total)
        ends.reserveCapacity(keys + 1)
        flags.reserveCapacity(keys)
    }

    @discardableResult
    public mutating func append(_ key: LiteralAutomaton.Key) -> Int {
        append(bytes: key.bytes, isPrefix: key.isPrefix, endsInWord: key.endsInWord)
    }

    @discardableResult
    public mutating func append(bytes key: some Collection<UInt8>, isPrefix: Bool, endsInWord: Bool,
                                capitalisedOnly: Bool = false) -> Int {
        bytes.append(contentsOf: key)
        ends.append(UInt32(bytes.count))
        flags.append((isPrefix ? 1 : 0) | (endsInWord ? 2 : 0) | (capitalisedOnly ? 4 : 0))
        return flags.count - 1
    }

    public mutating func append(contentsOf other: KeySet) {
        let base = UInt32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.append(contentsOf: other.ends.dropFirst().map { $0 + base })
        flags.append(contentsOf: other.flags)
    }

    public func isPrefix(_ i: Int) -> Bool { flags[i] & 1 != 0 }
    public func endsInWord(_ i: Int) -> Bool { flags[i] & 2 != 0 }
    public func isCapitalisedOnly(_ i: Int) -> Bool { flags[i] & 4 != 0 }
    public func length(_ i: Int) -> Int { Int(ends[i + 1] - ends[i]) }
    public func key(_ i: Int) -> ArraySlice<UInt8> { bytes[Int(ends[i]) ..< Int(ends[i + 1])] }
}
