#if canImport(Glibc)
import Glibc
#endif

/// The header block of a message or of a MIME part: its fields, and where the body starts.
struct MailHeader: Sendable {
    var fields: [HeaderField]
    /// The header block, from its first field to the end of the empty line after it.
    var range: Range<Int>
    /// Where the body starts: after the empty line, or at the first line that is not a field.
    var bodyStart: Int

    /// Header names that only e-mail has: two of them at the start make a file a message.
    static let familiarNames: Set<String> = [
        "from", "to", "cc", "subject", "date", "message-id", "received", "mime-version", "return-path",
        "content-type", "reply-to", "delivered-to", "in-reply-to", "references", "x-mailer",
    ]

    /// Fields from `range.lowerBound` up to the first empty line. A line that is neither a
    /// field nor a continuation ends the header there, as mail readers do with a part whose
    /// header is damaged.
    init(parsing source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        self = Self.parse(source, range, strict: false)!
    }

    private init(fields: [HeaderField], range: Range<Int>, bodyStart: Int) {
        self.fields = fields
        self.range = range
        self.bodyStart = bodyStart
    }

    /// As `init(parsing:)`, but nil when a line is neither a field nor a continuation.
    static func strict(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> MailHeader? {
        parse(source, range, strict: true)
    }

    private static func parse(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, strict: Bool) -> MailHeader? {
        var fields: [HeaderField] = []
        var i = range.lowerBound
        let limit = range.upperBound
        while i < limit {
            let lineEnd = Self.lineEnd(source, from: i, limit: limit)
            let next = min(lineEnd + 1, limit)
            let content = lineEnd > i && source[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
            if content == i {
                return MailHeader(fields: fields, range: range.lowerBound ..< next, bodyStart: next)
            }
            if source[i] == 0x20 || source[i] == 0x09, !fields.isEmpty {
                fields[fields.count - 1].range = fields[fields.count - 1].range.lowerBound ..< content
                fields[fields.count - 1].valueRange = fields[fields.count - 1].valueRange.lowerBound ..< content
            } else if let field = Self.field(source, i ..< content) {
                fields.append(field)
            } else {
                if strict { return nil }
                break
            }
            i = next
        }
        return MailHeader(fields: fields, range: range.lowerBound ..< i, bodyStart: i)
    }

    /// The first field named `name` (lowercase).
    func first(_ name: String) -> HeaderField? {
        fields.first { $0.name == name }
    }

    /// Whether `bytes` start with a header block holding at least two familiar e-mail fields.
    static func looksLikeMail(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Bool {
        let limit = min(bytes.count, start + (64 << 10))
        guard let header = MailHeader.strict(bytes, start ..< limit),
              header.fields.first?.range.lowerBound == start else { return false }
        var familiar = Set<String>()
        for f in header.fields where familiarNames.contains(f.name) {
            familiar.insert(f.name)
            if familiar.count >= 2 { return true }
        }
        return false
    }

    /// `Name: value` on one line: a name of printable ASCII other than the colon.
    private static func field(_ source: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> HeaderField? {
        var colon = line.lowerBound
        while colon < line.upperBound, source[colon] != 0x3A {
            guard source[colon] > 0x20, source[colon] < 0x7F else { return nil }
            colon += 1
        }
        guard colon < line.upperBound, colon > line.lowerBound, colon - line.lowerBound <= 256 else { return nil }
        var v = colon + 1
        while v < line.upperBound, source[v] == 0x20 || source[v] == 0x09 { v += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: source[line.lowerBound ..< colon]), as: UTF8.self).lowercased()
        return HeaderField(name: name, range: line, valueRange: v ..< line.upperBound)
    }

    /// Offset of the next line feed at or after `i`, or `limit`.
    static func lineEnd(_ source: UnsafeBufferPointer<UInt8>, from i: Int, limit: Int) -> Int {
        guard i < limit, let base = source.baseAddress, let hit = memchr(base + i, 0x0A, limit - i) else { return limit }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
}
