/// Builds an `HTMLTree` from tokens with the parts of HTML5's tree construction that change
/// which text belongs to which element: void elements, implied end tags (`<p>` before a block,
/// `<li>`, `<td>`, `<tr>`), end tags that close what is open inside them, an unclosed `<head>`.
///
/// Misnested inline tags are not re-opened (HTML's adoption agency); they only move a few
/// words between inline elements, which scoring does not look at. Each element is opened
/// once and closed once and each end tag looks down the stack only when its element is open,
/// so building is linear in the page.
struct HTMLTreeBuilder {
    static let maxDepth = 512

    private var tokenizer: HTMLTokenizer
    private let p: UnsafeBufferPointer<UInt8>
    private var nodes: [HTMLNode] = []
    private var runs: [TextRun] = []
    private var head = HeadFacts()
    /// Open elements, innermost last; `stack[0]` is the document.
    private var stack: [Int32] = [0]
    private var openCount = [Int32](repeating: 0, count: HTMLTag.allCases.count)
    private var openUnknown: [UInt64: Int32] = [:]
    private var unknownNames: [UInt64] = [0]
    private var textChars = 0
    private var pendingBreak = TextBreak.none
    private var breakRange = 0 ..< 0
    private let traits = HTMLTag.traitTable

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.tokenizer = HTMLTokenizer(p)
        nodes.reserveCapacity(p.count / 64)
        runs.reserveCapacity(p.count / 128)
        nodes.append(HTMLNode(tag: .unknown, parent: -1, runStart: 0, tagStart: 0))
    }

    static func build(_ p: UnsafeBufferPointer<UInt8>) -> HTMLTree {
        var b = HTMLTreeBuilder(p)
        return b.run()
    }

    private mutating func run() -> HTMLTree {
        while let token = tokenizer.next() {
            switch token {
            case .text(let r): text(r)
            case .startTag(let tag, let name, let r, let selfClosing): startTag(tag, name, r, selfClosing)
            case .endTag(let tag, let name, let r): endTag(tag, name, r)
            }
        }
        while stack.count > 1 { pop() }
        close(0)
        return HTMLTree(nodes: nodes, runs: runs, head: head, textChars: textChars)
    }

    private var top: Int { Int(stack[stack.count - 1]) }

    // MARK: Text

    private mutating func text(_ r: Range<Int>) {
        let stats = TextStats.scan(p, r)
        guard stats.chars > 0 else {
            addBreak(.space, r)
            return
        }
        if nodes[top].tag == .head { pop() }  // text ends an unclosed <head>
        let n = top
        nodes[n].ownChars += stats.chars
        textChars += Int(stats.chars)
        nodes[n].ownCommas += stats.commas
        nodes[n].flags.insert(.ownText)
        runs.append(TextRun(start: Int32(r.lowerBound), end: Int32(r.upperBound), node: Int32(n),
                            breakBefore: pendingBreak, breakStart: Int32(breakRange.lowerBound),
                            breakEnd: Int32(breakRange.upperBound)))
        pendingBreak = .none
    }

    private mutating func addBreak(_ b: TextBreak, _ r: Range<Int>) {
        if b > pendingBreak {
            pendingBreak = b
            breakRange = r
        }
    }

    private func breakOf(_ tag: HTMLTag) -> TextBreak {
        let t = traits[Int(tag.rawValue)]
        if t.contains(.paragraph) { return .paragraph }
        if t.contains(.line) { return .line }
        if t.contains(.inline) || tag == .script || tag == .style || tag == .template { return .none }
        return .space
    }

    // MARK: Start tags

    private mutating func startTag(_ tag: HTMLTag, _ name: UInt64, _ r: Range<Int>, _ selfClosing: Bool) {
        let t = traits[Int(tag.rawValue)]
        let foreign = nodes[top].flags.contains(.foreign) || nodes[top].tag == .svg || nodes[top].tag == .math
        if nodes[top].tag == .head, !Self.headContent(tag) { pop() }
        if tag == .html || tag == .body {
            if tag == .html { readHTMLAttributes() }
            if openCount[Int(tag.rawValue)] > 0 { return }
        }
        addBreak(breakOf(tag), r)
        if t.contains(.void) {
            void(tag, r)
            return
        }
        if t.contains(.rawText), !(foreign && tag == .title) {
            // Titles and text areas left open are ignored; other raw text runs to the end.
            let needsEnd = tag == .title || tag == .textarea
            guard let content = tokenizer.rawText(closing: tag, needsEnd: needsEnd) else { return }
            if !foreign { closeImplied(tag) }
            if let n = open(tag, name, r) { closeRaw(n) }
            rawText(tag, content)
            addBreak(breakOf(tag), content.upperBound ..< tokenizer.position)
            return
        }
        if !foreign { closeImplied(tag) }
        let n = open(tag, name, r)
        if selfClosing && foreign, n != nil { pop() }
    }

    /// Elements that may stay in `<head>`; any other start tag ends an unclosed head.
    private static func headContent(_ tag: HTMLTag) -> Bool {
        switch tag {
        case .meta, .link, .title, .script, .style, .base, .noscript, .template: true
        default: false
        }
    }

    private mutating func void(_ tag: HTMLTag, _ r: Range<Int>) {
        let n = top
        nodes[n].childCount += 1
        if nodes[n].childCount == 1 { nodes[n].firstChildTag = tag }
        switch tag {
        case .img: nodes[n].images += 1
        case .input: nodes[n].inputs += 1
        case .embed: nodes[n].embeds += 1
        case .meta: readMeta()
        case .link: readLink()
        default: break
        }
        if traits[Int(tag.rawValue)].contains(.blockChild) { markBlockDescendant(n) }
    }

    /// Opens an element: a node, pushed unless the page is nested past `maxDepth` (then its
    /// text belongs to the deepest element).
    private mutating func open(_ tag: HTMLTag, _ name: UInt64, _ r: Range<Int>) -> Int? {
        guard stack.count < Self.maxDepth else { return nil }
        let parent = top
        var node = HTMLNode(tag: tag, parent: Int32(parent), runStart: Int32(runs.count), tagStart: Int32(r.lowerBound))
        let parentNode = nodes[parent]
        if parentNode.flags.contains(.inTableOrCode) || parentNode.tag == .table || parentNode.tag == .code {
            node.flags.insert(.inTableOrCode)
        }
        if parentNode.flags.contains(.foreign) || parentNode.tag == .svg || parentNode.tag == .math {
            node.flags.insert(.foreign)
        }
        ElementAttributes.read(tokenizer.attributes, p, into: &node, head: &head)
        nodes[parent].childCount += 1
        if nodes[parent].childCount == 1 { nodes[parent].firstChildTag = tag }
        let n = nodes.count
        nodes.append(node)
        stack.append(Int32(n))
        if tag == .unknown {
            openUnknown[name, default: 0] += 1
            unknownNames.append(name)
        } else {
            openCount[Int(tag.rawValue)] += 1
        }
        return n
    }

    private mutating func rawText(_ tag: HTMLTag, _ content: Range<Int>) {
        switch tag {
        case .title where head.title == nil: head.title = content
        case .script:
            if let type = ElementAttributes.value(AttributeName.type, tokenizer.attributes),
               ElementAttributes.equals(p, type, "application/ld+json") {
                head.jsonLD.append(content)
            }
        default: break
        }
    }

    private mutating func closeRaw(_ n: Int) {
        if top == n { pop() }
    }

    // MARK: End tags

    private mutating func endTag(_ tag: HTMLTag, _ name: UInt64, _ r: Range<Int>) {
        switch tag {
        case .br:
            addBreak(.line, r)  // HTML5 reads </br> as <br>
            return
        case .body, .html:
            return  // text after </body> is still the body's
        default: break
        }
        addBreak(breakOf(tag), r)
        if tag == .unknown {
            guard openUnknown[name, default: 0] > 0 else { return }
            while stack.count > 1 {
                let done = nodes[top].tag == .unknown && unknownNames[unknownNames.count - 1] == name
                pop()
                if done { return }
            }
        } else {
            guard openCount[Int(tag.rawValue)] > 0 else { return }
            while stack.count > 1 {
                let done = nodes[top].tag == tag
                pop()
                if done { return }
            }
        }
    }

    /// End tags HTML implies before a start tag: a `<p>` before a block, an `<li>` before
    /// the next, a cell before a cell, an `<a>` before an `<a>`.
    private mutating func closeImplied(_ tag: HTMLTag) {
        let t = traits[Int(tag.rawValue)]
        // Counters first: most start tags close nothing, and need not look at the rules.
        if t.contains(.closesP), isOpen(.p) { closeOpen(ImpliedClose.p) }
        switch tag {
        case .li: if isOpen(.li) { closeOpen(ImpliedClose.li) }
        case .dd, .dt: if isOpen(.dd) || isOpen(.dt) { closeOpen(ImpliedClose.definition) }
        case .td, .th: if isOpen(.td) || isOpen(.th) { closeOpen(ImpliedClose.cell) }
        case .tr: if isOpen(.tr) { closeOpen(ImpliedClose.row) }
        case .tbody, .thead, .tfoot: closeOpen(ImpliedClose.section)
        case .option: if isOpen(.option) { closeOpen(ImpliedClose.option) }
        case .a: if isOpen(.a) { closeOpen(ImpliedClose.a) }
        case .h1, .h2, .h3, .h4, .h5, .h6:
            if traits[Int(nodes[top].tag.rawValue)].contains(.heading) { pop() }
        default: break
        }
    }

    @inline(__always) private func isOpen(_ tag: HTMLTag) -> Bool { openCount[Int(tag.rawValue)] > 0 }

    /// Closes the nearest open element among `rule.targets`, looking at most 16 elements down
    /// and never past one of `rule.barriers`.
    private mutating func closeOpen(_ rule: ImpliedClose) {
        guard rule.list.contains(where: { openCount[Int($0.rawValue)] > 0 }) else { return }
        var k = stack.count - 1
        while k > 0, stack.count - k <= 16 {
            let tag = nodes[Int(stack[k])].tag
            if rule.targets.contains(tag) {
                while stack.count > k { pop() }
                return
            }
            if rule.barriers.contains(tag) { return }
            k -= 1
        }
    }

    private mutating func pop() {
        let n = top
        stack.removeLast()
        let tag = nodes[n].tag
        if tag == .unknown {
            let name = unknownNames.removeLast()
            openUnknown[name, default: 1] -= 1
        } else {
            openCount[Int(tag.rawValue)] -= 1
        }
        close(n)
        // The break is where the element ends (the token that closes it), not where it began:
        // text after it must not map back before text inside it.
        addBreak(breakOf(tag), tokenizer.position ..< tokenizer.position)
    }

    /// Ends node `n`'s subtree and hands what it learnt up to its parent.
    private mutating func close(_ n: Int) {
        nodes[n].end = Int32(nodes.count)
        nodes[n].runEnd = Int32(runs.count)
        let parent = Int(nodes[n].parent)
        guard parent >= 0 else { return }
        let t = traits[Int(nodes[n].tag.rawValue)]
        if t.contains(.blockChild) || nodes[n].flags.contains(.blockDescendant) { markBlockDescendant(parent) }
        let tag = nodes[n].tag
        if tag == .th || tag == .caption || tag == .thead || nodes[n].flags.contains(.tableHeader) {
            if tag != .table { nodes[parent].flags.insert(.tableHeader) }
        }
        if tag == .table, nodes[n].flags.contains(.tableHeader) { nodes[n].flags.insert(.dataTable) }
        if tag == .main || nodes[n].flags.contains(.articleBody) || nodes[n].flags.contains(.mainRole) {
            nodes[n].flags.insert(.holdsArticle)
        }
        if nodes[n].flags.contains(.holdsArticle) { nodes[parent].flags.insert(.holdsArticle) }
        if nodes[n].flags.contains(.socialLink) { nodes[parent].flags.insert(.socialLink) }
    }

    private mutating func markBlockDescendant(_ n: Int) {
        nodes[n].flags.insert(.blockDescendant)
    }

    // MARK: Metadata

    private mutating func readHTMLAttributes() {
        if head.language == nil, let lang = ElementAttributes.value(AttributeName.lang, tokenizer.attributes), !lang.isEmpty {
            head.language = lang
        }
    }

    private mutating func readMeta() {
        let attributes = tokenizer.attributes
        guard let content = ElementAttributes.value(AttributeName.content, attributes) else { return }
        let key = ElementAttributes.value(AttributeName.property, attributes)
            ?? ElementAttributes.value(AttributeName.name, attributes)
            ?? ElementAttributes.value(AttributeName.httpEquiv, attributes)
            ?? ElementAttributes.value(AttributeName.itemprop, attributes)
        guard let key, key.count <= 40 else { return }
        let name = ElementAttributes.lowercased(p, key)
        if MetaName.wanted.contains(name) { head.meta.append((name, content)) }
    }

    private mutating func readLink() {
        let attributes = tokenizer.attributes
        guard head.canonical == nil, let rel = ElementAttributes.value(AttributeName.rel, attributes),
              ElementAttributes.equals(p, rel, "canonical"),
              let href = ElementAttributes.value(AttributeName.href, attributes), !href.isEmpty else { return }
        head.canonical = href
    }
}
