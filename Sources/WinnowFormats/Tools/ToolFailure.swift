#if canImport(Glibc)
import Glibc
#endif

/// Says why a tool's run failed, naming the limit it hit and the setting that sets it.
enum ToolFailure {
    /// The failure of a run that ended with `result` (anything but a clean exit the reader
    /// understands). `tool` names the program in the message ("pdftotext").
    static func describe(_ result: ToolResult, tool: String, options: ToolOptions) -> ReadFailure {
        let detail: String
        switch result.termination {
        case .timedOut:
            detail = "\(tool) ran past its time limit of \(format(options.timeout)) (the 'tool_timeout' setting) and was stopped"
        case .outputTooLarge:
            detail = "\(tool) wrote more than \(format(bytes: options.maxOutputBytes)) of text (the output limit) and was stopped"
        case .signalled(let signal) where signal == SIGXCPU:
            detail = "\(tool) used up its CPU time limit of \(format(options.timeout)) (the 'tool_timeout' setting) and was stopped"
        case .signalled(let signal) where signal == SIGXFSZ:
            detail = "\(tool) tried to write a file (SIGXFSZ), which a reader must not; the document may be hostile, or the tool is not the one expected"
        case .signalled(let signal) where signal == SIGKILL:
            detail = "\(tool) was killed (SIGKILL): it used up its CPU time limit of \(format(options.timeout)) (the 'tool_timeout' setting), or the system ran out of memory"
        case .signalled(let signal):
            detail = ranOutOfMemory(result)
                ? memoryDetail(tool, options)
                : "\(tool) crashed (\(signalName(signal))); the document may be damaged or hostile, or the tool short of memory under its limit of \(format(bytes: options.memoryBytes)) (the 'tool_memory' setting)"
        case .exited(let status):
            detail = ranOutOfMemory(result)
                ? memoryDetail(tool, options)
                : "\(tool) failed with exit status \(status)" + (result.lastErrorLine.map { ": \($0)" } ?? "")
        case .couldNotStart(let step, let error):
            var d = "could not start \(tool): \(step) failed: \(String(cString: strerror(error)))"
            if error == EPERM, step.hasPrefix("setrlimit") {
                d += "; the service's system call filter must allow setrlimit and prlimit64"
            }
            detail = d
        case .notFound:
            detail = "\(tool) is not installed"
        }
        return ReadFailure(.toolFailed, detail)
    }

    private static func memoryDetail(_ tool: String, _ options: ToolOptions) -> String {
        "\(tool) ran out of memory under its limit of \(format(bytes: options.memoryBytes)) (the 'tool_memory' setting)"
    }

    /// What allocators and the dynamic loader print when the address-space limit refuses them.
    /// (Swift's runtime may die of SIGILL without a word: crashes also name the limit.)
    static let memoryMessages = ["bad_alloc", "out of memory", "cannot allocate", "could not allocate",
                                 "memory allocation failed", "failed to map segment", "memory exhausted"]

    static func ranOutOfMemory(_ result: ToolResult) -> Bool {
        let text = String(decoding: result.stderr, as: UTF8.self).lowercased()
        return memoryMessages.contains { text.contains($0) }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE", SIGTRAP: "SIGTRAP", SIGTERM: "SIGTERM", SIGPIPE: "SIGPIPE"]
        return names[signal].map { "\($0), signal \(signal)" } ?? "signal \(signal)"
    }

    static func format(_ d: Duration) -> String {
        let (s, atto) = d.components
        let ms = s * 1000 + atto / 1_000_000_000_000_000
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(ms) ms"
    }

    static func format(bytes: Int) -> String {
        if bytes >= 1 << 30, bytes % (1 << 30) == 0 { return "\(bytes >> 30) GB" }
        if bytes >= 1 << 20 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}
