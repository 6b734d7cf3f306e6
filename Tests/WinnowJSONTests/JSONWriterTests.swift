import Foundation
import WinnowJSON
import XCTest

final class JSONWriterTests: XCTestCase {
    /// The escaping rules, one scalar at a time: what the writer's word-at-a-time loop must equal.
    private func reference(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x2028: out += "\\u2028"
            case 0x2029: out += "\\u2029"
            case 0 ..< 0x20, 0x7F: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private func written(_ s: String) -> String {
        var w = JSONWriter()
        w.value(s)
        return w.string
    }

    func testStrings_escapeExactlyTheBytesThatNeedIt() {
        for s in ["", "plain ascii text over eight bytes", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak\r\n",
                  "\u{7F}del", "\u{1}\u{1F}", "sep\u{2028}ara\u{2029}tors", "en dash – and … ellipsis", "«Актобе» ё",
                  "emoji 🎉 e\u{301}", "12345678\"", "1234567\u{2028}", String(repeating: "é", count: 17)] {
            XCTAssertEqual(written(s), reference(s), s)
        }
    }

    func testStrings_randomMixesAgreeWithTheReference() {
        var rng = SystemRandomNumberGenerator()
        let pieces: [String] = ["a", "Z", " ", "\"", "\\", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "Ж", "–", "\u{2028}",
                                "\u{2029}", "\u{2027}", "\u{202A}", "€", "😀", "~", "0"]
        for _ in 0 ..< 2000 {
            let s = (0 ..< Int.random(in: 0 ... 40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            XCTAssertEqual(written(s), reference(s), s.debugDescription)
        }
    }

    func testPreparedKeys_writeAsPlainKeys() {
        var a = JSONWriter(), b = JSONWriter()
        a.object { w in
            w.field(JSONWriter.Key("plain"), 1)
            w.field(JSONWriter.Key("q\"uote"), "x")
            w.field(JSONWriter.Key("none"), nil as String?)
            w.field(JSONWriter.Key("list"), strings: ["a", "b"])
        }
        b.object { w in
            w.field("plain", 1)
            w.field("q\"uote", "x")
            w.field("none", nil as String?)
            w.field("list", strings: ["a", "b"])
        }
        XCTAssertEqual(a.string, b.string)
        XCTAssertEqual(a.string, #"{"plain":1,"q\"uote":"x","none":null,"list":["a","b"]}"#)
    }

    func testNumbersAndNesting() {
        var w = JSONWriter()
        w.object { w in
            w.field("zero", 0)
            w.field("neg", -42)
            w.field("max", Int.max)
            w.field("min", Int.min)
            w.field("whole", 3.0)
            w.field("frac", 0.15)
            w.key("list")
            w.array { w in
                w.value(1)
                w.object { w in w.field("a", "b") }
                w.array { _ in }
                w.null()
            }
            w.field("after", true)
        }
        XCTAssertEqual(w.string, #"{"zero":0,"neg":-42,"max":9223372036854775807,"min":-9223372036854775808,"whole":3,"frac":0.15,"list":[1,{"a":"b"},[],null],"after":true}"#)
        w.reset()
        w.value(1)
        XCTAssertEqual(w.string, "1")
    }
}
