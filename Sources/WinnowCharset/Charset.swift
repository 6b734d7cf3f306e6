#if canImport(Glibc)
import Glibc
#endif

/// A character set, by the name alerts and the configuration use (`windows-1251`, `koi8-r`).
///
/// Labels are read as browsers read them (the WHATWG Encoding Standard): `cp1251` and
/// `x-cp1251` are `windows-1251`; `iso-8859-1`, `latin1` and `us-ascii` are `windows-1252`,
/// whose printable characters they share and whose curly quotes and dashes their writers meant.
/// Any other label iconv knows (`gb2312`, `shift_jis`, `iso-2022-jp`) is used as written.
public struct Charset: Hashable, Sendable, CustomStringConvertible {
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
        ]
        var out: [String: (String, String)] = [:]
        for (name, iconv, aliases) in table {
            out[key(name)] = (name, iconv)
            for a in aliases { out[a] = (name, iconv) }
        }
        return out
    }()

    private static func iconvKnows(_ label: String) -> Bool {
        guard label.utf8.count < 64, label.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let cd = iconv_open("UTF-8", label.uppercased())
        guard cd != iconv_t(bitPattern: -1) else { return false }
        iconv_close(cd)
        return true
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
