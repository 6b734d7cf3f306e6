import WinnowCharset
import WinnowText

/// Web pages: the article without the page's chrome, in the charset the page declares (or
/// the one its bytes show), with its headline and metadata.
struct HTMLReader: FormatReader {
    static let format = DocumentFormat(rawValue: "html")
    static let summary = "Web pages in any charset: the article without navigation, related links, footers or comments; "
        + "the title from og:title, the article's <h1> or <title> without the site's name."
    static let extensions = ["html", "htm", "xhtml", "shtml"]

    /// A doctype, `<html>`, `<head>` or `<body>` near the start: strong. A fragment with
    /// several block tags: weak (the extension decides).
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        if looksLikeHTML(head) { return .strong }
        return blockTags(head) >= 3 ? .weak : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let label = input.bytes.withUnsafeBufferPointer { HTMLExtractor.declaredCharset($0) }
        let decoded = try input.text(declared: label.map { CharsetDeclaration(label: $0, origin: "the page's charset declaration") })
        let html = HTMLExtractor.extract(decoded.utf8, mainContent: true)
        let map = html.map.composed(over: decoded.map, text: html.text, innerText: decoded.utf8)
        var metadata = DocumentMetadata(format: format, title: html.title, charset: decoded.choice)
        metadata.author = html.author
        metadata.published = html.published
        metadata.url = html.url
        metadata.publisher = html.publisher
        metadata.language = html.language
        return Reading(documents: [ExtractedText(text: html.text, map: map, metadata: metadata, warnings: decoded.warnings)])
    }

    /// Markup at the start (after whitespace and a UTF-8 byte-order mark) that only HTML has.
    static func looksLikeHTML(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < text.count, i < 1024, [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains(text[i]) { i += 1 }
        guard i < text.count, text[i] == UInt8(ascii: "<") else { return false }
        let end = min(text.count, i + 2048)
        var k = i
        while let lt = HTMLTokenizer.find(UInt8(ascii: "<"), text, from: k, to: end) {
            for marker: StaticString in ["<!doctype html", "<html", "<head", "<body"] where CharsetPrescan.starts(text, lt, end, marker) {
                return true
            }
            k = lt + 1
        }
        return false
    }

    /// Block tags (`<p>`, `<div`, `<br`, `<li`, `<h1`…) in the head of a file.
    private static func blockTags(_ head: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var k = 0
        while count < 3, let lt = HTMLTokenizer.find(UInt8(ascii: "<"), head, from: k, to: head.count) {
            for marker: StaticString in ["<p>", "<p ", "</p>", "<div", "<br", "<li", "<ul", "<table", "<h1", "<h2", "<h3", "<blockquote"]
            where CharsetPrescan.starts(head, lt, head.count, marker) {
                count += 1
                break
            }
            k = lt + 1
        }
        return count
    }
}
