import WinnowCharset
import WinnowText

/// A header field's value as text, mapped to the bytes of the header.
struct HeaderText: Sendable {
    /// UTF-8, each run of spaces and line folds one space, no control characters.
    var text: [UInt8]
    /// From offsets of `text` to offsets of the source the header was read from.
    var map: SourceMap
    var warnings: [String]
    /// The charset of the first encoded word, or of 8-bit bytes, when the value has either.
    var charset: CharsetChoice?

    var string: String { String(decoding: text, as: UTF8.self) }
}

/// Reads a header value as a person sees it: RFC 2047 encoded words decoded in their charsets
/// (any charset iconv knows), adjacent encoded words joined without the spaces between them
/// (RFC 2047 §6.2), 8-bit bytes read as UTF-8 when they are, else in the message's charset or
/// the detected one.
///
/// Each decoded run of encoded words maps to the `=?…?=` it came from, character by character
/// as far as the charset allows (a character split across two words maps to both words);
/// everything else maps byte for byte.
enum HeaderTextDecoder {
    private enum Token {
        case space(Range<Int>)
        case raw(Range<Int>)
        case word(EncodedWord, Charset)
    }

    /// Decodes `source[range]` (a field's value, folded lines and all). `field` names it in
    /// warnings (`Subject`, at most `maxWarnings` of them); `hint` is the charset the message declares for its text, used for
    /// 8-bit bytes that are not UTF-8.
    static func decode(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String, hint: Charset?,
                       policy: CharsetPolicy) -> HeaderText {
        var warnings: [String] = []
        let tokens = tokenize(source, range, field: field, warnings: &warnings)
        let rawCharset = rawChoice(source, tokens, hint: hint, policy: policy, field: field, warnings: &warnings)
        var joiner = TextJoiner()
        var choice: CharsetChoice?
        var k = 0
        while k < tokens.count {
            switch tokens[k] {
            case .space(let r):
                // Leading and trailing spaces go; so do spaces between two encoded words.
                let between = k > 0 && k + 1 < tokens.count
                if between, !(isWord(tokens[k - 1]) && isWord(tokens[k + 1])) { joiner.append([0x20], for: r) }
                k += 1
            case .raw(let r):
                if let rawCharset, !isASCII(source, r) {
                    appendRaw(source, r, charset: rawCharset.charset, to: &joiner, warnings: &warnings, field: field)
                    if choice == nil { choice = rawCharset }
                } else {
                    joiner.copy(source, r)
                }
                k += 1
            case .word(_, let charset):
                let group = wordGroup(tokens, from: k, charset: charset)
                let c = appendWords(group.words, charset: charset, to: &joiner, policy: policy, field: field, warnings: &warnings)
                if choice == nil { choice = c }
                k = group.next
            }
        }
        let (text, map) = joiner.finish()
        return HeaderText(text: text.map { $0 < 0x20 || $0 == 0x7F ? 0x20 : $0 }, map: map, warnings: Self.capped(warnings),
                          charset: choice)
    }

    private static func isWord(_ t: Token) -> Bool {
        if case .word = t { return true }
        return false
    }

    /// Spaces, encoded words in a charset Winnow knows, and everything else (an encoded word in
    /// an unknown charset stays as written).
    /// A header of thousands of bad encoded words gives a few warnings and a count, not an
    /// alert of thousands of lines.
    static let maxWarnings = 10

    static func capped(_ warnings: [String]) -> [String] {
        var seen = Set<String>()
        let distinct = warnings.filter { seen.insert($0).inserted }
        guard distinct.count > maxWarnings else { return distinct }
        return Array(distinct.prefix(maxWarnings)) + ["and \(distinct.count - maxWarnings) more warnings like these"]
    }

