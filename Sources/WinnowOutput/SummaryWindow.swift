import WinnowEngine
import WinnowRules

/// Counts for one summary window: what came through since the last summary block.
public struct SummaryWindow: Sendable {
    public var startNanos: Int64
    public var documents = 0
    public var alerts = 0
    /// Documents by highest level, alerting or not ("none" when no rule fired).
    public var byLevel: [String: Int] = [:]
    public var tags: [String: Int] = [:]
    /// Places by "Name (CC)"; a first-level region as "Name region (CC)", since regions are
    /// often named after their capital (Aktobe region, Aktobe).
    public var places: [String: Int] = [:]
    public var failures: [String: Int] = [:]
    public var duplicates = 0
    public var reloads = 0
    public var failedReloads = 0
    public var bytes = 0

    public init(startNanos: Int64) { self.startNanos = startNanos }

    public mutating func record(_ c: Classification, alerted: Bool) {
        documents += 1
        bytes += c.document.bytes
        if alerted { alerts += 1 }
        byLevel[c.level?.rawValue ?? "none", default: 0] += 1
        for tag in c.tags where !tag.hasPrefix("place:") { tags[tag, default: 0] += 1 }
        for p in c.places where p.role == .main {
            let name = p.kind == "region" ? p.name + " region" : p.name
            places[p.country.map { "\(name) (\($0))" } ?? name, default: 0] += 1
        }
    }

    public mutating func recordDuplicate(bytes count: Int) {
        duplicates += 1
        bytes += count
    }

    public mutating func recordFailure(_ reason: String) {
        failures[reason, default: 0] += 1
    }
}

/// What the summary block shows besides the window's counts.
public struct SummaryState: Sendable {
    public var ruleset: String
    public var rules: Int
    public var queueDepth: Int
    public var lastReloadError: String?

    public init(ruleset: String, rules: Int, queueDepth: Int, lastReloadError: String? = nil) {
        self.ruleset = ruleset
        self.rules = rules
        self.queueDepth = queueDepth
        self.lastReloadError = lastReloadError
    }
}
