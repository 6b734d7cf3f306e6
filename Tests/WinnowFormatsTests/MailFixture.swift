import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import WinnowFormats

/// Builds an e-mail message for a test, byte by byte, and remembers how each stretch of it is
/// encoded, so a test can undo the encoding of any byte range independently of the reader.
struct MailFixture {
    enum Transfer { case identity, quotedPrintable, base64 }

    /// How a region of the file becomes text: a header value (RFC 2047 words), or a body in a
    /// transfer encoding and charset.
    enum Layer {
        /// A header value: RFC 2047 words, other bytes in `charset` (nil: ASCII or UTF-8).
        case header(charset: String?)
        case body(Transfer, charset: String)
    }

    private(set) var bytes: [UInt8] = []
    private(set) var regions: [(range: Range<Int>, layer: Layer)] = []

    /// A line of ASCII or UTF-8, CRLF after it.
    mutating func line(_ s: String = "") {
        bytes += Array(s.utf8) + [0x0D, 0x0A]
    }

    /// `Name: value` where the value is written as given (encoded words, raw 8-bit bytes).
    mutating func header(_ name: String, _ value: [UInt8], charset: String? = nil) {
        bytes += Array("\(name): ".utf8)
        regions.append((bytes.count ..< bytes.count + value.count, .header(charset: charset)))
        bytes += value + [0x0D, 0x0A]
    }

    mutating func header(_ name: String, _ value: String) { header(name, Array(value.utf8)) }

    /// `text` in `charset`, transfer-encoded, then CRLF.
    mutating func body(_ text: String, charset: String, transfer: Transfer, lineLength: Int = 76) {
        let raw = MailFixture.encode(text.replacingOccurrences(of: "\n", with: "\r\n"), to: charset)
        let encoded: [UInt8]
        switch transfer {
        case .identity: encoded = raw
        case .quotedPrintable: encoded = MailFixture.quotedPrintable(raw)
        case .base64:
            // Any line length: lengths that are not a multiple of 4 cut groups across lines.
            let flat = Array(Data(raw).base64EncodedString().utf8)
            encoded = stride(from: 0, to: flat.count, by: lineLength).map { Array(flat[$0 ..< min($0 + lineLength, flat.count)]) }
                .joined(separator: [0x0D, 0x0A]).map { $0 }
        }
        regions.append((bytes.count ..< bytes.count + encoded.count, .body(transfer, charset: charset)))
        bytes += encoded + [0x0D, 0x0A]
    }

    /// The region a file range lies in.
    func layer(of r: Range<Int>) -> Layer? {
        regions.first { $0.range.lowerBound <= r.lowerBound && r.upperBound <= $0.range.upperBound }?.layer
    }

    // MARK: Encoders and decoders written for the tests, independent of the reader's

    /// `s` in `charset`, by iconv.
    static func encode(_ s: String, to charset: String) -> [UInt8] {
        convert(Array(s.utf8), from: "UTF-8", to: charset)
    }

    static func decode(_ b: [UInt8], from charset: String) -> String {
        let iconvName = charset.lowercased() == "x-mac-cyrillic" ? "MAC-CYRILLIC" : charset
        return String(decoding: convert(b, from: iconvName, to: "UTF-8//IGNORE"), as: UTF8.self)
    }

    static func convert(_ input: [UInt8], from: String, to: String) -> [UInt8] {
        let cd = iconv_open(to, from)
        precondition(cd != iconv_t(bitPattern: -1), "iconv does not know \(from) → \(to)")
        defer { iconv_close(cd) }
        var inBuf = input.map { CChar(bitPattern: $0) }
        var out = [CChar](repeating: 0, count: input.count * 4 + 16)
        var inLeft = inBuf.count, outLeft = out.count
        inBuf.withUnsafeMutableBufferPointer { ib in
            out.withUnsafeMutableBufferPointer { ob in
                var ip: UnsafeMutablePointer<CChar>? = ib.baseAddress
                var op: UnsafeMutablePointer<CChar>? = ob.baseAddress
                while inLeft > 0 {
                    if iconv(cd, &ip, &inLeft, &op, &outLeft) != -1 { break }
                    ip! += 1; inLeft -= 1  // skip what does not convert
                }
            }
        }
        return out[..<(out.count - outLeft)].map { UInt8(bitPattern: $0) }
    }

    /// Quoted-printable with 76-character lines and soft breaks.
    static func quotedPrintable(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var column = 0
        var i = 0
        while i < raw.count {
            let c = raw[i]
            if c == 0x0D, i + 1 < raw.count, raw[i + 1] == 0x0A {
                out += [0x0D, 0x0A]; column = 0; i += 2; continue
            }
            let piece: [UInt8] = c >= 0x80 || c == 0x3D ? Array(String(format: "=%02X", c).utf8) : [c]
            if column + piece.count > 75 { out += Array("=\r\n".utf8); column = 0 }
            out += piece
            column += piece.count
            i += 1
        }
        return out
    }

