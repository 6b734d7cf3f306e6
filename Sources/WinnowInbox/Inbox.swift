import Foundation
import WinnowFiles
import WinnowJSON
#if canImport(Glibc)
import Glibc
#endif

/// A document claimed from the inbox: it now lives in `work/` and belongs to this process.
public struct ClaimedDocument: Sendable {
    /// Unique per claim, also across restarts and instances; alerts and the journal carry it.
    public var claimID: String
    /// The file name it had in the inbox.
    public var name: String
    /// The inbox subfolder it came from ("" for the inbox itself).
    public var source: String
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
/// and a file is never half in one folder. Between claim and move the caller classifies and
/// makes its outputs durable; when that fails, the document stays in `work/` and is retried.
/// docs/operations.md states the guarantees; docs/design.md §Crash safety argues them.
public final class Inbox {
    public let layout: InboxLayout
    /// Replaced when the configuration is reloaded (SIGHUP).
    public var options: InboxOptions
    private var observed: [String: (size: Int, mtime: Int64, ctime: Int64, device: UInt64, inode: UInt64,
                                    since: ContinuousClock.Instant)] = [:]
    /// Files this process may not move (a sender's folder it cannot write, an immutable file):
    /// skipped until `retryAt`, so that one of them never holds up the rest of the inbox, and
    /// kept (reported once) while the file is still there.
    private var refused: [String: (error: FileError, retryAt: ContinuousClock.Instant)] = [:]
    /// Refusals not yet reported, for the log; `takeRefusals` empties it.
    private var unreported: [(name: String, error: FileError)] = []
    /// How long a refused file is left alone before the next try.
    public var refusalRetry = Duration.seconds(60)
    /// The pauses between tries of a read that fails with a transient error (`transient`).
    public var readRetries: [Duration] = [.milliseconds(50), .milliseconds(250), .seconds(1)]
    private var sequence = 0
    private let claimPrefix: String
    /// The inbox and work/ folders, open from a poll's first claim to the next poll: a claim
    /// is then two system calls (fstatat, renameat), not six.
    private var claimFolders: (inbox: Int32, work: Int32)?

    deinit { closeClaimFolders() }

    public init(layout: InboxLayout, options: InboxOptions) {
        self.layout = layout
        self.options = options
        // Unique per process start (milliseconds and pid, base 36), so claim ids never collide
        // with a crashed run's leftovers or another instance's.
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        // Fixed widths, so claim ids sort as text in the order they were made (leftovers are
        // resumed in that order after a crash).
        claimPrefix = Self.base36(UInt64(ts.tv_sec) &* 1000 &+ UInt64(ts.tv_nsec / 1_000_000), width: 9)
            + "-" + Self.base36(UInt64(getpid()), width: 5)
    }

    /// Creates the folders and checks they share the inbox's filesystem.
    public func prepare() throws(InboxError) {
        for folder in [layout.inbox, layout.work, layout.processed, layout.failed] {
            do { try Files.makeFolder(folder) } catch { throw .folder(error) }
        }
        // Reason files half-written by a killed run (documents never have dot-names here).
        Files.removeTemporaries(in: layout.failed, endingIn: ".reason.json")
        let device = Files.status(layout.inbox).device
        for folder in [layout.work, layout.processed, layout.failed] where Files.status(folder).device != device {
            throw .otherFilesystem(folder, layout.inbox)
        }
    }

