/// What a document is about, as places: the role of each place it names.
public enum PlaceRole: String, Sendable, CaseIterable {
    /// Where the events happen, whose state or people act: the headline, the lead, the places
    /// the story keeps coming back to.
    case main
    /// Named in passing: background, a comparison, an origin, a dateline.
    case mentioned
}

/// Where a document's headline and lead end, as byte offsets of its text.
public struct TextLayout: Sendable {
    /// End of the headline (the first line when it is short enough to be one); 0 when none.
    public var titleEnd: Int
    /// End of the lead: the first sentences after the headline.
    public var leadEnd: Int

    public init(titleEnd: Int, leadEnd: Int) {
        self.titleEnd = titleEnd
        self.leadEnd = leadEnd
    }
}

extension Gazetteer {
    /// Weight of a mention in the headline, in the lead, and elsewhere; a dateline and a
    /// nationality or origin ("гражданин Беларуси", "a Pakistani-born developer") weigh nothing.
    static let headlineWeight = 3, leadWeight = 2, bodyWeight = 1
    /// A country this salient is main whatever else the document names.
    static let mainSalience = 3

    /// Gives every resolved place a role, and its mentions the same.
    ///
    /// Salience is counted per country, over the country and every place in it: a mention
    /// in the headline weighs 3, in the lead 2, elsewhere 1; a dateline (`CAIRO —`, `МОСКВА,
    /// 9 янв -`) and an origin (`citizen of Belarus`) 0. A country is main when it reaches 3
    /// (two mentions and a lead one, a headline one, three anywhere) and half the top country's
    /// salience (a third, when it is named three times or more), or when no country does better
    /// and it was named at all: a short story about one country names it once.
    /// A place is main when its country is. docs/rules.md §Places explains it for analysts.
    public func assignRoles(_ resolution: inout PlaceResolution, text: [UInt8], layout: TextLayout) {
        guard !resolution.places.isEmpty else { return }
        // Indexed by country and by place (each mention knows its place): hashing an index per
        // mention into dictionaries was a third of this function.
        var salience = [Int](repeating: 0, count: countries.count)  // country → weight
        var count = [Int](repeating: 0, count: countries.count)  // country → mentions outside datelines and origins
        var placeSignals = [(headline: Bool, lead: Bool, datelines: Int, origins: Int, weight: Int)](
            repeating: (false, false, 0, 0, 0), count: resolution.places.count)
        var noCountry = 0  // the weight of places in no country, which `top` counts too
        for m in resolution.mentions {
            let dateline = m.start >= layout.titleEnd && Self.isDateline(text, m.start, m.end)
            let origin = !dateline && Self.isOrigin(text, m.start, m.end)
            let weight = dateline || origin ? 0 : m.start < layout.titleEnd ? Self.headlineWeight
                : m.start < layout.leadEnd ? Self.leadWeight : Self.bodyWeight
            let c = Int(countryIndex(of: m.entity))
            if c >= 0 {
                salience[c] += weight
                if weight > 0 { count[c] += 1 }
            } else {
                noCountry += weight
            }
            let p = Int(m.place)
            if weight > 0, m.start < layout.titleEnd { placeSignals[p].headline = true }
            if weight > 0, m.start >= layout.titleEnd, m.start < layout.leadEnd { placeSignals[p].lead = true }
            if dateline { placeSignals[p].datelines += 1 }
            if origin { placeSignals[p].origins += 1 }
            placeSignals[p].weight += weight
        }
        let top = max(salience.max() ?? 0, noCountry)
        func isMain(_ c: Int) -> Bool {
            let s = salience[c]
            guard s >= Self.mainSalience else { return s == top && s > 0 }
            return s * 2 >= top || (s * 3 >= top && count[c] >= 3)
        }
        for i in resolution.places.indices {
            let c = Int(countryIndex(of: resolution.places[i].entity))
            let own = placeSignals[i]
            let role: PlaceRole = c >= 0 ? (isMain(c) ? .main : .mentioned) : (own.weight >= Self.mainSalience ? .main : .mentioned)
            var signals: [String] = []
            if own.headline { signals.append("headline") }
            if own.lead { signals.append("lead") }
            if own.datelines > 0 { signals.append("dateline") }
            if own.origins > 0 { signals.append("origin") }
            if c >= 0 { signals.append("country salience \(salience[c]) of \(top)") }
            resolution.places[i].role = role
            resolution.places[i].signals = signals
        }
        for k in resolution.mentions.indices { resolution.mentions[k].role = resolution.places[Int(resolution.mentions[k].place)].role }
    }