    static func qpDecode(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == 0x3D, i + 2 < b.count, b[i + 1] == 0x0D, b[i + 2] == 0x0A { i += 3; continue }
            if b[i] == 0x3D, i + 2 < b.count, let v = UInt8(String(decoding: b[i + 1 ... i + 2], as: UTF8.self), radix: 16) {
                out.append(v); i += 3; continue
            }
            out.append(b[i]); i += 1
        }
        return out
    }

    /// RFC 2047 words in `b` decoded with iconv, the rest as UTF-8; the bytes of adjacent words
    /// in one charset are decoded together (RFC 2047 §6.2, and a character may be cut between two).
    static func decodeEncodedWords(_ b: [UInt8]) -> String {
        let s = String(decoding: b, as: UTF8.self)
        let pattern = try! NSRegularExpression(pattern: "=\\?([^?*]+)(\\*[^?]*)?\\?([BbQq])\\?([^?\\s]*)\\?=")
        var out = ""
        var last = s.startIndex
        var pending: (charset: String, bytes: [UInt8])?
        func flush() {
            if let p = pending { out += decode(p.bytes, from: p.charset) }
            pending = nil
        }
        for m in pattern.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            let whole = Range(m.range, in: s)!
            let between = s[last ..< whole.lowerBound]
            if !between.allSatisfy(\.isWhitespace) || pending == nil { flush(); out += between }
            let charset = String(s[Range(m.range(at: 1), in: s)!]).lowercased()
            let mode = s[Range(m.range(at: 3), in: s)!].uppercased()
            let text = String(s[Range(m.range(at: 4), in: s)!])
            let raw: [UInt8]
            if mode == "B" {
                var padded = text
                while padded.count % 4 != 0 { padded += "=" }
                raw = Array(Data(base64Encoded: padded) ?? Data())
            } else {
                raw = qpDecode(Array(text.replacingOccurrences(of: "_", with: " ").utf8))
            }
            if let p = pending, p.charset != charset { flush() }
            pending = (charset, (pending?.bytes ?? []) + raw)
            last = whole.upperBound
        }
        flush()
        return out + s[last...]
    }
}

/// Reads `bytes` as the e-mail reader does (named `name`), failing the test on a ReadFailure.
func readMail(_ bytes: [UInt8], name: String = "message.eml") throws -> ExtractedText {
    let reading = try DocumentReader.read(bytes, name: name)
    guard reading.documents.count == 1, let doc = reading.documents.first else { throw ReadFailure(.malformed, "not one document") }
    return doc
}

extension ExtractedText {
    var string: String { String(decoding: text, as: UTF8.self) }
}

import XCTest

/// The offsets contract, word by word: every word of the text maps to file bytes that, with
/// the transfer encoding and charset of where they are undone, give the word back (exactly for
/// copied and quoted-printable text; for base64, whole 4-character groups whose bytes hold the
/// word; for encoded words, whole `=?…?=` whose text holds it).
func assertEveryWordMapsBack(_ doc: ExtractedText, _ fixture: MailFixture, file: StaticString = #filePath, line: UInt = #line) {
    let text = doc.string
    var checked = 0
    for (word, range) in words(of: text) {
        let r = doc.map.sourceRange(range, text: doc.text)
        let slice = Array(fixture.bytes[r])
        guard let layer = fixture.layer(of: r) else {
            XCTFail("'\(word)' maps to \(r), outside every text region: '\(String(decoding: slice, as: UTF8.self))'", file: file, line: line)
            continue
        }
        checked += 1
        switch layer {
        case .header(let charset):
            let hasWords = String(decoding: slice, as: UTF8.self).contains("=?")
            let decoded = hasWords ? MailFixture.decodeEncodedWords(slice) : MailFixture.decode(slice, from: charset ?? "UTF-8")
            XCTAssertTrue(decoded.contains(word), "'\(word)' maps to '\(decoded)'", file: file, line: line)
        case .body(.identity, let charset):
            XCTAssertEqual(MailFixture.decode(slice, from: charset), word, file: file, line: line)
        case .body(.quotedPrintable, let charset):
            XCTAssertEqual(MailFixture.decode(MailFixture.qpDecode(slice), from: charset), word, file: file, line: line)
        case .body(.base64, let charset):
            let region = fixture.regions.first { $0.range.contains(r.lowerBound) }!.range
            let before = fixture.bytes[region.lowerBound ..< r.lowerBound].filter { $0 != 0x0D && $0 != 0x0A }.count
            let groups = slice.filter { $0 != 0x0D && $0 != 0x0A }
            XCTAssertEqual(before % 4, 0, "'\(word)' starts inside a base64 group", file: file, line: line)
            XCTAssertEqual(groups.count % 4, 0, "'\(word)' maps to part of a base64 group", file: file, line: line)
            let bytes = [UInt8](Data(base64Encoded: Data(groups)) ?? Data())
            XCTAssertTrue(MailFixture.decode(bytes, from: charset).contains(word), "'\(word)' not in its base64 groups", file: file, line: line)
        }
    }
    XCTAssertGreaterThan(checked, 0, "no words checked", file: file, line: line)
}

/// Runs of letters and digits with their UTF-8 ranges.
func words(of text: String) -> [(String, Range<Int>)] {
    var out: [(String, Range<Int>)] = []
    var start: Int?
    var offset = 0
    var current = ""
    for s in text.unicodeScalars {
        let isWord = s.properties.isAlphabetic || s.properties.numericType != nil
        if isWord {
            if start == nil { start = offset }
            current.unicodeScalars.append(s)
        } else if let a = start {
            out.append((current, a ..< offset))
            start = nil
            current = ""
        }
        offset += String(s).utf8.count
    }
    if let a = start { out.append((current, a ..< offset)) }
    return out
}
