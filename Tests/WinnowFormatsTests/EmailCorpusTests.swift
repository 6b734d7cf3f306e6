import Foundation
@testable import WinnowFormats
import XCTest

/// The e-mails of the labelled corpus in ../shared (skipped when it is absent): each is read,
/// titled as its label says, and its words map back into the file.
final class EmailCorpusTests: XCTestCase {
    static let corpus = URL(fileURLWithPath: "/work/shared/corpus")

    func testCorpusEmails_areTitledAsLabelled() throws {
        let labels = Self.corpus.appendingPathComponent("labels.tsv")
        guard let table = try? String(contentsOf: labels, encoding: .utf8) else { throw XCTSkip("no corpus at \(Self.corpus.path)") }
        let rows = table.split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = table.split(separator: "\n").first!.split(separator: "\t").map(String.init)
        let fileColumn = header.firstIndex(of: "file")!, titleColumn = header.firstIndex(of: "expected_title")!
        var checked = 0
        for row in rows where row.count > titleColumn && row[fileColumn].hasSuffix(".eml") {
            let name = row[fileColumn]
            let bytes = try [UInt8](Data(contentsOf: Self.corpus.appendingPathComponent("docs").appendingPathComponent(name)))
            let doc = try readMail(bytes, name: name)
            XCTAssertEqual(doc.metadata.format.rawValue, "email", name)
            XCTAssertEqual(doc.metadata.title, row[titleColumn], name)
            XCTAssertGreaterThan(doc.text.count, row[titleColumn].utf8.count + 100, "\(name): the body is read")
            // Each word maps to bytes that give it back: an encoded word, base64 groups, or itself.
            for (word, r) in words(of: doc.string) {
                let slice = Array(bytes[doc.map.sourceRange(r, text: doc.text)])
                let s = String(decoding: slice, as: UTF8.self)
                let decoded: String
                if s == word {
                    decoded = s
                } else if s.hasPrefix("=?") {
                    decoded = MailFixture.decodeEncodedWords(slice)
                } else if s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0.isNewline || "+/=".contains($0)) }), s.filter({ !$0.isNewline }).count % 4 == 0,
                          let data = Data(base64Encoded: s.filter { !$0.isNewline }) {
                    decoded = String(decoding: data, as: UTF8.self)
                } else {
                    decoded = s
                }
                XCTAssertTrue(decoded.contains(word), "\(name): '\(word)' maps to '\(s)'")
            }
            checked += 1
        }
        if checked == 0 { throw XCTSkip("no e-mail in the corpus labels") }
    }
}
