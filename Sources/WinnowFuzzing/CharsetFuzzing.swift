import WinnowCharset

/// Charset detection and decoding, as every text reader starts. The first byte of the input
/// picks what the document declares (low four bits) and the configured fallback (next two);
/// the rest is the document.
enum CharsetFuzzing {
    /// Labels documents write, including stateful ones iconv knows (UTF-7, ISO-2022-JP) and one
    /// it does not.
    static let declared: [String?] = [
        nil, "utf-8", "windows-1251", "koi8-r", "us-ascii", "utf-16", "utf-16le", "utf-32",
        "iso-2022-jp", "utf-7", "shift_jis", "gb18030", "big5", "euc-kr", "x-no-such-charset", "latin1",
    ]
    static let fallbacks: [String?] = [nil, "windows-1251", "utf-16be", "iso-2022-jp"]

    static func run(_ input: [UInt8]) throws(FuzzFailure) {
        guard let selector = input.first else { return }
        let bytes = Array(input.dropFirst())
        let declaration = declared[Int(selector & 0x0F)].map { CharsetDeclaration(label: $0, origin: "<meta charset>") }
        let policy = CharsetPolicy(fallback: fallbacks[Int(selector >> 4) & 3].flatMap(Charset.init(label:)))
        guard case .success(let decoded) = CharsetDecoder.decode(bytes, declared: declaration, policy: policy) else { return }
        try MapCheck.check(text: decoded.utf8, map: decoded.map, sourceCount: bytes.count,
                           what: "charset \(decoded.choice.charset) (\(decoded.choice.method.rawValue))")
    }
}
