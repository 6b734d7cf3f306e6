import Foundation

/// One occurrence of a gazetteer name in a document.
public struct GazetteerHit: Sendable {
    /// Key index in `Gazetteer.names`.
    public var key: Int
    /// Byte range in the document's UTF-8 text.
    public var start: Int
    public var end: Int
    public var words: ClosedRange<Int>

    public init(key: Int, start: Int, end: Int, words: ClosedRange<Int>) {
        self.key = key
        self.start = start
        self.end = end
        self.words = words
    }
}

/// A mention resolved to one entity.
public struct PlaceMention: Sendable {
    public var entity: Int32
    public var start: Int
    public var end: Int
    public var words: ClosedRange<Int>
    public var confidence: Double
}

/// A place a document mentions, over all its mentions.
public struct ResolvedPlace: Sendable {
    public var entity: Int32
    /// The first mention as written.
    public var text: String
    public var mentions: Int
    public var confidence: Double
}

public struct PlaceResolution: Sendable {
    public var mentions: [PlaceMention] = []
    public var places: [ResolvedPlace] = []
    public init() {}
}

extension Gazetteer {
    /// Resolves every name occurrence in `text` to at most one entity, or drops it.
    ///
    /// Evidence used (docs/rules.md §Places explains it for analysts):
    /// - capitalisation in cased scripts: a lowercase occurrence is never a place;
    /// - common words (`Police`, `Man`) count only mid-sentence and with support;
    /// - a single word glued to another capitalised word (`Serik Beissembayev`) looks like a
    ///   person's name and needs more support;
    /// - population and kind give each candidate a prior;
    /// - context: countries named in the text, the countries and regions of unambiguous
    ///   mentions, and distance to them raise a candidate; a small place outside that context
    ///   loses confidence.
    public func resolve(_ hits: [GazetteerHit], in text: [UInt8]) -> PlaceResolution {
        var result = PlaceResolution()
        guard !hits.isEmpty else { return result }

        struct Mention {
            var hit: GazetteerHit
            var entities: ArraySlice<Int32>
            var common: Bool
            var cased: Bool
            var nameLike: Bool
        }
        var mentions: [Mention] = []
        for hit in Self.leftmostLongest(hits) {
            // Most occurrences are lowercase ASCII words; reject those before any other work.
            if text[hit.start] >= 0x61 && text[hit.start] <= 0x7A { continue }
            let surface = Surface(text: text, start: hit.start, end: hit.end)
            if surface.cased && !surface.capitalised { continue }
            let common = isCommonWord(key: hit.key)
            if common && (surface.sentenceStart || !surface.cased) { continue }
            mentions.append(Mention(hit: hit, entities: candidates(ofKey: hit.key), common: common,
                                    cased: surface.cased, nameLike: surface.nameLike))
        }
        guard !mentions.isEmpty else { return result }

        // Context from each name on its own: the countries named outright, and what all of a
        // name's plausible candidates agree on (one country, one region, one place). An anchor
        // depends only on the name, so each distinct name is judged once: per mention, a long
        // document repeating a few names made this and the loop below quadratic.
        struct Anchor {
            var key: Int
            var country: Int32 = -1
            var region: Int32 = -1
            var place: Int32 = -1
            var explicitCountry: Int32 = -1
        }
        var anchors: [Anchor] = []
        var anchored = Set<Int>()
        for m in mentions where !m.common && !m.nameLike && anchored.insert(m.hit.key).inserted {
            let ranked = m.entities.enumerated().map { (offset, e) in
                (e, prior(e) + (isPrimaryName(key: m.hit.key, candidate: offset) ? 0.1 : 0), isPrimaryName(key: m.hit.key, candidate: offset))
            }.sorted { $0.1 > $1.1 }
            // Only a place's own name anchors context: "Karin" is an old name of Erzurum, and
            // "Yerlan Karin" must not pull a Kazakh article towards Turkey.
            guard let top = ranked.first, top.2 || kind(of: top.0) != .place else { continue }
            var a = Anchor(key: m.hit.key)
            if kind(of: top.0) == .country { a.explicitCountry = countryIndex(of: top.0) }
            let plausible = ranked.filter { $0.1 >= top.1 - 0.3 }.map(\.0)
            // One country (one region) shared by every plausible candidate anchors the context.
            if let first = plausible.first {
                let c = countryIndex(of: first), r = regionIndex(of: first)
                if plausible.allSatisfy({ countryIndex(of: $0) == c }) { a.country = c }
                if plausible.allSatisfy({ regionIndex(of: $0) == r }) { a.region = r }
            }
            if plausible.count == 1, kind(of: top.0) == .place { a.place = top.0 }
            anchors.append(a)
        }
        var context = Set<Int32>()
        for a in anchors where a.country >= 0 { context.insert(a.country) }

        // The best candidate of a name, with the runner-up's score: it depends only on the name
        // and the other names' anchors, so it too is chosen once per name.
        typealias Choice = (entity: Int32, score: Double, support: Bool, primary: Bool, second: Double)
        func choose(_ m: Mention) -> Choice? {
            var best: (entity: Int32, score: Double, support: Bool, primary: Bool)?
            var second = -Double.infinity
            for (offset, e) in m.entities.enumerated() {
                let primary = isPrimaryName(key: m.hit.key, candidate: offset)
                var score = prior(e) + (primary ? 0.1 : 0)
                var support = false
                let c = countryIndex(of: e), r = regionIndex(of: e)
                var nearest = Double.infinity
                var sameRegion = false, sameCountry = false, named = false
                // Other mentions of the same name are no evidence for it.
                for a in anchors where a.key != m.hit.key {
                    if c >= 0, a.explicitCountry == c { named = true }
                    if c >= 0, a.country == c { sameCountry = true }
                    if r >= 0, a.region == r { sameRegion = true }
                    if a.place >= 0, kind(of: e) == .place, let d = distance(e, a.place, ifBelow: 500) { nearest = min(nearest, d) }
                }
                if named { score += 0.4 }
                if sameCountry { score += 0.25 }
                if sameRegion { score += 0.25 }
                if nearest < 500 { score += 0.2 * (1 - nearest / 500) }
                support = named || sameCountry || sameRegion || nearest < 500
                if let b = best, score <= b.score {
                    second = max(second, score)
                } else {
                    if let b = best { second = max(second, b.score) }
                    best = (e, score, support, primary)
                }
            }
            return best.map { ($0.entity, $0.score, $0.support, $0.primary, second) }
        }
        var choices: [Int: Choice] = [:]

        for m in mentions {
            guard let chosen = choices[m.hit.key] ?? choose(m) else { continue }
            choices[m.hit.key] = chosen
            let second = chosen.second
            let k = kind(of: chosen.entity)
            let big = k != .place || population(of: chosen.entity) >= 100_000
            var confidence = 0.5
            confidence += m.cased ? 0.15 : 0.1
            confidence += second.isFinite ? min(0.15, (chosen.score - second) * 0.5) : 0.15
            if chosen.support { confidence += 0.15 }
            if big { confidence += 0.1 }
            confidence += chosen.primary ? 0.05 : -0.15
            if m.common { confidence -= 0.35 }
            if m.nameLike && k == .place { confidence -= 0.3 }
            if !context.isEmpty, k != .country, !context.contains(countryIndex(of: chosen.entity)) { confidence -= 0.25 }
            confidence = min(1, max(0, confidence))
            guard confidence >= minConfidence else { continue }
            result.mentions.append(PlaceMention(entity: chosen.entity, start: m.hit.start, end: m.hit.end,
                                                words: m.hit.words, confidence: (confidence * 100).rounded() / 100))
        }

        // Aggregate by entity, in order of first mention.
        var index: [Int32: Int] = [:]
        for m in result.mentions {
            if let i = index[m.entity] {
                result.places[i].mentions += 1
                result.places[i].confidence = min(1, max(result.places[i].confidence, m.confidence) + 0.05)
            } else {
                index[m.entity] = result.places.count
                result.places.append(ResolvedPlace(entity: m.entity, text: String(decoding: text[m.start ..< m.end], as: UTF8.self),
                                                   mentions: 1, confidence: m.confidence))
            }
        }
        for i in result.places.indices {
            result.places[i].confidence = (result.places[i].confidence * 100).rounded() / 100
        }
        return result
    }

