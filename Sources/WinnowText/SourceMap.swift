/// Where each byte of a document's text came from: a map from byte offsets of the text (UTF-8,
/// what rules read) to byte offsets of its source (the file, or the layer below).
///
/// The text is cut into segments; inside one, positions map by a fixed rule, so the map costs
/// one entry per run of text, not one per byte (docs/design.md §Source maps):
/// - `bytes`: every text byte stands for `width` source bytes (a copy: 1; quoted-printable
///   `=D0`: 3);
/// - `scalars`: every Unicode scalar of the text stands for `width` source bytes (a single-byte
///   charset: 1; UTF-16: 2; UTF-32: 4);
/// - `atomic`: the whole segment stands for the whole source range `fileStart..<fileEnd`
///   (`&eacute;` → `é`, a line break put between two paragraphs for `</p><p>`).
/// With `base64`, the positions counted are bytes of a base64-decoded run that starts at
/// `fileStart`, and a position maps to the 4-character group that holds it.
///
/// Maps compose (`composed(over:)`): an e-mail part's HTML (text → UTF-8 part) over its charset
/// (UTF-8 → part bytes) over its transfer encoding (part bytes → file) is one map to the file.
public struct SourceMap: Sendable, Equatable {
    public enum Unit: UInt8, Sendable {
        case bytes, scalars, atomic
    }

    public struct Segment: Sendable, Equatable {
        /// First text byte of the segment; the segment runs to the next one's start.
        public var textStart: Int
        /// Source offset that position `phase` counts from (for base64, a group's start).
        public var fileStart: Int
        /// End of the source range, for `atomic` segments only.
        public var fileEnd: Int
        public var unit: Unit
        /// Source bytes per unit counted (base64: decoded bytes per unit).
        public var width: Int
        /// Units already counted at `textStart`, times `width` (a piece cut out of a longer segment).
        public var phase: Int
        public var base64: Bool

        public init(textStart: Int, fileStart: Int, fileEnd: Int = 0, unit: Unit, width: Int = 1, phase: Int = 0,
                    base64: Bool = false) {
            self.textStart = textStart
            self.fileStart = fileStart
            self.fileEnd = fileEnd
            self.unit = unit
            self.width = width
            self.phase = phase
            self.base64 = base64
        }

        static func atomic(at textStart: Int, _ range: Range<Int>) -> Segment {
            Segment(textStart: textStart, fileStart: range.lowerBound, fileEnd: range.upperBound, unit: .atomic)
        }
    }

    public private(set) var segments: [Segment]
    /// Length of the text the map covers.
    public private(set) var textCount: Int

    /// The map of a text that is its source, byte for byte, from source offset `offset` on.
    public static func identity(count: Int, offset: Int = 0) -> SourceMap {
        SourceMap(segments: [Segment(textStart: 0, fileStart: offset, unit: .bytes)], textCount: count)
    }

    /// Segments must start at 0 (unless the text is empty) and be in text order.
    public init(segments: [Segment], textCount: Int) {
        self.segments = segments
        self.textCount = textCount
    }

    /// Whether text offsets are source offsets.
    public var isIdentity: Bool {
        segments.count == 1 && segments[0].unit == .bytes && segments[0].width == 1 && segments[0].fileStart == 0
            && segments[0].phase == 0 && !segments[0].base64
    }

