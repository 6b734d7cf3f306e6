import WinnowText

/// Joins texts decoded one at a time (the words of a header, the parts of a message), each with
/// its own map to the same source, into one text and one map.
///
/// `TextBuilder` writes text straight from its input; an e-mail part is decoded in layers
/// (transfer encoding, charset, HTML) and arrives finished, text and map, so it is appended
/// whole. Offsets given are offsets into the source the pieces' maps point at.
struct TextJoiner {
    private(set) var text: [UInt8] = []
    private var segments: [SourceMap.Segment] = []
    /// A line or paragraph break asked for and not yet written: none starts or ends the text.
    private var pendingBreak: (lines: Int, range: Range<Int>)?

    var isEmpty: Bool { text.isEmpty }

    /// Appends `piece`, whose map points into the source; with `trimming`, without the spaces
    /// and line breaks it starts or ends with.
    mutating func append(_ piece: [UInt8], map: SourceMap, trimming: Bool = false) {
        var lo = 0, hi = piece.count
        if trimming {
            while lo < hi, Self.isSpace(piece[lo]) { lo += 1 }
            while hi > lo, Self.isSpace(piece[hi - 1]) { hi -= 1 }
        }
        guard hi > lo else { return }
        flushBreak()
        let base = text.count
        for (k, s) in map.segments.enumerated() {
            let end = k + 1 < map.segments.count ? map.segments[k + 1].textStart : map.textCount
            guard end > lo else { continue }
            guard s.textStart < hi else { break }
            var cut = s
            if s.textStart < lo {
                // The bytes cut off are ASCII spaces: one unit (byte or scalar) each.
                if s.unit != .atomic { cut.phase += (lo - s.textStart) * s.width }
                cut.textStart = lo
            }
            cut.textStart += base - lo
            push(cut)
        }
        text.append(contentsOf: piece[lo ..< hi])
    }

    /// Appends `source[range]` as it is.
    mutating func copy(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        flushBreak()
        push(SourceMap.Segment(textStart: text.count, fileStart: range.lowerBound, unit: .bytes))
        text.append(contentsOf: UnsafeBufferPointer(rebasing: source[range]))
    }

    /// Appends `decoded` as the text that `range` of the source stands for.
    mutating func append(_ decoded: some Collection<UInt8>, for range: Range<Int>) {
        guard !decoded.isEmpty else { return }
        flushBreak()
        push(SourceMap.Segment(textStart: text.count, fileStart: range.lowerBound, fileEnd: range.upperBound, unit: .atomic))
        text.append(contentsOf: decoded)
    }

    /// Ends the line (`lines` 1) or paragraph (2) before the next text appended, mapped to
    /// `range` of the source (the structure that separates the two).
    mutating func separate(lines: Int = 2, at range: Range<Int>) {
        guard !text.isEmpty else { return }
        if let p = pendingBreak {
            pendingBreak = (max(p.lines, lines), p.range)
        } else {
            pendingBreak = (lines, range)
        }
    }

    /// What `rollback(to:)` returns to.
    struct Checkpoint {
        fileprivate var textCount: Int
        fileprivate var segmentCount: Int
        fileprivate var pendingBreak: (lines: Int, range: Range<Int>)?
    }

    func checkpoint() -> Checkpoint {
        Checkpoint(textCount: text.count, segmentCount: segments.count, pendingBreak: pendingBreak)
    }

    /// Forgets everything appended since `checkpoint` (an alternative that gave no text).
    mutating func rollback(to checkpoint: Checkpoint) {
        text.removeSubrange(checkpoint.textCount...)
        segments.removeSubrange(checkpoint.segmentCount...)
        pendingBreak = checkpoint.pendingBreak
    }

    func finish() -> (text: [UInt8], map: SourceMap) {
        (text, SourceMap(segments: segments, textCount: text.count))
    }

    private mutating func flushBreak() {
        guard let p = pendingBreak else { return }
        pendingBreak = nil
        push(SourceMap.Segment(textStart: text.count, fileStart: p.range.lowerBound, fileEnd: p.range.upperBound, unit: .atomic))
        text.append(contentsOf: repeatElement(0x0A, count: p.lines))
    }

    private mutating func push(_ s: SourceMap.Segment) {
        if let last = segments.last, last.textStart == s.textStart {
            segments[segments.count - 1] = s
        } else {
            segments.append(s)
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0C }
}
