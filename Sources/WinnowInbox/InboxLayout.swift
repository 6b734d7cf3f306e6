/// The folders of the inbox state machine.
///
/// `work`, `processed` and `failed` must be on the filesystem that holds `inbox`, since every
/// move between them is a `rename(2)`; `Inbox.prepare()` checks this.
public struct InboxLayout: Sendable {
    public var inbox: String
    public var work: String
    public var processed: String
    public var failed: String

    public init(inbox: String, state: String) {
        self.inbox = inbox
        self.work = state + "/work"
        self.processed = state + "/processed"
        self.failed = state + "/failed"
    }
}

/// How the inbox picks files up and where they end.
public struct InboxOptions: Sendable {
    /// A file is taken once its mtime is this old, or once size and mtime have not changed for
    /// this long (for clocks that disagree).
    public var settle: Duration = .seconds(1)
    /// Shell patterns of names never picked up; dot-files are always ignored.
    public var ignore: [String] = ["*.tmp", "*.part", "*.crdownload", "*~", "*.swp"]
    public var maxBytes: Int = 32 << 20
    /// Keep processed documents in `processed/YYYY-MM-DD/`, or delete them.
    public var keepProcessed = true
    /// Also take files from subfolders of the inbox (their path is kept as the source).
    public var recursive = false

    public init() {}
}

/// Why a document ended in `failed/`. The raw values appear in reason files, logs and metrics.
public enum FailureReason: String, Sendable, CaseIterable {
    case tooLarge = "too-large"
    case binary
    case unreadable
    case notRegularFile = "not-regular-file"
    case symlink
    case hardlink
    case undecodable
    case unsupportedFormat = "unsupported-format"
    case malformed
    case encrypted
    case noText = "no-text"
    case toolMissing = "tool-missing"
    case toolFailed = "tool-failed"
    case crashed
    case budget

    public var explanation: String {
        switch self {
        case .tooLarge: "larger than max_bytes"
        case .binary: "looks binary (NUL bytes) and is in no format Winnow reads"
        case .unreadable: "could not be read (permissions or I/O)"
        case .notRegularFile: "not a regular file (FIFO, socket or device); never opened for reading"
        case .symlink: "a symbolic link; never followed"
        case .hardlink: "a hard link to a file that has other names; never read (it may be a file from outside the inbox)"
        case .undecodable: "text in no charset Winnow could determine (not UTF-8, none declared, none detected, no fallback_encoding)"
        case .unsupportedFormat: "a format Winnow recognises but does not read"
        case .malformed: "its format's structure is broken (JSON that does not parse, a damaged PDF or ZIP)"
        case .encrypted: "password-protected or encrypted"
        case .noText: "no text to read (a scanned PDF without a text layer)"
        case .toolMissing: "the program that reads this format is not installed"
        case .toolFailed: "the program that reads this format ran past its time or memory limit, or crashed"
        case .budget: "classifying it took more time or memory than one document may (document_timeout, document_memory)"
        case .crashed: "the daemon died while classifying it, crash_limit times in a row (stopped by the watchdog, out of memory, or a crash); not tried again"
        }
    }
}
