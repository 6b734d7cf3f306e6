import WinnowCharset
import WinnowText

/// A JSON Lines feed: each line an article, classified and alerted on its own as `FILE#N`
/// (N counts the feed's non-blank lines from 1). A line that does not parse fails alone.
struct JSONLinesReader: FormatReader {
    static let format = DocumentFormat(rawValue: "jsonl")
    static let summary = "JSON Lines feeds: each line a JSON article and a document of its own (`FILE#N`); a broken line fails alone."
    static let extensions = ["jsonl", "ndjson", "jsonlines"]

    /// Two lines or more that start an object, the first of them a whole JSON object (a later
    /// line may be broken: that is the feed's problem, not a sign of another format).
    static func sniff(_ head: UnsafeBufferPointer<UInt8>) -> SniffResult {
        var objects = 0
        var start = 0
        var firstChecked = false
        while start < head.count, objects < 2 {
            let end = head[start...].firstIndex(of: 0x0A) ?? head.count
            var a = start
            while a < end, head[a] == 0x20 || head[a] == 0x09 || head[a] == 0x0D { a += 1 }
            if a < end {
                guard head[a] == UInt8(ascii: "{") else { return .no }
                if !firstChecked {
                    // A line the head cuts off is no evidence; the file's last line is whole.
                    let whole = end < head.count || head.count < DocumentReader.headBytes
                    // A first record longer than the head may still be one: the name decides.
                    guard whole else { return .weak }
                    guard case .object? = try? JSONParser.parse(Array(head[a ..< end])) else { return .no }
                    firstChecked = true
                }
                objects += 1
            }
            start = end + 1
        }
        return objects >= 2 ? .strong : objects == 1 ? .weak : .no
    }

    static func read(_ input: ReaderInput) throws(ReadFailure) -> Reading {
        let decoded = try input.text()
        let bytes = decoded.utf8
        var reading = Reading(documents: [])
        var record = 0, line = 0
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            defer { start = end + 1 }
            line += 1
            guard bytes[start ..< end].contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            record += 1
            let fileRange = decoded.map.sourceRange(start ..< end, text: bytes)
            do {
                let node = try JSONParser.parse(bytes, start ..< end)
                guard case .object = node else {
                    reading.failures.append(RecordFailure(record: record, range: fileRange, failure: ReadFailure(
                        .malformed, "line \(line) is JSON but not an object: a feed's records are articles ({\"title\": …})")))
                    continue
                }
                var d = JSONLines.document(JSONArticle(node, bytes: bytes, keys: input.options.json), format: format, decoded: decoded)
                d.record = record
                reading.documents.append(d)
            } catch {
                let column = error.offset - start + 1
                reading.failures.append(RecordFailure(record: record, range: fileRange, failure: ReadFailure(
                    .malformed, "line \(line), column \(column) is not valid JSON: \(error.message)")))
            }
        }
        if reading.documents.isEmpty {
            let first = reading.failures.first.map { ": \($0.failure.detail)" } ?? ""
            throw ReadFailure(.malformed, reading.failures.isEmpty ? "a JSON Lines feed without records" : "no line of the feed is a JSON article\(first)")
        }
        return reading
    }
}
