#if canImport(Glibc)
import Glibc
#endif

/// What one document may spend: wall time, and memory grown since it started.
///
/// The loops whose cost can grow faster than the document (place resolution, rule conditions,
/// the records of a feed) ask `spent()`; once it says yes they stop early, and the caller
/// fails the document with reason `budget`, naming `overrun`. One budget per document, used by
/// the thread that classifies it.
public final class WorkBudget: @unchecked Sendable {
    public enum Overrun: Sendable, Equatable, CustomStringConvertible {
        case time(Duration)
        case memory(Int)

        public var description: String {
            switch self {
            case .time(let d): "took longer than document_timeout (\(d.components.seconds) s)"
            case .memory(let n): "grew the daemon's memory by more than document_memory (\(n >> 20) MB)"
            }
        }
    }

    public let time: Duration?
    public let memory: Int?
    public private(set) var overrun: Overrun?
    private let started = ContinuousClock.now
    private let baseline: Int
    private var countdown = 0
    private var nextMemoryLook: ContinuousClock.Instant

    /// nil for either: no limit on it.
    public init(time: Duration?, memory: Int?) {
        self.time = time
        self.memory = memory
        baseline = memory == nil ? 0 : Self.residentBytes()
        // Most documents are done within the first look's 20 ms: they cost one read of statm.
        nextMemoryLook = started + .milliseconds(20)
    }

    /// A budget that is never spent.
    public static var unlimited: WorkBudget { WorkBudget(time: nil, memory: nil) }

    /// Cheap enough for an inner loop: the clock is read every 256th call.
    @inline(__always)
    public func spent() -> Bool {
        if overrun != nil { return true }
        countdown -= 1
        if countdown > 0 { return false }
        countdown = 256
        return check()
    }

    /// Reads the clock (and, every 20 ms, the resident size) now.
    @discardableResult
    public func check() -> Bool {
        if overrun != nil { return true }
        let now = ContinuousClock.now
        if let time, now - started > time {
            overrun = .time(time)
        } else if let memory, now >= nextMemoryLook {
            nextMemoryLook = now + .milliseconds(20)
            if Self.residentBytes() - baseline > memory { overrun = .memory(memory) }
        }
        return overrun != nil
    }

    /// /proc/self/statm, opened once: each pread at offset 0 renders it afresh, so a look
    /// costs one system call, not three.
    private static let statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// The process's resident set, from /proc/self/statm (0 where it cannot be read).
    static func residentBytes() -> Int {
        guard statm >= 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int in
            let n = pread(statm, buffer.baseAddress, buffer.count, 0)
            guard n > 0 else { return 0 }
            // "size resident shared …" in pages: the second field.
            var field = 0
            var pages = 0
            for byte in buffer[..<n] {
                if byte == 0x20 {
                    field += 1
                    if field > 1 { break }
                } else if field == 1 {
                    guard byte >= 0x30, byte <= 0x39 else { return 0 }
                    pages = pages * 10 + Int(byte - 0x30)
                }
            }
            return pages * pageSize
        }
    }
}
