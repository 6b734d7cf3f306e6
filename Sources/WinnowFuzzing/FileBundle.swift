import Foundation

/// Several files in one fuzz input, as the diagnostic golden files hold several packs: a line
/// `# --- file: NAME` starts file NAME; bytes before the first such line belong to `firstName`.
///
/// Names are kept as written (ZIP parts have folders); `write(to:)` reduces each to one safe
/// file name (letters, digits, `.`, `-`, `_`; never `..`), so an input can never write outside
/// the folder it is given.
struct FileBundle {
    var files: [(name: String, bytes: [UInt8])] = []

    static let marker = Array("# --- file: ".utf8)

    init(_ input: [UInt8], firstName: String) {
        var name = firstName
        var current: [UInt8] = []
        var lineStart = 0
        while lineStart < input.count {
            let newline = input[lineStart...].firstIndex(of: 0x0A)
            let lineEnd = newline.map { $0 + 1 } ?? input.count
            let line = input[lineStart ..< lineEnd]
            if line.starts(with: Self.marker) {
                if !current.isEmpty || name != firstName { add(name, current) }
                var raw = line.dropFirst(Self.marker.count)
                if raw.last == 0x0A { raw = raw.dropLast() }
                if raw.last == 0x0D { raw = raw.dropLast() }
                name = String(decoding: raw.prefix(256), as: UTF8.self)
                current = []
            } else {
                current += line
            }
            lineStart = lineEnd
        }
        add(name, current)
    }

    private mutating func add(_ name: String, _ bytes: [UInt8]) {
        if let i = files.firstIndex(where: { $0.name == name }) { files[i].bytes = bytes } else { files.append((name, bytes)) }
    }

    static func safeName(_ name: String) -> String {
        let kept = name.utf8.filter { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F || b == 0x2E
        }
        let safe = String(decoding: kept.prefix(64), as: UTF8.self)
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "unnamed" : safe
    }

    /// Writes every file into `folder` under its safe name, and each of `defaults` the bundle
    /// does not hold.
    func write(to folder: String, defaults: [(String, String)] = []) {
        for (name, bytes) in files {
            _ = FileManager.default.createFile(atPath: folder + "/" + Self.safeName(name), contents: Data(bytes))
        }
        for (name, text) in defaults where !files.contains(where: { Self.safeName($0.name) == name }) {
            _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8))
        }
    }
}

/// A fresh folder for one input, removed afterwards. Fresh, not reused: the gazetteer's
/// in-memory cache is keyed by path, size and modification time, and a file rewritten in the
/// same clock tick with the same size would hand back the previous input's gazetteer.
func withScratchFolder<T>(_ body: (String) -> T) -> T {
    let base = (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/winnow-fuzz-XXXXXX"
    var template = Array(base.utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        fatalError("winnow-fuzz: cannot create a folder under \(base): \(String(cString: strerror(errno)))")
    }
    let path = String(cString: made)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return body(path)
}
