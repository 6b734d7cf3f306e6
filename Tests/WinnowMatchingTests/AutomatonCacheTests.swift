import Foundation
import WinnowCache
@testable import WinnowMatching
import WinnowText
import XCTest

/// The automaton read back from the cache finds what the built one finds, and a damaged file
/// is a miss, never a crash.
final class AutomatonCacheTests: XCTestCase {
    private var folder = ""

    override func setUp() {
        folder = NSTemporaryDirectory() + "winnow-automaton-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Place-like keys (capitalised only, so there are two tries) and topic words.
    private func keys() -> KeySet {
        var keys = KeySet()
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcdeiklmnorstuyаекорт")
        for i in 0 ..< 3000 {
            let word = String((0 ..< Int.random(in: 2 ... 9, using: &rng)).map { _ in letters.randomElement(using: &rng)! })
            guard let key = LiteralAutomaton.Key(folding: word, isPrefix: i % 7 == 0) else { continue }
            keys.append(bytes: key.bytes, isPrefix: key.isPrefix, endsInWord: key.endsInWord, capitalisedOnly: i % 2 == 0)
        }
        return keys
    }

    private func hits(_ automaton: LiteralAutomaton, _ text: [UInt8]) -> [String] {
        var out: [String] = []
        automaton.scan(text) { out.append("\($0)") }
        return out
    }

    private func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix("automaton-") }
    }

    func testCachedAutomaton_findsWhatTheBuiltOneFinds_andIsReadBackFromItsFile() {
        let keys = keys()
        let store = CacheStore(directory: folder)
        let text = Array(keys.bytes.prefix(4000).map { $0 == 0x61 ? 0x20 : $0 }) + Array(" Ktor Motka, arot".utf8)
        let built = LiteralAutomaton(keys: keys)
        let first = LiteralAutomaton.cached(keys: keys, store: store, minimumBytes: 0)
        XCTAssertEqual(files().count, 1)
        let key = AutomatonCache.key(keys, denseLimit: 1 << 16)
        let read = LiteralAutomaton(keys: keys, reading: store.reader(name: AutomatonCache.fileName(key), key: key)!)
        XCTAssertNotNil(read)
        let second = LiteralAutomaton.cached(keys: keys, store: store, minimumBytes: 0)
        let expected = hits(built, text)
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(hits(first, text), expected)
        XCTAssertEqual(hits(read!, text), expected)
        XCTAssertEqual(hits(second, text), expected)
        // Other keys (or another dense budget) are another file.
        var more = keys
        more.append(bytes: Array("zzz".utf8), isPrefix: false, endsInWord: true)
        _ = LiteralAutomaton.cached(keys: more, store: store, minimumBytes: 0)
        _ = LiteralAutomaton.cached(keys: keys, denseLimit: 64, store: store, minimumBytes: 0)
        XCTAssertEqual(files().count, 3)
    }

    func testDamagedFile_isAMiss_andTheAutomatonIsBuiltAgain() throws {
        let keys = keys()
        let store = CacheStore(directory: folder)
        _ = LiteralAutomaton.cached(keys: keys, store: store, minimumBytes: 0)
        let key = AutomatonCache.key(keys, denseLimit: 1 << 16)
        let path = folder + "/" + AutomatonCache.fileName(key)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))

        // A flipped byte: the checksum no longer matches.
        var flipped = good
        flipped[flipped.count - 9] ^= 0xFF
        try flipped.write(to: URL(fileURLWithPath: path))
        XCTAssertNil(LiteralAutomaton(keys: keys, reading: store.reader(name: AutomatonCache.fileName(key), key: key)!))

        // Cut short: the header's length no longer matches.
        try good.prefix(good.count - 100).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(store.reader(name: AutomatonCache.fileName(key), key: key))

        // A child index out of range with a checksum that matches (a file written by a bug, or
        // by hand): rejected by the checks, not followed by the scan. The header is the magic,
        // the key, the length and the checksum: 8 + 32 + 8 + 8 bytes.
        var payload = Array(good.dropFirst(56))
        // The first section is the full trie's states: a count, then 12-byte records; state 0
        // gets a first child far past the end.
        for i in 0 ..< 4 { payload[8 + i] = 0xF0 }
        // `store(payload:)` writes the same layout as the streaming writer, with a true checksum.
        store.store(name: AutomatonCache.fileName(key), key: key, payload: payload, family: "automaton-")
        XCTAssertNil(LiteralAutomaton(keys: keys, reading: store.reader(name: AutomatonCache.fileName(key), key: key)!))

        // The cache falls back to building, and the scan is right.
        let text = Array("Ktor motka arot".utf8)
        XCTAssertEqual(hits(LiteralAutomaton.cached(keys: keys, store: store, minimumBytes: 0), text),
                       hits(LiteralAutomaton(keys: keys), text))
    }
}
