import Foundation
@testable import WinnowInbox
import WinnowTestSupport
import XCTest

final class CrashGuardTests: XCTestCase {
    private func inHand(_ dir: TempFolder) -> [String] {
        (dir.read("in-hand") ?? "").split(separator: "\n").map(String.init)
    }

    func testInHand_listsEveryClaimBeingClassified() throws {
        let dir = TempFolder()
        let guard1 = try CrashGuard(state: dir.path, limit: 2)
        guard1.holding("a")
        guard1.holding("b")
        XCTAssertEqual(inHand(dir), ["a", "b"])
        guard1.released("a")
        XCTAssertEqual(inHand(dir), ["b"])
        guard1.released("b")
        XCTAssertEqual(inHand(dir), [])
    }

    /// Two workers had a document each in hand at a death: both are suspects, classified alone
    /// next time; the one in hand at the second death is poisoned, the other is cleared.
    func testTwoClaimsInHandAtADeath_areSuspects_andOnlyTheOneInHandAgainIsPoisoned() throws {
        let dir = TempFolder()
        try dir.write("in-hand", "a\nb\n")
        let first = try CrashGuard(state: dir.path, limit: 2)
        XCTAssertEqual(first.lastInHand.map(\.claim), ["a", "b"])
        XCTAssertEqual(first.lastInHand.map(\.deaths), [1, 1])
        XCTAssertTrue(first.isSuspect("a") && first.isSuspect("b"))
        XCTAssertFalse(first.isPoisoned("a") || first.isPoisoned("b"))
        XCTAssertEqual(inHand(dir), [], "a new run starts with nothing in hand")

        // The second run dies with `a` alone in hand.
        first.holding("a")
        let second = try CrashGuard(state: dir.path, limit: 2)
        XCTAssertTrue(second.isPoisoned("a"))
        XCTAssertFalse(second.isPoisoned("b") || second.isSuspect("b"), "not in hand at the second death")
        XCTAssertEqual(second.lastInHand.map(\.deaths), [2])
    }

    func testALimitOfZero_neverPoisons() throws {
        let dir = TempFolder()
        for _ in 0 ..< 5 {
            let g = try CrashGuard(state: dir.path, limit: 0)
            g.holding("a")
        }
        let last = try CrashGuard(state: dir.path, limit: 0)
        XCTAssertFalse(last.isPoisoned("a"))
        XCTAssertEqual(last.lastInHand.map(\.deaths), [5])
    }
}
