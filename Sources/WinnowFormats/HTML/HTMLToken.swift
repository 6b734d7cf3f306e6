/// A piece of an HTML page: text, or a tag. Offsets are bytes of the page.
enum HTMLToken: Equatable {
    /// Text between tags, character references not yet decoded.
    case text(Range<Int>)
    /// `name` is a key of the lowercased name (`HTMLTokenizer.nameKey`), so unknown elements
    /// still find their end tags. Attributes are in `HTMLTokenizer.attributes`.
    case startTag(HTMLTag, name: UInt64, range: Range<Int>, selfClosing: Bool)
    case endTag(HTMLTag, name: UInt64, range: Range<Int>)
}

/// One attribute of the last start tag: its name (a key, see `AttributeName`) and where its value is.
struct HTMLAttribute: Equatable {
    var key: UInt64
    /// Bytes of the value in the page, without quotes; empty when the attribute has none.
    var value: Range<Int>
}
