/// Readability's `_prepArticle` over the chosen content: drops forms, share bars, headings
/// with chrome classes, the byline, and (with `cleanConditionally`) the tables, lists and
/// divs that look like chrome: mostly links, more images or inputs than paragraphs, little text.
///
/// Elements are judged innermost first, as Readability's backward walk does, so a link list
/// dropped inside an article's container no longer counts against the container: what an
/// element loses is handed to its parent (`lost`) before the parent is judged.
struct ContentCleaner {
    let pass: ReadabilityPass
    private var lost: [SubtreeStats]
    private var dropped: [Bool]
    private var byline: Int?

    init(pass: ReadabilityPass) {
        self.pass = pass
        self.lost = []
        self.dropped = []
    }

    /// Cleans the subtrees of `roots` and says what is kept.
    mutating func clean(_ roots: [Int]) -> ContentSelection {
        let nodes = pass.tree.nodes
        lost = [SubtreeStats](repeating: SubtreeStats(), count: nodes.count)
        dropped = [Bool](repeating: false, count: nodes.count)
        let inDataTable = dataTableMembers(roots)
        for root in roots.reversed() {
            let end = root == 0 ? nodes.count : Int(nodes[root].end)
            for n in stride(from: end - 1, through: root, by: -1) where !pass.removed[n] {
                var left = pass.stats[n]
                left.subtract(lost[n])
                if shouldDrop(n, left, isRoot: n == root, inDataTable: inDataTable[n]) {
                    dropped[n] = true
                    // The parent loses all of it: what was left, and what was dropped inside.
                    if n > 0 { lost[pass.parent(n)].add(pass.stats[n]) }
                } else if n > 0 {
                    lost[pass.parent(n)].add(lost[n])
                }
            }
        }
        var kept = [Bool](repeating: false, count: nodes.count)
        var chars = 0
        for root in roots {
            let end = root == 0 ? nodes.count : Int(nodes[root].end)
            kept[root] = !pass.removed[root] && !dropped[root]
            if kept[root] { chars += Int(pass.stats[root].chars - lost[root].chars) }
            for n in root + 1 ..< max(root + 1, end) {
                kept[n] = kept[pass.parent(n)] && !pass.removed[n] && !dropped[n]
            }
        }
        return ContentSelection(roots: roots, kept: kept, chars: chars, byline: byline)
    }

    private func dataTableMembers(_ roots: [Int]) -> [Bool] {
        let nodes = pass.tree.nodes
        var inside = [Bool](repeating: false, count: nodes.count)
        for root in roots {
            let end = root == 0 ? nodes.count : Int(nodes[root].end)
            for n in root + 1 ..< max(root + 1, end) {
                let parent = pass.parent(n)
                inside[n] = inside[parent] || (nodes[parent].tag == .table && nodes[parent].flags.contains(.dataTable))
            }
        }
        return inside
    }

    private mutating func shouldDrop(_ n: Int, _ s: SubtreeStats, isRoot: Bool, inDataTable: Bool) -> Bool {
        let node = pass.tree.nodes[n]
        if !isRoot {
            if node.tag == .form || node.tag == .fieldset { return true }
            if node.hints.contains(.share), s.chars < Int32(MainContent.charThreshold) { return true }
            if node.tag == .h1 || node.tag == .h2, pass.classWeight(n) < 0 { return true }
            if node.flags.contains(.byline), node.tag != .a, s.chars > 0, s.chars < 100 {
                byline = n
                return true
            }
            if isLeftover(n, s) { return true }
            // A lone short link in a paragraph of its own: "Read more", "See comments".
            if pass.isParagraphLike(n), s.chars < 40, s.linkDensity >= 0.9 { return true }
            // "Like us on Facebook, follow us on Twitter".
            if pass.isParagraphLike(n), node.flags.contains(.socialLink), s.chars < 100, s.linkDensity >= 0.2 { return true }
        }
        guard pass.flags.contains(.cleanConditionally), !inDataTable else { return false }
        switch node.tag {
        case .table: return !node.flags.contains(.dataTable) && isChrome(n, s)
        case .ul, .ol: return isChrome(n, s)
        case .div: return !pass.isParagraphLike(n) && !pass.isWrapper(n) && isChrome(n, s)
        default: return false
        }
    }

    /// What is left of a box whose content was dropped: the "Similar Articles" heading of a
    /// link list, a label without its widget.
    private func isLeftover(_ n: Int, _ s: SubtreeStats) -> Bool {
        let gone = lost[n].chars
        guard gone > 0, s.chars < 100, gone >= 3 * s.chars,
              !HTMLTag.traitTable[Int(pass.tag(n).rawValue)].contains(.inline) else { return false }
        return s.chars < 40 || 2 * s.headingChars >= s.chars
    }

    /// Readability's `_cleanConditionally` test for one element, on what is left of it.
    private func isChrome(_ n: Int, _ s: SubtreeStats) -> Bool {
        if s.dataTable { return false }
        let weight = pass.classWeight(n)
        if weight < 0 { return true }
        let tag = pass.tag(n)
        let isList = tag == .ul || tag == .ol || (s.chars > 0 && Float(s.listChars) / Float(s.chars) > 0.9)
        let density = s.linkDensity
        // Readability spares lists whatever their links; a list of links in an article is
        // related stories or tags, not prose.
        if isList, weight < 25, density > 0.5 { return true }
        guard s.commas < 10 else { return false }
        let paragraphs = s.paragraphs, images = s.images, items = s.listItems - 100
        let headingDensity = s.chars > 0 ? Float(s.headingChars) / Float(s.chars) : 0
        if images > 1, Float(paragraphs) / Float(images) < 0.5 { return true }
        if !isList, items > paragraphs { return true }
        if s.inputs > paragraphs / 3 { return true }
        if !isList, headingDensity < 0.9, s.chars < 25, images == 0 || images > 2, density > 0 { return true }
        if !isList, weight < 25, density > 0.2 { return true }
        if weight >= 25, density > 0.5 { return true }
        if (s.embeds == 1 && s.chars < 75) || s.embeds > 1 { return true }
        if images == 0, !s.textish { return true }
        return s.chars < 20 && isAdOrLoading(n)
    }

    /// Readability's `adWords` and `loadingWords`: a box that says only "Advertisement" or "Loading…".
    private func isAdOrLoading(_ n: Int) -> Bool {
        let text = PlainText.of(pass.tree, pass.p, node: n).lowercased()
            .trimming(".…")
        return ["ad", "advertisement", "advertising", "реклама", "loading", "загрузка", "sponsored"].contains(text)
    }
}
