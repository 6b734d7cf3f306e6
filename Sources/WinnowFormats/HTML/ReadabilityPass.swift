/// One pass of Readability's `_grabArticle` with a given set of flags: which elements are
/// dropped before scoring, their subtree statistics, paragraph scores, the top candidate and
/// its siblings, then the clean-up (`ContentCleaner`).
struct ReadabilityPass {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let stripUnlikely = Flags(rawValue: 1 << 0)
        static let weightClasses = Flags(rawValue: 1 << 1)
        static let cleanConditionally = Flags(rawValue: 1 << 2)
        /// Chrome words (`related`, `comment`, `newsletter`…) remove what they name; in every
        /// pass but the last, which reads the page as Readability's last pass does.
        static let stripChrome = Flags(rawValue: 1 << 3)
    }

    let tree: HTMLTree
    let p: UnsafeBufferPointer<UInt8>
    let flags: Flags
    /// By node: dropped before scoring (furniture, hidden, and with `stripUnlikely` the
    /// unlikely candidates), with everything inside.
    let removed: [Bool]
    let stats: [SubtreeStats]

    init(_ tree: HTMLTree, _ p: UnsafeBufferPointer<UInt8>, flags: Flags) {
        self.tree = tree
        self.p = p
        self.flags = flags
        self.removed = Self.removals(tree, flags: flags, mainContent: true)
        self.stats = SubtreeStats.aggregate(tree, removed: removed)
    }

    /// Nodes never read: invisible and hidden ones always; in an article, furniture and
    /// elements whose class or id says chrome, and with `stripUnlikely` those whose class, id
    /// or role says they are unlikely to be content.
    static func removals(_ tree: HTMLTree, flags: Flags, mainContent: Bool) -> [Bool] {
        let nodes = tree.nodes
        var removed = [Bool](repeating: false, count: nodes.count)
        let traits = HTMLTag.traitTable
        let strip = flags.contains(.stripUnlikely)
        for n in 1 ..< max(1, nodes.count) {
            let node = nodes[n]
            if removed[Int(node.parent)] { removed[n] = true; continue }
            let t = traits[Int(node.tag.rawValue)]
            if t.contains(.invisible) || node.flags.contains(.hidden) { removed[n] = true; continue }
            guard mainContent else { continue }
            if t.contains(.furniture) || node.flags.contains(.dialog) { removed[n] = true; continue }
            guard !node.flags.contains(.holdsArticle), node.tag != .body, node.tag != .a, node.tag != .article else { continue }
            // Chrome words (`related`, `comment`, `newsletter`…) hold in every pass but the
            // last; the looser hints only in the first, as in Readability.
            var hinted = flags.contains(.stripChrome) && node.hints.contains(.chrome)
            if strip { hinted = hinted || (node.hints.contains(.unlikely) && !node.hints.contains(.maybeContent)) }
            if (hinted && !node.flags.contains(.inTableOrCode)) || (strip && node.flags.contains(.unlikelyRole)) {
                removed[n] = true
            }
        }
        return removed
    }

    // MARK: Shapes

    func tag(_ n: Int) -> HTMLTag { tree.nodes[n].tag }
    func parent(_ n: Int) -> Int { Int(tree.nodes[n].parent) }

    /// The document, `<html>`, `<body>` and the scope searched: where climbing stops.
    func isBodyLike(_ n: Int, scope: Int) -> Bool {
        n <= 0 || n == scope || tag(n) == .html || tag(n) == .body
    }

    /// A `<p>`, or a `<div>` with no block inside, which Readability turns into a `<p>`.
    func isParagraphLike(_ n: Int) -> Bool {
        tag(n) == .p || (tag(n) == .div && !tree.nodes[n].flags.contains(.blockDescendant))
    }

    /// A `<div>` around a single `<p>` and nothing else, which Readability replaces by the `<p>`.
    func isWrapper(_ n: Int) -> Bool {
        let node = tree.nodes[n]
        return node.tag == .div && node.childCount == 1 && node.firstChildTag == .p && !node.flags.contains(.ownText)
            && stats[n].linkDensity < 0.25
    }

    func classWeight(_ n: Int) -> Float {
        flags.contains(.weightClasses) ? Float(tree.nodes[n].classWeight) : 0
    }

    // MARK: Scope

    /// An element the page marks as its article, with enough text to be one: the largest
    /// `itemprop="articleBody"` (a paragraph is enough: the page says it is the article), else
    /// the largest `<article>` (when it holds most of the articles' text), else `<main>`.
    func semanticScope() -> Int? {
        var body: (Int, Int32)?, article: (Int, Int32)?, main: (Int, Int32)?
        var articleTotal: Int32 = 0
        var outerArticle = 0
        for n in 1 ..< tree.nodes.count where !removed[n] {
            let node = tree.nodes[n]
            let chars = stats[n].chars
            if node.flags.contains(.articleBody), chars > (body?.1 ?? 0) { body = (n, chars) }
            if node.tag == .article {
                if outerArticle == 0 || !tree.isInside(n, outerArticle) {
                    articleTotal += chars
                    outerArticle = n
                }
                if chars > (article?.1 ?? 0) { article = (n, chars) }
            }
            if node.tag == .main || node.flags.contains(.mainRole), chars > (main?.1 ?? 0) { main = (n, chars) }
        }
        if let body, body.1 >= 80 { return body.0 }
        if let article, article.1 >= Int32(MainContent.charThreshold), 2 * article.1 > articleTotal { return article.0 }
        if let main, main.1 >= Int32(MainContent.charThreshold) { return main.0 }
        return nil
    }

    // MARK: The pass

    /// The content found inside `scope` (0: the whole page).
    func run(scope: Int) -> ContentSelection {
        var scores = [Float](repeating: .nan, count: tree.nodes.count)
        let candidates = scoreParagraphs(scope: scope, into: &scores)
        for c in candidates { scores[c] *= 1 - stats[c].linkDensity }
        let roots: [Int]
        if let top = topCandidate(candidates, scope: scope, scores: &scores) {
            roots = siblings(of: top, scope: scope, scores: scores)
        } else {
            roots = [scope]
        }
        var cleaner = ContentCleaner(pass: self)
        return cleaner.clean(roots)
    }

    /// Scores every paragraph of `scope` into its ancestors; returns the ancestors scored.
    private func scoreParagraphs(scope: Int, into scores: inout [Float]) -> [Int] {
        var candidates: [Int] = []
        let traits = HTMLTag.traitTable
        let end = scope == 0 ? tree.nodes.count : Int(tree.nodes[scope].end)
        var n = scope + 1
        while n < end {
            if removed[n] { n = Int(tree.nodes[n].end); continue }
            let node = tree.nodes[n]
            if (traits[Int(node.tag.rawValue)].contains(.scored) || isParagraphLike(n)) && !isWrapper(n) {
                credit(parent(n), chars: stats[n].chars, commas: stats[n].commas, scope: scope, &scores, &candidates)
            } else if node.tag == .div, node.flags.contains(.ownText), !isWrapper(n) {
                // Text loose in a div with blocks: Readability wraps it in a <p> of its own.
                credit(n, chars: node.ownChars, commas: node.ownCommas, scope: scope, &scores, &candidates)
            }
            n += 1
        }
        return candidates
    }

    private func credit(_ first: Int, chars: Int32, commas: Int32, scope: Int, _ scores: inout [Float],
                        _ candidates: inout [Int]) {
        guard chars >= 25 else { return }
        let points = 1 + Float(commas + 1) + min(Float(chars / 100), 3)
        var a = first
        var level = 0
        while level < 5, a > 0, a >= scope, tag(a) != .html {
            if isWrapper(a) { a = parent(a); continue }
            if scores[a].isNaN {
                scores[a] = Float(tag(a).contentWeight) + classWeight(a)
                candidates.append(a)
            }
            scores[a] += points / (level == 0 ? 1 : level == 1 ? 2 : Float(level * 3))
            level += 1
            if a == scope { break }
            a = parent(a)
        }
    }

    /// Readability's choice among the five best candidates: a common ancestor of close
    /// runners-up, a parent that scores higher, a parent with no other child. Nil when the
    /// best is the scope itself (or there is none): then the whole scope is read.
    private func topCandidate(_ candidates: [Int], scope: Int, scores: inout [Float]) -> Int? {
        var best: [Int] = []
        for c in candidates {
            let at = best.firstIndex { scores[c] > scores[$0] } ?? best.count
            if at < 5 { best.insert(c, at: at) }
            if best.count > 5 { best.removeLast() }
        }
        guard var top = best.first, !isBodyLike(top, scope: scope) else { return nil }
        let close = best.dropFirst().filter { scores[$0] / scores[top] >= 0.75 }
        if close.count >= 3 {
            var a = parent(top)
            while !isBodyLike(a, scope: scope) {
                if close.filter({ tree.isInside($0, a) }).count >= 3 { top = a; break }
                a = parent(a)
            }
        }
        if scores[top].isNaN { scores[top] = Float(tag(top).contentWeight) + classWeight(top) }
        var a = parent(top)
        var last = scores[top]
        let floor = last / 3
        while !isBodyLike(a, scope: scope) {
            if scores[a].isNaN { a = parent(a); continue }
            if scores[a] < floor { break }
            if scores[a] > last { top = a; break }
            last = scores[a]
            a = parent(a)
        }
        while !isBodyLike(parent(top), scope: scope), stats[parent(top)].children == 1 { top = parent(top) }
        if scores[top].isNaN { scores[top] = Float(tag(top).contentWeight) + classWeight(top) }
        return isBodyLike(top, scope: scope) ? nil : top
    }

    /// The top candidate and the siblings Readability joins to it: those scoring near it
    /// (more if they share its class), and paragraphs of prose with few links.
    private func siblings(of top: Int, scope: Int, scores: [Float]) -> [Int] {
        let threshold = max(10, scores[top] * 0.2)
        let topNode = tree.nodes[top]
        var roots: [Int] = []
        for s in tree.children(of: parent(top)) where !removed[s] {
            if s == top { roots.append(s); continue }
            var bonus: Float = 0
            if topNode.classLength > 0, sameClass(s, top) { bonus = scores[top] * 0.2 }
            if !scores[s].isNaN, scores[s] + bonus >= threshold {
                roots.append(s)
            } else if isParagraphLike(s) {
                let length = stats[s].chars
                let density = stats[s].linkDensity
                if length > 80 && density < 0.25 {
                    roots.append(s)
                } else if length < 80 && length > 0 && density == 0 && endsASentence(s) {
                    roots.append(s)
                }
            }
        }
        return roots
    }

    private func sameClass(_ a: Int, _ b: Int) -> Bool {
        let x = tree.nodes[a], y = tree.nodes[b]
        guard x.classLength == y.classLength else { return false }
        for k in 0 ..< Int(x.classLength) where p[Int(x.classStart) + k] != p[Int(y.classStart) + k] { return false }
        return true
    }

    /// Readability's `/\.( |$)/`: the text has a full stop before a space or at its end.
    private func endsASentence(_ n: Int) -> Bool {
        let node = tree.nodes[n]
        for r in tree.runs[Int(node.runStart) ..< Int(node.runEnd)] {
            var k = Int(r.start)
            while k < Int(r.end) {
                if p[k] == UInt8(ascii: "."), k + 1 == Int(r.end) || HTMLTokenizer.isSpace(p[k + 1]) { return true }
                k += 1
            }
        }
        return false
    }
}
