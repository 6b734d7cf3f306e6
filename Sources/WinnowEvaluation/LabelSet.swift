/// An analyst's labels for a set of documents, as the corpus's `labels.tsv` writes them.
///
/// One row per document, or per record of a feed (`FILE#N`). Columns are found by their names
/// in the header line; columns other than these are ignored.
public struct LabelSet: Sendable {
    public struct Row: Sendable {
        /// `name` or `name#N`, as `winnow eval` names a document.
        public var key: String
        public var format: String
        public var language: String
        /// Each topic decision: `+extremism` is (topic, true), `-criminality` (topic, false).
        public var topics: [(topic: String, about: Bool)]
        /// ISO 3166-1 alpha-2 codes of the countries the document is about.
        public var countries: Set<String>
        /// The title a person sees; nil when the labels give none.
        public var title: String?
        /// 1-based line in the labels file, for messages.
        public var line: Int
    }

    public var rows: [Row]

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    static let required = ["file", "topics", "places"]

    /// Parses TSV text; every problem is an error naming its line.
    public init(tsv text: String, path: String) throws(ParseError) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw ParseError(description: "\(path): empty; expected a header line (file, format, lang, topics, places, expected_title)")
        }
        for column in Self.required where !header.contains(column) {
            throw ParseError(description: "\(path):1: no '\(column)' column; the header has \(header.joined(separator: ", "))")
        }
        func index(_ name: String) -> Int? { header.firstIndex(of: name) }
        var rows: [Row] = []
        for (k, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func cell(_ name: String) -> String { index(name).flatMap { $0 < cells.count ? cells[$0] : nil } ?? "" }
            var topics: [(String, Bool)] = []
            for item in cell("topics").split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let sign = item.first, sign == "+" || sign == "-", item.count > 1 else {
                    throw ParseError(description: "\(path):\(k + 1): topic '\(item)' needs a + (about it) or - (not about it)")
                }
                topics.append((String(item.dropFirst()), sign == "+"))
            }
            let countries = Set(cell("places").split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.uppercased() })
            let title = cell("expected_title").trimmingSpaces
            rows.append(Row(key: cell("file"), format: cell("format"), language: cell("lang"), topics: topics,
                            countries: countries, title: title.isEmpty ? nil : title, line: k + 1))
        }
        self.rows = rows
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
