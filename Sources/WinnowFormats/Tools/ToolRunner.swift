internal import CSpawn
#if canImport(Glibc)
import Glibc
#endif

/// Runs an external tool (pdftotext, `winnow extract-office`) in a child process with limits,
/// so a hostile document can cost one child, never the daemon.
///
/// The child leads its own process group, dies with the daemon (PR_SET_PDEATHSIG), has
/// RLIMIT_AS = `memoryBytes`, RLIMIT_CPU ≈ the timeout, RLIMIT_FSIZE 0 and no core files
/// (Sources/CSpawn). The runner writes `input` to its stdin and reads stdout and stderr in one
/// poll loop, so no full pipe can deadlock either side; kills the whole group at the timeout or
/// when stdout passes `maxOutputBytes`; and always reaps the child before returning.
/// Blocking: call it off the cooperative pool.
enum ToolRunner {
    /// How much of stderr is kept (the rest is read and dropped).
    static let maxErrorBytes = 16 << 10
    /// How often the loop looks whether the child is gone while a pipe is still open (a
    /// grandchild may hold it).
    static let exitCheckInterval: Int32 = 100

    static func run(_ command: [String], input: [UInt8], options: ToolOptions) -> ToolResult {
        let started = ContinuousClock.now
        guard let program = command.first, let path = resolve(program) else {
            return ToolResult(termination: .notFound, stdout: [], stderr: [], elapsed: .zero)
        }
        return withSIGPIPEBlocked {
            var run = ToolRun(deadline: started + options.timeout, maxOutput: options.maxOutputBytes)
            run.alive = options.alive
            run.start(path: path, arguments: command, input: input, options: options)
            run.pump()
            let termination = run.finish()
            return ToolResult(termination: termination, stdout: run.stdout, stderr: run.stderr,
                              elapsed: ContinuousClock.now - started)
        }
    }

    /// `name` when it holds a slash, else the first executable of that name in PATH.
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return name }
        let search = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in search.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = folder + "/" + name
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }

    /// Writing to a pipe whose reader died raises SIGPIPE, which would end the daemon: the
    /// signal is blocked in this thread meanwhile (it is thread-directed), and one left pending
    /// is consumed before the mask is restored.
    static func withSIGPIPEBlocked<T>(_ body: () -> T) -> T {
        var pipeSet = sigset_t(), old = sigset_t()
        sigemptyset(&pipeSet)
        sigaddset(&pipeSet, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSet, &old)
        let result = body()
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1, sigismember(&old, SIGPIPE) == 0 {
            var zero = timespec(tv_sec: 0, tv_nsec: 0)
            _ = sigtimedwait(&pipeSet, nil, &zero)
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        return result
    }
}
