/// Case forms of Russian place names: "в Москве", "из Южной Кореи", "в Лас-Вегасе".
///
/// GeoNames and iso-codes give a place's Russian name in the nominative only, while running
/// text uses all six cases. Debian's hunspell-ru knows the names of 6% of the places (790 of
/// 12,606), pymorphy2 is Python with 90 MB of dictionaries, and place names follow a few
/// regular patterns, so the forms are generated from the name's ending (docs/design.md
/// §Gazetteer). Nouns ending in -о, -е, -и, -у, -ю, -э or (Kazakh and Uzbek) -ы do not decline
/// in place names and are left alone, as are short names, abbreviations and names with letters
/// outside the Russian alphabet; adjectives (-ое, -ые) and plural country names (Нидерланды) do
/// decline.
///
/// A name of several words declines its leading adjectives and its first noun ("Южная Корея"
/// → "Южной Кореи"; "Республика Казахстан" → "Республике Казахстан"; "Соединённые Штаты
/// Америки" → "Соединённых Штатах Америки"); both sides of "и" decline; in a hyphenated word
/// the last part does ("Нью-Йорк" → "Нью-Йорке"), and a noun before an adjective with it
/// ("Петропавловске-Камчатском").
enum RussianForms {
    /// Word forms by case: nominative, genitive, dative, accusative, instrumental, prepositional.
    /// Each case may have several forms (a soft sign ending is masculine or feminine).
    typealias Paradigm = [[String]]

    /// Every case form of `name` other than the name itself; empty when it does not decline.
    /// - Parameter plural: whether a single word ending in -ы/-и may be a plural noun
    ///   (Нидерланды); true for countries, where Kazakh -ы names (Алматы) do not occur.
    static func forms(of name: String, pluralNouns plural: Bool) -> [String] {
        // Most Cyrillic names in GeoNames are not Russian: they are turned away before any split.
        guard isRussian(name) else { return [] }
        let words = name.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard words.count <= 6, words.allSatisfy({ !$0.isEmpty }) else { return [] }
        var paradigms: [Paradigm] = []
        var declining = true
        for (i, word) in words.enumerated() {
            if word == "и" {
                // "Босния и Герцеговина": the second noun declines like the first.
                paradigms.append(same(word))
                declining = true
                continue
            }
            guard declining, let p = paradigm(word, pluralNouns: plural || (i > 0 && paradigms.last.map(isPluralAdjective) == true),
                                              alone: words.count == 1) else {
                paradigms.append(same(word))
                if declining, i > 0 { declining = false }
                continue
            }
            paradigms.append(p.forms)
            // Adjectives agree with the noun after them; a noun ends the declining part.
            if !p.adjective { declining = false }
        }
        // A name has a few forms per case, all built from its own bytes: they are told apart
        // by their bytes in a list, not hashed into a Set<String> (which normalises each one).
        var out: [String] = []
        for c in 1 ..< 6 {
            var combos = [""]
            for (i, p) in paradigms.enumerated() {
                combos = combos.flatMap { prefix in p[c].map { prefix + (i == 0 ? "" : " ") + $0 } }
            }
            for f in combos where !f.utf8.elementsEqual(name.utf8) && !out.contains(where: { $0.utf8.elementsEqual(f.utf8) }) {
                out.append(f)
            }
        }
        return out
    }

    private static func same(_ w: String) -> Paradigm { Array(repeating: [w], count: 6) }

    private static func isPluralAdjective(_ p: Paradigm) -> Bool {
        guard let nominative = p.first?.first else { return false }
        return nominative.hasSuffix("ые") || nominative.hasSuffix("ие")
    }

    /// Russian letters only: Ukrainian, Belarusian, Kazakh and Uzbek names (Київ, Қазақстан)
    /// decline by other rules, and Russian endings on them only add false keys.
    private static func isRussian(_ s: String) -> Bool {
        var letters = 0
        for u in s.unicodeScalars {
            // Russian letters, and what is surely no letter, without a Unicode property lookup.
            if (0x0410 ... 0x044F).contains(u.value) || u.value == 0x0401 || u.value == 0x0451 {
                letters += 1
                continue
            }
            if u.value < 0x41 || (u.value > 0x5A && u.value < 0x61) || (u.value > 0x7A && u.value < 0xAA) { continue }
            if u.properties.isAlphabetic { return false }
        }
        return letters > 0
    }

