import WinnowText

/// A JSON value with the byte ranges of its parts, so the text taken out of it maps back to
/// the file.
indirect enum JSONNode: Sendable {
    case object([(key: String, value: JSONNode)])
    case array([JSONNode])
    /// The bytes between the quotes, escapes not yet decoded.
    case string(Range<Int>)
    case number(Range<Int>)
    case bool(Bool)
    case null

    subscript(key: String) -> JSONNode? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// Where and why JSON does not parse.
struct JSONSyntaxError: Error, Sendable {
    var offset: Int
    var message: String

    /// `line 3, column 17: expected ',' or '}'`, counted in `bytes` (1-based, columns in bytes).
    func describe(in bytes: [UInt8], from start: Int = 0) -> String {
        var line = 1, lineStart = start
        for i in start ..< min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return "line \(line), column \(offset - lineStart + 1): \(message)"
    }
}

/// A strict RFC 8259 parser over UTF-8 bytes that keeps offsets. Nesting is bounded: a hostile
/// file of a million `[` must fail, not overflow the stack.
struct JSONParser {
    static let maxDepth = 256

    private let b: [UInt8]
    private var i: Int
    private let end: Int

    /// Parses one value in `bytes[range]` (whitespace around it allowed, nothing else).
    static func parse(_ bytes: [UInt8], _ range: Range<Int>? = nil) throws(JSONSyntaxError) -> JSONNode {
        var p = JSONParser(b: bytes, i: range?.lowerBound ?? 0, end: range?.upperBound ?? bytes.count)
        p.skipSpace()
        let value = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.end else { throw p.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(offset: i, message: message)
    }

    private mutating func skipSpace() {
        while i < end, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard depth < Self.maxDepth else { throw error("nested more than \(Self.maxDepth) levels deep") }
        guard i < end else { throw error("expected a value, found the end") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try number())
        default: throw error("expected a value (an object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        i += 1
        var members: [(key: String, value: JSONNode)] = []
        skipSpace()
        if i < end, b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let key = JSONStrings.decode(b, try string())
            skipSpace()
            guard i < end, b[i] == UInt8(ascii: ":") else { throw error("expected ':' after the key") }
            i += 1
            skipSpace()
            members.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < end else { throw error("expected ',' or '}', found the end") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("expected ',' or '}' after a value")
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        i += 1
        var items: [JSONNode] = []
        skipSpace()
        if i < end, b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < end else { throw error("expected ',' or ']', found the end") }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected ',' or ']' after a value")
        }
    }

    /// The content range of a string at `i` (on its opening quote); escapes are checked.
    private mutating func string() throws(JSONSyntaxError) -> Range<Int> {
        i += 1
        let start = i
        while i < end {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return start ..< i - 1
            }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < end else { break }
                switch b[i + 1] {
                case UInt8(ascii: "u"):
                    guard i + 6 <= end, b[i + 2 ..< i + 6].allSatisfy(JSONStrings.isHex) else {
                        throw error("'\\u' must be followed by four hexadecimal digits")
                    }
                    i += 6
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                default:
                    throw error("unknown escape '\\\(Character(Unicode.Scalar(b[i + 1])))' in a string")
                }
                continue
            }
            guard c >= 0x20 else { throw error("a control character (a raw line break?) inside a string") }
            i += 1
        }
        throw JSONSyntaxError(offset: start - 1, message: "a string that is never closed")
    }

    private mutating func number() throws(JSONSyntaxError) -> Range<Int> {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let s = i
            while i < end, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }
        guard digits() > 0 else { throw error("expected digits") }
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw error("expected digits after '.'") }
        }
        if i < end, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        return start ..< i
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let matches = i + n <= end && word.withUTF8Buffer { w in (0 ..< n).allSatisfy { b[i + $0] == w[$0] } }
        guard matches else { throw error("expected a value (an object, array, string, number, true, false or null)") }
        i += n
    }
}

/// Decoding JSON strings: into a Swift String (keys, metadata), or into text with a map.
enum JSONStrings {
    static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }

    static func decode(_ b: [UInt8], _ range: Range<Int>) -> String {
        var t = TextBuilder(capacity: range.count)
        append(b, range, to: &t)
        return String(decoding: t.finish().text, as: UTF8.self)
    }

    /// Appends the string's content: runs copied, each escape as what it stands for (a
    /// surrogate pair as one character over both escapes; a lone surrogate as U+FFFD).
    static func append(_ b: [UInt8], _ range: Range<Int>, to t: inout TextBuilder) {
        var run = range.lowerBound
        var i = range.lowerBound
        while i < range.upperBound {
            guard b[i] == UInt8(ascii: "\\") else { i += 1; continue }
            t.copy(b, run ..< i)
            let escape = b[i + 1]
            if escape == UInt8(ascii: "u") {
                var v = hex4(b, i + 2)
                var length = 6
                if (0xD800 ..< 0xDC00).contains(v), i + 12 <= range.upperBound, b[i + 6] == UInt8(ascii: "\\"),
                   b[i + 7] == UInt8(ascii: "u"), case let low = hex4(b, i + 8), (0xDC00 ..< 0xE000).contains(low) {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    length = 12
                }
                let scalar = Unicode.Scalar(v).flatMap { $0.value == 0 ? nil : $0 } ?? "\u{FFFD}"
                t.append(scalar: scalar, for: i ..< i + length)
                i += length
            } else {
                let c: UInt8 = switch escape {
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "t"): 0x09
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "b"), UInt8(ascii: "f"): 0x20
                default: escape  // \" \\ \/
                }
                t.append(CollectionOfOne(c), for: i ..< i + 2)
                i += 2
            }
            run = i
        }
        t.copy(b, run ..< range.upperBound)
    }

    private static func hex4(_ b: [UInt8], _ at: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0 ..< 4 {
            let c = b[at + k]
            let d: UInt32 = c <= 0x39 ? UInt32(c - 0x30) : UInt32((c | 0x20) - 0x61 + 10)
            v = v << 4 | d
        }
        return v
    }
}
