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

    /// Where the next alert will start (see `AppendOnlyFile.appendOffset`), for the journal's
    /// mark before a batch's alerts.
    public func appendOffset() throws(FileError) -> Int { try file.appendOffset() }

    /// The alerts of the claims `ids` from byte `offset` on (at least the last `window` bytes:
    /// a journal from before offsets were marked has none): alert id (the claim
    /// id, or `CLAIM#N` for record N of a feed) → the `document.path` the alert names ("" when
    /// the line has none). A restart checks each leftover claim
    /// against them before alerting again (the alert may have been durable before the crash),
    /// and moves a document whose alert is durable to that path, whatever day it is now. Only
    /// what follows the batches of those claims is read: Winnow never rotates the log (operators
    /// may), so it may hold gigabytes.
    public func recentPaths(among ids: Set<String>, from offset: Int? = nil, window: Int = 16 << 20) -> [String: String] {
        var paths: [String: String] = [:]
        guard !ids.isEmpty else { return paths }
        var window = window
        // An offset past the end names a file rotated away since: the whole new file is read.
        if let offset {
            let size = Files.status(path).size
            window = max(window, offset <= size ? size - offset : size)
        }
        forEachRecentLine(window: window) { id, line in
            guard ids.contains(Self.claim(ofAlert: id)) else { return }
            let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
            paths[id] = (object?["document"] as? [String: Any])?["path"] as? String ?? ""
        }
        return paths
    }

    /// The claim id an alert id belongs to: the part before `#`.
    public static func claim(ofAlert id: String) -> String {
        id.firstIndex(of: "#").map { String(id[..<$0]) } ?? id
    }

    /// Calls `body` with the id and bytes of each alert line that starts within the last
    /// `window` bytes (ids read without parsing JSON; see AlertFormat).
    private func forEachRecentLine(window: Int, _ body: (String, ArraySlice<UInt8>) -> Void) {
        // One byte more than the window tells whether its first line starts whole.
        guard let (bytes, offset) = Files.readTail(path, maxBytes: window + 1) else { return }
        // `{"schema":N,"id":"`: every schema version keeps `id` second (see AlertFormat).
        let prefix = Array(#"{"schema":"#.utf8), infix = Array(#","id":""#.utf8)
        var i = offset == 0 ? 0 : (bytes.firstIndex(of: 0x0A) ?? bytes.count) + 1
        while i < bytes.count {
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            var j = i + prefix.count
            if end - i > prefix.count + infix.count, bytes[i ..< j].elementsEqual(prefix) {
                while j < end, bytes[j] >= 0x30, bytes[j] <= 0x39 { j += 1 }
                if end - j > infix.count, bytes[j ..< j + infix.count].elementsEqual(infix) {
                    let from = j + infix.count
                    if let quote = bytes[from ..< end].firstIndex(of: 0x22) {
                        body(String(decoding: bytes[from ..< quote], as: UTF8.self), bytes[i ..< end])
                    }
                }
            }
            i = end + 1
        }
    }
}
