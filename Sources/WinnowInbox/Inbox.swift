import WinnowFiles
import WinnowJSON
#if canImport(Glibc)
import Glibc
#endif

/// A document claimed from the inbox: it now lives in `work/` and belongs to this process.
public struct ClaimedDocument: Sendable {
    /// The name it had in the inbox.
    public var name: String
    public var workPath: String
    /// Where it will go when processing succeeds (nil when processed files are deleted).
    public var destination: String?
}

/// Why one document goes to `failed/`, in words for the reason file and the log.
public struct DocumentFailure: Error, Sendable {
    public var reason: FailureReason
    public var detail: String

    public init(_ reason: FailureReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

/// The inbox state machine: inbox → work → processed or failed.
///
/// rename(2) is the claim: atomic on one filesystem, so two instances never both own a file,
/// and a file is never half in one folder. The handler runs between claim and move; when it
/// throws (an output could not be written), the document stays in `work/` and is retried.
public final class Inbox {
    public let layout: InboxLayout
    public let options: InboxOptions
    private var observed: [String: (size: Int, mtime: Int64, since: ContinuousClock.Instant)] = [:]
    private var sequence = 0
    private let claimPrefix: String

    public init(layout: InboxLayout, options: InboxOptions) {
        self.layout = layout
        self.options = options
        // Unique per process start, so work names never collide with a crashed run's leftovers.
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        claimPrefix = String(UInt64(ts.tv_sec) &* 1000 &+ UInt64(ts.tv_nsec / 1_000_000), radix: 36)
            + "-" + String(getpid(), radix: 36)
    }

    /// Creates the folders and checks they share the inbox's filesystem.
    public func prepare() throws(InboxError) {
        for folder in [layout.inbox, layout.work, layout.processed, layout.failed] {
            do { try Files.makeFolder(folder) } catch { throw .folder(error) }
        }
        let device = Files.status(layout.inbox).device
        for folder in [layout.work, layout.processed, layout.failed] where Files.status(folder).device != device {
            throw .otherFilesystem(folder, layout.inbox)
        }
    }

    /// Names in the inbox that are ready to take, oldest first.
    public func poll(now: ContinuousClock.Instant = .now) throws(FileError) -> [String] {
        let names = try Files.list(layout.inbox)
        var ready: [(String, Int64)] = []
        var seen = Set<String>()
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let wallNanos = Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec)
        let settleNanos = options.settle.components.seconds * 1_000_000_000 + options.settle.components.attoseconds / 1_000_000_000
        for name in names where !isIgnored(name) {
            let s = Files.status(layout.inbox + "/" + name)
            switch s.kind {
            case .missing, .directory:
                continue
            case .regular:
                seen.insert(name)
                let previous = observed[name]
                if previous == nil || previous!.size != s.size || previous!.mtime != s.mtimeNanos {
                    observed[name] = (s.size, s.mtimeNanos, now)
                }
                let unchangedFor = now - observed[name]!.since
                if wallNanos - s.mtimeNanos >= settleNanos || unchangedFor >= options.settle {
                    ready.append((name, s.mtimeNanos))
                }
            default:
                // Symlinks, FIFOs, sockets, devices: nothing to settle; they go to failed/.
                ready.append((name, s.mtimeNanos))
            }
        }
        observed = observed.filter { seen.contains($0.key) }
        return ready.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    public func isIgnored(_ name: String) -> Bool {
        if name.hasPrefix(".") { return true }
        return options.ignore.contains { fnmatch($0, name, 0) == 0 }
    }

    /// Moves `name` from the inbox into `work/`; nil when another process took it first.
    public func claim(_ name: String) throws(FileError) -> ClaimedDocument? {
        sequence += 1
        let workName = "\(claimPrefix)-\(String(sequence, radix: 36))_\(name)"
        let workPath = layout.work + "/" + workName
        if rename(layout.inbox + "/" + name, workPath) != 0 {
            if errno == ENOENT { return nil }
            throw FileError("claim", layout.inbox + "/" + name)
        }
        observed[name] = nil
        return ClaimedDocument(name: name, workPath: workPath, destination: plannedDestination(for: name))
    }

    /// Documents left in `work/` by a run that stopped before finishing them.
    public func leftovers() throws(FileError) -> [ClaimedDocument] {
        try Files.list(layout.work).sorted().compactMap { workName in
            guard let underscore = workName.firstIndex(of: "_") else { return nil }
            let name = String(workName[workName.index(after: underscore)...])
            return ClaimedDocument(name: name, workPath: layout.work + "/" + workName, destination: plannedDestination(for: name))
        }
    }

    /// Reads a claimed document, or says why it goes to `failed/`.
    public func read(_ doc: ClaimedDocument) -> Result<[UInt8], DocumentFailure> {
        do {
            switch try Files.read(doc.workPath, maxBytes: options.maxBytes) {
            case .bytes(let b): return .success(b)
            case .tooLarge(let n): return .failure(.init(.tooLarge, "\(n) bytes, more than max_bytes (\(options.maxBytes))"))
            case .notRegular(.symlink): return .failure(.init(.symlink, "symbolic link, not followed"))
            case .notRegular(let kind): return .failure(.init(.notRegularFile, "\(kind), not a regular file"))
            }
        } catch {
            return .failure(.init(.unreadable, error.reason))
        }
    }

    /// Moves a processed document to its destination (or deletes it) and makes that durable.
    public func finishProcessed(_ doc: ClaimedDocument) throws(FileError) {
        guard let destination = doc.destination else {
            if unlink(doc.workPath) != 0, errno != ENOENT { throw FileError("delete", doc.workPath) }
            try Files.syncFolder(layout.work)
            return
        }
        let folder = Files.parent(of: destination)
        try Files.makeFolder(folder)
        let target = folder + "/" + Files.freeName(in: folder, for: Files.baseName(destination))
        try Files.rename(doc.workPath, target)
        try Files.syncFolder(folder)
        try Files.syncFolder(layout.work)
    }

    /// Moves a document to `failed/` with a JSON reason file beside it.
    public func finishFailed(_ doc: ClaimedDocument, reason: FailureReason, detail: String, time: String) throws(FileError) {
        let name = Files.freeName(in: layout.failed, for: doc.name)
        let target = layout.failed + "/" + name
        var json = JSONWriter()
        json.object { w in
            w.field("reason", reason.rawValue)
            w.field("detail", detail)
            w.field("name", doc.name)
            w.field("explanation", reason.explanation)
            w.field("time", time)
        }
        // Reason first: a crash between the two leaves a reason file whose document is still in
        // work/, which the retry overwrites; never a failed document without its reason.
        try Files.replace(target + ".reason.json", with: json.bytes + [0x0A])
        try Files.rename(doc.workPath, target)
        try Files.syncFolder(layout.failed)
        try Files.syncFolder(layout.work)
    }

    private func plannedDestination(for name: String) -> String? {
        guard options.keepProcessed else { return nil }
        return layout.processed + "/" + utcDay() + "/" + name
    }
}

public enum InboxError: Error, CustomStringConvertible {
    case folder(FileError)
    case otherFilesystem(String, String)

    public var description: String {
        switch self {
        case .folder(let e): "cannot prepare folder: \(e)"
        case let .otherFilesystem(folder, inbox):
            "'\(folder)' is on another filesystem than the inbox '\(inbox)'; the state folder must share the inbox's filesystem, because documents move by rename"
        }
    }
}

/// Today's date in UTC as YYYY-MM-DD.
func utcDay() -> String {
    var t = time(nil)
    var tm = tm()
    gmtime_r(&t, &tm)
    return String(format4(Int(tm.tm_year) + 1900)) + "-" + pad2(Int(tm.tm_mon) + 1) + "-" + pad2(Int(tm.tm_mday))
}

private func format4(_ n: Int) -> String { n < 1000 ? String(repeating: "0", count: 4 - String(n).count) + String(n) : String(n) }
private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

