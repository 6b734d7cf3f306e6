/// A position in a text file that an analyst can jump to.
///
/// Lines and columns are 1-based; columns count Unicode scalars, which is libyaml's unit and
/// what editors such as Vim and VS Code accept in `path:line:col`.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// The same file and line, `count` scalars further right (for positions inside a scalar).
    public func advanced(byColumns count: Int) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column + count)
    }

    public var description: String { "\(path):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}
