import Foundation
import WinnowDiagnostics
import WinnowEngine
import WinnowRules
import WinnowTestSupport
import WinnowFormats
import WinnowText
import XCTest

final class PackLoaderTests: XCTestCase {
    private func load(_ files: [String: String]) throws -> (Ruleset?, Diagnostics, TempFolder) {
        let dir = TempFolder()
        for (name, text) in files { try dir.write("rules/" + name, text) }
        let (r, d) = RulesetLoader.load(folder: dir.path + "/rules")
        return (r, d, dir)
    }

    func testLists_whenReferencedAcrossPacks_resolve() throws {
        let (r, d, _) = try load([
            "a.yaml": "pack: a\nlists:\n  actors: [jihadist*]\n",
            "b.yaml": """
            pack: b
            rules:
              - id: b.one
                title: uses a's list
                level: low
                match:
                  actor: $a.actors
            """,
        ])
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        XCTAssertEqual(try XCTUnwrap(r).classify(Document(string: "Jihadists again")).rules.map(\.id), ["b.one"])
    }

    func testLists_whenInAFile_readOneTermPerLineAndReportLinePositions() throws {
        let dir = TempFolder()
        try dir.write("rules/terms/actors.txt", "# actors\njihadist*\n\n  *bad\n")
        try dir.write("rules/a.yaml", """
        pack: a
        lists:
          actors: {file: terms/actors.txt}
        rules:
          - id: a.one
            title: t
            level: low
            match:
              actor: $actors
        """)
        let (_, d) = RulesetLoader.load(folder: dir.path + "/rules")
        let e = try XCTUnwrap(d.errors.first)
        XCTAssertEqual(e.code, .badTerm)
        XCTAssertEqual(e.location?.path, dir.path + "/rules/terms/actors.txt")
        XCTAssertEqual(e.location?.line, 4)
        XCTAssertEqual(e.location?.column, 3)
    }

