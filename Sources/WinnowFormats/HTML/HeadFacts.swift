/// What the page's `<head>` (and a few places in its body) say about it, as found.
struct HeadFacts {
    /// The first `<title>`'s text, references not yet decoded.
    var title: Range<Int>?
    /// `<meta name|property=… content=…>` for the names `MetaName` lists: name lowercased,
    /// content's bytes.
    var meta: [(name: String, content: Range<Int>)] = []
    var canonical: Range<Int>?
    var language: Range<Int>?
    /// `<script type="application/ld+json">` contents.
    var jsonLD: [Range<Int>] = []
    /// `itemprop` values found on elements (`datePublished` on a `<time datetime>`, `author`).
    var itemprops: [(name: String, value: Range<Int>)] = []
}
