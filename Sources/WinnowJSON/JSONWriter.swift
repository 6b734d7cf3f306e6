/// Writes JSON into a reusable byte buffer, without Foundation.
///
/// Alerts are written on the hot path, where `JSONEncoder` alone would cost more than the whole
/// classification budget (docs/performance.md). The writer inserts commas itself; callers only
/// say what comes next. Output is compact, one value per line when the caller adds `\n`.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value in the current container needs a comma before it; the enclosing
    /// containers' flags wait in `outer`. Kept apart so the per-value check touches no array.
    private var needsComma = false
    private var outer: [Bool] = []

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
        outer.removeAll(keepingCapacity: true)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Containers

    public mutating func beginObject() { begin(UInt8(ascii: "{")) }
    public mutating func endObject() { end(UInt8(ascii: "}")) }
    public mutating func beginArray() { begin(UInt8(ascii: "[")) }
    public mutating func endArray() { end(UInt8(ascii: "]")) }

    private mutating func begin(_ bracket: UInt8) {
        separate()
        bytes.append(bracket)
        outer.append(needsComma)
        needsComma = false
    }

    private mutating func end(_ bracket: UInt8) {
        needsComma = outer.popLast() ?? false
        bytes.append(bracket)
    }

    /// Writes `"name":`; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a key escaped in advance: alerts write the same dozen keys thousands of times.
    public mutating func key(_ name: Key) {
        separate()
        bytes.append(contentsOf: name.json)
        needsComma = false
    }

    /// A key's `"name":` bytes, escaped once. Make keys once, as constants: their bytes are
    /// never freed, so writing one copies them without a retain and a release of an array.
    public struct Key: @unchecked Sendable {
        let json: UnsafeBufferPointer<UInt8>
        public init(_ name: String) {
            var w = JSONWriter(capacity: name.utf8.count + 8)
            w.key(name)
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: w.bytes.count)
            _ = bytes.initialize(from: w.bytes)
            json = UnsafeBufferPointer(bytes)
        }
    }

    public mutating func field(_ name: Key, _ v: String) { key(name); value(v) }
    public mutating func field(_ name: Key, _ v: Int) { key(name); value(v) }
    public mutating func field(_ name: Key, _ v: Double) { key(name); value(v) }
    public mutating func field(_ name: Key, _ v: String?) {
        key(name)
        if let v { value(v) } else { null() }
    }
    public mutating func field(_ name: Key, strings: [String]) {
        key(name)
        array { w in for s in strings { w.value(s) } }
    }

    public mutating func object(_ body: (inout JSONWriter) -> Void) {
        beginObject(); body(&self); endObject()
    }

    public mutating func array(_ body: (inout JSONWriter) -> Void) {
        beginArray(); body(&self); endArray()
    }

    // MARK: Values

    public mutating func value(_ s: String) { separate(); writeString(s) }
    public mutating func value(_ s: Substring) { separate(); writeString(String(s)) }
    public mutating func value(_ n: Int) { separate(); writeInt(n) }
    public mutating func value(_ b: Bool) { separate(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }

    /// A finite number; NaN and infinities, which JSON cannot carry, become null.
    public mutating func value(_ d: Double) {
        guard d.isFinite else { null(); return }
        separate()
        if d == d.rounded(), abs(d) < 1e15 {
            writeInt(Int(d))
        } else {
            bytes.append(contentsOf: String(d).utf8)
        }
    }

    public mutating func field(_ name: String, _ v: String) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Int) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Bool) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: Double) { key(name); value(v) }
    public mutating func field(_ name: String, _ v: String?) {
        key(name)
        if let v { value(v) } else { null() }
    }
    /// An object of counts with keys in sorted order (stable output for diffs and tests).
    public mutating func field(_ name: String, counts: [String: Int]) {
        key(name)
        object { w in for (k, v) in counts.sorted(by: { $0.key < $1.key }) { w.field(k, v) } }
    }

    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        array { w in for s in strings { w.value(s) } }
    }

    // MARK: Internals

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Decimal digits without building a String.
    private mutating func writeInt(_ n: Int) {
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for the 20 digits of UInt64.max
        withUnsafeMutableBytes(of: &digits) { buf in
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
                m /= 10
            } while m > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether any byte of `w` is below 0x20, `"`, `\\`, DEL or 0xE2 (which may start U+2028 or
    /// U+2029): the bytes that may need an escape. Exact, so a clean word is copied unexamined.
    @inline(__always)
    private static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below20 = (w &- ones &* 0x20) & ~w & highs != 0
        return below20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C)) || hasZero(w ^ (ones &* 0x7F))
            || hasZero(w ^ (ones &* 0xE2))
    }

    /// Escapes per RFC 8259, plus U+2028/U+2029 so a line stays one line for JavaScript readers.
    /// Runs of bytes that need no escape are copied in one go; eight bytes are checked at once.
    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // A native string lends its bytes; only another kind is copied first.
        if s.utf8.withContiguousStorageIfAvailable({ writeEscaped($0) }) == nil {
            var s = s
            s.withUTF8 { writeEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ buf: UnsafeBufferPointer<UInt8>) {
        var i = 0
        var run = 0
        let n = buf.count
        while i < n {
            if i &+ 8 <= n,
               !Self.mayNeedEscape(UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)) {
                i &+= 8
                continue
            }
            let b = buf[i]
            let plain = b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F
                && !(b == 0xE2 && i + 2 < n && buf[i + 1] == 0x80 && (buf[i + 2] == 0xA8 || buf[i + 2] == 0xA9))
            if plain { i += 1; continue }
            if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run ..< i])) }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(b)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0xE2:
                bytes.append(contentsOf: Array("\\u202".utf8))
                bytes.append(buf[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                i += 2
            default:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30,
                                          Self.hex[Int(b >> 4)], Self.hex[Int(b & 15)]])
            }
            i += 1
            run = i
        }
        if run < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buf[run ..< n])) }
    }
}