    /// Index of the segment holding text byte `t` (`0 <= t < textCount`).
    func segmentIndex(_ t: Int) -> Int {
        var lo = 0, hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].textStart <= t { lo = mid + 1 } else { hi = mid }
        }
        return max(0, lo - 1)
    }

    /// Source offset where text position `t` starts (`t == textCount` gives where the text ends).
    public func sourceStart(_ t: Int, text: [UInt8]) -> Int {
        guard !segments.isEmpty else { return 0 }
        if t >= textCount { return textCount == 0 ? firstSource : sourceEnd(textCount, text: text) }
        let s = segments[segmentIndex(t)]
        if s.unit == .atomic { return s.fileStart }
        let m = s.phase + count(s, from: s.textStart, to: t, text: text) * s.width
        return s.fileStart + (s.base64 ? 4 * (m / 3) : m)
    }

    /// Source offset where text ending at `e` (exclusive, `e > 0`) ends.
    public func sourceEnd(_ e: Int, text: [UInt8]) -> Int {
        guard !segments.isEmpty else { return 0 }
        guard e > 0, textCount > 0 else { return firstSource }
        let s = segments[segmentIndex(min(e, textCount) - 1)]
        if s.unit == .atomic { return s.fileEnd }
        let m = s.phase + count(s, from: s.textStart, to: min(e, textCount), text: text) * s.width
        return s.fileStart + (s.base64 ? 4 * ((m + 2) / 3) : m)
    }

    /// Where the text's first byte comes from (for an empty text, where it would have).
    private var firstSource: Int {
        let s = segments[0]
        if s.unit == .atomic { return s.fileStart }
        return s.fileStart + (s.base64 ? 4 * (s.phase / 3) : s.phase)
    }

    /// The source range a text range came from.
    public func sourceRange(_ r: Range<Int>, text: [UInt8]) -> Range<Int> {
        let a = sourceStart(r.lowerBound, text: text)
        guard !r.isEmpty else { return a ..< a }
        return a ..< max(a, sourceEnd(r.upperBound, text: text))
    }

    /// Units of segment `s` in text `a..<b`: bytes, or scalars begun there.
    private func count(_ s: Segment, from a: Int, to b: Int, text: [UInt8]) -> Int {
        s.unit == .scalars ? scalarStarts(text, a, b) : b - a
    }

    /// The map from this map's text to the source of `inner`, where this map's source is the
    /// text of `inner` (`innerText`). `text` is this map's text.
    public func composed(over inner: SourceMap, text: [UInt8], innerText: [UInt8]) -> SourceMap {
        if inner.isIdentity { return self }
        if isIdentity, textCount == inner.textCount { return inner }
        var out = SegmentWriter()
        // Units of inner segment `i` up to `mid`, counted on from the last call in the same
        // segment: an HTML page's hundred thousand runs over one windows-1251 segment would each
        // count it again from its start.
        var cursor = (segment: -1, mid: 0, units: 0)
        func innerUnits(_ i: Int, _ mid: Int) -> Int {
            let seg = inner.segments[i]
            guard seg.unit == .scalars else { return mid - seg.textStart }
            let units = cursor.segment == i && mid >= cursor.mid
                ? cursor.units + scalarStarts(innerText, cursor.mid, mid) : scalarStarts(innerText, seg.textStart, mid)
            cursor = (i, mid, units)
            return units
        }
        func innerPosition(_ i: Int, _ mid: Int, end: Bool) -> Int {
            let seg = inner.segments[i]
            if seg.unit == .atomic { return end ? seg.fileEnd : seg.fileStart }
            let m = seg.phase + innerUnits(i, mid) * seg.width
            return seg.fileStart + (seg.base64 ? 4 * ((m + (end ? 2 : 0)) / 3) : m)
        }
        // `inner.sourceStart(m)` and `inner.sourceEnd(e)`, counted through the cursor.
        func innerSourceStart(_ m: Int) -> Int {
            guard m < inner.textCount else { return inner.sourceStart(m, text: innerText) }
            return innerPosition(inner.segmentIndex(m), m, end: false)
        }
        func innerSourceEnd(_ e: Int) -> Int {
            guard e > 0, e <= inner.textCount else { return inner.sourceEnd(e, text: innerText) }
            return innerPosition(inner.segmentIndex(e - 1), e, end: true)
        }
        for (k, s) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].textStart : textCount
            guard end > s.textStart else { continue }
            if s.unit == .atomic {
                let a = innerSourceStart(s.fileStart)
                let z = s.fileEnd > s.fileStart ? innerSourceEnd(s.fileEnd) : a
                out.append(.atomic(at: s.textStart, a ..< max(a, z)))
                continue
            }
            // The inner range this segment's text came from, cut where inner segments change.
            let midStart = s.fileStart + s.phase
            let midEnd = midStart + count(s, from: s.textStart, to: end, text: text) * s.width
            var t = s.textStart  // text position of `mid`
            var mid = midStart
            while mid < midEnd {
                let i = inner.segmentIndex(min(mid, inner.textCount - 1))
                let innerSeg = inner.segments[i]
                let innerEnd = i + 1 < inner.segments.count ? inner.segments[i + 1].textStart : inner.textCount
                // A piece ends where the inner segment does, rounded up to a whole unit of
                // this map; a unit cut in two maps as a whole (below).
                let rawEnd = min(midEnd, max(innerEnd, mid + 1))
                let units = (rawEnd - mid + s.width - 1) / s.width
                let pieceEnd = min(midEnd, mid + units * s.width)
                let tEnd = s.unit == .bytes ? t + units : advanceScalars(text, from: t, by: units, limit: end)
                if innerSeg.unit == .atomic || pieceEnd != rawEnd {
                    // Text that stands for a whole source range, or a character cut by the
                    // layer below: the piece maps to all its source range maps to.
                    let a = innerSourceStart(mid)
                    out.append(.atomic(at: t, a ..< max(a, innerSourceEnd(pieceEnd))))
                } else if s.unit == .bytes && s.width == 1 {
                    // A copy: the piece maps as the inner text it copies.
                    var piece = innerSeg
                    piece.textStart = t
                    piece.phase = innerSeg.phase + innerUnits(i, mid) * innerSeg.width
                    out.append(piece)
                } else if innerSeg.unit == .bytes {
                    // Units of this map over bytes of the inner one: widths multiply.
                    out.append(Segment(textStart: t, fileStart: innerSeg.fileStart, unit: s.unit,
                                       width: s.width * innerSeg.width,
                                       phase: innerSeg.phase + (mid - innerSeg.textStart) * innerSeg.width,
                                       base64: innerSeg.base64))
                } else {
                    let a = innerSourceStart(mid)
                    out.append(.atomic(at: t, a ..< max(a, innerSourceEnd(pieceEnd))))
                }
                t = tEnd
                mid = pieceEnd
            }
        }
        return SourceMap(segments: out.segments, textCount: textCount).checkpointed(text: text)
    }

    /// Cuts `scalars` segments every `span` text bytes, so a lookup counts at most that many
    /// bytes however long a transcoded document is.
    public func checkpointed(text: [UInt8], span: Int = 4096) -> SourceMap {
        guard segments.contains(where: { $0.unit == .scalars }) else { return self }
        var out: [Segment] = []
        out.reserveCapacity(segments.count)
        for (k, s) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].textStart : textCount
            guard s.unit == .scalars, end - s.textStart > span else { out.append(s); continue }
            var piece = s
            while piece.textStart < end {
                out.append(piece)
                var cut = min(end, piece.textStart + span)
                while cut < end, text[cut] & 0xC0 == 0x80 { cut += 1 }
                piece.phase += scalarStarts(text, piece.textStart, cut) * s.width
                piece.textStart = cut
            }
        }
        return SourceMap(segments: out, textCount: textCount)
    }
}

