import WinnowText

/// The headline of a page and where it is written, chosen as a reader would: the title the
/// page gives to link previews (`og:title`, `twitter:title`, JSON-LD `headline`), else the
/// article's `<h1>`, else `<title>` without the site's name.
///
/// `<title>` is trimmed at the separators sites put between headline and site name (` | `,
/// ` - `, ` – `, ` — `, ` :: `, ` » `): the part that is the preview title or the `<h1>` is
/// kept; else parts that name the site (`og:site_name`, `application-name`, a domain) are
/// dropped; else, as Readability does, the last part (or the first, when that leaves fewer
/// than three words). Where `<title>` says the same as the preview title, its spelling wins:
/// sites capitalise preview titles.
struct PageTitle {
    var title: String
    /// Where the headline can be read from in the page, for the first line of the text.
    var source: Source?

    enum Source: Equatable {
        /// An element whose text is the headline (`<h1>`).
        case element(Int)
        /// Bytes of the page whose text, references decoded, is the headline (part of `<title>`,
        /// an `og:title` value).
        case bytes(Range<Int>)
    }

    /// Titles longer than this are not trimmed nor compared: a headline is a line.
    static let maxTitleBytes = 2048

    static let separators = [" | ", " - ", " – ", " — ", " :: ", " » ", " · "].map { Array($0.utf8) }

    /// `text` cut into the parts between separators: byte ranges of `text`.
    static func parts(_ text: [UInt8]) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = 0
        var k = 0
        while k < text.count {
            if text[k] == 0x20, let s = separators.first(where: { k + $0.count <= text.count && text[k ..< k + $0.count].elementsEqual($0) }) {
                if k > start { parts.append(start ..< k) }
                k += s.count
                start = k
                continue
            }
            k += 1
        }
        if text.count > start { parts.append(start ..< text.count) }
        return parts
    }

    /// The part of `title` (a byte range of it) that is the headline.
    static func trim(_ title: [UInt8], siteName: String?, known: [String], fallback: Bool = true) -> Range<Int> {
        // No headline is this long or has this many parts; trying every span of a hostile one
        // would take minutes.
        guard title.count <= maxTitleBytes else { return 0 ..< title.count }
        var parts = parts(title)
        guard parts.count > 1, parts.count <= 16 else { return 0 ..< title.count }
        func string(_ r: Range<Int>) -> String { String(decoding: title[r], as: UTF8.self) }
        // A span of parts that is the preview title or the heading.
        let targets = Set(known.map(Similar.normalized).filter { !$0.isEmpty })
        if !targets.isEmpty {
            for i in parts.indices {
                for j in (i ..< parts.count).reversed() {
                    let span = parts[i].lowerBound ..< parts[j].upperBound
                    if targets.contains(Similar.normalized(string(span))) { return span }
                }
            }
        }
        if let siteName, !Similar.key(siteName).isEmpty {
            let site = Similar.key(siteName)
            func isSite(_ r: Range<Int>) -> Bool {
                let part = string(r)
                let key = Similar.key(part)
                return key.count >= 4 && (site.contains(key) || key.contains(site)) || Self.isDomain(part)
            }
            var trimmed = false
            while parts.count > 1, isSite(parts[parts.count - 1]) { parts.removeLast(); trimmed = true }
            while parts.count > 1, isSite(parts[0]) { parts.removeFirst(); trimmed = true }
            if trimmed { return parts[0].lowerBound ..< parts[parts.count - 1].upperBound }
        }
        guard fallback else { return 0 ..< title.count }
        func words(_ r: Range<Int>) -> Int { string(r).split(separator: " ").count }
        let withoutLast = parts[0].lowerBound ..< parts[parts.count - 2].upperBound
        let cut = words(withoutLast) >= 3 ? withoutLast : parts[1].lowerBound ..< parts[parts.count - 1].upperBound
        // Readability keeps a title whole when cutting leaves four words or fewer, unless the
        // separators were hierarchical (`»`) and only the site's word went.
        let hierarchical = string(0 ..< title.count).contains(" » ")
        let before = parts.reduce(0) { $0 + words($1) }
        if words(cut) <= 4, !hierarchical || words(cut) != before - 1 { return 0 ..< title.count }
        return cut
    }

    static func isDomain(_ s: String) -> Bool {
        !s.contains(" ") && s.contains(".") && s.count <= 64
    }
}
