import WinnowCharset
import WinnowText

/// The text of one text part, mapped to the source: transfer encoding undone, charset decoded
/// to UTF-8, HTML reduced to its text.
///
/// The map is composed layer over layer (HTML text → UTF-8 → part bytes → source), so every
/// text range maps to the source bytes that, with the part's transfer encoding and charset
/// undone, are that text.
struct PartText: Sendable {
    var text: [UInt8]
    var map: SourceMap
    var charset: CharsetChoice
    /// Damaged bytes, a charset label not followed: each names the part.
    var warnings: [String]

    /// Why a text part could not be read at all.
    struct Unreadable: Error, Sendable {
        var reason: String
    }

    /// Reads `part`. `converted` is set when the whole file was converted to UTF-8 (it was
    /// UTF-16 or UTF-32): parts not base64-encoded are UTF-8 already.
    init(reading part: MailPart, html: Bool, in source: UnsafeBufferPointer<UInt8>, policy: CharsetPolicy,
         converted: CharsetChoice?) throws(Unreadable) {
        guard let (bytes, transferMap, damage) = part.encoding.decode(source, part.body) else {
            if case .unknown(let name) = part.encoding {
                throw Unreadable(reason: "its transfer encoding '\(name)' is not one Winnow reads")
            }
            throw Unreadable(reason: "its transfer encoding could not be undone")
        }
        var warnings: [String] = []
        if damage.count > 0 {
            warnings.append("\(part.description): \(damage.count) character(s) that are not base64 skipped "
                + "(the first at byte \(damage.first ?? 0))")
        }
        let (decoded, origin) = try Self.decodeCharset(bytes, of: part, html: html, policy: policy, converted: converted)
        // The decoder's own warnings name the declaration; the others are told which part.
        warnings += decoded.warnings.map { w in origin.map { w.hasPrefix($0) } == true ? w : "\(part.description): \(w)" }
        var text = decoded.utf8
        var map = decoded.map.composed(over: transferMap, text: decoded.utf8, innerText: bytes)
        if html {
            let h = HTMLExtractor.extract(decoded.utf8, mainContent: false)
            map = h.map.composed(over: map, text: h.text, innerText: decoded.utf8)
            text = h.text
        }
        self.text = text
        self.map = map
        self.charset = decoded.choice
        self.warnings = warnings
    }

    /// The part's bytes in UTF-8, mapped to the bytes: in the charset its Content-Type (or an
    /// HTML part's `<meta>`) declares, else UTF-8 or the detected one. Also says where the
    /// declaration was, as the decoder's warnings name it.
    private static func decodeCharset(_ bytes: [UInt8], of part: MailPart, html: Bool, policy: CharsetPolicy,
                                      converted: CharsetChoice?) throws(Unreadable) -> (DecodedText, origin: String?) {
        // In a file converted from UTF-16 or UTF-32, a part copied as it is is UTF-8 already; a
        // quoted-printable or base64 part's bytes are in the part's own charset.
        if let converted, case .identity = part.encoding {
            return (DecodedText(utf8: bytes, map: .identity(count: bytes.count), choice: converted), nil)
        }
        var declared: CharsetDeclaration?
        if let label = part.charsetLabel {
            let origin = part.label.isEmpty ? "the message's Content-Type" : "the Content-Type of part \(part.label)"
            declared = CharsetDeclaration(label: label, origin: origin)
        } else if html, let label = bytes.withUnsafeBufferPointer({ HTMLExtractor.declaredCharset($0) }) {
            declared = CharsetDeclaration(label: label, origin: "a <meta> charset in \(part.description)")
        }
        switch bytes.withUnsafeBufferPointer({ CharsetDecoder.decode($0, declared: declared, policy: policy) }) {
        case .success(let d): return (d, declared?.origin)
        case .failure(let f): throw Unreadable(reason: f.detail)
        }
    }
}

