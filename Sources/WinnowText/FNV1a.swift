/// FNV-1a over bytes, 64 bits: an xor and a multiply per byte, for the open-addressing tables
/// that hash words and automaton keys (a seeded SipHash `Hasher` per lookup cost several times
/// more). Its low bits are weak: tables pick a slot with `fibonacciSlot`.
@frozen public struct FNV1a {
    public var value: UInt64 = 0xcbf2_9ce4_8422_2325

    @inlinable public init() {}

    @inlinable @inline(__always)
    public mutating func add(_ byte: UInt8) { value = (value ^ UInt64(byte)) &* 0x100_0000_01b3 }

    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = FNV1a()
        for b in bytes { h.add(b) }
        return h.value
    }
}

/// Fibonacci hashing: the top `bits` bits of `hash` times 2^64/φ, a slot in a table of
/// 2^`bits` (1 ... 63), so every bit of the hash has a say in it.
@inlinable @inline(__always)
public func fibonacciSlot(_ hash: UInt64, bits: Int) -> Int {
    Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
}
