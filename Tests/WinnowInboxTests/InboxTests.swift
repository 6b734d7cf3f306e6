import Foundation
@testable import WinnowInbox
import WinnowFiles
import WinnowTestSupport
import XCTest

final class InboxTests: XCTestCase {
    private func makeInbox(_ dir: TempFolder, settle: Duration = .zero, keep: Bool = true, recursive: Bool = false) throws -> Inbox {
        var options = InboxOptions()
        options.settle = settle
        options.keepProcessed = keep
        options.recursive = recursive
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

    func testPoll_whenNameIsNotUTF8_renamesItWithEscapesAndTakesIt() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        // "Новости.txt" in windows-1251, and a temp file and a dot-file named the same way.
        let novosti: [UInt8] = [0xCD, 0xEE, 0xE2, 0xEE, 0xF1, 0xF2, 0xE8]
        for raw in [novosti + Array(".txt".utf8), novosti + Array(".tmp".utf8), Array(".".utf8) + novosti] {
            let path = (Array((dir.path + "/inbox/").utf8) + raw + [0]).map { CChar(bitPattern: $0) }
            let fd = open(path, O_CREAT | O_WRONLY, 0o644)
            XCTAssertGreaterThanOrEqual(fd, 0)
            close(fd)
        }
        let name = "%CD%EE%E2%EE%F1%F2%E8.txt"
        XCTAssertEqual(try inbox.poll(), [name])
        XCTAssertEqual(try XCTUnwrap(try inbox.claim(name)).name, name)
        XCTAssertEqual(dir.list("inbox").count, 2, "ignored names are left as they are")
    }

