import WinnowText
import XCTest

final class FNV1aTests: XCTestCase {
    /// The published FNV-1a 64-bit test vectors, so every table hashing with it agrees with
    /// the reference.
    func testHash_ofReferenceStrings_matchesThePublishedValues() {
        XCTAssertEqual(FNV1a.hash(Array("".utf8)), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a.hash(Array("a".utf8)), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a.hash(Array("foobar".utf8)), 0x8594_4171_f739_67e8)
        var h = FNV1a()
        for b in "foobar".utf8 { h.add(b) }
        XCTAssertEqual(h.value, FNV1a.hash("foobar".utf8))
    }

    /// A slot is always inside its table, and hashes that differ only in low bits spread.
    func testFibonacciSlot_staysInTheTableAndSpreadsLowBits() {
        for bits in [1, 4, 16, 32, 63] {
            for hash: UInt64 in [0, 1, 2, 0xFFFF, .max, 0x8000_0000_0000_0000] {
                let slot = fibonacciSlot(hash, bits: bits)
                XCTAssertTrue(slot >= 0 && UInt64(slot) < UInt64(1) << UInt64(bits), "hash \(hash) bits \(bits): \(slot)")
            }
        }
        let slots = Set((0 ..< 64 as Range<UInt64>).map { fibonacciSlot($0, bits: 6) })
        XCTAssertGreaterThan(slots.count, 32, "64 consecutive hashes in 64 slots")
    }
}
