@testable import WinnowText
import XCTest

final class FoldedTextTests: XCTestCase {
    private func folded(_ s: String) -> String {
        String(decoding: FoldedText(folding: s).bytes, as: UTF8.self)
    }

    /// The shared table may come from the cache folder: it must equal one built from scratch.
    func testSharedTable_equalsAFreshlyBuiltOne() {
        let fresh = FoldTable(), shared = FoldTable.shared
        XCTAssertEqual(fresh.start, shared.start)
        XCTAssertEqual(fresh.bytes, shared.bytes)
        XCTAssertEqual(fresh.classes, shared.classes)
        XCTAssertEqual(fresh.maxFoldedBytes, shared.maxFoldedBytes)
    }

    func testFold_caseDiacriticsAndWidth() {
        XCTAssertEqual(folded("Café CRÈME naïve"), "cafe creme naive")
        XCTAssertEqual(folded("ＡＢＣ１２"), "abc12")
        XCTAssertEqual(folded("Straße İstanbul"), "strasse istanbul")
        XCTAssertEqual(folded("ﬁnal"), "final")
    }

    func testFold_whenDecomposed_matchesPrecomposed() {
        XCTAssertEqual(folded("cafe\u{301}"), folded("café"))
    }

    func testFold_cyrillicAndKazakhLetters() {
        XCTAssertEqual(folded("АКТОБЕ"), "актобе")
        XCTAssertEqual(folded("Ақтөбе"), "актобе")
        XCTAssertEqual(folded("ӘҒҚҢӨҰҮҺІ"), "агкноуухи")
        XCTAssertEqual(folded("Ёлка й"), "елка и")
    }

    func testFold_arabicVariantsAndMarks() {
        // Alef with hamza → alef; harakat (fatha) dropped; tatweel dropped.
        XCTAssertEqual(folded("\u{0623}\u{064E}\u{0645}\u{0640}\u{0646}"), "\u{0627}\u{0645}\u{0646}")
    }

    func testFold_collapsesSpacesLineBreaksAndHyphens() {
        XCTAssertEqual(folded("sleeper-cell"), "sleeper cell")
        XCTAssertEqual(folded("sleeper \n\t cell"), "sleeper cell")
        XCTAssertEqual(folded("sleeper\u{2011}cell\u{00A0}x"), "sleeper cell x")
        XCTAssertEqual(folded("extre\u{00AD}mist"), "extremist")
    }

    func testFold_typographicQuotesBecomeASCII() {
        XCTAssertEqual(folded("Kazakhstan’s “wealth”"), "kazakhstan's \"wealth\"")
    }

    func testOffsets_mapEveryFoldedByteBackToTheOriginal() {
        let original = "Ақтөбе — «Extremists»"
        let f = FoldedText(folding: original)
        let bytes = Array(original.utf8)
        let foldedString = String(decoding: f.bytes, as: UTF8.self)
        let range = foldedString.range(of: "extremists")!
        let a = foldedString.utf8.distance(from: foldedString.startIndex, to: range.lowerBound)
        let z = foldedString.utf8.distance(from: foldedString.startIndex, to: range.upperBound)
        let r = f.originalRange(a, z)
        XCTAssertEqual(String(decoding: bytes[r], as: UTF8.self), "Extremists")
        XCTAssertEqual(f.originalOffset.count, f.bytes.count + 1)
        XCTAssertEqual(Int(f.originalOffset.last!), bytes.count)
    }

