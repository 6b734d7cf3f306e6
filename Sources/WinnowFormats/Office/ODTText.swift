/// The text of an OpenDocument text (content.xml): `text:p` and `text:h` become lines,
/// whitespace collapses as ODF says (§6.1.2: runs of spaces, tabs and newlines are one space;
/// `text:s` writes spaces, `text:tab` a tab, `text:line-break` a line break), and notes go after
/// the body. Tracked deletions, annotations and note citations are skipped.
struct ODTText {
    /// The body [0] and the notes [1]: notes are written apart, so they do not cut the
    /// sentence they are attached to.
    var writers = [ParagraphWriter(), ParagraphWriter()]
    /// The first `text:h` with the lowest outline level.
    private(set) var heading: (level: Int, text: String)?

    private var inBody = false
    /// Open paragraphs and headings: heading level (nil for text:p), text for the heading.
    private var paragraphs: [(level: Int?, text: [UInt8])] = []
    private var noteDepth = 0

    /// Most spaces one `text:s` may write (its count is the file's to choose).
    static let maxSpaces = 256

    mutating func read(_ x: XMLStream) throws(ReadFailure) {
        while try x.next() {
            switch x.node {
            case .element: try start(x)
            case .endElement: end(x)
            case .text, .cdata, .significantWhitespace, .whitespace:
                if inBody, !paragraphs.isEmpty { appendCollapsed(x.value) }
            default: continue
            }
        }
    }

    private mutating func start(_ x: XMLStream) throws(ReadFailure) {
        if x.isNamed("body", in: .office) { inBody = true; return }
        guard inBody else { return }
        if x.isNamed("annotation", in: .office) || x.isNamed("tracked-changes", in: .text)
            || x.isNamed("note-citation", in: .text) {
            try x.skipElement()
            return
        }
        guard x.inNamespace(.text) else { return }
        if x.isNamed("p", in: .text) || x.isNamed("h", in: .text) {
            let level = x.isNamed("h", in: .text) ? Int(x.attribute("outline-level", in: .text) ?? "1") ?? 1 : nil
            writers[current].breakLine()
            if !x.isEmptyElement { paragraphs.append((level, [])) }
        } else if x.isNamed("note", in: .text) {
            if !x.isEmptyElement { noteDepth += 1 }
        } else if x.isNamed("s", in: .text) {
            let count = min(Self.maxSpaces, max(1, Int(x.attribute("c", in: .text) ?? "1") ?? 1))
            append(Array(repeating: 0x20, count: count))
        } else if x.isNamed("tab", in: .text) {
            append([0x09])
        } else if x.isNamed("line-break", in: .text) {
            writers[current].breakLine()
        }
    }

    private mutating func end(_ x: XMLStream) {
        if x.isNamed("body", in: .office) { inBody = false; return }
        guard inBody, x.inNamespace(.text) else { return }
        if x.isNamed("note", in: .text) {
            noteDepth = max(0, noteDepth - 1)
        } else if x.isNamed("p", in: .text) || x.isNamed("h", in: .text), let p = paragraphs.popLast() {
            writers[current].breakLine()
            guard let level = p.level else { return }
            let text = DocumentTitle.collapse(String(decoding: p.text, as: UTF8.self))
            if !text.isEmpty, heading == nil || level < heading!.level { heading = (level, text) }
        }
    }

    private var current: Int { noteDepth > 0 ? 1 : 0 }

    private mutating func append(_ bytes: [UInt8]) {
        writers[current].append(bytes)
        if !paragraphs.isEmpty, paragraphs[paragraphs.count - 1].text.count < 1024 {
            paragraphs[paragraphs.count - 1].text.append(contentsOf: bytes)
        }
    }

    /// Text with each run of XML whitespace as one space.
    private mutating func appendCollapsed(_ text: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var i = 0
        while i < text.count {
            guard text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D else { i += 1; continue }
            if i > start { append(Array(text[start ..< i])) }
            writers[current].space()
            if !paragraphs.isEmpty { paragraphs[paragraphs.count - 1].text.append(0x20) }
            i += 1
            while i < text.count, text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D { i += 1 }
            start = i
        }
        if i > start { append(Array(text[start ..< i])) }
    }
}
