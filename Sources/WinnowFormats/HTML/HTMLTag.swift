/// The HTML elements the reader tells apart; every other name is `unknown`, which separates
/// words as browsers separate unknown elements laid out as blocks by a page's stylesheet.
enum HTMLTag: UInt8, CaseIterable, Sendable {
    case unknown
    case html, head, body, title, meta, link, base
    case script, style, noscript, template, textarea, xmp, noembed, noframes, iframe
    case a, abbr, b, bdi, bdo, big, cite, code, data, del, dfn, em, font, i, ins, kbd, label, mark, nobr, q, s, samp
    case small, span, strike, strong, sub, sup, time, tt, u, `var`, wbr
    case br, p, div, h1, h2, h3, h4, h5, h6, ul, ol, li, dl, dt, dd, blockquote, pre, hr, address, center
    case section, article, header, footer, main, aside, nav, figure, figcaption, details, summary, dialog, menu
    case table, thead, tbody, tfoot, tr, td, th, caption, colgroup, col
    case form, fieldset, legend, input, select, option, optgroup, button, datalist, output, meter, progress, keygen
    case img, picture, source, track, area, map, object, embed, param, canvas, audio, video, svg, math
    case frame, frameset, basefont, bgsound

    /// The tag a name key stands for (see `HTMLTokenizer.nameKey`).
    @inline(__always)
    static func named(_ key: UInt64) -> HTMLTag {
        byName.tag(key)
    }

    private static let byName = NameTable(allCases.filter { $0 != .unknown }.map {
        (HTMLTokenizer.nameKey(String(describing: $0)), $0)
    })

    /// Open addressing over name keys: looked up at every tag, without hashing a Dictionary key.
    private struct NameTable: Sendable {
        private var keys: [UInt64]
        private var tags: [HTMLTag]
        private let mask: Int

        init(_ entries: [(UInt64, HTMLTag)]) {
            let size = 512
            mask = size - 1
            keys = [UInt64](repeating: 0, count: size)
            tags = [HTMLTag](repeating: .unknown, count: size)
            for (key, tag) in entries {
                var i = Int(truncatingIfNeeded: key >> 7) & mask
                while keys[i] != 0 { i = (i + 1) & mask }
                keys[i] = key
                tags[i] = tag
            }
        }

        @inline(__always) func tag(_ key: UInt64) -> HTMLTag {
            var i = Int(truncatingIfNeeded: key >> 7) & mask
            while true {
                let k = keys[i]
                if k == key { return tags[i] }
                if k == 0 { return .unknown }
                i = (i + 1) & mask
            }
        }
    }

    /// What a tag means to the reader, looked up by `rawValue`.
    struct Traits: OptionSet, Sendable {
        let rawValue: UInt32
        /// Rendered without a break: `Ak<b>tobe</b>` is one word.
        static let inline = Traits(rawValue: 1 << 0)
        /// Has no end tag and no content (`<br>`, `<img>`).
        static let void = Traits(rawValue: 1 << 1)
        /// Content is text up to the matching end tag, never markup (`<script>`, `<title>`).
        static let rawText = Traits(rawValue: 1 << 2)
        /// Starts a paragraph: a blank line before and after.
        static let paragraph = Traits(rawValue: 1 << 3)
        /// Starts a line (`<li>`, `<tr>`, `<td>`, `<br>`).
        static let line = Traits(rawValue: 1 << 4)
        /// Never shown, in any mode (`<head>`, `<template>`, `<svg>`).
        static let invisible = Traits(rawValue: 1 << 5)
        /// Page furniture a reader skips in an article: navigation, asides, footers, controls,
        /// embedded players, captions.
        static let furniture = Traits(rawValue: 1 << 6)
        /// A block child that keeps a `<div>` from being read as a paragraph (Readability's
        /// DIV_TO_P_ELEMS).
        static let blockChild = Traits(rawValue: 1 << 7)
        /// Scored as a paragraph (Readability's DEFAULT_TAGS_TO_SCORE).
        static let scored = Traits(rawValue: 1 << 8)
        /// Closes an open `<p>` (HTML's "close a p element" before a block).
        static let closesP = Traits(rawValue: 1 << 9)
        /// Counts as text-bearing for the "no useful content" check (Readability's textish tags).
        static let textish = Traits(rawValue: 1 << 10)
        static let heading = Traits(rawValue: 1 << 11)
        /// Embedded content (`<object>`, `<embed>`, `<iframe>`).
        static let embed = Traits(rawValue: 1 << 12)
    }

