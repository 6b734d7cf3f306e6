/// What an element's `class` or `id` says about it, read in one pass over the value: the
/// substring hints of Mozilla Readability (`REGEXPS.unlikelyCandidates`, `positive`, `negative`,
/// `byline`, `shareElements`) plus the page chrome news sites add (cookie banners, newsletters,
/// share bars), and whole-word hints (`ad`, `share`).
///
/// Patterns are matched by one small Aho–Corasick automaton, so a page with thousands of
/// classed elements costs one table step per byte of its class names.
struct ClassHints: OptionSet, Sendable {
    let rawValue: UInt16

    /// Chrome, not article: removed before scoring unless `maybeContent` also holds.
    static let unlikely = ClassHints(rawValue: 1 << 0)
    /// Chrome that no content word redeems (`newsletter`, `related`, `comment`, `share`, `cookie`…).
    static let chrome = ClassHints(rawValue: 1 << 7)
    /// `article`, `body`, `content`, `main`, `story`…: keeps an `unlikely` element.
    static let maybeContent = ClassHints(rawValue: 1 << 1)
    /// Readability's `positive`: +25 to a candidate's score.
    static let positive = ClassHints(rawValue: 1 << 2)
    /// Readability's `negative`: −25.
    static let negative = ClassHints(rawValue: 1 << 3)
    /// A byline (`byline`, `author`, `dateline`).
    static let byline = ClassHints(rawValue: 1 << 4)
    /// A share bar (`share` as a word, `sharedaddy`): dropped from the content when short.
    static let share = ClassHints(rawValue: 1 << 5)
    /// Text meant for screen readers only (`sr-only`, `visually-hidden`): not on screen.
    static let screenReaderOnly = ClassHints(rawValue: 1 << 6)