    /// A candidate's score before context: countries first, then places by population, then
    /// regions (a city usually gives its name to its region, and a text naming it means the city).
    func prior(_ e: Int32) -> Double {
        switch kind(of: e) {
        case .country: return 1.6
        case .region: return 0.75
        case .place: return min(1.5, log10(Double(population(of: e)) + 10) / 5)
        }
    }

    /// Keeps the longest hit at each start and drops hits inside or overlapping a kept one.
    static func leftmostLongest(_ hits: [GazetteerHit]) -> [GazetteerHit] {
        let sorted = hits.sorted { ($0.start, -$0.end) < ($1.start, -$1.end) }
        var out: [GazetteerHit] = []
        var reach = -1
        for h in sorted where h.start >= reach {
            out.append(h)
            reach = h.end
        }
        return out
    }
}

/// What the text around an occurrence says about it.
struct Surface {
    var cased = false
    var capitalised = false
    var sentenceStart = false
    var nameLike = false

    init(text: [UInt8], start: Int, end: Int) {
        if let first = Surface.scalar(at: start, in: text) {
            if first.isASCII {
                cased = first.properties.isAlphabetic
                capitalised = first >= "A" && first <= "Z"
            } else {
                let p = first.properties
                cased = p.isUppercase || p.isLowercase
                capitalised = p.isUppercase || p.generalCategory == .titlecaseLetter
            }
        }
        // Sentence start: only spaces, quotes or brackets since the last . ! ? : or line break.
        var i = start - 1
        sentenceStart = true
        while i >= 0 {
            let b = text[i]
            if b == 0x20 || b == 0x09 || b == 0x22 || b == 0x27 || b == 0x28 || b == 0x5B { i -= 1; continue }
            if b >= 0x80 {
                // Skip typographic quotes and dashes («, “, ‘, —): multi-byte punctuation.
                var j = i
                while j > 0, text[j] & 0xC0 == 0x80 { j -= 1 }
                guard let s = Surface.scalar(at: j, in: text) else { sentenceStart = false; break }
                if s.properties.generalCategory == .initialPunctuation || s.properties.generalCategory == .openPunctuation
                    || s.properties.generalCategory == .dashPunctuation || s.value == 0xA0 {
                    i = j - 1
                    continue
                }
                sentenceStart = false
                break
            }
            sentenceStart = b == 0x2E || b == 0x21 || b == 0x3F || b == 0x3A || b == 0x0A || b == 0x0D
            break
        }
        // A lone capitalised word next to another capitalised word is likely part of a
        // person's or organisation's name ("Serik Beissembayev", "Yerlan Karin").
        if !text[start ..< min(end, text.count)].contains(where: { $0 == 0x20 || $0 == 0x2D || $0 == 0x0A }) {
            nameLike = Surface.capitalisedWord(after: end, in: text) || (!sentenceStart && Surface.capitalisedWord(before: start, in: text))
        }
    }