    private static func tokenize(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, field: String,
                                 warnings: inout [String]) -> [Token] {
        var tokens: [Token] = []
        var charsets: [String: Charset?] = [:]
        var rawStart: Int?
        var i = range.lowerBound
        func closeRaw(at end: Int) {
            if let s = rawStart { tokens.append(.raw(s ..< end)) }
            rawStart = nil
        }
        while i < range.upperBound {
            let c = source[i]
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
                closeRaw(at: i)
                var j = i + 1
                while j < range.upperBound, source[j] == 0x20 || source[j] == 0x09 || source[j] == 0x0D || source[j] == 0x0A { j += 1 }
                tokens.append(.space(i ..< j))
                i = j
                continue
            }
            if c == 0x3D, let word = EncodedWord(source, at: i, end: range.upperBound) {
                let charset = charsets[word.label] ?? {
                    let found = Charset(label: word.label)
                    charsets[word.label] = found
                    if found == nil {
                        warnings.append("\(field): an encoded word in charset '\(word.label)', which is unknown, was kept as written")
                    }
                    return found
                }()
                if let charset {
                    closeRaw(at: i)
                    tokens.append(.word(word, charset))
                } else if rawStart == nil {
                    rawStart = i
                }
                i = word.range.upperBound
                continue
            }
            if rawStart == nil { rawStart = i }
            i += 1
        }
        closeRaw(at: range.upperBound)
        return tokens
    }

    /// Encoded words from `k` on in `charset`, with nothing but spaces between them.
    private static func wordGroup(_ tokens: [Token], from k: Int, charset: Charset) -> (words: [EncodedWord], next: Int) {
        var words: [EncodedWord] = []
        var j = k
        var next = k
        while j < tokens.count {
            if case .word(let w, let c) = tokens[j], c == charset {
                words.append(w)
                j += 1
                next = j
            } else if case .space = tokens[j], j + 1 < tokens.count, case .word(_, let c) = tokens[j + 1], c == charset {
                j += 1
            } else {
                break
            }
        }
        return (words, next)
    }

    /// Decodes the bytes of `words` together: mailers cut words inside a character (a UTF-8
    /// sequence split between two base64 words), so each word alone may not decode.
    private static func appendWords(_ words: [EncodedWord], charset: Charset, to joiner: inout TextJoiner,
                                    policy: CharsetPolicy, field: String, warnings: inout [String]) -> CharsetChoice? {
        var inner = TextBuilder()
        for w in words { inner.append(w.bytes, for: w.range) }
        let (bytes, wordMap) = inner.finish()
        guard !bytes.isEmpty else { return nil }
        let declared = CharsetDeclaration(label: charset.name, origin: "an encoded word in \(field)")
        let result = bytes.withUnsafeBufferPointer { CharsetDecoder.decode($0, declared: declared, policy: policy) }
        guard case .success(let d) = result else {
            warnings.append("\(field): an encoded word in \(charset.name) could not be decoded and was left out")
            return nil
        }
        warnings += d.warnings.map { "\(field): \($0)" }
        joiner.append(d.utf8, map: d.map.composed(over: wordMap, text: d.utf8, innerText: bytes))
        return d.choice
    }

    /// The charset for the value's 8-bit bytes outside encoded words (nil: there are none):
    /// UTF-8 when they are valid UTF-8, else the charset the message declares, else detection.
    private static func rawChoice(_ source: UnsafeBufferPointer<UInt8>, _ tokens: [Token], hint: Charset?,
                                  policy: CharsetPolicy, field: String, warnings: inout [String]) -> CharsetChoice? {
        var bytes: [UInt8] = []
        for case .raw(let r) in tokens where !isASCII(source, r) {
            bytes += UnsafeBufferPointer(rebasing: source[r])
            bytes.append(0x20)
        }
        guard !bytes.isEmpty else { return nil }
        if UTF8Validation.firstInvalid(bytes) == nil { return CharsetChoice(charset: .utf8, method: .utf8) }
        if let hint, !hint.isUTF8 { return CharsetChoice(charset: hint, method: .declared) }
        switch bytes.withUnsafeBufferPointer({ CharsetDecoder.decode($0, declared: nil, policy: policy) }) {
        case .success(let d): return d.choice
        case .failure:
            warnings.append("\(field): 8-bit bytes in no charset Winnow could determine were read as UTF-8 with U+FFFD")
            return CharsetChoice(charset: .utf8, method: .fallback)
        }
    }

    /// 8-bit bytes outside encoded words, in `charset` (each run alone: runs are contiguous in
    /// the source, so the map is the charset's, shifted).
    private static func appendRaw(_ source: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, charset: Charset,
                                  to joiner: inout TextJoiner, warnings: inout [String], field: String) {
        let piece = UnsafeBufferPointer(rebasing: source[r])
        if charset.isUTF8, UTF8Validation.firstInvalid(piece) == nil { joiner.copy(source, r); return }
        guard let d = CharsetDecoder.decode(piece, as: charset) else { joiner.copy(source, r); return }
        warnings += d.warnings.map { "\(field): \($0)" }
        joiner.append(d.utf8, map: d.map.shifted(by: r.lowerBound))
    }

    private static func isASCII(_ source: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        for i in r where source[i] >= 0x80 { return false }
        return true
    }
}
