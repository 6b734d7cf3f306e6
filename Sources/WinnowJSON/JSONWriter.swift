/// Writes JSON into a reusable byte buffer, without Foundation.
///
/// Alerts are written on the hot path, where `JSONEncoder` alone would cost more than the whole
/// classification budget (docs/performance.md). The writer inserts commas itself; callers only
/// say what comes next. Output is compact, one value per line when the caller adds `\n`.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the next value in the current container needs a comma before it.
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = [false]
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Containers

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(UInt8(ascii: "]")) }

    /// Writes `"name":`; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        writeString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
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
    public mutating func value(_ n: Int) { separate(); bytes.append(contentsOf: String(n).utf8) }
    public mutating func value(_ b: Bool) { separate(); bytes.append(contentsOf: (b ? "true" : "false").utf8) }
    public mutating func null() { separate(); bytes.append(contentsOf: "null".utf8) }

    /// A finite number; NaN and infinities, which JSON cannot carry, become null.
    public mutating func value(_ d: Double) {
        guard d.isFinite else { null(); return }
        separate()
        if d == d.rounded(), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int(d)).utf8)
        } else {
            bytes.append(contentsOf: String(d).utf8)
        }
    }

    /// A string given as UTF-8 bytes (invalid sequences become U+FFFD).
    public mutating func value(utf8 raw: some Collection<UInt8>) {
        value(String(decoding: raw, as: UTF8.self))
    }

    /// Pre-rendered JSON, trusted to be valid.
    public mutating func raw(_ json: String) { separate(); bytes.append(contentsOf: json.utf8) }

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
        let i = needsComma.count - 1
        if needsComma[i] { bytes.append(UInt8(ascii: ",")) }
        needsComma[i] = true
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Escapes per RFC 8259, plus U+2028/U+2029 so a line stays one line for JavaScript readers.
    /// Runs of bytes that need no escape are copied in one go.
    private mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var i = 0
            var run = 0
            let n = buf.count
            while i < n {
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
        bytes.append(UInt8(ascii: "\""))
    }
}
