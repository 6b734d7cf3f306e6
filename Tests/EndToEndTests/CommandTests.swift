import Foundation
import WinnowTestSupport
import XCTest

/// `winnow check`, `classify` and `test` as an analyst runs them.
final class CommandTests: XCTestCase {
    let rules = packageRoot() + "/rules"

    func testCheck_whenShippedRules_passes() throws {
        let r = try runWinnow(["check", "--rules", rules])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("ok:"), r.stdout)
    }

    func testCheck_whenKeyMisspelt_printsPositionAndSuggestion() throws {
        let dir = TempFolder()
        try dir.write("rules/x.yaml", """
        pack: x
        rules:
          - id: x.one
            title: One
            level: low
            match:
              a: {words: [extremist*]}
            condtion: a
        """)
        let r = try runWinnow(["check", "--rules", dir.path + "/rules"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("rules/x.yaml:8:5: error: unknown key 'condtion' in a rule (did you mean 'condition'?) [unknown-key]"), r.stdout)
    }

    func testCheck_whenYAMLBroken_printsPosition() throws {
        let dir = TempFolder()
        try dir.write("rules/x.yaml", "pack: x\nrules:\n  - id: x.one\n    title: [unclosed\n")
        let r = try runWinnow(["check", "--rules", dir.path + "/rules"])
        XCTAssertEqual(r.status, 1)
        XCTAssertNotNil(r.stdout.range(of: #"rules/x\.yaml:\d+:\d+: error: invalid YAML"#, options: .regularExpression), r.stdout)
    }

    func testCheck_whenJSONFormat_printsOneObjectPerDiagnostic() throws {
        let dir = TempFolder()
        try dir.write("rules/x.yaml", "pack: x\nrulez: []\n")
        let r = try runWinnow(["check", "--rules", dir.path + "/rules", "--format", "json"])
        XCTAssertEqual(r.status, 1)
        let first = try XCTUnwrap(r.stdout.split(separator: "\n").first)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        XCTAssertEqual(object["code"] as? String, "unknown-key")
        XCTAssertEqual(object["line"] as? Int, 2)
        XCTAssertEqual(object["column"] as? Int, 1)
    }

    func testCheck_whenGazetteerHasAMalformedRow_warnsEveryRunAndPasses() throws {
        let dir = TempFolder()
        try dir.write("rules/places.yaml", "pack: places\ngazetteer:\n  places: cities.txt\n")
        let columns = ["P", "PPL", "KZ", "", "04", "", "", "", "500757", "", "", "Asia/Almaty", ""]
        try dir.write("rules/cities.txt", (["610611", "Aktobe", "Aktobe", "", "50.27969", "57.20718"] + columns).joined(separator: "\t") + "\n"
            + (["4294967296", "Aktau", "Aktau", "", "43.65", "51.2"] + columns).joined(separator: "\t") + "\n")
        let cache = TempFolder()
        // The second run reads the built gazetteer from the cache, and must still say what it skipped.
        for run in 1 ... 2 {
            let p = WinnowProcess(["check", "--rules", dir.path + "/rules"], environment: ["WINNOW_CACHE_DIR": cache.path])
            try p.start()
            let r = p.wait()
            XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
            XCTAssertTrue(r.stdout.contains("rules/cities.txt:2:1: warning: skipped 1 malformed row (geonameid '4294967296' is not a number from 1 to 4294967295) [bad-geonames-row]"),
                          "run \(run): \(r.stdout)")
            XCTAssertTrue(r.stdout.contains("1 warning(s)"), "run \(run): \(r.stdout)")
        }
        XCTAssertFalse(cache.list("").isEmpty)
    }

    func testClassify_whenJSON_printsDocumentTagsAndEvidence() throws {
        let dir = TempFolder()
        let text = "Gunmen from an extremist group stormed the base.\n"
        let file = try dir.write("doc.txt", text)
        let r = try runWinnow(["classify", "--rules", rules, "--format", "json", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let document = try XCTUnwrap(object["document"] as? [String: Any])
        XCTAssertEqual(document["name"] as? String, "doc.txt")
        XCTAssertEqual(document["bytes"] as? Int, text.utf8.count)
        XCTAssertNil(document["path"], "classify writes no path; alerts do")
        XCTAssertNil(object["time"])
        XCTAssertEqual(object["tags"] as? [String], ["extremism", "extremism/violence"])
        XCTAssertEqual((object["places"] as? [Any])?.count, 0)
    }

    func testClassify_whenADocumentNamesHundredsOfPlacesAndALongMatch_keepsTheAlertBounded() throws {
        let dir = TempFolder()
        let cities = try String(contentsOfFile: rules + "/geonames/cities.txt", encoding: .utf8)
        // The world's largest cities (population is the 15th column).
        var largest: [String] = []
        for line in cities.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count > 14, Int(fields[14]) ?? 0 > 2_000_000, fields[1].allSatisfy(\.isLetter) { largest.append(String(fields[1])) }
        }
        XCTAssertGreaterThan(largest.count, 120)
        let text = "Gunmen from an extremist group stormed the base.\n\n" + largest.joined(separator: ", ") + ".\n"
        let file = try dir.write("doc.txt", text)
        let r = try runWinnow(["classify", "--rules", rules, "--format", "json", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertLessThan(r.stdout.utf8.count, 100_000, "an alert of readable size")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let places = try XCTUnwrap(object["places"] as? [[String: Any]])
        let mentioned = try XCTUnwrap(object["mentioned"] as? [[String: Any]])
        XCTAssertLessThanOrEqual(places.count, 50)
        XCTAssertLessThanOrEqual(mentioned.count, 50)
        let placesOmitted: Int = object["places_omitted"] as? Int ?? 0
        let mentionedOmitted: Int = object["mentioned_omitted"] as? Int ?? 0
        let omitted = placesOmitted + mentionedOmitted
        XCTAssertGreaterThanOrEqual(places.count + mentioned.count + omitted, 120, "what was left out is counted")
        XCTAssertGreaterThan(omitted, 0)
        let countries = Set(places.compactMap { $0["country"] as? String })
        let placeTags = (object["tags"] as? [String] ?? []).filter { $0.hasPrefix("place:") && !$0.dropFirst(6).contains("/") }
        XCTAssertEqual(Set(placeTags.map { String($0.dropFirst(6)) }), countries, "place tags are those of the places written")

        try dir.write("rules/long.yaml", """
        pack: long
        rules:
          - {id: long.run, title: t, level: high, match: {a: {regex: ['Ж{600}']}}}
        """)
        let long = try dir.write("long.txt", "a " + String(repeating: "Ж", count: 700) + "\n")
        let l = try runWinnow(["classify", "--rules", dir.path + "/rules", "--format", "json", long])
        let alert = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(l.stdout.utf8)) as? [String: Any], l.stderr)
        let evidence = try XCTUnwrap(((alert["rules"] as? [[String: Any]])?.first?["evidence"] as? [[String: Any]])?.first)
        let cut = try XCTUnwrap(evidence["text"] as? String)
        XCTAssertEqual(cut, String(repeating: "Ж", count: 250) + "…", "cut at a character boundary")
        XCTAssertEqual(evidence["end"] as? Int, 2 + 1200, "the offsets keep the whole match")
    }

    func testClassify_whenHTMLSplitsWordsWithTagsAndReferences_wordsAndRegexesReadTheText() throws {
        let dir = TempFolder()
        try dir.write("rules/h.yaml", """
        pack: h
        rules:
          - {id: h.words, title: t, level: high, match: {a: {words: [aktobe, crepe, bravo, alpha]}}}
          - {id: h.regex, title: t, level: high, match: {a: {regex: ['\\bAT&T\\b']}}}
        """)
        let html = "<html><body><p>In <b>Ak</b>tobe, Cr&ecirc;pe < 5; bravo. <a href=x>alpha</a>bet AT&amp;T</p></body></html>"
        let file = try dir.write("page.html", html)
        let r = try runWinnow(["classify", "--rules", dir.path + "/rules", "--format", "json", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let rules = try XCTUnwrap(object["rules"] as? [[String: Any]])
        let evidence = Dictionary(uniqueKeysWithValues: rules.map { rule in
            (rule["id"] as? String ?? "", (rule["evidence"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" })
        })
        XCTAssertEqual(evidence["h.words"], ["Aktobe", "Crêpe", "bravo"])
        XCTAssertEqual(evidence["h.regex"], ["AT&T"])
        let at = try XCTUnwrap((rules.first { $0["id"] as? String == "h.regex" }?["evidence"] as? [[String: Any]])?.first)
        let bytes = Array(html.utf8)
        XCTAssertEqual(String(decoding: bytes[(at["start"] as? Int ?? 0) ..< (at["end"] as? Int ?? 0)], as: UTF8.self), "AT&amp;T")
    }

    func testClassify_whenTextFormat_escapesControlCharactersFromTheDocument() throws {
        let dir = TempFolder()
        let file = try dir.write("doc\u{1b}[2J.txt", "Gunmen \u{1}\u{1b}[31m from an extremist group stormed the base.\n")
        let r = try runWinnow(["classify", "--rules", rules, "--format", "text", file])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(r.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "no control character reaches the terminal: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("doc\\u{1b}[2J.txt: HIGH"), r.stdout)
        XCTAssertTrue(r.stdout.contains("title: Gunmen \\u{1}\\u{1b}[31m from"), r.stdout)
    }

    func testClassify_whenFileIsBinary_reportsItAndExitsOne() throws {
        let dir = TempFolder()
        let file = try dir.write("blob.bin", Data([0, 1, 2, 3]))
        let r = try runWinnow(["classify", "--rules", rules, file])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("binary"), r.stderr)
    }

    /// Files of very different sizes on four threads: reports come out in the order given,
    /// the same as on one thread, and a bad file's problem still reaches stderr.
    func testClassify_onSeveralThreads_printsReportsInTheOrderGiven() throws {
        let dir = TempFolder()
        var names: [String] = []
        for i in 0 ..< 40 {
            let name = String(format: "doc%02d.txt", i)
            // Every seventh document is large, so later small ones finish first.
            let body = i % 7 == 0 ? String(repeating: "Police detained a smuggler at the border. ", count: 3_000)
                                  : "Extremists opened fire on a checkpoint, document \(i).\n"
            try dir.write("docs/" + name, body)
            names.append(name)
        }
        try dir.write("docs/doc07.txt", Data([0x00, 0x01, 0x02]))
        let one = try runWinnow(["classify", "--rules", rules, "-j", "1", dir.path + "/docs"])
        let four = try runWinnow(["classify", "--rules", rules, "--jobs", "4", dir.path + "/docs"])
        XCTAssertEqual(four.status, 1, "one file is binary")
        XCTAssertEqual(four.stdout, one.stdout)
        let printed = four.stdout.split(separator: "\n").compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["document"] as? [String: Any])?["name"] as? String
        }
        XCTAssertEqual(printed, names.filter { $0 != "doc07.txt" })
        XCTAssertTrue(four.stderr.contains("doc07.txt"), four.stderr)
    }

    func testClassify_withEvidencePerMatcherOne_quotesOneHitPerMatcherAndCountsThemAll() throws {
        let dir = TempFolder()
        let doc = try dir.write("d.txt", "Extremists attacked. Extremists fled. Extremists were arrested. Extremists again.\n")
        let config = try dir.write("w.yaml", "evidence_per_matcher: 1\n")
        let r = try runWinnow(["classify", "--config", config, "--rules", rules, doc])
        XCTAssertEqual(r.status, 0, r.stderr)
        let alert = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let fired = try XCTUnwrap(alert["rules"] as? [[String: Any]])
        XCTAssertFalse(fired.isEmpty)
        for rule in fired {
            let evidence = rule["evidence"] as? [[String: Any]] ?? []
            let perMatcher = Dictionary(grouping: evidence) { $0["matcher"] as? String ?? "" }
            XCTAssertTrue(perMatcher.values.allSatisfy { $0.count == 1 }, "\(evidence)")
        }
        let counts = fired.compactMap { $0["hits"] as? [String: Int] }.flatMap(\.values)
        XCTAssertTrue(counts.contains { $0 >= 4 }, "hit counts still count every hit: \(fired)")
    }

    func testClassify_withFilesFrom_readsThePathsListed() throws {
        let dir = TempFolder()
        try dir.write("a.txt", "Extremists opened fire on a checkpoint.\n")
        try dir.write("b.txt", "A quiet day at the market.\n")
        try dir.write("list", "\(dir.path)/b.txt\n\n\(dir.path)/a.txt\n")
        let r = try runWinnow(["classify", "--rules", rules, "--files-from", dir.path + "/list"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let printed = r.stdout.split(separator: "\n").compactMap { line -> String? in
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (object?["document"] as? [String: Any])?["name"] as? String
        }
        XCTAssertEqual(printed, ["b.txt", "a.txt"])
        let none = try runWinnow(["classify", "--rules", rules])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("--files-from"), none.stderr)
    }

    func testTest_whenExampleFails_printsRuleLineAndCounts() throws {
        let dir = TempFolder()
        try dir.write("rules/x.yaml", """
        pack: x
        rules:
          - id: x.one
            title: One
            level: low
            match:
              a: {words: [extremist*]}
            examples:
              match: ["an extremist", "nothing here"]
              no-match: ["extremely calm"]
        """)
        let r = try runWinnow(["test", "--rules", dir.path + "/rules"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("rules/x.yaml:9:31: error: rule 'x.one' should fire on this example, but did not"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("2 passed, 1 failed\n"), r.stdout)
    }

    func testTest_whenARuleIsParked_countsItAsNotRunInTheSummary() throws {
        let dir = TempFolder()
        try dir.write("rules/x.yaml", """
        pack: x
        rules:
          - id: x.on
            title: On
            level: low
            match: {a: [alpha]}
            examples: {match: ["alpha"]}
          - id: x.off
            title: Off
            level: low
            enabled: false
            match: {a: [alpha]}
            examples: {match: ["not run"], no-match: ["alpha"]}
        """)
        let r = try runWinnow(["test", "--rules", dir.path + "/rules"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("1 passed, 0 failed, 1 parked rule(s) not run\n"), r.stdout)
        let check = try runWinnow(["check", "--rules", dir.path + "/rules"])
        XCTAssertTrue(check.stdout.contains("ok: 1 packs, 1 rules (1 parked, examples not run), 1 examples pass"), check.stdout)
    }
}

