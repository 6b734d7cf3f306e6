/// How much a fired rule matters, in Sigma's vocabulary.
public enum Level: String, Sendable, CaseIterable, Comparable, Codable {
    case info, low, medium, high, critical

    public var rank: Int { Level.allCases.firstIndex(of: self)! }

    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }
}
