#if canImport(Glibc)
import Glibc
#endif
import WinnowCharset
import WinnowText

/// Turns a file's bytes into documents: chooses the format by content first and name second,
/// converts UTF-16 and UTF-32, and lets the format's reader take the text out.
public enum DocumentReader {
    /// How much of the file format sniffing looks at.
    static let headBytes = 64 << 10

    /// Reads `file`. Throws when nothing in it can be read; a feed's unreadable records are in
    /// the result's `failures`.
    public static func read(_ file: [UInt8], name: String, options: ReadingOptions = ReadingOptions()) throws(ReadFailure) -> Reading {
        let ext = fileExtension(name)
        // Binary formats first: their signatures are in the raw bytes.
        if let reader = choose(file, ext: ext, minimum: .certain) {
            return checked(try reader.read(ReaderInput(file: file, name: name, bytes: file, unicode: nil, options: options)))
        }
        if let kind = BinarySignature.describe(file) {
            throw ReadFailure(.unsupportedFormat, "\(kind), a format Winnow does not read")
        }
        let unicode = file.withUnsafeBufferPointer { CharsetDecoder.unicodeForm($0, policy: options.charsets) }
        let bytes = unicode?.utf8 ?? file
        if unicode == nil, let nul = firstNUL(file) {
            throw ReadFailure(.binary, "a NUL byte at offset \(nul), and no format Winnow reads")
        }
        let reader = choose(bytes, ext: ext, minimum: .no) ?? PlainTextReader.self
        return checked(try reader.read(ReaderInput(file: file, name: name, bytes: bytes, unicode: unicode, options: options)))
    }

    /// Folding and the automaton rely on valid UTF-8: a reader that let other bytes through
    /// (a bug) gets them read as U+FFFD and a warning, never a crash.
    static func checked(_ reading: Reading) -> Reading {
        var reading = reading
        for k in reading.documents.indices
        where !reading.documents[k].decoded && UTF8Validation.firstInvalid(reading.documents[k].text) != nil {
            let d = reading.documents[k]
            guard let repaired = d.text.withUnsafeBufferPointer({ CharsetDecoder.decode($0, as: .utf8) }) else { continue }
            reading.documents[k].map = repaired.map.composed(over: d.map, text: repaired.utf8, innerText: d.text)
            reading.documents[k].text = repaired.utf8
            reading.documents[k].warnings.append("the \(d.metadata.format) reader gave bytes that are not UTF-8; they were read as U+FFFD")
        }
        return reading
    }

    /// A signature (`.certain`) decides; then a reader the extension names, if the content
    /// allows it (its sniff is at least `.weak`: a one-line `.jsonl` is a feed, though it is
    /// also a JSON object); then the strongest content (`.strong`); then the extension alone;
    /// then a weak sniff. With `minimum: .certain`, only a signature.
    static func choose(_ bytes: [UInt8], ext: String, minimum: SniffResult) -> (any FormatReader.Type)? {
        let results = bytes.withUnsafeBufferPointer { b in
            let head = UnsafeBufferPointer(rebasing: b[..<min(b.count, headBytes)])
            return FormatRegistry.readers.map { ($0, $0.sniff(head)) }
        }
        let best = results.max { $0.1 < $1.1 }
        if let best, best.1 == .certain { return best.0 }
        guard minimum < .certain else { return nil }
        let named = results.filter { $0.0.extensions.contains(ext) }
        if let fits = named.first(where: { $0.1 != .no }) { return fits.0 }
        if let best, best.1 == .strong { return best.0 }
        if let named = named.first { return named.0 }
        if let best, best.1 == .weak { return best.0 }
        return nil
    }

    /// As git and ripgrep do: a NUL in the first 8 KiB means binary.
    static func firstNUL(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, let hit = memchr(base, 0, min(b.count, 8192)) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }
}

/// Names what a binary file is, for the failure reason ("a PNG image").
enum BinarySignature {
    static func describe(_ b: [UInt8]) -> String? {
        func starts(_ s: [UInt8], at offset: Int = 0) -> Bool {
            b.count >= offset + s.count && b[offset ..< offset + s.count].elementsEqual(s)
        }
        if starts([0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if starts([0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if starts(Array("GIF8".utf8)) { return "a GIF image" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "a WebP image" }
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "a ZIP archive (not a DOCX or ODT document)" }
        if starts([0x1F, 0x8B]) { return "a gzip file" }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "a legacy Microsoft Office file (.doc, .xls, .ppt)" }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "an ELF executable" }
        if starts(Array("Rar!".utf8)) { return "a RAR archive" }
        if starts([0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return "a 7-Zip archive" }
        if starts(Array("{\\rtf".utf8)) { return "an RTF document" }
        return nil
    }
}
