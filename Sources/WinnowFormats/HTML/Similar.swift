/// Loose text equality for titles: case, typographic quotes and dashes, spacing and final
/// punctuation do not count.
enum Similar {
    static func normalized(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var space = false
        for c in s.unicodeScalars {
            var v = c.value
            switch v {
            case 0x41 ... 0x5A, 0xC0 ... 0xD6, 0xD8 ... 0xDE, 0x391 ... 0x3A9, 0x410 ... 0x42F: v += 0x20
            case 0x400 ... 0x40F: v += 0x50
            case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032, 0x0060, 0x00B4: v = 0x27
            case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033, 0x00AB, 0x00BB: v = 0x22
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212: v = 0x2D
            case 0x00AD: continue
            case 0 ... 0x20, 0x85, 0xA0, 0x1680, 0x2000 ... 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
                space = !out.isEmpty
                continue
            case 0 ..< 0xC0, 0xD7, 0xDF ... 0xFF, 0x430 ..< 0x460: break  // no capitals here
            default:
                let lower = c.properties.lowercaseMapping.unicodeScalars
                if lower.count == 1 { v = lower.first!.value }
            }
            if space { out.append(0x20); space = false }
            if v < 0x80 {
                out.append(UInt8(v))
            } else if let scalar = Unicode.Scalar(v) {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        while let l = out.last, l == 0x2E || l == 0x21 || l == 0x3A || l == 0x3B || l == 0x2C { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    static func same(_ a: String, _ b: String) -> Bool {
        let x = normalized(a)
        return !x.isEmpty && x == normalized(b)
    }

    /// Letters and digits only, lowercased: `Herald Sun` and `HeraldSun` are one site.
    static func key(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0" ... "9").contains($0) }.map(Character.init))
    }
}
