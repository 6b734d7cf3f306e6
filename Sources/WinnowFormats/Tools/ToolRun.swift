internal import CSpawn
#if canImport(Glibc)
import Glibc
#endif

/// One child of `ToolRunner`: its pipes, what it wrote, and why the runner stopped it.
struct ToolRun {
    let deadline: ContinuousClock.Instant
    let maxOutput: Int
    /// Called every poll (at most 100 ms apart) while the tool runs.
    var alive: (@Sendable () -> Void)?
    private(set) var stdout: [UInt8] = []
    private(set) var stderr: [UInt8] = []
    private var pid: pid_t = -1
    private var stdinFD: Int32 = -1
    private var stdoutFD: Int32 = -1
    private var stderrFD: Int32 = -1
    private var input: [UInt8] = []
    private var written = 0
    /// Set when the runner ended the run (timeout, output) or the child never ran the tool.
    private var stopped: ToolResult.Termination?
    private var buffer = [UInt8](repeating: 0, count: 64 << 10)

    init(deadline: ContinuousClock.Instant, maxOutput: Int) {
        self.deadline = deadline
        self.maxOutput = maxOutput
    }

    /// Forks and execs; on return either the tool runs or `stopped` says why it does not.
    mutating func start(path: String, arguments: [String], input: [UInt8], options: ToolOptions) {
        self.input = input
        var fds = [Int32](repeating: -1, count: 8)  // stdin, stdout, stderr, status: read/write pairs
        for k in 0 ..< 4 {
            let made = fds.withUnsafeMutableBufferPointer { winnow_pipe_cloexec($0.baseAddress! + 2 * k) }
            guard made == 0 else {
                stopped = .couldNotStart(step: "pipe2", errno: errno)
                fds.filter { $0 >= 0 }.forEach { close($0) }
                return
            }
        }
        let seconds = options.timeout.components.seconds + (options.timeout.components.attoseconds > 0 ? 1 : 0)
        var limits = winnow_spawn_limits(address_space_bytes: UInt64(max(0, options.memoryBytes)),
                                         cpu_seconds: UInt64(max(1, seconds)))
        pid = withCStrings([path] + arguments) { argv in
            winnow_spawn(argv[0], Array(argv[1...]), nil, fds[0], fds[3], fds[5], fds[7], &limits)
        }
        let forkErrno = errno
        for fd in [fds[0], fds[3], fds[5], fds[7]] { close(fd) }
        (stdinFD, stdoutFD, stderrFD) = (fds[1], fds[2], fds[4])
        defer { close(fds[6]) }
        guard pid > 0 else {
            stopped = .couldNotStart(step: "fork", errno: forkErrno)
            closeAll()
            return
        }
        if let failure = readStatus(fds[6]) {
            stopped = failure
            closeAll()
            return
        }
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        if input.isEmpty { Self.closeFD(&stdinFD) }
    }

    /// Nil when exec succeeded (EOF on the close-on-exec status pipe), else why the child stopped.
    private func readStatus(_ fd: Int32) -> ToolResult.Termination? {
        var status = winnow_spawn_status()
        var n: Int
        repeat { n = read(fd, &status, MemoryLayout<winnow_spawn_status>.size) } while n < 0 && errno == EINTR
        guard n == MemoryLayout<winnow_spawn_status>.size else { return nil }
        if status.stage == Int32(WINNOW_SPAWN_EXEC.rawValue), status.error == ENOENT || status.error == ENOTDIR {
            return .notFound
        }
        return .couldNotStart(step: Self.stepNames[Int(status.stage)] ?? "step \(status.stage)", errno: status.error)
    }