    /// Paths (relative to the inbox) that are ready to take, oldest first.
    public func poll(now: ContinuousClock.Instant = .now) throws(FileError) -> [String] {
        // A folder replaced since the last poll is opened afresh by the next claim.
        closeClaimFolders()
        var ready: [(String, Int64)] = []
        var seen = Set<String>()
        var listed = Set<String>()
        var wall = timespec()
        clock_gettime(CLOCK_REALTIME, &wall)
        let wallNanos = Int64(wall.tv_sec) * 1_000_000_000 + Int64(wall.tv_nsec)
        let settleNanos = options.settle.components.seconds * 1_000_000_000 + options.settle.components.attoseconds / 1_000_000_000
        var folders = [""]
        while let folder = folders.popLast() {
            let path = folder.isEmpty ? layout.inbox : layout.inbox + "/" + folder
            if isRefused(folder, now: now) { continue }
            let listing: (names: [String], undecodable: [[UInt8]])
            do {
                listing = try Files.entries(path)
            } catch {
                if folder.isEmpty { throw error }
                // One that vanished needs nothing; one that cannot be read (permissions) holds
                // documents nobody sees: reported and retried like a file that cannot be moved.
                if error.errno != ENOENT { _ = refuse(folder, error) }
                continue
            }
            var names = listing.names
            // A name that is not UTF-8 (say windows-1251 from an old tool) cannot be claimed by
            // a String path and would wait forever; renamed with its bad bytes as %XX, it is
            // taken like any other.
            for raw in listing.undecodable {
                // Escaping triples each bad byte: shortened (extension kept) to stay a legal name.
                let escaped = Self.fitted(Files.escapingInvalidUTF8(raw), room: Int(NAME_MAX))
                guard !isIgnored(escaped) else { continue }
                let relative = folder.isEmpty ? escaped : folder + "/" + escaped
                listed.insert(relative)
                if isRefused(relative, now: now) { continue }
                let name = Files.freeName(in: path, for: escaped)
                do {
                    try Files.rename(raw: raw, in: path, to: name)
                } catch {
                    if error.errno == ENOENT || refuse(relative, error) { continue }
                    throw error
                }
                names.append(name)
            }
            for name in names where !isIgnored(name) {
                let relative = folder.isEmpty ? name : folder + "/" + name
                listed.insert(relative)
                if isRefused(relative, now: now) { continue }
                let full = layout.inbox + "/" + relative
                // Past PATH_MAX no call reaches it by its path, and it would pass for a file
                // that vanished: reported instead of skipped in silence.
                if full.utf8.count >= Int(PATH_MAX) {
                    _ = refuse(relative, FileError("stat", full, errno: ENAMETOOLONG))
                    continue
                }
                let s = Files.status(full)
                switch s.kind {
                case .missing:
                    continue
                case .directory:
                    if options.recursive { folders.append(relative) }
                case .regular:
                    seen.insert(relative)
                    let previous = observed[relative]
                    let unchanged = previous.map { $0.size == s.size && $0.mtime == s.mtimeNanos && $0.ctime == s.ctimeNanos } ?? false
                    if !unchanged || previous?.inode != s.inode || previous?.device != s.device {
                        observed[relative] = (s.size, s.mtimeNanos, s.ctimeNanos, s.device, s.inode, now)
                    }
                    let unchangedFor = now - observed[relative]!.since
                    // A write moves mtime and ctime together; a rename (or link) into the inbox
                    // after the last write moves only ctime. But so does a chmod, an xattr, or
                    // our own rename of a name that is not UTF-8, possibly mid-write: so the
                    // file must also be non-empty and unchanged since the last poll. Such a
                    // file is taken at the next poll instead of after settle_time.
                    let renamedAfterLastWrite = unchanged && s.size > 0 && s.ctimeNanos > s.mtimeNanos
                    if renamedAfterLastWrite || wallNanos - s.mtimeNanos >= settleNanos || unchangedFor >= options.settle {
                        ready.append((relative, s.mtimeNanos))
                    }
                default:
                    // Symlinks, FIFOs, sockets, devices: nothing to settle; they go to failed/.
                    ready.append((relative, s.mtimeNanos))
                }
            }
        }
        observed = observed.filter { seen.contains($0.key) }
        refused = refused.filter { listed.contains($0.key) }
        return ready.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// Files waiting in the inbox (settled or not), for `winnow status`: what `poll` takes
    /// sooner or later. Dot-files and ignored names are skipped, folders are never counted,
    /// and subfolders are counted into only when the inbox is recursive.
    public func depth() -> Int {
        var count = 0
        var folders = [layout.inbox]
        while let folder = folders.popLast() {
            guard let listing = try? Files.entries(folder) else { continue }
            // A name that is not UTF-8 is taken under its %XX form (see `poll`).
            count += listing.undecodable.filter { !isIgnored(Files.escapingInvalidUTF8($0)) }.count
            for name in listing.names where !isIgnored(name) {
                switch Files.status(folder + "/" + name).kind {
                case .directory: if options.recursive { folders.append(folder + "/" + name) }
                case .missing: continue
                default: count += 1
                }
            }
        }
        return count
    }

    public func isIgnored(_ name: String) -> Bool {
        if name.hasPrefix(".") { return true }
        return options.ignore.contains { fnmatch($0, name, 0) == 0 }
    }

    /// Files the last polls set aside because they could not be moved.
    public var refusedCount: Int { refused.count }

    /// Refusals since the last call, each reported once.
    public func takeRefusals() -> [(name: String, error: FileError)] {
        defer { unreported = [] }
        return unreported
    }

    private func isRefused(_ relative: String, now: ContinuousClock.Instant) -> Bool {
        guard let r = refused[relative] else { return false }
        return r.retryAt > now
    }

    /// Sets `relative` aside when `error` concerns that file alone (its folder or the file
    /// itself forbids the move) and `work/` is writable; other errors (a full or read-only
    /// state filesystem) stop the whole inbox and are retried with backoff.
    private func refuse(_ relative: String, _ error: FileError) -> Bool {
        let own: Set<Int32> = [EACCES, EPERM, EBUSY, ETXTBSY, ENAMETOOLONG, ELOOP, EINVAL, EISDIR, ENOTDIR, EROFS, EXDEV]
        guard own.contains(error.errno), access(layout.work, W_OK) == 0 else { return false }
        if refused[relative] == nil { unreported.append((relative, error)) }
        refused[relative] = (error, .now + refusalRetry)
        return true
    }

    /// Moves `relative` from the inbox into `work/`; nil when another process took it first,
    /// or when this process may not move it (set aside; see `takeRefusals`).
    public func claim(_ relative: String) throws(FileError) -> ClaimedDocument? {
        sequence += 1
        let claimID = "\(claimPrefix)-\(Self.base36(UInt64(sequence), width: 6))"
        // The work name is the only record of the name across a crash, so a shortened name is
        // the document's name from here on.
        let kept = Self.fitted(relative, room: Int(NAME_MAX) - claimID.utf8.count - 1)
        let workName = claimID + "_" + Self.encode(kept)
        switch try move(relative, toWork: workName) {
        case .moved: break
        case .gone: return nil
        case .changed:
            observed[relative] = nil  // settled again from scratch, as a new file
            return nil
        }
        observed[relative] = nil
        refused[relative] = nil
        return document(claimID: claimID, relative: kept, workPath: layout.work + "/" + workName)
    }

    /// Claims each of `names` in order; those gone or changed since the poll are skipped.
    public func claim(all names: [String]) throws(FileError) -> [ClaimedDocument] {
        var claimed: [ClaimedDocument] = []
        for name in names { if let doc = try claim(name) { claimed.append(doc) } }
        return claimed
    }

    private enum ClaimMove { case moved, gone, changed }

    /// The claim's rename, through folder descriptors: each folder below the inbox is opened
    /// with O_NOFOLLOW, so a subfolder swapped for a symlink after the poll is never followed
    /// out of the inbox (a path rename would follow it and take files from anywhere), and the
    /// file must still be the one the poll saw (device and inode).
    private func move(_ relative: String, toWork workName: String) throws(FileError) -> ClaimMove {
        let full = layout.inbox + "/" + relative
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let name = parts.last else { return .gone }
        let (inboxFolder, work) = try openClaimFolders()
        var folder = inboxFolder
        defer { if folder != inboxFolder { close(folder) } }
        for part in parts.dropLast() {
            let next = openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 {
                // No longer a folder (a symlink now, or removed): the next poll sees what it is.
                if [ENOENT, ELOOP, ENOTDIR].contains(errno) { return .changed }
                let error = FileError("claim", full)
                if refuse(relative, error) { return .gone }
                throw error
            }
            if folder != inboxFolder { close(folder) }
            folder = next
        }
        var st = stat()
        guard fstatat(folder, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .gone }
        if let seen = observed[relative], seen.device != UInt64(st.st_dev) || seen.inode != UInt64(st.st_ino) {
            return .changed
        }
        if renameat(folder, name, work, workName) != 0 {
            if errno == ENOENT { return .gone }
            let error = FileError("claim", full)
            if refuse(relative, error) { return .gone }
            throw error
        }
        return .moved
    }

    private func openClaimFolders() throws(FileError) -> (inbox: Int32, work: Int32) {
        if let open = claimFolders { return open }
        let inbox = Glibc.open(layout.inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard inbox >= 0 else { throw FileError("open", layout.inbox) }
        let work = Glibc.open(layout.work, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard work >= 0 else {
            let error = FileError("open", layout.work)
            close(inbox)
            throw error
        }
        claimFolders = (inbox, work)
        return (inbox, work)
    }

    private func closeClaimFolders() {
        guard let open = claimFolders else { return }
        close(open.inbox)
        close(open.work)
        claimFolders = nil
    }

    /// The longest name, in bytes, a document keeps: with `.N`, `.reason.json` and a temp
    /// suffix it must still fit NAME_MAX (255) in `failed/`.
    static let maxNameBytes = 200

    /// `relative` with its name (and, if need be, its source) shortened so that the name fits
    /// `maxNameBytes` and its encoded form `room` bytes; the extension is kept.
    static func fitted(_ relative: String, room: Int) -> String {
        let name = Files.baseName(relative)
        if encode(relative).utf8.count <= room, name.utf8.count <= maxNameBytes { return relative }
        // A source too deep to keep whole loses its end, leaving room for a name.
        var source = relative.contains("/") ? Files.parent(of: relative) : ""
        while encode(source).utf8.count > room - 3 - 64 { source.removeLast() }
        while source.hasSuffix("/") { source.removeLast() }
        let sourceBytes = source.isEmpty ? 0 : encode(source).utf8.count + 3
        var (stem, ext) = Files.splitExtension(name)
        if encode(ext).utf8.count > 16 { (stem, ext) = (name, "") }
        let tail = ext.isEmpty ? "" : "." + ext
        let limit = min(maxNameBytes, room - sourceBytes)
        while !stem.isEmpty, encode(stem + tail).utf8.count > limit { stem.removeLast() }
        return source.isEmpty ? stem + tail : source + "/" + stem + tail
    }

    /// Makes the claims of `batch` durable: `work/` and the inbox folders they left. Call it
    /// before writing anything that names a claim id: a claim lost in a power cut would put
    /// the document back in the inbox, to be claimed and alerted a second time.
    public func syncClaims(_ batch: [ClaimedDocument]) throws(FileError) {
        try Files.syncFolder(layout.work)
        for source in Set(batch.map(\.source)).sorted() {
            let folder = source.isEmpty ? layout.inbox : layout.inbox + "/" + source
            // A subfolder its producer has removed since needs nothing.
            if source.isEmpty || Files.status(folder).kind == .directory { try Files.syncFolder(folder) }
        }
    }

    /// Documents left in `work/` by a run that stopped before finishing them, oldest claim first.
    public func leftovers() throws(FileError) -> [ClaimedDocument] {
        try Files.list(layout.work).sorted().compactMap { workName in
            guard let underscore = workName.firstIndex(of: "_") else { return nil }
            let claimID = String(workName[..<underscore])
            let relative = Self.decode(String(workName[workName.index(after: underscore)...]))
            return document(claimID: claimID, relative: relative, workPath: layout.work + "/" + workName)
        }
    }

    private func document(claimID: String, relative: String, workPath: String) -> ClaimedDocument {
        let name = Files.baseName(relative)
        let source = relative.contains("/") ? Files.parent(of: relative) : ""
        let destination = options.keepProcessed
            ? layout.processed + "/" + utcDay() + "/" + (source.isEmpty ? "" : source + "/") + name : nil
        return ClaimedDocument(claimID: claimID, name: name, source: source, workPath: workPath, destination: destination)
    }

    static func base36(_ n: UInt64, width: Int) -> String {
        let digits = String(n, radix: 36)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `/` and `%` escaped, so a work name is one path component that decodes back.
    static func encode(_ relative: String) -> String { Files.percentEncoding(relative, ["/"]) }

    static func decode(_ name: String) -> String { Files.percentDecoding(name) }

    /// Gives each document of a batch the name it will have in `processed/`: the first free
    /// one (`name`, `stem.1.ext`, …) that no other document of the batch took. Call it before
    /// writing alerts, so that `document.path` names the file the document really becomes.
    ///
    /// `promised` (claim id → path) holds destinations an alert or the journal already names:
    /// those documents keep theirs, even when it is an earlier day's folder (a restart after
    /// midnight), and no other document is given one of them.
    public func assignDestinations(_ batch: inout [ClaimedDocument], promised: [String: String] = [:]) {
        var files: [String: Set<String>] = [:]
        var folders: [String: Set<String>] = [:]
        for path in promised.values { files[Files.parent(of: path), default: []].insert(Files.baseName(path)) }
        for i in batch.indices {
            guard let destination = batch[i].destination else { continue }
            if let kept = promised[batch[i].claimID] {
                batch[i].destination = kept
                continue
            }
            let folder = placeFolder(Files.parent(of: destination), files: files, folders: &folders)
            let name = Files.freeName(in: folder, for: Files.baseName(destination),
                                      avoiding: files[folder, default: []].union(folders[folder, default: []]))
            files[folder, default: []].insert(name)
            batch[i].destination = folder + "/" + name
        }
    }

    /// `folder` (inside `processed/`) with each component that is not a folder there — a file
    /// processed earlier (`x`, now a source folder `x/`), or a name this batch gives a
    /// document — replaced by the first numbered name (`x.1`) that is a folder or free. So a
    /// file/folder collision costs a document its folder name, never the queue. Folders
    /// chosen are added to `folders` (parent → names), for the batch's later documents.
    func placeFolder(_ folder: String, files: [String: Set<String>], folders: inout [String: Set<String>]) -> String {
        let root = layout.processed
        guard folder.hasPrefix(root + "/") else { return folder }
        var current = root
        for component in folder.dropFirst(root.count + 1).split(separator: "/") {
            var n = 0
            var name = String(component)
            while true {
                name = Files.numberedName(String(component), n)
                let kind = Files.status(current + "/" + name).kind
                if !files[current, default: []].contains(name), kind == .directory || kind == .missing { break }
                n += 1
            }
            folders[current, default: []].insert(name)
            current += "/" + name
        }
        return current
    }

    /// Reads a claimed document, or says why it goes to `failed/`.
    public func read(_ doc: ClaimedDocument) -> Result<[UInt8], DocumentFailure> {
        var waits = readRetries[...]
        while true {
            do {
                return try readOnce(doc)
            } catch {
                // Errors of the moment (the file table full, memory short, an I/O hiccup) are
                // tried again, with backoff, before they fail a good document.
                guard Self.transient.contains(error.errno), let wait = waits.popFirst() else {
                    let tries = readRetries.count - waits.count + 1
                    return .failure(.init(.unreadable, error.reason + (tries > 1 ? " (tried \(tries) times)" : "")))
                }
                var pause = timespec(tv_sec: Int(wait.components.seconds), tv_nsec: Int(wait.components.attoseconds / 1_000_000_000))
                var left = timespec()
                while nanosleep(&pause, &left) != 0, errno == EINTR { pause = left }
            }
        }
    }

    /// Errors that may pass: retried by `read` before a document is failed as unreadable.
    static let transient: Set<Int32> = [EIO, ENOMEM, ENFILE, EMFILE, EAGAIN, EINTR, ENOBUFS]

    private func readOnce(_ doc: ClaimedDocument) throws(FileError) -> Result<[UInt8], DocumentFailure> {
        do {
            // A second name means the file lives elsewhere too: hard-linking a file the daemon
            // may read but the sender may not would have it quoted in alerts (Postfix and
            // Maildir readers refuse these for the same reason).
            switch try Files.read(doc.workPath, maxBytes: options.maxBytes, maxLinks: 1) {
            case .bytes(let b): return .success(b)
            case .linked(let n): return .failure(.init(.hardlink, "a hard link (\(n) names); not read"))
            case .tooLarge(let n): return .failure(.init(.tooLarge, "\(n) bytes, more than max_bytes (\(options.maxBytes))"))
            case .notRegular(.symlink): return .failure(.init(.symlink, "symbolic link, not followed"))
            case .notRegular(let kind): return .failure(.init(.notRegularFile, "\(kind), not a regular file"))
            }
        }
    }

    /// Where a batch of documents ends.
    public enum Ending: Sendable {
        case processed
        case failed(DocumentFailure)
    }

    /// Moves a batch on: reason files first (durable), then the renames, then one fsync per
    /// folder touched. A crash part-way leaves the rest in `work/`, where the journal finishes it.
    public func finish(_ batch: [(ClaimedDocument, Ending)], time: String) throws(FileError) {
        var touched: Set<String> = []
        var failedNames: [String: String] = [:]
        for (doc, ending) in batch {
            guard case .failed(let f) = ending else { continue }
            let taken = Set(failedNames.values)
            let name = earlierFailedName(of: doc.name, claim: doc.claimID, avoiding: taken)
                ?? Files.freeName(in: layout.failed, for: doc.name, avoiding: taken)
            failedNames[doc.claimID] = name
            // The reason goes first: a crash between the two leaves a reason file whose
            // document is still in work/ (the retry rewrites it), never a document without one.
            // Its contents are fsynced here and failed/ once below, before any document moves,
            // so a power cut cannot leave a failed document beside an empty reason file.
            try writeReason(f, name: name, document: doc.name, source: doc.source, claim: doc.claimID, time: time)
            touched.insert(layout.failed)
        }
        if !touched.isEmpty { try Files.syncFolder(layout.failed) }
        for (doc, ending) in batch {
            switch ending {
            case .failed:
                try Files.rename(doc.workPath, layout.failed + "/" + failedNames[doc.claimID]!)
            case .processed:
                guard let destination = doc.destination else {
                    if unlink(doc.workPath) != 0, errno != ENOENT { throw FileError("delete", doc.workPath) }
                    continue
                }
                touched.insert(try moveToProcessed(doc, destination))
            }
        }
        for folder in touched.sorted() { try Files.syncFolder(folder) }
        try Files.syncFolder(layout.work)
    }
}

extension Inbox {
    /// Moves a processed document to `destination`, or, when something on that path is in the
    /// way (a file where a folder goes, since the batch was planned or in a promise an earlier
    /// run made), to the next free place for it; returns the folder it went to. Errors of the
    /// state filesystem (full, read-only, I/O) are thrown: the batch is retried.
    func moveToProcessed(_ doc: ClaimedDocument, _ destination: String) throws(FileError) -> String {
        let inTheWay: Set<Int32> = [ENOTDIR, EISDIR, EEXIST, ENOTEMPTY, ELOOP]
        var folder = Files.parent(of: destination)
        var name = Files.baseName(destination)
        for attempt in 0..<2 {
            do throws(FileError) {
                try Files.makeFolder(folder)
                try Files.rename(doc.workPath, folder + "/" + Files.freeName(in: folder, for: name))
                return folder
            } catch {
                guard inTheWay.contains(error.errno) else { throw error }
                var none: [String: Set<String>] = [:]
                if attempt == 0 {
                    folder = placeFolder(folder, files: [:], folders: &none)
                } else {
                    // The day's folder itself: the source folders' names joined into the file's.
                    let day = layout.processed + "/" + utcDay()
                    let relative = String(folder.dropFirst(min(folder.count, day.count + 1)))
                    name = relative.isEmpty ? name : relative.replacingOccurrences(of: "/", with: "_") + "_" + name
                    folder = placeFolder(day, files: [:], folders: &none)
                }
            }
        }
        try Files.makeFolder(folder)
        try Files.rename(doc.workPath, folder + "/" + Files.freeName(in: folder, for: name))
        return folder
    }
}

/// A part of a claimed document that failed on its own (a feed's record that does not parse):
/// its bytes go to `failed/` with a reason file, while the document itself is processed.
public struct FailedPart: Sendable {
    /// The file name it gets in `failed/` (`feed#3.jsonl`), or the next free one.
    public var name: String
    /// Unique like a claim id (`CLAIM#3`): a retry finds and rewrites its files.
    public var claimID: String
    public var bytes: [UInt8]
    public var failure: DocumentFailure
    /// The document it came from, and where (for the reason file).
    public var document: ClaimedDocument

    public init(name: String, claimID: String, bytes: [UInt8], failure: DocumentFailure, document: ClaimedDocument) {
        self.name = name
        self.claimID = claimID
        self.bytes = bytes
        self.failure = failure
        self.document = document
    }
}

extension Inbox {
    /// Writes failed parts into `failed/`, each beside its reason file, and makes them durable.
    /// A retry after a crash finds each part's earlier files by claim id and rewrites them.
    public func writeFailedParts(_ parts: [FailedPart], time: String) throws(FileError) {
        guard !parts.isEmpty else { return }
        var taken: Set<String> = []
        for part in parts {
            let name = earlierFailedName(of: part.name, claim: part.claimID, avoiding: taken, rewriting: true)
                ?? Files.freeName(in: layout.failed, for: part.name, avoiding: taken)
            taken.insert(name)
            try writeReason(part.failure, name: name, document: part.document.name, source: part.document.source,
                            claim: part.claimID, time: time)
            try Files.replace(layout.failed + "/" + name, with: part.bytes, syncingFolder: false)
        }
        try Files.syncFolder(layout.failed)
    }

    /// `failed/NAME.reason.json`, written whole and fsynced (the folder is the caller's).
    func writeReason(_ f: DocumentFailure, name: String, document: String, source: String, claim: String,
                     time: String) throws(FileError) {
        var json = JSONWriter()
        json.object { w in
            w.field("reason", f.reason.rawValue)
            w.field("detail", f.detail)
            w.field("name", document)
            w.field("source", source)
            w.field("claim", claim)
            w.field("explanation", f.reason.explanation)
            w.field("time", time)
        }
        try Files.replace(layout.failed + "/" + name + ".reason.json", with: json.bytes + [0x0A], syncingFolder: false)
    }

    /// The name in `failed/` whose reason file this claim wrote before a crash, while the
    /// document itself never got there: the retry rewrites that reason file and moves the
    /// document beside it, instead of leaving it orphaned and taking the next free name.
    /// A part (`rewriting`) may find its own file there too: it is rewritten with the same bytes.
    func earlierFailedName(of documentName: String, claim: String, avoiding taken: Set<String>,
                           rewriting: Bool = false) -> String? {
        var n = 0
        while true {
            let candidate = Files.numberedName(documentName, n)
            let reasonPath = layout.failed + "/" + candidate + ".reason.json"
            let documentFree = Files.status(layout.failed + "/" + candidate).kind == .missing
            if Files.status(reasonPath).kind == .missing {
                // The first free name ends the names this document could have been given.
                if documentFree { return nil }
            } else if documentFree || rewriting, !taken.contains(candidate),
               case .bytes(let bytes)? = try? Files.read(reasonPath, maxBytes: 1 << 16),
               let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
               object["claim"] as? String == claim {
                return candidate
            }
            n += 1
        }
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
    let y = Int(tm.tm_year) + 1900, m = Int(tm.tm_mon) + 1, d = Int(tm.tm_mday)
    return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
}
