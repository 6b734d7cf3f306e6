/// A page read into elements and text runs, in document order, with what the main-content
/// extraction needs to know of each: a flat table instead of a DOM, so a subtree is a range
/// of node indices and a range of runs.
struct HTMLTree {
    /// Node 0 is the document; every other node's parent comes before it.
    var nodes: [HTMLNode]
    var runs: [TextRun]
    var head: HeadFacts
    /// Characters of text in the page, hidden or not (Readability's count).
    var textChars: Int

    func children(of n: Int) -> ChildSequence { ChildSequence(nodes: nodes, parent: n) }

    /// Whether node `n` is `ancestor` or inside it.
    func isInside(_ n: Int, _ ancestor: Int) -> Bool {
        n >= ancestor && n < Int(nodes[ancestor].end)
    }

    struct ChildSequence: Sequence, IteratorProtocol {
        let nodes: [HTMLNode]
        var k: Int
        let end: Int

        init(nodes: [HTMLNode], parent: Int) {
            self.nodes = nodes
            self.k = parent + 1
            self.end = Int(nodes[parent].end)
        }

        mutating func next() -> Int? {
            guard k < end else { return nil }
            defer { k = Int(nodes[k].end) }
            return k
        }
    }
}
