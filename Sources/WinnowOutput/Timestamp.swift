#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock times as RFC 3339 in UTC, with milliseconds: `2026-11-26T02:16:15.123Z`.
public enum Timestamp {
    public static func now() -> String { format(nanos: nowNanos()) }

    public static func nowNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    public static func format(nanos: Int64, milliseconds: Bool = true) -> String {
        var t = time_t(nanos / 1_000_000_000)
        var tm = tm()
        gmtime_r(&t, &tm)
        var s = "\(Int(tm.tm_year) + 1900)-\(pad(Int(tm.tm_mon) + 1))-\(pad(Int(tm.tm_mday)))T"
        s += "\(pad(Int(tm.tm_hour))):\(pad(Int(tm.tm_min))):\(pad(Int(tm.tm_sec)))"
        if milliseconds {
            let ms = Int((nanos / 1_000_000) % 1000)
            s += "." + (ms < 10 ? "00" : ms < 100 ? "0" : "") + String(ms)
        }
        return s + "Z"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
