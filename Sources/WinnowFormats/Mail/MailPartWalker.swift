import WinnowCharset
import WinnowText

/// Reads a message's parts in order, as a mail reader shows them: text parts and text
/// attachments read, `multipart/alternative` read once (plain text preferred, else the richest
/// alternative that has text), forwarded messages (`message/rfc822`) read with their subject,
/// everything else listed as an attachment.
///
/// Offsets are offsets into `source`. Parts are separated by paragraph breaks. A part that
/// cannot be read is a warning, never a failure of the message.
struct MailPartWalker {
    /// Parts nest by recursion; real mail nests a few levels, a hostile message thousands.
    static let maxNesting = 32
    /// Warnings and attachments kept for the alert; a message of 100,000 parts says how many
    /// more there were instead.
    static let maxWarnings = 50
    static let maxAttachments = 100

    let source: UnsafeBufferPointer<UInt8>
    let policy: CharsetPolicy
    /// The file's charset when the whole file was converted to UTF-8 (UTF-16 or UTF-32).
    let converted: CharsetChoice?

    private(set) var joiner = TextJoiner()
    private(set) var attachments: [Attachment] = []
    private(set) var warnings: [String] = []
    /// The charset of the first text part read.
    private(set) var charset: CharsetChoice?
    private var warningsDropped = 0
    private var attachmentsDropped = 0

    init(source: UnsafeBufferPointer<UInt8>, policy: CharsetPolicy, converted: CharsetChoice?) {
        self.source = source
        self.policy = policy
        self.converted = converted
    }

    /// Reads `part` (the message's own body first), `depth` entities deep.
    mutating func read(_ part: MailPart, depth: Int) {
        guard withinNesting(depth) else { return }
        switch part.kind {
        case .multipart(let boundary):
            readMultipart(part, boundary: boundary, depth: depth)
        case .message where part.encoding == .identity:
            readMessage(part.body, label: part.label, depth: depth + 1)
        case .message:
            readEncodedMessage(part, depth: depth + 1)
        case .text(let html):
            readText(part, html: html)
        case .attachment:
            list(part)
        }
    }

    /// Warnings, with a count of those not kept.
    var allWarnings: [String] {
        var out = warnings
        if warningsDropped > 0 { out.append("\(warningsDropped) more warning(s) about parts not listed") }
        if attachmentsDropped > 0 { out.append("\(attachmentsDropped) more attachment(s) not listed") }
        return out
    }

    private mutating func readMultipart(_ part: MailPart, boundary: String?, depth: Int) {
        guard let boundary, !boundary.isEmpty else {
            warn("\(part.description) names no boundary; its parts were not read")
            return
        }
        let body = MultipartBody(source, part.body, boundary: boundary)
        guard !body.parts.isEmpty else {
            warn("\(part.description): the boundary '\(boundary)' never occurs; its parts were not read")
            return
        }
        if !body.closed { warn("\(part.description) ends without its closing boundary; read to the end of the file") }
        let defaultType = part.type == "multipart/digest" ? "message/rfc822" : "text/plain"
        let children = body.parts.enumerated().map { k, range in
            MailPart(parsing: source, range, label: Self.childLabel(part.label, k + 1), defaultType: defaultType)
        }
        if part.type == "multipart/encrypted" {
            warn("\(part.description) is encrypted; its text cannot be read")
        }
        if part.type == "multipart/alternative" {
            readAlternative(children, depth: depth + 1)
            return
        }
        for (k, child) in children.enumerated() {
            // A related part's other parts are what its first one shows inline (images, styles),
            // not attachments, unless they say they are.
            if part.type == "multipart/related", k > 0, !child.isAttachment { continue }
            joiner.separate(at: child.header.range)
            read(child, depth: depth + 1)
        }
    }

    /// Plain text first, as the sender wrote it; when it is missing or empty, the alternatives
    /// from the last (the richest, RFC 2046 §5.1.4) until one gives text.
    private mutating func readAlternative(_ children: [MailPart], depth: Int) {
        let plain = children.indices.filter { children[$0].type == "text/plain" }
        let rest = children.indices.reversed().filter { children[$0].type != "text/plain" }
        for k in plain + rest where attempt(children[k], depth: depth) { return }
    }

