import WinnowFormats
@testable import WinnowFuzzing
import WinnowTestSupport
import XCTest

/// Every seed in `Fuzz/corpus/<target>/` and every input that once crashed, hung or ran out of
/// memory in `Fuzz/regressions/<target>/`, run through the same entry points as `make fuzz`,
/// without sanitizers: a crash fixture is a regression test of the ordinary suite.
final class FuzzRegressionTests: XCTestCase {
    let fuzzFolder = packageRoot() + "/Fuzz"

    func testEveryTarget_hasSeeds_andEveryFolderNamesATarget() {
        let inputs = FuzzInputs.all(in: fuzzFolder)
        for target in FuzzTarget.allCases {
            XCTAssertTrue(inputs.contains { $0.target == target.rawValue && $0.path.contains("/corpus/") },
                          "Fuzz/corpus/\(target.rawValue)/ has no seed")
        }
        for (target, path) in inputs where FuzzTarget(rawValue: target) == nil {
            XCTFail("\(path): '\(target)' is not a fuzz target")
        }
    }

    func testEverySeedAndRegressionInput_runsWithoutFailure() throws {
        let inputs = FuzzInputs.all(in: fuzzFolder)
        XCTAssertGreaterThan(inputs.count, FuzzTarget.allCases.count)
        for (name, path) in inputs {
            guard let target = FuzzTarget(rawValue: name) else { continue }
            let input = try XCTUnwrap(FuzzInputs.read(path), "cannot read \(path)")
            XCTAssertLessThanOrEqual(input.count, target.maxInputBytes, "\(path) is longer than the fuzzer's -max_len")
            do {
                try target.run(input)
            } catch {
                XCTFail("\(path): \(error)")
            }
        }
    }
}

/// The harness itself: inputs that are meant to reach deep code must get there.
final class FuzzHarnessTests: XCTestCase {
    /// A bundle of parts becomes a ZIP that libarchive accepts, so mutations reach the XML.
    func testOfficeBundleSeeds_areReadAsDocuments() throws {
        let folder = packageRoot() + "/Fuzz/corpus/office"
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".parts") }
        XCTAssertFalse(seeds.isEmpty)
        for name in seeds {
            let input = try XCTUnwrap(FuzzInputs.read(folder + "/" + name))
            let zip = ZipWriter.archive(FileBundle(input, firstName: "word/document.xml").files)
            let document = try OfficeText.extract(zip)
            XCTAssertGreaterThan(document.text.count, 50, name)
        }
    }

    /// Bundle names may hold folders and `..`; written to disk, they stay inside the folder.
    func testBundleNames_staySafeOnDisk() {
        let bundle = FileBundle(Array("a: 1\n# --- file: ../../etc/evil\nx\n# --- file: ..\ny\n".utf8), firstName: "fuzz.yaml")
        XCTAssertEqual(bundle.files.map(\.name), ["fuzz.yaml", "../../etc/evil", ".."])
        XCTAssertEqual(bundle.files.map { FileBundle.safeName($0.name) }, ["fuzz.yaml", "....etcevil", "unnamed"])
    }
}
