/// Reads what an element's attributes say about it: visibility, role, microdata, class hints.
enum ElementAttributes {
    /// Roles that are page chrome, never the article (Readability's UNLIKELY_ROLES, plus the
    /// landmarks of a site's header, footer and search box).
    private static let unlikelyRoles: Set<String> = [
        "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog", "banner", "contentinfo",
        "search", "toolbar",
    ]

    static func read(_ attributes: ArraySlice<HTMLAttribute>, _ p: UnsafeBufferPointer<UInt8>, into node: inout HTMLNode,
                     head: inout HeadFacts) {
        guard !attributes.isEmpty else { return }
        var classHints: ClassHints = []
        var idHints: ClassHints = []
        var modal = false
        var role = 0 ..< 0
        for a in attributes {
            switch a.key {
            case AttributeName.class:
                node.classStart = Int32(a.value.lowerBound)
                node.classLength = Int32(a.value.count)
                classHints = ClassHints.of(p, a.value)
            case AttributeName.id: idHints = ClassHints.of(p, a.value)
            case AttributeName.style: if hidesElement(p, a.value) { node.flags.insert(.hidden) }
            case AttributeName.hidden: node.flags.insert(.hidden)
            case AttributeName.ariaHidden: if equals(p, a.value, "true") { node.flags.insert(.hidden) }
            case AttributeName.ariaModal: modal = equals(p, a.value, "true")
            case AttributeName.role: role = a.value
            case AttributeName.itemprop: readItemprop(a.value, attributes, p, into: &node, head: &head)
            case AttributeName.rel: if equals(p, a.value, "author") { node.flags.insert(.byline) }
            case AttributeName.href:
                guard node.tag == .a, a.value.count > 1 else { break }
                if p[a.value.lowerBound] == UInt8(ascii: "#") { node.flags.insert(.hashLink) }
                if isSocial(p, a.value) { node.flags.insert(.socialLink) }
            default: break
            }
        }
        if !role.isEmpty, role.count <= 20 {
            let name = lowercased(p, role)
            if unlikelyRoles.contains(name) { node.flags.insert(.unlikelyRole) }
            if name == "main" { node.flags.insert(.mainRole) }
            if name == "dialog", modal { node.flags.insert(.dialog) }
        }
        node.hints = classHints.union(idHints)
        node.classWeight = weight(classHints) + weight(idHints)
        if node.hints.contains(.screenReaderOnly) { node.flags.insert(.hidden) }
        if node.hints.contains(.byline) { node.flags.insert(.byline) }
    }

    /// Hosts of social networks: a short paragraph linking there is a "follow us" box.
    private static let socialHosts: [[UInt8]] = [
        "facebook.com", "twitter.com", "x.com", "instagram.com", "t.me", "telegram.me", "vk.com", "ok.ru", "youtube.com",
        "linkedin.com", "tiktok.com", "pinterest.com", "whatsapp.com", "wa.me", "threads.net",
    ].map { Array($0.utf8) }

    /// Whether a link goes to a social network (`https://www.facebook.com/…`).
    static func isSocial(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        guard r.count < 2048, let slash = HTMLTokenizer.find(UInt8(ascii: "/"), p, from: r.lowerBound, to: r.upperBound),
              slash + 1 < r.upperBound, p[slash + 1] == UInt8(ascii: "/") else { return false }
        var start = slash + 2
        var end = start
        while end < r.upperBound, p[end] != UInt8(ascii: "/"), p[end] != UInt8(ascii: "?"), p[end] != UInt8(ascii: "#") { end += 1 }
        guard end - start < 64 else { return false }
        for prefix: StaticString in ["www.", "m.", "mobile."] where CharsetPrescan.starts(p, start, end, prefix) {
            start += prefix.utf8CodeUnitCount
        }
        return socialHosts.contains { host in
            host.count == end - start && host.indices.allSatisfy { host[$0] == HTMLTokenizer.lower(p[start + $0]) }
        }
    }

    private static func weight(_ h: ClassHints) -> Int8 {
        (h.contains(.negative) ? -25 : 0) + (h.contains(.positive) ? 25 : 0)
    }

    private static func readItemprop(_ value: Range<Int>, _ attributes: ArraySlice<HTMLAttribute>, _ p: UnsafeBufferPointer<UInt8>,
                                     into node: inout HTMLNode, head: inout HeadFacts) {
        guard value.count <= 64 else { return }
        for word in lowercased(p, value).split(separator: " ") {
            switch word {
            case "articlebody": node.flags.insert(.articleBody)
            case "headline": node.flags.insert(.headline)
            case "author", "creator": node.flags.insert(.byline)
            case "datepublished":
                if let v = Self.value(AttributeName.content, attributes) ?? Self.value(AttributeName.datetime, attributes) {
                    head.itemprops.append(("datepublished", v))
                }
            default: break
            }
        }
    }

    /// Whether an inline style hides the element (`display: none`, `visibility: hidden`).
    static func hidesElement(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        var k = r.lowerBound
        while k < r.upperBound {
            let b = p[k] | 0x20
            if b == UInt8(ascii: "d"), declares(p, k, r.upperBound, "display", "none") { return true }
            if b == UInt8(ascii: "v"), declares(p, k, r.upperBound, "visibility", "hidden") { return true }
            k += 1
        }
        return false
    }

    /// Whether `p[k...]` is `property: value` (any case, spaces around the colon).
    private static func declares(_ p: UnsafeBufferPointer<UInt8>, _ k: Int, _ end: Int, _ property: StaticString,
                                 _ value: StaticString) -> Bool {
        guard CharsetPrescan.starts(p, k, end, property) else { return false }
        var j = k + property.utf8CodeUnitCount
        while j < end, HTMLTokenizer.isSpace(p[j]) { j += 1 }
        guard j < end, p[j] == UInt8(ascii: ":") else { return false }
        j += 1
        while j < end, HTMLTokenizer.isSpace(p[j]) { j += 1 }
        return CharsetPrescan.starts(p, j, end, value)
    }

    static func value(_ key: UInt64, _ attributes: ArraySlice<HTMLAttribute>) -> Range<Int>? {
        for a in attributes where a.key == key { return a.value }
        return nil
    }

    /// Whether `p[r]` is `s`, ignoring ASCII case and surrounding spaces.
    static func equals(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ s: StaticString) -> Bool {
        var a = r.lowerBound, z = r.upperBound
        while a < z, HTMLTokenizer.isSpace(p[a]) { a += 1 }
        while z > a, HTMLTokenizer.isSpace(p[z - 1]) { z -= 1 }
        guard z - a == s.utf8CodeUnitCount else { return false }
        let q = s.utf8Start
        for k in 0 ..< (z - a) where HTMLTokenizer.lower(p[a + k]) != q[k] { return false }
        return true
    }

    /// `p[r]` with ASCII letters lowercased and surrounding ASCII whitespace trimmed.
    static func lowercased(_ p: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        var a = r.lowerBound, z = r.upperBound
        while a < z, HTMLTokenizer.isSpace(p[a]) { a += 1 }
        while z > a, HTMLTokenizer.isSpace(p[z - 1]) { z -= 1 }
        return String(unsafeUninitializedCapacity: z - a) { out in
            for k in a ..< z { out[k - a] = HTMLTokenizer.lower(p[k]) }
            return z - a
        }
    }
}
