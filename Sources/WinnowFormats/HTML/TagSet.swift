/// A set of tags as a bit mask: membership without hashing, for checks made at every tag.
struct TagSet: ExpressibleByArrayLiteral, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(arrayLiteral tags: HTMLTag...) {
        for t in tags { insert(t) }
    }

    mutating func insert(_ t: HTMLTag) {
        let v = Int(t.rawValue)
        if v < 64 { low |= 1 << UInt64(v) } else { high |= 1 << UInt64(v - 64) }
    }

    @inline(__always) func contains(_ t: HTMLTag) -> Bool {
        let v = Int(t.rawValue)
        return v < 64 ? low & (1 << UInt64(v)) != 0 : high & (1 << UInt64(v - 64)) != 0
    }
}
