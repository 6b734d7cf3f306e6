import Foundation
import WinnowFiles

/// `alerts.jsonl`: one complete JSON line per alert, durable when `append` returns (see
/// `AppendOnlyFile` for what a failed write leaves: nothing).
public final class AlertLog {
    public let path: String
    private let file: AppendOnlyFile

    public init(path: String) throws(FileError) {
        self.path = path
        file = try AppendOnlyFile(path: path)
    }

    /// Bytes cut from a torn last line when the log was opened (0 when it was intact).
    public var repairedBytes: Int { file.repairedBytes }

    /// Appends several lines with one fsync: a backlog drains at disk speed, not fsync speed.
    public func append(lines: [[UInt8]]) throws(FileError) {
        try file.append(lines: lines)
    }

    /// The alerts among `ids` in the last `window` bytes of the log: id → the `document.path`
    /// the alert names ("" when the line has none). A restart checks each leftover claim
    /// against them before alerting again (the alert may have been durable before the crash),
    /// and moves a document whose alert is durable to that path, whatever day it is now. Only
    /// the tail is read: Winnow never rotates the log (operators may), so it may hold gigabytes.
    public func recentPaths(among ids: Set<String>, window: Int = 16 << 20) -> [String: String] {
        var paths: [String: String] = [:]
        guard !ids.isEmpty else { return paths }
        forEachRecentLine(window: window) { id, line in
            guard ids.contains(id) else { return }
            let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            paths[id] = (object?["document"] as? [String: Any])?["path"] as? String ?? ""
        }
        return paths
    }

    /// Calls `body` with the id and bytes of each alert line that starts within the last
    /// `window` bytes (ids read without parsing JSON; see AlertFormat).
    private func forEachRecentLine(window: Int, _ body: (String, ArraySlice<UInt8>) -> Void) {
        // One byte more than the window tells whether its first line starts whole.
        guard let (bytes, offset) = Files.readTail(path, maxBytes: window + 1) else { return }
        let marker = Array(#"{"schema":1,"id":""#.utf8)
        var i = offset == 0 ? 0 : (bytes.firstIndex(of: 0x0A) ?? bytes.count) + 1
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            if end - i > marker.count, bytes[i ..< i + marker.count].elementsEqual(marker) {
                let from = i + marker.count
                if let quote = bytes[from ..< end].firstIndex(of: 0x22) {
                    body(String(decoding: bytes[from ..< quote], as: UTF8.self), bytes[i ..< end])
                }
            }
            i = end + 1
        }
    }
}
