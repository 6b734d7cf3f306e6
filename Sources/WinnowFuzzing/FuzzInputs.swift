import Foundation

/// Fuzz inputs on disk: `Fuzz/corpus/<target>/` (seeds) and `Fuzz/regressions/<target>/`
/// (inputs that once crashed, hung or ran out of memory), one input per file.
package enum FuzzInputs {
    /// The folders under `Fuzz/` that hold inputs, one subfolder per target.
    package static let kinds = ["corpus", "regressions"]

    /// Every input file under `fuzzFolder` (the repository's `Fuzz/`), with the target its
    /// folder names, sorted by path. A subfolder that names no target is reported as such.
    package static func all(in fuzzFolder: String) -> [(target: String, path: String)] {
        var out: [(String, String)] = []
        for kind in kinds {
            let base = fuzzFolder + "/" + kind
            for target in entries(base) where isFolder(base + "/" + target) {
                for file in entries(base + "/" + target) where !file.hasPrefix(".") {
                    out.append((target, base + "/" + target + "/" + file))
                }
            }
        }
        return out.sorted { $0.1 < $1.1 }
    }

    /// Files among `paths`, a folder standing for the files in it.
    package static func files(_ paths: some Sequence<String>) -> [String] {
        paths.flatMap { path in
            isFolder(path) ? entries(path).filter { !$0.hasPrefix(".") }.map { path + "/" + $0 } : [path]
        }
    }

    package static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    private static func entries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }
}
