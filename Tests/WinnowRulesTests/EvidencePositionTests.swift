import Foundation
import WinnowEngine
import WinnowFormats
import WinnowRules
import WinnowTestSupport
import XCTest

/// Lines and columns of evidence when one file holds several documents, which share one line
/// index over the file (issue 13: a line index per record made a feed whose records all had
/// evidence quadratic in its size).
final class EvidencePositionTests: XCTestCase {
    private func ruleset() throws -> Ruleset {
        let dir = TempFolder()
        try dir.write("rules/r.yaml", """
        pack: r
        rules:
          - {id: r.one, title: t, level: low, match: {m: [боевик*, gunmen]}}
        """)
        let (ruleset, diagnostics) = RulesetLoader.load(folder: dir.path + "/rules")
        XCTAssertFalse(diagnostics.hasErrors, "\(diagnostics.items)")
        return try XCTUnwrap(ruleset)
    }

    /// Each document's evidence positions, from the file classified whole and from each
    /// document classified alone (its own line index).
    private func positions(_ file: [UInt8], name: String) throws -> (whole: [[String]], alone: [[String]]) {
        let ruleset = try ruleset()
        func describe(_ c: Classification) -> [String] {
            c.rules.flatMap(\.evidence).map { "\($0.text)@\($0.line):\($0.column)" }
        }
        let whole = try ruleset.classify(bytes: file, name: name).classifications.map(describe)
        let alone = try DocumentReader.read(file, name: name).documents.map { extracted in
            describe(ruleset.classify(Document(extracted, name: name, file: file)))
        }
        return (whole, alone)
    }

    func testIssue13_feedRecordsInUTF16_reportTheirOwnLines() throws {
        let feed = (1 ... 4).map { #"{"title": "t\#($0)", "body": "Two gunmen and боевики were seen"}"# }.joined(separator: "\n")
        let (whole, alone) = try positions([0xFF, 0xFE] + Array(feed.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] },
                                           name: "feed.jsonl")
        XCTAssertEqual(whole.count, 4)
        XCTAssertEqual(whole, alone)
        XCTAssertEqual(whole[3], ["gunmen@4:30", "боевики@4:41"])
    }

    func testIssue13_feedRecordsInWindows1251_reportTheirOwnLines() throws {
        let feed = (1 ... 3).map { #"{"title": "т\#($0)", "body": "Сообщают: боевики и gunmen"}"# }.joined(separator: "\n")
        let (whole, alone) = try positions([UInt8](feed.data(using: .windowsCP1251)!), name: "feed.jsonl")
        XCTAssertEqual(whole.count, 3)
        XCTAssertEqual(whole, alone)
        XCTAssertEqual(whole.map(\.first), ["боевики@1:36", "боевики@2:36", "боевики@3:36"])
    }
}
