/// What main-content extraction keeps of a page.
struct ContentSelection {
    /// Elements whose text is read, in document order.
    var roots: [Int]
    /// By node: whether text directly in it is read.
    var kept: [Bool]
    /// Characters kept (Readability's count, whitespace collapsed).
    var chars: Int
    /// The byline element taken out of the content, if any.
    var byline: Int?
}
