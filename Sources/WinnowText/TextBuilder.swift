/// Builds the text a reader takes out of its input, and the map back to the input, as it goes.
///
/// A reader copies what is text (`copy`), writes what it decodes in place of what it decoded
/// (`append(_:for:)`: a character reference, a JSON escape), and puts line breaks where the
/// input had structure (`separate`). Offsets given are offsets into the reader's input.
public struct TextBuilder: Sendable {
    public private(set) var text: [UInt8] = []
    private var writer = SegmentWriter()
    /// Whether the text ends in a line break (or is empty): separators do not pile up.
    private var pendingBreaks = 0

    public init(capacity: Int = 0) {
        text.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { text.isEmpty }
    public var count: Int { text.count }

    /// Appends `input[range]` as it is.
    public mutating func copy(_ input: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        flushBreaks()
        writer.append(SourceMap.Segment(textStart: text.count, fileStart: range.lowerBound, unit: .bytes))
        text.append(contentsOf: UnsafeBufferPointer(rebasing: input[range]))
    }

    /// Appends `input[range]` as it is.
    public mutating func copy(_ input: [UInt8], _ range: Range<Int>) {
        input.withUnsafeBufferPointer { copy($0, range) }
    }

    /// Appends `decoded` as the text that `range` of the input stands for.
    public mutating func append(_ decoded: some Collection<UInt8>, for range: Range<Int>) {
        guard !decoded.isEmpty else { return }
        flushBreaks()
        writer.append(.atomic(at: text.count, range))
        text.append(contentsOf: decoded)
    }

    /// Appends bytes decoded from `width` input bytes each, starting at input offset `start`
    /// (quoted-printable `=D0=BF`: width 3), so each byte maps to its own escape.
    public mutating func append(_ decoded: some Collection<UInt8>, scaledFrom start: Int, width: Int) {
        guard !decoded.isEmpty else { return }
        flushBreaks()
        writer.append(SourceMap.Segment(textStart: text.count, fileStart: start, unit: .bytes, width: width))
        text.append(contentsOf: decoded)
    }

    /// Appends characters decoded from `width` input bytes each, starting at input offset
    /// `start` (a run of damaged bytes, each now U+FFFD).
    public mutating func append(_ decoded: some Collection<UInt8>, scalarsFrom start: Int, width: Int) {
        guard !decoded.isEmpty else { return }
        flushBreaks()
        writer.append(SourceMap.Segment(textStart: text.count, fileStart: start, unit: .scalars, width: width))
        text.append(contentsOf: decoded)
    }

    /// Appends bytes base64-decoded from input starting at offset `start`, where the input has
    /// whole 4-character groups with no break up to the end of these bytes; `phase` is the
    /// number of decoded bytes of that run already appended (or skipped) before these.
    public mutating func append(base64Decoded decoded: some Collection<UInt8>, from start: Int, phase: Int = 0) {
        guard !decoded.isEmpty else { return }
        flushBreaks()
        writer.append(SourceMap.Segment(textStart: text.count, fileStart: start, unit: .bytes, width: 1, phase: phase,
                                        base64: true))
        text.append(contentsOf: decoded)
    }

    /// Appends text another builder made over the same input (an HTML fragment inside a JSON
    /// string), with its map.
    public mutating func append(_ other: [UInt8], mappedBy map: SourceMap) {
        guard !other.isEmpty else { return }
        flushBreaks()
        let base = text.count
        for s in map.segments {
            var s = s
            s.textStart += base
            writer.append(s)
        }
        text.append(contentsOf: other)
    }

    /// Appends one scalar as the text that `range` of the input stands for.
    public mutating func append(scalar: Unicode.Scalar, for range: Range<Int>) {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(4)
        utf8.append(contentsOf: UTF8.encode(scalar)!)
        append(utf8, for: range)
    }

    /// Ends the current line or paragraph (`lines` 1 or 2) where `range` of the input (markup)
    /// is; line breaks are not repeated, and none starts the text.
    public mutating func separate(lines: Int = 1, at range: Range<Int>) {
        guard !text.isEmpty else { return }
        pendingBreaks = max(pendingBreaks, lines)
        pendingRange = pendingRange.map { min($0.lowerBound, range.lowerBound) ..< max($0.upperBound, range.upperBound) } ?? range
    }

    /// Puts a space between words where the input had something that is not text (an inline
    /// tag that separates, a field boundary), unless the text already ends in whitespace.
    public mutating func space(at range: Range<Int>) {
        guard pendingBreaks == 0, let last = text.last, last != 0x20, last != 0x0A, last != 0x09 else { return }
        writer.append(.atomic(at: text.count, range))
        text.append(0x20)
    }

    private var pendingRange: Range<Int>?

    private mutating func flushBreaks() {
        guard pendingBreaks > 0, let range = pendingRange else { return }
        // Whitespace the text ended with is replaced by the break.
        var trimmed = 0
        while let last = text.last, last == 0x20 || last == 0x09 || last == 0x0D || last == 0x0A {
            text.removeLast()
            trimmed += 1
        }
        if trimmed > 0 { writer.truncate(to: text.count) }
        writer.append(.atomic(at: text.count, range))
        for _ in 0 ..< pendingBreaks { text.append(0x0A) }
        pendingBreaks = 0
        pendingRange = nil
    }

    /// The text and its map to the input.
    public func finish() -> (text: [UInt8], map: SourceMap) {
        (text, SourceMap(segments: writer.segments, textCount: text.count))
    }
}

extension SegmentWriter {
    /// Drops segments that start at or after `count` (the text was cut back).
    mutating func truncate(to count: Int) {
        while let last = segments.last, last.textStart >= count { segments.removeLast() }
    }
}
