/// The article of a web page, not its chrome: Mozilla Readability's `_grabArticle` over an
/// `HTMLTree` (docs/design.md §Main content).
///
/// Furniture (`<nav>`, `<aside>`, `<footer>`, controls, captions) and hidden elements are never
/// read. Then, as Readability does: unlikely elements (class or id hints such as `menu`,
/// `related`, `comment`, `share`, `cookie`, unless also `article`, `content`, `main`…) are
/// dropped; paragraphs are scored (1 + commas + one point a hundred characters, up to 3) and
/// give their score to their parent, half to the grandparent, a third of the level to older
/// ancestors; candidates are weighted by tag and class and scaled by link density; the best
/// one, with the siblings that score near it, is the content, cleaned of link lists, forms and
/// share bars. When that keeps under 500 characters, the pass is run again without the class
/// hints, then without class weights, then without cleaning (and without the chrome words),
/// as Readability does.
///
/// Differences from Readability, each for triage: an `itemprop="articleBody"`, `<article>` or
/// `<main>` with enough text is searched first; a short article found with the chrome stripped
/// is kept rather than a longer text that brings the chrome back; lists that are mostly links
/// are dropped from the content (Readability keeps every list).
enum MainContent {
    /// Readability's DEFAULT_CHAR_THRESHOLD: less than this and the pass is run again, looser.
    static let charThreshold = 500

    /// The content of `tree`'s page, by the passes above.
    static func select(_ tree: HTMLTree, _ p: UnsafeBufferPointer<UInt8>) -> ContentSelection {
        // A page with less text than an article has is read whole (all but its furniture).
        if tree.textChars < charThreshold { return shortPage(tree) }
        var flags: ReadabilityPass.Flags = [.stripUnlikely, .stripChrome, .weightClasses, .cleanConditionally]
        let first = ReadabilityPass(tree, p, flags: flags)
        if let scope = first.semanticScope() {
            let s = first.run(scope: scope)
            let scopeChars = Int(first.stats[scope].chars)
            let marked = tree.nodes[scope].flags.contains(.articleBody)
            if s.chars >= charThreshold || (s.chars >= (marked ? 1 : 140) && 2 * s.chars >= scopeChars) { return s }
        }
        var attempts = [first.run(scope: 0)]
        if attempts[0].chars >= charThreshold { return attempts[0] }
        for loosen in [ReadabilityPass.Flags.stripUnlikely, .weightClasses, [.cleanConditionally, .stripChrome]] {
            // A short article found with the chrome stripped beats a longer text that brings
            // the chrome (comments, related boxes) back in the last pass.
            if loosen.contains(.stripChrome), attempts[0].chars >= 100, attempts[0].roots != [0] { return attempts[0] }
            flags.remove(loosen)
            let a = ReadabilityPass(tree, p, flags: flags).run(scope: 0)
            if a.chars >= charThreshold { return a }
            attempts.append(a)
        }
        let longest = attempts.max { $0.chars < $1.chars }!
        return longest.chars > 0 ? longest : allVisible(tree)
    }

    /// A short page or a fragment: all but furniture and chrome, or all if that leaves nothing.
    static func shortPage(_ tree: HTMLTree) -> ContentSelection {
        let removed = ReadabilityPass.removals(tree, flags: [.stripUnlikely, .stripChrome], mainContent: true)
        let short = selection(tree, kept: removed.map { !$0 })
        return short.chars > 0 ? short : allVisible(tree)
    }

    /// Every visible element's text (an e-mail's HTML part, HTML inside a JSON field, a page
    /// with nothing that reads as an article).
    static func allVisible(_ tree: HTMLTree) -> ContentSelection {
        let removed = ReadabilityPass.removals(tree, flags: [], mainContent: false)
        let visible = selection(tree, kept: removed.map { !$0 })
        return visible.chars > 0 || tree.textChars == 0 ? visible : allText(tree)
    }

    /// Text in elements that are never shown (scripts, `<head>`, `<template>`) left out,
    /// hidden or not: a page saved with everything hidden behind a dialog still has its text.
    static func allText(_ tree: HTMLTree) -> ContentSelection {
        let traits = HTMLTag.traitTable
        var kept = [Bool](repeating: true, count: tree.nodes.count)
        for n in 1 ..< max(1, tree.nodes.count) {
            kept[n] = kept[Int(tree.nodes[n].parent)] && !traits[Int(tree.nodes[n].tag.rawValue)].contains(.invisible)
        }
        return selection(tree, kept: kept)
    }

    private static func selection(_ tree: HTMLTree, kept: [Bool]) -> ContentSelection {
        let chars = zip(tree.nodes, kept).reduce(0) { $0 + ($1.1 ? Int($1.0.ownChars) : 0) }
        return ContentSelection(roots: [0], kept: kept, chars: chars)
    }
}
