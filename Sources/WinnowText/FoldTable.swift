import Foundation
import WinnowCache

/// How a folded scalar takes part in words.
public enum ScalarClass: UInt8, Sendable {
    /// Punctuation and symbols: ends a word, kept in the folded text.
    case separator = 0
    /// Letters and digits.
    case word = 1
    /// Whitespace of any kind, line breaks included: a run becomes one space.
    case space = 2
    /// Hyphens: treated as a space, so `sleeper-cell` matches the phrase `sleeper cell`.
    case hyphen = 3
    /// Invisible inside words (soft hyphen, joiners, combining marks, tatweel): dropped.
    case ignorable = 4
}

/// Case, diacritic and width folding for every scalar of the Basic Multilingual Plane.
///
/// Built once per process from Foundation's folding (about 0.1 s), then applied byte-wise, which
/// runs ten times faster than `String.folding` per document (notes/swift-performance.md §2).
/// On top of Foundation: Kazakh letters fold to their Russian base letters (қ→к, ө→о, ү→у …),
/// letters with strokes to their base (ø→o, ł→l, ı→i), Arabic alef and yeh forms are unified,
/// and typographic quotes become ASCII ones. docs/rules.md lists the rules.
public final class FoldTable: Sendable {
    /// Read from the cache folder when a previous process saved it (building it takes a third
    /// of start-up: Foundation folds 25,000 scalars one by one), else built and saved.
    public static let shared: FoldTable = {
        let store = CacheStore.standard()
        if let store, let saved = FoldTable(cachedIn: store) { return saved }
        let table = FoldTable()
        if let store { table.save(to: store) }
        return table
    }()

    /// For scalar v < 0x10000: folded UTF-8 in `bytes[start[v] ..< start[v + 1]]`.
    let start: [UInt32]
    let bytes: [UInt8]
    let classes: [UInt8]
    /// The most bytes one scalar folds to (the fold reserves this much room per step).
    let maxFoldedBytes: Int

    /// The table depends on the Unicode data of the Swift runtime and Foundation, so the cache
    /// key covers those libraries besides the binary.
    private static func cacheKey() -> (name: String, key: [UInt8]) {
        let key = CacheKey(format: "winnow-foldtable-1")
        key.addRuntimeLibraries()
        let digest = key.finalize()
        return (CacheStore.fileName(family: "foldtable-", digest: digest, bytes: 6), digest)
    }

    private func save(to store: CacheStore) {
        var w = ByteWriter()
        w.write(start)
        w.write(bytes)
        w.write(classes)
        let (name, key) = Self.cacheKey()
        store.store(name: name, key: key, payload: w.bytes, family: "foldtable-", keep: 2)
    }

    /// A saved table, checked: the fold indexes `bytes` through `start` without bounds checks
    /// of its own, so a table that could send it out of range is refused.
    private init?(cachedIn store: CacheStore) {
        let (name, key) = Self.cacheKey()
        guard let payload = store.load(name: name, key: key) else { return nil }
        var r = ByteReader(payload)
        guard let start = r.read([UInt32].self), let bytes = r.read([UInt8].self), let classes = r.read([UInt8].self),
              r.isAtEnd, start.count == 0x10001, classes.count == 0x10000, start[0] == 0,
              Int(start[0x10000]) == bytes.count, zip(start, start.dropFirst()).allSatisfy({ $0 <= $1 }),
              classes.allSatisfy({ $0 <= ScalarClass.ignorable.rawValue })
        else { return nil }
        self.start = start
        self.bytes = bytes
        self.classes = classes
        maxFoldedBytes = Self.longestFold(start)
    }

    private static func longestFold(_ start: [UInt32]) -> Int {
        var longest = 4
        for v in 0 ..< 0x10000 { longest = max(longest, Int(start[v + 1] - start[v])) }
        return longest
    }

