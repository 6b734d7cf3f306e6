/// How a tool run by `ToolRunner` ended, and what it wrote.
struct ToolResult: Sendable {
    enum Termination: Equatable, Sendable {
        /// The tool exited by itself with this status.
        case exited(Int32)
        /// A signal the runner did not send ended it: a crash (SIGSEGV, SIGABRT, often a failed
        /// allocation under the memory limit) or the CPU limit (SIGXCPU, SIGKILL).
        case signalled(Int32)
        /// The runner killed it at the wall-clock timeout.
        case timedOut
        /// The runner killed it when its output passed the limit.
        case outputTooLarge
        /// No such program (not in PATH, or exec said ENOENT).
        case notFound
        /// The child could not set itself up or exec (a limit the seccomp filter refused, a
        /// program that is not executable); `step` names the call.
        case couldNotStart(step: String, errno: Int32)
    }

    var termination: Termination
    /// Everything the tool wrote to stdout (at most the output limit).
    var stdout: [UInt8]
    /// The first bytes the tool wrote to stderr (at most `ToolRunner.maxErrorBytes`).
    var stderr: [UInt8]
    var elapsed: Duration

    /// The last non-empty line of stderr, for failure details ("Incorrect password").
    var lastErrorLine: String? {
        let lines = stderr.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D })
        guard let last = lines.last(where: { $0.contains { $0 != 0x20 && $0 != 0x09 } }) else { return nil }
        return String(decoding: last, as: UTF8.self).trimmingWhitespace
    }
}
