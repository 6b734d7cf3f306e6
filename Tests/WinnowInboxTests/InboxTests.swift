import Foundation
import WinnowInbox
import WinnowTestSupport
import XCTest

final class InboxTests: XCTestCase {
    private func makeInbox(_ dir: TempFolder, settle: Duration = .zero, keep: Bool = true) throws -> Inbox {
        var options = InboxOptions()
        options.settle = settle
        options.keepProcessed = keep
        options.maxBytes = 1000
        let inbox = Inbox(layout: InboxLayout(inbox: dir.path + "/inbox", state: dir.path + "/state"), options: options)
        try inbox.prepare()
        return inbox
    }

    func testPoll_ignoresDotFilesPartialDownloadsAndFolders() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        for name in ["a.txt", ".hidden", "b.tmp", "c.part", "d.crdownload", "e.txt~", "f.html"] {
            try dir.write("inbox/" + name, "x")
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/inbox/sub", withIntermediateDirectories: true)
        XCTAssertEqual(Set(try inbox.poll()), ["a.txt", "f.html"])
    }

    func testPoll_whenFileStillGrowing_leavesItInInbox() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        try dir.write("inbox/growing.txt", "first part")
        XCTAssertEqual(try inbox.poll(), [], "a file written just now is not settled")
    }

    func testPoll_whenMtimeIsOld_takesItAtOnce() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        let path = try dir.write("inbox/renamed-into-place.txt", "done")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: path)
        XCTAssertEqual(try inbox.poll(), ["renamed-into-place.txt"])
    }

    func testClaim_movesToWorkAndSecondClaimFindsNothing() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/a.txt", "x")
        let claimed = try XCTUnwrap(try inbox.claim("a.txt"))
        XCTAssertEqual(claimed.name, "a.txt")
        XCTAssertEqual(dir.list("inbox"), [])
        XCTAssertNil(try inbox.claim("a.txt"), "another instance already took it")
        XCTAssertEqual(try inbox.leftovers().map(\.name), ["a.txt"])
    }

    func testFinishProcessed_whenNameTaken_keepsBothFiles() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        for content in ["one", "two"] {
            try dir.write("inbox/a.txt", content)
            let c = try XCTUnwrap(try inbox.claim("a.txt"))
            try inbox.finishProcessed(c)
        }
        let files = dir.files(under: "state/processed")
        XCTAssertEqual(files.count, 2)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent }.sorted(), ["a.1.txt", "a.txt"])
        XCTAssertEqual(dir.list("state/work"), [])
    }

    func testFinishProcessed_whenNotKeeping_deletes() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, keep: false)
        try dir.write("inbox/a.txt", "x")
        try inbox.finishProcessed(try XCTUnwrap(try inbox.claim("a.txt")))
        XCTAssertEqual(dir.files(under: "state"), [])
    }

    func testRead_whenTooLarge_saysSo() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/big.txt", String(repeating: "x", count: 2000))
        let c = try XCTUnwrap(try inbox.claim("big.txt"))
        guard case .failure(let f) = inbox.read(c) else { return XCTFail("expected too-large") }
        XCTAssertEqual(f.reason, .tooLarge)
    }

    func testRead_whenFIFO_neverBlocksAndSaysNotRegular() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        XCTAssertEqual(mkfifo(dir.path + "/inbox/pipe", 0o644), 0)
        XCTAssertEqual(try inbox.poll(), ["pipe"])
        let c = try XCTUnwrap(try inbox.claim("pipe"))
        guard case .failure(let f) = inbox.read(c) else { return XCTFail("expected failure") }
        XCTAssertEqual(f.reason, .notRegularFile)
    }

    func testRead_whenSymlinkToOutsideFile_neverFollowsIt() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("secret.txt", "do not read")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/inbox/link.txt", withDestinationPath: dir.path + "/secret.txt")
        let c = try XCTUnwrap(try inbox.claim("link.txt"))
        guard case .failure(let f) = inbox.read(c) else { return XCTFail("expected failure") }
        XCTAssertEqual(f.reason, .symlink)
        try inbox.finishFailed(c, reason: f.reason, detail: f.detail, time: "t")
        XCTAssertEqual(dir.list("state/failed"), ["link.txt", "link.txt.reason.json"])
        XCTAssertEqual(dir.read("secret.txt"), "do not read")
    }
}
