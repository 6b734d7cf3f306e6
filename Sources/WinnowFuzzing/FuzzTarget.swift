/// One libFuzzer target: a library entry point that must never crash, hang or exhaust memory,
/// whatever bytes it is given (docs/design.md §Fuzzing).
///
/// `run` is what `winnow-fuzz` calls for every input under `-sanitize=fuzzer,address`, and what
/// `WinnowFuzzingTests` calls, without sanitizers, for every file in `Fuzz/corpus/<target>/`
/// and `Fuzz/regressions/<target>/`. Bad input must end in an error or a diagnostic; a
/// `FuzzFailure` is a contract the library broke on input it accepted.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// `YAMLParser` with its limits, then every typed getter of `MappingReader` on every key.
    case yaml
    /// `ConditionParser`, then binding and evaluating what parses.
    case condition
    /// A rules folder (`FileBundle`: a pack, or several files) loaded, compiled and its
    /// examples run, as a reload does; diagnostics rendered as text and JSON.
    case pack
    /// `CharsetDecoder.decode`; the first byte picks the declared charset and the fallback.
    case charset
    /// `DocumentReader.read` (format choice by content and name, then the reader); the first
    /// byte picks the file name's extension. PDF and office files stop at format choice: their
    /// tools are configured missing, so no child process runs.
    case document
    /// One text reader each, forced whatever the content looks like.
    case text, markdown, html, email, json, jsonl
    /// `OfficeText.extract`: what `winnow extract-office` runs in its child (libarchive, libxml2),
    /// on a ZIP as given, or on a `FileBundle` of parts that the harness archives.
    case office
    /// `GazetteerBuilder` over GeoNames-like files (`FileBundle`: `cities.txt`, `countryInfo.txt`,
    /// `admin1CodesASCII.txt`, `admin1Extra.tsv`, `aliases.tsv`, `common-words.txt`).
    case geonames

    /// Runs one input. Throws only when the library broke a contract without crashing.
    package func run(_ input: [UInt8]) throws(FuzzFailure) {
        switch self {
        case .yaml: YAMLFuzzing.run(input)
        case .condition: ConditionFuzzing.run(input)
        case .pack: PackFuzzing.run(input)
        case .charset: try CharsetFuzzing.run(input)
        case .document: try ReaderFuzzing.runDocument(input)
        case .text, .markdown, .html, .email, .json, .jsonl: try ReaderFuzzing.run(input, format: rawValue)
        case .office: ReaderFuzzing.runOffice(input)
        case .geonames: GeoNamesFuzzing.run(input)
        }
    }

    /// libFuzzer's `-max_len`: larger than any seed, small enough that a run explores.
    package var maxInputBytes: Int {
        switch self {
        case .condition: 2048
        case .yaml, .pack, .geonames: 16 << 10
        case .charset, .text, .markdown, .json, .jsonl: 32 << 10
        case .document, .html, .email, .office: 64 << 10
        }
    }
}

/// A contract broken without a crash: an offset outside the file, text that is not UTF-8.
package struct FuzzFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
