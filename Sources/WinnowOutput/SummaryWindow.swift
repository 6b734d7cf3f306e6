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

    /// What the window counts of one classification, taken from it where it is made (the
    /// daemon frees the rest of a classification there, not when its batch is committed).
    public struct Entry: Sendable {
        public var level: Level?
        public var bytes: Int
        /// Its tags but places'.
        public var tags: [String]
        /// Its main places, as the window names them.
        public var places: [String]

        public init(_ c: Classification) {
            level = c.level
            bytes = c.document.bytes
            tags = c.tags.filter { !$0.hasPrefix("place:") }
            places = c.places.filter { $0.role == .main }.map { p in
                let name = p.kind == "region" ? p.name + " region" : p.name
                return p.country.map { "\(name) (\($0))" } ?? name
            }
        }
    }

    public mutating func record(_ entry: Entry, alerted: Bool) {
        documents += 1
        bytes += entry.bytes
        if alerted { alerts += 1 }
        byLevel[entry.level?.rawValue ?? "none", default: 0] += 1
        for tag in entry.tags { tags[tag, default: 0] += 1 }
        for place in entry.places { places[place, default: 0] += 1 }
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
