/// The text of a Word document's main part (word/document.xml) and its notes, from the
/// WordprocessingML as written: `w:p` paragraphs become lines, `w:t` is text, `w:tab` a tab,
/// `w:br`/`w:cr` a line break; deleted and moved-from revisions and the fallback copies of
/// drawings (`mc:Fallback`) are skipped so no text is read twice.
struct DOCXText {
    var writer = ParagraphWriter()
    /// The first paragraph styled Title, and the first styled as a heading (lowest level wins).
    private(set) var titleParagraph: String?
    private(set) var heading: (level: Int, text: String)?
    /// Style ids of word/styles.xml that are Title or a heading, with the heading level (0: Title).
    let headingStyles: [String: Int]

    /// Open paragraphs (a text box's paragraphs sit inside another's run): style level, text.
    private var paragraphs: [(level: Int?, text: [UInt8])] = []
    private var runDepth = 0
    private var inText = false

    init(headingStyles: [String: Int]) {
        self.headingStyles = headingStyles
    }

    /// Reads one part (the main document, footnotes, endnotes) into the text.
    mutating func read(_ x: XMLStream) throws(ReadFailure) {
        while try x.next() {
            switch x.node {
            case .element: try start(x)
            case .endElement: end(x)
            case .text, .cdata, .significantWhitespace, .whitespace:
                guard inText else { continue }
                writer.append(x.value)
                if !paragraphs.isEmpty, paragraphs[paragraphs.count - 1].text.count < 1024 {
                    paragraphs[paragraphs.count - 1].text.append(contentsOf: x.value)
                }
            default: continue
            }
        }
    }

    private mutating func start(_ x: XMLStream) throws(ReadFailure) {
        if x.isNamed("Fallback", in: .mc) || x.isNamed("moveFrom", in: .w) || x.isNamed("del", in: .w) {
            try x.skipElement()
            return
        }
        guard x.inNamespace(.w) else { return }
        if x.isNamed("p", in: .w) {
            writer.breakLine()
            if !x.isEmptyElement { paragraphs.append((nil, [])) }
        } else if x.isNamed("pStyle", in: .w), let id = x.attribute("val", in: .w), !paragraphs.isEmpty {
            paragraphs[paragraphs.count - 1].level = headingStyles[id] ?? Self.builtInLevel(id)
        } else if x.isNamed("outlineLvl", in: .w), let v = x.attribute("val", in: .w).flatMap({ Int($0) }), v < 9,
                  !paragraphs.isEmpty, paragraphs[paragraphs.count - 1].level == nil {
            paragraphs[paragraphs.count - 1].level = v + 1
        } else if x.isNamed("r", in: .w) {
            if !x.isEmptyElement { runDepth += 1 }
        } else if x.isNamed("t", in: .w) {
            inText = !x.isEmptyElement
        } else if runDepth > 0 {
            if x.isNamed("tab", in: .w) { writer.append([0x09]) }
            if x.isNamed("br", in: .w) || x.isNamed("cr", in: .w) { writer.breakLine() }
            if x.isNamed("noBreakHyphen", in: .w) { writer.append([0x2D]) }
        }
    }

    private mutating func end(_ x: XMLStream) {
        guard x.inNamespace(.w) else { return }
        if x.isNamed("t", in: .w) {
            inText = false
        } else if x.isNamed("r", in: .w) {
            runDepth = max(0, runDepth - 1)
        } else if x.isNamed("p", in: .w), let p = paragraphs.popLast() {
            writer.breakLine()
            note(p)
        }
    }

    /// Keeps the paragraph as the title or heading candidate when its style says so.
    private mutating func note(_ p: (level: Int?, text: [UInt8])) {
        guard let level = p.level else { return }
        let text = DocumentTitle.collapse(String(decoding: p.text, as: UTF8.self))
        guard !text.isEmpty else { return }
        if level == 0 {
            if titleParagraph == nil { titleParagraph = text }
        } else if heading == nil || level < heading!.level {
            heading = (level, text)
        }
    }

    /// Word's own style ids ("Title", "Heading1"), for files without word/styles.xml.
    static func builtInLevel(_ id: String) -> Int? {
        let lower = id.lowercased()
        if lower == "title" { return 0 }
        guard lower.hasPrefix("heading"), let n = Int(String(lower.dropFirst(7)).trimmingWhitespace) else { return nil }
        return n
    }

    /// Style ids whose names (not ids: those are localised, "a3", "1") are Title or "heading N".
    static func headingStyles(_ x: XMLStream) throws(ReadFailure) -> [String: Int] {
        var styles: [String: Int] = [:]
        var id: String?
        while try x.next() {
            guard x.node == .element else { continue }
            if x.isNamed("style", in: .w) {
                id = x.attribute("styleId", in: .w)
            } else if x.isNamed("name", in: .w), let id, let name = x.attribute("val", in: .w) {
                if let level = builtInLevel(name.replacingSpaces()) { styles[id] = level }
            }
        }
        return styles
    }
}

extension String {
    /// Without spaces ("heading 1" → "heading1").
    func replacingSpaces() -> String { String(unicodeScalars.filter { $0 != " " }.map(Character.init)) }
}
