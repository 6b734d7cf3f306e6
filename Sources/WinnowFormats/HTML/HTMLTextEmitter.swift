import WinnowText

/// Writes HTML text into a `TextBuilder`: character references decoded (each mapped to its
/// whole reference), whitespace runs collapsed to one space (mapped to the run), NUL bytes
/// dropped, and breaks between blocks written only between pieces of text, so the text never
/// starts or ends with a separator.
struct HTMLTextEmitter {
    let p: UnsafeBufferPointer<UInt8>
    private(set) var builder: TextBuilder
    private var pendingSpace: Range<Int>?
    private var pendingBreak = TextBreak.none
    private var breakRange = 0 ..< 0

    init(_ p: UnsafeBufferPointer<UInt8>, capacity: Int = 0) {
        self.p = p
        self.builder = TextBuilder(capacity: capacity)
    }

    var isEmpty: Bool { builder.isEmpty }

    /// Puts `b` between what was written and what comes next; `r` is the markup that makes it.
    mutating func separate(_ b: TextBreak, at r: Range<Int>) {
        switch b {
        case .none: break
        case .space: if pendingSpace == nil { pendingSpace = r }
        case .line, .paragraph:
            if b > pendingBreak {
                pendingBreak = b
                breakRange = r
            }
        }
    }

    /// Writes the text of `p[range]`.
    mutating func emit(_ range: Range<Int>) {
        let end = range.upperBound
        var k = range.lowerBound
        var chunk = k
        while k < end {
            let b = p[k]
            if Self.isSpace(b) || (b == 0xC2 && k + 1 < end && p[k + 1] == 0xA0) {
                let ws = k
                while k < end {
                    if Self.isSpace(p[k]) { k += 1 } else if p[k] == 0xC2, k + 1 < end, p[k + 1] == 0xA0 { k += 2 } else { break }
                }
                // A single space between words stays in the copy: one map segment per run of text.
                if k - ws == 1, b == 0x20, chunk < ws, k < end, p[k] != UInt8(ascii: "&") { continue }
                write(chunk ..< ws)
                space(ws ..< k)
                chunk = k
                continue
            }
            if b == UInt8(ascii: "&"), let (scalar, length) = CharacterReference.decode(p, at: k, end: end) {
                write(chunk ..< k)
                if CharacterReference.isSpace(scalar) {
                    space(k ..< k + length)
                } else {
                    flush()
                    builder.append(scalar: scalar, for: k ..< k + length)
                }
                k += length
                chunk = k
                continue
            }
            if b == 0 {
                write(chunk ..< k)
                chunk = k + 1
            }
            k += 1
        }
        write(chunk ..< end)
    }

    private mutating func space(_ r: Range<Int>) {
        if pendingSpace == nil { pendingSpace = r }
    }

    private mutating func write(_ r: Range<Int>) {
        guard !r.isEmpty else { return }
        flush()
        builder.copy(p, r)
    }

    /// Writes the pending separator before new text.
    private mutating func flush() {
        if pendingBreak >= .line {
            builder.separate(lines: pendingBreak == .paragraph ? 2 : 1, at: breakRange)
        } else if let s = pendingSpace {
            builder.space(at: s)
        }
        pendingBreak = .none
        pendingSpace = nil
    }

    func finish() -> (text: [UInt8], map: SourceMap) { builder.finish() }

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C
    }
}