    /// Words before a name that make it a nationality or an origin: a citizen, a native, someone
    /// born there ("гражданин Беларуси", "a citizen of Belarus", "выходцы из Марракеша").
    static let originBefore = hashes([
        "citizen", "citizens", "national", "nationals", "native", "natives", "born",
        "гражданин", "гражданина", "гражданину", "гражданином", "гражданине", "гражданка", "гражданки",
        "гражданке", "гражданкой", "гражданку", "граждане", "граждан", "гражданам", "гражданами", "гражданах",
        "уроженец", "уроженца", "уроженцу", "уроженцем", "уроженка", "уроженки", "уроженке", "уроженкой",
        "уроженку", "уроженцы", "уроженцев", "уроженцам", "уроженцами",
        "выходец", "выходца", "выходцу", "выходцем", "выходцы", "выходцев", "выходцам", "выходцами",
    ])
    /// Words after a name that make it one: "Belarusian national", "Pakistani-born".
    static let originAfter = hashes(["national", "nationals", "citizen", "citizens", "born"])
    /// Words that may stand between a word of `originBefore` and the name.
    static let originLinks = hashes(["of", "in", "из"])

    /// The words' lowercase hashes (`OrdinaryWords.lowercaseHash`): a lookup makes no array.
    private static func hashes(_ words: [String]) -> Set<UInt64> {
        Set(words.map { OrdinaryWords.lowercaseHash(Array($0.utf8)[...]) })
    }

    /// Whether the name at `start ..< end` says where someone is from, not where things happen.
    /// Asked of every mention: words are compared by their lowercase hashes, with nothing allocated.
    static func isOrigin(_ text: [UInt8], _ start: Int, _ end: Int) -> Bool {
        // Written in lowercase: "British National Party" is no nationality.
        if let after = word(from: end, in: text, forward: true), text[after.lowerBound] >= 0x61,
           text[after.lowerBound] <= 0x7A, originAfter.contains(OrdinaryWords.lowercaseHash(text[after])) { return true }
        guard var before = word(from: start, in: text, forward: false) else { return false }
        if originLinks.contains(OrdinaryWords.lowercaseHash(text[before])) {
            guard let further = word(from: before.lowerBound, in: text, forward: false) else { return false }
            before = further
        }
        return originBefore.contains(OrdinaryWords.lowercaseHash(text[before]))
    }

    /// The word next to `at` (after it, across one space or a hyphen, or before it, across one
    /// space); nil at punctuation, a line break, or a word longer than any of the lists'.
    private static func word(from at: Int, in text: [UInt8], forward: Bool) -> Range<Int>? {
        if forward {
            guard at + 1 < text.count, text[at] == 0x20 || text[at] == 0x2D else { return nil }
            let w = Surface.word(at: at + 1, in: text)
            return w.isEmpty || w.count > 24 ? nil : w.indices
        }
        guard at >= 2, text[at - 1] == 0x20 else { return nil }
        var s = at - 1
        while s > 0, text[s - 1] >= 0x80 || (text[s - 1] | 0x20 >= 0x61 && text[s - 1] | 0x20 <= 0x7A) {
            s -= 1
            if at - 1 - s > 24 { return nil }
        }
        return s < at - 1 ? s ..< at - 1 : nil
    }

    /// A place that opens a line, below the headline, and is followed by a dash or a bracket
    /// with more text on the line (`CAIRO — Police said…`, `LONDON (Reuters) - …`), or is
    /// written in capitals and followed by a comma (`МОСКВА, 9 янв - …`): where the story was
    /// filed, not what it is about.
    static func isDateline(_ text: [UInt8], _ start: Int, _ end: Int) -> Bool {
        var i = start
        while i > 0, text[i - 1] == 0x20 || text[i - 1] == 0x09 { i -= 1 }
        guard i == 0 || text[i - 1] == 0x0A else { return false }
        // Capitals: no lowercase letter in the name (Latin or Cyrillic).
        let name = String(decoding: text[start ..< end], as: UTF8.self)
        let letters = name.unicodeScalars.filter { $0.properties.isAlphabetic }
        let capitals = letters.count >= 3 && letters.allSatisfy { !$0.properties.isLowercase }
        var j = end
        while j < text.count, text[j] == 0x20 { j += 1 }
        guard j < text.count else { return false }
        let next = Surface.scalar(at: j, in: text)
        let dash = next == "-" || next == "\u{2013}" || next == "\u{2014}" || next == "("
        guard dash || (capitals && next == ",") else { return false }
        // Something must follow on the same line: a line "Aktau (Mangystau)" is a heading.
        var k = j + 1
        while k < text.count, k < j + 200, text[k] != 0x0A {
            if text[k] > 0x20, text[k] != 0x2D { return true }
            k += 1
        }
        return false
    }
}