    func testPoll_whenEscapedNameIsTooLongForTheFilesystem_shortensItAndStillTakesTheRest() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        // 104 bytes on disk, 304 once each bad byte is written %XX: past NAME_MAX. Before, the
        // rename failed on every poll and no other document was taken again.
        let raw = [UInt8](repeating: 0xFF, count: 100) + Array(".txt".utf8)
        let path = (Array((dir.path + "/inbox/").utf8) + raw + [0]).map { CChar(bitPattern: $0) }
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        try dir.write("inbox/good.txt", "x")
        let ready = try inbox.poll()
        XCTAssertEqual(ready.count, 2, "\(ready)")
        let escaped = try XCTUnwrap(ready.first { $0 != "good.txt" })
        XCTAssertTrue(escaped.hasPrefix("%FF%FF") && escaped.hasSuffix(".txt"), escaped)
        XCTAssertLessThanOrEqual(escaped.utf8.count, 255)
        for name in ready { XCTAssertNotNil(try inbox.claim(name), name) }
    }

    func testClaim_whenAFileCannotBeMoved_setsItAsideReportsItOnceAndTakesTheRest() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else {
            throw XCTSkip("needs root to mount a tmpfs (a sender folder on another filesystem: rename gives EXDEV)")
        }
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        inbox.refusalRetry = .milliseconds(100)
        let mounted = dir.path + "/inbox/mounted"
        try FileManager.default.createDirectory(atPath: mounted, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mounted]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("mount -t tmpfs failed") }
        defer { _ = umount2(mounted, Int32(MNT_DETACH)) }
        try dir.write("inbox/mounted/stuck.txt", "x")
        try dir.write("inbox/good.txt", "x")

        for round in 0 ..< 3 {
            if round > 0 { usleep(150_000) }  // past refusalRetry: tried again
            for name in try inbox.poll() where name != "good.txt" || round == 0 {
                let claimed = try inbox.claim(name)
                XCTAssertEqual(claimed == nil, name == "mounted/stuck.txt", name)
            }
            XCTAssertEqual(inbox.takeRefusals().map(\.name), round == 0 ? ["mounted/stuck.txt"] : [], "reported once, not at every retry")
            XCTAssertEqual(inbox.refusedCount, 1)
        }
        XCTAssertEqual(unlink(mounted + "/stuck.txt"), 0)
        _ = try inbox.poll()
        XCTAssertEqual(inbox.refusedCount, 0, "forgotten once the file is gone")
    }

    func testClaim_whenASubfolderIsSwappedForASymlinkAfterThePoll_takesNothingFromOutsideTheInbox() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        try dir.write("inbox/sub/doc.txt", "inside")
        try dir.write("outside/doc.txt", "secret")
        XCTAssertEqual(try inbox.poll(), ["sub/doc.txt"])
        // Between the poll and the claim, the sender replaces its folder by a link elsewhere.
        try FileManager.default.removeItem(atPath: dir.path + "/inbox/sub")
        XCTAssertEqual(symlink(dir.path + "/outside", dir.path + "/inbox/sub"), 0)

        XCTAssertNil(try inbox.claim("sub/doc.txt"))
        XCTAssertEqual(dir.read("outside/doc.txt"), "secret", "the file outside the inbox stays where it is")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/state/work"), [])
        // The link itself is what the inbox holds now: taken as a link, never followed.
        XCTAssertEqual(try inbox.poll(), ["sub"])
    }

    func testClaim_whenTheFileWasReplacedAfterThePoll_waitsForItToSettleAgain() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/a.txt", "first")
        XCTAssertEqual(try inbox.poll(), ["a.txt"])
        try dir.write("elsewhere.txt", "second")
        XCTAssertEqual(rename(dir.path + "/elsewhere.txt", dir.path + "/inbox/a.txt"), 0)

        XCTAssertNil(try inbox.claim("a.txt"), "not the file the poll saw")
        XCTAssertEqual(dir.read("inbox/a.txt"), "second")
        XCTAssertEqual(try inbox.poll(), ["a.txt"])
        XCTAssertNotNil(try inbox.claim("a.txt"))
    }

    func testRead_whenTheDocumentIsAHardLink_failsWithReasonHardlinkAndLeavesTheOtherName() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("private.txt", "not for the inbox")
        XCTAssertEqual(link(dir.path + "/private.txt", dir.path + "/inbox/linked.txt"), 0)
        let claimed = try XCTUnwrap(try inbox.claim(try XCTUnwrap(try inbox.poll().first)))
        guard case .failure(let f) = inbox.read(claimed) else { return XCTFail("a hard link was read") }
        XCTAssertEqual(f.reason, .hardlink)
        try inbox.finish([(claimed, .failed(f))], time: "t")
        XCTAssertEqual(dir.read("private.txt"), "not for the inbox")
        XCTAssertEqual(dir.read("state/failed/linked.txt"), "not for the inbox")
    }

    func testFinish_whenAFileHoldsTheNameOfALaterSourceFolder_movesTheFolderDocumentToTheNextFreeFolderName() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        try dir.write("inbox/x", "a file named x")
        var first = [try XCTUnwrap(try inbox.claim("x"))]
        inbox.assignDestinations(&first)
        try inbox.finish(first.map { ($0, .processed) }, time: "t")

        try dir.write("inbox/x/a.txt", "a file in a folder named x")
        var second = [try XCTUnwrap(try inbox.claim("x/a.txt"))]
        inbox.assignDestinations(&second)
        try inbox.finish(second.map { ($0, .processed) }, time: "t")

        let day = "state/processed/" + utcDay()
        XCTAssertEqual(second.first?.destination, dir.path + "/" + day + "/x.1/a.txt")
        XCTAssertEqual(dir.read(day + "/x"), "a file named x")
        XCTAssertEqual(dir.read(day + "/x.1/a.txt"), "a file in a folder named x")
    }

    func testFinish_whenAPromisedPathRunsThroughAFile_movesTheDocumentToTheNextFreeFolderName() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        let day = "state/processed/" + utcDay()
        try dir.write(day + "/x", "a file named x")
        try dir.write("inbox/x/a.txt", "promised a path through the file, by an earlier run")
        var batch = [try XCTUnwrap(try inbox.claim("x/a.txt"))]
        let claim = batch[0].claimID
        inbox.assignDestinations(&batch, promised: [claim: dir.path + "/" + day + "/x/a.txt"])
        try inbox.finish(batch.map { ($0, .processed) }, time: "t")
        XCTAssertEqual(dir.read(day + "/x.1/a.txt"), "promised a path through the file, by an earlier run")
    }

    func testAssignDestinations_whenOneBatchHoldsAFileAndAFolderOfOneName_keepsThemApart() throws {
        for fileFirst in [false, true] {
            let dir = TempFolder()
            let inbox = try makeInbox(dir, recursive: true)
            try dir.write("inbox/z/c.txt", "in folder z")
            let inFolder = try XCTUnwrap(try inbox.claim("z/c.txt"))
            try FileManager.default.removeItem(atPath: dir.path + "/inbox/z")
            try dir.write("inbox/z", "a file named z")
            let file = try XCTUnwrap(try inbox.claim("z"))
            var batch = fileFirst ? [file, inFolder] : [inFolder, file]
            inbox.assignDestinations(&batch)
            try inbox.finish(batch.map { ($0, .processed) }, time: "t")
            let day = "state/processed/" + utcDay()
            let (folder, name) = fileFirst ? ("z.1", "z") : ("z", "z.1")
            XCTAssertEqual(dir.read(day + "/" + folder + "/c.txt"), "in folder z", "file first: \(fileFirst)")
            XCTAssertEqual(dir.read(day + "/" + name), "a file named z", "file first: \(fileFirst)")
        }
    }

    /// Fills the process's descriptor table (the soft limit lowered for the test), runs `body`,
    /// then frees it; `freeAfter` frees it that long into `body`, from another thread.
    private func withDescriptorsExhausted<T>(freeAfter: Duration?, _ body: () -> T) throws -> T {
        var saved = rlimit()
        XCTAssertEqual(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved), 0)
        var low = saved
        low.rlim_cur = min(saved.rlim_cur, 512)
        XCTAssertEqual(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &low), 0)
        defer { var back = saved; setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &back) }
        var held: [Int32] = []
        while case let fd = open("/dev/null", O_RDONLY), fd >= 0 { held.append(fd) }
        XCTAssertEqual(errno, EMFILE)
        let release: @Sendable () -> Void = { [held] in for fd in held { close(fd) } }
        if let freeAfter {
            let seconds = Double(freeAfter.components.seconds) + Double(freeAfter.components.attoseconds) / 1e18
            Thread.detachNewThread { Thread.sleep(forTimeInterval: seconds); release() }
            return body()
        }
        defer { release() }
        return body()
    }

    func testRead_whenDescriptorsRunOutForAMoment_retriesAndReadsTheDocument() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/a.txt", "words")
        let claimed = try XCTUnwrap(try inbox.claim("a.txt"))
        let result = try withDescriptorsExhausted(freeAfter: .milliseconds(150)) { inbox.read(claimed) }
        guard case .success(let bytes) = result else { return XCTFail("failed on a passing error: \(result)") }
        XCTAssertEqual(bytes, Array("words".utf8))
    }

    func testRead_whenDescriptorsStayExhausted_failsAsUnreadableAfterItsRetries() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        inbox.readRetries = [.milliseconds(10), .milliseconds(20)]
        try dir.write("inbox/a.txt", "words")
        let claimed = try XCTUnwrap(try inbox.claim("a.txt"))
        let result = try withDescriptorsExhausted(freeAfter: nil) { inbox.read(claimed) }
        guard case .failure(let f) = result else { return XCTFail("read with no descriptor to read it by") }
        XCTAssertEqual(f.reason, .unreadable)
        XCTAssertTrue(f.detail.contains("(tried 3 times)"), f.detail)
    }

    func testEncode_whenSlashOrPercentCarriesACombiningMark_escapesItAndDecodesBack() {
        // One Character each ("/\u{301}"): a Character-level replace left the slash in place.
        for name in ["sub/\u{301}x.txt", "a%\u{301}b", "plain.txt", "100%.txt"] {
            let encoded = Inbox.encode(name)
            XCTAssertFalse(encoded.unicodeScalars.contains("/"), encoded)
            XCTAssertEqual(Inbox.decode(encoded), name)
        }
    }

    func testPoll_whenFileStillGrowing_leavesItInInbox() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        try dir.write("inbox/growing.txt", "first part")
        XCTAssertEqual(try inbox.poll(), [], "a file written just now is not settled")
    }

    func testPoll_whenWrittenElsewhereAndRenamedIn_takesItAtTheNextPoll() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        try dir.write("inbox/.report.txt.part", "complete")
        usleep(20_000)  // past the kernel's timestamp granularity
        XCTAssertEqual(rename(dir.path + "/inbox/.report.txt.part", dir.path + "/inbox/report.txt"), 0)
        XCTAssertEqual(try inbox.poll(), [], "seen once: a chmod mid-write looks the same")
        XCTAssertEqual(try inbox.poll(), ["report.txt"], "unchanged since, and renamed after its last write: done")
    }

    func testPoll_whenAWriterChangesModeBeforeWriting_waitsForItToSettle() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        let fd = open(dir.path + "/inbox/upload.txt", O_WRONLY | O_CREAT, 0o600)
        usleep(20_000)
        XCTAssertEqual(fchmod(fd, 0o640), 0)  // ctime now later than mtime, nothing written yet
        XCTAssertEqual(try inbox.poll(), [])
        XCTAssertEqual(try inbox.poll(), [], "an empty file is never taken early")
        XCTAssertEqual(write(fd, "first part ", 11), 11)
        XCTAssertEqual(fchmod(fd, 0o644), 0)
        XCTAssertEqual(try inbox.poll(), [], "it changed since the last poll")
        XCTAssertEqual(write(fd, "second part", 11), 11)
        XCTAssertEqual(try inbox.poll(), [], "still being written")
        close(fd)
    }

    func testPoll_whenWrittenInPlaceInPieces_waitsForItToSettle() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, settle: .seconds(30))
        let fd = open(dir.path + "/inbox/upload.txt", O_WRONLY | O_CREAT, 0o644)
        XCTAssertEqual(write(fd, "first part ", 11), 11)
        usleep(20_000)
        XCTAssertEqual(write(fd, "second part", 11), 11)
        XCTAssertEqual(try inbox.poll(), [], "an SFTP-style upload written in place is not taken while it may grow")
        close(fd)
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

    func testClaim_whenNameTooLongForWorkAndFailed_shortensItKeepingTheExtension() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        // 244 bytes: a valid name in the inbox, too long with a claim id in front of it.
        let long = String(repeating: "Ж", count: 120) + ".txt"
        var batch: [(ClaimedDocument, Inbox.Ending)] = []
        for _ in 0..<2 {
            try dir.write("inbox/" + long, "x")
            batch.append((try XCTUnwrap(try inbox.claim(long)), .failed(DocumentFailure(.binary, "NUL"))))
        }
        let name = batch[0].0.name
        XCTAssertTrue(name.hasPrefix("ЖЖЖ") && name.hasSuffix(".txt"), name)
        XCTAssertLessThanOrEqual(name.utf8.count, 200)
        XCTAssertEqual(try inbox.leftovers().map(\.name), [name, name], "a restart finds the same name")
        try inbox.finish(batch, time: "t")
        let stem = (name as NSString).deletingPathExtension
        XCTAssertEqual(dir.list("state/failed"), [stem + ".1.txt", stem + ".1.txt.reason.json", name, name + ".reason.json"])
        XCTAssertEqual(dir.list("state/work"), [])
    }

    func testLeftovers_comeBackInClaimOrder() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        var claimed: [String] = []
        for i in 0..<40 {
            try dir.write("inbox/doc\(i).txt", "x")
            claimed.append(try XCTUnwrap(try inbox.claim("doc\(i).txt")).claimID)
        }
        XCTAssertEqual(try inbox.leftovers().map(\.claimID), claimed, "claim ids sort as text in claim order")
    }

    func testFinishProcessed_whenNameTaken_keepsBothFiles() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        for content in ["one", "two"] {
            try dir.write("inbox/a.txt", content)
            let c = try XCTUnwrap(try inbox.claim("a.txt"))
            try inbox.finish([(c, .processed)], time: "t")
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
        try inbox.finish([(try XCTUnwrap(try inbox.claim("a.txt")), .processed)], time: "t")
        XCTAssertEqual(dir.files(under: "state"), [])
    }

    func testPoll_whenRecursive_takesSubfoldersAndKeepsTheSource() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        try dir.write("inbox/wire/reuters/a.txt", "x")
        try dir.write("inbox/.hidden/b.txt", "x")
        XCTAssertEqual(try inbox.poll(), ["wire/reuters/a.txt"])
        let c = try XCTUnwrap(try inbox.claim("wire/reuters/a.txt"))
        XCTAssertEqual(c.source, "wire/reuters")
        XCTAssertEqual(c.name, "a.txt")
        XCTAssertEqual(try inbox.leftovers().map(\.source), ["wire/reuters"], "the source survives a restart")
        try inbox.finish([(c, .processed)], time: "t")
        XCTAssertTrue(dir.files(under: "state/processed").contains { $0.hasSuffix("wire/reuters/a.txt") })
    }

    /// A sample tree: four files the daemon takes when recursive, one when not, and names it never takes.
    private func writeInboxTree(_ dir: TempFolder) throws {
        for path in ["top.txt", "wire/a.txt", "wire/reuters/b.txt", "wire/reuters/b2.txt", "wire/reuters/c.part",
                     "wire/.d.txt", ".hidden/e.txt", "top.tmp", ".f.txt"] {
            try dir.write("inbox/" + path, "x")
        }
        try FileManager.default.createDirectory(atPath: dir.path + "/inbox/empty", withIntermediateDirectories: true)
    }

    func testDepth_whenNotRecursive_countsTopLevelFilesButNoFolders() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try writeInboxTree(dir)
        XCTAssertEqual(inbox.depth(), 1)
        XCTAssertEqual(inbox.depth(), try inbox.poll().count, "depth counts what poll takes")
    }

    func testDepth_whenRecursive_countsFilesInSubfoldersSkippingIgnoredNames() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        try writeInboxTree(dir)
        XCTAssertEqual(inbox.depth(), 4)
        XCTAssertEqual(inbox.depth(), try inbox.poll().count, "depth counts what poll takes")
    }

    /// The reason file is written (and fsynced) before the document moves; power loss cannot be
    /// simulated here, but what is on disk afterwards must be complete and leave no temp file.
    func testFinishFailed_leavesCompleteReasonFileAndNoTemporaryFile() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/blob.bin", "\u{0}\u{1}")
        let c = try XCTUnwrap(try inbox.claim("blob.bin"))
        try inbox.finish([(c, .failed(DocumentFailure(.binary, "NUL byte at offset 0")))], time: "2025-01-02T03:04:05Z")
        XCTAssertEqual(dir.list("state/failed"), ["blob.bin", "blob.bin.reason.json"], "no .tmp file left beside them")
        let text = try XCTUnwrap(dir.read("state/failed/blob.bin.reason.json"))
        XCTAssertTrue(text.hasSuffix("}\n"), text)
        let reason = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        XCTAssertEqual(reason, [
            "reason": "binary", "detail": "NUL byte at offset 0", "name": "blob.bin", "source": "",
            "claim": c.claimID, "explanation": FailureReason.binary.explanation, "time": "2025-01-02T03:04:05Z",
        ])
        XCTAssertEqual(dir.read("state/failed/blob.bin"), "\u{0}\u{1}", "original bytes intact")
    }

    func testFinish_whenSeveralFailWithOneName_keepsEachWithItsReason() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        var batch: [(ClaimedDocument, Inbox.Ending)] = []
        for _ in 0..<2 {
            try dir.write("inbox/a.bin", "x")
            batch.append((try XCTUnwrap(try inbox.claim("a.bin")), .failed(DocumentFailure(.binary, "NUL"))))
        }
        try inbox.finish(batch, time: "t")
        XCTAssertEqual(dir.list("state/failed"), ["a.1.bin", "a.1.bin.reason.json", "a.bin", "a.bin.reason.json"])
    }

    func testPoll_whenADocumentIsBeyondPATH_MAX_reportsItInsteadOfSkippingItSilently() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir, recursive: true)
        // 400 nested folders: the document's path is about 4,400 bytes, past PATH_MAX (4096).
        var fd = open(dir.path + "/inbox", O_RDONLY | O_DIRECTORY)
        for _ in 0 ..< 400 {
            XCTAssertEqual(mkdirat(fd, "dddddddddd", 0o755), 0)
            let next = openat(fd, "dddddddddd", O_RDONLY | O_DIRECTORY)
            close(fd)
            fd = next
        }
        let doc = openat(fd, "doc.txt", O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(doc, 0)
        close(doc)
        close(fd)
        defer { _ = try? Process.run(URL(fileURLWithPath: "/bin/rm"), arguments: ["-rf", dir.path + "/inbox/dddddddddd"]).waitUntilExit() }

        XCTAssertEqual(try inbox.poll(), [])
        let refusals = inbox.takeRefusals()
        XCTAssertEqual(refusals.count, 1, "one report: the first folder whose path is too long")
        XCTAssertEqual(refusals.first?.error.errno, ENAMETOOLONG)
        XCTAssertEqual(inbox.refusedCount, 1, "counted as unclaimable in winnow status")
        XCTAssertEqual(try inbox.poll(), [])
        XCTAssertTrue(inbox.takeRefusals().isEmpty, "reported once, not at every poll")
    }

    func testJournal_remembersShasAndPendingClaimsAcrossReopen() throws {
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        do {
            let j = try Journal(path: path, pendingClaims: [], window: .seconds(3600))
            try j.append([.init(claim: "c1", sha256: "aa", disposition: "alerted"),
                          .init(claim: "c2", sha256: "bb", disposition: "failed:binary", detail: "NUL\tat 3")])
            XCTAssertTrue(j.hasSeen(sha256: "aa"))
            XCTAssertFalse(j.hasSeen(sha256: "bb"), "failures are not duplicates")
        }
        // A torn last line (crash mid-append) is ignored and cut.
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("12345\tc3\tcc\tproc".utf8))
        try handle.close()
        let j = try Journal(path: path, pendingClaims: ["c2"], window: .seconds(3600))
        XCTAssertEqual(j.pending["c2"]?.disposition, "failed:binary")
        XCTAssertEqual(j.pending["c2"]?.detail, "NUL at 3")
        XCTAssertTrue(j.hasSeen(sha256: "aa"))
        XCTAssertFalse(j.hasSeen(sha256: "cc"))
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).hasSuffix("\n"))
    }

    func testJournal_whenDestinationHasTabsAndPercents_readsItBackExactly() throws {
        let dir = TempFolder()
        let path = dir.path + "/journal.tsv"
        // A line break or tab followed by a combining mark is one Character: still escaped.
        let destination = "2000-01-01/wire/a\tb%09c\nd%.txt\n\u{301}x\t\u{301}y"
        do {
            let j = try Journal(path: path, pendingClaims: [], window: .seconds(3600))
            try j.append([.init(claim: "c1", sha256: "aa", disposition: "alerted", destination: destination),
                          .init(claim: "c2", sha256: "", disposition: "failed:binary", detail: "NUL")])
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 2, "one line each")
        let j = try Journal(path: path, pendingClaims: ["c1", "c2"], window: .seconds(3600))
        XCTAssertEqual(j.pending["c1"]?.destination, destination)
        XCTAssertEqual(j.pending["c1"]?.detail, "")
        XCTAssertNil(j.pending["c2"]?.destination, "failures record no destination")
    }

    func testAssignDestinations_keepsPromisedPathsAndGivesNoOtherDocumentOneOfThem() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        var batch: [ClaimedDocument] = []
        for _ in 0..<2 {
            try dir.write("inbox/a.txt", "x")
            batch.append(try XCTUnwrap(try inbox.claim("a.txt")))
        }
        let todayFolder = (try XCTUnwrap(batch[1].destination) as NSString).deletingLastPathComponent
        let earlier = dir.path + "/state/processed/2000-01-01/a.txt"
        // The first was promised an earlier day's folder; another claim not in this batch, today's a.txt.
        inbox.assignDestinations(&batch, promised: [batch[0].claimID: earlier, "other": todayFolder + "/a.txt"])
        XCTAssertEqual(batch[0].destination, earlier)
        XCTAssertEqual(batch[1].destination, todayFolder + "/a.1.txt")
        try inbox.finish(batch.map { ($0, .processed) }, time: "t")
        XCTAssertEqual(dir.files(under: "state/processed"), ["2000-01-01/a.txt", (todayFolder as NSString).lastPathComponent + "/a.1.txt"])
    }

    func testJournal_whenEntryLeavesTheWindowWhileRunning_isNoLongerADuplicate() throws {
        let dir = TempFolder()
        let j = try Journal(path: dir.path + "/journal.tsv", pendingClaims: [], window: .seconds(3600))
        try j.append([.init(claim: "c1", sha256: "aa", disposition: "processed")])
        let now = Int(time(nil))
        XCTAssertTrue(j.hasSeen(sha256: "aa", now: now + 3000))
        XCTAssertFalse(j.hasSeen(sha256: "aa", now: now + 7200), "past duplicate_window the same bytes are new again")
    }

    func testRead_whenTooLarge_saysSo() throws {
        let dir = TempFolder()
        let inbox = try makeInbox(dir)
        try dir.write("inbox/big.txt", String(repeating: "x", count: 2000))
        let c = try XCTUnwrap(try inbox.claim("big.txt"))
        guard case .failure(let f) = inbox.read(c) else { return XCTFail("expected too-large") }
        XCTAssertEqual(f.reason, .tooLarge)
    }

    /// A read stops at the size fstat gave without asking again, but a /proc file, whose size
    /// says 0, is still read to its end.
    func testFilesRead_ofAFileThatReportsSizeZero_readsItToItsEnd() throws {
        let path = "/proc/self/mountinfo"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no \(path) here") }
        guard case .bytes(let bytes) = try Files.read(path, maxBytes: 1 << 20) else { return XCTFail("expected bytes") }
        XCTAssertGreaterThan(bytes.count, 0)
        XCTAssertEqual(bytes, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    func testFilesRead_ofARegularFile_givesExactlyItsBytes() throws {
        let dir = TempFolder()
        for size in [0, 1, 4095, 4096, 4097, 70_000] {
            let text = String((0 ..< size).map { _ in "abcdefgh\n".randomElement()! })
            try dir.write("f\(size).txt", text)
            guard case .bytes(let bytes) = try Files.read(dir.path + "/f\(size).txt", maxBytes: 1 << 20) else { return XCTFail("expected bytes") }
            XCTAssertEqual(bytes, Array(text.utf8), "size \(size)")
        }
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
        try inbox.finish([(c, .failed(f))], time: "t")
        XCTAssertEqual(dir.list("state/failed"), ["link.txt", "link.txt.reason.json"])
        XCTAssertEqual(dir.read("secret.txt"), "do not read")
    }
}
