import WinnowText

/// The text of an HTML document, mapped to the bytes it was read from, and what the page
/// says about itself.
struct HTMLText: Sendable {
    /// UTF-8: the headline, then the article (or every visible text), blocks apart.
    var text: [UInt8]
    /// From offsets of `text` to offsets of the `html` given to `HTMLExtractor.extract`.
    var map: SourceMap
    /// The headline, whitespace collapsed.
    var title: String?
    var author: String?
    /// As written (`2024-03-01T10:00:00Z`).
    var published: String?
    var url: String?
    /// The site (`og:site_name`).
    var publisher: String?
    /// As declared (`<html lang>`), lowercased.
    var language: String?
}

/// Reads HTML: for a web page the article a reader sees, without the page's chrome
/// (`MainContent`); for an e-mail's HTML part or HTML in a JSON field, all visible text.
///
/// The text keeps the contract of every reader: each byte of it maps (`map`) to the bytes of
/// `html` it came from, and those bytes, character references decoded and tags between
/// inline elements left out, read as the text. Markup between blocks becomes "\n\n", `<br>`
/// and list items "\n", other tags a space, inline tags nothing (`Ak<b>tobe</b>` is one word).
enum HTMLExtractor {
    /// The charset the page declares: `<meta charset>`, `<meta http-equiv=Content-Type
    /// content="…charset=…">`, or an XML declaration's encoding, by HTML5's prescan of the
    /// first 1024 bytes (ASCII-compatible bytes). The label as written, or nil.
    static func declaredCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        CharsetPrescan.declared(bytes)
    }

    /// `mainContent`: true for web pages (readability), false for an e-mail's HTML part or
    /// HTML inside a JSON field (all visible text).
    static func extract(_ html: [UInt8], mainContent: Bool) -> HTMLText {
        html.withUnsafeBufferPointer { p in
            let tree = HTMLTreeBuilder.build(p)
            let selection = mainContent ? MainContent.select(tree, p) : MainContent.allVisible(tree)
            let metadata = PageMetadata(tree, p)
            let headline = HeadlineChooser(tree: tree, p: p, metadata: metadata, selection: selection).choose()
            var writer = ContentWriter(tree: tree, p: p, selection: selection)
            if mainContent, let headline, let source = headline.source {
                writer.lead(with: source, title: headline.title)
            }
            writer.writeContent()
            let (text, map) = writer.finish()
            let byline = selection.byline.flatMap { PageMetadata.personName(PlainText.of(tree, p, node: $0)) }
            return HTMLText(text: text, map: map, title: headline?.title, author: metadata.author ?? byline,
                            published: metadata.published, url: metadata.url, publisher: metadata.siteName,
                            language: metadata.language)
        }
    }
}
