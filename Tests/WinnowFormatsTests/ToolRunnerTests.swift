import Foundation
import XCTest
@testable import WinnowFormats

final class ToolRunnerTests: XCTestCase {
    func options(timeout: Duration = .seconds(10), memory: Int = 1 << 30, output: Int = 64 << 20) -> ToolOptions {
        var o = ToolOptions()
        o.timeout = timeout
        o.memoryBytes = memory
        o.maxOutputBytes = output
        return o
    }

    func testRun_feedsStdinWhileReadingStdout_withoutDeadlockOnLargeInput() {
        let input = (0 ..< (8 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let result = ToolRunner.run(["cat"], input: input, options: options())
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(result.stdout.count, input.count)
        XCTAssertTrue(result.stdout == input)
    }

    func testRun_whenToolIgnoresStdin_doesNotDieOfSIGPIPE() {
        let result = ToolRunner.run(["true"], input: [UInt8](repeating: 65, count: 4 << 20), options: options())
        XCTAssertEqual(result.termination, .exited(0))
    }

    func testRun_reportsExitStatusAndStderr() throws {
        let tools = FakeTools()
        let tool = try tools.script("fails", "echo 'Syntax Error: broken xref' >&2; exit 1")
        let result = ToolRunner.run([tool], input: [], options: options())
        XCTAssertEqual(result.termination, .exited(1))
        XCTAssertEqual(result.lastErrorLine, "Syntax Error: broken xref")
    }

    func testRun_atTimeout_killsTheWholeProcessGroup() throws {
        let tools = FakeTools()
        let tool = try tools.script("sleeper", "sleep 60 & echo $! >&2; sleep 60")
        let result = ToolRunner.run([tool], input: [], options: options(timeout: .milliseconds(500)))
        XCTAssertEqual(result.termination, .timedOut)
        XCTAssertLessThan(result.elapsed, .seconds(10))
        let background = try XCTUnwrap(Int32(String(decoding: result.stderr, as: UTF8.self).filter(\.isNumber)))
        XCTAssertTrue(waitUntilGone(background), "the tool's background child outlived the timeout")
    }

    func testRun_whenToolExitsLeavingAChildHoldingItsPipes_killsTheChildAndReturns() throws {
        let tools = FakeTools()
        let tool = try tools.script("leaver", "sleep 60 & echo $! >&2; echo done")
        let result = ToolRunner.run([tool], input: [], options: options(timeout: .seconds(30)))
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "done\n")
        XCTAssertLessThan(result.elapsed, .seconds(10))
        let background = try XCTUnwrap(Int32(String(decoding: result.stderr, as: UTF8.self).filter(\.isNumber)))
        XCTAssertTrue(waitUntilGone(background))
    }

    func testRun_reapsTheChild_leavingNoZombie() throws {
        let tools = FakeTools()
        let tool = try tools.script("pid", "echo $$")
        let result = ToolRunner.run([tool], input: [], options: options())
        XCTAssertEqual(result.termination, .exited(0))
        let pid = try XCTUnwrap(Int32(String(decoding: result.stdout, as: UTF8.self).filter(\.isNumber)))
        // Reaped: not our child any more, and no /proc entry (a zombie keeps one).
        XCTAssertEqual(waitpid(pid, nil, WNOHANG), -1)
        XCTAssertEqual(errno, ECHILD)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/proc/\(pid)"))
    }

    func testRun_pastMaxOutputBytes_killsTheTool() {
        let result = ToolRunner.run(["sh", "-c", "exec cat /dev/zero"], input: [], options: options(output: 1 << 20))
        XCTAssertEqual(result.termination, .outputTooLarge)
        XCTAssertLessThanOrEqual(result.stdout.count, 1 << 20)
    }

    func testRun_keepsOnlyTheFirstBytesOfStderr() {
        let result = ToolRunner.run(["sh", "-c", "head -c 1000000 /dev/zero >&2"], input: [], options: options())
        XCTAssertEqual(result.termination, .exited(0))
        XCTAssertEqual(result.stderr.count, ToolRunner.maxErrorBytes)
    }

    func testRun_whenProgramAbsent_reportsNotFound() {
        XCTAssertEqual(ToolRunner.run(["/nonexistent/pdftotext"], input: [1], options: options()).termination, .notFound)
        XCTAssertEqual(ToolRunner.run(["winnow-no-such-tool"], input: [1], options: options()).termination, .notFound)
    }

    func testRun_whenProgramNotExecutable_reportsTheExecError() throws {
        let tools = FakeTools()
        let tool = try tools.script("plain", "exit 0", executable: false)
        XCTAssertEqual(ToolRunner.run([tool], input: [], options: options()).termination,
                       .couldNotStart(step: "execve", errno: EACCES))
    }

    func testRun_setsTheLimitsInTheChild() throws {
        let result = ToolRunner.run(["sh", "-c", "ulimit -v; ulimit -f; ulimit -c; ulimit -t"], input: [],
                                    options: options(timeout: .seconds(7), memory: 256 << 20))
        XCTAssertEqual(String(decoding: result.stdout, as: UTF8.self), "262144\n0\n0\n7\n")
    }

    func testRun_whenToolWritesAFile_theFileSizeLimitStopsIt() throws {
        let tools = FakeTools()
        let tool = try tools.script("writer", "echo data > \(tools.path)/out.txt")
        XCTAssertEqual(ToolRunner.run([tool], input: [], options: options()).termination, .signalled(SIGXFSZ))
    }

    func testRun_putsTheChildInItsOwnProcessGroup_withOnlyStandardDescriptors() throws {
        let result = ToolRunner.run(["sh", "-c", "ps -o pgid= -p $$; ps -o pid= -p $$; ls /proc/$$/fd"], input: [],
                                    options: options())
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map { String($0).trimmingWhitespace }
        XCTAssertGreaterThanOrEqual(lines.count, 3)
        XCTAssertEqual(lines[0], lines[1], "the child leads its own group")
        // 0, 1, 2, and the one ls opens to list the folder.
        XCTAssertLessThanOrEqual(lines.dropFirst(2).count, 4, "descriptors leaked: \(lines.dropFirst(2))")
    }

    func testRun_underATinyMemoryLimit_failsAndSaysSo() throws {
        try FormatFixtures.requirePDFToText()
        let result = ToolRunner.run(["pdftotext", "-v"], input: [], options: options(memory: 4 << 20))
        XCTAssertNotEqual(result.termination, .exited(0))
        XCTAssertTrue(ToolFailure.ranOutOfMemory(result), String(decoding: result.stderr, as: UTF8.self))
    }

    func testDescribe_namesTheLimitAndItsSetting() {
        var o = options(timeout: .milliseconds(1500), memory: 512 << 20, output: 8 << 20)
        o.pdftotext = "pdftotext"
        func detail(_ t: ToolResult.Termination, stderr: String = "") -> String {
            ToolFailure.describe(ToolResult(termination: t, stdout: [], stderr: Array(stderr.utf8), elapsed: .zero),
                                 tool: "pdftotext", options: o).detail
        }
        XCTAssertEqual(detail(.timedOut), "pdftotext ran past its time limit of 1500 ms (the 'tool_timeout' setting) and was stopped")
        XCTAssertEqual(detail(.outputTooLarge), "pdftotext wrote more than 8 MB of text (the output limit) and was stopped")
        XCTAssertTrue(detail(.signalled(SIGXCPU)).contains("CPU time limit"))
        XCTAssertEqual(detail(.signalled(SIGABRT), stderr: "terminate called after throwing an instance of 'std::bad_alloc'"),
                       "pdftotext ran out of memory under its limit of 512 MB (the 'tool_memory' setting)")
        XCTAssertEqual(detail(.signalled(SIGSEGV)), "pdftotext crashed (SIGSEGV, signal 11); the document may be damaged or hostile, or the tool short of memory under its limit of 512 MB (the 'tool_memory' setting)")
        XCTAssertEqual(detail(.couldNotStart(step: "setrlimit(RLIMIT_AS)", errno: EPERM)),
                       "could not start pdftotext: setrlimit(RLIMIT_AS) failed: Operation not permitted; the service's system call filter must allow setrlimit and prlimit64")
    }

    /// Whether `pid` ends (or is only a zombie of someone else's) within a few seconds.
    func waitUntilGone(_ pid: Int32) -> Bool {
        for _ in 0 ..< 100 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            if let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
            usleep(50_000)
        }
        return false
    }
}
