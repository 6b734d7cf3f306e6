/// The text of an e-mail message (RFC 5322, MIME): the subject and the text parts, decoded in
/// place (see `TextView`); other headers, attachments and markup become blanks.
enum MailView {
    /// Parts nest by recursion, so a hostile message (thousands of `message/rfc822` or
    /// multipart levels in a few megabytes) would overflow the stack; real mail nests a few.
    static let maxNesting = 32

    static let knownHeaders: Set<String> = ["from", "to", "cc", "subject", "date", "message-id", "received",
                                            "mime-version", "return-path", "content-type", "reply-to", "delivered-to"]

    /// A block of `Name: value` lines at the start with at least two familiar e-mail headers.
    static func looksLikeMail(_ text: [UInt8]) -> Bool {
        let headers = parseHeaders(text, from: 0, end: min(text.count, 64 << 10))
        guard headers.end > 0, headers.fields.first?.start == 0 else { return false }
        return Set(headers.fields.map(\.name)).intersection(knownHeaders).count >= 2
    }

    struct Field {
        var name: String
        var start: Int
        /// Where the value starts (after `Name:` and spaces).
        var valueStart: Int
        var end: Int
        var value: String
    }

    /// Header fields from `from` up to the first empty line; `end` is where the body starts.
    static func parseHeaders(_ b: [UInt8], from: Int, end limit: Int) -> (fields: [Field], end: Int) {
        var fields: [Field] = []
        var i = from
        while i < limit {
            let lineEnd = b[i ..< limit].firstIndex(of: 0x0A) ?? limit
            let content = lineEnd > i && b[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
            if content == i { return (fields, min(lineEnd + 1, limit)) }  // the empty line
            if b[i] == 0x20 || b[i] == 0x09 {
                // A folded continuation of the previous field.
                guard !fields.isEmpty else { return ([], 0) }
                fields[fields.count - 1].end = lineEnd
                fields[fields.count - 1].value += " " + String(decoding: b[i ..< content], as: UTF8.self).trimmed
            } else {
                guard let colon = b[i ..< content].firstIndex(of: UInt8(ascii: ":")), colon > i,
                      b[i ..< colon].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return ([], 0) }
                var v = colon + 1
                while v < content, b[v] == 0x20 || b[v] == 0x09 { v += 1 }
                fields.append(Field(name: String(decoding: b[i ..< colon], as: UTF8.self).lowercased(), start: i,
                                    valueStart: v, end: lineEnd, value: String(decoding: b[v ..< content], as: UTF8.self)))
            }
            i = lineEnd + 1
        }
        return (fields, limit)
    }

    static func view(_ text: [UInt8]) -> TextView {
        var bytes = text
        var notes: [String] = []
        let title = entity(&bytes, 0 ..< bytes.count, notes: &notes, top: true)
        return TextView(bytes: bytes, format: .email, title: title, notes: notes)
    }

    /// Processes one MIME entity (headers and body) in `range`; returns the subject at the top.
    /// `depth` counts the entities around this one.
    @discardableResult
    static func entity(_ b: inout [UInt8], _ range: Range<Int>, notes: inout [String], top: Bool,
                       defaultType: String = "text/plain", depth: Int = 0) -> String? {
        guard depth <= maxNesting else {
            ViewBytes.blank(&b, range)
            let note = "a part nested more than \(maxNesting) levels deep was not read"
            if !notes.contains(note) { notes.append(note) }
            return nil
        }
        let (fields, bodyStart) = parseHeaders(b, from: range.lowerBound, end: range.upperBound)
        var subject: String?
        var type = defaultType, boundary: String?, encoding = "7bit", filename: String?
        for f in fields {
            switch f.name {
            case "subject" where top:
                decodeEncodedWords(&b, f.valueStart ..< f.end)
                subject = ViewBytes.string(b[f.valueStart ..< f.end])
                ViewBytes.blank(&b, f.start ..< f.valueStart)
                continue
            case "content-type":
                let params = parameters(f.value)
                type = params.main
                boundary = params.values["boundary"]
                filename = filename ?? params.values["name"]
            case "content-transfer-encoding":
                encoding = f.value.trimmed.lowercased()
            case "content-disposition":
                filename = parameters(f.value).values["filename"] ?? filename
            default:
                break
            }
            ViewBytes.blank(&b, f.start ..< f.end)
        }
        let body = min(bodyStart, range.upperBound) ..< range.upperBound
        if body.isEmpty { return subject }
        if type.hasPrefix("multipart/"), let boundary {
            parts(&b, body, boundary: boundary, digest: type == "multipart/digest", notes: &notes, depth: depth + 1)
        } else if type == "message/rfc822" {
            entity(&b, body, notes: &notes, top: false, depth: depth + 1)
        } else if type == "text/plain" || type == "text/html" {
            decode(&b, body, encoding: encoding, notes: &notes)
            if type == "text/html" { HTMLView.blank(&b, body) }
        } else {
            ViewBytes.blank(&b, body)
            notes.append("attachment \(filename.map { "'\($0)' " } ?? "")(\(type)) not read")
        }
        return subject
    }

