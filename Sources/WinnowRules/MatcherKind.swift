import Synchronization
import WinnowDiagnostics
import WinnowMatching
import WinnowFormats
import WinnowText
import WinnowYAML

/// One kind of matcher (`words`, `regex`, `field`, …): decodes its YAML, compiles, evaluates.
///
/// A kind is one file in `Kinds/` plus one line in `MatcherRegistry.swift`. Its static data
/// (name, summary, examples) feeds `docs/rules.md` checks and the kinds' own tests.
public protocol MatcherKind: Sendable {
    /// The YAML key that selects this kind, e.g. "words".
    static var name: String { get }
    /// One line for docs/rules.md.
    static var summary: String { get }
    /// Option keys this kind accepts beside its own key in a matcher's mapping.
    static var options: [String] { get }
    /// Examples run by the tests: a matcher body (YAML) and texts it must and must not match.
    static var examples: [KindExample] { get }

    /// Decodes the whole matcher mapping (the kind key and its options); records every problem
    /// in `diagnostics` and returns nil when the matcher cannot be used.
    init?(decoding node: MappingReader, context: DecodeContext, diagnostics: inout Diagnostics)

    /// Registers work with the shared scan (terms join the one automaton) and returns the
    /// evaluator used for every document.
    func compile(into plan: inout ScanPlan) throws(Diagnostic) -> any CompiledMatcher
}

extension MatcherKind {
    public static var options: [String] { [] }
}

/// Evaluates one compiled matcher on a scanned document.
public protocol CompiledMatcher: Sendable {
    /// Hits in one document, in text order; offsets are bytes of `document.text`.
    func hits(in document: Document, scan: ScanResult) -> [Hit]
    /// Whether finding the hits costs a pass of its own (a regex): conditions try other
    /// matchers first.
    var isExpensive: Bool { get }
    /// Whether its hits say where rather than what (places): a place in the headline does not
    /// make a rule about fighters a story about fighters (`Ruleset.strength`).
    var locates: Bool { get }
}

extension CompiledMatcher {
    public var isExpensive: Bool { false }
    public var locates: Bool { false }
}

/// One place where a matcher matched.
///
/// A plain value (no reference inside): documents produce hundreds of hits, and arrays of
/// them are copied, sorted and freed without any reference counting.
public struct Hit: Sendable, Hashable {
    // Stored in 32 bits (documents are far below 4 GiB: `max_bytes`): a hit-dense document
    // holds millions of hits, in channels and in the rules' copies, and 20 bytes each instead
    // of 40 halves what they cost (docs/design.md §Memory).
    private var start32: UInt32
    private var end32: UInt32
    private var first32: UInt32
    private var last32: UInt32
    /// A value the matcher reports instead of the text (a field matcher's field value), as an
    /// index into `ScanResult.labels`; -1 for none.
    public var label: Int32

    /// Byte range in `document.text` (alerts map it to the file, see `Document.reportedRange`).
    public var start: Int {
        get { Int(start32) }
        set { start32 = UInt32(truncatingIfNeeded: newValue) }
    }
    public var end: Int {
        get { Int(end32) }
        set { end32 = UInt32(truncatingIfNeeded: newValue) }
    }
    /// First and last word covered (0-based word indexes), for `near` and counts.
    public var words: ClosedRange<Int> {
        get { Int(first32) ... Int(last32) }
        set {
            first32 = UInt32(truncatingIfNeeded: newValue.lowerBound)
            last32 = UInt32(truncatingIfNeeded: newValue.upperBound)
        }
    }

    public init(start: Int, end: Int, words: ClosedRange<Int>, label: Int32 = -1) {
        start32 = UInt32(truncatingIfNeeded: start)
        end32 = UInt32(truncatingIfNeeded: end)
        first32 = UInt32(truncatingIfNeeded: words.lowerBound)
        last32 = UInt32(truncatingIfNeeded: words.upperBound)
        self.label = label
    }
}

/// An example for a kind: YAML for a matcher and a text it should or should not match.
public struct KindExample: Sendable {
    public var yaml: String
    public var text: String
    public var shouldMatch: Bool

    /// `«…»` in `text` marks where a hit must be, as SwiftLint's `↓` marks a violation.
    public static func match(_ yaml: String, in text: String) -> KindExample {
        KindExample(yaml: yaml, text: text, shouldMatch: true)
    }

    public static func noMatch(_ yaml: String, in text: String) -> KindExample {
        KindExample(yaml: yaml, text: text, shouldMatch: false)
    }
}

/// What a kind's decoder may consult besides its own node.
public struct DecodeContext: Sendable {
    public var lists: ListTable
    /// The pack being decoded.
    public var pack: String
    /// Automaton keys of terms already compiled in this load (shared by every pack).
    public var termKeys: TermKeyCache

    public init(lists: ListTable, pack: String, termKeys: TermKeyCache = TermKeyCache()) {
        self.lists = lists
        self.pack = pack
        self.termKeys = termKeys
    }
}

/// The keys of each term text compiled so far, for terms written in rules (a list's terms are
/// compiled with the list, and rules that use it take its keys whole): the same term in many
/// rules is folded and checked once. Only terms that compiled are kept. A bad term is reported
/// once per place it is written: a list's where the list is checked, not again by each rule using it.
public final class TermKeyCache: Sendable {
    private let keys = Mutex<[TermText: [LiteralAutomaton.Key]]>([:])
    private let reported = Mutex<Set<Term>>([])

    public init() {}

    /// The keys of each of `terms` that compiles, in order: known ones from the table, the
    /// others from `compile` (and kept); `failed` hears of each term that does not compile.
    /// One lock for the lot: a lock per term was a tenth of starting with a long list.
    func keys(for terms: [Term], compiling compile: (Term) throws(Diagnostic) -> [LiteralAutomaton.Key],
              failed: (Term, Diagnostic) -> Void) -> [[LiteralAutomaton.Key]] {
        keys.withLock { table in
            // Room for a list file's terms at once: a million grew the table twenty times.
            // (Not count + terms: the lists' terms come again from the rules that use them.)
            table.reserveCapacity(terms.count)
            var out: [[LiteralAutomaton.Key]] = []
            out.reserveCapacity(terms.count)
            for term in terms {
                let text = TermText(term.text)
                if let known = table[text] {
                    out.append(known)
                    continue
                }
                do throws(Diagnostic) {
                    let k = try compile(term)
                    table[text] = k
                    out.append(k)
                } catch {
                    failed(term, error)
                }
            }
            return out
        }
    }

    /// A term's text compared and hashed by its bytes. `String` hashes through Unicode
    /// normalisation, a third of starting with a list of a million place names; a memo only
    /// needs equal bytes (canonically equal spellings are folded alike, each on its own).
    private struct TermText: Hashable {
        let text: String
        init(_ text: String) { self.text = text }
        static func == (a: TermText, b: TermText) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }
        func hash(into hasher: inout Hasher) {
            var text = text
            text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    /// Whether a problem with `term` (text and position) is not reported yet; it is from now on.
    func isFirstReport(of term: Term) -> Bool {
        reported.withLock { $0.insert(term).inserted }
    }
}
