import Foundation
import WinnowTestSupport
import XCTest

/// Package.swift against the sources it describes.
final class PackageManifestTests: XCTestCase {
    /// A dependency the executable does not import still has to build and link, and hides the
    /// real layering (docs/design.md: the executable is argument-parser commands only).
    func testExecutableTarget_dependsOnExactlyTheModulesItImports() throws {
        let root = packageRoot()
        let manifest = try String(contentsOfFile: root + "/Package.swift", encoding: .utf8)
        let start = try XCTUnwrap(manifest.range(of: #".executableTarget(name: "winnow""#), "no winnow target in Package.swift")
        let block = manifest[start.upperBound...].prefix { $0 != "]" }
        var declared = Set<String>()
        for line in block.split(separator: "\n") {
            if let product = line.firstMatch(of: /\.product\(name: "([^"]+)"/) {
                declared.insert(String(product.1))
            } else {
                for name in line.matches(of: /"([A-Za-z0-9]+)"/) { declared.insert(String(name.1)) }
            }
        }

        var imported = Set<String>()
        let folder = root + "/Sources/winnow"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let m = line.firstMatch(of: /^(?:@testable |internal |public |package )?import ([A-Za-z0-9_]+)/) {
                    imported.insert(String(m.1))
                }
            }
        }
        XCTAssertFalse(imported.isEmpty)
        XCTAssertEqual(declared, imported, "the winnow target's dependencies in Package.swift should be the modules Sources/winnow imports")
    }
}
