/// The `<meta>` names and properties the reader takes metadata from (lowercased).
enum MetaName {
    static let wanted: Set<String> = [
        "og:title", "twitter:title", "og:site_name", "application-name", "og:url", "og:locale",
        "author", "article:author", "article_author", "byl", "sailthru.author", "parsely-author", "dc.creator", "dcterms.creator",
        "article:published_time", "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued",
        "dcterms.date", "parsely-pub-date", "sailthru.date", "og:published_time", "article:publicationdate",
        "article_date_original",
        "content-language", "dc.language", "language", "dc.title", "parsely-title", "headline",
    ]
}
