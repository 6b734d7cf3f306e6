import WinnowJSON
#if canImport(Glibc)
import Glibc
#endif

/// Renders diagnostics as a compiler does: the gcc-style first line, the source line, a caret.
///
/// `source` returns a file's text for the snippet; when it returns nil the snippet is left out,
/// never the diagnostic.
public struct TextRenderer {
    public var source: (String) -> String?
    private var cache: [String: [Substring]] = [:]
    /// Lines already shown (keyed by their column-1 location), as scalars with tabs replaced:
    /// each diagnostic then costs its window, not its line, so many diagnostics on one long
    /// line (a pack written as one line of JSON) stay linear.
    private var shownLines: [SourceLocation: [Unicode.Scalar]] = [:]

    public init(source: @escaping (String) -> String? = TextRenderer.readFile) {
        self.source = source
    }

    public static func readFile(_ path: String) -> String? {
        // Only a regular file: fopen on a FIFO would wait for a writer forever.
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            out += chunk[0..<n]
            if out.count > 64 << 20 { return nil }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The most scalars of a source line shown under a diagnostic.
    static let maxExcerpt = 120

    public mutating func render(_ diagnostics: some Sequence<Diagnostic>) -> String {
        var out = ""
        for d in diagnostics { out += render(d) }
        return out
    }

    public mutating func render(_ d: Diagnostic) -> String {
        var out = d.description + "\n"
        if let loc = d.location, let scalars = sourceLine(loc) {
            let number = String(loc.line)
            let gutter = String(repeating: " ", count: max(4, number.count + 1))
            // A long line (a 100 KB regex on one line) is shown as a window around the column,
            // elided with "…", so one diagnostic stays a few lines of output.
            let column = max(0, loc.column - 1)
            let from = scalars.count > Self.maxExcerpt ? max(0, min(column - Self.maxExcerpt / 3, scalars.count - Self.maxExcerpt)) : 0
            let to = min(scalars.count, from + Self.maxExcerpt)
            let head = from > 0 ? "…" : "", tail = to < scalars.count ? "…" : ""
            let shown = head + String(String.UnicodeScalarView(scalars[from ..< to])) + tail
            out += "\(String(repeating: " ", count: gutter.count - number.count))\(number) | \(shown)\n"
            let pad = String(repeating: " ", count: head.count + max(0, column - from))
            let underline = max(1, min(d.length, to - column))
            out += "\(gutter) | \(pad)^\(String(repeating: "~", count: underline - 1))\n"
        }
        for note in d.notes {
            let place = note.location.map { "\($0): " } ?? ""
            out += "\(place)note: \(oneLine(note.message))\n"
        }
        return out
    }

    /// Line `loc.line` of `loc.path` without its line break; tabs become one space so the caret
    /// stays under the scalar it names.
    private mutating func sourceLine(_ loc: SourceLocation) -> [Unicode.Scalar]? {
        let key = SourceLocation(path: loc.path, line: loc.line, column: 1)
        if let shown = shownLines[key] { return shown }
        if cache[loc.path] == nil {
            guard let text = source(loc.path) else { return nil }
            cache[loc.path] = text.split(separator: "\n", omittingEmptySubsequences: false)
        }
        guard let lines = cache[loc.path], loc.line >= 1, loc.line <= lines.count else { return nil }
        var line = lines[loc.line - 1]
        if line.hasSuffix("\r") { line.removeLast() }
        let scalars = line.unicodeScalars.map { $0 == "\t" ? " " : $0 }
        shownLines[key] = scalars
        return scalars
    }
}

/// Renders diagnostics as JSON Lines for editors and scripts (`winnow check --format json`).
public enum JSONRenderer {
    public static func render(_ d: Diagnostic) -> String {
        var w = JSONWriter()
        w.object { w in
            w.field("severity", d.severity.rawValue)
            w.field("code", d.code.id)
            w.field("message", d.message)
            if let loc = d.location {
                w.field("path", loc.path)
                w.field("line", loc.line)
                w.field("column", loc.column)
            }
            w.key("notes")
            w.array { w in
                for note in d.notes {
                    w.object { w in
                        w.field("message", note.message)
                        if let loc = note.location {
                            w.field("path", loc.path)
                            w.field("line", loc.line)
                            w.field("column", loc.column)
                        }
                    }
                }
            }
            if let fix = d.fix { w.field("fix", fix) }
        }
        return w.string
    }
}
