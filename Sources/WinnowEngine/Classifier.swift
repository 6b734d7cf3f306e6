import Foundation
import Crypto
import WinnowCondition
import WinnowFormats
import WinnowGazetteer
import WinnowMatching
import WinnowRules
import WinnowText

/// How many hits of one matcher an alert shows as evidence by default (`evidence_per_matcher`;
/// the count covers them all). Evidence is built only for these.
public let defaultEvidencePerMatcher = 5

/// What became of one file: a classification per document in it (one, or one per record of a
/// feed), and the records that could not be read.
public struct FileOutcome: Sendable {
    public var classifications: [Classification]
    public var failures: [RecordFailure]
}

extension Ruleset {
    /// Reads a file (any format and charset, see `DocumentReader`) and classifies each document
    /// in it. Throws when nothing in the file can be read.
    /// Throws `budget` when the file spends `budget` (its time or memory).
    public func classify(
        bytes: [UInt8], name: String, path: String? = nil, source: String = "",
        sha256: String? = nil, reading: ReadingOptions = ReadingOptions(), budget: WorkBudget = .unlimited,
        evidence: Int = defaultEvidencePerMatcher
    ) throws(ReadFailure) -> FileOutcome {
        let reading = try DocumentReader.read(bytes, name: name, options: reading)
        let hash = sha256 ?? sha256Hex(bytes)
        // A feed's records report offsets in the one file: one line index serves them all.
        var fileLines: LineIndex?
        var classifications: [Classification] = []
        for extracted in reading.documents {
            if budget.check() { break }
            let document = Document(extracted, name: name, path: path, source: source, file: bytes)
            let scan = scanner.scan(document, budget: budget)
            var ownLines: LineIndex?
            classifications.append(document.offsets == .file
                ? classify(document, scan, sha256: hash, budget: budget, evidence: evidence, lines: &fileLines)
                : classify(document, scan, sha256: hash, budget: budget, evidence: evidence, lines: &ownLines))
        }
        if budget.check(), let overrun = budget.overrun { throw ReadFailure(.budget, overrun.description) }
        return FileOutcome(classifications: classifications, failures: reading.failures)
    }

    /// Classifies a document already in memory; once `budget` is spent, what is left is skipped
    /// (the caller, seeing `budget.overrun`, discards the result).
    public func classify(_ document: Document, sha256: String? = nil, budget: WorkBudget = .unlimited) -> Classification {
        var lines: LineIndex?
        return classify(document, scanner.scan(document, budget: budget), sha256: sha256, budget: budget,
                        evidence: defaultEvidencePerMatcher, lines: &lines)
    }

    /// `lines`: the line index for evidence positions, shared by documents of one file
    /// (`Document.position(ofReported:lines:)`).
    /// Classifies a document already scanned (the examples reuse the scan for their checks).
    package func classify(_ document: Document, _ scan: ScanResult, sha256: String? = nil, budget: WorkBudget = .unlimited) -> Classification {
        var lines: LineIndex?
        return classify(document, scan, sha256: sha256, budget: budget, evidence: defaultEvidencePerMatcher, lines: &lines)
    }

    private func classify(_ document: Document, _ scan: ScanResult, sha256: String?, budget: WorkBudget,
                          evidence limit: Int, lines: inout LineIndex?) -> Classification {
        var fired: [Classification.FiredRule] = []
        // One RuleHits for all rules, and rules read in place: a copy of a CompiledRule per
        // rule and document was a dozen retains and releases each.
        let input = RuleHits(document, scan)
        for r in rules.indices {
            if budget.check() { break }
            input.reset(rules[r].matchers, expensive: rules[r].expensiveMatchers)
            guard rules[r].condition.evaluate(input) else { continue }
            fired.append(fire(rules[r], index: r, input, document, scan, evidence: limit, lines: &lines))
        }
        fired.sort { ($0.level, idRank[$1.rule]) > ($1.level, idRank[$0.rule]) }  // by level, then id
        let (topicScores, topicTags) = applyTopics(&fired)
        // Level and score over the counted rules, read in place (a filtered copy retained
        // every fired rule's strings and arrays).
        var level: Level?, score = 0
        for i in fired.indices where fired[i].counted {
            level = max(level ?? fired[i].level, fired[i].level)
            score += fired[i].score
        }
        let warnings = scan.limitedRegexes.map { "regex '\($0.pattern)' stopped at its match limit; treated as no further matches" }
            + document.warnings
        let places = describePlaces(scan.places)
        var tags = topicTags
        // Only what the document is about: a country named in passing is no `place:` tag.
        for p in places where p.role == .main { tags.formUnion(p.tags) }
        return Classification(
            document: .init(name: document.name, path: document.path, record: document.record,
                            sha256: sha256 ?? sha256Hex(document.file), bytes: document.byteCount,
                            title: document.title, metadata: document.metadata, offsets: document.offsets,
                            attachments: document.attachments),
            level: level,
            tags: tags.sorted(),
            score: score,
            rules: fired, places: places, topics: topicScores, warnings: warnings, ruleset: hash)
    }

