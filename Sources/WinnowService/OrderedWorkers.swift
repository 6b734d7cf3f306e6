import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs independent pieces of work on the calling thread and threads of its own (never Swift's
/// cooperative pool: the daemon calls it from a thread of its own, so signals, the watchdog and
/// reloads stay live) and hands the results back in order.
///
/// `winnow classify` prints reports in argument order and the daemon commits a batch in claim
/// order whatever finishes first; at most `window` results wait to be handed back, so a slow
/// item holds the workers at most that far ahead of it.
package enum OrderedWorkers {
    /// The cores this process may run on (its CPU affinity: `taskset`, systemd's
    /// `CPUAffinity=`, a container's cpuset), at least 1; read once, not per batch.
    package static let cores: Int = {
        // sched_getaffinity is a GNU extension Swift's Glibc module leaves out; the kernel
        // prints the same mask in /proc (`Cpus_allowed:\tff,ffffffff`, 32-bit groups in hex).
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return max(1, ProcessInfo.processInfo.activeProcessorCount) }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && $0 != " " && $0 != "\t" }
        let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
        return max(1, count)
    }()

    /// Calls `work(i)` for every `i` in `0 ..< count` on `workers` threads and `deliver(i, result)`
    /// on the calling thread, in order of `i`; `meanwhile` runs on the calling thread once the
    /// other workers have started (first, when there is one worker). With one worker, or one
    /// item, all runs here.
    ///
    /// The calling thread is one of the workers: between its own items it hands back what is
    /// ready, and it waits only when the window is full or every item is taken. A caller that
    /// only waited for results was a third thread on two cores, woken for every document (a
    /// tenth more CPU in a two-worker drain, most of it in the scheduler).
    package static func run<R: Sendable>(count: Int, workers: Int, window: Int? = nil,
                                         work: @escaping @Sendable (Int) -> R, meanwhile: () -> Void = {},
                                         deliver: (Int, R) -> Void) {
        let workers = max(1, min(workers, count))
        guard workers > 1 else {
            meanwhile()
            for i in 0 ..< count { deliver(i, work(i)) }
            return
        }
        let queue = Queue<R>(count: count, window: window ?? workers * 8)
        for _ in 1 ..< workers {
            let thread = Thread {
                while let i = queue.take() { queue.put(i, work(i)) }
            }
            thread.stackSize = 8 << 20  // as the main thread's: deep conditions recurse
            thread.start()
        }
        meanwhile()
        var next = 0
        while next < count {
            while next < count, let r = queue.ready(next) {
                deliver(next, r)
                next += 1
            }
            switch queue.takeWithoutWaiting() {
            case let .item(i): queue.put(i, work(i))
            case .windowFull, .none:
                // Only other workers' items are left, or they hold the window: wait for the next.
                if next < count {
                    deliver(next, queue.result(next))
                    next += 1
                }
            }
        }
    }

    /// Indexes to hand out and results to hand back, under one lock.
    private final class Queue<R>: @unchecked Sendable {
        private let condition = NSCondition()
        private let count: Int
        private let window: Int
        private var next = 0
        /// Results not yet handed back, by index modulo `window`.
        private var slots: [R?]
        /// The index the caller waits for next.
        private var delivered = 0

        init(count: Int, window: Int) {
            self.count = count
            self.window = max(1, window)
            slots = Array(repeating: nil, count: self.window)
        }

        /// The next index to work on, once it is within the window; nil when all are handed out.
        func take() -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while next < count, next - delivered >= window { condition.wait() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        enum Take { case item(Int), windowFull, none }

        /// `take` for the thread that also hands results back: it must never wait for the
        /// window it alone can free.
        func takeWithoutWaiting() -> Take {
            condition.lock()
            defer { condition.unlock() }
            guard next < count else { return .none }
            guard next - delivered < window else { return .windowFull }
            next += 1
            return .item(next - 1)
        }

        /// Result `i`, the next in order, if it is there.
        func ready(_ i: Int) -> R? {
            condition.lock()
            defer { condition.unlock() }
            guard let r = slots[i % window] else { return nil }
            hand(i)
            return r
        }

        func put(_ i: Int, _ result: R) {
            condition.lock()
            slots[i % window] = result
            condition.broadcast()
            condition.unlock()
        }

        /// Waits for result `i`, the next in order.
        func result(_ i: Int) -> R {
            condition.lock()
            defer { condition.unlock() }
            while slots[i % window] == nil { condition.wait() }
            let r = slots[i % window]!
            hand(i)
            return r
        }

        /// Frees result `i`'s slot (under the lock), which may open the window.
        private func hand(_ i: Int) {
            slots[i % window] = nil
            delivered = i + 1
            condition.broadcast()
        }
    }
}
