/// Counts of a binary decision, and the precision and recall they give.
public struct Tally: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0
    public var trueNegatives = 0

    public init() {}

    /// nil when nothing was predicted (no precision to speak of).
    public var precision: Double? {
        let predicted = truePositives + falsePositives
        return predicted == 0 ? nil : Double(truePositives) / Double(predicted)
    }

    /// nil when nothing was expected.
    public var recall: Double? {
        let expected = truePositives + falseNegatives
        return expected == 0 ? nil : Double(truePositives) / Double(expected)
    }

    public static func += (a: inout Tally, b: Tally) {
        a.truePositives += b.truePositives
        a.falsePositives += b.falsePositives
        a.falseNegatives += b.falseNegatives
        a.trueNegatives += b.trueNegatives
    }
}
