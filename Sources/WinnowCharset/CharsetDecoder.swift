#if canImport(Glibc)
import Glibc
#endif
import WinnowText

/// How the charset of a text was chosen, in the order they are tried.
public enum CharsetMethod: String, Sendable, CaseIterable {
    /// A byte-order mark.
    case bom
    /// Declared by the document: `<meta charset>`, an XML declaration, a MIME `charset=`.
    case declared
    /// Valid UTF-8 (or UTF-8 with a few damaged bytes).
    case utf8 = "utf-8"
    /// Guessed by the detector among the candidate charsets.
    case detected
    /// The configuration's `fallback_encoding`.
    case fallback
}

/// The charset a text was read in, and why.
public struct CharsetChoice: Sendable, Equatable {
    public var charset: Charset
    public var method: CharsetMethod
    /// The detector's confidence (0–1), when it reports one.
    public var confidence: Double?

    public init(charset: Charset, method: CharsetMethod, confidence: Double? = nil) {
        self.charset = charset
        self.method = method
        self.confidence = confidence
    }
}

/// Which charsets detection may choose, and what to use when nothing else works.
public struct CharsetPolicy: Sendable {
    public var candidates: [Charset]
    public var fallback: Charset?

    public init(candidates: [Charset] = CharsetPolicy.defaultCandidates, fallback: Charset? = nil) {
        self.candidates = candidates
        self.fallback = fallback
    }

    /// The Cyrillic family, the Western and Central European ones, and UTF-16/32 without a mark.
    public static let defaultCandidateNames = [
        "windows-1251", "koi8-r", "koi8-u", "iso-8859-5", "ibm866", "x-mac-cyrillic",
        "windows-1252", "iso-8859-15", "windows-1250", "iso-8859-2",
        "utf-16le", "utf-16be", "utf-32le", "utf-32be",
    ]
    public static let defaultCandidates = defaultCandidateNames.compactMap(Charset.init(label:))
}

/// A charset a document names for itself, and where (for messages).
public struct CharsetDeclaration: Sendable {
    public var label: String
    /// Where it was declared: `<meta charset>`, `Content-Type charset`.
    public var origin: String

    public init(label: String, origin: String) {
        self.label = label
        self.origin = origin
    }
}

/// Text decoded to UTF-8: the bytes, the map back to the input, the charset and what went wrong.
public struct DecodedText: Sendable {
    public var utf8: [UInt8]
    /// From offsets of `utf8` to offsets of the input.
    public var map: SourceMap
    public var choice: CharsetChoice
    /// Damaged sequences replaced, a declaration not followed: for the alert's warnings.
    public var warnings: [String]

    public init(utf8: [UInt8], map: SourceMap, choice: CharsetChoice, warnings: [String] = []) {
        self.utf8 = utf8
        self.map = map
        self.choice = choice
        self.warnings = warnings
    }
}

/// Why bytes could not be read as text in any charset.
public struct UndecodableText: Error, Sendable {
    public var detail: String
}

