#if canImport(Glibc)
import Glibc
#endif
import WinnowText

/// Whether a capitalised word before a place name is an ordinary word, not part of a name.
///
/// At the start of a sentence every word is capitalised, so "Police Aktobe…" or "В Алматы…"
/// looks like "Serik Beissembayev". The word is ordinary when it is a function word, or when
/// the same document also writes it in lowercase (truecasing from the document itself: "полиция"
/// appears lowercase in a story about the police; "Serik" never does). The lowercase words are
/// collected once per document, on the first question.
struct OrdinaryWords {
    let text: [UInt8]
    /// Hashes of every word of the text written in lowercase, found on first use in one pass.
    private var lowercase: WordHashes?

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

    /// Words that make the name before them a newspaper's: "The Washington Post", "China Daily",
    /// "Sydney Morning Herald".
    static let newspaperWords: Set<String> = [
        "times", "post", "tribune", "herald", "journal", "gazette", "independent", "telegraph", "chronicle",
        "globe", "observer", "daily", "morning", "evening", "courier", "mercury", "express", "guardian",
        "standard", "mirror", "star",
    ]

    // The word lists as hashes of their bytes, the form `isOrdinary` and the others look up:
    // a String and `lowercased()` per question were a twentieth of classifying a document.
    private static let functionHashes = Set(functionWords.map { hash(Array($0.utf8)[...]) })
    private static let genericHashes = Set(genericWords.map { hash(Array($0.utf8)[...]) })
    private static let organisationHashes = Set(organisationWords.map { hash(Array($0.utf8)[...]) })
    private static let newspaperHashes = Set(newspaperWords.map { hash(Array($0.utf8)[...]) })

    static func isOrganisation(_ word: ArraySlice<UInt8>) -> Bool {
        word.count <= 32 && organisationHashes.contains(lowercaseHash(word))
    }

    static func isNewspaper(_ word: ArraySlice<UInt8>) -> Bool {
        word.count <= 32 && newspaperHashes.contains(lowercaseHash(word))
    }

    static func isGeneric(_ word: ArraySlice<UInt8>) -> Bool {
        word.count <= 32 && genericHashes.contains(lowercaseHash(word))
    }

    mutating func isOrdinary(_ word: ArraySlice<UInt8>) -> Bool {
        guard !word.isEmpty, word.count <= 64 else { return false }
        let h = Self.lowercaseHash(word)
        if Self.functionHashes.contains(h) { return true }
        if lowercase == nil, searches < Self.searchesBeforeHashing, text.count <= Self.searchedTextLimit {
            searches += 1
            return Self.isWrittenLowercase(Self.lowercaseBytes(word), in: text)
        }
        if lowercase == nil { lowercase = Self.lowercaseWords(text) }
        return lowercase!.contains(h)
    }

    /// Questions answered by searching the text before its lowercase words are hashed: the
    /// bench's 5,000 news documents asked 2,717 in all (none in most of them), and hashing
    /// every word of each that asked was 3% of classifying. Past this many, one pass serves
    /// every question.
    static let searchesBeforeHashing = 4
    /// A longer text is hashed at the first question: one pass then answers them all.
    static let searchedTextLimit = 1 << 20
    private var searches = 0

    /// Whether `lower` is one of the words `lowercaseWords` collects: a whole run of letters
    /// somewhere in `text`, starting with a lowercase letter, up to 64 bytes.
    static func isWrittenLowercase(_ lower: [UInt8], in text: [UInt8]) -> Bool {
        guard !lower.isEmpty, lower.count <= 64, lower.count <= text.count else { return false }
        return text.withUnsafeBytes { t in
            lower.withUnsafeBytes { needle in
                // memchr for one byte, then the rest (Glibc's Swift module lacks memmem). For a
                // Cyrillic word the second byte: the first (D0, D1) starts every letter of a
                // Russian text, and stopped memchr at each.
                let k = lower[0] >= 0xC0 && lower.count >= 2 ? 1 : 0
                let probe = Int32(lower[k]), last = text.count - lower.count + k
                var from = k
                while from <= last, let found = memchr(t.baseAddress! + from, probe, last - from + 1) {
                    let at = UnsafeRawPointer(found) - t.baseAddress!
                    let start = at - k
                    if memcmp(t.baseAddress! + start, needle.baseAddress!, lower.count) == 0,
                       isLetterRun(text, start, start + lower.count) { return true }
                    from = at + 1
                }
                return false
            }
        }
    }

    /// Whether `text[start ..< end]` is a maximal run of letters whose first one is lowercase.
    private static func isLetterRun(_ text: [UInt8], _ start: Int, _ end: Int) -> Bool {
        if start > 0 {
            var before = start - 1
            while before > 0, text[before] & 0xC0 == 0x80 { before -= 1 }
            if classify(text, before).letter { return false }
        }
        let first = classify(text, start)
        guard first.letter, first.lower else { return false }
        var i = start + first.length
        while i < end {
            let c = classify(text, i)
            guard c.letter else { return false }
            i += c.length
        }
        return i == end && (end == text.count || !classify(text, end).letter)
    }

    /// The hash of `word` in lowercase. ASCII and basic Cyrillic capitals are lowered by their
    /// bytes; a word with any other letter goes through `String.lowercased()`.
    static func lowercaseHash(_ word: ArraySlice<UInt8>) -> UInt64 {
        var h = FNV1a()
        guard lowerByBytes(word, { h.add($0) }) else {
            return hash(Array(String(decoding: word, as: UTF8.self).lowercased().utf8)[...])
        }
        return h.value
    }

