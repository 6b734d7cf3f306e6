/// Text of a piece of a page as a String: for titles, metadata and comparisons.
enum PlainText {
    /// `p[range]` with references decoded and whitespace collapsed.
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var e = HTMLTextEmitter(p, capacity: range.count)
        e.emit(range)
        return String(decoding: e.finish().text, as: UTF8.self)
    }

    /// The text of node `n`'s subtree, every run of it, block breaks as spaces.
    static func of(_ tree: HTMLTree, _ p: UnsafeBufferPointer<UInt8>, node n: Int) -> String {
        let node = tree.nodes[n]
        var e = HTMLTextEmitter(p)
        for r in tree.runs[Int(node.runStart) ..< Int(node.runEnd)] {
            e.separate(r.breakBefore == .none ? .none : .space, at: Int(r.breakStart) ..< Int(r.breakEnd))
            e.emit(Int(r.start) ..< Int(r.end))
        }
        return String(decoding: e.finish().text, as: UTF8.self)
    }
}
