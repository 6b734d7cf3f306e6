#if canImport(Glibc)
import Glibc
#endif

/// The command that reads DOCX and ODT in a child process: Winnow itself, `winnow
/// extract-office`.
public enum OfficeCommand {
    /// `[path of the running winnow, "extract-office"]`, or nil when the running program is
    /// not named `winnow` (a test runner: tests set `ToolOptions.officeReader` themselves).
    public static let `default`: [String]? = command(running: runningExecutable())

    static func command(running path: String?) -> [String]? {
        guard var path else { return nil }
        // Replaced on disk by an upgrade: /proc/self/exe still names the running binary.
        let deleted = " (deleted)"
        let wasDeleted = path.hasSuffix(deleted)
        if wasDeleted { path.removeLast(deleted.count) }
        guard path.split(separator: "/").last == "winnow" else { return nil }
        return [wasDeleted ? "/proc/self/exe" : path, "extract-office"]
    }

    static func runningExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0 ..< n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