    static let consonants = Set("бвгджзклмнпрстфхцчшщ")
    /// After these, -ы is spelt -и (Прага → Праги).
    static let velarsAndSibilants = Set("гкхжшчщ")
    static let sibilants = Set("жшчщц")

    /// What `paradigm` needs of a word: its length in characters, whether one is lowercase,
    /// its characters in lowercase, and the word less its last character and last two. A word
    /// of printable ASCII and basic Cyrillic (nearly every name) is taken scalar by scalar, each
    /// scalar then being a character: breaking words into `Character`s and `lowercased()` were
    /// most of the time spent making forms.
    private static func shape(_ word: String) -> (count: Int, hasLowercase: Bool, lower: [Character], stem1: String, stem2: String) {
        let scalars = word.unicodeScalars
        guard scalars.allSatisfy({ ($0.value >= 0x20 && $0.value < 0x7F) || ($0.value >= 0x0400 && $0.value <= 0x045F) }) else {
            let letters = Array(word)
            return (letters.count, letters.contains(where: \.isLowercase), Array(word.lowercased()),
                    String(letters.dropLast()), String(letters.dropLast(2)))
        }
        var lower: [Character] = []
        var hasLowercase = false
        for scalar in scalars {
            let v = scalar.value
            if (v >= 0x61 && v <= 0x7A) || (v >= 0x0430 && v <= 0x045F) { hasLowercase = true }
            // A-Z and А-Я to a-z and а-я; Ѐ-Џ to ѐ-џ.
            let l = (v >= 0x41 && v <= 0x5A) || (v >= 0x0410 && v <= 0x042F) ? v + 0x20 : v >= 0x0400 && v <= 0x040F ? v + 0x50 : v
            lower.append(Character(Unicode.Scalar(l)!))
        }
        var stem1 = word, stem2 = word
        stem1.unicodeScalars.removeLast(min(1, lower.count))
        stem2.unicodeScalars.removeLast(min(2, lower.count))
        return (lower.count, hasLowercase, lower, stem1, stem2)
    }

