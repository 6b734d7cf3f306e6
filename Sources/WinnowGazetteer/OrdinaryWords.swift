#if canImport(Glibc)
import Glibc
#endif

/// Whether a capitalised word before a place name is an ordinary word, not part of a name.
///
/// At the start of a sentence every word is capitalised, so "Police Aktobe…" or "В Алматы…"
/// looks like "Serik Beissembayev". The word is ordinary when it is a function word, or when
/// the same document also writes it in lowercase (truecasing from the document itself: "полиция"
/// appears lowercase in a story about the police; "Serik" never does).
struct OrdinaryWords {
    let text: [UInt8]
    private var known: [ArraySlice<UInt8>: Bool] = [:]
    /// Each lookup scans the text: a hostile document with many distinct sentence-initial
    /// words gets a bounded number of scans, then counts the rest as names.
    static let maxLookups = 256

    init(text: [UInt8]) { self.text = text }

    /// Prepositions, articles, conjunctions and pronouns of English and Russian that open
    /// sentences before a place name.
    static let functionWords: Set<String> = [
        "in", "at", "on", "from", "to", "for", "of", "the", "a", "an", "near", "by", "with", "and", "but", "or",
        "after", "before", "during", "since", "outside", "inside", "across", "throughout", "around",
        "between", "like", "unlike", "as", "while", "when", "if", "both", "neither", "either",
        "в", "во", "на", "из", "изо", "с", "со", "к", "ко", "по", "у", "о", "об", "обо", "от", "до", "за", "под",
        "над", "при", "для", "около", "возле", "через", "после", "перед", "между", "и", "а", "но", "или", "как",
        "где", "когда", "если", "также", "тогда", "ни", "не", "же",
    ]

    /// Words that name a kind of place or a direction: "Lake Balkhash", "North Waziristan" are
    /// no person's name.
    static let genericWords: Set<String> = [
        "lake", "mount", "river", "cape", "port", "fort", "gulf", "bay", "island", "islands", "saint", "st", "san",
        "santa", "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
        "greater", "upper", "lower", "new", "old", "city", "province", "region", "district", "county",
        "озеро", "река", "город", "село", "поселок", "посёлок", "область", "район", "северный", "южный",
        "западный", "восточный", "северная", "южная", "западная", "восточная", "новый", "новая",
    ]

    /// Words that follow a company's or an institution's name: "Titan Corp", "Massy Stores".
    static let organisationWords: Set<String> = [
        "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc", "group", "company", "co",
        "holdings", "holding", "bank", "stores", "airlines", "airways", "motors", "industries", "international",
        "enterprises", "partners", "capital", "ventures", "technologies", "systems", "communications",
        "university", "college", "institute", "foundation", "trust", "fc",
        "банк", "групп", "холдинг", "университет", "институт",
    ]

    static func isOrganisation(_ word: ArraySlice<UInt8>) -> Bool {
        word.count <= 32 && organisationWords.contains(lowercased(word))
    }

    static func lowercased(_ word: ArraySlice<UInt8>) -> String {
        String(decoding: word, as: UTF8.self).lowercased()
    }

    static func isGeneric(_ word: ArraySlice<UInt8>) -> Bool {
        word.count <= 32 && genericWords.contains(lowercased(word))
    }

    mutating func isOrdinary(_ word: ArraySlice<UInt8>) -> Bool {
        guard !word.isEmpty, word.count <= 64 else { return false }
        let lower = Self.lowercased(word)
        if Self.functionWords.contains(lower) { return true }
        if let k = known[word] { return k }
        guard known.count < Self.maxLookups else { return false }
        let found = occursAsWord(Array(lower.utf8))
        known[word] = found
        return found
    }

    /// Whether `needle` occurs in the text as a whole word, as written (so in lowercase).
    private func occursAsWord(_ needle: [UInt8]) -> Bool {
        guard needle != [] else { return false }
        return text.withUnsafeBytes { hay in
            needle.withUnsafeBytes { n in
                guard let base = hay.baseAddress else { return false }
                var from = 0
                let first = Int32(n[0])
                while from + n.count <= hay.count, let hit = memchr(base + from, first, hay.count - from - n.count + 1) {
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    let end = at + n.count
                    if memcmp(base + at, n.baseAddress!, n.count) == 0, !Self.isLetter(before: at, in: hay),
                       end >= hay.count || !Self.isLetter(at: end, in: hay) { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// Letters are ASCII letters and any non-ASCII byte (Cyrillic and other scripts).
    private static func isLetter(at i: Int, in b: UnsafeRawBufferPointer) -> Bool {
        let c = b[i]
        return c >= 0x80 || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func isLetter(before i: Int, in b: UnsafeRawBufferPointer) -> Bool {
        i > 0 && isLetter(at: i - 1, in: b)
    }
}
