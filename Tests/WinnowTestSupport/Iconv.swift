#if canImport(Glibc)
import Glibc
#endif

/// `text` encoded in `charset` by glibc's iconv (`KOI8-R`, `CP1251`, `UTF-16LE`): tests write
/// their own fixtures in every charset Winnow reads.
public func encode(_ text: String, as charset: String) -> [UInt8] {
    let cd = iconv_open(charset, "UTF-8")
    precondition(cd != iconv_t(bitPattern: -1), "iconv does not know \(charset)")
    defer { iconv_close(cd) }
    var input = Array(text.utf8)
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let written = input.withUnsafeMutableBytes { i in
        output.withUnsafeMutableBytes { o -> Int in
            var inPtr: UnsafeMutablePointer<CChar>? = i.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = i.count
            var outPtr: UnsafeMutablePointer<CChar>? = o.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = o.count
            precondition(iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1, "cannot encode in \(charset)")
            return o.count - outLeft
        }
    }
    return Array(output[..<written])
}

/// `bytes` in `charset` decoded to a String by iconv, for checking evidence against the file.
public func decode(_ bytes: [UInt8], from charset: String) -> String? {
    let cd = iconv_open("UTF-8", charset)
    guard cd != iconv_t(bitPattern: -1) else { return nil }
    defer { iconv_close(cd) }
    var input = bytes
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    let written = input.withUnsafeMutableBytes { i in
        output.withUnsafeMutableBytes { o -> Int? in
            var inPtr: UnsafeMutablePointer<CChar>? = i.baseAddress?.assumingMemoryBound(to: CChar.self)
            var inLeft = i.count
            var outPtr: UnsafeMutablePointer<CChar>? = o.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = o.count
            guard iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) != -1 else { return nil }
            return o.count - outLeft
        }
    }
    return written.map { String(decoding: output[..<$0], as: UTF8.self) }
}
