import Foundation
import WinnowTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Peak memory of one large document, measured on the real binary (`winnow classify`), as the
/// kernel counts it: resident set size at its highest, less what the same run takes on a
/// one-line document (the binary, the runtime and the ruleset).
final class MemoryTests: XCTestCase {
    /// 16 MB: large enough that the document, not the ruleset, decides the peak.
    static let documentBytes = 16 << 20

    func testLargeUTF8Document_peaksUnderFourTimesItsSize() throws {
        let dir = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let text = Self.newsText(bytes: Self.documentBytes)
        let big = dir.path + "/big.txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: big))
        let growth = try peakGrowth(dir, big)
        XCTAssertLessThanOrEqual(growth, 4 * Self.documentBytes,
                                 "a \(Self.documentBytes >> 20) MB document took \(growth >> 20) MB more than a one-line one")
    }

    /// A windows-1251 file becomes twice as many bytes of UTF-8 text (Cyrillic letters take two):
    /// the bound is four times that text.
    func testLargeWindows1251Document_peaksUnderFourTimesItsText() throws {
        let dir = TempFolder()
        try copyShippedRulesWithoutGazetteer(to: dir.path + "/rules")
        let text = Self.newsText(bytes: Self.documentBytes, russian: true)
        let encoded = try XCTUnwrap(text.data(using: .windowsCP1251))
        let big = dir.path + "/big.txt"
        try encoded.write(to: URL(fileURLWithPath: big))
        let growth = try peakGrowth(dir, big)
        let utf8 = text.utf8.count
        XCTAssertGreaterThan(utf8, encoded.count * 3 / 2)
        XCTAssertLessThanOrEqual(growth, 4 * utf8,
                                 "\(encoded.count >> 20) MB of windows-1251 (\(utf8 >> 20) MB as text) took \(growth >> 20) MB more than a one-line document")
    }

    /// Peak RSS of classifying `document` less that of classifying a one-line file.
    private func peakGrowth(_ dir: TempFolder, _ document: String) throws -> Int {
        let small = dir.path + "/small.txt"
        try Data("One line.\n".utf8).write(to: URL(fileURLWithPath: small))
        let rules = dir.path + "/rules"
        let base = try peakResident(["classify", "--rules", rules, small])
        let peak = try peakResident(["classify", "--rules", rules, document])
        return peak - base
    }

    /// Runs `winnow arguments` to completion and returns its peak resident set size in bytes.
    private func peakResident(_ arguments: [String]) throws -> Int {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([winnowBinary()] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("WINNOW_CACHE_DIR=" + NSTemporaryDirectory() + "winnow-test-cache"), nil]
        defer { environment.forEach { free($0) } }
        let spawned = posix_spawn(&pid, winnowBinary(), &actions, nil, argv, environment)
        XCTAssertEqual(spawned, 0)
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        XCTAssertEqual(status, 0, "winnow \(arguments.joined(separator: " ")) failed")
        return usage.ru_maxrss * 1024
    }

    /// News-like sentences (written for this test) of at least `bytes` bytes in UTF-8, with
    /// words the shipped packs look for, so the rules have hits to keep.
    static func newsText(bytes: Int, russian: Bool = false) -> String {
        let sentences = russian ? [
            "Полиция задержала двух подозреваемых в контрабанде топлива на границе области.",
            "По словам следователей, группа действовала несколько лет и подкупала чиновников.",
            "Суд приговорил лидера преступной группировки к девяти годам заключения.",
            "Жители города вышли на митинг против повышения цен на газ.",
            "Министерство сообщило о задержании членов запрещённой организации.",
            "В отчёте говорится о росте числа мошенничеств с банковскими картами.",
        ] : [
            "Police detained two suspects accused of smuggling fuel across the border on Tuesday.",
            "Investigators said the group had bribed customs officials for several years.",
            "The court sentenced the leader of the criminal gang to nine years in prison.",
            "Residents gathered in the central square to protest against higher gas prices.",
            "The ministry said members of a banned extremist organisation were arrested.",
            "A report found a sharp rise in card fraud and money laundering cases.",
        ]
        var out = ""
        out.reserveCapacity(bytes + 200)
        var k = 0
        while out.utf8.count < bytes {
            out += sentences[k % sentences.count]
            out += k % 5 == 4 ? "\n\n" : " "
            k += 1
        }
        return out
    }
}
