import Foundation
import WinnowEngine
import WinnowRules
import WinnowTestSupport
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

    func testIssue3_sampleArticleIsTaggedExtremismAndCriminality() throws {
        guard let shared = sharedFolder() else { throw XCTSkip("../shared is absent") }
        let (ruleset, _) = RulesetLoader.load(folder: packageRoot() + "/rules")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: shared + "/samples/aktobe-unrest.txt")))
        let c = try XCTUnwrap(ruleset).classify(bytes: bytes, name: "aktobe-unrest.txt").get()
        XCTAssertTrue(c.tags.contains("extremism"), "\(c.tags)")
        XCTAssertTrue(c.tags.contains("criminality"), "\(c.tags)")
        XCTAssertEqual(c.level, .high)
    }
}
