#if canImport(Glibc)
import Glibc
#endif

/// `winnow extract-office`: reads a DOCX or ODT file on stdin and writes its text and
/// metadata on stdout in the `OfficeOutput` form. Run by `DOCXReader` and `ODTReader` in a
/// child process with limits (`ToolRunner`); not meant to be run by hand.
///
/// Exit status: 0 read; 3 malformed, 4 encrypted, 5 no text, 6 unsupported format, 7 past a
/// size limit (`OfficeOutput.exitStatus(for:)`), with the reason also on stdout; 1 when stdin
/// or stdout fail.
public enum OfficeExtractCommand {
    public static func run() -> Int32 {
        guard let file = readAll(0) else { return 1 }
        let output: [UInt8]
        let status: Int32
        do {
            output = OfficeOutput.encode(try OfficeText.extract(file))
            status = 0
        } catch {
            output = OfficeOutput.encode(error)
            status = OfficeOutput.exitStatus(for: error.reason)
        }
        return writeAll(1, output) ? status : 1
    }

    static func readAll(_ fd: Int32) -> [UInt8]? {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { return out }
            if n < 0 { if errno == EINTR { continue }; return nil }
            out.append(contentsOf: chunk[0 ..< n])
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 { if errno == EINTR { continue }; return false }
            done += n
        }
        return true
    }
}
