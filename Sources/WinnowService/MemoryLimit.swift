import Foundation

/// The memory this process may use, as its cgroup (v2) says: systemd's `MemoryMax=`, a
/// container's limit. The tightest `memory.max` from the process's cgroup up to the root.
enum MemoryLimit {
    /// Peak memory of one document, per byte of it, at worst as measured (docs/design.md
    /// §Folding, words and memory: at most 4 times the text of a news-like document, up to 8
    /// times a hit-dense one): what `max_bytes` is multiplied by for the start-up warning.
    static let bytesPerDocumentByte = 8

    static func current(proc: String = "/proc/self/cgroup", root: String = "/sys/fs/cgroup") -> Int? {
        guard let text = try? String(contentsOfFile: proc, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("0::") }) else { return nil }
        var path = String(line.dropFirst(3))
        var limit: Int?
        while true {
            let file = root + (path == "/" ? "" : path) + "/memory.max"
            if let value = try? String(contentsOfFile: file, encoding: .utf8),
               let n = Int(value.trimmingCharacters(in: .whitespacesAndNewlines)) {
                limit = min(limit ?? n, n)
            }
            if path == "/" || path.isEmpty { break }
            path = (path as NSString).deletingLastPathComponent
        }
        return limit
    }

    /// A warning when a document of `maxBytes` may take more memory than the process may use.
    static func warning(maxBytes: Int, limit: Int?) -> String? {
        guard let limit else { return nil }
        let need = maxBytes.multipliedReportingOverflow(by: bytesPerDocumentByte)
        guard need.overflow || need.partialValue > limit else { return nil }
        return "max_bytes (\(maxBytes >> 20) MB) allows documents that may take about \(bytesPerDocumentByte)× their size in memory, more than the \(limit >> 20) MB this service may use (cgroup memory.max, systemd MemoryMax=); lower max_bytes or document_memory, or raise MemoryMax"
    }
}
