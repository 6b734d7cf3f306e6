import WinnowText

/// Chooses a page's headline (`PageTitle`) from its preview title, `<h1>` and `<title>`, and
/// finds where the page shows it.
struct HeadlineChooser {
    let tree: HTMLTree
    let p: UnsafeBufferPointer<UInt8>
    let metadata: PageMetadata
    let selection: ContentSelection
    /// Elements a reader sees: not hidden, not furniture.
    private let visible: [Bool]

    init(tree: HTMLTree, p: UnsafeBufferPointer<UInt8>, metadata: PageMetadata, selection: ContentSelection) {
        self.tree = tree
        self.p = p
        self.metadata = metadata
        self.selection = selection
        self.visible = ReadabilityPass.removals(tree, flags: [], mainContent: true).map { !$0 }
    }

    func choose() -> PageTitle? {
        var document: (text: [UInt8], map: SourceMap)?
        if let r = tree.head.title {
            var e = HTMLTextEmitter(p, capacity: r.count)
            e.emit(r)
            let t = e.finish()
            if !t.text.isEmpty { document = t }
        }
        let heading = articleHeading()
        let preview = metadata.previewTitle.map { trimmedPreview($0) }
        let known = [preview, heading?.text].compactMap { $0 }
        let trimmed = document.map { PageTitle.trim($0.text, siteName: metadata.siteName, known: known) }
        let documentTitle = document.flatMap { d in trimmed.map { String(decoding: d.text[$0], as: UTF8.self) } }
        let title: String
        if let preview {
            title = documentTitle.flatMap { Similar.same($0, preview) ? $0 : nil } ?? preview
        } else if let heading, documentTitle.map({ $0.utf8.count > PageTitle.maxTitleBytes || related(heading.text, $0) }) ?? true {
            title = heading.text
        } else if let documentTitle {
            title = documentTitle
        } else {
            return nil
        }
        var source = headlineElement(title).map(PageTitle.Source.element)
        if source == nil, let document, let trimmed, let documentTitle, Similar.same(documentTitle, title) {
            source = .bytes(document.map.sourceRange(trimmed, text: document.text))
        }
        if source == nil, let range = metadata.previewTitleRange, let preview = metadata.previewTitle,
           Similar.same(preview, title) {
            source = .bytes(range)
        }
        return PageTitle(title: title, source: source)
    }

    /// A preview title without a site name some sites append to it.
    private func trimmedPreview(_ preview: String) -> String {
        let bytes = Array(preview.utf8)
        guard let site = metadata.siteName, PageTitle.parts(bytes).count > 1 else { return preview }
        let r = PageTitle.trim(bytes, siteName: site, known: [], fallback: false)
        return String(decoding: bytes[r], as: UTF8.self)
    }

    /// Whether two titles are the same headline, one perhaps longer.
    private func related(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count <= PageTitle.maxTitleBytes, b.utf8.count <= PageTitle.maxTitleBytes else { return false }
        let x = Similar.normalized(a), y = Similar.normalized(b)
        return !x.isEmpty && !y.isEmpty && (x.contains(y) || y.contains(x))
    }

    /// The article's `<h1>`: the first in the content, else the first a reader sees outside
    /// the page's chrome.
    private func articleHeading() -> (node: Int, text: String)? {
        let chrome = ReadabilityPass.removals(tree, flags: [.stripUnlikely, .stripChrome], mainContent: true)
        var first: Int?
        for n in 1 ..< tree.nodes.count where tree.nodes[n].tag == .h1 && !chrome[n] && tree.nodes[n].runEnd > tree.nodes[n].runStart {
            if selection.kept[n] { first = n; break }
            if first == nil { first = n }
        }
        guard let n = first else { return nil }
        let text = PlainText.of(tree, p, node: n)
        return text.isEmpty ? nil : (n, text)
    }

    /// A visible heading (or `itemprop="headline"`) that reads as `title`: in the content if
    /// one is, else the first.
    private func headlineElement(_ title: String) -> Int? {
        let length = Int32(title.count)
        let target = Similar.normalized(title)
        var found: Int?
        for n in 1 ..< tree.nodes.count where visible[n] {
            let node = tree.nodes[n]
            guard node.tag == .h1 || node.tag == .h2 || node.tag == .h3 || node.flags.contains(.headline) else { continue }
            let chars = node.ownChars + charsBelow(n)
            guard chars >= length * 4 / 5 - 3, chars <= length * 5 / 4 + 3 else { continue }
            guard Similar.normalized(PlainText.of(tree, p, node: n)) == target else { continue }
            if selection.kept[n] { return n }
            if found == nil { found = n }
        }
        return found
    }

    private func charsBelow(_ n: Int) -> Int32 {
        var total: Int32 = 0
        for k in n + 1 ..< Int(tree.nodes[n].end) { total += tree.nodes[k].ownChars }
        return total
    }
}
