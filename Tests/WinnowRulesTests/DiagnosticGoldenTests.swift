import Foundation
import WinnowDiagnostics
import WinnowEngine
import WinnowRules
import WinnowTestSupport
import XCTest

/// Each `Diagnostics/NNN-name.yaml` (a rules folder of one pack, or several packs separated by
/// `# --- file: name.yaml` lines) must produce exactly `NNN-name.expected`.
/// `WINNOW_UPDATE_GOLDEN=1 swift test` rewrites the expected files.
final class DiagnosticGoldenTests: XCTestCase {
    func testGoldenDiagnostics() throws {
        let folder = packageRoot() + "/Tests/WinnowRulesTests/Diagnostics"
        let cases = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThan(cases.count, 10)
        let update = ProcessInfo.processInfo.environment["WINNOW_UPDATE_GOLDEN"] == "1"
        for name in cases {
            let source = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let dir = TempFolder()
            // Split into files; paths in the output are relative to the temp folder.
            var files: [(String, String)] = []
            var current = (name, "")
            for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("# --- file: ") {
                    if !current.1.isEmpty { files.append(current) }
                    current = (String(line.dropFirst("# --- file: ".count)), "")
                } else {
                    current.1 += line + "\n"
                }
            }
            files.append(current)
            for (file, text) in files { try dir.write("rules/" + file, text) }
            let (_, diagnostics) = RulesetLoader.load(folder: dir.path + "/rules")
            var renderer = TextRenderer()
            let rendered = renderer.render(diagnostics.sorted).replacingOccurrences(of: dir.path + "/", with: "")
            let expectedPath = folder + "/" + name.replacingOccurrences(of: ".yaml", with: ".expected")
            if update {
                try rendered.write(toFile: expectedPath, atomically: true, encoding: .utf8)
                continue
            }
            let expected = (try? String(contentsOfFile: expectedPath, encoding: .utf8)) ?? "(missing \(expectedPath))"
            XCTAssertEqual(rendered, expected, name)
        }
    }
}