    static func parts(_ b: inout [UInt8], _ body: Range<Int>, boundary: String, digest: Bool, notes: inout [String],
                      depth: Int) {
        let marker = Array("--\(boundary)".utf8)
        var starts: [(line: Int, next: Int)] = []
        var i = body.lowerBound
        while i < body.upperBound {
            let lineEnd = b[i ..< body.upperBound].firstIndex(of: 0x0A) ?? body.upperBound
            if lineEnd - i >= marker.count, b[i ..< i + marker.count].elementsEqual(marker) {
                starts.append((i, min(lineEnd + 1, body.upperBound)))
            }
            i = lineEnd + 1
        }
        guard !starts.isEmpty else {
            ViewBytes.blank(&b, body)
            return
        }
        ViewBytes.blank(&b, body.lowerBound ..< starts[0].line)  // preamble
        for (k, s) in starts.enumerated() {
            ViewBytes.blank(&b, s.line ..< s.next)
            let end = k + 1 < starts.count ? starts[k + 1].line : body.upperBound
            if b[s.line ..< s.next].count >= marker.count + 2, b[s.line + marker.count] == UInt8(ascii: "-") {
                ViewBytes.blank(&b, s.next ..< end)  // epilogue after the closing boundary
                continue
            }
            entity(&b, s.next ..< end, notes: &notes, top: false, defaultType: digest ? "message/rfc822" : "text/plain",
                   depth: depth)
        }
    }

    /// Decodes a transfer encoding in place; text that is not UTF-8 after decoding is blanked.
    static func decode(_ b: inout [UInt8], _ range: Range<Int>, encoding: String, notes: inout [String]) {
        switch encoding {
        case "quoted-printable":
            quotedPrintable(&b, range)
        case "base64":
            let decoded = base64(b[range])
            ViewBytes.overwrite(&b, range, with: decoded)
        default:
            break
        }
        if DocumentText.firstInvalidUTF8(Array(b[range])) != nil {
            ViewBytes.blank(&b, range)
            notes.append("a text part is not UTF-8 and was not read")
        }
    }

    /// Each run of `=XX` escapes and soft line breaks is decoded at its own position.
    static func quotedPrintable(_ b: inout [UInt8], _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            guard b[i] == UInt8(ascii: "=") else { i += 1; continue }
            let runStart = i
            var decoded: [UInt8] = []
            while i < range.upperBound, b[i] == UInt8(ascii: "=") {
                if i + 1 < range.upperBound, b[i + 1] == 0x0A { i += 2; continue }
                if i + 2 < range.upperBound, b[i + 1] == 0x0D, b[i + 2] == 0x0A { i += 3; continue }
                guard i + 2 < range.upperBound, let hi = hex(b[i + 1]), let lo = hex(b[i + 2]) else { i += 1; break }
                decoded.append(hi << 4 | lo)
                i += 3
            }
            ViewBytes.overwrite(&b, runStart ..< i, with: decoded)
        }
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    static func base64(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3 / 4)
        var acc: UInt32 = 0, bits = 0
        for c in s {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            default: continue
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }

    /// RFC 2047 `=?charset?B|Q?text?=` words in UTF-8 or ASCII, decoded in place.
    static func decodeEncodedWords(_ b: inout [UInt8], _ range: Range<Int>) {
        let question = UInt8(ascii: "?")
        // Where a field of `=?charset?mode?text?=` ends: the next `?`, not past the line. Each
        // candidate looks no further than its third `?`, so a subject of a million `=?` stays
        // linear (a String of the rest of the header per candidate made it quadratic).
        func fieldEnd(from start: Int) -> Int? {
            var j = start
            while j < range.upperBound, b[j] != 0x0A {
                if b[j] == question { return j }
                j += 1
            }
            return nil
        }
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            guard b[i] == UInt8(ascii: "="), b[i + 1] == question,
                  let charsetEnd = fieldEnd(from: i + 2), let modeEnd = fieldEnd(from: charsetEnd + 1),
                  let textEnd = fieldEnd(from: modeEnd + 1),
                  textEnd + 1 < range.upperBound, b[textEnd + 1] == UInt8(ascii: "=") else { i += 1; continue }
            let charset = String(decoding: b[i + 2 ..< charsetEnd], as: UTF8.self).lowercased()
            let mode = String(decoding: b[charsetEnd + 1 ..< modeEnd], as: UTF8.self).uppercased()
            // A copy: a slice of `b` alive across the overwrite below would copy all of `b`.
            let text = Array(b[modeEnd + 1 ..< textEnd])
            let length = textEnd + 2 - i
            guard ["utf-8", "us-ascii", "utf8"].contains(charset) else { i += length; continue }
            var decoded: [UInt8]
            if mode == "B" {
                decoded = base64(text[...])
            } else {
                decoded = []
                var q = text[...]
                while let c = q.popFirst() {
                    if c == UInt8(ascii: "_") { decoded.append(0x20) } else if c == UInt8(ascii: "="), q.count >= 2,
                       let hi = hex(q[q.startIndex]), let lo = hex(q[q.startIndex + 1]) {
                        decoded.append(hi << 4 | lo)
                        q = q.dropFirst(2)
                    } else { decoded.append(c) }
                }
            }
            if DocumentText.firstInvalidUTF8(decoded) == nil {
                ViewBytes.overwrite(&b, i ..< i + length, with: decoded)
            }
            i += length
        }
    }

    /// `text/plain; charset="utf-8"; boundary=x` → ("text/plain", [charset: utf-8, boundary: x]).
    static func parameters(_ value: String) -> (main: String, values: [String: String]) {
        let items = value.split(separator: ";")
        let main = items.first.map { String($0).trimmed.lowercased() } ?? ""
        var values: [String: String] = [:]
        for item in items.dropFirst() {
            guard let eq = item.firstIndex(of: "=") else { continue }
            let key = String(item[..<eq]).trimmed.lowercased()
            var v = String(item[item.index(after: eq)...]).trimmed
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            values[key] = v
        }
        return (main, values)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
