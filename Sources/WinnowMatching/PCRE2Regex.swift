internal import CPCRE2

/// A compiled PCRE2 pattern that matches UTF-8 text with bounded effort.
///
/// UTF and UCP modes are always on. JIT is used where the kernel allows it; when JIT memory is
/// refused (systemd's `MemoryDenyWriteExecute=`) the interpreter runs the same pattern. Match
/// and depth limits are always set, so a pathological pattern on a hostile document returns
/// `.limitExceeded` instead of hanging.
public final class PCRE2Regex: @unchecked Sendable {
    /// Why a pattern did not compile: PCRE2's message and the scalar offset inside the pattern.
    public struct CompileError: Error, Sendable {
        public var message: String
        /// 0-based offset in Unicode scalars into the pattern.
        public var scalarOffset: Int
    }

    public struct Options: Sendable, Hashable {
        public var caseInsensitive = true
        public var multiline = true
        public var matchLimit: UInt32 = 1_000_000
        public var depthLimit: UInt32 = 10_000
        public init() {}
    }

    public enum MatchOutcome: Sendable {
        case matches([Range<Int>])
        /// Matches found before the limit was hit are kept.
        case limitExceeded([Range<Int>])
    }

    // The compiled code is immutable after init and PCRE2 documents it as shareable between threads.
    private let code: OpaquePointer
    private let matchContext: OpaquePointer
    public let pattern: String

    public init(_ pattern: String, options: Options = Options()) throws(CompileError) {
        self.pattern = pattern
        var flags: UInt32 = UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP)
        if options.caseInsensitive { flags |= UInt32(PCRE2_CASELESS) }
        if options.multiline { flags |= UInt32(PCRE2_MULTILINE) }
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let utf8 = Array(pattern.utf8)
        let compiled = utf8.withUnsafeBufferPointer { p in
            pcre2_compile_8(p.baseAddress, p.count, flags, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            let prefix = String(decoding: utf8.prefix(errorOffset), as: UTF8.self)
            throw CompileError(message: PCRE2Regex.message(for: errorCode), scalarOffset: prefix.unicodeScalars.count)
        }
        code = compiled
        // Refused under MemoryDenyWriteExecute=; pcre2_match then interprets the same code.
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))
        matchContext = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(matchContext, options.matchLimit)
        pcre2_set_depth_limit_8(matchContext, options.depthLimit)
    }

    deinit {
        pcre2_match_context_free_8(matchContext)
        pcre2_code_free_8(code)
    }

    static func message(for errorCode: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer.prefix(Int(n)), as: UTF8.self) : "PCRE2 error \(errorCode)"
    }

    /// Every non-overlapping match in `text` (valid UTF-8), as byte ranges, up to `maxMatches`.
    public func matches(in text: UnsafeBufferPointer<UInt8>, maxMatches: Int = 1000) -> MatchOutcome {
        guard let data = pcre2_match_data_create_from_pattern_8(code, nil) else { return .matches([]) }
        defer { pcre2_match_data_free_8(data) }
        var found: [Range<Int>] = []
        var start = 0
        // The text was validated once when the document was decoded; skip PCRE2's own check.
        let flags = UInt32(PCRE2_NO_UTF_CHECK)
        let base = text.baseAddress ?? UnsafePointer(bitPattern: 1)!
        while start <= text.count, found.count < maxMatches {
            let rc = pcre2_match_8(code, base, text.count, start, flags, data, matchContext)
            if rc == PCRE2_ERROR_NOMATCH { break }
            if rc < 0 {
                if rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT
                    || rc == PCRE2_ERROR_JIT_STACKLIMIT {
                    return .limitExceeded(found)
                }
                break
            }
            let ovector = pcre2_get_ovector_pointer_8(data)!
            let a = ovector[0], z = ovector[1]
            found.append(a ..< z)
            if z > a {
                start = z
            } else {
                // Empty match: step over one whole scalar so UTF-8 stays aligned.
                var next = z + 1
                while next < text.count, text[next] & 0xC0 == 0x80 { next += 1 }
                start = next
            }
        }
        return .matches(found)
    }
}
