import Foundation
import WinnowDiagnostics
import WinnowEngine
import WinnowFormats
import WinnowRules
import WinnowTestSupport
import XCTest

/// Topics (docs/rules.md §Topics): a tag needs evidence that the document is about it.
final class TopicTests: XCTestCase {
    static let pack = """
    pack: crime
    topics:
      crime: {required: 2, sub-tags: 3, against: [genre/fiction]}
    rules:
      - id: crime.corruption
        title: Corruption
        level: medium
        tags: [crime, crime/corruption]
        match:
          word: [corruption, bribe*]
      - id: crime.murder
        title: Murder
        level: high
        tags: [crime, crime/murder]
        match:
          word: [murder*]
      - id: genre.fiction
        title: Fiction
        level: info
        tags: [genre/fiction]
        match:
          work: [film, films, movie, thriller, starring]
        condition: "#work >= 3"
    """

    private func ruleset(_ text: String = pack) throws -> (Ruleset?, Diagnostics) {
        let dir = TempFolder()
        try dir.write("rules/crime.yaml", text)
        return RulesetLoader.load(folder: dir.path + "/rules")
    }

    private func classify(_ text: String) throws -> Classification {
        let (r, d) = try ruleset()
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        return try XCTUnwrap(r).classify(Document(string: text))
    }

    private static let filler = String(repeating: "The minister opened a new bridge over the river today. ", count: 20)

    func testOneBackgroundWordInALongStory_firesTheRuleButGivesNoTag() throws {
        let c = try classify("Bridge opens\n" + Self.filler + "Years ago the region was known for corruption.")
        XCTAssertEqual(c.rules.map(\.id), ["crime.corruption"])
        XCTAssertEqual(c.rules.first?.counted, false)
        XCTAssertEqual(c.tags, [])
        XCTAssertNil(c.level)
        XCTAssertEqual(c.topics.map(\.score), [1])
    }

    func testTheSameWordInTheLead_givesTheTag() throws {
        let c = try classify("Bridge opens\nThe mayor was charged with corruption on Monday. " + Self.filler)
        XCTAssertEqual(c.tags, ["crime", "crime/corruption"])
        XCTAssertEqual(c.level, .medium)
    }

    func testTwoMentionsInTheBody_reachTheRequiredScore() throws {
        let c = try classify("Bridge opens\n" + Self.filler + "A bribe was paid. Another bribe followed.")
        XCTAssertEqual(c.topics.first?.score, 2)
        XCTAssertTrue(c.tags.contains("crime"))
    }

    func testAWordInTheHeadline_settledByTheBody_isEnough() throws {
        let c = try classify("Corruption inquiry opens\n" + Self.filler + "Auditors looked for corruption in the accounts.")
        // 1 for each hit (the headline's too), and 3 for the headline.
        XCTAssertEqual(c.topics.first?.score, 5)
        XCTAssertTrue(c.tags.contains("crime"))
        XCTAssertEqual(c.rules.first?.inHeadline, true)
    }

    func testWeakRule_namesNoSubTopicBesideAStrongerOne() throws {
        let c = try classify("Murder in the capital\nPolice are investigating the murder. " + Self.filler + "Officials denied corruption.")
        XCTAssertEqual(c.tags, ["crime", "crime/murder"])
        XCTAssertEqual(c.rules.first { $0.id == "crime.corruption" }?.counted, true)
    }

    func testReviewEvidence_countsAgainstTheTopic() throws {
        let c = try classify("Review: a new thriller\nThe film, starring two veterans, is a murder thriller. The movie is long.")
        XCTAssertFalse(c.tags.contains("crime"), "\(c.tags)")
        XCTAssertTrue(c.tags.contains("genre/fiction"))
        XCTAssertLessThan(c.topics.first?.score ?? 0, 2)
    }

    func testRulesCarryingOnlySubTags_stillGiveTheTopic() throws {
        let (r, d) = try ruleset("""
        pack: crime
        topics:
          crime: 2
        rules:
          - id: crime.drugs
            title: Drugs
            level: medium
            tags: [crime/drugs]
            match:
              word: [heroin]
        """)
        XCTAssertFalse(d.hasErrors, "\(d.items)")
        XCTAssertEqual(try XCTUnwrap(r).classify(Document(string: "Police seized heroin at the border.")).tags, ["crime", "crime/drugs"])
    }

    func testDeclarations_areChecked() throws {
        let (_, d) = try ruleset("""
        pack: crime
        topics:
          crime: {requird: 2}
          crime/fraud: 2
          murder: {required: 0}
          theft: {required: 2, against: [theft/cars]}
        rules:
          - id: crime.one
            title: One
            level: low
            tags: [crime, murder, theft]
            match:
              word: [murder]
        """)
        let messages = d.errors.map(\.message)
        XCTAssertTrue(messages.contains { $0.contains("unknown key 'requird' in topic 'crime' (did you mean 'required'?)") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("topic 'crime/fraud' should be a tag without '/'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("'required' is a weight from 1 to 3000") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("cannot count against itself") }, "\(messages)")
    }

    func testTopicNoRuleCarries_isAWarning() throws {
        let (r, d) = try ruleset("""
        pack: crime
        topics:
          crmie: 2
        rules:
          - id: crime.one
            title: One
            level: low
            tags: [crime]
            match:
              word: [murder]
        """)
        XCTAssertNotNil(r)
        XCTAssertTrue(d.items.contains { $0.severity == .warning && $0.message.contains("no rule carries topic 'crmie'") }, "\(d.items)")
    }
}
