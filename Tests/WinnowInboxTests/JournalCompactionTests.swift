import Foundation
@testable import WinnowInbox
import WinnowFiles
import WinnowTestSupport
import XCTest

final class JournalCompactionTests: XCTestCase {
    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testCompactIfDue_whenEnoughLinesLeftTheWindow_dropsThemAndAppendsToTheNewFile() throws {
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        let now = Int(time(nil))
        let j = try Journal(path: path, pendingClaims: [], window: .seconds(3600), compactionMinimum: 100)
        // 300 lines from ten hours ago, one of them a claim still in work/, and 50 fresh ones.
        try j.append((0 ..< 300).map { .init(claim: "old\($0)", sha256: "o\($0)", disposition: "processed") }, now: now - 36000)
        try j.append([.init(claim: "stuck", sha256: "s", disposition: "alerted", destination: "d/stuck.txt")], now: now - 36000)
        try j.append((0 ..< 50).map { .init(claim: "new\($0)", sha256: "n\($0)", disposition: "alerted") }, now: now)

        XCTAssertEqual(try j.compactIfDue(now: now, keeping: ["stuck"]), 300)
        let kept = try lines(path)
        XCTAssertEqual(kept.count, 51)
        XCTAssertTrue(kept[0].contains("\tstuck\t"), "a claim still in work/ keeps its line whatever its age")
        XCTAssertFalse(kept.contains { $0.contains("\told") })

        // The open descriptor pointed at the replaced file; appends must reach the new one.
        try j.append([.init(claim: "after", sha256: "a", disposition: "processed")], now: now)
        XCTAssertEqual(try lines(path).count, 52)
        XCTAssertNil(try j.compactIfDue(now: now, keeping: []), "nothing left to drop")

        let reopened = try Journal(path: path, pendingClaims: ["stuck"], window: .seconds(3600))
        XCTAssertEqual(reopened.pending["stuck"]?.destination, "d/stuck.txt")
        XCTAssertTrue(reopened.hasSeen(sha256: "n7"))
        XCTAssertTrue(reopened.hasSeen(sha256: "a"))
        XCTAssertFalse(reopened.hasSeen(sha256: "o7"))
    }

    func testMarks_giveLeftoverClaimsTheirEarliestOffsetAndOutliveTheWindowOnlyWhileAClaimWaits() throws {
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        let now = Int(time(nil))
        let j = try Journal(path: path, pendingClaims: [], window: .seconds(3600))
        try j.markAlerts(claims: ["a", "b"], at: 100, now: now - 36000)
        try j.markAlerts(claims: ["c"], at: 150, now: now - 36000)
        try j.append([.init(claim: "a", sha256: "x", disposition: "alerted")], now: now - 36000)
        try j.markAlerts(claims: ["b"], at: 900, now: now)  // b's batch retried after a failed move

        let reopened = try Journal(path: path, pendingClaims: ["b"], window: .seconds(3600))
        XCTAssertEqual(reopened.alertOffsets, ["b": 100], "the first batch that alerted b, not its retry")
        XCTAssertTrue(reopened.pending.isEmpty, "a mark is not an entry")
        XCTAssertFalse(reopened.hasSeen(sha256: "100"))
        let kept = try lines(path)
        XCTAssertEqual(kept.count, 2, "the old mark naming b stays; the one naming only c, and a's old line, go: \(kept)")
        XCTAssertTrue(kept[0].hasSuffix("\t100\ta b"))
    }

    func testCompactIfDue_whenFewLinesExpired_leavesTheFileAlone() throws {
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        let now = Int(time(nil))
        let j = try Journal(path: path, pendingClaims: [], window: .seconds(3600), compactionMinimum: 100)
        try j.append((0 ..< 99).map { .init(claim: "old\($0)", sha256: "o\($0)", disposition: "processed") }, now: now - 36000)
        XCTAssertNil(try j.compactIfDue(now: now, keeping: []), "below the minimum")
        try j.append([.init(claim: "old-last", sha256: "o", disposition: "processed")], now: now - 36000)
        try j.append((0 ..< 401).map { .init(claim: "new\($0)", sha256: "n\($0)", disposition: "processed") }, now: now)
        XCTAssertNil(try j.compactIfDue(now: now, keeping: []), "under a quarter of the file")
        XCTAssertEqual(try lines(path).count, 501)
        // Lines of the hour the cutoff falls in are not counted yet, so none is dropped early.
        XCTAssertNil(try j.compactIfDue(now: now - 36000 + 3600, keeping: []))
    }

    func testInit_whenJournalIsPastAGibibyteWithAGarbageLine_stillReadsEveryEntry() throws {
        // A journal used to be read whole, up to 1 GiB, and silently taken as empty beyond.
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        let now = Int(time(nil))
        let fd = open(path, O_WRONLY | O_CREAT, 0o640)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let first = Array("\(now)\tc1\taa\talerted\t\td/a.txt\n".utf8)
        XCTAssertEqual(write(fd, first, first.count), first.count)
        // A hole of zeros (no disk blocks), ended by a newline: one 1.1 GiB garbage line.
        let last = Array("\n\(now)\tc2\tbb\tprocessed\t\n".utf8)
        XCTAssertEqual(pwrite(fd, last, last.count, off_t(first.count + 1_100_000_000)), last.count)
        close(fd)

        let j = try Journal(path: path, pendingClaims: ["c1"], window: .seconds(3600))
        XCTAssertEqual(j.pending["c1"]?.destination, "d/a.txt")
        XCTAssertTrue(j.hasSeen(sha256: "aa"))
        XCTAssertTrue(j.hasSeen(sha256: "bb"))
    }

    func testForEachLine_whenALineIsPastTheLimit_skipsItWithoutBufferingIt() throws {
        let dir = TempFolder()
        try dir.write("f", "a\n" + String(repeating: "x", count: 100) + "\nb\n" + String(repeating: "y", count: 100))
        var seen: [String] = []
        let torn = try Files.forEachLine(dir.path + "/f", chunk: 8, maxLine: 16) { seen.append(String(decoding: $0, as: UTF8.self)) }
        XCTAssertEqual(seen, ["a", "b"])
        XCTAssertEqual(torn, 0, "a torn line past the limit is dropped too")
    }

    func testForEachLine_whenLinesOutgrowTheChunk_yieldsEachLineAndTheTornTail() throws {
        let dir = TempFolder()
        let text = "a\n\nlonger than seven bytes\nbb\n" + String(repeating: "x", count: 40) + "\ntorn"
        try dir.write("f", text)
        var seen: [String] = []
        let torn = try Files.forEachLine(dir.path + "/f", chunk: 7) { seen.append(String(decoding: $0, as: UTF8.self)) }
        XCTAssertEqual(seen, ["a", "", "longer than seven bytes", "bb", String(repeating: "x", count: 40)])
        XCTAssertEqual(torn, 4)
        XCTAssertEqual(try Files.forEachLine(dir.path + "/missing") { _ in XCTFail("no lines") }, 0)
    }

    func testForEachChunk_yieldsTheWholeFileInChunks_andNothingForAFolder() throws {
        let dir = TempFolder()
        let text = String(repeating: "0123456789", count: 5) + "tail"
        try dir.write("f", text)
        var bytes: [UInt8] = [], sizes: [Int] = []
        try Files.forEachChunk(dir.path + "/f", chunk: 16) { bytes += $0; sizes.append($0.count) }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), text)
        XCTAssertEqual(sizes, [16, 16, 16, 6])
        try Files.forEachChunk(dir.path) { _ in XCTFail("a folder has no bytes") }
    }
}
