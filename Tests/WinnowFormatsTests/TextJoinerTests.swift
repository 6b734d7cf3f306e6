@testable import WinnowFormats
import WinnowText
import XCTest

final class TextJoinerTests: XCTestCase {
    func testTrimmedPiece_mapsItsFirstKeptByteWhereItCameFrom() {
        // "  ab" copied from source offset 10, then "cd  " escaped 3 bytes a character from 20.
        let first = SourceMap(segments: [.init(textStart: 0, fileStart: 10, unit: .bytes)], textCount: 4)
        let second = SourceMap(segments: [.init(textStart: 0, fileStart: 20, unit: .bytes, width: 3)], textCount: 4)
        var j = TextJoiner()
        j.append(Array("  ab".utf8), map: first, trimming: true)
        j.separate(lines: 2, at: 14 ..< 20)
        j.append(Array("cd  ".utf8), map: second, trimming: true)
        j.separate(at: 40 ..< 41)
        let (text, map) = j.finish()
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "ab\n\ncd", "no break ends the text")
        XCTAssertEqual(map.sourceRange(0 ..< 2, text: text), 12 ..< 14)
        XCTAssertEqual(map.sourceRange(2 ..< 4, text: text), 14 ..< 20)
        XCTAssertEqual(map.sourceRange(4 ..< 6, text: text), 20 ..< 26)
    }

    func testRollback_forgetsTextAndThePendingBreak() {
        var j = TextJoiner()
        j.append(Array("one".utf8), for: 0 ..< 3)
        let c = j.checkpoint()
        j.separate(at: 3 ..< 4)
        j.append(Array("two".utf8), for: 4 ..< 7)
        j.rollback(to: c)
        j.append(Array(" three".utf8), for: 8 ..< 14)
        let (text, map) = j.finish()
        XCTAssertEqual(String(decoding: text, as: UTF8.self), "one three")
        XCTAssertEqual(map.sourceRange(3 ..< 9, text: text), 8 ..< 14)
    }
}
