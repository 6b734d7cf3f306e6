/// One element of the page.
struct HTMLNode {
    var tag: HTMLTag
    var flags: NodeFlags = []
    /// What the element's `class` and `id` say.
    var hints: ClassHints = []
    /// Readability's class weight: ±25 for `class`, ±25 for `id`.
    var classWeight: Int8 = 0
    var parent: Int32
    /// One past the last node of the subtree.
    var end: Int32 = 0
    /// The text runs of the subtree: `runStart ..< runEnd`.
    var runStart: Int32
    var runEnd: Int32 = 0
    /// Where the start tag is in the page.
    var tagStart: Int32
    /// The `class` value, for Readability's bonus to siblings that share the top candidate's.
    var classStart: Int32 = 0
    var classLength: Int32 = 0
    /// Text directly in this element (not in child elements): characters with whitespace
    /// collapsed, and commas.
    var ownChars: Int32 = 0
    var ownCommas: Int32 = 0
    /// Element children, void ones (`<img>`, `<br>`) included.
    var childCount: Int32 = 0
    var firstChildTag: HTMLTag = .unknown
    /// Void children that count in Readability's checks.
    var images: Int32 = 0
    var inputs: Int32 = 0
    var embeds: Int32 = 0
}

/// What the start tag and the subtree say of an element.
struct NodeFlags: OptionSet, Sendable {
    let rawValue: UInt32
    /// `hidden`, `aria-hidden="true"`, `display:none`, `visibility:hidden`, a screen-reader-only class.
    static let hidden = NodeFlags(rawValue: 1 << 0)
    /// A modal dialog (`aria-modal="true"` with `role="dialog"`): a cookie or sign-up box.
    static let dialog = NodeFlags(rawValue: 1 << 1)
    /// A role that is never article (`navigation`, `menu`, `complementary`, `banner`…).
    static let unlikelyRole = NodeFlags(rawValue: 1 << 2)
    /// `role="main"`.
    static let mainRole = NodeFlags(rawValue: 1 << 3)
    /// `itemprop="articleBody"`.
    static let articleBody = NodeFlags(rawValue: 1 << 4)
    /// `itemprop="headline"`.
    static let headline = NodeFlags(rawValue: 1 << 5)
    /// A byline: `rel="author"`, `itemprop="author"`, or a byline class.
    static let byline = NodeFlags(rawValue: 1 << 6)
    /// A link to a place on the same page (`href="#…"`): counts less in link density.
    static let hashLink = NodeFlags(rawValue: 1 << 7)
    /// Inside a `<table>` or `<code>`: class hints do not remove it (Readability).
    static let inTableOrCode = NodeFlags(rawValue: 1 << 8)
    /// Has text of its own, outside child elements.
    static let ownText = NodeFlags(rawValue: 1 << 9)
    /// Has a descendant that is a block (Readability's `_hasChildBlockElement`).
    static let blockDescendant = NodeFlags(rawValue: 1 << 10)
    /// A table with headers or a caption: data, kept whatever its link density.
    static let dataTable = NodeFlags(rawValue: 1 << 11)
    /// Inside `<svg>` or `<math>`.
    static let foreign = NodeFlags(rawValue: 1 << 12)
    /// Has a `<th>`, `<caption>` or `<thead>` (makes its table a data table).
    static let tableHeader = NodeFlags(rawValue: 1 << 13)
    /// Is or holds the page's own mark of its article (`itemprop="articleBody"`, `<main>`,
    /// `role="main"`): class hints never remove it.
    static let holdsArticle = NodeFlags(rawValue: 1 << 14)
    /// Is or holds a link to a social network's page (`facebook.com`, `t.me`, `vk.com`…).
    static let socialLink = NodeFlags(rawValue: 1 << 15)
}
