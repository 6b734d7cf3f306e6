import WinnowDiagnostics
import WinnowYAML
import XCTest

final class YAMLParserTests: XCTestCase {
    private func parseError(_ text: String, limits: YAMLLimits = .default) -> Diagnostic? {
        do {
            _ = try YAMLParser.parse(text, path: "p.yaml", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    func testParse_whenValid_keepsPositionsOfEveryNode() throws {
        let root = try XCTUnwrap(try YAMLParser.parse("a: 1\nb:\n  - x\n  - 'y'\n", path: "p.yaml"))
        XCTAssertEqual(root.location, SourceLocation(path: "p.yaml", line: 1, column: 1))
        let b = try XCTUnwrap(root["b"]?.sequence)
        XCTAssertEqual(b[1].location.line, 4)
        XCTAssertEqual(b[1].location.column, 5)
        XCTAssertEqual(b[1].scalar?.style, .singleQuoted)
        XCTAssertEqual(root["a"]?.scalar?.value, "1")
    }

    func testParse_whenColumnsFollowMultibyteText_countsScalars() throws {
        let root = try XCTUnwrap(try YAMLParser.parse("ключ: [ақтөбе, x]\n", path: "p.yaml"))
        let items = try XCTUnwrap(root["ключ"]?.sequence)
        XCTAssertEqual(items[1].location.column, 16)
    }

    func testParse_whenEmpty_returnsNil() throws {
        XCTAssertNil(try YAMLParser.parse("# only a comment\n", path: "p.yaml"))
    }

    func testParse_whenSyntaxError_reportsLineAndColumn() throws {
        let d = try XCTUnwrap(parseError("a: 1\nb: [x, y\nc: 2\n"))
        XCTAssertEqual(d.code, .yamlSyntax)
        XCTAssertEqual(d.location?.line, 3)
        XCTAssertTrue(d.message.hasPrefix("invalid YAML:"), d.message)
    }

    func testParse_whenValueHoldsColonSpace_explainsQuoting() throws {
        let d = try XCTUnwrap(parseError("title: Note: this breaks\n"))
        XCTAssertEqual(d.location, SourceLocation(path: "p.yaml", line: 1, column: 12))
        XCTAssertTrue(d.message.contains("needs quotes"), d.message)
    }

    func testParse_whenTabIndents_saysToUseSpaces() throws {
        let d = try XCTUnwrap(parseError("a:\n\t- x\n"))
        XCTAssertEqual(d.location?.line, 2)
        XCTAssertTrue(d.message.contains("spaces"), d.message)
    }

    func testParse_whenKeyRepeated_pointsAtSecondAndNotesFirst() throws {
        let d = try XCTUnwrap(parseError("a: 1\nb: 2\na: 3\n"))
        XCTAssertEqual(d.code, .duplicateKey)
        XCTAssertEqual(d.location, SourceLocation(path: "p.yaml", line: 3, column: 1))
        XCTAssertEqual(d.message, "key 'a' appears twice in this mapping")
        XCTAssertEqual(d.notes.first?.location, SourceLocation(path: "p.yaml", line: 1, column: 1))
    }

    func testParse_whenNestedTooDeep_stopsAtLimit() throws {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let d = try XCTUnwrap(parseError(deep, limits: YAMLLimits(maxDepth: 64)))
        XCTAssertEqual(d.code, .yamlLimit)
        XCTAssertEqual(d.location?.column, 65)
    }

    func testParse_whenAliasesExpandExponentially_stopsAtNodeLimit() throws {
        var lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
        for i in 1...8 {
            let prev = i == 1 ? "a" : "l\(i - 1)"
            lines.append("l\(i): &l\(i) [*\(prev), *\(prev), *\(prev), *\(prev), *\(prev), *\(prev), *\(prev), *\(prev), *\(prev), *\(prev)]")
        }
        let d = try XCTUnwrap(parseError(lines.joined(separator: "\n"), limits: YAMLLimits(maxNodes: 100_000)))
        XCTAssertEqual(d.code, .yamlLimit)
        XCTAssertTrue(d.message.contains("after expanding aliases"), d.message)
    }

    func testParse_whenAliasUndefined_saysSo() throws {
        let d = try XCTUnwrap(parseError("a: *nowhere\n"))
        XCTAssertEqual(d.location, SourceLocation(path: "p.yaml", line: 1, column: 4))
    }

    func testParse_whenFileTooLarge_refusesBeforeParsing() throws {
        let d = try XCTUnwrap(parseError(String(repeating: "a", count: 200), limits: YAMLLimits(maxBytes: 100)))
        XCTAssertEqual(d.code, .fileTooLarge)
    }

    func testParse_whenTwoDocuments_refusesTheSecond() throws {
        let d = try XCTUnwrap(parseError("a: 1\n---\nb: 2\n"))
        XCTAssertEqual(d.location?.line, 2)
        XCTAssertTrue(d.message.contains("one YAML document"), d.message)
    }

    func testParse_whenKeyIsAList_rejectsIt() throws {
        let d = try XCTUnwrap(parseError("? [a, b]\n: 1\n"))
        XCTAssertEqual(d.code, .wrongType)
    }
}

final class YAMLDecodingTests: XCTestCase {
    private func node(_ text: String) throws -> YAMLNode {
        try XCTUnwrap(try YAMLParser.parse(text, path: "p.yaml"))
    }

    func testMappingReader_whenKeyMisspelt_suggestsClosestAllowedKey() throws {
        var d = Diagnostics()
        let reader = MappingReader(try node("titel: x\ncondtion: y\n"), what: "a rule", allowed: ["title", "condition"], diagnostics: &d)
        XCTAssertNotNil(reader)
        XCTAssertEqual(d.items.map(\.message), [
            "unknown key 'titel' in a rule (did you mean 'title'?)",
            "unknown key 'condtion' in a rule (did you mean 'condition'?)",
        ])
        XCTAssertEqual(d.items[1].location, SourceLocation(path: "p.yaml", line: 2, column: 1))
        XCTAssertEqual(d.items[1].length, 8)
    }

    func testSuggestion_amongEquallyCloseCandidates_isTheSameInAnyOrder() {
        let codes = ["KZ.14", "KZ.04", "KZ.41", "KZ.24"]
        XCTAssertEqual(suggestion(for: "KZ.4", among: codes), "KZ.04")
        XCTAssertEqual(suggestion(for: "KZ.4", among: codes.reversed()), "KZ.04")
        XCTAssertEqual(suggestion(for: "KZ.4", among: Set(codes)), "KZ.04")
        XCTAssertEqual(suggestion(for: "condtion", among: ["conditions", "condition"]), "condition", "closer still wins")
    }

    func testMappingReader_whenNothingClose_listsAllowedKeys() throws {
        var d = Diagnostics()
        _ = MappingReader(try node("zzz: 1\n"), what: "a pack", allowed: ["pack", "rules"], diagnostics: &d)
        XCTAssertEqual(d.items.first?.message, "unknown key 'zzz' in a pack; expected one of 'pack', 'rules'")
    }

    func testMappingReader_whenKeyBelongsElsewhere_givesTheHint() throws {
        var d = Diagnostics()
        _ = MappingReader(try node("condition: x\n"), what: "a pack", allowed: ["rules"],
                          misplaced: ["condition": "belongs inside a rule"], diagnostics: &d)
        XCTAssertEqual(d.items.first?.message, "'condition' belongs inside a rule")
    }

    func testMappingReader_whenRequiredKeyMisspelt_reportsOnlyTheTypo() throws {
        var d = Diagnostics()
        let r = try XCTUnwrap(MappingReader(try node("levl: high\n"), what: "a rule", allowed: ["level"], diagnostics: &d))
        XCTAssertNil(r.required("level", what: "a rule", diagnostics: &d))
        XCTAssertEqual(d.count, 1)
    }

    func testScalarGetters_whenWrongShape_nameTheKeyAndWhatWasFound() throws {
        var d = Diagnostics()
        let root = try node("a: [1]\nb: yes\nc: 12x\nd: 2q\n")
        XCTAssertNil(root["a"]?.string("a", &d))
        XCTAssertNil(root["b"]?.bool("b", &d))
        XCTAssertNil(root["c"]?.int("c", &d))
        XCTAssertNil(root["d"]?.duration("d", &d))
        XCTAssertEqual(d.items.map(\.message), [
            "'a' should be text, found a list",
            "'b' should be true or false, found 'yes'",
            "'c' should be a whole number, found '12x'",
            "'d' should be a duration such as 500ms, 2s, 15m or 1h, found '2q'",
        ])
        XCTAssertEqual(d.items.map { $0.location?.line }, [1, 2, 3, 4])
    }

    func testDurationsAndSizes_parseCommonUnits() {
        XCTAssertEqual(parseDuration("500ms"), .milliseconds(500))
        XCTAssertEqual(parseDuration("2s"), .seconds(2))
        XCTAssertEqual(parseDuration("15m"), .seconds(900))
        XCTAssertEqual(parseDuration("1.5h"), .seconds(5400))
        XCTAssertEqual(parseDuration("3"), .seconds(3))
        XCTAssertNil(parseDuration("-1s"))
        XCTAssertEqual(parseByteSize("10MB"), 10 << 20)
        XCTAssertEqual(parseByteSize("512KiB"), 512 << 10)
        XCTAssertEqual(parseByteSize("100"), 100)
        XCTAssertNil(parseByteSize("ten"))
    }

    func testDurations_whenTooLargeForMilliseconds_areRefusedNotTrappedOn() {
        XCTAssertNil(parseDuration("1e300s"))
        XCTAssertNil(parseDuration("1e17"))
        XCTAssertNil(parseDuration("1e16d"))
        XCTAssertEqual(parseDuration("100000d"), .seconds(8_640_000_000))
    }
}
