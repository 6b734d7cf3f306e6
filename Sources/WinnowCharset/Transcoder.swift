#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import WinnowText

/// Text converted to UTF-8, with the map back to the bytes it came from.
public struct Transcoded: Sendable {
    public var utf8: [UInt8]
    public var map: SourceMap
    /// Sequences that were not valid in the charset, each now U+FFFD.
    public var replaced: Int
    /// Offset (in the input) of the first of them.
    public var firstReplaced: Int?
}

/// Converts bytes to UTF-8 with glibc's iconv, and records which bytes each character came from.
///
/// iconv says how far it read, not which input produced which output, so the map comes from
/// what is known of the charset: in a single-byte charset every character is one byte (checked
/// once per charset, byte by byte); in UTF-16 two bytes, or four for a surrogate pair; in UTF-32
/// four. Any other charset (Shift JIS, GB18030, ISO-2022-JP) is converted one character at a time.
enum Transcoder {
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    static func decode(_ input: UnsafeBufferPointer<UInt8>, from charset: Charset) -> Transcoded? {
        if charset.isUTF8 { return decodeUTF8(input) }
        let unit = charset.codeUnit
        if unit == 1, !isSingleByte(charset) { return decodeByCharacter(input, from: charset) }
        guard let cd = open(charset, to: "UTF-8") else { return nil }
        defer { iconv_close(cd) }
        let n = input.count
        // UTF-8 needs at most 3 bytes per input byte here (a U+FFFD for a single bad byte).
        // Left uninitialised: the pages iconv never writes (most of them, for Cyrillic) are
        // never touched, so they take no memory; zeroed, a 32 MB windows-1251 file kept 96 MB.
        var out = [UInt8](unsafeUninitializedCapacity: 3 * n + 16) { _, count in count = 3 * n + 16 }
        var replaced = 0
        var firstReplaced: Int?
        // Widths of characters that are not `unit` bytes (a surrogate pair, a cut-off tail),
        // by their output position; every other character is `unit` bytes.
        var odd: [(outputAt: Int, width: Int)] = []
        var written = 0
        out.withUnsafeMutableBufferPointer { o in
            var inPtr: UnsafeMutablePointer<CChar>? = input.baseAddress.map {
                UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self)
            }
            var inLeft = n
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = o.count
            func writeReplacement(for width: Int) {
                let at = o.count - outLeft
                for (k, b) in replacement.enumerated() { o[at + k] = b }
                outPtr! += 3
                outLeft -= 3
                if width != unit { odd.append((at, width)) }
                replaced += 1
                if firstReplaced == nil { firstReplaced = n - inLeft }
                inPtr! += width
                inLeft -= width
            }
            while inLeft > 0 {
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 { break }
                switch errno {
                case EILSEQ:
                    writeReplacement(for: min(unit, inLeft))
                case EINVAL:
                    writeReplacement(for: inLeft)  // a sequence cut off at the end
                default:
                    // E2BIG cannot happen (the buffer holds the worst case); anything else
                    // stops the conversion rather than loop.
                    if outLeft >= 3 { writeReplacement(for: inLeft) }
                    inLeft = 0
                }
            }
            _ = iconv(cd, nil, nil, &outPtr, &outLeft)
            written = o.count - outLeft
        }
        out.removeSubrange(written...)
        // glibc's windows-1255 and windows-1258 compose a letter with the accents after it: one
        // character for several bytes, so characters no longer count bytes. Such text is mapped
        // line by line instead.
        if unit == 1, scalarCount(out, 0, out.count) != n {
            return decodeByLine(input, from: charset)
        }
        let map: SourceMap
        if unit == 2 {
            map = utf16Map(out, odd: odd)
        } else {
            map = fixedWidthMap(out, width: unit, odd: odd)
        }
        return Transcoded(utf8: out, map: map.checkpointed(text: out), replaced: replaced, firstReplaced: firstReplaced)
    }

    /// Every character `width` bytes, but those listed in `odd`.
    private static func fixedWidthMap(_ out: [UInt8], width: Int, odd: [(outputAt: Int, width: Int)]) -> SourceMap {
        var runs = RunWriter(width: width)
        var t = 0
        for o in odd {
            runs.advance(to: o.outputAt, text: out)
            t = o.outputAt
            runs.character(at: t, width: o.width, length: 3)
        }
        return runs.finish(textCount: out.count, text: out)
    }

    /// Two bytes per character, four for one outside the BMP (four UTF-8 bytes).
    private static func utf16Map(_ out: [UInt8], odd: [(outputAt: Int, width: Int)]) -> SourceMap {
        var runs = RunWriter(width: 2)
        var k = 0
        var i = 0
        out.withUnsafeBufferPointer { p in
            while i < p.count {
                if k < odd.count, odd[k].outputAt == i {
                    runs.advance(to: i, text: out)
                    runs.character(at: i, width: odd[k].width, length: 3)
                    i += 3
                    k += 1
                    continue
                }
                if p[i] >= 0xF0 {
                    runs.advance(to: i, text: out)
                    runs.character(at: i, width: 4, length: 4)
                    i += 4
                    continue
                }
                i += 1
            }
        }
        return runs.finish(textCount: out.count, text: out)
    }

    /// Builds `scalars` segments: runs of characters of the usual width, and the exceptions.
    struct RunWriter {
        let width: Int
        var segments: [SourceMap.Segment] = []
        /// Source offset and text offset where the current run of usual characters starts.
        var source = 0
        var runStart = 0

        init(width: Int) { self.width = width }

        /// Characters of the usual width run up to text offset `t`.
        mutating func advance(to t: Int, text: [UInt8]) {
            guard t > runStart else { return }
            segments.append(.init(textStart: runStart, fileStart: source, unit: .scalars, width: width))
            source += scalarCount(text, runStart, t) * width
            runStart = t
        }

        /// `length` bytes copied as they are, at text offset `t`.
        mutating func copy(at t: Int, length: Int) {
            segments.append(.init(textStart: t, fileStart: source, unit: .bytes, width: 1))
            source += length
            runStart = t + length
        }

        /// One character of `width` source bytes, `length` UTF-8 bytes long, at text offset `t`.
        mutating func character(at t: Int, width w: Int, length: Int) {
            segments.append(.init(textStart: t, fileStart: source, fileEnd: source + w, unit: .atomic))
            source += w
            runStart = t + length
        }

        mutating func finish(textCount: Int, text: [UInt8]) -> SourceMap {
            if textCount > runStart {
                segments.append(.init(textStart: runStart, fileStart: source, unit: .scalars, width: width))
            }
            return SourceMap(segments: segments, textCount: textCount)
        }
    }

    /// UTF-8 as it is, with each invalid sequence replaced (one U+FFFD per bad byte, as iconv's
    /// users and browsers do it).
    static func decodeUTF8(_ input: UnsafeBufferPointer<UInt8>) -> Transcoded {
        var b = TextBuilder(capacity: input.count)
        var replaced = 0
        var first: Int?
        var i = 0
        var clean = 0
        while i < input.count {
            guard let bad = UTF8Validation.firstInvalid(input, from: i) else { break }
            b.copy(input, clean ..< bad)
            // A run of bad bytes is one segment (each byte one U+FFFD), not one per byte.
            var end = bad + 1
            while end < input.count, UTF8Validation.sequenceLength(input, at: end) == nil { end += 1 }
            b.append(Array(repeatElement(replacement, count: end - bad).joined()), scalarsFrom: bad, width: 1)
            replaced += end - bad
            if first == nil { first = bad }
            i = end
            clean = i
        }
        b.copy(input, clean ..< input.count)
        let (text, map) = b.finish()
        return Transcoded(utf8: text, map: map.checkpointed(text: text), replaced: replaced, firstReplaced: first)
    }

    /// Charsets whose characters are all one byte (every byte alone converts to one character,
    /// or is invalid), by name; found once per charset.
    private static let singleByte = Mutex<[String: Bool]>([:])

    static func isSingleByte(_ charset: Charset) -> Bool {
        if let known = singleByte.withLock({ $0[charset.name] }) { return known }
        var result = true
        if let cd = open(charset, to: "UTF-32LE") {
            var byte: UInt8 = 0
            var out = [UInt8](repeating: 0, count: 16)
            for v in 0 ... 255 where result {
                byte = UInt8(v)
                _ = iconv(cd, nil, nil, nil, nil)
                withUnsafeMutablePointer(to: &byte) { bp in
                    out.withUnsafeMutableBytes { ob in
                        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(bp).assumingMemoryBound(to: CChar.self)
                        var inLeft = 1
                        var outPtr: UnsafeMutablePointer<CChar>? = ob.baseAddress!.assumingMemoryBound(to: CChar.self)
                        var outLeft = 16
                        var r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                        // A composing charset (windows-1258) holds a letter back for accents.
                        if r != -1 { r = iconv(cd, nil, nil, &outPtr, &outLeft) }
                        if r == -1 {
                            if errno == EINVAL { result = false }  // the start of a longer character
                        } else if 16 - outLeft != 4 {
                            result = false
                        }
                    }
                }
            }
            iconv_close(cd)
        } else {
            result = false
        }
        singleByte.withLock { $0[charset.name] = result }
        return result
    }

    /// A charset with characters of several lengths, converted one character at a time.
    static func decodeByCharacter(_ input: UnsafeBufferPointer<UInt8>, from charset: Charset) -> Transcoded? {
        guard let cd = open(charset, to: "UTF-32LE") else { return nil }
        defer { iconv_close(cd) }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 2 + 16)
        var runs = RunWriter(width: 0)
        var replaced = 0
        var first: Int?
        var consumedBefore = 0
        var scalar: UInt32 = 0
        var inPtr: UnsafeMutablePointer<CChar>? = input.baseAddress.map {
            UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self)
        }
        var inLeft = input.count
        func emit(_ bytes: some Sequence<UInt8>, width: Int) {
            let start = out.count
            out.append(contentsOf: bytes)
            runs.character(at: start, width: width, length: out.count - start)
        }
        // Between characters, a byte below 0x80 of these charsets is a character of its own
        // (lead bytes are 0x81 and up): a run of them that map to themselves is copied in one
        // go, not converted one iconv call at a time.
        let ascii = asciiIdentity(charset)
        while inLeft > 0 {
            var j = input.count - inLeft
            while j < input.count, input[j] < 0x80, ascii[Int(input[j])] { j += 1 }
            if j > input.count - inLeft {
                let from = input.count - inLeft
                runs.copy(at: out.count, length: j - from)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[from ..< j]))
                inPtr! += j - from
                inLeft -= j - from
                consumedBefore = j
                continue
            }
            let r = withUnsafeMutablePointer(to: &scalar) { sp -> Int in
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(sp).assumingMemoryBound(to: CChar.self)
                var outLeft = 4
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                // A character came out, whatever stopped iconv after it (no room for the
                // next one, or an invalid sequence that the next call reports).
                if outLeft == 0 { return 0 }
                return r == -1 ? -Int(errno) : 1
            }
            let consumed = input.count - inLeft
            if r == 0, let s = Unicode.Scalar(UInt32(littleEndian: scalar)) {
                emit(UTF8.encode(s)!, width: consumed - consumedBefore)
            } else if r == 1 {
                break  // the rest was a shift sequence with nothing after it
            } else {
                let width = r == -Int(EINVAL) ? inLeft : 1
                emit(replacement, width: consumed - consumedBefore + width)
                replaced += 1
                if first == nil { first = consumed }
                inPtr! += width
                inLeft -= width
            }
            consumedBefore = input.count - inLeft
        }
        let map = SourceMap(segments: mergeRuns(runs.segments), textCount: out.count)
        return Transcoded(utf8: out, map: map.checkpointed(text: out), replaced: replaced, firstReplaced: first)
    }

    /// Each line converted on its own: a line whose characters count its bytes maps character
    /// by character, any other line as a whole (exact to the line, never wrong).
    static func decodeByLine(_ input: UnsafeBufferPointer<UInt8>, from charset: Charset) -> Transcoded? {
        var out: [UInt8] = []
        var segments: [SourceMap.Segment] = []
        var replaced = 0
        var first: Int?
        var start = 0
        while start < input.count {
            let end = (input[start...].firstIndex(of: 0x0A)).map { $0 + 1 } ?? input.count
            let line = UnsafeBufferPointer(rebasing: input[start ..< end])
            guard let t = decodeSingleLine(line, charset) else { return nil }
            if t.replaced > 0 { replaced += t.replaced; first = first ?? start + (t.firstReplaced ?? 0) }
            if scalarCount(t.utf8, 0, t.utf8.count) == line.count {
                segments.append(.init(textStart: out.count, fileStart: start, unit: .scalars, width: 1))
            } else {
                segments.append(.init(textStart: out.count, fileStart: start, fileEnd: end, unit: .atomic))
            }
            out += t.utf8
            start = end
        }
        let map = SourceMap(segments: segments, textCount: out.count)
        return Transcoded(utf8: out, map: map.checkpointed(text: out), replaced: replaced, firstReplaced: first)
    }

    /// One line through iconv with replacements, characters counted by nothing.
    private static func decodeSingleLine(_ line: UnsafeBufferPointer<UInt8>, _ charset: Charset) -> (utf8: [UInt8], replaced: Int, firstReplaced: Int?)? {
        guard let cd = open(charset, to: "UTF-8") else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: 3 * line.count + 16)
        var replaced = 0
        var first: Int?
        var written = 0
        out.withUnsafeMutableBufferPointer { o in
            var inPtr: UnsafeMutablePointer<CChar>? = line.baseAddress.map {
                UnsafeMutableRawPointer(mutating: $0).assumingMemoryBound(to: CChar.self)
            }
            var inLeft = line.count
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
            var outLeft = o.count
            while inLeft > 0, iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1, outLeft >= 3 {
                let at = o.count - outLeft
                for (k, b) in replacement.enumerated() { o[at + k] = b }
                outPtr! += 3
                outLeft -= 3
                replaced += 1
                if first == nil { first = line.count - inLeft }
                inPtr! += 1
                inLeft -= 1
            }
            _ = iconv(cd, nil, nil, &outPtr, &outLeft)
            written = o.count - outLeft
        }
        return (Array(out[..<written]), replaced, first)
    }

    /// Per ASCII byte, whether the charset maps it to itself (Shift JIS maps 0x5C to ¥); all
    /// false for charsets with shift states (ISO-2022, UTF-7, HZ), where bytes below 0x80 can
    /// be halves of other characters. Found once per charset.
    private static let asciiTables = Mutex<[String: [Bool]]>([:])

    static func asciiIdentity(_ charset: Charset) -> [Bool] {
        if let known = asciiTables.withLock({ $0[charset.name] }) { return known }
        var table = [Bool](repeating: false, count: 128)
        let key = Charset.key(charset.name)
        let stateful = key.contains("2022") || key.hasPrefix("utf7") || key.hasPrefix("hz")
        if !stateful, let cd = open(charset, to: "UTF-32LE") {
            var byte: UInt8 = 0
            var value: UInt32 = 0
            for v in 0 ..< 128 {
                byte = UInt8(v)
                _ = iconv(cd, nil, nil, nil, nil)
                let ok = withUnsafeMutablePointer(to: &byte) { bp in
                    withUnsafeMutablePointer(to: &value) { vp -> Bool in
                        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(bp).assumingMemoryBound(to: CChar.self)
                        var inLeft = 1
                        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(vp).assumingMemoryBound(to: CChar.self)
                        var outLeft = 4
                        return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 && outLeft == 0
                    }
                }
                table[v] = ok && UInt32(littleEndian: value) == UInt32(v)
            }
            iconv_close(cd)
        }
        asciiTables.withLock { $0[charset.name] = table }
        return table
    }

    /// One-character atomic segments of equal width that follow each other become one
    /// `scalars` segment.
    private static func mergeRuns(_ segments: [SourceMap.Segment]) -> [SourceMap.Segment] {
        var out: [SourceMap.Segment] = []
        var i = 0
        while i < segments.count {
            let s = segments[i]
            guard s.unit == .atomic else {
                out.append(s)
                i += 1
                continue
            }
            let w = s.fileEnd - s.fileStart
            var j = i + 1
            while j < segments.count, segments[j].unit == .atomic, segments[j].fileEnd - segments[j].fileStart == w,
                  segments[j].fileStart == segments[j - 1].fileEnd { j += 1 }
            if j - i > 1 {
                out.append(.init(textStart: s.textStart, fileStart: s.fileStart, unit: .scalars, width: w))
            } else {
                out.append(s)
            }
            i = j
        }
        return out
    }

    private static func open(_ charset: Charset, to target: String) -> iconv_t? {
        let cd = iconv_open(target, charset.iconvName)
        return cd == iconv_t(bitPattern: -1) ? nil : cd
    }
}

/// Scalars in `text[a..<b]` (b on a scalar boundary).
func scalarCount(_ text: [UInt8], _ a: Int, _ b: Int) -> Int {
    var n = 0
    for i in a ..< b where text[i] & 0xC0 != 0x80 { n += 1 }
    return n
}
