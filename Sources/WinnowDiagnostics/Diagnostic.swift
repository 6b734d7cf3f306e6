/// How serious a diagnostic is. Only errors make `winnow check` fail.
public enum Severity: String, Sendable, Comparable {
    case note, warning, error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One problem found in a rule pack, the configuration, or a document.
///
/// A diagnostic is a value: renderers (`TextRenderer`, `JSONRenderer`) decide how it looks.
/// `location` is nil only for problems that belong to no file (a missing folder, say).
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// A secondary position that explains the main one ("first defined here").
    public struct Note: Sendable, Hashable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation?
    /// How many scalars from `location` the caret line underlines (at least one).
    public var length: Int
    public var notes: [Note]
    /// A replacement the analyst can apply, when one is certain enough to offer.
    public var fix: String?

    public init(
        _ severity: Severity, _ code: DiagnosticCode, _ message: String,
        at location: SourceLocation? = nil, length: Int = 1,
        notes: [Note] = [], fix: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.length = max(1, length)
        self.notes = notes
        self.fix = fix
    }

    public static func error(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil,
        length: Int = 1, notes: [Note] = [], fix: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, length: length, notes: notes, fix: fix)
    }

    public static func warning(
        _ code: DiagnosticCode, _ message: String, at location: SourceLocation? = nil,
        length: Int = 1, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, length: length, notes: notes)
    }

    /// The first line in gcc's form, `path:line:col: severity: message [code]`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(oneLine(message)) [\(code.id)]"
    }
}

/// `text` on one line: a message quoting a multi-line YAML value (a block scalar, a condition
/// over several lines) would otherwise start lines that tools cannot tell from diagnostics.
public func oneLine(_ text: String) -> String { escapingControls(text, backslash: false) }

/// Control characters, line and paragraph separators and bidi overrides become visible escapes
/// (`\n`, `\u{202e}`), so text from a file can neither start a line nor reorder one. With
/// `backslash`, `\` doubles too, so escaped and literal text cannot be confused (logs).
public func escapingControls(_ text: String, backslash: Bool) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar.value {
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x5C where backslash: out += "\\\\"
        case 0..<0x20, 0x7F, 0x80..<0xA0, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

/// An ordered collection of diagnostics that passes can append to.
///
/// Loaders collect every problem in every file before giving up, so one broken pack never hides
/// another.
public struct Diagnostics: Sendable, Sequence {
    public private(set) var items: [Diagnostic] = []
    /// How many items are errors, kept as they are appended: decoders compare it before and
    /// after each rule and matcher, and filtering `errors` there cost O(diagnostics) each time,
    /// quadratic in a pack with thousands of errors.
    public private(set) var errorCount = 0

    public init(_ items: [Diagnostic] = []) {
        self.items = items
        errorCount = items.count { $0.severity == .error }
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        items.append(diagnostic)
        if diagnostic.severity == .error { errorCount += 1 }
    }
    public mutating func append(contentsOf other: Diagnostics) {
        items += other.items
        errorCount += other.errorCount
    }
    public mutating func append(contentsOf other: [Diagnostic]) {
        items += other
        errorCount += other.count { $0.severity == .error }
    }

    public var hasErrors: Bool { errorCount > 0 }
    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var isEmpty: Bool { items.isEmpty }
    public var count: Int { items.count }

    /// Diagnostics in file order, so output reads top to bottom like a compiler's.
    public var sorted: [Diagnostic] {
        items.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return true
            case (_?, nil): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    public func makeIterator() -> IndexingIterator<[Diagnostic]> { items.makeIterator() }
}
