import WinnowText

/// The contract of every reader and of charset decoding: the text is UTF-8, and every range of
/// it maps into the file (evidence offsets, lines and snippets are cut from the file with them).
enum MapCheck {
    /// Text positions sampled: every scalar start of a short text, evenly spread ones of a long one.
    static let samples = 64

    static func check(text: [UInt8], map: SourceMap, sourceCount: Int, what: String) throws(FuzzFailure) {
        if let bad = UTF8Validation.firstInvalid(text) {
            throw FuzzFailure("\(what): text is not UTF-8 at byte \(bad) of \(text.count)")
        }
        let starts = sampleStarts(text)
        for (k, a) in starts.enumerated() {
            for b in [starts.last!, starts[min(k + 1, starts.count - 1)]] where b >= a {
                let r = map.sourceRange(a ..< b, text: text)
                guard r.lowerBound >= 0, r.upperBound <= sourceCount else {
                    throw FuzzFailure("\(what): text \(a)..<\(b) maps to \(r), outside the \(sourceCount) source bytes")
                }
            }
        }
    }

    /// Scalar starts of `text` plus its end, at most `samples + 1` of them, ascending.
    static func sampleStarts(_ text: [UInt8]) -> [Int] {
        let step = max(1, text.count / samples)
        var out: [Int] = []
        var i = 0
        while i < text.count {
            var s = i
            while s < text.count, text[s] & 0xC0 == 0x80 { s += 1 }
            if s < text.count, out.last != s { out.append(s) }
            i += step
        }
        out.append(text.count)
        return out
    }
}