    /// What an alert says of a rule whose condition held: its evidence, hit counts and weight.
    /// The rule is borrowed from `rules`, not copied (a copy was a dozen retains and releases).
    private func fire(_ rule: CompiledRule, index r: Int, _ input: RuleHits, _ document: Document, _ scan: ScanResult,
                      evidence limit: Int, lines: inout LineIndex?) -> Classification.FiredRule {
        var evidence: [Classification.Evidence] = []
        for m in rule.condition.evidenceMatchers {
            let sorted = input.sortedHits(m)
            for i in rule.condition.supportingHits(of: m, input, limit: limit) {
                evidence.append(makeEvidence(sorted[i], matcher: rule.matcherNames[m], document, &lines, scan))
            }
        }
        let weight = strength(of: rule, input, scan, scan.layout)
        return .init(id: rule.id, title: rule.title, level: rule.level, tags: rule.tags, score: rule.score,
                     hitCounts: rule.matcherNames.indices.map { (rule.matcherNames[$0], input.count($0)) },
                     evidence: evidence, pack: rule.pack, strength: weight.strength, inHeadline: weight.inHeadline,
                     rule: r)
    }

    private func describePlaces(_ resolution: PlaceResolution) -> [Classification.Place] {
        guard let g = scanner.gazetteer else { return [] }
        return resolution.places.map { r in
            let e = r.entity
            let kind: String = switch g.kind(of: e) {
            case .place: "place"
            case .region: "region"
            case .country: "country"
            }
            let coordinates = g.coordinates(of: e)
            return Classification.Place(
                text: r.text, geonameid: g.geonameid(of: e), name: g.name(of: e), kind: kind,
                country: g.country(of: e)?.iso, admin1: g.region(of: e).map { ($0.code, $0.name) },
                latitude: coordinates.map { ($0.lat * 1e5).rounded() / 1e5 }, longitude: coordinates.map { ($0.lon * 1e5).rounded() / 1e5 },
                mentions: r.mentions, confidence: r.confidence, role: r.role, signals: r.signals)
        }
    }

    /// Offsets, line and column as the document reports them (bytes of the file, or of the
    /// text for formats read by a tool); the text and snippet come from the text as read.
    private func makeEvidence(_ hit: Hit, matcher: String, _ document: Document, _ lines: inout LineIndex?,
                              _ scan: ScanResult) -> Classification.Evidence {
        let label = scan.label(of: hit)
        let reported = label == nil ? document.reportedRange(hit.start ..< hit.end) : 0 ..< 0
        let (line, column) = document.position(ofReported: reported.lowerBound, lines: &lines)
        let matched = label ?? document.text(hit.start ..< hit.end)
        return .init(matcher: matcher, text: matched, start: reported.lowerBound, end: reported.upperBound,
                     line: line, column: column, snippet: snippet(of: document.text, around: hit.start ..< hit.end))
    }
}