    /// The hints of one attribute value (`class` or `id`).
    static func of(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ClassHints {
        Automaton.shared.match(p, range)
    }

    /// Substring patterns and what each says. Lowercase; matched against the lowercased value.
    static let patterns: [(String, ClassHints)] = {
        var out: [(String, ClassHints)] = []
        func add(_ words: String, _ hint: ClassHints) {
            for w in words.split(separator: " ") { out.append((String(w), hint)) }
        }
        // Readability's unlikelyCandidates: chrome unless the value also says content.
        add("""
            -ad- ai2html banner combx community cover-wrap extra footer header legends menu remark replies rss \
            shoutbox sidebar skyscraper supplemental ad-break pagination pager yom-remote nav masthead toolbar
            """, .unlikely)
        // Chrome whatever else the value says: `related-content`, `newsletter--inbodyContent`.
        add("""
            newsletter subscribe signup cookie consent gdpr paywall share social related comment disqus outbrain \
            taboola popup modal promo sponsor breadcrumb trending popular recommend agegate login caption credit
            """, [.unlikely, .chrome])
        add("article body column content main mathjax shadow story", .maybeContent)
        add("article body content entry hentry h-entry main page pagination post text blog story", .positive)
        add("""
            -ad- hidden banner combx comment com- contact footer gdpr masthead media meta outbrain promo related scroll \
            share shoutbox sidebar skyscraper sponsor shopping tags widget
            """, .negative)
        add("byline author dateline writtenby p-author", .byline)
        add("sharedaddy", .share)
        add("sr-only screen-reader visually-hidden visuallyhidden", .screenReaderOnly)
        return out
    }()

    /// Whole words (between non-letters) that are hints only as words: `ad` in `ad-slot`, not in `head`.
    static func wordHint(_ packed: UInt64) -> ClassHints {
        for (w, h) in words where w == packed { return h }
        return []
    }

    private static let words: [(UInt64, ClassHints)] =
        ["ad", "ads", "adv", "advert", "adsense", "adslot", "adunit", "adbox", "dfp"].map { (pack($0), [.unlikely, .chrome, .negative]) }
        + [(pack("share"), .share), (pack("hid"), .negative)]

    static func pack(_ s: String) -> UInt64 {
        s.utf8.reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension ClassHints {
    /// The automaton over `patterns`: dense transitions on a small alphabet (letters, `-`, `2`),
    /// built once and never freed, read through raw pointers in the hot loop.
    final class Automaton: @unchecked Sendable {
        static let shared = Automaton(patterns)
        static let symbols = 29

        /// `next[state * symbols + symbol]`.
        private let next: UnsafeMutablePointer<UInt16>
        private let output: UnsafeMutablePointer<UInt16>
        /// Byte → symbol (0: any other byte); uppercase letters fold to lowercase.
        private let symbol: UnsafeMutablePointer<UInt8>

        init(_ patterns: [(String, ClassHints)]) {
            var symbol = [UInt8](repeating: 0, count: 256)
            for b in UInt8(ascii: "a") ... UInt8(ascii: "z") {
                symbol[Int(b)] = b - UInt8(ascii: "a") + 1
                symbol[Int(b - 0x20)] = b - UInt8(ascii: "a") + 1
            }
            symbol[Int(UInt8(ascii: "-"))] = 27
            symbol[Int(UInt8(ascii: "2"))] = 28
            let (goto, out) = Self.build(patterns, symbol: symbol)
            self.next = .allocate(capacity: goto.count * Self.symbols)
            for (s, row) in goto.enumerated() {
                for (c, t) in row.enumerated() { next[s * Self.symbols + c] = UInt16(t) }
            }
            self.output = .allocate(capacity: out.count)
            output.initialize(from: out, count: out.count)
            self.symbol = .allocate(capacity: 256)
            self.symbol.initialize(from: symbol, count: 256)
        }

        /// The trie of `patterns` with breadth-first failure links folded in (a total goto
        /// function), and each state's output.
        private static func build(_ patterns: [(String, ClassHints)], symbol: [UInt8]) -> ([[Int]], [UInt16]) {
            let n = symbols
            var goto: [[Int]] = [[Int](repeating: -1, count: n)]
            var out: [UInt16] = [0]
            for (word, hint) in patterns {
                var s = 0
                for b in word.utf8 {
                    let c = Int(symbol[Int(b)])
                    if goto[s][c] < 0 {
                        goto[s][c] = goto.count
                        goto.append([Int](repeating: -1, count: n))
                        out.append(0)
                    }
                    s = goto[s][c]
                }
                out[s] |= hint.rawValue
            }
            var fail = [Int](repeating: 0, count: goto.count)
            var queue: [Int] = []
            for c in 0 ..< n {
                if goto[0][c] < 0 { goto[0][c] = 0 } else { queue.append(goto[0][c]) }
            }
            var head = 0
            while head < queue.count {
                let s = queue[head]
                head += 1
                out[s] |= out[fail[s]]
                for c in 0 ..< n {
                    let t = goto[s][c]
                    if t < 0 {
                        goto[s][c] = goto[fail[s]][c]
                    } else {
                        fail[t] = s == 0 ? 0 : goto[fail[s]][c]
                        queue.append(t)
                    }
                }
            }
            return (goto, out)
        }

        /// The hints of `p[range]`. A chrome word counts when no content word redeems it: a
        /// content word in another class does (`box article modal-enabled`), one in the same
        /// class does not (`related-articles`, `newsletter--inbodyContent`).
        func match(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> ClassHints {
            var classes = ClassScan()
            var state = 0
            var word: UInt64 = 0
            var wordLength = 0
            for k in range {
                let b = p[k]
                let c = Int(symbol[Int(b)])
                state = Int(next[state &* Self.symbols &+ c])
                classes.token |= output[state]
                // Words: letters only, so `ad-slot` holds the word `ad`.
                if c >= 1 && c <= 26 {
                    word = word << 8 | UInt64(c + 0x60)
                    wordLength += 1
                    continue
                }
                if wordLength > 0, wordLength <= 8 { classes.token |= ClassHints.wordHint(word).rawValue }
                word = 0
                wordLength = 0
                if HTMLTokenizer.isSpace(b) { classes.endClass() }
            }
            if wordLength > 0, wordLength <= 8 { classes.token |= ClassHints.wordHint(word).rawValue }
            classes.endClass()
            return classes.result
        }
    }

    /// What the classes of one value say, class by class.
    private struct ClassScan {
        var hints: UInt16 = 0
        var token: UInt16 = 0
        var chromeOnly = false, chromeWithContent = false, content = false

        mutating func endClass() {
            let t = ClassHints(rawValue: token)
            if t.contains(.chrome) {
                if t.contains(.maybeContent) { chromeWithContent = true } else { chromeOnly = true }
            }
            if t.contains(.maybeContent) { content = true }
            hints |= token
            token = 0
        }

        var result: ClassHints {
            var r = ClassHints(rawValue: hints)
            r.remove(.chrome)
            if chromeWithContent || (chromeOnly && !content) { r.insert(.chrome) }
            return r
        }
    }
}
