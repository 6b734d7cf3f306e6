import Logging
import ServiceLifecycle
import WinnowFiles
import WinnowOutput

/// Appends a summary block every `summary_interval` and a last one at shutdown.
///
/// It is listed before the inbox in the service group, so at shutdown it stops after the inbox
/// has finished its document: the last block counts everything.
struct SummaryService: Service {
    let config: WinnowConfig
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        let log = SummaryLog(folder: config.state)
        while true {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: config.summaryInterval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            write(log, final: false)
        }
        write(log, final: true)
    }

    private func write(_ log: SummaryLog, final: Bool) {
        let (window, summaryState, end) = state.takeWindow()
        do {
            try log.write(window, endNanos: end, state: summaryState, final: final)
        } catch {
            logger.error("failed to write summary: \(error)")
        }
    }
}