extension SourceMap {
    /// The same map over a source that starts `offset` bytes later (after a byte-order mark).
    public func shifted(by offset: Int) -> SourceMap {
        guard offset != 0 else { return self }
        return SourceMap(segments: segments.map { s in
            var s = s
            s.fileStart += offset
            s.fileEnd += offset
            return s
        }, textCount: textCount)
    }
}

/// Appends segments, merging one that continues the previous one by the same rule.
struct SegmentWriter {
    var segments: [SourceMap.Segment] = []

    mutating func append(_ s: SourceMap.Segment) {
        if let last = segments.last {
            if last.textStart == s.textStart { segments[segments.count - 1] = s; return }
            // A byte copy that goes on where the last one stopped is the same segment.
            if last.unit == .bytes, s.unit == .bytes, last.width == s.width, last.base64 == s.base64, !s.base64,
               last.fileStart + last.phase + (s.textStart - last.textStart) * last.width == s.fileStart + s.phase {
                return
            }
        }
        segments.append(s)
    }
}

/// Scalars that begin in `text[a..<b]` (bytes that are not UTF-8 continuation bytes).
func scalarStarts(_ text: [UInt8], _ a: Int, _ b: Int) -> Int {
    guard b > a else { return 0 }
    return text.withUnsafeBufferPointer { p in
        var n = 0
        var i = a
        while i + 8 <= b {
            let w = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
            // A continuation byte is 10xxxxxx: bit 7 set, bit 6 clear.
            n += (w & ~(w << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            i += 8
        }
        while i < b {
            if p[i] & 0xC0 == 0x80 { n += 1 }
            i += 1
        }
        return (b - a) - n
    }
}

/// The position `units` scalars after `t` (at most `limit`).
func advanceScalars(_ text: [UInt8], from t: Int, by units: Int, limit: Int) -> Int {
    var i = t, left = units
    while i < limit, left > 0 {
        i += 1
        while i < limit, text[i] & 0xC0 == 0x80 { i += 1 }
        left -= 1
    }
    return i
}
