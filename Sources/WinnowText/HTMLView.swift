/// Blanks HTML markup in place: block-level and unknown tags, comments, `<script>` and `<style>`
/// contents become spaces; inline tags (`<b>`, `<a …>`, `<em>`…) and character references
/// become padding, so a word split by them stays one word (see `TextView`).
enum HTMLView {
    static func looksLikeHTML(_ text: [UInt8]) -> Bool {
        var i = 0
        while i < text.count, i < 1024, text[i] == 0x20 || text[i] == 0x0A || text[i] == 0x0D || text[i] == 0x09 || text[i] == 0xEF || text[i] == 0xBB || text[i] == 0xBF { i += 1 }
        guard i < text.count, text[i] == UInt8(ascii: "<") else { return false }
        let head = Array(text[i ..< min(text.count, i + 2048)])
        for marker in ["<!doctype html", "<html", "<head", "<body"] {
            for j in head.indices where head[j] == UInt8(ascii: "<") && ViewBytes.hasPrefix(head, at: j, marker) { return true }
        }
        return false
    }

    /// Blanks markup inside `range`; returns the `<title>` text if there is one.
    @discardableResult
    static func blank(_ bytes: inout [UInt8], _ range: Range<Int>) -> String? {
        var title: String?
        var titleStart: Int?
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "<") {
                if ViewBytes.hasPrefix(bytes, at: i, "<!--") {
                    let close = find(bytes, "-->", from: i + 4, end: end).map { $0 + 3 } ?? end
                    ViewBytes.blank(&bytes, i ..< close)
                    i = close
                    continue
                }
                // HTML5 tokenization: `<` opens a tag only before a letter, `/` and a letter,
                // `!` or `?`; otherwise it is text ("price < 5").
                let closing = i + 1 < end && bytes[i + 1] == UInt8(ascii: "/")
                let nameStart = closing ? i + 2 : i + 1
                guard nameStart < end, isLetter(bytes[nameStart])
                        || (!closing && (bytes[nameStart] == UInt8(ascii: "!") || bytes[nameStart] == UInt8(ascii: "?"))) else {
                    i += 1
                    continue
                }
                let tagEnd = closing ? (bytes[i ..< end].firstIndex(of: UInt8(ascii: ">")) ?? (end - 1)) + 1
                                     : Self.tagEnd(bytes, from: nameStart, end: end)
                let name = tagName(bytes, from: nameStart, end: tagEnd)
                if name == script || name == style || name == titleName {
                    if name == titleName, !closing { titleStart = tagEnd }
                    if name == titleName, closing, let t = titleStart, title == nil {
                        title = ViewBytes.string(bytes[t ..< i])
                    }
                }
                if inlineNames.contains(name) {
                    // Rendered without a break: `Ak<b>tobe</b>` is one word, as on screen.
                    ViewBytes.overwrite(&bytes, i ..< tagEnd, with: EmptyCollection())
                } else {
                    ViewBytes.blank(&bytes, i ..< tagEnd)
                }
                i = tagEnd
                if !closing, name == script || name == style {
                    let close = find(bytes, name == script ? "</script" : "</style", from: i, end: end) ?? end
                    ViewBytes.blank(&bytes, i ..< close)
                    i = close
                }
                continue
            }
            if b == UInt8(ascii: "&") {
                i = reference(&bytes, at: i, end: end)
                continue
            }
            i += 1
        }
        return title.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// One past the `>` that ends a start tag (or `end`): a `>` inside a quoted attribute value
    /// (`<a title="x > y">`) does not end it. A quote left open within 64 KiB is ignored, and the
    /// first `>` after it ends the tag, so a stray quote cannot hide the rest of the page.
    static func tagEnd(_ bytes: [UInt8], from start: Int, end: Int) -> Int {
        var j = start
        var afterEquals = false
        while j < end {
            let c = bytes[j]
            if c == UInt8(ascii: ">") { return j + 1 }
            if afterEquals, c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                let limit = min(end, j + 1 + 65536)
                if let q = bytes[j + 1 ..< limit].firstIndex(of: c) {
                    j = q + 1
                    afterEquals = false
                    continue
                }
            }
            // DEL is padding (quoted-printable `=3D` decodes to `=` and two DELs): not a value.
            if c == UInt8(ascii: "=") { afterEquals = true } else if c > 0x20, c != 0x7F { afterEquals = false }
            j += 1
        }
        return end
    }

    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    /// A tag's name, lowercased and packed (see `pack`); 0 when longer than 8 bytes.
    static func tagName(_ bytes: [UInt8], from start: Int, end: Int) -> UInt64 {
        var j = start
        while j < end, bytes[j] > 0x20, bytes[j] != UInt8(ascii: "/"), bytes[j] != UInt8(ascii: ">") { j += 1 }
        return pack(bytes[start ..< j], lowercased: true) ?? 0
    }

    /// Up to 8 ASCII bytes as one integer, so a name is looked up without building a String.
    static func pack(_ name: some Collection<UInt8>, lowercased: Bool = false) -> UInt64? {
        guard name.count <= 8 else { return nil }
        var key: UInt64 = 0
        for b in name {
            guard b < 0x80 else { return nil }
            key = key << 8 | UInt64(lowercased ? ViewBytes.lower(b) : b)
        }
        return key
    }

    private static let script = pack(Array("script".utf8))!
    private static let style = pack(Array("style".utf8))!
    private static let titleName = pack(Array("title".utf8))!

    /// Inline-level elements (HTML's phrasing content that browsers render without a break);
    /// every other tag, known or not, separates words.
    static let inlineNames: Set<UInt64> = Set("""
        a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp small
        span strike strong sub sup time tt u var wbr
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map { pack(Array($0.utf8))! })

    /// Decodes `&name;`, `&#123;` or `&#x1F;` at `i` in place; returns where scanning goes on.
    static func reference(_ bytes: inout [UInt8], at i: Int, end: Int) -> Int {
        var j = i + 1
        while j < end, j - i < 12, bytes[j] != UInt8(ascii: ";"), bytes[j] != UInt8(ascii: "&"), bytes[j] > 0x20 { j += 1 }
        guard j < end, bytes[j] == UInt8(ascii: ";"), j > i + 1 else { return i + 1 }
        let scalar: UInt32?
        if bytes[i + 1] == UInt8(ascii: "#") {
            scalar = number(bytes[i + 2 ..< j]).map(windows1252)
        } else {
            scalar = pack(bytes[i + 1 ..< j]).flatMap(named)
        }
        guard let decoded = scalar.flatMap(ViewBytes.utf8), decoded.count <= j + 1 - i else { return i + 1 }
        // A reference to a space-like character stays a space, so words do not join.
        if decoded == [0x20] || decoded == [0xC2, 0xA0] || decoded == [0x09] || decoded == [0x0A] {
            ViewBytes.blank(&bytes, i ..< j + 1)
        } else {
            ViewBytes.overwrite(&bytes, i ..< j + 1, with: decoded)
        }
        return j + 1
    }

    /// HTML5 reads `&#128;`…`&#159;` as the Windows-1252 characters old pages meant by them
    /// (`don&#146;t`, `&#151;`), not as C1 controls that would split words.
    static func windows1252(_ value: UInt32) -> UInt32 {
        (0x80 ... 0x9F).contains(value) ? c1AsWindows1252[Int(value - 0x80)] : value
    }

    private static let c1AsWindows1252: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// The value of `123` or `x1F` (after `&#`), or nil when it is not a number or past Unicode.
    static func number(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var rest = digits
        var radix: UInt32 = 10
        if let x = rest.first, x | 0x20 == UInt8(ascii: "x") { radix = 16; rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var value: UInt32 = 0
        for b in rest {
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46 where radix == 16, 0x61...0x66 where radix == 16: d = UInt32((b | 0x20) - 0x61 + 10)
            default: return nil
            }
            value = value * radix + d
            guard value <= 0x10FFFF else { return nil }
        }
        return value
    }

    static func find(_ bytes: [UInt8], _ needle: String, from: Int, end: Int) -> Int? {
        guard let first = needle.utf8.first else { return nil }
        var i = from
        while i < end {
            if ViewBytes.lower(bytes[i]) == first, ViewBytes.hasPrefix(bytes, at: i, needle) { return i }
            i += 1
        }
        return nil
    }

    /// The scalar a named reference stands for (`eacute` → U+00E9), or nil.
    static func named(_ key: UInt64) -> UInt32? {
        var lo = 0, hi = namedKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if namedKeys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < namedKeys.count && namedKeys[lo] == key ? namedValues[lo] : nil
    }

    /// Named references and their scalars, sorted by packed name for a binary search.
    static let namedTable: [(name: String, scalar: UInt32)] = {
        let tokens = namedSource.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return stride(from: 0, to: tokens.count, by: 2)
            .map { (name: String(tokens[$0]), scalar: UInt32(tokens[$0 + 1], radix: 16)!) }
            .sorted { pack(Array($0.name.utf8))! < pack(Array($1.name.utf8))! }
    }()
    private static let namedKeys = namedTable.map { pack(Array($0.name.utf8))! }
    private static let namedValues = namedTable.map(\.scalar)

    /// `name hex` pairs: all 252 of HTML 4.01 (`lang` and `rang` as HTML5 maps them), then the
    /// HTML5 punctuation names news sites write. Names are case-sensitive, at most 8 bytes.
    private static let namedSource = """
        quot 22 amp 26 lt 3C gt 3E nbsp A0 iexcl A1 cent A2 pound A3 curren A4 yen A5 brvbar A6 sect A7
        uml A8 copy A9 ordf AA laquo AB not AC shy AD reg AE macr AF deg B0 plusmn B1 sup2 B2 sup3 B3
        acute B4 micro B5 para B6 middot B7 cedil B8 sup1 B9 ordm BA raquo BB frac14 BC frac12 BD frac34 BE
        iquest BF Agrave C0 Aacute C1 Acirc C2 Atilde C3 Auml C4 Aring C5 AElig C6 Ccedil C7 Egrave C8
        Eacute C9 Ecirc CA Euml CB Igrave CC Iacute CD Icirc CE Iuml CF ETH D0 Ntilde D1 Ograve D2 Oacute D3
        Ocirc D4 Otilde D5 Ouml D6 times D7 Oslash D8 Ugrave D9 Uacute DA Ucirc DB Uuml DC Yacute DD
        THORN DE szlig DF agrave E0 aacute E1 acirc E2 atilde E3 auml E4 aring E5 aelig E6 ccedil E7
        egrave E8 eacute E9 ecirc EA euml EB igrave EC iacute ED icirc EE iuml EF eth F0 ntilde F1 ograve F2
        oacute F3 ocirc F4 otilde F5 ouml F6 divide F7 oslash F8 ugrave F9 uacute FA ucirc FB uuml FC
        yacute FD thorn FE yuml FF OElig 152 oelig 153 Scaron 160 scaron 161 Yuml 178 fnof 192 circ 2C6
        tilde 2DC Alpha 391 Beta 392 Gamma 393 Delta 394 Epsilon 395 Zeta 396 Eta 397 Theta 398 Iota 399
        Kappa 39A Lambda 39B Mu 39C Nu 39D Xi 39E Omicron 39F Pi 3A0 Rho 3A1 Sigma 3A3 Tau 3A4 Upsilon 3A5
        Phi 3A6 Chi 3A7 Psi 3A8 Omega 3A9 alpha 3B1 beta 3B2 gamma 3B3 delta 3B4 epsilon 3B5 zeta 3B6
        eta 3B7 theta 3B8 iota 3B9 kappa 3BA lambda 3BB mu 3BC nu 3BD xi 3BE omicron 3BF pi 3C0 rho 3C1
        sigmaf 3C2 sigma 3C3 tau 3C4 upsilon 3C5 phi 3C6 chi 3C7 psi 3C8 omega 3C9 thetasym 3D1 upsih 3D2
        piv 3D6 ensp 2002 emsp 2003 thinsp 2009 zwnj 200C zwj 200D lrm 200E rlm 200F ndash 2013 mdash 2014
        lsquo 2018 rsquo 2019 sbquo 201A ldquo 201C rdquo 201D bdquo 201E dagger 2020 Dagger 2021 bull 2022
        hellip 2026 permil 2030 prime 2032 Prime 2033 lsaquo 2039 rsaquo 203A oline 203E frasl 2044
        euro 20AC image 2111 weierp 2118 real 211C trade 2122 alefsym 2135 larr 2190 uarr 2191 rarr 2192
        darr 2193 harr 2194 crarr 21B5 lArr 21D0 uArr 21D1 rArr 21D2 dArr 21D3 hArr 21D4 forall 2200
        part 2202 exist 2203 empty 2205 nabla 2207 isin 2208 notin 2209 ni 220B prod 220F sum 2211
        minus 2212 lowast 2217 radic 221A prop 221D infin 221E ang 2220 and 2227 or 2228 cap 2229 cup 222A
        int 222B there4 2234 sim 223C cong 2245 asymp 2248 ne 2260 equiv 2261 le 2264 ge 2265 sub 2282
        sup 2283 nsub 2284 sube 2286 supe 2287 oplus 2295 otimes 2297 perp 22A5 sdot 22C5 lceil 2308
        rceil 2309 lfloor 230A rfloor 230B loz 25CA spades 2660 clubs 2663 hearts 2665 diams 2666 lang 27E8
        rang 27E9
        apos 27 NewLine A Tab 9 period 2E comma 2C colon 3A lpar 28 rpar 29 quest 3F excl 21 num 23
        dollar 24 percnt 25 ast 2A plus 2B equals 3D lsqb 5B rsqb 5D lowbar 5F grave 60 lcub 7B rcub 7D
        verbar 7C hyphen 2010 dash 2010 sol 2F bsol 5C
        """
}
