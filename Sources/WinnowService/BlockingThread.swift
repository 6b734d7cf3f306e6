import Foundation

/// A thread of its own for work that blocks: classification, fsync, compiling a ruleset.
///
/// Swift's cooperative pool has one thread per core (two here): a batch of heavy documents and
/// a rules compile on it would leave no thread for the watchdog pings, the signal handlers or
/// the reload trigger, and systemd would kill a daemon that is working. Jobs run one at a time,
/// in order; the awaiting task is suspended, not blocked.
final class BlockingThread: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    init(name: String) {
        // The thread holds the object: it lives as long as the process.
        let thread = Thread { self.loop() }
        thread.name = name
        thread.start()
    }

    /// Runs `body` on the thread and returns its result. `body` may capture state that is not
    /// Sendable: the caller awaits, so nothing else touches it meanwhile.
    func run<T, E: Error>(_ body: @escaping () throws(E) -> T) async throws(E) -> T {
        nonisolated(unsafe) let body = body
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            submit {
                do throws(E) {
                    let value = try body()
                    nonisolated(unsafe) let sent = Result<T, E>.success(value)
                    continuation.resume(returning: sent)
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// Starts `body` on the thread, for a caller that goes on meanwhile and waits later.
    func start<E: Error>(_ body: @escaping () throws(E) -> Void) -> Started<E> {
        let started = Started<E>()
        submit {
            do throws(E) { try body() } catch { started.error = error }
            started.done.signal()
        }
        return started
    }

    /// Work started with `start`.
    final class Started<E: Error>: @unchecked Sendable {
        fileprivate let done = DispatchSemaphore(value: 0)
        fileprivate var error: E?

        /// Waits until the work ran; its error, if it threw one.
        func wait() throws(E) {
            done.wait()
            if let error { throw error }
        }
    }

    private func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
