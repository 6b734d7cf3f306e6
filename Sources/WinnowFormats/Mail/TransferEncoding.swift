import WinnowText

/// A part's Content-Transfer-Encoding, and how to undo it with a map back to the source.
enum TransferEncoding: Sendable, Equatable {
    /// `7bit`, `8bit`, `binary`, or none: the bytes are the content.
    case identity
    case quotedPrintable
    case base64
    /// One Winnow does not undo (`x-uuencode`), as written.
    case unknown(String)

    init(label: String?) {
        let key = (label ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "(" }).first.map(String.init) ?? ""
        switch key {
        case "", "7bit", "8bit", "binary", "7-bit", "8-bit": self = .identity
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        default: self = .unknown(key)
        }
    }

    /// The content of `source[range]`: its bytes, and the map from them to the source. Nil for
    /// an unknown encoding.
    func decode(_ source: UnsafeBufferPointer<UInt8>,
                _ range: Range<Int>) -> (bytes: [UInt8], map: SourceMap, damage: Base64Decoder.Damage)? {
        var builder = TextBuilder(capacity: range.count)
        var damage = Base64Decoder.Damage()
        switch self {
        case .identity: builder.copy(source, range)
        case .quotedPrintable: QuotedPrintableDecoder.decode(source, range, into: &builder)
        case .base64: damage = Base64Decoder.decode(source, range, into: &builder)
        case .unknown: return nil
        }
        let (bytes, map) = builder.finish()
        return (bytes, map, damage)
    }

    /// Bytes of content in `source[range]`, counted without decoding; nil for an unknown encoding.
    func decodedSize(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        switch self {
        case .identity: range.count
        case .quotedPrintable: QuotedPrintableDecoder.decodedSize(source, range)
        case .base64: Base64Decoder.decodedSize(source, range)
        case .unknown: nil
        }
    }
}
