import Logging
import ServiceLifecycle
import WinnowFiles
import WinnowOutput

/// Appends a summary block every `summary_interval` and a last one at shutdown.
///
/// It is listed before the inbox in the service group, so at shutdown it stops after the inbox
/// has finished its batch: the last block counts everything.
struct SummaryService: Service {
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let config = state.config
        let log = SummaryLog(folder: config.state, maxBytes: config.summaryMaxBytes, keep: config.summaryKeep)
        while true {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: state.config.summaryInterval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            write(log, final: false)
        }
        write(log, final: true)
        state.withValues { $0.status.stopped = true }
        state.publish(force: true)
    }

    private func write(_ log: SummaryLog, final: Bool) {
        log.maxBytes = state.config.summaryMaxBytes  // as reloaded by SIGHUP
        log.keep = state.config.summaryKeep
        let (window, summaryState, end) = state.takeWindow()
        do {
            try log.write(window, endNanos: end, state: summaryState, final: final)
        } catch where final {
            // No next block to carry the counts: they go to the log rather than nowhere.
            logger.error("failed to write the last summary: \(error); here it is: \(SummaryLog.jsonLine(window, endNanos: end, state: summaryState, final: true))")
        } catch {
            // Keep the counts: the next block (once there is space) covers this window too.
            state.restoreWindow(window)
            logger.error("failed to write the summary: \(error); its counts carry over to the next one")
        }
    }
}
