import Foundation

/// The built `winnow` binary: `$WINNOW_BIN`, or the one beside the test bundle.
public func winnowBinary() -> String {
    if let env = ProcessInfo.processInfo.environment["WINNOW_BIN"] { return env }
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    // .build/<triple>/debug/winnowPackageTests.xctest → .build/<triple>/debug/winnow
    while url.path != "/" {
        url.deleteLastPathComponent()
        let candidate = url.appendingPathComponent("winnow").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return packageRoot() + "/.build/debug/winnow"
}

/// A finished run of the binary.
public struct RunResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs `winnow` with `arguments` to completion.
public func runWinnow(_ arguments: [String], cwd: String? = nil) throws -> RunResult {
    let p = WinnowProcess(arguments, cwd: cwd)
    try p.start()
    return p.wait()
}

/// A `winnow` process whose output is collected into files (so pipes never fill and block it).
public final class WinnowProcess {
    public let process = Process()
    private let outPath: String
    private let errPath: String

    public convenience init(_ arguments: [String], cwd: String? = nil, environment: [String: String] = [:]) {
        self.init(executable: winnowBinary(), arguments, cwd: cwd, environment: environment)
    }

    /// Another program (such as `setpriv … winnow run`) whose output is collected the same way.
    public init(executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String] = [:]) {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = ProcessInfo.processInfo.environment
        env["JOURNAL_STREAM"] = nil
        // Built gazetteers of the tests' temporary rules folders go to /tmp, not the user's home.
        if env["WINNOW_CACHE_DIR"] == nil { env["WINNOW_CACHE_DIR"] = NSTemporaryDirectory() + "winnow-test-cache" }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let id = UUID().uuidString
        outPath = NSTemporaryDirectory() + "winnow-out-\(id)"
        errPath = NSTemporaryDirectory() + "winnow-err-\(id)"
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }

    public func start() throws {
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    public func signal(_ sig: Int32) { kill(process.processIdentifier, sig) }

    /// Waits for exit (SIGKILL after `timeout`) and returns what it printed.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60)) -> RunResult {
        if !waitUntil(timeout: timeout, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
