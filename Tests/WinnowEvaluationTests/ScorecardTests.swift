@testable import WinnowEvaluation
import XCTest

final class ScorecardTests: XCTestCase {
    private let labels = """
        file\tformat\tencoding\tlang\ttopics\tplaces\texpected_title
        a.txt\ttxt\tutf-8\ten\t+extremism\tKZ\tGunmen attack post
        b.txt\ttxt\tutf-8\tru\t-extremism,-criminality\tRU,UA\t
        c.html\thtml\tutf-8\ten\t+criminality,-extremism\tUS\tRaid in “Boston”
        feed.jsonl#2\tjsonl\tutf-8\ten\t+criminality\t\tRecord two

        """

    func testLabels_parseTopicsCountriesAndTitles() throws {
        let set = try LabelSet(tsv: labels, path: "labels.tsv")
        XCTAssertEqual(set.rows.map(\.key), ["a.txt", "b.txt", "c.html", "feed.jsonl#2"])
        XCTAssertEqual(set.rows[1].topics.map(\.topic), ["extremism", "criminality"])
        XCTAssertEqual(set.rows[1].topics.map(\.about), [false, false])
        XCTAssertEqual(set.rows[1].countries, ["RU", "UA"])
        XCTAssertNil(set.rows[1].title)
        XCTAssertEqual(set.rows[3].countries, [])
    }

    func testLabels_whenATopicHasNoSign_sayWhichLine() {
        XCTAssertThrowsError(try LabelSet(tsv: "file\ttopics\tplaces\nx.txt\textremism\tKZ\n", path: "l.tsv")) { error in
            XCTAssertEqual((error as? LabelSet.ParseError)?.description, "l.tsv:2: topic 'extremism' needs a + (about it) or - (not about it)")
        }
        XCTAssertThrowsError(try LabelSet(tsv: "name\ttopics\n", path: "l.tsv"))
    }

    /// As the corpus README scores: a tag or a `topic/…` tag counts; countries are micro-averaged;
    /// an unreadable document predicts nothing; titles compare without case and typography.
    func testScoring_followsTheCorpusRules() throws {
        let set = try LabelSet(tsv: labels, path: "labels.tsv")
        let predictions = [
            Prediction(key: "a.txt", tags: ["extremism/violence", "place:KZ"], countries: ["KZ": "Aktobe", "IQ": "Iraq"],
                       title: "gunmen  attack post"),
            Prediction(key: "b.txt", tags: ["criminality"], countries: ["RU": "Moscow"], title: "",
                       rules: [("criminality.fraud", ["criminality"], ["fraud"])]),
            Prediction(key: "c.html", failure: "malformed: broken"),
            Prediction(key: "feed.jsonl#2", tags: ["criminality"], title: "Record two"),
        ]
        let card = Scorecard(labels: set, predictions: predictions)
        XCTAssertEqual(card.topics["extremism"]?.truePositives, 1)
        XCTAssertEqual(card.topics["extremism"]?.trueNegatives, 2, "b and c (unreadable) are not tagged extremism")
        XCTAssertEqual(card.topics["criminality"]?.falsePositives, 1)
        XCTAssertEqual(card.topics["criminality"]?.falseNegatives, 1, "c could not be read")
        XCTAssertEqual(card.topics["criminality"]?.truePositives, 1)
        XCTAssertEqual(card.countries.truePositives, 2)
        XCTAssertEqual(card.countries.falsePositives, 1)
        XCTAssertEqual(card.countries.falseNegatives, 2)
        XCTAssertEqual(card.titlesMatched, 2)
        XCTAssertEqual(card.titlesLabelled, 3)
        XCTAssertEqual(card.unreadable.map(\.key), ["c.html"])
        let alarm = try XCTUnwrap(card.misses.first { $0.key == "b.txt" && $0.subject == "criminality" })
        XCTAssertEqual(alarm.kind, .falseAlarm)
        XCTAssertEqual(alarm.cause, "criminality.fraud («fraud»)")
        XCTAssertTrue(card.misses.contains { $0.key == "a.txt" && $0.subject == "country IQ" && $0.cause == "from «Iraq»" })
        XCTAssertEqual(card.topicsByLanguage["ru"]?.falsePositives, 1)
        XCTAssertTrue(Scorecard.sameTitle("Raid in “Boston”", "raid in \"boston\""))
        let text = ScorecardReport.text(card, ruleset: "r")
        XCTAssertTrue(text.contains("titles: 2 of 3 match (67%)"), text)
    }
}
