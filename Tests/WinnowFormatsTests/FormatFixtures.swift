import Foundation
import XCTest
@testable import WinnowFormats

/// The fixtures of tools/make-format-fixtures.py, and what the tests around them share.
enum FormatFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/formats").path

    static func bytes(_ name: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
            throw XCTSkip("fixture \(name) is missing; run tools/make-format-fixtures.py")
        }
        return [UInt8](data)
    }

    /// Reads a fixture the way the daemon does (format by content, then name).
    static func read(_ name: String, options: ReadingOptions = ReadingOptions()) throws -> Result<Reading, ReadFailure> {
        let file = try bytes(name)
        do { return .success(try DocumentReader.read(file, name: name, options: options)) } catch { return .failure(error) }
    }

    /// `winnow extract-office`, from the build folder the tests run from.
    static func officeCommand() throws -> [String] {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("winnow").path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) { return [candidate, "extract-office"] }
        }
        throw XCTSkip("the winnow executable is not built")
    }

    static func officeOptions(_ change: (inout ToolOptions) -> Void = { _ in }) throws -> ReadingOptions {
        var tools = ToolOptions()
        tools.officeReader = try officeCommand()
        change(&tools)
        return ReadingOptions(tools: tools)
    }

    static func requirePDFToText() throws {
        guard ToolRunner.resolve("pdftotext") != nil else { throw XCTSkip("pdftotext (poppler-utils) is not installed") }
    }
}

/// A temporary folder with executable shell scripts standing in for tools.
final class FakeTools {
    let path: String

    init() {
        var template = Array("/tmp/winnow-tools-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template.withUnsafeBufferPointer { $0.baseAddress! })
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `/bin/sh` script `body` as `name`, executable; returns its path.
    func script(_ name: String, _ body: String, executable: Bool = true) throws -> String {
        let full = path + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: full, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: full)
        return full
    }
}

/// The evidence contract for text offsets: a phrase found in the text maps to text bytes that
/// are the phrase.
func assertEvidence(_ phrase: String, in doc: ExtractedText, file: StaticString = #filePath, line: UInt = #line) {
    let needle = Array(phrase.utf8)
    guard let r = doc.text.firstRange(of: needle) else {
        return XCTFail("'\(phrase)' not in text: \(String(decoding: doc.text, as: UTF8.self))", file: file, line: line)
    }
    XCTAssertEqual(doc.offsets, .text, file: file, line: line)
    let source = doc.map.sourceRange(r, text: doc.text)
    XCTAssertEqual(source, r, file: file, line: line)
    XCTAssertEqual(String(decoding: doc.text[source], as: UTF8.self), phrase, file: file, line: line)
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { f } else { nil } }
    var value: Success? { if case .success(let s) = self { s } else { nil } }
}
