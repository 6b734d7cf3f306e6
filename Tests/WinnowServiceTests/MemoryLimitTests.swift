import Foundation
@testable import WinnowService
import WinnowTestSupport
import XCTest

final class MemoryLimitTests: XCTestCase {
    func testCurrent_takesTheTightestMemoryMaxFromTheProcessCgroupUp() throws {
        let dir = TempFolder()
        try dir.write("proc", "1:name=systemd:/\n0::/system.slice/winnow.service\n")
        try dir.write("root/system.slice/winnow.service/memory.max", "536870912\n")
        try dir.write("root/system.slice/memory.max", "max\n")
        try dir.write("root/memory.max", "1073741824\n")
        XCTAssertEqual(MemoryLimit.current(proc: dir.path + "/proc", root: dir.path + "/root"), 512 << 20)
        try dir.write("root/system.slice/winnow.service/memory.max", "max\n")
        XCTAssertEqual(MemoryLimit.current(proc: dir.path + "/proc", root: dir.path + "/root"), 1 << 30)
        XCTAssertNil(MemoryLimit.current(proc: dir.path + "/absent", root: dir.path + "/root"))
    }

    func testWarning_whenMaxBytesTimesTheMeasuredFactorExceedsTheLimit_namesBothSettings() {
        XCTAssertNil(MemoryLimit.warning(maxBytes: 32 << 20, limit: nil))
        XCTAssertNil(MemoryLimit.warning(maxBytes: 64 << 20, limit: 1 << 30))
        let w = MemoryLimit.warning(maxBytes: 256 << 20, limit: 1 << 30) ?? ""
        XCTAssertTrue(w.contains("max_bytes (256 MB)") && w.contains("1024 MB") && w.contains("MemoryMax"), w)
        XCTAssertNotNil(MemoryLimit.warning(maxBytes: .max, limit: 1 << 30), "no overflow")
    }
}
