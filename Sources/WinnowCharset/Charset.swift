#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A character set, by the name alerts and the configuration use (`windows-1251`, `koi8-r`).
///
/// Labels are read as browsers read them (the WHATWG Encoding Standard): `cp1251` and
/// `x-cp1251` are `windows-1251`; `iso-8859-1`, `latin1` and `us-ascii` are `windows-1252`,
/// whose printable characters they share and whose curly quotes and dashes their writers meant;
/// `shift_jis` is Windows' superset (CP932), `gb2312` GBK, `euc-kr` UHC. Any other label iconv
/// knows is used as written.
public struct Charset: Hashable, Sendable, CustomStringConvertible {
    /// Two spellings of one label (`iso8859-7`, `ISO-8859-7`) are one charset.
    public static func == (a: Charset, b: Charset) -> Bool { key(a.name) == key(b.name) }
    public func hash(into h: inout Hasher) { h.combine(Self.key(name)) }

    /// Canonical lowercase name.
    public let name: String
    /// The name glibc's iconv knows it by.
    let iconvName: String

    public var description: String { name }

    /// The charset a label names, or nil when neither the table nor iconv knows it.
    public init?(label: String) {
        let key = Self.key(label)
        guard !key.isEmpty else { return nil }
        if let (name, iconvName) = Self.known[key] {
            self.name = name
            self.iconvName = iconvName
            return
        }
        let trimmed = label.trimmingSpaces.lowercased()
        guard Self.iconvKnows(trimmed) else { return nil }
        self.name = trimmed
        self.iconvName = trimmed.uppercased()
    }

    private init(_ name: String, _ iconvName: String) {
        self.name = name
        self.iconvName = iconvName
    }

    public static let utf8 = Charset("utf-8", "UTF-8")
    public static let utf16le = Charset("utf-16le", "UTF-16LE")
    public static let utf16be = Charset("utf-16be", "UTF-16BE")
    public static let utf32le = Charset("utf-32le", "UTF-32LE")
    public static let utf32be = Charset("utf-32be", "UTF-32BE")
    public static let windows1252 = Charset("windows-1252", "CP1252")

    public var isUTF8: Bool { self == .utf8 }

    /// Bytes per code unit for the UTF-16 and UTF-32 forms, 1 for every other charset.
    var codeUnit: Int {
        switch self {
        case .utf16le, .utf16be: 2
        case .utf32le, .utf32be: 4
        default: 1
        }
    }

