/// What Readability measures of an element's subtree, counted once for every element in one
/// backward pass over the tree (children come after their parent, so each child is finished
/// before it is added to its parent).
struct SubtreeStats {
    var chars: Int32 = 0
    var commas: Int32 = 0
    /// Characters inside links, those to `#…` counted at 0.3 (Readability's link density).
    var linkChars: Float = 0
    var paragraphs: Int32 = 0
    var images: Int32 = 0
    var listItems: Int32 = 0
    var inputs: Int32 = 0
    var embeds: Int32 = 0
    /// Characters inside headings, for Readability's heading density.
    var headingChars: Int32 = 0
    /// Characters inside lists.
    var listChars: Int32 = 0
    /// Element children still in the page.
    var children: Int32 = 0
    /// Whether a text-bearing element (`p`, `li`, `td`, `span`, `div`…) with text is inside.
    var textish = false
    var dataTable = false

    var linkDensity: Float { chars > 0 ? linkChars / Float(chars) : 0 }

    mutating func add(_ s: SubtreeStats) {
        chars += s.chars
        commas += s.commas
        linkChars += s.linkChars
        paragraphs += s.paragraphs
        images += s.images
        listItems += s.listItems
        inputs += s.inputs
        embeds += s.embeds
        headingChars += s.headingChars
        listChars += s.listChars
        textish = textish || s.textish
        dataTable = dataTable || s.dataTable
    }

    mutating func subtract(_ s: SubtreeStats) {
        chars -= s.chars
        commas -= s.commas
        linkChars -= s.linkChars
        paragraphs -= s.paragraphs
        images -= s.images
        listItems -= s.listItems
        inputs -= s.inputs
        embeds -= s.embeds
        headingChars -= s.headingChars
        listChars -= s.listChars
    }

    /// Totals of every subtree of `tree`, counting only nodes not in `removed`.
    static func aggregate(_ tree: HTMLTree, removed: [Bool]) -> [SubtreeStats] {
        let nodes = tree.nodes
        var out = [SubtreeStats](repeating: SubtreeStats(), count: nodes.count)
        let traits = HTMLTag.traitTable
        for n in stride(from: nodes.count - 1, through: 0, by: -1) where !removed[n] {
            let node = nodes[n]
            var s = out[n]
            s.chars += node.ownChars
            s.commas += node.ownCommas
            s.images += node.images
            s.inputs += node.inputs
            s.embeds += node.embeds
            let t = traits[Int(node.tag.rawValue)]
            if node.tag == .a { s.linkChars = Float(s.chars) * (node.flags.contains(.hashLink) ? 0.3 : 1) }
            if node.flags.contains(.ownText), node.tag == .div { s.textish = true }
            if node.flags.contains(.dataTable) { s.dataTable = true }
            out[n] = s
            guard n > 0 else { break }
            let parent = Int(node.parent)
            var up = s
            if node.tag == .p { up.paragraphs += 1 }
            if node.tag == .li { up.listItems += 1 }
            if t.contains(.embed) { up.embeds += 1 }
            if t.contains(.heading) { up.headingChars = s.chars }
            if node.tag == .ul || node.tag == .ol { up.listChars = s.chars }
            if t.contains(.textish), s.chars > 0 { up.textish = true }
            out[parent].add(up)
            out[parent].children += 1
        }
        return out
    }
}
