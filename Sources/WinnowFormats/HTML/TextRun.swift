/// A run of text between tags, with the break that comes before it.
struct TextRun {
    var start: Int32
    var end: Int32
    var node: Int32
    /// What separates this run from the text before it, when both are read.
    var breakBefore: TextBreak
    /// The markup that made the break (a separator maps there).
    var breakStart: Int32
    var breakEnd: Int32
}

/// How two pieces of text are separated, weakest first.
enum TextBreak: UInt8, Comparable, Sendable {
    /// Inline markup only: `Ak<b>tobe</b>` is one word.
    case none
    case space
    case line
    case paragraph

    static func < (a: TextBreak, b: TextBreak) -> Bool { a.rawValue < b.rawValue }
}
