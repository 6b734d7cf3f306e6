#if canImport(Glibc)
import Glibc
#endif
internal import CLibFuzzer
import WinnowFuzzing

/// `winnow-fuzz`: the fuzz targets' one executable (docs/design.md §Fuzzing).
///
/// Built by `make fuzz` with `-DWINNOW_FUZZ -sanitize=fuzzer,address`, it hands its arguments to
/// libFuzzer's driver and fuzzes the target `WINNOW_FUZZ_TARGET` names (`list` prints each
/// target and its `-max_len`). Built normally, it runs files through a target without
/// sanitizers (`winnow-fuzz TARGET FILE|FOLDER…`), to debug a crash input. main() is ours in
/// both builds, not libFuzzer's: SwiftPM links an executable's entry point under the module's
/// name (`--defsym main=winnow_fuzz_main`), so the module must define one.
@main
enum FuzzEntry {
    static func main() {
        // Gazetteers built from fuzzed packs are cached like any other; keep them out of ~/.cache.
        setenv("WINNOW_CACHE_DIR", "/tmp/winnow-fuzz-cache", 0)
        #if WINNOW_FUZZ
        let name = getenv("WINNOW_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        if name == "list" {
            // For Fuzz/fuzz.sh: each target and its -max_len, so the numbers live in one place.
            for target in FuzzTarget.allCases { print(target.rawValue, target.maxInputBytes) }
            exit(0)
        }
        guard let target = FuzzTarget(rawValue: name) else { usage("set WINNOW_FUZZ_TARGET to 'list' or one of: ") }
        fuzzTarget = target
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
            usage("usage: winnow-fuzz TARGET FILE|FOLDER…, where TARGET is one of: ")
        }
        var count = 0
        for path in FuzzInputs.files(arguments.dropFirst()) {
            guard let input = FuzzInputs.read(path) else { fail("cannot read '\(path)'") }
            do { try target.run(input) } catch { fail("\(path): \(error)") }
            count += 1
        }
        print("\(count) input(s) ran through '\(target.rawValue)'")
        #endif
    }

    static func usage(_ message: String) -> Never {
        fail(message + FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "), status: 2)
    }

    static func fail(_ message: String, status: Int32 = 1) -> Never {
        let bytes = Array("winnow-fuzz: \(message)\n".utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(status)
    }
}

/// The target of this process: libFuzzer's callback is a C function pointer, which cannot
/// capture it. Set once, before the driver starts.
nonisolated(unsafe) var fuzzTarget = FuzzTarget.yaml

/// libFuzzer's callback: one input; a broken contract is a crash, so libFuzzer keeps the input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    do {
        try fuzzTarget.run(input)
    } catch {
        fatalError("winnow-fuzz \(fuzzTarget.rawValue): \(error)")
    }
    return 0
}