    /// The paradigm of one word (a hyphenated word declines its last part), or nil when it
    /// does not decline.
    private static func paradigm(_ word: String, pluralNouns: Bool, alone: Bool = false) -> (forms: Paradigm, adjective: Bool)? {
        if let hyphen = word.utf8.lastIndex(of: UInt8(ascii: "-")) {
            let head = String(word[...hyphen]), tail = String(word[word.utf8.index(after: hyphen)...])
            guard let p = paradigm(tail, pluralNouns: pluralNouns, alone: false) else { return nil }
            var forms = p.forms.map { $0.map { head + $0 } }
            // "Петропавловск-Камчатский": a noun before an adjective declines with it.
            let first = String(head.dropLast())
            if p.adjective, !first.contains("-"), let last = first.last, consonants.contains(Character(last.lowercased())),
               let q = paradigm(first, pluralNouns: false, alone: false), !q.adjective {
                for c in 1 ..< 6 { forms[c] += q.forms[c].flatMap { h in p.forms[c].map { h + "-" + $0 } } }
            }
            return (forms, p.adjective)
        }
        let shape = Self.shape(word)
        // Abbreviations (США, ОАЭ) and short words (Ош stays Ош: too many short collisions).
        guard shape.count >= 4, shape.hasLowercase else { return nil }
        let lower = shape.lower
        let stem1 = shape.stem1, stem2 = shape.stem2
        let last = lower[lower.count - 1], prev = lower[lower.count - 2]
        func p(_ nom: String, _ gen: [String], _ dat: [String], _ acc: [String], _ ins: [String], _ pre: [String]) -> Paradigm {
            [[nom], gen, dat, acc, ins, pre]
        }
        switch (prev, last) {
        // Adjectives: Южная, Северный, Великий, Центральное, Объединённые.
        case ("а", "я"), ("я", "я"):
            let soft = prev == "я"
            return (p(word, [stem2 + (soft ? "ей" : "ой")], [stem2 + (soft ? "ей" : "ой")], [stem2 + (soft ? "юю" : "ую")],
                      [stem2 + (soft ? "ей" : "ой")], [stem2 + (soft ? "ей" : "ой")]), true)
        case ("ы", "й"), ("о", "й"), ("и", "й"):
            // Нижний → Нижнего; Свердловский, Великий → -ого; Донской → Донским.
            let velar = velarsAndSibilants.contains(lower[lower.count - 3])
            let soft = prev == "и" && !velar
            let i = prev == "и" || velar ? "и" : "ы"
            var forms = p(word, [stem2 + (soft ? "его" : "ого")], [stem2 + (soft ? "ему" : "ому")], [word],
                          [stem2 + i + "м"], [stem2 + (soft ? "ем" : "ом")])
            // A name on its own in -ой or -ий may be a noun: Ханой → Ханоя, в Ханое.
            if alone, prev != "ы" {
                for (c, ending) in [(1, "я"), (2, "ю"), (4, "ем"), (5, "е")] { forms[c].append(stem1 + ending) }
            }
            return (forms, true)
        case ("о", "е"), ("е", "е"):
            let soft = prev == "е"
            return (p(word, [stem2 + (soft ? "его" : "ого")], [stem2 + (soft ? "ему" : "ому")], [word],
                      [stem2 + (soft ? "им" : "ым")], [stem2 + (soft ? "ем" : "ом")]), true)
        case ("ы", "е"), ("и", "е"):
            let i = prev == "ы" ? "ы" : "и"
            return (p(word, [stem2 + i + "х"], [stem2 + i + "м"], [word], [stem2 + i + "ми"], [stem2 + i + "х"]), true)
        default:
            break
        }
        if consonants.contains(last) {
            // Москва's masculine kin: Ташкент, Бишкек, Лас-Вегас, Нью-Йорк.
            let ins = sibilants.contains(last) ? ["ем", "ом"] : ["ом"]
            // Towns named after people (Пушкин, Гагарин, Чехов): their genitive and dative are
            // the surname's ("улица Гагарина", "памятник Пушкину"), so only в Пушкине, Пушкином.
            let surname = ["ов", "ев", "ин", "ын"].contains(String(lower.suffix(2)))
            return (p(word, surname ? [] : [word + "а"], surname ? [] : [word + "у"], [word], ins.map { word + $0 }, [word + "е"]), false)
        }
        switch last {
        case "й":
            // Китай, Паттайя's masculine kin: Китая, Китаю, Китаем, Китае.
            return (p(word, [stem1 + "я"], [stem1 + "ю"], [word], [stem1 + "ем"], [stem1 + "е"]), false)
        case "ь":
            // Севастополь (masculine) and Тверь (feminine) are both common.
            return (p(word, [stem1 + "я", stem1 + "и"], [stem1 + "ю", stem1 + "и"], [word],
                      [stem1 + "ем", word + "ю"], [stem1 + "е", stem1 + "и"]), false)
        case "а":
            let y = velarsAndSibilants.contains(prev) ? "и" : "ы"
            let ins = sibilants.contains(prev) ? ["ей", "ой"] : ["ой"]
            return (p(word, [stem1 + y], [stem1 + "е"], [stem1 + "у"], ins.map { stem1 + $0 }, [stem1 + "е"]), false)
        case "я":
            // Сирия → Сирии; Гвинея → Гвинеи, Гвинее.
            let e = prev == "и" ? "и" : "е"
            return (p(word, [stem1 + "и"], [stem1 + e], [stem1 + "ю"], [stem1 + "ей"], [stem1 + e]), false)
        case "ы" where pluralNouns && consonants.contains(prev):
            // Нидерланды, Филиппины, Штаты.
            return (p(word, [stem1 + "ов"], [stem1 + "ам"], [word], [stem1 + "ами"], [stem1 + "ах"]), false)
        default:
            return nil
        }
    }
}