    /// Labels folded to a key: lowercase letters and digits only (`ISO_8859-5` → `iso88595`).
    static func key(_ label: String) -> String {
        String(label.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }

    /// Canonical name and iconv name by label key: the charsets Winnow detects, and the common
    /// aliases of each.
    private static let known: [String: (String, String)] = {
        let table: [(String, String, [String])] = [
            ("utf-8", "UTF-8", ["utf8", "unicode11utf8", "unicode20utf8", "xunicode20utf8"]),
            ("utf-16le", "UTF-16LE", ["utf16le", "utf16", "unicode", "ucs2", "unicodefeff"]),
            ("utf-16be", "UTF-16BE", ["utf16be", "unicodefffe"]),
            ("utf-32le", "UTF-32LE", ["utf32le", "utf32", "ucs4"]),
            ("utf-32be", "UTF-32BE", ["utf32be"]),
            ("windows-1251", "CP1251", ["windows1251", "cp1251", "xcp1251", "win1251", "cswindows1251"]),
            ("koi8-r", "KOI8-R", ["koi8r", "koi8", "cskoi8r", "koi"]),
            ("koi8-u", "KOI8-U", ["koi8u", "koi8ru"]),
            ("iso-8859-5", "ISO-8859-5", ["iso88595", "iso885951988", "isoir144", "cyrillic", "csisolatincyrillic"]),
            ("ibm866", "IBM866", ["ibm866", "cp866", "866", "csibm866"]),
            ("x-mac-cyrillic", "MAC-CYRILLIC", ["xmaccyrillic", "maccyrillic", "xmacukrainian"]),
            ("windows-1252", "CP1252", ["windows1252", "cp1252", "xcp1252", "iso88591", "latin1", "l1", "usascii", "ascii",
                                        "ansix341968", "iso885911987", "isoir100", "cp819", "ibm819", "csisolatin1", "us"]),
            ("iso-8859-15", "ISO-8859-15", ["iso885915", "latin9", "l9", "csisolatin9"]),
            ("windows-1250", "CP1250", ["windows1250", "cp1250", "xcp1250"]),
            ("iso-8859-2", "ISO-8859-2", ["iso88592", "latin2", "l2", "csisolatin2", "isoir101"]),
            ("windows-1254", "CP1254", ["windows1254", "cp1254", "iso88599", "latin5", "l5turkish"]),
            ("iso-8859-7", "ISO-8859-7", ["iso88597", "greek", "greek8", "elot928", "ecma118", "csisolatingreek", "isoir126"]),
            ("windows-1253", "CP1253", ["windows1253", "cp1253"]),
            ("iso-8859-8", "ISO-8859-8", ["iso88598", "hebrew", "csisolatinhebrew", "isoir138", "visual"]),
            ("windows-1255", "CP1255", ["windows1255", "cp1255"]),
            ("iso-8859-6", "ISO-8859-6", ["iso88596", "arabic", "csisolatinarabic", "isoir127", "asmo708", "ecma114"]),
            ("windows-1256", "CP1256", ["windows1256", "cp1256"]),
            ("iso-8859-4", "ISO-8859-4", ["iso88594", "latin4", "l4", "csisolatin4"]),
            ("iso-8859-13", "ISO-8859-13", ["iso885913"]),
            ("windows-1257", "CP1257", ["windows1257", "cp1257"]),
            ("windows-1258", "CP1258", ["windows1258", "cp1258"]),
            ("windows-874", "CP874", ["windows874", "cp874", "tis620", "iso885911", "dos874"]),
            ("shift_jis", "CP932", ["shiftjis", "sjis", "mskanji", "csshiftjis", "windows31j", "cp932", "xsjis"]),
            ("euc-jp", "EUC-JP", ["eucjp", "xeucjp", "cseucpkdfmtjapanese"]),
            ("iso-2022-jp", "ISO-2022-JP", ["iso2022jp", "csiso2022jp"]),
            ("euc-kr", "CP949", ["euckr", "cseuckr", "ksc56011987", "ksc5601", "windows949", "cp949", "uhc"]),
            ("gbk", "GBK", ["gbk", "gb2312", "csgb2312", "chinese", "xgbk", "cp936", "gb231280", "isoir58"]),
            ("gb18030", "GB18030", ["gb18030"]),
            ("big5", "BIG5-HKSCS", ["big5", "csbig5", "big5hkscs", "cnbig5", "xxbig5"]),
        ]
        var out: [String: (String, String)] = [:]
        for (name, iconv, aliases) in table {
            out[key(name)] = (name, iconv)
            for a in aliases { out[a] = (name, iconv) }
        }
        return out
    }()

    /// Labels iconv was asked about, and its answer: an e-mail can name a charset in each of
    /// a hundred thousand encoded words.
    private static let asked = Mutex<[String: Bool]>([:])

    private static func iconvKnows(_ label: String) -> Bool {
        guard label.utf8.count < 64, label.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        if let known = asked.withLock({ $0[label] }) { return known }
        let cd = iconv_open("UTF-8", label.uppercased())
        let knows = cd != iconv_t(bitPattern: -1)
        if knows { iconv_close(cd) }
        asked.withLock { if $0.count < 4096 { $0[label] = knows } }
        return knows
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\"" || f == "'" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\"" || l == "'" { s.removeLast() }
        return String(s)
    }
}
