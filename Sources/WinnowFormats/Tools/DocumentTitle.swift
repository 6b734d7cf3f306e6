/// Chooses the title of a document read by a tool: the title its metadata gives when that is a
/// real title, else its first heading, else its first line.
enum DocumentTitle {
    /// Longest title kept, in Unicode scalars (a first line can be a whole paragraph).
    static let maxScalars = 200

    static func choose(metadata: String?, heading: String?, text: [UInt8]) -> String? {
        if let t = metadata.map(collapse), isReal(t) { return t }
        if let h = heading.map(collapse), !h.isEmpty { return clip(h) }
        return firstLine(text)
    }

    /// Whether a metadata title names the document, not the file it was made from: word
    /// processors and scanners fill it with "Microsoft Word - x.docx", "untitled", "scan0042.tif".
    static func isReal(_ title: String) -> Bool {
        let t = title.lowercased()
        guard t.unicodeScalars.contains(where: { $0.properties.isAlphabetic }) else { return false }
        if placeholders.contains(t) { return false }
        if applicationPrefixes.contains(where: t.hasPrefix) { return false }
        if let dot = t.lastIndex(of: "."), fileExtensions.contains(String(t[t.index(after: dot)...])) { return false }
        // A path: "C:\Users\…" or "/home/…".
        if t.contains("\\") || (t.hasPrefix("/") && !t.contains(" ")) { return false }
        return true
    }

    static let placeholders: Set = ["untitled", "untitled document", "document", "title", "no title", "(anonymous)",
                                    "microsoft word document", "presentation", "slide 1", "page 1"]
    static let applicationPrefixes = ["microsoft word - ", "microsoft powerpoint - ", "microsoft excel - ", "untitled-"]
    static let fileExtensions: Set = ["doc", "docx", "odt", "rtf", "txt", "pdf", "tif", "tiff", "jpg", "jpeg", "png",
                                      "indd", "qxd", "xls", "xlsx", "ppt", "pptx", "htm", "html", "eps", "ai", "wpd", "tex", "dvi"]

    /// The first line with letters or digits, whitespace collapsed.
    static func firstLine(_ text: [UInt8]) -> String? {
        for line in text.split(separator: 0x0A) {
            let s = collapse(String(decoding: line, as: UTF8.self))
            if s.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
                return clip(s)
            }
        }
        return nil
    }

    /// Runs of whitespace and control characters as one space, none at the ends.
    static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var gap = false
        for c in s.unicodeScalars {
            if c.properties.isWhitespace || c.properties.generalCategory == .control {
                gap = !out.isEmpty
                continue
            }
            if gap { out.append(" ") }
            gap = false
            out.append(c)
        }
        return String(out)
    }

    /// At most `maxScalars`, cut at a space when there is one near the end.
    static func clip(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        guard scalars.count > maxScalars else { return s }
        var cut = maxScalars
        if let space = scalars[maxScalars / 2 ..< maxScalars].lastIndex(of: " ") { cut = space }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[..<cut])
        return String(out) + "…"
    }
}