    /// Builds the table with Foundation (tests compare a built table with the shared one).
    init() {
        var start = [UInt32](repeating: 0, count: 0x10001)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160_000)
        var classes = [UInt8](repeating: 0, count: 0x10000)
        for v in 0..<0x10000 {
            start[v] = UInt32(bytes.count)
            guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }  // surrogates
            // Han ideographs, Hangul syllables, Yi and private use fold to themselves: skipping
            // Foundation for these 40,000 scalars makes start-up three times faster.
            if (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA48F).contains(v)
                || (0xAC00...0xD7A3).contains(v) || (0xE000...0xF8FF).contains(v) {
                classes[v] = (0xE000...0xF8FF).contains(v) ? ScalarClass.separator.rawValue : ScalarClass.word.rawValue
                bytes.append(contentsOf: String(scalar).utf8)
                continue
            }
            let (folded, cls) = FoldTable.fold(scalar)
            classes[v] = cls.rawValue
            if cls == .word || cls == .separator {
                bytes.append(contentsOf: folded.utf8)
            }
        }
        start[0x10000] = UInt32(bytes.count)
        self.maxFoldedBytes = Self.longestFold(start)
        self.start = start
        self.bytes = bytes
        self.classes = classes
    }

    /// The raw tables, one after another: what a cache of folded data must be keyed by.
    public func withTables(_ body: (UnsafeRawBufferPointer) -> Void) {
        start.withUnsafeBytes(body)
        bytes.withUnsafeBytes(body)
        classes.withUnsafeBytes(body)
    }

    /// The tables as buffers, for loops that fold as they go (`FoldCursor`, `WordTable`).
    @frozen public struct Buffers {
        @usableFromInline let start: UnsafeBufferPointer<UInt32>
        @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
        @usableFromInline let classes: UnsafeBufferPointer<UInt8>
        @usableFromInline let asciiFold: UnsafeBufferPointer<UInt8>
        @usableFromInline let asciiClass: UnsafeBufferPointer<UInt8>

        /// Class of scalar `v`.
        @inlinable @inline(__always)
        func scalarClass(_ v: UInt32) -> UInt8 {
            v < 0x10000 ? classes[Int(v)] : FoldTable.classOutsideBMP(v).rawValue
        }
    }

    public func withBuffers<R>(_ body: (Buffers) throws -> R) rethrows -> R {
        try start.withUnsafeBufferPointer { start in
        try bytes.withUnsafeBufferPointer { bytes in
        try classes.withUnsafeBufferPointer { classes in
        try FoldTable.asciiFold.withUnsafeBufferPointer { asciiFold in
        try FoldTable.asciiClass.withUnsafeBufferPointer { asciiClass in
            try body(Buffers(start: start, bytes: bytes, classes: classes, asciiFold: asciiFold, asciiClass: asciiClass))
        }}}}}
    }

    /// The folded form of each ASCII byte: lowercase letters, a space for spaces and hyphens.
    static let asciiFold: [UInt8] = (0 ..< 128).map { b -> UInt8 in
        let b = UInt8(b)
        return asciiClass[Int(b)] == 2 ? 0x20 : (b >= 0x41 && b <= 0x5A ? b + 0x20 : b)
    }

    /// 1: letter or digit, 2: space or hyphen, 3: ignorable (DEL, see `FoldedText.fold`), 0:
    /// other (a separator), for ASCII bytes.
    static let asciiClass: [UInt8] = (0 ..< 128).map { b -> UInt8 in
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: 1
        case 0x09...0x0D, 0x20, 0x2D: 2
        case 0x7F: 3
        default: 0
        }
    }

    /// Class of a scalar outside the BMP (emoji, rare CJK, historic scripts): kept as written.
    @usableFromInline
    static func classOutsideBMP(_ v: UInt32) -> ScalarClass {
        guard let s = Unicode.Scalar(v) else { return .separator }
        return s.properties.isAlphabetic ? .word : .separator
    }

    private static let extra: [Unicode.Scalar: String] = {
        var m: [Unicode.Scalar: String] = [:]
        // Kazakh (and Tatar, Bashkir) letters to the Russian letter a Russian text writes instead.
        for (k, v) in [("ә", "а"), ("ғ", "г"), ("қ", "к"), ("ң", "н"), ("ө", "о"), ("ұ", "у"),
                       ("ү", "у"), ("һ", "х"), ("і", "и"), ("ҙ", "з"), ("ҫ", "с"), ("ҡ", "к")] {
            m[k.unicodeScalars.first!] = v
            m[k.uppercased().unicodeScalars.first!] = v
        }
        // Letters with strokes, which Unicode does not decompose.
        for (k, v) in [("ø", "o"), ("Ø", "o"), ("ł", "l"), ("Ł", "l"), ("đ", "d"), ("Đ", "d"),
                       ("ħ", "h"), ("Ħ", "h"), ("ı", "i"), ("ŧ", "t"), ("Ŧ", "t"), ("ß", "ss"),
                       ("ẞ", "ss"), ("æ", "ae"), ("Æ", "ae"), ("œ", "oe"), ("Œ", "oe"), ("İ", "i")] {
            m[k.unicodeScalars.first!] = v
        }
        // Arabic: hamza forms of alef, alef maksura and teh marbuta, as search engines normalise them.
        for (k, v) in [("\u{0622}", "\u{0627}"), ("\u{0623}", "\u{0627}"), ("\u{0625}", "\u{0627}"),
                       ("\u{0671}", "\u{0627}"), ("\u{0649}", "\u{064A}"), ("\u{0629}", "\u{0647}"),
                       ("\u{06CC}", "\u{064A}"), ("\u{06A9}", "\u{0643}")] {
            m[k.unicodeScalars.first!] = v
        }
        // Quotes and apostrophes.
        for k in ["\u{2018}", "\u{2019}", "\u{201A}", "\u{201B}", "\u{2032}", "\u{02BC}", "\u{FF07}"] {
            m[k.unicodeScalars.first!] = "'"
        }
        for k in ["\u{201C}", "\u{201D}", "\u{201E}", "\u{201F}", "\u{2033}", "\u{FF02}"] {
            m[k.unicodeScalars.first!] = "\""
        }
        return m
    }()

    private static let hyphens: Set<UInt32> = [0x2D, 0x2010, 0x2011, 0xFE63, 0xFF0D]
    private static let ignorables: Set<UInt32> = [0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x0640, 0x034F]

    /// The folded form and class of one scalar.
    static func fold(_ s: Unicode.Scalar) -> (String, ScalarClass) {
        let v = s.value
        if hyphens.contains(v) { return ("", .hyphen) }
        if ignorables.contains(v) { return ("", .ignorable) }
        let p = s.properties
        if p.isWhitespace || v == 0x0A || v == 0x0D || v == 0x85 { return ("", .space) }
        if (0xFE00...0xFE0F).contains(v) { return ("", .ignorable) }  // variation selectors
        switch p.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return ("", .ignorable)
        case .control, .format, .surrogate, .privateUse, .unassigned: return (String(s), .separator)
        default: break
        }
        var folded = extra[s] ?? String(s).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        // Anything Foundation left uppercase (rare) still gets the stdlib's lowercase mapping.
        if folded.unicodeScalars.count == 1, let only = folded.unicodeScalars.first, only.properties.isUppercase {
            folded = only.properties.lowercaseMapping
        }
        // Combining marks that folding left behind are dropped, as a mark alone is dropped.
        folded = String(String.UnicodeScalarView(folded.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark && $0.properties.generalCategory != .enclosingMark
        }))
        if folded.isEmpty { return ("", .ignorable) }
        let isWord = p.isAlphabetic || p.numericType == .decimal || p.generalCategory == .decimalNumber
        return (folded, isWord ? .word : .separator)
    }
}
