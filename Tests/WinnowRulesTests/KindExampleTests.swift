import Foundation
import WinnowEngine
import WinnowRules
import WinnowTestSupport
import WinnowFormats
import WinnowText
import XCTest

/// Runs every matcher kind's own examples, then runs them again mutated (Cyrillic and emoji
/// prepended, wrapped in a paragraph) to prove offsets and word boundaries, as SwiftLint does.
final class KindExampleTests: XCTestCase {
    /// The text without «» markers and the byte ranges the markers enclosed.
    static func markers(_ marked: String) -> (String, [Range<Int>]) {
        var clean: [UInt8] = []
        var ranges: [Range<Int>] = []
        var open: Int?
        for scalar in marked.unicodeScalars {
            if scalar == "«" { open = clean.count; continue }
            if scalar == "»", let o = open { ranges.append(o ..< clean.count); open = nil; continue }
            clean += Array(String(scalar).utf8)
        }
        return (String(decoding: clean, as: UTF8.self), ranges)
    }

    static func ruleset(matcher yaml: String) throws -> Ruleset {
        // A fresh folder per example; the gazetteer is cached across them.
        let dir = TempFolder()
        let pack = """
        pack: k
        rules:
          - id: k.rule
            title: kind example
            level: high
            match:
              m: \(yaml)
        """
        let path = try dir.write("k.yaml", pack)
        // The project's fixture gazetteer, for `places` examples.
        let fixtures = packageRoot() + "/Tests/WinnowGazetteerTests/Fixtures"
        let locations = try String(contentsOfFile: fixtures + "/locations.yaml", encoding: .utf8)
            .replacingOccurrences(of: ": cities.txt", with: ": \(fixtures)/cities.txt")
            .replacingOccurrences(of: ": countryInfo.txt", with: ": \(fixtures)/countryInfo.txt")
            .replacingOccurrences(of: ": admin1CodesASCII.txt", with: ": \(fixtures)/admin1CodesASCII.txt")
            .replacingOccurrences(of: ": admin1Extra.tsv", with: ": \(fixtures)/admin1Extra.tsv")
            .replacingOccurrences(of: "file: common-words.txt", with: "file: \(fixtures)/common-words.txt")
        let gazetteer = try dir.write("locations.yaml", locations)
        let (ruleset, diagnostics) = RulesetCompiler.compile(files: [path, gazetteer])
        return try XCTUnwrap(ruleset, "example matcher does not compile: \(diagnostics.items)")
    }

    static let mutations: [(String, @Sendable (String) -> String)] = [
        ("as written", { $0 }),
        ("after Cyrillic and emoji", { "Привет 😀 мир 👩‍👩‍👧. " + $0 }),
        ("inside a paragraph", { "Reports from the region said:\n\n" + $0 + "\n\nMore follows (ends)." }),
    ]

    func testEveryKindExample_underEveryMutation() throws {
        for kind in matcherKinds {
            for example in kind.examples {
                let ruleset = try Self.ruleset(matcher: example.yaml)
                for (mutation, mutate) in Self.mutations {
                    let (text, expected) = Self.markers(mutate(example.text))
                    let c = ruleset.classify(Document(string: text))
                    let label = "\(kind.name) \(example.yaml) on \(text.debugDescription) (\(mutation))"
                    XCTAssertEqual(!c.rules.isEmpty, example.shouldMatch, label)
                    guard example.shouldMatch, let fired = c.rules.first else { continue }
                    // Metadata hits (fields) have no place in the text and no markers.
                    let got = fired.evidence.filter { $0.end > $0.start }.map { $0.start ..< $0.end }
                    XCTAssertEqual(got, expected, label)
                }
            }
        }
    }

    func testRegistry_namesUniqueExamplesBothWaysAndDocumented() throws {
        let names = matcherKinds.map { $0.name }
        XCTAssertEqual(names, names.sorted(), "registry is sorted by name")
        XCTAssertEqual(Set(names).count, names.count)
        let docs = (try? String(contentsOfFile: packageRoot() + "/docs/rules.md", encoding: .utf8)) ?? ""
        for kind in matcherKinds {
            XCTAssertTrue(kind.examples.contains { $0.shouldMatch }, "\(kind.name) needs a match example")
            XCTAssertTrue(kind.examples.contains { !$0.shouldMatch }, "\(kind.name) needs a no-match example")
            XCTAssertTrue(docs.contains("### `\(kind.name)`"), "docs/rules.md needs a section for \(kind.name)")
        }
    }
}
