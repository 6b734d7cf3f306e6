/// Attribute names as keys: the first 7 lowercased bytes and the length, enough to tell apart
/// every name the reader asks for without building a String per attribute.
enum AttributeName {
    @inline(__always) static func begin() -> UInt64 { 0 }

    @inline(__always) static func add(_ b: UInt8, to key: inout UInt64) {
        let length = key >> 56
        let low = key & 0x00FF_FFFF_FFFF_FFFF
        if length < 7 {
            key = (length + 1) << 56 | (low << 8 | UInt64(HTMLTokenizer.lower(b)))
        } else if length < 255 {
            key = (length + 1) << 56 | low
        }
    }

    /// The key of `name` (the constants below are its values, written out so that reading an
    /// attribute costs no lazy initialisation; a test checks them).
    static func key(_ name: String) -> UInt64 {
        var k = begin()
        for b in name.utf8 { add(b, to: &k) }
        return k
    }

    static let `class`: UInt64 = 0x0500_0063_6C61_7373
    static let id: UInt64 = 0x0200_0000_0000_6964
    static let style: UInt64 = 0x0500_0073_7479_6C65
    static let hidden: UInt64 = 0x0600_6869_6464_656E
    static let ariaHidden: UInt64 = 0x0B61_7269_612D_6869
    static let ariaModal: UInt64 = 0x0A61_7269_612D_6D6F
    static let role: UInt64 = 0x0400_0000_726F_6C65
    static let itemprop: UInt64 = 0x0869_7465_6D70_726F
    static let href: UInt64 = 0x0400_0000_6872_6566
    static let name: UInt64 = 0x0400_0000_6E61_6D65
    static let property: UInt64 = 0x0870_726F_7065_7274
    static let content: UInt64 = 0x0763_6F6E_7465_6E74
    static let charset: UInt64 = 0x0763_6861_7273_6574
    static let httpEquiv: UInt64 = 0x0A68_7474_702D_6571
    static let rel: UInt64 = 0x0300_0000_0072_656C
    static let lang: UInt64 = 0x0400_0000_6C61_6E67
    static let type: UInt64 = 0x0400_0000_7479_7065
    static let datetime: UInt64 = 0x0864_6174_6574_696D
}