    static func capitalisedWord(after end: Int, in text: [UInt8]) -> Bool {
        guard end < text.count, text[end] == 0x20, end + 1 < text.count else { return false }
        return startsUppercase(text, end + 1)
    }

    static func capitalisedWord(before start: Int, in text: [UInt8]) -> Bool {
        guard start >= 2, text[start - 1] == 0x20 else { return false }
        var i = start - 2
        guard text[i] != 0x20, text[i] & 0x80 != 0 || (text[i] >= 0x41 && text[i] <= 0x7A) else { return false }
        while i > 0, text[i - 1] != 0x20, text[i - 1] != 0x0A { i -= 1 }
        return startsUppercase(text, i)
    }

    static func startsUppercase(_ text: [UInt8], _ i: Int) -> Bool {
        guard let s = scalar(at: i, in: text) else { return false }
        return s.isASCII ? (s >= "A" && s <= "Z") : s.properties.isUppercase
    }

    /// The scalar whose UTF-8 starts at byte `i` (the text is valid UTF-8).
    static func scalar(at i: Int, in text: [UInt8]) -> Unicode.Scalar? {
        guard i >= 0, i < text.count else { return nil }
        let b0 = text[i]
        if b0 < 0x80 { return Unicode.Scalar(b0) }
        var v: UInt32
        var len: Int
        if b0 < 0xE0 { v = UInt32(b0 & 0x1F); len = 2 } else if b0 < 0xF0 { v = UInt32(b0 & 0x0F); len = 3 } else { v = UInt32(b0 & 0x07); len = 4 }
        guard i + len <= text.count else { return nil }
        for k in 1 ..< len { v = (v << 6) | UInt32(text[i + k] & 0x3F) }
        return Unicode.Scalar(v)
    }
}
