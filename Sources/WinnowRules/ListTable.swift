import WinnowDiagnostics
import WinnowMatching

/// A term as written in a pack or list file, with where it was written.
public struct Term: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation

    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}

/// Every named list of every pack, for `$name` and `$pack.name` references.
public struct ListTable: Sendable {
    /// A list's terms, and their automaton keys once compiled (those of the terms that compile,
    /// in order): a rule that uses the list takes them whole instead of looking up each term.
    public struct List: Sendable {
        public var terms: [Term]
        package var keys: [[LiteralAutomaton.Key]]?
    }

    private var lists: [String: [String: List]] = [:]

    public init() {}

    package mutating func add(pack: String, name: String, terms: [Term], keys: [[LiteralAutomaton.Key]]? = nil) {
        lists[pack, default: [:]][name] = List(terms: terms, keys: keys)
    }

    public func names(in pack: String) -> [String] { lists[pack].map { Array($0.keys).sorted() } ?? [] }

    /// Resolves `$name` (in `pack`) or `$other.name`; `reference` excludes the `$`.
    public func resolve(_ reference: String, from pack: String, at location: SourceLocation) -> Result<List, Diagnostic> {
        var owner = pack
        var name = reference
        if lists[pack]?[reference] == nil, let dot = reference.firstIndex(of: ".") {
            owner = String(reference[..<dot])
            name = String(reference[reference.index(after: dot)...])
        }
        if let list = lists[owner]?[name] { return .success(list) }
        let length = reference.unicodeScalars.count + 1
        if lists[owner] == nil, owner != pack {
            return .failure(.error(.unknownList, "'$\(reference)' refers to pack '\(owner)', which does not exist",
                                   at: location, length: length))
        }
        let known = names(in: owner)
        if let guess = suggestion(for: name, among: known) {
            let fixed = owner == pack ? guess : "\(owner).\(guess)"
            return .failure(.error(.unknownList, "unknown list '$\(reference)' (did you mean '$\(fixed)'?)",
                                   at: location, length: length, fix: "$\(fixed)"))
        }
        let where_ = owner == pack ? "this pack" : "pack '\(owner)'"
        let defined = known.isEmpty ? "\(where_) defines no lists" : "\(where_) defines \(known.map { "'$\($0)'" }.joined(separator: ", "))"
        return .failure(.error(.unknownList, "unknown list '$\(reference)'; \(defined)", at: location, length: length))
    }
}
