import Foundation
import WinnowDiagnostics

/// Reads one YAML mapping whose keys are known in advance.
///
/// Creating a reader reports every key that is not allowed (with a did-you-mean suggestion or
/// a hint for keys that belong elsewhere), so decoders cannot forget to. Getters record a
/// diagnostic and return nil when a value has the wrong shape; they never throw, so one pass
/// reports every problem in a file.
public struct MappingReader {
    public let node: YAMLNode
    public let pairs: [YAMLNode.Pair]
    /// Allowed keys that an unknown key was taken for ('levl' → 'level'): not reported missing.
    private var suggested: Set<String> = []

    /// - Parameters:
    ///   - what: how the analyst names this mapping ("a rule", "the configuration").
    ///   - allowed: every key this mapping may hold.
    ///   - misplaced: keys that are valid elsewhere, with a hint where they belong.
    public init?(
        _ node: YAMLNode, what: String, allowed: [String], misplaced: [String: String] = [:],
        diagnostics: inout Diagnostics
    ) {
        guard let pairs = node.mapping else {
            diagnostics.append(.error(.wrongType, "expected \(what) as a mapping of 'key: value' lines, found \(node.kindDescription)",
                                      at: node.location))
            return nil
        }
        self.node = node
        self.pairs = pairs
        for pair in pairs {
            guard let key = pair.key.scalar?.value, !allowed.contains(key) else { continue }
            let length = key.unicodeScalars.count
            if let hint = misplaced[key] {
                diagnostics.append(.error(.unknownKey, "'\(key)' \(hint)", at: pair.key.location, length: length))
            } else if let guess = suggestion(for: key, among: allowed) {
                diagnostics.append(.error(.unknownKey, "unknown key '\(key)' in \(what) (did you mean '\(guess)'?)",
                                          at: pair.key.location, length: length, fix: guess))
                suggested.insert(guess)
            } else {
                diagnostics.append(.error(.unknownKey, "unknown key '\(key)' in \(what); expected one of \(allowed.map { "'\($0)'" }.joined(separator: ", "))",
                                          at: pair.key.location, length: length))
            }
        }
    }

    public subscript(key: String) -> YAMLNode? {
        pairs.first { $0.key.scalar?.value == key }?.value
    }

    public func keyLocation(_ key: String) -> SourceLocation? {
        pairs.first { $0.key.scalar?.value == key }?.key.location
    }

    /// The value for `key`, recording a `missing-key` error at the mapping when it is absent or null.
    public func required(_ key: String, what: String, diagnostics: inout Diagnostics) -> YAMLNode? {
        if let value = self[key], !(value.scalar?.isNull ?? false) { return value }
        if suggested.contains(key) { return nil }
        diagnostics.append(.error(.missingKey, "\(what) needs '\(key)'", at: node.location))
        return nil
    }
}

extension YAMLNode {
    /// Text from a scalar; lists, mappings and null are errors naming `key`.
    public func string(_ key: String, _ diagnostics: inout Diagnostics) -> String? {
        guard let s = scalar, !s.isNull else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be text, found \(kindDescription)", at: location))
            return nil
        }
        return s.value
    }

    /// A whole number (decimal, optional sign, `_` separators allowed).
    public func int(_ key: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let s = scalar, !s.isNull else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a whole number, found \(kindDescription)", at: location))
            return nil
        }
        guard let n = Int(s.value.replacingOccurrences(of: "_", with: "")) else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a whole number, found '\(s.value)'", at: location))
            return nil
        }
        return n
    }

    /// A number with an optional fraction.
    public func double(_ key: String, _ diagnostics: inout Diagnostics) -> Double? {
        guard let s = scalar, !s.isNull, let d = Double(s.value.replacingOccurrences(of: "_", with: "")), d.isFinite else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a number, found \(scalar.map { "'\($0.value)'" } ?? kindDescription)", at: location))
            return nil
        }
        return d
    }

    /// `true` or `false` only: YAML 1.1's yes/no/on/off surprise people, so they are rejected.
    public func bool(_ key: String, _ diagnostics: inout Diagnostics) -> Bool? {
        switch scalar?.value {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            diagnostics.append(.error(.wrongType, "'\(key)' should be true or false, found \(scalar.map { "'\($0.value)'" } ?? kindDescription)", at: location))
            return nil
        }
    }

    /// A list of text values; a single text value counts as a list of one.
    public func strings(_ key: String, _ diagnostics: inout Diagnostics) -> [(String, SourceLocation)]? {
        if let s = scalar, !s.isNull { return [(s.value, location)] }
        guard let items = sequence else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a list of text values, found \(kindDescription)", at: location))
            return nil
        }
        var out: [(String, SourceLocation)] = []
        for item in items {
            guard let s = item.scalar, !s.isNull else {
                diagnostics.append(.error(.wrongType, "each item of '\(key)' should be text, found \(item.kindDescription)", at: item.location))
                continue
            }
            out.append((s.value, item.location))
        }
        return out
    }

    /// A duration such as `500ms`, `2s`, `15m`, `1h` or `1d`; a bare number means seconds.
    public func duration(_ key: String, _ diagnostics: inout Diagnostics) -> Duration? {
        guard let s = scalar, !s.isNull, let d = parseDuration(s.value) else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a duration such as 500ms, 2s, 15m or 1h, found \(scalar.map { "'\($0.value)'" } ?? kindDescription)", at: location))
            return nil
        }
        return d
    }

    /// A size such as `10MB`, `512KiB` or `1G`; a bare number means bytes.
    public func byteSize(_ key: String, _ diagnostics: inout Diagnostics) -> Int? {
        guard let s = scalar, !s.isNull, let n = parseByteSize(s.value) else {
            diagnostics.append(.error(.wrongType, "'\(key)' should be a size such as 512KB, 10MB or 1GB, found \(scalar.map { "'\($0.value)'" } ?? kindDescription)", at: location))
            return nil
        }
        return n
    }
}

/// Parses `500ms`, `2s`, `1.5m`, `15m`, `1h`, `1d` or a bare number of seconds.
public func parseDuration(_ text: String) -> Duration? {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    // `1e300s` is a finite number but no Int64 of milliseconds: refused, not trapped on.
    func milliseconds(_ seconds: Double) -> Duration? {
        let ms = (seconds * 1000).rounded()
        return ms < Double(Int64.max) ? .milliseconds(Int64(ms)) : nil
    }
    for (suffix, scale) in units where t.hasSuffix(suffix) {
        let number = t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
        // "ms" also ends with "s": only accept when what remains is a number.
        if let v = Double(number), v >= 0, v.isFinite { return milliseconds(v * scale) }
    }
    if let v = Double(t), v >= 0, v.isFinite { return milliseconds(v) }
    return nil
}

/// Parses `512`, `64KB`, `10MB`, `1GB` (powers of 1024, as `df -h` shows) or `10MiB`.
public func parseByteSize(_ text: String) -> Int? {
    let t = text.trimmingCharacters(in: .whitespaces).uppercased()
    let units: [(String, Int)] = [("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("TIB", 1 << 40),
                                  ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30), ("TB", 1 << 40),
                                  ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40), ("B", 1)]
    for (suffix, scale) in units where t.hasSuffix(suffix) {
        let number = t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
        if let v = Double(number), v >= 0, v.isFinite, v * Double(scale) < Double(Int.max) { return Int(v * Double(scale)) }
        return nil
    }
    return Int(t).flatMap { $0 >= 0 ? $0 : nil }
}
