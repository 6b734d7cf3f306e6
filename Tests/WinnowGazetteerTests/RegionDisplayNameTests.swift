@testable import WinnowGazetteer
import XCTest

final class RegionDisplayNameTests: XCTestCase {
    func testDisplayName_prefersTheUsualSpellingTwoEditsAway() {
        XCTAssertEqual(Builder.displayName(asciiName: "Aqtobe Oblysy", alternates: ["Aktobe", "Aktyubinskaya Oblast'"]), "Aktobe")
    }

    func testDisplayName_whenTwoSpellingsAreAsClose_keepsTheGeoNamesName() {
        XCTAssertEqual(Builder.displayName(asciiName: "Catalunya", alternates: ["Catalonha", "Catalonia", "Cataluna"]), "Cataluna")
        XCTAssertEqual(Builder.displayName(asciiName: "Catalunya", alternates: ["Catalonha", "Catalonia"]), "Catalunya")
    }

    func testDisplayName_whenNamesAreHuge_skipsTheEditDistanceInsteadOfTakingSeconds() {
        // 150,000-letter names (a fuzzer's admin1 file) made check and every reload take 46 s.
        let a = String(repeating: "a", count: 150_000), b = String(repeating: "b", count: 150_000)
        XCTAssertEqual(Builder.displayName(asciiName: a, alternates: [b]), a)
        XCTAssertEqual(Builder.displayName(asciiName: "Atyrau", alternates: [b, "Atyrau"]), "Atyrau")
    }
}
