import Logging
import ServiceLifecycle

/// Pings systemd's watchdog (`WatchdogSec=`) while the inbox loop shows signs of life.
///
/// A ping proves more than that the process exists: it is sent only when the inbox loop polled
/// or finished a batch recently, so a loop stuck on a hung filesystem gets the service
/// restarted instead of looking healthy.
struct WatchdogService: Service {
    let state: DaemonState
    let logger: Logger

    func run() async throws {
        guard let interval = state.systemd.watchdogInterval else { return }
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            let (heartbeat, poll) = state.withValues { ($0.heartbeat, $0.config.pollInterval) }
            // A long batch is alive too: allow several ping intervals before going quiet.
            if ContinuousClock.now - heartbeat < max(interval * 3, poll * 3) {
                state.systemd.watchdog()
            } else {
                logger.warning("inbox loop silent for \(ContinuousClock.now - heartbeat); not pinging the watchdog")
            }
        }
    }
}
