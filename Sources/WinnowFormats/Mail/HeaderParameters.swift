import WinnowCharset

/// A structured header value and its parameters: `text/plain; charset="koi8-r"` → `text/plain`
/// and `charset: koi8-r`.
///
/// Names are lowercased; quoted values unquoted. RFC 2231 values (`filename*=utf-8''%D0%9E…`,
/// and continuations `filename*0*=…; filename*1*=…`) are joined and decoded in their charset,
/// and win over the plain parameter of the same name; RFC 2047 encoded words inside a quoted
/// value (`name="=?utf-8?B?…?="`, which many mailers write) are decoded too.
struct HeaderParameters: Sendable {
    /// The value before the first `;`, lowercased (`multipart/mixed`, `attachment`).
    var value: String
    var parameters: [String: String]

    /// Continuations read per parameter: a hostile header cannot make a long list of them.
    static let maxSections = 256

    subscript(name: String) -> String? { parameters[name] }

    init(_ unfolded: [UInt8]) {
        var i = 0
        let n = unfolded.count
        while i < n, unfolded[i] != 0x3B { i += 1 }
        let main = unfolded[..<i].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x28 }).first ?? []
        value = String(decoding: main, as: UTF8.self).lowercased()
        var plain: [String: String] = [:]
        var sections: [String: [Int: (bytes: [UInt8], extended: Bool)]] = [:]
        var scanner = ParameterScanner(bytes: unfolded, at: i)
        while let (name, raw) = scanner.next() {
            if let star = name.firstIndex(of: "*") {
                let base = String(name[..<star])
                let rest = name[name.index(after: star)...]
                let extended = rest.hasSuffix("*") || rest.isEmpty
                let number = rest.isEmpty ? 0 : Int(rest.hasSuffix("*") ? rest.dropLast() : rest)
                guard let number, number >= 0, number < Self.maxSections, sections[base]?[number] == nil else { continue }
                sections[base, default: [:]][number] = (raw, extended)
            } else if plain[name] == nil {
                // Only names are words to read; a boundary is bytes to match, as written.
                let isName = name == "name" || name == "filename"
                plain[name] = isName && Self.hasEncodedWord(raw) ? Self.decodeEncodedWords(raw) : String(decoding: raw, as: UTF8.self)
            }
        }
        for (name, parts) in sections {
            plain[name] = Self.join(parts)
        }
        parameters = plain
    }

    /// RFC 2231: sections in order; the first extended one says `charset'language'`, and
    /// extended sections are percent-encoded bytes in that charset.
    private static func join(_ parts: [Int: (bytes: [UInt8], extended: Bool)]) -> String {
        var bytes: [UInt8] = []
        var charset: Charset?
        for number in parts.keys.sorted() {
            guard let (raw, extended) = parts[number] else { continue }
            guard extended else { bytes += raw; continue }
            var value = raw[...]
            if number == parts.keys.min() {
                // `charset'language'text`: both may be empty; without the quotes it is text.
                let quotes = value.indices.filter { value[$0] == 0x27 }.prefix(2)
                if quotes.count == 2 {
                    charset = Charset(label: String(decoding: value[..<quotes[0]], as: UTF8.self))
                    value = value[(quotes[1] + 1)...]
                }
            }
            bytes += percentDecoded(value)
        }
        if let charset, !charset.isUTF8, let d = bytes.withUnsafeBufferPointer({ CharsetDecoder.decode($0, as: charset) }) {
            return String(decoding: d.utf8, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func percentDecoded(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == 0x25, i + 2 < s.endIndex, let hi = QuotedPrintableDecoder.hexValue(s[i + 1]),
               let lo = QuotedPrintableDecoder.hexValue(s[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return out
    }

    private static func hasEncodedWord(_ raw: [UInt8]) -> Bool {
        zip(raw, raw.dropFirst()).contains { $0 == 0x3D && $1 == 0x3F }
    }

    private static func decodeEncodedWords(_ raw: [UInt8]) -> String {
        guard raw.count > 3 else { return String(decoding: raw, as: UTF8.self) }
        return raw.withUnsafeBufferPointer { p in
            HeaderTextDecoder.decode(p, 0 ..< p.count, field: "a parameter", hint: nil, policy: CharsetPolicy()).string
        }
    }
}

/// Reads `; name=value` pairs: a value is a quoted string (backslash escapes) or runs to the
/// next `;` (some mailers leave spaces in unquoted file names).
private struct ParameterScanner {
    let bytes: [UInt8]
    var at: Int

    mutating func next() -> (name: String, value: [UInt8])? {
        let n = bytes.count
        while at < n {
            while at < n, bytes[at] == 0x3B || bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
            let nameStart = at
            while at < n, bytes[at] != 0x3D, bytes[at] != 0x3B { at += 1 }
            guard at < n, bytes[at] == 0x3D else { continue }
            let name = String(decoding: bytes[nameStart ..< at].filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self).lowercased()
            at += 1
            while at < n, bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
            var value: [UInt8] = []
            if at < n, bytes[at] == 0x22 {
                at += 1
                while at < n, bytes[at] != 0x22 {
                    if bytes[at] == 0x5C, at + 1 < n { at += 1 }
                    value.append(bytes[at])
                    at += 1
                }
                at += 1
            } else {
                while at < n, bytes[at] != 0x3B { value.append(bytes[at]); at += 1 }
                while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
            }
            guard !name.isEmpty else { continue }
            return (name, value)
        }
        return nil
    }
}