/// Hex SHA-256 of some bytes.
public func sha256Hex(_ bytes: some Collection<UInt8>) -> String {
    let digest = SHA256.hash(data: Array(bytes))
    let hex: [UInt8] = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(64)
    for b in digest {
        out.append(hex[Int(b >> 4)])
        out.append(hex[Int(b & 15)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// The hits of one rule's matchers, as the condition sees them: found on first use, so a
/// condition that is decided early never pays for its other (regex) matchers.
final class RuleHits: ConditionInput {
    private let document: Document
    private let scan: ScanResult
    /// What changes from rule to rule, behind one pointer: every use of a class's `var` is
    /// checked for exclusive access at run time (`swift_beginAccess`), and these are used a
    /// few hundred times per document (the checks were a sixth of scoring the rules).
    private let state: UnsafeMutablePointer<State>

    private struct State {
        var matchers: [any CompiledMatcher] = []
        var expensive: [Bool] = []
        var mayBeExpensive = true
        // Per matcher slot of the current rule. Slots are reused from rule to rule: starting
        // over clears flags, and a list is only replaced when asked for again (setting every
        // slot to nil per rule was a twentieth of scoring the rules).
        var slots: [Slot] = []
    }

    private struct Slot {
        var known: Known = []
        var hits: [Hit] = []
        var sorted: [Hit] = []
        var spans: [WordSpan] = []
    }

    private struct Known: OptionSet {
        let rawValue: UInt8
        static let hits = Known(rawValue: 1)
        static let sorted = Known(rawValue: 2)
        static let spans = Known(rawValue: 4)
    }

    init(_ document: Document, _ scan: ScanResult) {
        self.document = document
        self.scan = scan
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    var mayBeExpensive: Bool { state.pointee.mayBeExpensive }

    /// Starts over for another rule's matchers.
    func reset(_ matchers: [any CompiledMatcher], expensive: [Bool]) {
        state.pointee.matchers = matchers
        state.pointee.expensive = expensive
        state.pointee.mayBeExpensive = expensive.contains(true)
        if state.pointee.slots.count < matchers.count {
            state.pointee.slots += repeatElement(Slot(), count: matchers.count - state.pointee.slots.count)
        }
        state.pointee.slots.withUnsafeMutableBufferPointer { slots in
            for i in 0 ..< matchers.count { slots[i].known = [] }
        }
    }

    func hits(_ m: Int) -> [Hit] {
        if state.pointee.slots[m].known.contains(.hits) { return state.pointee.slots[m].hits }
        let found = state.pointee.matchers[m].hits(in: document, scan: scan)
        state.pointee.slots[m].hits = found
        state.pointee.slots[m].known.insert(.hits)
        return found
    }

    func count(_ matcher: Int) -> Int {
        if state.pointee.slots[matcher].known.contains(.hits) { return state.pointee.slots[matcher].hits.count }
        return hits(matcher).count
    }

    func isExpensive(_ matcher: Int) -> Bool {
        state.pointee.expensive[matcher] && !state.pointee.slots[matcher].known.contains(.hits)
    }

    /// Hits sorted by first word, the order `spans` uses (sorted once per rule).
    func sortedHits(_ matcher: Int) -> [Hit] {
        if state.pointee.slots[matcher].known.contains(.sorted) { return state.pointee.slots[matcher].sorted }
        // A channel's hits are in text order, which is this order: no copy for those.
        let h = hits(matcher)
        let inOrder = zip(h, h.dropFirst()).allSatisfy { ($0.words.lowerBound, $0.start) <= ($1.words.lowerBound, $1.start) }
        let sorted = inOrder ? h : h.sorted { ($0.words.lowerBound, $0.start) < ($1.words.lowerBound, $1.start) }
        state.pointee.slots[matcher].sorted = sorted
        state.pointee.slots[matcher].known.insert(.sorted)
        return sorted
    }

    /// Made once per rule: a condition asks for them at every `near` and every weight.
    func spans(_ matcher: Int) -> [WordSpan] {
        if state.pointee.slots[matcher].known.contains(.spans) { return state.pointee.slots[matcher].spans }
        let spans = sortedHits(matcher).map { WordSpan(first: $0.words.lowerBound, last: $0.words.upperBound) }
        state.pointee.slots[matcher].spans = spans
        state.pointee.slots[matcher].known.insert(.spans)
        return spans
    }
}