    /// Each diagnostic as `line:column message [code]`, in file order.
    private func lines(_ d: Diagnostics) -> [String] {
        d.sorted.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message) [\($0.code.id)]" }
    }

    func testLists_whenNoRuleUsesThem_areCheckedAsWhenUsed() throws {
        let lists = """
        pack: a
        lists:
          used: [gunmen]
          junk: ["...", "$x", "a*", ""]
          refers: [$used]
          itself: [$itself]
        rules:
          - id: a.one
            title: t
            level: low
            match:
              m: $used
        """
        let (unused, d, _) = try load(["a.yaml": lists])
        XCTAssertNil(unused)
        XCTAssertEqual(d.errors.count, 6, "\(lines(d))")
        XCTAssertEqual(Set(d.errors.map(\.code)), [.badTerm])
        // The same lists, each used by a rule, give the same diagnostics.
        let rules = ["junk", "refers", "itself"].map { "  - {id: a.\($0), title: t, level: low, match: {m: $\($0)}}\n" }.joined()
        let (used, e, _) = try load(["a.yaml": lists + "\n" + rules])
        XCTAssertNil(used)
        XCTAssertEqual(lines(e), lines(d))
    }

    func testLists_whenInAFileNoRuleUses_reportLinePositions() throws {
        let dir = TempFolder()
        try dir.write("rules/terms/actors.txt", "# actors\njihadist*\n\n  *bad\n")
        try dir.write("rules/a.yaml", "pack: a\nlists:\n  actors: {file: terms/actors.txt}\n")
        let (_, d) = RulesetLoader.load(folder: dir.path + "/rules")
        XCTAssertEqual(d.errors.map(\.code), [.badTerm])
        XCTAssertEqual(d.errors.first?.location, SourceLocation(path: dir.path + "/rules/terms/actors.txt", line: 4, column: 3))
    }

    func testLists_whenUsedByTwoRulesAndAnotherPack_reportEachBadTermOnce() throws {
        let (r, d, _) = try load([
            "a.yaml": """
            pack: a
            lists:
              actors: [jihadist*, "a*"]
            rules:
              - {id: a.one, title: t, level: low, match: {m: $actors}}
              - {id: a.two, title: t, level: low, match: {m: {words: [bomb*], except: $actors}}}
            """,
            "b.yaml": """
            pack: b
            rules:
              - {id: b.one, title: t, level: low, match: {m: {regex: {pattern: 'x', prefilter: [$a.actors]}}}}
            """,
        ])
        XCTAssertNil(r)
        XCTAssertEqual(lines(d), ["3:23 'a*' would match almost any word; give at least three letters before '*' [bad-term]"])
    }

    func testTerms_whenTheSameBadTermIsWrittenTwice_reportEachPlace() throws {
        let (_, d, _) = try load(["a.yaml": """
        pack: a
        rules:
          - {id: a.one, title: t, level: low, match: {m: ["a*"]}}
          - {id: a.two, title: t, level: low, match: {m: ["a*"]}}
        """])
        XCTAssertEqual(d.errors.compactMap(\.location?.line), [3, 4])
    }

    func testRuleset_whenExampleFails_isNotReturned() throws {
        let (r, d, _) = try load(["a.yaml": """
        pack: a
        rules:
          - id: a.one
            title: t
            level: low
            match:
              m: [bomb]
            examples:
              match: ["no such word"]
        """])
        XCTAssertNil(r)
        XCTAssertEqual(d.errors.map(\.code), [.exampleFailed])
    }

    func testRuleset_whenPackBroken_otherPacksStillReportTheirErrors() throws {
        let (_, d, _) = try load([
            "a.yaml": "pack: a\nrules: [\n",
            "b.yaml": "pack: b\nrules:\n  - id: b.one\n    title: t\n    level: hihg\n    match: {m: [x]}\n",
        ])
        XCTAssertEqual(Set(d.errors.map(\.code)), [.yamlSyntax, .invalidValue])
    }

    func testParkedRule_isCheckedButNotEvaluated() throws {
        let (r, d, _) = try load(["a.yaml": "pack: a\nrules:\n  - id: a.one\n    title: t\n    level: low\n    enabled: false\n    match: {m: [bomb]}\n"])
        XCTAssertFalse(d.hasErrors)
        XCTAssertEqual(r?.rules.count, 0)
        XCTAssertEqual(r?.parkedRules, ["a.one"])
    }

    func testPhraseWithInnerStar_inALongDocument_joinsEachRepeatWithItsOwnNextWord() throws {
        let (r, d, _) = try load(["a.yaml": """
        pack: a
        rules:
          - id: a.one
            title: t
            level: low
            match:
              ocg: ["организованн* преступн* групп*"]
        """])
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        let text = String(repeating: "члены организованной преступной группы и организованной, но не преступной группы. ", count: 5000)
        let fired = try XCTUnwrap(try XCTUnwrap(r).classify(Document(string: text)).rules.first)
        XCTAssertEqual(fired.hitCounts.map(\.count), [5000])
        XCTAssertEqual(fired.evidence.map(\.text), Array(repeating: "организованной преступной группы", count: 5))
    }

    func testWordsExcept_inALongDocument_dropsExactlyTheHitsInsideAnExceptHit() throws {
        let (r, d, _) = try load(["a.yaml": """
        pack: a
        rules:
          - id: a.one
            title: t
            level: low
            match:
              attack: {words: [attack*], except: ["heart attack*", "attack on the heart"]}
        """])
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        let text = String(repeating: "A heart attack, an attack, an attack on the heart, attacks. ", count: 5000)
        let fired = try XCTUnwrap(try XCTUnwrap(r).classify(Document(string: text)).rules.first)
        XCTAssertEqual(fired.hitCounts.map(\.count), [10_000])
        XCTAssertEqual(fired.evidence.prefix(2).map(\.text), ["attack", "attacks"])
    }

    func testLoad_whenPackListOrGazetteerFileIsAFIFO_reportsItInsteadOfWaitingForAWriter() throws {
        let dir = TempFolder()
        try dir.write("rules/a.yaml", """
        pack: a
        lists:
          actors: {file: actors.txt}
        gazetteer:
          places: cities.txt
        """)
        for name in ["rules/b.yaml", "rules/actors.txt", "rules/cities.txt"] {
            XCTAssertEqual(mkfifo(dir.path + "/" + name, 0o644), 0)
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/rules/c.yaml", withIntermediateDirectories: true)
        // Before, opening a FIFO blocked until a writer came: `check` and a reload hung forever.
        let (r, d) = RulesetLoader.load(folder: dir.path + "/rules")
        XCTAssertNil(r)
        let messages = d.errors.map { "\($0.location.map { "\($0.path.replacingOccurrences(of: dir.path + "/", with: "")):\($0.line):\($0.column)" } ?? "-") \($0.message.replacingOccurrences(of: dir.path + "/", with: ""))" }
        XCTAssertEqual(messages.sorted(), [
            "rules/a.yaml:3:18 cannot read 'rules/actors.txt': is a FIFO (named pipe), not a file",
            "rules/a.yaml:5:11 cannot read 'rules/cities.txt': is a FIFO (named pipe), not a file",
            "rules/b.yaml:1:1 cannot read 'rules/b.yaml': is a FIFO (named pipe), not a file",
            "rules/c.yaml:1:1 cannot read 'rules/c.yaml': is a folder, not a file",
        ])
    }

    func testLoad_whenRulesFolderIsAFileOrMissing_saysSo() throws {
        let dir = TempFolder()
        let file = try dir.write("rules.yaml", "pack: a\n")
        XCTAssertEqual(RulesetLoader.load(folder: file).1.errors.map(\.message),
                       ["cannot read rules folder '\(file)': it is a regular file, not a folder"])
        XCTAssertEqual(RulesetLoader.load(folder: dir.path + "/none").1.errors.map(\.message),
                       ["cannot read rules folder '\(dir.path)/none': no such folder"])
    }

    func testLoad_whenPackIsASymlinkToAPack_followsIt() throws {
        let dir = TempFolder()
        try dir.write("shared/a.yaml", "pack: a\nlists:\n  actors: [jihadist*]\n")
        try dir.write("rules/.keep", "")
        XCTAssertEqual(symlink(dir.path + "/shared/a.yaml", dir.path + "/rules/a.yaml"), 0)
        let (r, d) = RulesetLoader.load(folder: dir.path + "/rules")
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        XCTAssertNotNil(r)
    }

    func testHash_changesWhenAnyFileChanges() throws {
        let (a, _, _) = try load(["a.yaml": "pack: a\nrules:\n  - {id: a.one, title: t, level: low, match: {m: [bomb]}}\n"])
        let (b, _, _) = try load(["a.yaml": "pack: a\nrules:\n  - {id: a.one, title: t, level: low, match: {m: [bombs]}}\n"])
        XCTAssertNotEqual(a?.hash, b?.hash)
        XCTAssertEqual(a?.hash.count, 16)
    }
}
