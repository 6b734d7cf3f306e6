import Foundation
import WinnowText

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
    /// Its place's role (`assignRoles`).
    public var role: PlaceRole = .main
    /// Index of its place in `PlaceResolution.places`.
    public var place: Int32 = -1
}

/// A place a document mentions, over all its mentions.
public struct ResolvedPlace: Sendable {
    public var entity: Int32
    /// The first mention as written.
    public var text: String
    public var mentions: Int
    public var confidence: Double
    public var role: PlaceRole = .main
    /// What decided the role, for the alert (`headline`, `dateline`, `country salience 4 of 6`).
    public var signals: [String] = []
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
    /// - common words (`Police`, `Man`) count only mid-sentence and with local support (a place
    ///   of the same region or nearby, or a qualifier), unless they name a world city;
    /// - a single word glued to another capitalised word (`Serik Beissembayev`) looks like a
    ///   person's name and needs more support, and so do its other mentions once it was seen
    ///   as a surname; a sentence-initial ordinary word (`Police`, `В`) is no such evidence;
    /// - population and kind give each candidate a prior; a place under 50,000 people needs
    ///   support (a country, region or place near it named too);
    /// - context: countries named in the text, the countries and regions of unambiguous
    ///   mentions, and distance to them raise a candidate; a small place outside that context
    ///   loses confidence (a capital or a city of a million does not).
    ///
    /// Stops early, with what it has, once `budget` is spent (the caller fails the document).
    /// `headlineEnd`: where the document's headline ends (`TextLayout.titleEnd`, 0 for none);
    /// when not given, the first line if it is a short one.
    public func resolve(_ hits: [GazetteerHit], in text: [UInt8], headlineEnd: Int? = nil,
                        budget: WorkBudget = .unlimited) -> PlaceResolution {
        var result = PlaceResolution()
        guard !hits.isEmpty else { return result }

        struct Mention {
            var hit: GazetteerHit
            var entities: ArraySlice<Int32>
            var common: Bool
            var cased: Bool
            var nameLike: Bool
            /// The name's number in this document (mentions of one name share it): 32 bits,
            /// which fit beside the flags, where an Int made every mention 8 bytes larger.
            var number: Int32 = 0
            var name: Int { Int(number) }
        }
        var mentions: [Mention] = []
        var words = OrdinaryWords(text: text)
        // A Title Case headline ("Explosion Rocks Aktau") is no evidence of surnames.
        let headlineEnd = headlineEnd ?? text.prefix(401).firstIndex(of: 0x0A) ?? 0
        // Names seen as a surname ("Pamela Anderson said") or a company ("Titan Corp"): every
        // mention of them is one.
        var surnames = Set<Int>()
        for hit in Self.leftmostLongest(hits) {
            if budget.spent() { return result }
            // A `never` name ("Latin America") has no candidates: it only hides the names inside it.
            let entities = candidates(ofKey: hit.key)
            if entities.isEmpty { continue }
            // Most occurrences are lowercase ASCII words; reject those before any other work.
            let lowercaseName = matchesLowercase(key: hit.key)
            if text[hit.start] >= 0x61 && text[hit.start] <= 0x7A && !lowercaseName { continue }
            let surface = Surface(text: text, start: hit.start, end: hit.end)
            if surface.cased && !surface.capitalised && !lowercaseName { continue }
            if Surface.isInQuotedTitle(start: hit.start, end: hit.end, in: text)
                || Surface.isInNewspaperName(start: hit.start, end: hit.end, in: text) { continue }
            let common = isCommonWord(key: hit.key)
            if common && (surface.sentenceStart || !surface.cased) { continue }
            // "US" is the country, "Us" and "us" are not; "AMO" (an agency) is not Amos.
            if surface.cased {
                // A headline in capitals still names IRAN or ROME: countries and world cities
                // are read in capitals too.
                if Surface.isAcronym(text[hit.start ..< hit.end]) {
                    let famous = entities.contains { kind(of: $0) == .country || isWorldCity($0) }
                    if !hasCapitals(key: hit.key) && !famous { continue }
                } else if isCapitalsOnly(key: hit.key) {
                    continue
                }
            }
            // A capitalised word before is name evidence unless it is an ordinary word that
            // is capitalised only because it opens the sentence ("Police in Almaty", "В Алматы",
            // "Полиция Актобе").
            var afterName = false
            if let before = surface.capitalisedBefore {
                let word = Surface.word(at: before, in: text)
                afterName = !OrdinaryWords.isGeneric(word)
                    && !(surface.previousStartsSentence && words.isOrdinary(word))
            }
            if hit.start >= headlineEnd {
                if afterName && !surface.capitalisedAfter { surnames.insert(hit.key) }
                if surface.capitalisedAfter, OrdinaryWords.isOrganisation(Surface.word(at: hit.end + 1, in: text)) { surnames.insert(hit.key) }
            }
            mentions.append(Mention(hit: hit, entities: entities, common: common,
                                    cased: surface.cased, nameLike: surface.capitalisedAfter || afterName))
        }
        guard !mentions.isEmpty else { return result }
        // Each distinct name gets a number, so what is known per name below sits in arrays,
        // not in dictionaries hashed at every mention and every candidate.
        var nameOfKey: [Int: Int] = [:]
        for i in mentions.indices {
            let key = mentions[i].hit.key
            if let n = nameOfKey[key] {
                mentions[i].number = Int32(n)
            } else {
                mentions[i].number = Int32(nameOfKey.count)
                nameOfKey[key] = nameOfKey.count
            }
        }
        var isSurname = [Bool](repeating: false, count: nameOfKey.count)
        for i in mentions.indices where surnames.contains(mentions[i].hit.key) {
            mentions[i].nameLike = true
            isSurname[mentions[i].name] = true
        }
        // "Paris, Texas", "San Fernando (Trinidad)": a region or country right after a name says
        // which place it is, there and at the name's other mentions.
        var qualifierSets = [Set<Int32>](repeating: [], count: nameOfKey.count)
        for (a, b) in zip(mentions, mentions.dropFirst()) where Self.isQualifierGap(text[a.hit.end ..< b.hit.start]) {
            for e in b.entities where kind(of: e) != .place { qualifierSets[a.name].insert(e) }
        }
        // `choose` below reads these tables for every candidate: as constants, not variables
        // captured by a local function, they are read without run-time exclusivity checks.
        let qualifiers = qualifierSets

        // Context from each name on its own: the countries named outright, and what all of a
        // name's plausible candidates agree on (one country, one region, one place). An anchor
        // depends only on the name, so each distinct name is judged once: per mention, a long
        // document repeating a few names made this and the loop below quadratic.
        struct Anchor {
            var name: Int
            var country: Int32 = -1
            var region: Int32 = -1
            var place: Int32 = -1
            var explicitCountry: Int32 = -1
        }
        var anchors: [Anchor] = []
        var anchored = [Bool](repeating: false, count: nameOfKey.count)
        for m in mentions where !m.common && !m.nameLike && !anchored[m.name] {
            anchored[m.name] = true
            let ranked = m.entities.enumerated().map { (offset, e) in
                (e, prior(e) + (isPrimaryName(key: m.hit.key, candidate: offset) ? 0.1 : 0), isPrimaryName(key: m.hit.key, candidate: offset))
            }.sorted { $0.1 > $1.1 }
            // Only a place's own name anchors context: "Karin" is an old name of Erzurum, and
            // "Yerlan Karin" must not pull a Kazakh article towards Turkey.
            guard let top = ranked.first, top.2 || kind(of: top.0) != .place else { continue }
            var a = Anchor(name: m.name)
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
        // Anchors counted per country and region, and their places sorted by latitude, so a
        // candidate asks in constant time (and a window of latitudes) instead of walking every
        // anchor: a list of 20,000 world cities made that quadratic.
        let (named, inCountry, inRegion, anchorOfName) = {
            var named: [Int32: Int] = [:], inCountry: [Int32: Int] = [:], inRegion: [Int32: Int] = [:]
            var anchorOfName = [Anchor?](repeating: nil, count: nameOfKey.count)
            for a in anchors {
                anchorOfName[a.name] = a
                if a.explicitCountry >= 0 { named[a.explicitCountry, default: 0] += 1 }
                if a.country >= 0 { inCountry[a.country, default: 0] += 1 }
                if a.region >= 0 { inRegion[a.region, default: 0] += 1 }
            }
            return (named, inCountry, inRegion, anchorOfName)
        }()
        let anchorPlaces = anchors.filter { $0.place >= 0 && !latitude[Int($0.place)].isNaN }
            .map { (latitude: Double(latitude[Int($0.place)]), place: $0.place, name: $0.name) }
            .sorted { $0.latitude < $1.latitude }
        /// Distance from `e` to the nearest anchor place of another name, when under 500 km.
        func nearestAnchor(_ e: Int32, excluding name: Int) -> Double {
            let lat = Double(latitude[Int(e)])
            guard !lat.isNaN else { return .infinity }
            // 500 km is under 4.5 degrees of latitude.
            var lo = 0, hi = anchorPlaces.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if anchorPlaces[mid].latitude < lat - 4.6 { lo = mid + 1 } else { hi = mid }
            }
            var nearest = Double.infinity
            var i = lo
            while i < anchorPlaces.count, anchorPlaces[i].latitude <= lat + 4.6 {
                if anchorPlaces[i].name != name, let d = distance(e, anchorPlaces[i].place, ifBelow: 500) { nearest = min(nearest, d) }
                i += 1
            }
            return nearest
        }

        // The best candidate of a name, with the runner-up's score: it depends only on the name
        // and the other names' anchors, so it too is chosen once per name.
        // Local support: the same region, a place nearby, or a qualifier ("Paris, Texas").
        typealias Choice = (entity: Int32, score: Double, support: Bool, local: Bool, primary: Bool, second: Double)
        func choose(_ m: Mention) -> Choice? {
            var best: (entity: Int32, score: Double, support: Bool, local: Bool, primary: Bool)?
            var second = -Double.infinity
            for (offset, e) in m.entities.enumerated() {
                let primary = isPrimaryName(key: m.hit.key, candidate: offset)
                var score = prior(e) + (primary ? 0.1 : 0)
                var support = false
                let c = countryIndex(of: e), r = regionIndex(of: e)
                // Other mentions of the same name are no evidence for it.
                let own = anchorOfName[m.name]
                let isNamed = c >= 0 && (named[c] ?? 0) - (own?.explicitCountry == c ? 1 : 0) > 0
                let sameCountry = c >= 0 && (inCountry[c] ?? 0) - (own?.country == c ? 1 : 0) > 0
                let sameRegion = r >= 0 && (inRegion[r] ?? 0) - (own?.region == r ? 1 : 0) > 0
                let nearest = kind(of: e) == .place ? nearestAnchor(e, excluding: m.name) : .infinity
                let q = qualifiers[m.name]
                let qualified = !q.isEmpty
                    && ((c >= 0 && q.contains(countries[Int(c)].entity)) || (r >= 0 && q.contains(regions[Int(r)].entity)))
                // A country named somewhere is weak evidence against a world city: "London" in a
                // story that names Canada is still most often London, England.
                if isNamed { score += 0.25 }
                if sameCountry { score += 0.15 }
                if sameRegion { score += 0.25 }
                if nearest < 500 { score += 0.2 * (1 - nearest / 500) }
                if qualified { score += 1 }
                support = isNamed || sameCountry || sameRegion || nearest < 500 || qualified
                if let b = best, score <= b.score {
                    second = max(second, score)
                } else {
                    if let b = best { second = max(second, b.score) }
                    best = (e, score, support, sameRegion || nearest < 500 || qualified, primary)
                }
            }
            return best.map { ($0.entity, $0.score, $0.support, $0.local, $0.primary, second) }
        }
        var choices = [Choice?](repeating: nil, count: nameOfKey.count)

        for m in mentions {
            if budget.spent() { return result }
            guard let chosen = choices[m.name] ?? choose(m) else { continue }
            choices[m.name] = chosen
            let second = chosen.second
            let k = kind(of: chosen.entity)
            let big = k != .place || population(of: chosen.entity) >= 100_000
            var confidence = 0.5
            confidence += m.cased ? 0.15 : 0.1
            confidence += second.isFinite ? min(0.15, (chosen.score - second) * 0.5) : 0.15
            if chosen.support { confidence += 0.15 }
            if big { confidence += 0.1 }
            // A town named once with nothing near it or in its country is more often a name,
            // a team or a street than the town ("Bethany", "Somerset").
            if k == .place, !chosen.support, population(of: chosen.entity) < Self.smallTown { confidence -= 0.3 }
            confidence += chosen.primary ? 0.05 : -0.15
            if m.common { confidence -= 0.35 }
            let world = isWorldCity(chosen.entity)
            // "University", "Police": a country named elsewhere is not enough for an ordinary word.
            if m.common, k != .country, !world, !chosen.local { continue }
            if m.nameLike && k == .place {
                // Seen as a person's or a company's name elsewhere: only a world city survives that.
                confidence -= isSurname[m.name] && !world ? 0.5 : 0.3
            }
            if !context.isEmpty, k != .country, !world, !context.contains(countryIndex(of: chosen.entity)) { confidence -= 0.25 }
            confidence = min(1, max(0, confidence))
            guard confidence >= minConfidence else { continue }
            result.mentions.append(PlaceMention(entity: chosen.entity, start: m.hit.start, end: m.hit.end,
                                                words: m.hit.words, confidence: (confidence * 100).rounded() / 100))
        }

        // Aggregate by entity, in order of first mention.
        var index: [Int32: Int] = [:]
        for k in result.mentions.indices {
            let m = result.mentions[k]
            if let i = index[m.entity] {
                result.mentions[k].place = Int32(i)
                result.places[i].mentions += 1
                result.places[i].confidence = min(1, max(result.places[i].confidence, m.confidence) + 0.05)
            } else {
                index[m.entity] = result.places.count
                result.mentions[k].place = Int32(result.places.count)
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
    /// Capitals and cities of a million get more: "Moscow" in an American story is still
    /// Russia's unless the story names Idaho.
    func prior(_ e: Int32) -> Double {
        switch kind(of: e) {
        case .country: return 1.6
        case .region: return 0.75
        case .place:
            let p = population(of: e)
            return min(1.5, log10(Double(p) + 10) / 5) + (featureCode(of: e) == "PPLC" ? 0.3 : 0) + (p >= 1_000_000 ? 0.2 : 0)
        }
    }

    /// Below this many people a place needs support from the rest of the text.
    static let smallTown: UInt32 = 50_000

    /// A capital or a city of a million: named in any story, wherever it is set.
    func isWorldCity(_ e: Int32) -> Bool {
        kind(of: e) == .place && (featureCode(of: e) == "PPLC" || population(of: e) >= 1_000_000)
    }

    /// ", " or " (" between a name and the next: "Paris, Texas", "Aktau (Mangystau)".
    static func isQualifierGap(_ gap: ArraySlice<UInt8>) -> Bool {
        gap.elementsEqual([0x2C, 0x20]) || gap.elementsEqual([0x20, 0x28]) || gap.elementsEqual([0x2C, 0xC2, 0xA0])
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
    /// Followed by a capitalised word: "Almaty Region", "Karin Yerlan".
    var capitalisedAfter = false
    /// Start of the capitalised word right before it, when there is one ("Serik" in "Serik
    /// Beissembayev"); with `previousStartsSentence`, whether that word opens the sentence.
    var capitalisedBefore: Int?
    var previousStartsSentence = false

    init(text: [UInt8], start: Int, end: Int) {
        if let first = Surface.scalar(at: start, in: text) {
            if first.isASCII {
                cased = (first >= "A" && first <= "Z") || (first >= "a" && first <= "z")
                capitalised = first >= "A" && first <= "Z"
            } else if first.value >= 0x400 && first.value <= 0x45F {
                cased = true  // basic Cyrillic: U+0400-042F capitals, 0430-045F small
                capitalised = first.value < 0x430
            } else {
                let p = first.properties
                cased = p.isUppercase || p.isLowercase
                capitalised = p.isUppercase || p.generalCategory == .titlecaseLetter
            }
        }
        sentenceStart = Surface.startsSentence(at: start, in: text)
        // Only a single word is judged: a longer name ("Almaty Region") was matched whole.
        if !text[start ..< min(end, text.count)].contains(where: { $0 == 0x20 || $0 == 0x2D || $0 == 0x0A }) {
            // In a line of capitals ("OFFICIALS MET IN SEUL") every word is capitalised.
            let capitals = Surface.isAllCapitals(text[start ..< min(end, text.count)])
            capitalisedAfter = Surface.capitalisedWord(after: end, in: text)
                && !(capitals && Surface.isAllCapitals(Surface.word(at: end + 1, in: text)))
            if !sentenceStart, let before = Surface.capitalisedWord(before: start, in: text),
               !(capitals && Surface.isAllCapitals(Surface.word(at: before, in: text))) {
                capitalisedBefore = before
                previousStartsSentence = Surface.startsSentence(at: before, in: text)
            }
        }
    }

    /// Whether only spaces, quotes, brackets or dashes stand between `start` and the last
    /// sentence end (. ! ? : or a line break). A full stop after an initial or a title
    /// ("J. C. Chandor", "Mr. Anderson", "Gen. Dostum") ends no sentence.
    static func startsSentence(at start: Int, in text: [UInt8]) -> Bool {
        var i = start - 1
        while i >= 0 {
            let b = text[i]
            if b == 0x20 || b == 0x09 || b == 0x22 || b == 0x27 || b == 0x28 || b == 0x5B { i -= 1; continue }
            if b >= 0x80 {
                // Skip typographic quotes and dashes («, “, ‘, —): multi-byte punctuation.
                var j = i
                while j > 0, text[j] & 0xC0 == 0x80 { j -= 1 }
                guard let s = Surface.scalar(at: j, in: text) else { return false }
                let category = s.properties.generalCategory
                if category == .initialPunctuation || category == .openPunctuation || category == .dashPunctuation || s.value == 0xA0 {
                    i = j - 1
                    continue
                }
                return false
            }
            if b == 0x2E { return !isAbbreviation(endingAt: i, in: text) }
            return b == 0x21 || b == 0x3F || b == 0x3A || b == 0x0A || b == 0x0D
        }
        return true
    }

    /// Whether the name is all or part of a short title in quotation marks, every word of it
    /// capitalised: «Бирмингем Сити», «Единая Россия», "Chelsea". Such a title names a club, a
    /// party, a company or a newspaper, not the place. A quoted sentence («Москва не уступит»)
    /// has lowercase words and is no title.
    static func isInQuotedTitle(start: Int, end: Int, in text: [UInt8]) -> Bool {
        var first = start, words = 0
        while !isQuote(endingAt: first, in: text) {
            guard words < 3, let before = capitalisedWord(before: first, in: text) else { return false }
            first = before
            words += 1
        }
        var last = end
        while !isQuote(startingAt: last, in: text) {
            guard words < 3, capitalisedWord(after: last, in: text) else { return false }
            // To the end of the word: letters, digits, hyphens and apostrophes, up to a quote.
            last += 1
            while last < text.count, !isQuote(startingAt: last, in: text) {
                let b = text[last]
                guard b >= 0x80 || b == 0x27 || b == 0x2D || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
                else { break }
                last += 1
            }
            words += 1
        }
        return true
    }

    /// Whether the name is part of a newspaper's: followed by a capitalised word of
    /// `OrdinaryWords.newspaperWords` ("Washington Post"), or after "Times of" ("Times of
    /// India"). A publisher's name says nothing of where a story happens.
    static func isInNewspaperName(start: Int, end: Int, in text: [UInt8]) -> Bool {
        if capitalisedWord(after: end, in: text), OrdinaryWords.isNewspaper(word(at: end + 1, in: text)) { return true }
        return start >= timesOf.count && text[(start - timesOf.count) ..< start].elementsEqual(timesOf)
    }
    private static let timesOf = Array("Times of ".utf8)

    /// Whether an opening quotation mark (", «, “, „) ends right before `i`.
    static func isQuote(endingAt i: Int, in text: [UInt8]) -> Bool {
        if i >= 1, text[i - 1] == 0x22 { return true }
        if i >= 2, text[i - 2] == 0xC2, text[i - 1] == 0xAB { return true }
        return i >= 3 && text[i - 3] == 0xE2 && text[i - 2] == 0x80 && (text[i - 1] == 0x9C || text[i - 1] == 0x9E)
    }

    /// Whether a closing quotation mark (", », ”, or “ closing a „) starts at `i`.
    static func isQuote(startingAt i: Int, in text: [UInt8]) -> Bool {
        guard i < text.count else { return false }
        if text[i] == 0x22 { return true }
        if i + 1 < text.count, text[i] == 0xC2, text[i + 1] == 0xBB { return true }
        return i + 2 < text.count && text[i] == 0xE2 && text[i + 1] == 0x80 && (text[i + 2] == 0x9D || text[i + 2] == 0x9C)
    }

    /// Titles written with a full stop before a name.
    static let titles: Set<[UInt8]> = Set(["Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col",
                                            "Sgt", "Capt", "Prof", "Jr", "Sr", "Rev", "Pres", "Supt", "Insp"].map { Array($0.utf8) })

    /// Whether the full stop at `dot` ends an initial ("J.", "Ж.") or a title ("Mr.").
    static func isAbbreviation(endingAt dot: Int, in text: [UInt8]) -> Bool {
        var i = dot
        while i > 0, text[i - 1] != 0x20, text[i - 1] != 0x0A, text[i - 1] != 0x2E { i -= 1 }
        let word = Array(text[i ..< dot])
        guard i < dot, startsUppercase(text, i) else { return false }
        // One letter (a Latin or a two-byte Cyrillic one) is an initial.
        return word.count == 1 || (word.count == 2 && word[0] >= 0xC0) || titles.contains(word)
    }

    static func capitalisedWord(after end: Int, in text: [UInt8]) -> Bool {
        guard end < text.count, text[end] == 0x20, end + 1 < text.count else { return false }
        return startsUppercase(text, end + 1)
    }

    /// Whether every letter is a capital (and there are two or more).
    static func isAllCapitals(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 2, bytes.count <= 64 else { return false }
        // Latin and Cyrillic letters (most names in most text) by their bytes: Unicode
        // properties cost 4% of classifying with the gazetteer.
        var letters = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b < 0x80 {
                if b >= 0x61 && b <= 0x7A { return false }
                if b >= 0x41 && b <= 0x5A { letters += 1 }
                i += 1
            } else if b == 0xD0, i + 1 < bytes.endIndex {
                // D0 80-AF: Ѐ-Џ and А-Я, capitals; D0 B0-BF: а-п.
                if bytes[i + 1] >= 0xB0 { return false }
                letters += 1
                i += 2
            } else if b == 0xD1, i + 1 < bytes.endIndex, bytes[i + 1] <= 0x9F {
                return false  // р-я, ѐ-џ
            } else {
                return Self.isAllCapitalsByProperties(bytes)
            }
        }
        return letters >= 2
    }

    private static func isAllCapitalsByProperties(_ bytes: ArraySlice<UInt8>) -> Bool {
        let letters = String(decoding: bytes, as: UTF8.self).unicodeScalars.filter { $0.properties.isAlphabetic }
        return letters.count >= 2 && letters.allSatisfy { $0.properties.isUppercase }
    }

    /// Two to four letters in capitals, perhaps with full stops: how acronyms are written.
    static func isAcronym(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count <= 16 && capitalLetterCount(bytes).map { (2 ... 4).contains($0) } == true
    }

    /// How many letters `bytes` holds when every character is a capital letter or a full stop;
    /// nil otherwise. Asked of every capitalised place name and every gazetteer name at a
    /// build: ASCII is judged by its bytes (a String and property lookups per name were 3% of
    /// classifying a document and a quarter of building the cities500 gazetteer).
    static func capitalLetterCount(_ bytes: some Collection<UInt8>) -> Int? {
        var letters = 0
        var iterator = bytes.makeIterator()
        while let b = iterator.next() {
            if b < 0x80 {
                if b >= 0x41 && b <= 0x5A { letters += 1 } else if b != 0x2E { return nil }
                continue
            }
            guard b >= 0xC2 else { return nil }
            var v: UInt32, extra: Int
            if b < 0xE0 { v = UInt32(b & 0x1F); extra = 1 } else if b < 0xF0 { v = UInt32(b & 0x0F); extra = 2 } else { v = UInt32(b & 0x07); extra = 3 }
            for _ in 0 ..< extra {
                guard let c = iterator.next() else { return nil }
                v = v << 6 | UInt32(c & 0x3F)
            }
            // Cyrillic (most non-Latin names) by its code points; a property lookup for the rest.
            if v >= 0x0400 && v <= 0x042F { letters += 1; continue }
            if v >= 0x0430 && v <= 0x045F { return nil }
            guard let s = Unicode.Scalar(v), s.properties.isAlphabetic, s.properties.isUppercase else { return nil }
            letters += 1
        }
        return letters
    }

    /// The start of the word before `start` when it is capitalised.
    static func capitalisedWord(before start: Int, in text: [UInt8]) -> Int? {
        guard start >= 2, text[start - 1] == 0x20 else { return nil }
        var i = start - 2
        guard text[i] != 0x20, text[i] & 0x80 != 0 || (text[i] >= 0x41 && text[i] <= 0x7A) || text[i] == 0x2E else { return nil }
        while i > 0, text[i - 1] != 0x20, text[i - 1] != 0x0A { i -= 1 }
        return startsUppercase(text, i) ? i : nil
    }

    /// The letters of the word starting at `start` (up to a space, punctuation or line break).
    static func word(at start: Int, in text: [UInt8]) -> ArraySlice<UInt8> {
        var end = start
        while end < text.count {
            let b = text[end]
            if b >= 0x80 || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x27 { end += 1 } else { break }
        }
        return text[start ..< end]
    }

    static func startsUppercase(_ text: [UInt8], _ i: Int) -> Bool {
        guard let s = scalar(at: i, in: text) else { return false }
        if s.isASCII { return s >= "A" && s <= "Z" }
        // Basic Cyrillic by code point (U+0400-042F capitals, 0430-045F small), not a property lookup.
        if s.value >= 0x400 && s.value <= 0x45F { return s.value < 0x430 }
        return s.properties.isUppercase
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
