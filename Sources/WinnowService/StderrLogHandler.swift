import Foundation
import Logging
import Synchronization
import WinnowDiagnostics
import WinnowOutput

/// One line per event on stderr; under systemd (`JOURNAL_STREAM` set) each line starts with a
/// `<N>` priority that journald parses, and carries no timestamp (journald adds its own).
///
/// Every message and value is escaped: a line break or control character from a file name or a
/// document can never start a forged log line.
public struct StderrLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let journald: Bool

    public init(label: String, level: Logger.Level = .info, journald: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.label = label
        self.logLevel = level
        self.journald = journald
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        var line = journald ? "<\(Self.priority(event.level))>" : "\(Timestamp.now()) \(event.level) "
        line += Self.escape(event.message.description)
        for (key, value) in all.sorted(by: { $0.key < $1.key }) {
            line += " \(Self.escape(key))=\(Self.quote(Self.render(value)))"
        }
        line += "\n"
        Self.write(line)
    }

    /// Log lines that could not be written (stderr full, closed, or a pipe whose reader is
    /// gone), for `status.json`: a log that cannot be written never stops the daemon.
    public static let dropped = Atomic<Int>(0)

    /// One `write(2)` loop on descriptor 2. FileHandle traps on a failed write, and a daemon
    /// must outlive its log: the line is counted and dropped instead. EPIPE arrives as an
    /// error only where SIGPIPE is ignored (`winnow run` ignores it).
    static func write(_ line: String) {
        var line = line
        let complete = line.withUTF8 { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        if !complete { dropped.add(1, ordering: .relaxed) }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(render).joined(separator: ",")
        case .dictionary(let d): d.sorted { $0.key < $1.key }.map { "\($0.key):\(render($0.value))" }.joined(separator: ",")
        }
    }

    /// Control characters, line and paragraph separators become visible escapes.
    public static func escape(_ s: String) -> String { escapingControls(s, backslash: true) }

    /// A value safe to put after `key=`: escaped, and quoted when it holds spaces or quotes.
    static func quote(_ s: String) -> String {
        let e = escape(s)
        if e.isEmpty || e.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) {
            return "\"" + e.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return e
    }
}