    /// Long texts (past every buffer's first growth), ASCII runs between other scalars: the
    /// fold, its offsets and its words against a scalar-by-scalar reference.
    func testFold_longMixedTexts_matchAReference() {
        var rng = SystemRandomNumberGenerator()
        let pieces = ["a", "B", "z", "7", " ", "  ", "-", "\n", ".", ",", "é", "Ж", "\u{AD}", "ß", "\u{2014}", "😀", "x y"]
        for _ in 0 ..< 20 {
            let text = (0 ..< Int.random(in: 1000 ... 6000, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            let folded = FoldedText(folding: text)
            var bytes: [UInt8] = [], offsets: [UInt32] = [], starts: [UInt32] = [], ends: [UInt32] = []
            var inWord = false, lastSpace = false
            let utf8 = Array(text.utf8)
            var i = 0
            for scalar in text.unicodeScalars {
                let piece = FoldedText(folding: String(scalar))  // one scalar alone: its fold and class
                let isSpace = scalar.properties.isWhitespace || scalar == "-"
                let isWord = scalar.properties.isAlphabetic || ("0" ... "9").contains(scalar)
                if isWord {
                    if !inWord { starts.append(UInt32(bytes.count)); inWord = true }
                    bytes += piece.bytes; offsets += Array(repeating: UInt32(i), count: piece.bytes.count)
                    lastSpace = false
                } else if isSpace {
                    if inWord { ends.append(UInt32(bytes.count)); inWord = false }
                    if !lastSpace { bytes.append(0x20); offsets.append(UInt32(i)); lastSpace = true }
                } else if !piece.bytes.isEmpty {
                    if inWord { ends.append(UInt32(bytes.count)); inWord = false }
                    bytes += piece.bytes; offsets += Array(repeating: UInt32(i), count: piece.bytes.count)
                    lastSpace = false
                }
                i += String(scalar).utf8.count
            }
            if inWord { ends.append(UInt32(bytes.count)) }
            offsets.append(UInt32(utf8.count))
            XCTAssertEqual(folded.bytes, bytes)
            XCTAssertEqual(folded.originalOffset, offsets)
            XCTAssertEqual(folded.wordStarts, starts)
            XCTAssertEqual(folded.wordEnds, ends)
        }
    }

    func testWords_startAndEndAtLettersAndDigits() {
        let f = FoldedText(folding: "Hi, 10 people’s cafe\u{301}!")
        let words = zip(f.wordStarts, f.wordEnds).map { String(decoding: f.bytes[Int($0)..<Int($1)], as: UTF8.self) }
        XCTAssertEqual(words, ["hi", "10", "people", "s", "cafe"])
    }

    func testWords_emojiAndCJKDoNotBreakOffsets() {
        let f = FoldedText(folding: "😀 東京 test")
        let words = zip(f.wordStarts, f.wordEnds).map { String(decoding: f.bytes[Int($0)..<Int($1)], as: UTF8.self) }
        XCTAssertEqual(words, ["東京", "test"])
    }
}

final class UTF8ValidationTests: XCTestCase {
    func testValidator_rejectsOverlongSurrogatesAndTruncation() {
        XCTAssertEqual(UTF8Validation.firstInvalid([0xC0, 0x80]), 0)
        XCTAssertEqual(UTF8Validation.firstInvalid([0xED, 0xA0, 0x80]), 0)
        XCTAssertEqual(UTF8Validation.firstInvalid(Array("ok".utf8) + [0xE2, 0x82]), 2)
        XCTAssertNil(UTF8Validation.firstInvalid(Array("Ақтөбе 😀 ok".utf8)))
        XCTAssertEqual(UTF8Validation.firstInvalid(Array("ok".utf8) + [0xD0]), 2)
        XCTAssertEqual(UTF8Validation.firstInvalid([0xD0, 0x41]), 0)
    }

    /// Random fragments of valid and broken UTF-8: the validator agrees with the stdlib's, and
    /// the offset it reports starts a sequence the stdlib rejects.
    func testValidator_agreesWithTheStandardLibrary() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("Ж".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8),
                                 [0x80], [0xC1, 0x80], [0xD0], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
        for _ in 0 ..< 3000 {
            let bytes = (0 ..< Int.random(in: 0 ... 12, using: &rng)).flatMap { _ in
                Int.random(in: 0 ..< 4, using: &rng) == 0 ? pieces.randomElement(using: &rng)! : pieces[Int.random(in: 0 ... 4, using: &rng)]
            }
            let bad = UTF8Validation.firstInvalid(bytes)
            XCTAssertEqual(bad == nil, String(validating: bytes, as: UTF8.self) != nil, "\(bytes)")
            if let bad {
                XCTAssertNotNil(String(validating: bytes[..<bad], as: UTF8.self), "\(bytes)")
            }
        }
    }

    func testLineIndex_givesLineAndScalarColumn() {
        let text = Array("first\nвторая строка\n".utf8)
        let offset = Array("first\nвторая ".utf8).count
        let p = LineIndex(text).position(of: offset, in: text)
        XCTAssertEqual(p.line, 2)
        XCTAssertEqual(p.column, 8)
    }

    /// Snippets and columns against the plain byte-by-byte definitions, on random texts.
    func testSnippetAndColumns_agreeWithReferences() {
        func referenceSnippet(_ text: [UInt8], _ range: Range<Int>) -> String {
            var a = max(0, range.lowerBound - 40), z = min(text.count, range.upperBound + 40)
            if let nl = text[a ..< range.lowerBound].lastIndex(of: 0x0A) { a = nl + 1 }
            if let nl = text[range.upperBound ..< z].firstIndex(of: 0x0A) { z = nl }
            while a > 0, a < text.count, text[a] & 0xC0 == 0x80 { a -= 1 }
            while z < text.count, text[z] & 0xC0 == 0x80 { z += 1 }
            var out: [UInt8] = a > 0 ? [0xE2, 0x80, 0xA6] : []
            var lastSpace = true, i = a
            while i < z {
                let b = text[i]
                var space = b <= 0x20, width = 1
                if b == 0xC2, i + 1 < z, text[i + 1] == 0xA0 || text[i + 1] <= 0x9F { space = true; width = 2 }  // NBSP, C1 controls
                if b == 0xE2, i + 2 < z, text[i + 1] == 0x80, (0x80...0x8A).contains(text[i + 2]) || [0xA8, 0xA9, 0xAF].contains(text[i + 2]) { space = true; width = 3 }
                if b == 0xE3, i + 2 < z, text[i + 1] == 0x80, text[i + 2] == 0x80 { space = true; width = 3 }
                if space { if !lastSpace { out.append(0x20) }; lastSpace = true } else { out.append(b); lastSpace = false }
                i += width
            }
            if out.last == 0x20 { out.removeLast() }
            if z < text.count { out += [0xE2, 0x80, 0xA6] }
            return String(decoding: out, as: UTF8.self)
        }
        var rng = SystemRandomNumberGenerator()
        let pieces = ["word", " ", "\n", "\t", "Ж", "é", "\u{A0}", "\u{85}", "\u{9F}", "\u{2009}", "\u{2028}", "\u{3000}", "—", "😀", ".", "\u{7F}"]
        for _ in 0 ..< 300 {
            let text = Array((0 ..< Int.random(in: 1 ... 80, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined().utf8)
            let lines = LineIndex(text)
            // Ranges on scalar boundaries, as hits are.
            let starts = text.indices.filter { text[$0] & 0xC0 != 0x80 } + [text.count]
            for _ in 0 ..< 10 {
                let x = starts.randomElement(using: &rng)!, y = starts.randomElement(using: &rng)!
                let range = min(x, y) ..< max(x, y)
                XCTAssertEqual(snippet(of: text, around: range), referenceSnippet(text, range))
                let line = text[..<range.lowerBound].filter { $0 == 0x0A }.count + 1
                let lineStart = (text[..<range.lowerBound].lastIndex(of: 0x0A) ?? -1) + 1
                let column = text[lineStart ..< range.lowerBound].filter { $0 & 0xC0 != 0x80 }.count + 1
                XCTAssertTrue(lines.position(of: range.lowerBound, in: text) == (line, column))
            }
        }
    }

    func testSnippet_whenTextHoldsANextLineControl_staysOneLine() {
        XCTAssertEqual(snippet(of: Array("gunmen\u{85}attacked\u{9B}2J".utf8), around: 0 ..< 6), "gunmen attacked 2J")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { f } else { nil }
    }
}
