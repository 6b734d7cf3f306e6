import WinnowText

/// Writes the text of the chosen content, the headline first when the content does not
/// start with it.
struct ContentWriter {
    let tree: HTMLTree
    let selection: ContentSelection
    private var emitter: HTMLTextEmitter
    /// Nodes not written with the content (the headline, moved to the first line).
    private var excluded = 0 ..< 0

    init(tree: HTMLTree, p: UnsafeBufferPointer<UInt8>, selection: ContentSelection) {
        self.tree = tree
        self.selection = selection
        self.emitter = HTMLTextEmitter(p, capacity: min(p.count, 16 + 2 * selection.chars))
    }

    /// Writes `title`'s text from `source` and a paragraph break, unless the content starts
    /// with it; a headline element inside the content is then left out of it.
    mutating func lead(with source: PageTitle.Source, title: String) {
        let start = contentPrefix(bytes: title.utf8.count * 2 + 16)
        guard !Similar.normalized(start).hasPrefix(Similar.normalized(title)) else { return }
        switch source {
        case .element(let n):
            if selection.kept[n] { excluded = n ..< Int(tree.nodes[n].end) }
            for r in runs(of: n) {
                emitter.separate(r.breakBefore == .none ? .none : .space, at: Int(r.breakStart) ..< Int(r.breakEnd))
                emitter.emit(Int(r.start) ..< Int(r.end))
            }
            let tagStart = Int(tree.nodes[n].tagStart)
            emitter.separate(.paragraph, at: tagStart ..< tagStart)
        case .bytes(let r):
            emitter.emit(r)
            emitter.separate(.paragraph, at: r.upperBound ..< r.upperBound)
        }
    }

    /// Writes every kept run of the content roots.
    mutating func writeContent() {
        write(into: &emitter, limit: Int.max)
    }

    func finish() -> (text: [UInt8], map: SourceMap) { emitter.finish() }

    private func runs(of n: Int) -> ArraySlice<TextRun> {
        tree.runs[Int(tree.nodes[n].runStart) ..< Int(tree.nodes[n].runEnd)]
    }

    /// The first `bytes` or so of the content's text.
    private func contentPrefix(bytes: Int) -> String {
        var e = HTMLTextEmitter(emitter.p)
        write(into: &e, limit: bytes)
        return String(decoding: e.finish().text.prefix(bytes), as: UTF8.self)
    }

    private func write(into e: inout HTMLTextEmitter, limit: Int) {
        for (i, root) in selection.roots.enumerated() {
            if i > 0 {
                let at = Int(tree.nodes[root].tagStart)
                e.separate(.paragraph, at: at ..< at)
            }
            var pending = TextBreak.none
            var pendingRange = 0 ..< 0
            for r in runs(of: root) {
                if r.breakBefore > pending {
                    pending = r.breakBefore
                    pendingRange = Int(r.breakStart) ..< Int(r.breakEnd)
                }
                let node = Int(r.node)
                guard selection.kept[node], !excluded.contains(node) else {
                    // Text left out still parts the words on either side.
                    if pending < .space { pending = .space; pendingRange = Int(r.start) ..< Int(r.start) }
                    continue
                }
                e.separate(pending, at: pendingRange)
                e.emit(Int(r.start) ..< Int(r.end))
                pending = .none
                if e.builder.count >= limit { return }
            }
        }
    }
}