    static let stepNames: [Int: String] = Dictionary(uniqueKeysWithValues: [
        (WINNOW_SPAWN_SETPGID, "setpgid"), (WINNOW_SPAWN_PDEATHSIG, "prctl(PR_SET_PDEATHSIG)"),
        (WINNOW_SPAWN_PARENT_GONE, "getppid (the parent had gone)"), (WINNOW_SPAWN_RLIMIT_AS, "setrlimit(RLIMIT_AS)"),
        (WINNOW_SPAWN_RLIMIT_CPU, "setrlimit(RLIMIT_CPU)"), (WINNOW_SPAWN_RLIMIT_FSIZE, "setrlimit(RLIMIT_FSIZE)"),
        (WINNOW_SPAWN_RLIMIT_CORE, "setrlimit(RLIMIT_CORE)"), (WINNOW_SPAWN_DUP, "dup2"),
        (WINNOW_SPAWN_CLOSE_FDS, "close_range"), (WINNOW_SPAWN_SIGNALS, "sigaction"), (WINNOW_SPAWN_EXEC, "execve"),
    ].map { (Int($0.0.rawValue), $0.1) })

    /// Feeds stdin and drains stdout and stderr until both end, the deadline passes or the
    /// output passes its limit.
    mutating func pump() {
        guard stopped == nil else { return }
        var exitSeen = false
        while stdoutFD >= 0 || stderrFD >= 0 {
            alive?()
            let left = deadline - ContinuousClock.now
            if left <= .zero { stop(.timedOut); return }
            var fds: [pollfd] = []
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            let n = poll(&fds, nfds_t(fds.count), min(ToolRunner.exitCheckInterval, milliseconds(left)))
            if n < 0 { if errno == EINTR { continue }; stop(.couldNotStart(step: "poll", errno: errno)); return }
            if n == 0 {
                // Quiet pipes: if the tool is gone, what holds them is something it started.
                guard winnow_child_ended(pid) == 1 else { continue }
                if exitSeen { break }
                exitSeen = true
                killGroup()
                continue
            }
            for p in fds where p.revents != 0 {
                if p.fd == stdinFD { feed() } else if p.fd == stdoutFD { drainStdout() } else { drainStderr() }
                if stopped != nil { return }
            }
        }
    }

    private mutating func feed() {
        let chunk = min(input.count - written, 64 << 10)
        let n = input.withUnsafeBytes { write(stdinFD, $0.baseAddress! + written, chunk) }
        if n > 0 { written += n }
        // EPIPE: the tool stopped reading (it may have failed early); its exit status says why.
        if (n < 0 && errno != EAGAIN && errno != EINTR) || written == input.count { Self.closeFD(&stdinFD) }
    }

    private mutating func drainStdout() {
        let n = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress!, $0.count) }
        if n > 0 {
            guard stdout.count + n <= maxOutput else { stop(.outputTooLarge); return }
            stdout.append(contentsOf: buffer[0 ..< n])
        } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
            Self.closeFD(&stdoutFD)
        }
    }

    private mutating func drainStderr() {
        let n = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress!, $0.count) }
        if n > 0 {
            stderr.append(contentsOf: buffer[0 ..< min(n, ToolRunner.maxErrorBytes - stderr.count)])
        } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
            Self.closeFD(&stderrFD)
        }
    }

    /// Waits for the child (killing its group at the deadline), reaps it, and says how it ended.
    mutating func finish() -> ToolResult.Termination {
        closeAll()
        guard pid > 0 else { return stopped ?? .notFound }
        var pause: UInt32 = 100
        while winnow_child_ended(pid) == 0 {
            if ContinuousClock.now >= deadline { stop(.timedOut); break }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        // Whatever the tool left running in its group goes with it.
        killGroup()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        pid = -1
        if let stopped { return stopped }
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    private mutating func stop(_ reason: ToolResult.Termination) {
        if stopped == nil { stopped = reason }
        killGroup()
        closeAll()
    }

    /// Only while the child is not reaped: until then its pid cannot name another group.
    private func killGroup() {
        if pid > 0 { kill(-pid, SIGKILL) }
    }

    private mutating func closeAll() {
        Self.closeFD(&stdinFD)
        Self.closeFD(&stdoutFD)
        Self.closeFD(&stderrFD)
    }

    private static func closeFD(_ fd: inout Int32) {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    private func milliseconds(_ d: Duration) -> Int32 {
        let (s, atto) = d.components
        return Int32(clamping: s * 1000 + atto / 1_000_000_000_000_000 + 1)
    }
}

/// Calls `body` with NUL-terminated copies of `strings` and a NULL-terminated pointer array.
func withCStrings<T>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies + [nil])
}
