/// The parts of a multipart body, cut at its boundary lines (RFC 2046 §5.1).
struct MultipartBody: Sendable {
    /// Each part's entity (header and body): from the line after a boundary line to the line
    /// break before the next one.
    var parts: [Range<Int>]
    /// Whether the closing boundary (`--boundary--`) was found.
    var closed: Bool
    /// The boundary lines, for maps: the separator between two parts' texts points at them.
    var boundaryLines: [Range<Int>]

    /// Splits `source[body]` at lines that are `--boundary` or `--boundary--`, with nothing
    /// after them but spaces (a prefix match would take an inner part's longer boundary for
    /// this one's).
    init(_ source: UnsafeBufferPointer<UInt8>, _ body: Range<Int>, boundary: String) {
        let marker = Array("--\(boundary)".utf8)
        var parts: [Range<Int>] = []
        var lines: [Range<Int>] = []
        var open: Int?
        var closed = false
        var i = body.lowerBound
        while i < body.upperBound {
            let lineEnd = MailHeader.lineEnd(source, from: i, limit: body.upperBound)
            let next = min(lineEnd + 1, body.upperBound)
            if let closing = Self.boundary(source, i ..< lineEnd, marker) {
                // The line break before a boundary line belongs to the boundary.
                var end = i
                if end > body.lowerBound, source[end - 1] == 0x0A { end -= 1 }
                if end > body.lowerBound, source[end - 1] == 0x0D { end -= 1 }
                if let start = open { parts.append(start ..< max(start, end)) }
                lines.append(i ..< next)
                if closing { closed = true; open = nil; break }
                open = next
            }
            i = next
        }
        if let start = open { parts.append(start ..< body.upperBound) }
        self.parts = parts
        self.closed = closed
        self.boundaryLines = lines
    }

    /// Nil when `line` is not a boundary line; else whether it closes the body.
    private static func boundary(_ source: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ marker: [UInt8]) -> Bool? {
        guard line.count >= marker.count, source[line.lowerBound] == 0x2D else { return nil }
        for (k, m) in marker.enumerated() where source[line.lowerBound + k] != m { return nil }
        var j = line.lowerBound + marker.count
        var closing = false
        if j + 1 < line.upperBound, source[j] == 0x2D, source[j + 1] == 0x2D {
            closing = true
            j += 2
        }
        while j < line.upperBound, source[j] == 0x20 || source[j] == 0x09 || source[j] == 0x0D { j += 1 }
        return j == line.upperBound ? closing : nil
    }
}
