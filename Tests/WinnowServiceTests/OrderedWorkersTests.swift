import Foundation
import Synchronization
@testable import WinnowService
import XCTest

/// `OrderedWorkers.run` works every item once, on several threads, the caller among them, and
/// hands results back in order, however long each item takes.
final class OrderedWorkersTests: XCTestCase {
    func testRun_deliversEveryResultOnceInOrder_whateverFinishesFirst() {
        for (count, workers, window) in [(200, 2, 3), (200, 3, 1), (7, 8, 16), (1, 2, 4), (0, 2, 4)] {
            let worked = Mutex([Int](repeating: 0, count: count))
            var delivered: [Int] = []
            OrderedWorkers.run(count: count, workers: workers, window: window) { i -> Int in
                // Uneven items: every seventh is slow, so later ones finish first.
                if i % 7 == 0 { usleep(2000) }
                worked.withLock { $0[i] += 1 }
                return i * i
            } deliver: { i, r in
                XCTAssertEqual(r, i * i)
                delivered.append(i)
            }
            XCTAssertEqual(delivered, Array(0 ..< count), "count \(count), workers \(workers), window \(window)")
            XCTAssertEqual(worked.withLock { $0 }, [Int](repeating: 1, count: count))
        }
    }

    func testRun_withSeveralWorkers_usesTheCallingThreadAndOthers() {
        let caller = pthread_self()
        let onCaller = Atomic(0), elsewhere = Atomic(0)
        OrderedWorkers.run(count: 64, workers: 2) { _ -> Int in
            if pthread_equal(pthread_self(), caller) != 0 { onCaller.add(1, ordering: .relaxed) } else { elsewhere.add(1, ordering: .relaxed) }
            usleep(1000)
            return 0
        } deliver: { _, _ in }
        XCTAssertGreaterThan(onCaller.load(ordering: .relaxed), 0)
        XCTAssertGreaterThan(elsewhere.load(ordering: .relaxed), 0)
        XCTAssertEqual(onCaller.load(ordering: .relaxed) + elsewhere.load(ordering: .relaxed), 64)
    }

    func testRun_meanwhileRunsOnTheCallerWhileOthersWork() {
        let started = Atomic(0)
        var sawWorkStarted = false
        var ranMeanwhile = 0
        OrderedWorkers.run(count: 8, workers: 2) { _ -> Int in
            started.add(1, ordering: .relaxed)
            usleep(5000)
            return 0
        } meanwhile: {
            ranMeanwhile += 1
            // The other worker is already at it: wait (bounded) until it has taken an item.
            for _ in 0 ..< 1000 where started.load(ordering: .relaxed) == 0 { usleep(1000) }
            sawWorkStarted = started.load(ordering: .relaxed) > 0
        } deliver: { _, _ in }
        XCTAssertEqual(ranMeanwhile, 1)
        XCTAssertTrue(sawWorkStarted)
    }
}