    /// Reads `part`; if it gives no text, forgets it (its attachments too) and says false.
    private mutating func attempt(_ part: MailPart, depth: Int) -> Bool {
        let checkpoint = joiner.checkpoint()
        let before = (text: joiner.text.count, attachments: attachments.count, charset: charset)
        joiner.separate(at: part.header.range)
        read(part, depth: depth)
        if joiner.text.count > before.text { return true }
        joiner.rollback(to: checkpoint)
        attachments.removeSubrange(before.attachments...)
        charset = before.charset
        return false
    }

    /// A message inside this one (forwarded, bounced, a digest's entry): its subject, then its
    /// text.
    private mutating func readMessage(_ range: Range<Int>, label: String, depth: Int) {
        guard withinNesting(depth) else { return }
        let header = MailHeader(parsing: source, range)
        let isMultipart = header.first("content-type").map { HeaderParameters($0.unfolded(source)).value.hasPrefix("multipart/") } ?? false
        let inner = MailPart(header: header, source: source, body: header.bodyStart ..< range.upperBound,
                             label: isMultipart ? label : Self.childLabel(label, 1))
        if let subject = header.first("subject") {
            let h = HeaderTextDecoder.decode(source, subject.valueRange, field: "the Subject of a forwarded message",
                                             hint: inner.charsetLabel.flatMap(Charset.init(label:)), policy: policy)
            h.warnings.forEach { warn($0) }
            joiner.separate(at: subject.range)
            joiner.append(h.text, map: h.map, trimming: true)
        }
        joiner.separate(at: header.range)
        read(inner, depth: depth)
    }

    /// A forwarded message sent base64 or quoted-printable (RFC 2046 forbids it; mailers do
    /// it): decoded, read by a walker of its own, and its map composed over the decoding.
    private mutating func readEncodedMessage(_ part: MailPart, depth: Int) {
        guard let (bytes, transferMap, _) = part.encoding.decode(source, part.body) else {
            if case .unknown(let name) = part.encoding {
                warn("\(part.description) was not read: its transfer encoding '\(name)' is not one Winnow reads")
            }
            return
        }
        // The inner walker reads `bytes` in place: only what it found leaves the closure.
        let inner = bytes.withUnsafeBufferPointer { b in
            var walker = MailPartWalker(source: b, policy: policy, converted: nil)
            walker.readMessage(0 ..< b.count, label: part.label, depth: depth)
            return (walker.joiner.finish(), walker.allWarnings, walker.attachments, walker.charset)
        }
        let (text, map) = inner.0
        joiner.append(text, map: map.composed(over: transferMap, text: text, innerText: bytes))
        inner.1.forEach { warn($0) }
        inner.2.forEach { list($0) }
        if charset == nil { charset = inner.3 }
    }

    private mutating func readText(_ part: MailPart, html: Bool) {
        do {
            let t = try PartText(reading: part, html: html, in: source, policy: policy, converted: converted)
            t.warnings.forEach { warn($0) }
            let before = joiner.text.count
            joiner.append(t.text, map: t.map, trimming: true)
            if joiner.text.count > before, charset == nil { charset = t.charset }
        } catch {
            warn("\(part.description) was not read: \(error.reason)")
        }
    }

    private mutating func list(_ part: MailPart) {
        list(Attachment(name: part.filename, type: part.type, bytes: part.encoding.decodedSize(source, part.body)))
    }

    private mutating func list(_ attachment: Attachment) {
        guard attachments.count < Self.maxAttachments else { attachmentsDropped += 1; return }
        attachments.append(attachment)
    }

    /// Whether a part `depth` entities deep is read; says once that deeper ones are not.
    private mutating func withinNesting(_ depth: Int) -> Bool {
        if depth <= Self.maxNesting { return true }
        warn("a part nested more than \(Self.maxNesting) levels deep was not read")
        return false
    }

    private mutating func warn(_ w: String) {
        guard !warnings.contains(w) else { return }
        guard warnings.count < Self.maxWarnings else { warningsDropped += 1; return }
        warnings.append(w)
    }

    static func childLabel(_ parent: String, _ k: Int) -> String {
        parent.isEmpty ? "\(k)" : "\(parent).\(k)"
    }
}
