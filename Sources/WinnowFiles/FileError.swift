#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a file: which operation, which path, and errno.
public struct FileError: Error, Sendable, CustomStringConvertible, Equatable {
    public var operation: String
    public var path: String
    public var errno: Int32

    public init(_ operation: String, _ path: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `strerror` text, such as "No space left on device".
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(operation) '\(path)': \(reason)" }
}
