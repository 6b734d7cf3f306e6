/// A document's view without the padding of decoded text, for regexes, with a map back to the
/// file's offsets.
///
/// Folding skips the DEL padding (`TextView`), so `words` see `caf&eacute;` as `café`; a regex
/// runs over bytes and would see `caf`, `é` and six DELs. So regexes run over `bytes`, where
/// what is read is contiguous (`café bar`, `AT&T`, `Aktobe` from `Ak<b>tobe`), and
/// `fileRange(_:)` turns a match back into byte offsets of the document's text, like all evidence.
public struct CompactedView: Sendable {
    /// The view's bytes without DEL; valid UTF-8, as the view is (padding lies between scalars).
    public let bytes: [UInt8]
    /// Runs of kept bytes: run k starts at `runStarts[k]` in `bytes` and at `runFileStarts[k]`
    /// in the file, and is contiguous in both. One entry per padding run, not per byte.
    private let runStarts: [Int]
    private let runFileStarts: [Int]
    private let view: [UInt8]
    private let original: [UInt8]

    /// The compacted view of `document`, or nil when its view has no padding (then the view
    /// itself is what a regex reads, offsets unchanged).
    public init?(_ document: Document) {
        self.init(view: document.view, original: document.text.utf8)
    }

    /// `view` and `original` have the same length (see `TextView`).
    init?(view: [UInt8], original: [UInt8]) {
        guard let first = view.firstIndex(of: ViewBytes.filler) else { return nil }
        var bytes = Array(view[..<first])
        bytes.reserveCapacity(view.count)
        var runStarts = [0], runFileStarts = [0]
        var i = first
        while i < view.count {
            while i < view.count, view[i] == ViewBytes.filler { i += 1 }
            guard i < view.count else { break }
            let next = view[i...].firstIndex(of: ViewBytes.filler) ?? view.count
            runStarts.append(bytes.count)
            runFileStarts.append(i)
            bytes.append(contentsOf: view[i ..< next])
            i = next
        }
        self.bytes = bytes
        self.runStarts = runStarts
        self.runFileStarts = runFileStarts
        self.view = view
        self.original = original
    }

    /// The file offset of byte `c` of `bytes` (`c < bytes.count`).
    private func fileOffset(_ c: Int) -> Int {
        var lo = 0, hi = runStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if runStarts[mid] <= c { lo = mid + 1 } else { hi = mid }
        }
        return runFileStarts[lo - 1] + (c - runStarts[lo - 1])
    }

    /// The file range of range `r` of `bytes`: from its first byte to its last, and over the
    /// rest of the encoded form when the last character was decoded (`&eacute;`, `=C3=A9`), so
    /// the range covers what the file wrote for the matched text.
    public func fileRange(_ r: Range<Int>) -> Range<Int> {
        guard r.lowerBound < bytes.count else { return view.count ..< view.count }
        let start = fileOffset(r.lowerBound)
        guard !r.isEmpty else { return start ..< start }
        var last = r.upperBound - 1
        while last > r.lowerBound, bytes[last] & 0xC0 == 0x80 { last -= 1 }
        let scalarStart = fileOffset(last)
        var end = fileOffset(r.upperBound - 1) + 1
        let decoded = original[scalarStart] == UInt8(ascii: "&") || original[scalarStart] == UInt8(ascii: "=")
            || view[scalarStart ..< end] != original[scalarStart ..< end]
        // The padding of a decoded character runs to the end of its encoded form; an inline
        // tag right after it is padding too, but starts with `<`, which no encoding writes.
        if decoded {
            while end < view.count, view[end] == ViewBytes.filler, original[end] != UInt8(ascii: "<") { end += 1 }
        }
        return start ..< end
    }
}
