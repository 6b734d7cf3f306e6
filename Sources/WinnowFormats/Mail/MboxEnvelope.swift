/// The mbox form of a message: a first line `From sender@host date` (the envelope, not a
/// header), then the message. Lines of the body that began with `From ` are quoted as `>From `
/// and stay as they are: that is how the sender's text reads in any mail reader.
enum MboxEnvelope {
    /// Where the message starts and ends in `bytes`, and how many more messages follow it in
    /// the same mbox (each after an empty line, a `From ` line and a header field).
    static func firstMessage(_ bytes: UnsafeBufferPointer<UInt8>) -> (range: Range<Int>, more: Int) {
        let start = headerStart(bytes)
        guard isEnvelope(bytes, at: bytes.starts(with: byteOrderMark) ? 3 : 0) else { return (start ..< bytes.count, 0) }
        var end = bytes.count
        var more = 0
        var i = start
        var previousEmpty = false
        while i < bytes.count {
            let lineEnd = MailHeader.lineEnd(bytes, from: i, limit: bytes.count)
            let next = min(lineEnd + 1, bytes.count)
            if previousEmpty, isEnvelope(bytes, at: i), next < bytes.count,
               MailHeader.strict(bytes, next ..< MailHeader.lineEnd(bytes, from: next, limit: bytes.count))?.fields.isEmpty == false {
                if more == 0 { end = i }
                more += 1
            }
            previousEmpty = lineEnd == i || (lineEnd == i + 1 && bytes[i] == 0x0D)
            i = next
        }
        return (start ..< end, more)
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Where the first message's header starts: after a UTF-8 byte-order mark (some editors
    /// save one) and an mbox `From ` line.
    static func headerStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let i = bytes.starts(with: byteOrderMark) ? 3 : 0
        guard isEnvelope(bytes, at: i) else { return i }
        return min(MailHeader.lineEnd(bytes, from: i, limit: bytes.count) + 1, bytes.count)
    }

    /// `From ` and an address at `i` (the header is `From:`).
    static func isEnvelope(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        let prefix: [UInt8] = Array("From ".utf8)
        guard bytes.count - i > prefix.count else { return false }
        for (k, c) in prefix.enumerated() where bytes[i + k] != c { return false }
        let c = bytes[i + prefix.count]
        return c > 0x20 && c < 0x7F
    }
}
