import Foundation
#if canImport(Glibc)
import Glibc
#endif
import WinnowCharset
@testable import WinnowFormats
import WinnowText
import XCTest

/// The HTML fixtures (Fixtures/html), their charset variants, and the evidence contract checked
/// word by word.
enum HTMLFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/html").path

    static func string(_ name: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
            throw XCTSkip("fixture \(name) is missing")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `text` in `charset`, by iconv (the tests' encoder; Winnow itself only decodes).
    static func encode(_ text: String, as charset: String) -> [UInt8] {
        let cd = iconv_open(charset, "UTF-8")
        precondition(cd != iconv_t(bitPattern: -1), "iconv does not know \(charset)")
        defer { iconv_close(cd) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written = input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(i.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(o.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = i.count, outLeft = o.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                precondition(r != -1 && inLeft == 0, "\(charset) cannot hold the text")
                return o.count - outLeft
            }
        }
        return Array(output[..<written])
    }

    /// Reads `bytes` as the daemon does and returns its one document.
    static func read(_ bytes: [UInt8], name: String = "page.html") throws -> ExtractedText {
        let reading = try DocumentReader.read(bytes, name: name)
        XCTAssertEqual(reading.documents.count, 1)
        return try XCTUnwrap(reading.documents.first)
    }

    static func text(_ doc: ExtractedText) -> String { String(decoding: doc.text, as: UTF8.self) }

    /// What a reader sees of `html`'s markup-free text: tags and comments out, references
    /// decoded, whitespace collapsed (the `HTMLText` contract, decoded independently of it).
    static func visible(_ html: [UInt8]) -> String {
        var out: [UInt8] = []
        html.withUnsafeBufferPointer { p in
            var k = 0
            while k < p.count {
                // HTML5: `<` opens markup before a letter, `/` and a letter, `!` or `?`.
                if p[k] == UInt8(ascii: "<"), k + 1 < p.count,
                   HTMLTokenizer.isLetter(p[k + 1]) || p[k + 1] == UInt8(ascii: "!") || p[k + 1] == UInt8(ascii: "?")
                   || (p[k + 1] == UInt8(ascii: "/") && k + 2 < p.count && HTMLTokenizer.isLetter(p[k + 2])) {
                    let close = (k + 4 <= p.count && p[k + 1] == UInt8(ascii: "!") && p[k + 2] == UInt8(ascii: "-")
                                 && p[k + 3] == UInt8(ascii: "-")) ? "-->" : ">"
                    var j = k + 1
                    while j < p.count, !String(decoding: p[j ..< min(p.count, j + close.utf8.count)], as: UTF8.self).hasPrefix(close) { j += 1 }
                    k = j + close.utf8.count
                    continue
                }
                if p[k] == UInt8(ascii: "&"), let (s, n) = CharacterReference.decode(p, at: k, end: p.count) {
                    out.append(contentsOf: CharacterReference.isSpace(s) ? [0x20] : Array(String(s).utf8))
                    k += n
                    continue
                }
                out.append(p[k])
                k += 1
            }
        }
        return String(decoding: out, as: UTF8.self).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The evidence contract, for every word of the text: the file bytes it maps to, decoded
    /// in the document's charset and read as a browser would, are the word.
    static func assertEveryWordMapsToItsBytes(_ doc: ExtractedText, file: [UInt8], _ label: String,
                                              requireWords: Bool = true, line: UInt = #line) {
        guard let charset = doc.metadata.charset?.charset else { return XCTFail("\(label): no charset", line: line) }
        var checked = 0
        var k = 0
        let t = doc.text
        while k < t.count {
            while k < t.count, t[k] == 0x20 || t[k] == 0x0A { k += 1 }
            let start = k
            while k < t.count, t[k] != 0x20, t[k] != 0x0A { k += 1 }
            guard k > start else { continue }
            // Collapsed as `visible` collapses (a word may hold a hair or thin space).
            let word = String(decoding: t[start ..< k], as: UTF8.self)
                .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            let source = doc.map.sourceRange(start ..< k, text: t)
            let slice = file.withUnsafeBufferPointer { p in
                CharsetDecoder.decode(UnsafeBufferPointer(rebasing: p[source]), as: charset)?.utf8 ?? []
            }
            let seen = visible(slice)
            if seen != word {
                XCTFail("\(label): word '\(word)' at \(start) maps to \(source) = '\(seen)'", line: line)
                return
            }
            checked += 1
        }
        if requireWords { XCTAssertGreaterThan(checked, 0, label, line: line) }
    }
}