    var traits: Traits { Self.traitTable[Int(rawValue)] }

    static let traitTable: [Traits] = allCases.map(traitsOf)

    private static func traitsOf(_ t: HTMLTag) -> Traits {
        var r: Traits = []
        switch t {
        case .a, .abbr, .b, .bdi, .bdo, .big, .cite, .code, .data, .del, .dfn, .em, .font, .i, .ins, .kbd, .label, .mark,
             .nobr, .q, .s, .samp, .small, .span, .strike, .strong, .sub, .sup, .time, .tt, .u, .var, .wbr:
            r.insert(.inline)
        default: break
        }
        switch t {
        case .area, .base, .br, .col, .embed, .hr, .img, .input, .link, .meta, .param, .source, .track, .wbr, .keygen,
             .basefont, .bgsound, .frame:
            r.insert(.void)
        default: break
        }
        switch t {
        case .script, .style, .textarea, .title, .xmp, .iframe, .noembed, .noframes, .noscript: r.insert(.rawText)
        default: break
        }
        switch t {
        case .p, .div, .h1, .h2, .h3, .h4, .h5, .h6, .ul, .ol, .dl, .blockquote, .pre, .hr, .address, .center, .section,
             .article, .header, .footer, .main, .aside, .nav, .figure, .figcaption, .details, .summary, .dialog, .menu,
             .table, .form, .fieldset, .body, .html, .caption:
            r.insert(.paragraph)
        case .br, .li, .dt, .dd, .tr, .td, .th, .option, .legend, .thead, .tbody, .tfoot:
            r.insert(.line)
        default: break
        }
        switch t {
        case .head, .template, .svg, .math, .datalist, .canvas, .audio, .video, .object, .frameset, .select, .script,
             .style, .noscript, .iframe, .noembed, .noframes, .title:
            r.insert(.invisible)
        default: break
        }
        switch t {
        case .nav, .aside, .footer, .button, .select, .option, .optgroup, .input, .textarea, .figcaption, .dialog, .menu,
             .embed, .object, .output, .meter, .progress, .keygen:
            r.insert(.furniture)
        default: break
        }
        switch t {
        case .blockquote, .dl, .div, .img, .ol, .p, .pre, .table, .ul: r.insert(.blockChild)
        default: break
        }
        switch t {
        case .section, .h2, .h3, .h4, .h5, .h6, .p, .td, .pre: r.insert(.scored)
        default: break
        }
        switch t {
        case .address, .article, .aside, .blockquote, .center, .details, .dialog, .div, .dl, .fieldset, .figcaption,
             .figure, .footer, .form, .h1, .h2, .h3, .h4, .h5, .h6, .header, .hr, .main, .menu, .nav, .ol, .p, .pre,
             .section, .summary, .table, .ul, .li, .dd, .dt:
            r.insert(.closesP)
        default: break
        }
        switch t {
        case .span, .li, .td, .blockquote, .dl, .div, .img, .ol, .p, .pre, .table, .ul: r.insert(.textish)
        default: break
        }
        switch t {
        case .h1, .h2, .h3, .h4, .h5, .h6: r.insert(.heading)
        default: break
        }
        switch t {
        case .object, .embed, .iframe: r.insert(.embed)
        default: break
        }
        return r
    }

    /// Readability's score for the element itself (`_initializeNode`): containers of prose
    /// up, lists, forms and headings down.
    var contentWeight: Double {
        switch self {
        case .div: 5
        case .pre, .td, .blockquote: 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: -5
        default: 0
        }
    }
}
