import Foundation
@testable import WinnowFormats
import WinnowText
import XCTest

/// The HTML pages of the labelled corpus in ../shared (skipped when it is absent): titles as
/// labelled, and what the extraction keeps written to a folder for a person to read
/// (WINNOW_HTML_OUT).
final class HTMLCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: "/work/shared/corpus")

    private func labels() throws -> [(file: String, title: String)] {
        let tsv = try String(contentsOf: Self.corpus.appendingPathComponent("labels.tsv"), encoding: .utf8)
        var rows: [(String, String)] = []
        var columns: [String] = []
        for line in tsv.split(separator: "\n", omittingEmptySubsequences: true) {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if columns.isEmpty { columns = cells; continue }
            guard let f = columns.firstIndex(of: "file"), let fmt = columns.firstIndex(of: "format"),
                  let t = columns.firstIndex(of: "expected_title"), cells.count > t, cells[fmt] == "html" else { continue }
            rows.append((cells[f], cells[t]))
        }
        return rows
    }

    static func normalizedTitle(_ s: String) -> String {
        Similar.normalized(s.replacingOccurrences(of: "\u{00A0}", with: " "))
    }

    func testCorpusPages_titlesMatchTheLabels() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else { throw XCTSkip("../shared/corpus is absent") }
        let rows = try labels()
        XCTAssertEqual(rows.count, 12)
        let out = ProcessInfo.processInfo.environment["WINNOW_HTML_OUT"]
        var titled = 0, matched = 0
        for (file, expected) in rows {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("docs/\(file)")))
            let reading = try DocumentReader.read(bytes, name: file)
            let doc = try XCTUnwrap(reading.documents.first)
            XCTAssertEqual(doc.metadata.format.rawValue, "html", file)
            let text = String(decoding: doc.text, as: UTF8.self)
            if let out {
                let m = doc.metadata
                let header = "title: \(m.title ?? "-")\nauthor: \(m.author ?? "-")\npublished: \(m.published ?? "-")\n"
                    + "url: \(m.url ?? "-")\npublisher: \(m.publisher ?? "-")\nlanguage: \(m.language ?? "-")\n"
                    + "charset: \(m.charset.map { "\($0.charset.name) \($0.method)" } ?? "-")\n"
                    + "bytes: \(bytes.count) text: \(doc.text.count)\n----\n"
                try (header + text).write(toFile: "\(out)/\(file).txt", atomically: true, encoding: .utf8)
            }
            guard !expected.isEmpty else { continue }
            titled += 1
            if Self.normalizedTitle(doc.metadata.title ?? "") == Self.normalizedTitle(expected) {
                matched += 1
            } else {
                XCTFail("\(file): title '\(doc.metadata.title ?? "nil")', labelled '\(expected)'")
            }
            XCTAssertTrue(Self.normalizedTitle(String(text.prefix(while: { $0 != "\n" }))) == Self.normalizedTitle(doc.metadata.title ?? ""),
                          "\(file): the headline is the first line")
        }
        XCTAssertEqual(titled, 11)
        XCTAssertEqual(matched, titled)
    }

    /// Words that only page chrome writes: menus, footers, sign-up and share boxes.
    static let boilerplate = [
        "privacy policy", "terms of use", "terms of service", "all rights reserved", "cookie", "sign in", "log in",
        "subscribe", "newsletter", "advertisement", "share this", "related articles", "related stories", "most popular",
        "most read", "see comments", "comments", "follow us", "like us on", "read more", "see more", "trending",
        "sign up", "©", "skip to content", "menu",
    ]

    func testCorpusPages_keepNoChrome_andEveryWordMapsToItsBytes() throws {
        guard FileManager.default.fileExists(atPath: Self.corpus.path) else { throw XCTSkip("../shared/corpus is absent") }
        for (file, _) in try labels() {
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("docs/\(file)")))
            let doc = try XCTUnwrap(try DocumentReader.read(bytes, name: file).documents.first)
            let text = String(decoding: doc.text, as: UTF8.self)
            XCTAssertGreaterThan(doc.text.count, 500, file)
            for line in text.split(separator: "\n") where line.count < 80 {
                let l = line.lowercased()
                for phrase in Self.boilerplate where l.contains(phrase) {
                    XCTFail("\(file): chrome line '\(line)'")
                }
            }
            HTMLFixtures.assertEveryWordMapsToItsBytes(doc, file: bytes, file)
        }
    }
}
