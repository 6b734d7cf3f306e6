import Foundation
import WinnowTestSupport
import XCTest

/// Whatever cannot be classified ends in failed/ with its original bytes and NAME.reason.json,
/// and the daemon goes on with the next document.
final class BadInputTests: XCTestCase {
    static let raid = "Extremists opened fire on a police checkpoint, killing two officers.\n"

    private func assertReason(_ d: Deployment, _ name: String, _ reason: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let r = d.reason(name) else {
            return XCTFail("no failed/\(name).reason.json; failed/ holds \(d.list(d.state + "/failed"))", file: file, line: line)
        }
        XCTAssertEqual(r["reason"] as? String, reason, "\(name)", file: file, line: line)
        XCTAssertEqual(r["name"] as? String, name, file: file, line: line)
        XCTAssertFalse((r["detail"] as? String ?? "").isEmpty, "a detail for \(name)", file: file, line: line)
        XCTAssertFalse((r["claim"] as? String ?? "").isEmpty, "the claim id of \(name)", file: file, line: line)
    }

    /// Binds a Unix socket at `path` (a socket file, as a daemon's control socket would leave).
    private func makeSocket(at path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw XCTSkip("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (i, b) in bytes.enumerated() { buffer[i] = b }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, String(cString: strerror(errno)))
    }

    func testBadInputs_eachEndsInFailedWithItsReasonAndOriginalBytes() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "max_bytes: 1KB")
        try d.start()
        let large = Data(repeating: UInt8(ascii: "a"), count: 1025)
        let binary = Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0xFF])
        // Bytes no charset detector recognises (unassigned in windows-1252), and no fallback.
        let undecodable = Data("caf ".utf8) + Data([0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A])
        try d.drop("large.txt", large)
        try d.drop("archive.zip", binary)
        try d.drop("latin1.txt", undecodable)
        try makeSocket(at: d.inbox + "/control.sock")
        try d.drop("empty.txt", Data())
        try d.drop("raid.txt", Self.raid)

        XCTAssertTrue(waitUntil { d.failed().count == 4 && d.processed().count == 2 }, d.logs)
        XCTAssertTrue(d.isRunning)
        assertReason(d, "large.txt", "too-large")
        assertReason(d, "archive.zip", "unsupported-format")
        assertReason(d, "latin1.txt", "undecodable")
        assertReason(d, "control.sock", "not-regular-file")
        for (name, data) in [("large.txt", large), ("archive.zip", binary), ("latin1.txt", undecodable)] {
            XCTAssertEqual(FileManager.default.contents(atPath: d.state + "/failed/" + name), data, "failed/\(name) keeps its bytes")
        }
        var st = stat()
        XCTAssertEqual(lstat(d.state + "/failed/control.sock", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFSOCK, "the socket itself is moved")
        XCTAssertEqual(d.alerts().count, 1, "only the raid alerts; an empty document is classified, not failed")
        XCTAssertEqual(d.list(d.inbox), [])
        XCTAssertEqual(d.list(d.state + "/work"), [])
        // status.json is rewritten about once a second.
        XCTAssertTrue(waitUntil {
            let status = (try? d.status().stdout) ?? ""
            return status.contains("failures     not-regular-file 1, too-large 1, undecodable 1, unsupported-format 1")
        }, (try? d.status().stdout) ?? "")
        XCTAssertEqual(d.stop().status, 0)
    }

    func testFIFO_isNeverOpenedForReadingAndDoesNotBlockTheDaemon() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        try d.start()
        // A writer blocks in open(O_WRONLY) until some process opens the FIFO for reading. It
        // opens it under a dot-name the daemon ignores; a hard link puts it in the inbox.
        let staged = d.inbox + "/.pipe"
        XCTAssertEqual(mkfifo(staged, 0o644), 0)
        let writer = BlockingOpen(path: staged)
        writer.start()
        // Wait until it sleeps in the kernel's FIFO open (a thread's wchan names it); where
        // wchan is hidden, give it a moment. Either way the link keeps it from failing falsely.
        if !waitUntil(timeout: .seconds(10), { BlockingOpen.someThreadWaitsInFIFOOpen() ?? true }) {
            XCTFail("the writer never blocked in open(2)")
        }
        usleep(BlockingOpen.someThreadWaitsInFIFOOpen() == nil ? 300_000 : 0)
        XCTAssertEqual(link(staged, d.inbox + "/pipe"), 0)
        try d.drop("raid.txt", Self.raid)

        XCTAssertTrue(waitUntil { d.processed().count == 1 && d.failed().count == 1 }, "the document after the FIFO is processed: \(d.logs)")
        assertReason(d, "pipe", "not-regular-file")
        usleep(300_000)
        XCTAssertNil(writer.result, "the daemon opened the FIFO for reading (the blocked writer was released)")
        // Release the writer ourselves: proves it was blocked on this very FIFO all along.
        let reader = open(d.state + "/failed/pipe", O_RDONLY | O_NONBLOCK)
        XCTAssertEqual(d.list(d.inbox), [".pipe"], "the dot-name stays, ignored")
        XCTAssertGreaterThanOrEqual(reader, 0)
        XCTAssertTrue(waitUntil(timeout: .seconds(5)) { writer.result != nil })
        XCTAssertGreaterThanOrEqual(writer.result ?? -1, 0, "the writer was blocked on the FIFO")
        if let fd = writer.result, fd >= 0 { close(fd) }
        close(reader)
        XCTAssertEqual(d.stop().status, 0)
    }

    func testSymlink_toFileOutsideInbox_isNeitherFollowedNorTouched() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        // The target would alert, with a marker, if the daemon read it.
        let target = try dir.write("outside/secret.txt", "Extremists opened fire on the SECRET-MARKER convoy.\n")
        let old = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: target)
        let before = try XCTUnwrap(FileManager.default.contents(atPath: target))
        try d.start()
        XCTAssertEqual(symlink(target, d.inbox + "/link.txt"), 0)
        try d.drop("raid.txt", Self.raid)

        XCTAssertTrue(waitUntil { d.processed().count == 1 && d.failed().count == 1 }, d.logs)
        assertReason(d, "link.txt", "symlink")
        var st = stat()
        XCTAssertEqual(lstat(d.state + "/failed/link.txt", &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the link itself is in failed/")
        XCTAssertEqual(String(decoding: d.alertBytes, as: UTF8.self).contains("SECRET-MARKER"), false, "the target was read")
        XCTAssertFalse(d.logs.contains("SECRET-MARKER"))
        XCTAssertEqual(d.alerts().count, 1)
        XCTAssertEqual(FileManager.default.contents(atPath: target), before, "the target is untouched")
        let attributes = try FileManager.default.attributesOfItem(atPath: target)
        XCTAssertEqual((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0, old.timeIntervalSince1970, accuracy: 1)
        XCTAssertEqual(d.stop().status, 0)
    }

    /// chmod 000 does not stop root, so as root the daemon runs without the capabilities that
    /// bypass file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), through setpriv: then
    /// uid 0 is held to the file's mode like any owner.
    func testUnreadable_whenPermissionDenied_endsInFailedWithReasonUnreadable() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir)
        if getuid() == 0 {
            guard let setpriv = findExecutable(["/usr/bin/setpriv", "/bin/setpriv"]) else {
                throw XCTSkip("running as root, where chmod 000 does not stop reads, and setpriv (util-linux) is absent to drop CAP_DAC_OVERRIDE")
            }
            d.launcher = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps", "-dac_override,-dac_read_search", "--"]
        }
        try d.start()
        if getuid() == 0, let pid = d.process?.pid {
            // Check the drop took effect, or the test would prove nothing.
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let capEff = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }.map { $0.split(separator: "\t").last.map(String.init) ?? "" } ?? ""
            let caps = UInt64(capEff, radix: 16) ?? ~0
            XCTAssertEqual(caps & 0b110, 0, "CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH are dropped (CapEff \(capEff))")
        }
        let locked = try dir.write("inbox/.locked", Self.raid)
        XCTAssertEqual(chmod(locked, 0), 0)
        XCTAssertEqual(rename(locked, d.inbox + "/locked.txt"), 0)
        try d.drop("raid.txt", Self.raid + "again\n")

        XCTAssertTrue(waitUntil { d.failed().count == 1 && d.processed().count == 1 }, d.logs)
        assertReason(d, "locked.txt", "unreadable")
        XCTAssertTrue((d.reason("locked.txt")?["detail"] as? String ?? "").contains("Permission denied"), "\(d.reason("locked.txt") ?? [:])")
        XCTAssertEqual(d.alerts().count, 1)
        XCTAssertEqual(d.stop().status, 0)
    }

    /// A sender's subfolder the daemon may not write (so nothing can be moved out of it) once
    /// stopped the whole inbox: every poll failed at that file. It is now set aside, reported
    /// once and in `winnow status`, and every other document is taken.
    func testUnclaimable_whenSendersFolderIsReadOnly_isSetAsideAndTheRestIsTaken() throws {
        let dir = TempFolder()
        let d = try Deployment.topicPacks(dir, "recursive: true")
        if getuid() == 0 {
            guard let setpriv = findExecutable(["/usr/bin/setpriv", "/bin/setpriv"]) else {
                throw XCTSkip("running as root, where folder modes do not stop renames, and setpriv (util-linux) is absent")
            }
            d.launcher = [setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--inh-caps", "-dac_override,-dac_read_search,-fowner", "--"]
        }
        let sender = d.inbox + "/from-sender"
        try FileManager.default.createDirectory(atPath: sender, withIntermediateDirectories: true)
        try dir.write("inbox/from-sender/stuck.txt", Self.raid)
        XCTAssertEqual(chmod(sender, 0o555), 0)
        defer { chmod(sender, 0o755) }
        try d.start()
        for i in 0 ..< 3 { try d.drop("top-\(i).txt", Self.raid + "\(i)\n") }

        XCTAssertTrue(waitUntil { d.processed().count == 3 }, d.logs)
        XCTAssertTrue(waitUntil { d.logs.contains("cannot take 'from-sender/stuck.txt' from the inbox: Permission denied") }, d.logs)
        XCTAssertEqual(d.logs.components(separatedBy: "cannot take 'from-sender/stuck.txt'").count - 1, 1, "reported once")
        XCTAssertTrue(FileManager.default.fileExists(atPath: sender + "/stuck.txt"), "left where it is, not lost")
        XCTAssertTrue(waitUntil { ((try? d.status().stdout) ?? "").contains("unclaimable  1 file(s)") }, (try? d.status().stdout) ?? "")
        XCTAssertEqual(d.list(d.state + "/work"), [])
        XCTAssertEqual(d.stop().status, 0)
    }
}

/// A thread blocked in `open(path, O_WRONLY)`; `result` is the descriptor once open returns.
final class BlockingOpen: @unchecked Sendable {
    private let lock = NSLock()
    private var _result: Int32?
    let path: String

    init(path: String) { self.path = path }

    var result: Int32? { lock.withLock { _result } }

    /// Whether a thread of this process sleeps in the kernel's FIFO open; nil when the
    /// kernel does not show wait channels.
    static func someThreadWaitsInFIFOOpen() -> Bool? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let channels = tasks.map { (try? String(contentsOfFile: "/proc/self/task/\($0)/wchan", encoding: .utf8)) ?? "" }
        if channels.allSatisfy({ $0.isEmpty || $0 == "0" }) { return nil }
        return channels.contains { $0.contains("wait_for_partner") || $0.contains("fifo_open") }
    }

    func start() {
        let thread = Thread { [self] in
            let fd = open(path, O_WRONLY)
            lock.withLock { _result = fd }
        }
        thread.start()
    }
}
