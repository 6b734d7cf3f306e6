import Synchronization
import WinnowEngine
import WinnowOutput
import WinnowRules

/// What the daemon's services share: the live ruleset and the current summary window.
///
/// The ruleset is swapped whole under the lock; a document in flight keeps the reference it
/// took, so it finishes with the ruleset it started with.
final class DaemonState: Sendable {
    struct Values {
        var ruleset: Ruleset
        var window: SummaryWindow
        var queueDepth = 0
        var lastReloadError: String?
    }

    private let values: Mutex<Values>

    init(ruleset: Ruleset) {
        values = Mutex(Values(ruleset: ruleset, window: SummaryWindow(startNanos: Timestamp.nowNanos())))
    }

    var ruleset: Ruleset { values.withLock { $0.ruleset } }

    func withValues<T>(_ body: (inout Values) -> T) -> T {
        values.withLock { body(&$0) }
    }

    /// Ends the current summary window and starts the next one.
    func takeWindow() -> (SummaryWindow, SummaryState, Int64) {
        let now = Timestamp.nowNanos()
        return values.withLock { v in
            let window = v.window
            v.window = SummaryWindow(startNanos: now)
            let state = SummaryState(ruleset: v.ruleset.hash, rules: v.ruleset.rules.count,
                                     queueDepth: v.queueDepth, lastReloadError: v.lastReloadError)
            return (window, state, now)
        }
    }
}
