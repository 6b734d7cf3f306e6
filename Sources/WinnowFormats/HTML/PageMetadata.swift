/// What a page says about itself in `<meta>` tags, `<link rel=canonical>`, `<html lang>`,
/// microdata and JSON-LD, references decoded and whitespace collapsed.
struct PageMetadata {
    /// The title for link previews (`og:title`, `twitter:title`, JSON-LD `headline` …).
    var previewTitle: String?
    /// Where `og:title`'s value is, when the preview title is it.
    var previewTitleRange: Range<Int>?
    var siteName: String?
    var author: String?
    var published: String?
    var url: String?
    var language: String?

    init(_ tree: HTMLTree, _ p: UnsafeBufferPointer<UInt8>) {
        let head = tree.head
        func meta(_ names: String...) -> (String, Range<Int>)? {
            for name in names {
                if let m = head.meta.first(where: { $0.name == name }) {
                    let value = PlainText.decode(p, m.content)
                    if !value.isEmpty { return (value, m.content) }
                }
            }
            return nil
        }
        let ld = JSONLDScanner(p, scripts: head.jsonLD)
        if let og = meta("og:title", "twitter:title") {
            previewTitle = og.0
            previewTitleRange = og.1
        } else {
            previewTitle = ld.headline ?? meta("dc.title", "parsely-title", "headline")?.0
        }
        siteName = meta("og:site_name", "application-name")?.0 ?? ld.publisher
        let metaAuthor = meta("author", "article:author", "article_author", "dc.creator", "dcterms.creator", "parsely-author",
                              "sailthru.author", "byl")?.0
        author = [metaAuthor, ld.author].compactMap { $0.flatMap(Self.personName) }.first
        published = meta("article:published_time", "og:published_time", "datepublished", "article:publicationdate")?.0
            ?? head.itemprops.first(where: { $0.name == "datepublished" }).map { PlainText.decode(p, $0.value) }
            ?? ld.published
            ?? meta("pubdate", "publishdate", "dc.date.issued", "dc.date", "dcterms.date", "parsely-pub-date",
                    "sailthru.date", "article_date_original", "date")?.0
        url = meta("og:url")?.0 ?? head.canonical.map { PlainText.decode(p, $0) }
        let lang = head.language.map { PlainText.decode(p, $0) } ?? meta("content-language", "dc.language", "language")?.0
        language = lang.map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A name as a byline gives it: "By Jane Doe" is Jane Doe; a profile URL is no name.
    static func personName(_ s: String) -> String? {
        var name = Substring(s.trimmingWhitespace)
        if name.lowercased().hasPrefix("by ") { name = name.dropFirst(3) }
        // "Jane Doe | jdoe@example.com": the name, not the address.
        if let bar = name.firstRange(of: " | ") { name = name[..<bar.lowerBound] }
        let t = String(name).trimmingWhitespace
        if t.isEmpty || t.hasPrefix("http://") || t.hasPrefix("https://") || t.hasPrefix("www.") { return nil }
        return t
    }
}
