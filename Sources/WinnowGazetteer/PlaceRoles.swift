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
    /// Weight of a mention in the headline, in the lead, and elsewhere; a dateline weighs nothing.
    static let headlineWeight = 3, leadWeight = 2, bodyWeight = 1
    /// A country this salient is main whatever else the document names.
    static let mainSalience = 3

    /// Gives every resolved place a role, and its mentions the same.
    ///
    /// Salience is counted per country, over the country and every place in it: a mention
    /// in the headline weighs 3, in the lead 2, elsewhere 1; a dateline (`CAIRO —`, `МОСКВА,
    /// 9 янв -`) 0. A country is main when it reaches 3 (two mentions and a lead one, a
    /// headline one, three anywhere) and half the top country's salience (a third, when it is
    /// named three times or more), or when no country does better and it was named at all: a
    /// short story about one country names it once.
    /// A place is main when its country is. docs/rules.md §Places explains it for analysts.
    public func assignRoles(_ resolution: inout PlaceResolution, text: [UInt8], layout: TextLayout) {
        guard !resolution.places.isEmpty else { return }
        var salience: [Int32: Int] = [:]  // country index → weight
        var count: [Int32: Int] = [:]  // country index → mentions outside datelines
        var placeSignals: [Int32: (headline: Bool, lead: Bool, datelines: Int, weight: Int)] = [:]
        for m in resolution.mentions {
            let dateline = m.start >= layout.titleEnd && Self.isDateline(text, m.start, m.end)
            let weight = dateline ? 0 : m.start < layout.titleEnd ? Self.headlineWeight
                : m.start < layout.leadEnd ? Self.leadWeight : Self.bodyWeight
            let c = countryIndex(of: m.entity)
            salience[c, default: 0] += weight
            if !dateline { count[c, default: 0] += 1 }
            var s = placeSignals[m.entity] ?? (false, false, 0, 0)
            if !dateline, m.start < layout.titleEnd { s.headline = true }
            if !dateline, m.start >= layout.titleEnd, m.start < layout.leadEnd { s.lead = true }
            if dateline { s.datelines += 1 }
            s.weight += weight
            placeSignals[m.entity] = s
        }
        let top = salience.values.max() ?? 0
        func isMain(_ c: Int32) -> Bool {
            let s = salience[c] ?? 0
            guard s >= Self.mainSalience else { return s == top && s > 0 }
            return s * 2 >= top || (s * 3 >= top && (count[c] ?? 0) >= 3)
        }
        var roles: [Int32: PlaceRole] = [:]
        for i in resolution.places.indices {
            let e = resolution.places[i].entity
            let c = countryIndex(of: e)
            let own = placeSignals[e] ?? (false, false, 0, 0)
            let role: PlaceRole = c >= 0 ? (isMain(c) ? .main : .mentioned) : (own.weight >= Self.mainSalience ? .main : .mentioned)
            var signals: [String] = []
            if own.headline { signals.append("headline") }
            if own.lead { signals.append("lead") }
            if own.datelines > 0 { signals.append("dateline") }
            if c >= 0 { signals.append("country salience \(salience[c] ?? 0) of \(top)") }
            resolution.places[i].role = role
            resolution.places[i].signals = signals
            roles[e] = role
        }
        for k in resolution.mentions.indices { resolution.mentions[k].role = roles[resolution.mentions[k].entity] ?? .mentioned }
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
