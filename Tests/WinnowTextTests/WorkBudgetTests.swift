@testable import WinnowText
import XCTest

final class WorkBudgetTests: XCTestCase {
    /// One descriptor on /proc/self/statm serves every look: each pread renders it afresh, so
    /// memory touched after the first look shows in the next.
    func testResidentBytes_seesMemoryTouchedSinceTheLastLook() {
        let before = WorkBudget.residentBytes()
        XCTAssertGreaterThan(before, 1 << 20)
        let touched = 64 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: touched, alignment: 4096)
        defer { block.deallocate() }
        block.initializeMemory(as: UInt8.self, repeating: 1, count: touched)
        XCTAssertGreaterThan(WorkBudget.residentBytes() - before, touched / 2)
    }

    func testMemoryBudget_isSpentOnceGrowthPassesIt_atTheFirstLookAfter20ms() throws {
        let budget = WorkBudget(time: nil, memory: 16 << 20)
        let touched = 64 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: touched, alignment: 4096)
        defer { block.deallocate() }
        block.initializeMemory(as: UInt8.self, repeating: 1, count: touched)
        let deadline = ContinuousClock.now + .seconds(5)
        while !budget.check(), ContinuousClock.now < deadline { usleep(1000) }
        XCTAssertEqual(budget.overrun, .memory(16 << 20))
    }
}
