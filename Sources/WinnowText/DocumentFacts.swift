import Synchronization

/// Facts about a document that cost a pass over its text: dominant script and language.
///
/// Computed on first use (only rules with a `field: script` or `field: language` matcher pay)
/// and kept for the rest of the classification.
public final class DocumentFacts: Sendable {
    private let text: [UInt8]
    private let cache = Mutex<(script: String, language: String)?>(nil)

    public init(text: [UInt8]) { self.text = text }

    /// `latin`, `cyrillic`, `arabic`, `greek`, `cjk`, `other`, or `none` when there are no letters.
    public var script: String { detected.script }

    /// ISO 639-1 code (`en`, `ru`, `kk`, `uk`, `ar`, `fa`, `fr`, `de`, `es`, `tr`, `uz`) or `und`.
    public var language: String { detected.language }

    /// One pass yields both, so a document asked for both pays once.
    private var detected: (script: String, language: String) {
        if let d = cache.withLock({ $0 }) { return d }
        let d = Self.detect(sample)
        cache.withLock { $0 = d }
        return d
    }

    /// The first 16 KiB, cut at a scalar boundary: enough to judge, cheap for large files.
    private var sample: String {
        var end = min(text.count, 16 << 10)
        while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: text[..<end], as: UTF8.self)
    }

    /// The scripts `detect` tells apart; on a tie the earlier one wins, the same in every run.
    private static let scripts = ["latin", "cyrillic", "arabic", "greek", "cjk", "other"]

    /// Every value `script` can take, for checking rules that compare against it.
    public static let scriptNames = scripts + ["none"]

    /// Every value `language` can take, for checking rules that compare against it.
    public static let languageCodes = ["en", "ru", "kk", "uk", "ar", "fa"] + stopwords.map(\.0).filter { $0 != "en" } + ["und"]

    static func detect(_ text: String) -> (script: String, language: String) {
        var counts = [Int](repeating: 0, count: scripts.count)
        var kazakh = 0, ukrainian = 0, persian = 0
        for s in text.unicodeScalars where s.properties.isAlphabetic {
            let v = s.value
            let script = switch v {
            case 0x41...0x24F, 0x1E00...0x1EFF: 0
            case 0x400...0x52F: 1
            case 0x600...0x6FF, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: 2
            case 0x370...0x3FF: 3
            case 0x3040...0x30FF, 0x4E00...0x9FFF, 0xAC00...0xD7AF: 4
            default: 5
            }
            counts[script] += 1
            switch s {
            case "ә", "Ә", "ғ", "Ғ", "қ", "Қ", "ң", "Ң", "ө", "Ө", "ұ", "Ұ", "ү", "Ү", "һ", "Һ": kazakh += 1
            case "ї", "Ї", "є", "Є", "ґ", "Ґ": ukrainian += 1
            case "\u{067E}", "\u{0686}", "\u{0698}", "\u{06AF}": persian += 1
            default: break
            }
        }
        guard let top = counts.indices.max(by: { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }),
              counts[top] > 0 else { return ("none", "und") }
        let script = scripts[top]
        switch script {
        case "cyrillic":
            if kazakh >= 2, kazakh >= ukrainian { return (script, "kk") }
            if ukrainian >= 2 { return (script, "uk") }
            return (script, "ru")
        case "arabic":
            return (script, persian >= 2 ? "fa" : "ar")
        case "latin":
            return (script, latinLanguage(text))
        default:
            return (script, "und")
        }
    }

    private static let stopwords: [(String, Set<String>)] = [
        ("en", ["the", "and", "of", "to", "in", "is", "that", "for", "was", "with", "said", "on", "were", "have", "has"]),
        ("fr", ["le", "la", "les", "des", "et", "est", "une", "dans", "que", "pour", "du", "au", "pas", "sur"]),
        ("de", ["der", "die", "und", "das", "ist", "nicht", "mit", "den", "von", "ein", "eine", "auf", "sich", "dem"]),
        ("es", ["el", "los", "las", "y", "que", "en", "por", "una", "con", "del", "para", "se", "su", "fue"]),
        ("tr", ["ve", "bir", "bu", "ile", "icin", "olarak", "cok", "daha", "gibi", "olan", "ama", "sonra"]),
        ("uz", ["va", "bilan", "uchun", "edi", "ham", "bu", "bir", "lekin", "emas", "qilib", "yil", "haqida"]),
    ]

    private static func latinLanguage(_ text: String) -> String {
        var scores = [Int](repeating: 0, count: stopwords.count)
        var seen = 0
        let folded = FoldedText(folding: text)
        for (a, z) in zip(folded.wordStarts, folded.wordEnds) {
            let length = Int(z - a)
            guard length <= 6 else { continue }
            let word = String(decoding: folded.bytes[Int(a) ..< Int(z)], as: UTF8.self)
            for (i, (_, words)) in stopwords.enumerated() where words.contains(word) { scores[i] += 1 }
            seen += 1
            if seen > 3000 { break }
        }
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[best] >= 3 else { return "und" }
        return stopwords[best].0
    }
}
