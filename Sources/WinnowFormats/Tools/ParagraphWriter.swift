/// Writes extracted text as lines and paragraphs: no whitespace at line ends, no break at the
/// start or end, never more than one blank line. What PDF and office readers give rules.
struct ParagraphWriter {
    private(set) var text: [UInt8] = []
    /// Line breaks owed before the next text (1: new line, 2: new paragraph).
    private var pending = 0

    var isEmpty: Bool { text.isEmpty }

    /// Appends text of the current line.
    mutating func append(_ bytes: some Collection<UInt8>) {
        guard !bytes.isEmpty else { return }
        if pending > 0 {
            trimLineEnd()
            if !text.isEmpty { text.append(contentsOf: repeatElement(0x0A, count: pending)) }
            pending = 0
        }
        text.append(contentsOf: bytes)
    }

    mutating func append(_ string: String) { append(Array(string.utf8)) }

    /// A space, unless the line is empty or already ends in one.
    mutating func space() {
        guard pending == 0, let last = text.last, last != 0x20, last != 0x09, last != 0x0A else { return }
        text.append(0x20)
    }

    mutating func breakLine() { if !text.isEmpty { pending = max(pending, 1) } }
    mutating func breakParagraph() { if !text.isEmpty { pending = 2 } }

    /// The text, without trailing whitespace.
    mutating func finish() -> [UInt8] {
        trimLineEnd()
        pending = 0
        return text
    }

    /// Whether the text holds anything but whitespace.
    var hasVisibleText: Bool {
        text.contains { $0 > 0x20 && $0 != 0x7F }
    }

    private mutating func trimLineEnd() {
        while let last = text.last, last == 0x20 || last == 0x09 || last == 0x0D { text.removeLast() }
    }
}
