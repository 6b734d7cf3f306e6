import WinnowDiagnostics
import WinnowFormats
import WinnowRules
import WinnowService
import WinnowTestSupport
import XCTest

final class WinnowConfigTests: XCTestCase {
    func testShippedConfig_loadsWithEveryKey() throws {
        let (config, diagnostics) = WinnowConfig.load(path: packageRoot() + "/etc/winnow/winnow.yaml")
        XCTAssertTrue(diagnostics.isEmpty, "\(diagnostics.items)")
        let c = try XCTUnwrap(config)
        XCTAssertEqual(c.inbox, "/var/lib/winnow/inbox")
        XCTAssertEqual(c.alertLevel, .medium)
        XCTAssertEqual(c.summaryInterval, .seconds(900))
        XCTAssertEqual(c.maxBytes, 32 << 20)
        XCTAssertEqual(c.metricsPath, "/var/lib/winnow/metrics.prom")
    }

    func testLoad_readingKeys_setCharsetsJSONKeysAndToolLimits() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", """
            charsets: [CP1251, koi8-r]
            fallback_encoding: x-mac-cyrillic
            json_keys: {title: [headline], body: [lead, story]}
            tool_timeout: 5s
            tool_memory: 256MB
            pdftotext: /opt/poppler/bin/pdftotext
            """)
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertTrue(diagnostics.isEmpty, "\(diagnostics.items)")
        let reading = try XCTUnwrap(config).reading
        XCTAssertEqual(reading.charsets.candidates.map(\.name), ["windows-1251", "koi8-r"])
        XCTAssertEqual(reading.charsets.fallback?.name, "x-mac-cyrillic")
        XCTAssertEqual(reading.json.title, ["headline"])
        XCTAssertEqual(reading.json.body, ["lead", "story"])
        XCTAssertEqual(reading.json.url, JSONKeys().url, "a field left out keeps its default")
        XCTAssertEqual(reading.tools.timeout, .seconds(5))
        XCTAssertEqual(reading.tools.memoryBytes, 256 << 20)
        XCTAssertEqual(reading.tools.pdftotext, "/opt/poppler/bin/pdftotext")
    }

    func testLoad_whenReadingKeysAreWrong_saysWhatIsAllowed() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", """
            charsets: [windows-1215, koi8-r]
            fallback_encoding: cyrilic-win
            json_keys: {titel: [headline], body: []}
            tool_memory: 1MB
            """)
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config)
        let messages = diagnostics.errors.map(\.message)
        XCTAssertTrue(messages.contains { $0.hasPrefix("unknown charset 'windows-1215' (did you mean 'windows-1251'?)") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("unknown charset 'cyrilic-win'") }, "\(messages)")
        XCTAssertTrue(messages.contains("unknown key 'titel' in 'json_keys' (did you mean 'title'?)"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("'json_keys.body' is empty") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("'tool_memory' must be between 256MB and 64GB") }, "\(messages)")
    }

    func testLoad_whenKeyMisspelt_pointsAtItAndSuggests() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "inbox: in\npoll_intervall: 2s\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config, "a bad key never falls back to a default silently")
        let d = try XCTUnwrap(diagnostics.errors.first)
        XCTAssertEqual(d.location, SourceLocation(path: path, line: 2, column: 1))
        XCTAssertEqual(d.message, "unknown key 'poll_intervall' in the configuration (did you mean 'poll_interval'?)")
    }

    func testLoad_whenConfigIsAFIFOOrEndless_reportsItWithoutHanging() throws {
        let dir = TempFolder()
        XCTAssertEqual(mkfifo(dir.path + "/fifo.yaml", 0o644), 0)
        let (fifo, d1) = WinnowConfig.load(path: dir.path + "/fifo.yaml")
        XCTAssertNil(fifo)
        XCTAssertEqual(d1.errors.first?.message, "cannot read config '\(dir.path)/fifo.yaml': is a FIFO (named pipe), not a file")
        let (zero, d2) = WinnowConfig.load(path: "/dev/zero")
        XCTAssertNil(zero)
        XCTAssertEqual(d2.errors.first?.message, "cannot read config '/dev/zero': is a device, not a file")
        let (missing, d3) = WinnowConfig.load(path: dir.path + "/none.yaml")
        XCTAssertNil(missing)
        XCTAssertEqual(d3.errors.first?.message, "cannot read config '\(dir.path)/none.yaml': no such file or folder")
    }

    func testLoad_whenDurationWouldOverflowTheClock_refusesItWithItsRange() throws {
        let dir = TempFolder()
        // 106752 days is Int64.max nanoseconds: added to a clock reading, it trapped the daemon.
        let path = try dir.write("w.yaml", "settle_time: 106752d\npoll_interval: 2h\nsummary_interval: 30d\nduplicate_window: 99999d\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config)
        XCTAssertEqual(diagnostics.errors.map { "\($0.location!.line): \($0.message)" }, [
            "2: 'poll_interval' must be between 10ms and 1h",
            "1: 'settle_time' must be between 0s and 1d",
            "3: 'summary_interval' must be between 1s and 7d",
            "4: 'duplicate_window' must be between 0s and 3650d",
        ])
    }

    func testLoad_whenSummaryRotationIsUnbounded_refusesIt() throws {
        let dir = TempFolder()
        // Each rotation renames every kept file: a huge summary_keep spun the CPU at midnight
        // and SIGTERM never completed.
        let path = try dir.write("w.yaml", "summary_keep: 1000000000000000000\nsummary_max_bytes: 10\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config)
        XCTAssertEqual(diagnostics.errors.map(\.message), ["'summary_max_bytes' is between 1KB and 1TB", "'summary_keep' is between 0 and 1000"])
    }

    func testLoad_whenAFolderIsEmptyOrFoldersOverlap_refusesIt() throws {
        let dir = TempFolder()
        func errors(_ text: String) throws -> [String] {
            let (config, diagnostics) = WinnowConfig.load(path: try dir.write("w.yaml", text))
            XCTAssertEqual(config == nil, diagnostics.hasErrors)
            return diagnostics.errors.map { "\($0.location.map { "\($0.line):\($0.column)" } ?? "-") \($0.message.replacingOccurrences(of: dir.path, with: "D"))" }
        }
        XCTAssertEqual(try errors("inbox: \"\"\nstate: s\n"), ["1:8 'inbox' must name a folder"],
                       "an empty path meant the config's own folder: the daemon took its config as a document")
        XCTAssertEqual(try errors("inbox: s\nstate: s\n"),
                       ["1:1 the inbox 'D/s' overlaps the state folder 'D/s'; the daemon would take its own files as documents. Use a folder of its own, such as 'D/s/inbox'"])
        XCTAssertEqual(try errors("inbox: s/processed/x\nstate: s\n").count, 1)
        XCTAssertEqual(try errors("inbox: in\nstate: in/s\nrecursive: true\n").count, 1, "a recursive inbox would walk into the state folder")
        XCTAssertEqual(try errors("inbox: s/inbox\nstate: s\n"), [], "the installed layout: /var/lib/winnow/inbox beside work/")
        XCTAssertEqual(try errors("inbox: in\nstate: s\nrules: in\n").count, 1)
        XCTAssertEqual(try errors("inbox: rules/in\nstate: s\nrules: rules\n"),
                       ["3:1 the rules folder 'D/rules' and the inbox 'D/rules/in' overlap; the daemon would take its rules as documents, or reload on every drop. Give each its own folder"])
        for target in ["alerts.jsonl", "journal.tsv", "winnow.lock", "work/m.prom", "../in/m.prom"] {
            XCTAssertEqual(try errors("inbox: in\nstate: s\nmetrics_file: \(target)\n").count, 1, target)
        }
        XCTAssertEqual(try errors("inbox: in\nstate: s\nmetrics_file: metrics.prom\n"), [])
        XCTAssertEqual(try errors("inbox: ./in/\nstate: ./s\nrules: ../elsewhere/rules\n"), [], "separate folders, however written")
    }

    func testLoad_whenStateFolderIsInsideTheRulesFolder_refusesIt() throws {
        let dir = TempFolder()
        // status.json, rewritten every second, would change the rules' fingerprint every poll.
        let (config, diagnostics) = WinnowConfig.load(path: try dir.write("w.yaml", "rules: r\nstate: r/state\ninbox: in\n"))
        XCTAssertNil(config)
        XCTAssertEqual(diagnostics.errors.first?.location?.line, 2)
    }

    func testLoad_forCheckAndClassify_ignoresTheDefaultInboxInsideTheRulesFolder() throws {
        // `winnow check --rules .` with no config: the embedded default inbox (./winnow-data/inbox)
        // lies inside the rules folder, but check, test and classify never use an inbox.
        let here = FileManager.default.currentDirectoryPath
        let (forTools, toolDiagnostics) = WinnowConfig.load(path: nil, rules: here, inbox: nil, state: nil, checkingFolders: false)
        XCTAssertNotNil(forTools, "\(toolDiagnostics.items)")
        let (forRun, _) = WinnowConfig.load(path: nil, rules: here, inbox: nil, state: nil)
        XCTAssertNil(forRun, "winnow run would take its rules as documents")
    }

    func testLoad_whenCommandLineMakesFoldersOverlap_refusesItWithoutAPosition() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "inbox: in\nstate: s\n")
        let (config, diagnostics) = WinnowConfig.load(path: path, rules: nil, inbox: dir.path + "/s/work", state: nil)
        XCTAssertNil(config)
        XCTAssertNil(diagnostics.errors.first?.location, "the overlap comes from --inbox, not from the file's line 1")
        XCTAssertEqual(diagnostics.errors.count, 1)
    }

    func testLoad_whenValuesMalformed_reportsEach() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "alert_level: hihg\nmax_bytes: lots\npoll_interval: 1ms\nduplicates: maybe\nlog_level: loud\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertNil(config)
        let sorted = Diagnostics(diagnostics.errors).sorted
        XCTAssertEqual(sorted.map { $0.location?.line }, [1, 2, 3, 4, 5])
        XCTAssertTrue(sorted[0].message.contains("did you mean 'high'?"), sorted[0].message)
    }

    func testLoad_workers_zeroMeansEveryCoreAndOutOfRangeIsRefused() throws {
        let dir = TempFolder()
        XCTAssertNil(WinnowConfig.load(path: try dir.write("a.yaml", "workers: 0\n")).0?.workers)
        XCTAssertEqual(WinnowConfig.load(path: try dir.write("b.yaml", "workers: 3\n")).0?.workers, 3)
        let (config, diagnostics) = WinnowConfig.load(path: try dir.write("c.yaml", "workers: 1000\n"))
        XCTAssertNil(config)
        XCTAssertTrue(diagnostics.errors.first?.message.contains("'workers' is between 1 and 256") ?? false, "\(diagnostics.items)")
    }

    func testLoad_evidencePerMatcher_isBetweenOneAndAHundred() throws {
        let dir = TempFolder()
        XCTAssertEqual(WinnowConfig.load(path: try dir.write("a.yaml", "evidence_per_matcher: 1\n")).0?.evidencePerMatcher, 1)
        XCTAssertEqual(WinnowConfig.load(path: try dir.write("b.yaml", "")).0?.evidencePerMatcher, 5)
        let (config, diagnostics) = WinnowConfig.load(path: try dir.write("c.yaml", "evidence_per_matcher: 0\n"))
        XCTAssertNil(config)
        XCTAssertTrue(diagnostics.errors.first?.message.contains("between 1 and 100") ?? false, "\(diagnostics.items)")
    }

    func testLoad_whenNamesFromAClosedSetAreCapitalised_acceptsThemAsAlertLevelAlwaysWas() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "alert_level: HIGH\nlog_level: Debug\nduplicates: Alert\nfallback_encoding: NONE\nmetrics_file: None\n")
        let (config, diagnostics) = WinnowConfig.load(path: path)
        XCTAssertEqual(diagnostics.errors.map(\.message), [])
        XCTAssertEqual(config?.logLevel, "debug")
        XCTAssertEqual(config?.duplicates, "alert")
        XCTAssertNil(config?.metricsPath)
    }

    func testLoad_whenMetricsFileIsEmpty_saysHowToTurnMetricsOff() throws {
        let dir = TempFolder()
        let (config, diagnostics) = WinnowConfig.load(path: try dir.write("w.yaml", "metrics_file: ''\n"))
        XCTAssertNil(config)
        XCTAssertEqual(diagnostics.errors.map(\.message), ["'metrics_file' is empty; name a file such as metrics.prom, or none to turn metrics off"])
    }

    func testLoad_resolvesRelativePathsAgainstTheFile() throws {
        let dir = TempFolder()
        let path = try dir.write("etc/w.yaml", "inbox: ../spool/in\nstate: /abs/state\nmetrics_file: none\n")
        let c = try XCTUnwrap(WinnowConfig.load(path: path).0)
        XCTAssertEqual(c.inbox, dir.path + "/etc/../spool/in")
        XCTAssertEqual(c.state, "/abs/state")
        XCTAssertEqual(c.rules, dir.path + "/etc/rules")
        XCTAssertNil(c.metricsPath)
    }

    func testLoad_withoutPath_usesTheEmbeddedDefault() throws {
        let (config, diagnostics) = WinnowConfig.load(path: nil)
        XCTAssertTrue(diagnostics.isEmpty)
        XCTAssertEqual(config?.inbox, "winnow-data/inbox")
        XCTAssertEqual(config?.rules, "rules")
        XCTAssertEqual(config?.origin, "embedded default")
    }

    func testLoad_whenEmpty_takesDefaults() throws {
        let dir = TempFolder()
        let path = try dir.write("w.yaml", "# nothing set\n")
        XCTAssertEqual(WinnowConfig.load(path: path).0?.pollInterval, .seconds(1))
    }
}
