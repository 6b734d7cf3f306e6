/// HTML character references (`&eacute;`, `&#233;`, `&#xE9;`) as browsers read them in text and
/// attribute values, ported from the old `HTMLView` so both readers agree on every reference.
///
/// A reference needs its `;` and is at most 12 bytes; anything else (`&eacute`, `&unknown;`,
/// `&#x110000;`, `&#;`) is left as text, since a page that writes `AT&T` means the ampersand.
enum CharacterReference {
    /// The reference that starts at `i` (`p[i]` is `&`) and ends before `end`: the scalar it
    /// stands for and its length in bytes, or nil when it is text.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        var j = i + 1
        while j < end, j - i < 12 {
            let b = p[j]
            if b == UInt8(ascii: ";") || b == UInt8(ascii: "&") || b <= 0x20 { break }
            j += 1
        }
        guard j < end, p[j] == UInt8(ascii: ";"), j > i + 1 else { return nil }
        let value: UInt32?
        if p[i + 1] == UInt8(ascii: "#") {
            value = number(p, from: i + 2, to: j).map(windows1252)
        } else {
            value = pack(p, from: i + 1, to: j).flatMap(named)
        }
        guard let value, value != 0, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, j + 1 - i)
    }

    /// Whether a decoded reference is a space to the reader (`&nbsp;`, `&Tab;`, `&NewLine;`),
    /// so it separates words instead of joining them.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.value == 0x20 || s.value == 0xA0 || s.value == 0x09 || s.value == 0x0A || s.value == 0x0D || s.value == 0x0C
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
    static func number(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt32? {
        var k = start
        var radix: UInt32 = 10
        if k < end, p[k] | 0x20 == UInt8(ascii: "x") { radix = 16; k += 1 }
        guard k < end else { return nil }
        var value: UInt32 = 0
        while k < end {
            let b = p[k]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46 where radix == 16, 0x61...0x66 where radix == 16: d = UInt32((b | 0x20) - 0x61 + 10)
            default: return nil
            }
            value = value * radix + d
            guard value <= 0x10FFFF else { return nil }
            k += 1
        }
        return value
    }

    /// Up to 8 ASCII bytes as one integer (case kept: reference names are case-sensitive).
    static func pack(_ p: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> UInt64? {
        guard end - start <= 8 else { return nil }
        var key: UInt64 = 0
        for k in start ..< end {
            guard p[k] < 0x80 else { return nil }
            key = key << 8 | UInt64(p[k])
        }
        return key
    }

    static func pack(_ name: String) -> UInt64 {
        Array(name.utf8).withUnsafeBufferPointer { pack($0, from: 0, to: $0.count)! }
    }

    /// The scalar a named reference stands for (`eacute` → U+00E9), or nil.
    static func named(_ key: UInt64) -> UInt32? {
        let keys = table.keys
        var lo = 0, hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key ? table.values[lo] : nil
    }

    /// Named references and their scalars, sorted by packed name for a binary search.
    static let namedTable: [(name: String, scalar: UInt32)] = {
        let tokens = namedSource.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return stride(from: 0, to: tokens.count, by: 2)
            .map { (name: String(tokens[$0]), scalar: UInt32(tokens[$0 + 1], radix: 16)!) }
            .sorted { pack($0.name) < pack($1.name) }
    }()

    private static let table: (keys: [UInt64], values: [UInt32]) = (namedTable.map { pack($0.name) }, namedTable.map(\.scalar))

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