/// Reads bytes as text: a byte-order mark, then the document's declaration, then UTF-8, then
/// detection among the candidate charsets, then the fallback (docs/formats.md §Charsets).
public enum CharsetDecoder {
    /// A byte-order mark at the start: its charset and length.
    public static func byteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> (Charset, length: Int)? {
        func starts(_ mark: [UInt8]) -> Bool { bytes.count >= mark.count && zip(bytes, mark).allSatisfy { $0 == $1 } }
        if starts([0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        // UTF-32's marks first: FF FE 00 00 also begins with UTF-16LE's.
        if starts([0xFF, 0xFE, 0x00, 0x00]) { return (.utf32le, 4) }
        if starts([0x00, 0x00, 0xFE, 0xFF]) { return (.utf32be, 4) }
        if starts([0xFF, 0xFE]) { return (.utf16le, 2) }
        if starts([0xFE, 0xFF]) { return (.utf16be, 2) }
        return nil
    }

    /// UTF-16 or UTF-32, told by a byte-order mark or, without one, by where the NUL bytes are:
    /// such text must be converted before anything in it (markup, headers) can be looked at.
    public static func unicodeForm(_ bytes: UnsafeBufferPointer<UInt8>, policy: CharsetPolicy) -> DecodedText? {
        if let (charset, length) = byteOrderMark(bytes), charset != .utf8 {
            return decodeAfterMark(bytes, charset, length)
        }
        guard let base = bytes.baseAddress, memchr(base, 0, min(bytes.count, 8192)) != nil,
              let charset = CharsetDetector.unicodeWithoutMark(bytes),
              policy.candidates.contains(charset), let t = decode(bytes, as: charset),
              t.warnings.isEmpty, looksLikeText(t.utf8) else { return nil }
        return DecodedText(utf8: t.utf8, map: t.map, choice: .init(charset: charset, method: .detected), warnings: [])
    }

    /// Decodes `bytes` by the rules above; `declared` is what the document says of itself.
    /// Text that is UTF-8 already shares `bytes`' storage instead of copying it.
    public static func decode(_ bytes: [UInt8], declared: CharsetDeclaration?,
                              policy: CharsetPolicy) -> Result<DecodedText, UndecodableText> {
        bytes.withUnsafeBufferPointer { decode($0, owner: bytes, declared: declared, policy: policy) }
    }

    /// Decodes `bytes` by the rules above; `declared` is what the document says of itself.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, declared: CharsetDeclaration?,
                              policy: CharsetPolicy) -> Result<DecodedText, UndecodableText> {
        decode(bytes, owner: nil, declared: declared, policy: policy)
    }

    /// `owner`, when given, is the array `bytes` points into.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, owner: [UInt8]?, declared: CharsetDeclaration?,
                               policy: CharsetPolicy) -> Result<DecodedText, UndecodableText> {
        func identity(_ bytes: UnsafeBufferPointer<UInt8>, _ choice: CharsetChoice, _ warnings: [String] = []) -> DecodedText {
            DecodedText(utf8: owner ?? Array(bytes), map: .identity(count: bytes.count), choice: choice, warnings: warnings)
        }
        if let (charset, length) = byteOrderMark(bytes) {
            return .success(decodeAfterMark(bytes, charset, length))
        }
        var warnings: [String] = []
        var utf8Checked: Bool?
        func validUTF8() -> Bool {
            if let utf8Checked { return utf8Checked }
            let valid = UTF8Validation.firstInvalid(bytes) == nil
            utf8Checked = valid
            return valid
        }
        var skipUTF8 = false
        if let declared {
            if let charset = Charset(label: declared.label) {
                if charset.isUTF8 {
                    if validUTF8() { return .success(identity(bytes, .init(charset: .utf8, method: .declared))) }
                    if mostlyUTF8(bytes) { return .success(replacingUTF8(bytes, method: .declared)) }
                    warnings.append("\(declared.origin) says utf-8, but the text is not UTF-8; its charset was detected")
                    skipUTF8 = true
                } else if validUTF8(), UTF8Validation.census(bytes).multiByte > 0 {
                    // A page saved as UTF-8 that kept its old declaration: the bytes tell the truth.
                    var t = identity(bytes, .init(charset: .utf8, method: .utf8))
                    t.warnings.append("\(declared.origin) says \(charset.name), but the text is valid UTF-8; read as UTF-8")
                    return .success(t)
                } else if Self.asciiLabels.contains(Charset.key(declared.label)), bytes.contains(where: { $0 >= 0x80 }) {
                    // Mail software writes us-ascii by default; 8-bit bytes say it is wrong.
                    warnings.append("\(declared.origin) says \(declared.label), but the text has 8-bit bytes; its charset was detected")
                } else if let unicode = Self.unmarkedUnicode(bytes, label: declared.label),
                          let t = decode(bytes, as: unicode, method: .declared) {
                    return .success(t)
                } else if let t = decode(bytes, as: charset, method: .declared) {
                    return .success(t)
                }
            } else {
                warnings.append("\(declared.origin) names charset '\(declared.label)', which is unknown; ignored")
            }
        }
        // UTF-16 of Cyrillic or Greek text is all bytes below 0x80: valid UTF-8, and wrong.
        if let unicode = unicodeForm(bytes, policy: policy) {
            return .success(unicode)
        }
        if !skipUTF8 {
            if validUTF8() { return .success(identity(bytes, .init(charset: .utf8, method: .utf8), warnings)) }
            if mostlyUTF8(bytes) { return .success(replacingUTF8(bytes, method: .utf8, warnings)) }
        }
        if let (charset, confidence) = CharsetDetector.detect(bytes, candidates: policy.candidates + [.utf8]),
           var t = decode(bytes, as: charset, method: .detected) {
            t.choice.confidence = confidence
            t.warnings.insert(contentsOf: warnings, at: 0)
            return .success(t)
        }
        if let fallback = policy.fallback, var t = decode(bytes, as: fallback, method: .fallback) {
            t.warnings.insert(contentsOf: warnings, at: 0)
            return .success(t)
        }
        let where_ = (UTF8Validation.firstInvalid(bytes)).map { "at byte \($0)" } ?? ""
        let tried = policy.candidates.map(\.name).joined(separator: ", ")
        return .failure(UndecodableText(detail:
            "not UTF-8 (invalid \(where_)), no charset declared\(declared.map { " that Winnow could use (\($0.origin) says '\($0.label)')" } ?? ""), "
            + "and the detector found none of the candidate charsets (\(tried)); "
            + "set fallback_encoding to the charset these files are in"))
    }