    /// The bytes `lowercaseHash` hashes.
    static func lowercaseBytes(_ word: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(word.count)
        guard lowerByBytes(word, { out.append($0) }) else { return Array(String(decoding: word, as: UTF8.self).lowercased().utf8) }
        return out
    }

    /// Hands on `word` in lowercase byte by byte; false, part way, at a letter other than ASCII
    /// or basic Cyrillic.
    @inline(__always)
    private static func lowerByBytes(_ word: ArraySlice<UInt8>, _ add: (UInt8) -> Void) -> Bool {
        var i = word.startIndex
        while i < word.endIndex {
            let b = word[i]
            if b < 0x80 {
                add(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                i += 1
                continue
            }
            guard b == 0xD0 || b == 0xD1, i + 1 < word.endIndex else { return false }
            let c = word[i + 1]
            switch (b, c) {
            case (0xD0, 0x80 ... 0x8F): add(0xD1); add(c + 0x10)  // Ѐ…Џ → ѐ…џ
            case (0xD0, 0x90 ... 0x9F): add(0xD0); add(c + 0x20)  // А…П → а…п
            case (0xD0, 0xA0 ... 0xAF): add(0xD1); add(c - 0x20)  // Р…Я → р…я
            case (0xD0, 0xB0 ... 0xBF), (0xD1, 0x80 ... 0x9F): add(b); add(c)
            default: return false
            }
            i += 2
        }
        return true
    }

    /// FNV-1a: a collision between two words of one document is as likely as a cosmic ray.
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 { FNV1a.hash(bytes) }

    /// Hashes of the words (runs of letters, in any script) that start with a lowercase letter,
    /// up to 64 bytes long. Latin, Cyrillic and common punctuation are told apart by their bytes:
    /// Unicode property lookups for every character were a tenth of a document's time.
    static func lowercaseWords(_ text: [UInt8]) -> WordHashes {
        // Distinct words grow far slower than the text: sized for a news story, grown as needed.
        var out = WordHashes(capacity: min(text.count / 16, 4096))
        var i = 0, start = -1, lower = false
        while i <= text.count {
            var letter = false, isLower = false, length = 1
            if i < text.count {
                (letter, isLower, length) = classify(text, i)
            }
            if letter, start < 0 {
                start = i
                lower = isLower
            } else if !letter, start >= 0 {
                if lower, i - start <= 64 { out.insert(hash(text[start ..< i])) }
                start = -1
            }
            i += length
        }
        return out
    }

    /// Whether the character at `i` is a letter, a lowercase one, and its length in bytes.
    @inline(__always)
    static func classify(_ text: [UInt8], _ i: Int) -> (letter: Bool, lower: Bool, length: Int) {
        let b = text[i]
        if b < 0x80 { return ((b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A), b >= 0x61, 1) }
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + 1 < text.count else { return (false, false, 1) }
        let c = text[i + 1]
        switch b {
        case 0xD0: return (true, c >= 0xB0, 2)                // А-Я Ѐ-Џ upper; а-п lower
        case 0xD1: return (true, c < 0xA0, 2)                 // р-я ѐ-џ lower; Ѡ… pairs follow
        case 0xC2, 0xE2: return (false, false, length)        // Latin-1 and general punctuation («», “”, —)
        case 0xC3: return (c != 0x97 && c != 0xB7, c >= 0xA0, 2)  // À-ÿ without × ÷
        default:
            guard let s = Surface.scalar(at: i, in: text) else { return (false, false, 1) }
            return (s.properties.isAlphabetic, s.properties.isLowercase, length)
        }
    }
}

/// A set of word hashes (FNV-1a, already spread over 64 bits): open addressing, so an insert
/// is a multiply and a probe, not `Set<UInt64>` hashing each hash again (which was a third of
/// finding a document's lowercase words).
struct WordHashes {
    private var slots: [UInt64]
    private var bits: Int
    private var count = 0
    /// Slots allocated: memory grows with the distinct words, not with the text.
    var slotCount: Int { slots.count }

    init(capacity: Int) {
        var bits = 6
        while 1 << bits < capacity * 2 { bits += 1 }
        slots = [UInt64](repeating: 0, count: 1 << bits)
        self.bits = bits
    }

    @inline(__always)
    private func slot(_ h: UInt64) -> Int { fibonacciSlot(h, bits: bits) }

    /// 0 marks an empty slot, so the hash 0 is kept as 1.
    mutating func insert(_ hash: UInt64) {
        let h = hash == 0 ? 1 : hash
        let mask = slots.count - 1
        var i = slot(h)
        while slots[i] != 0 {
            if slots[i] == h { return }
            i = (i + 1) & mask
        }
        slots[i] = h
        count += 1
        if count * 2 > slots.count { grow() }
    }

    func contains(_ hash: UInt64) -> Bool {
        let h = hash == 0 ? 1 : hash
        let mask = slots.count - 1
        var i = slot(h)
        while slots[i] != 0 {
            if slots[i] == h { return true }
            i = (i + 1) & mask
        }
        return false
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        bits += 1
        count = 0
        for h in old where h != 0 { insert(h) }
    }
}
