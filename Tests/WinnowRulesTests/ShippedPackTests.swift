import Foundation
import WinnowEngine
import WinnowRules
import WinnowTestSupport
import WinnowFormats
import WinnowText
import XCTest

final class ShippedPackTests: XCTestCase {
    func testShippedRules_compileWithoutWarningsAndPassTheirExamples() throws {
        let (ruleset, diagnostics) = RulesetLoader.load(folder: packageRoot() + "/rules")
        XCTAssertTrue(diagnostics.isEmpty, diagnostics.items.map(\.description).joined(separator: "\n"))
        let r = try XCTUnwrap(ruleset)
        let results = r.runExamples()
        XCTAssertTrue(results.allSatisfy(\.passed))
        XCTAssertGreaterThanOrEqual(results.count, 20)
    }

    /// Pack examples run again with Cyrillic and emoji prepended and inside a longer paragraph:
    /// the outcome must not change (offsets and word boundaries hold up).
    func testShippedExamples_underEveryMutation() throws {
        let (ruleset, _) = RulesetLoader.load(folder: packageRoot() + "/rules")
        let r = try XCTUnwrap(ruleset)
        for rule in r.rules {
            for example in rule.examples {
                for (mutation, mutate) in KindExampleTests.mutations {
                    let c = r.classify(Document(name: example.name, string: mutate(example.text)))
                    let fired = c.rules.contains { $0.id == rule.id }
                    XCTAssertEqual(fired, example.shouldMatch, "\(rule.id) on \(example.text.debugDescription) (\(mutation))")
                    if let hit = c.rules.first(where: { $0.id == rule.id }) {
                        let text = Array(mutate(example.text).utf8)
                        for e in hit.evidence where e.end > e.start {
                            XCTAssertEqual(String(decoding: text[e.start..<e.end], as: UTF8.self), e.text)
                        }
                    }
                }
            }
        }
    }

    func testIssue3_sampleArticleIsTaggedExtremismAndCriminality() throws {
        guard let shared = sharedFolder() else { throw XCTSkip("../shared is absent") }
        let (ruleset, _) = RulesetLoader.load(folder: packageRoot() + "/rules")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shared + "/samples/aktobe-unrest.txt")))
        let c = try XCTUnwrap(ruleset).classify(bytes: bytes, name: "aktobe-unrest.txt").classifications[0]
        XCTAssertTrue(c.tags.contains("extremism"), "\(c.tags)")
        XCTAssertTrue(c.tags.contains("criminality"), "\(c.tags)")
        XCTAssertEqual(c.level, .high)
    }

    /// Issue 5's done-criterion: the sample names exactly these places, and nothing spurious.
    func testIssue5_samplePlacesResolveWithTheShippedGazetteer() throws {
        guard let shared = sharedFolder() else { throw XCTSkip("../shared is absent") }
        let (ruleset, _) = RulesetLoader.load(folder: packageRoot() + "/rules")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shared + "/samples/aktobe-unrest.txt")))
        let c = try XCTUnwrap(ruleset).classify(bytes: bytes, name: "aktobe-unrest.txt").classifications[0]
        let found = Set(c.places.map(\.geonameid))
        let required: [UInt32: String] = [
            1522867: "Kazakhstan", 610611: "Aktobe", 610612: "Aktau (Caspian)", 610529: "Atyrau",
            1526273: "Astana", 1526384: "Almaty", 608270: "Shubarshi", 99237: "Iraq", 163843: "Syria",
        ]
        for (id, name) in required { XCTAssertTrue(found.contains(id), "\(name) (\(id)) missing: \(c.places.map(\.name))") }
        // Also right, and nothing else: Temir (of Temir District) and the Aktobe Region itself.
        let allowed = Set(required.keys).union([608036, 610688])
        XCTAssertEqual(found.subtracting(allowed), [], "spurious: \(c.places.filter { !allowed.contains($0.geonameid) }.map(\.name))")
        XCTAssertTrue(c.tags.contains("place:KZ/Mangystau/Aktau"), "\(c.tags)")
    }

    /// The shipped gazetteer's regions hide the countries in their names, its demonyms (English,
    /// and Russian in lowercase) name countries, and so do regions that are no admin1 region.
    func testShippedGazetteer_regionsHideCountries_demonymsAndNewsRegionsNameThem() throws {
        let (ruleset, _) = RulesetLoader.load(folder: packageRoot() + "/rules")
        let rules = try XCTUnwrap(ruleset)
        func countries(_ text: String) throws -> Set<String> {
            let c = try rules.classify(bytes: Array(text.utf8), name: "t.txt").classifications[0]
            return Set(c.places.compactMap(\.country))
        }
        XCTAssertEqual(try countries("Cocaine seizures rose across Latin America and the Indian Ocean, officials said."), [])
        XCTAssertEqual(try countries("Canadian police arrested two men, officials said."), ["CA"])
        XCTAssertEqual(try countries("Приговор вынес канадский суд, сообщили в прокуратуре."), ["CA"])
        XCTAssertEqual(try countries("Shelling in Donbas and Nagorno-Karabakh went on, officials said."), ["UA", "AZ"])
        XCTAssertEqual(try countries("Militants were active across the Sahel, officials said."), [])
    }
}