    /// Decodes in `charset` whatever the bytes are; invalid sequences become U+FFFD. Nil when
    /// iconv does not know the charset.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as charset: Charset,
                              method: CharsetMethod = .declared) -> DecodedText? {
        guard let t = Transcoder.decode(bytes, from: charset) else { return nil }
        var warnings: [String] = []
        if t.replaced > 0 {
            warnings.append("\(t.replaced) byte sequence(s) invalid in \(charset.name) (the first at byte \(t.firstReplaced ?? 0)) read as U+FFFD")
        }
        return DecodedText(utf8: t.utf8, map: t.map, choice: .init(charset: charset, method: method), warnings: warnings)
    }

    /// Labels that promise 7-bit ASCII.
    static let asciiLabels: Set<String> = ["usascii", "ascii", "us", "ansix341968", "iso646us", "csascii", "iso646irv1991"]

    /// `utf-16` or `utf-32` without a byte-order mark: the byte order the NUL bytes show, else
    /// big-endian as RFC 2781 says. Nil for other labels (and `utf-16le`, which says its order).
    static func unmarkedUnicode(_ bytes: UnsafeBufferPointer<UInt8>, label: String) -> Charset? {
        let key = Charset.key(label)
        guard key == "utf16" || key == "utf32" || key == "ucs2" || key == "ucs4" else { return nil }
        let seen = CharsetDetector.unicodeWithoutMark(bytes)
        if key.hasSuffix("16") || key == "ucs2" { return seen == .utf16le ? .utf16le : .utf16be }
        return seen == .utf32le ? .utf32le : .utf32be
    }

    private static func decodeAfterMark(_ bytes: UnsafeBufferPointer<UInt8>, _ charset: Charset, _ length: Int) -> DecodedText {
        let rest = UnsafeBufferPointer(rebasing: bytes[length...])
        var t = charset.isUTF8 && UTF8Validation.firstInvalid(rest) == nil
            ? DecodedText(utf8: Array(rest), map: .identity(count: rest.count), choice: .init(charset: .utf8, method: .bom))
            : decode(rest, as: charset, method: .bom)!
        t.map = t.map.shifted(by: length)
        return t
    }


    /// UTF-8 with a few damaged bytes: many valid multi-byte sequences for each invalid byte.
    /// Text in a single-byte charset has the opposite (its letters rarely form valid pairs).
    private static func mostlyUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let (multi, invalid) = UTF8Validation.census(bytes)
        return multi >= max(4, 4 * invalid)
    }

    private static func replacingUTF8(_ bytes: UnsafeBufferPointer<UInt8>, method: CharsetMethod,
                                      _ warnings: [String] = []) -> DecodedText {
        let t = Transcoder.decodeUTF8(bytes)
        return DecodedText(utf8: t.utf8, map: t.map, choice: .init(charset: .utf8, method: method),
                           warnings: warnings + ["\(t.replaced) byte(s) invalid in UTF-8 (the first at byte \(t.firstReplaced ?? 0)) read as U+FFFD"])
    }

    /// Decoded UTF-16 or UTF-32 guessed from NUL bytes must read as text: few control
    /// characters, and spaces between words as in any script that has them.
    private static func looksLikeText(_ utf8: [UInt8]) -> Bool {
        var controls = 0, spaces = 0, scalars = 0
        for b in utf8.prefix(16384) where b & 0xC0 != 0x80 {
            scalars += 1
            if b == 0x20 || b == 0x0A { spaces += 1 } else if b < 0x20 && b != 0x0D && b != 0x09 && b != 0x0C { controls += 1 }
        }
        return controls * 100 <= scalars && spaces * 30 >= scalars
    }
}
