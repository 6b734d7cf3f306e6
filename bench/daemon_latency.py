#!/usr/bin/env python3
"""Drive `winnow run` on a temporary inbox and measure per-document latency and drain rate.

    python3 bench/daemon_latency.py --winnow BIN --rules DIR --corpus DIR --work DIR
                                    [--docs 500] [--rate 100] [--cpu 1] [--json OUT]

Phase 1 (steady): renames --docs corpus files into the inbox at --rate per second, waits until
all are in processed/, and takes percentiles of the daemon's own `ms=` values (read, classify,
alert, move) plus drop-to-logged latency (feeder clock vs. the log line's timestamp).
Phase 2 (burst): renames another --docs files at once and times the drain.
Peak RSS is VmHWM from /proc/PID/status just before SIGTERM.
"""
import argparse
import calendar
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time

LINE_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})Z \w+ (?:alert|classified) ")
DOC_RE = re.compile(r' document=("(?:[^"\\]|\\.)*"|\S+)')
MS_RE = re.compile(r" ms=\"?(\d+)")


def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))]


def count_processed(state):
    return sum(len(os.listdir(d)) for d in (state / "processed").glob("*") if d.is_dir())


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            sys.exit(f"daemon_latency: timed out waiting for {what}")
        time.sleep(0.005)


def parse_log(path):
    """document name -> (logged epoch seconds, ms)."""
    out = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        m, d, ms = LINE_RE.match(line), DOC_RE.search(line), MS_RE.search(line)
        if m and d and ms:
            t = calendar.timegm(time.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S")) + int(m.group(2)) / 1000
            out[d.group(1).strip('"')] = (t, int(ms.group(1)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--winnow", required=True)
    ap.add_argument("--rules", required=True, type=pathlib.Path)
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--work", required=True, type=pathlib.Path)
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--rate", type=float, default=100.0, help="steady drop rate, documents/s")
    ap.add_argument("--cpu", type=int, default=1)
    ap.add_argument("--json", type=pathlib.Path)
    args = ap.parse_args()

    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    inbox, state, staging = work / "inbox", work / "state", work / "staging"
    for d in (inbox, state, staging):
        d.mkdir(parents=True)
    files = sorted(args.corpus.iterdir())[:2 * args.docs]
    if len(files) < 2 * args.docs:
        sys.exit(f"daemon_latency: need {2 * args.docs} documents in {args.corpus}")
    for f in files:
        shutil.copyfile(f, staging / f.name)
    steady, burst = [f.name for f in files[:args.docs]], [f.name for f in files[args.docs:]]

    config = work / "winnow.yaml"
    config.write_text(f"inbox: {inbox}\nstate: {state}\nrules: {args.rules.resolve()}\n"
                      "poll_interval: 50ms\nsettle_time: 0s\nlog_level: info\n")
    log = work / "daemon.log"
    env = {k: v for k, v in os.environ.items() if k != "JOURNAL_STREAM"}  # keep timestamps in the log
    # The feeder (this process) stays off the daemon's core when there is another one.
    others = os.sched_getaffinity(0) - {args.cpu}
    if others:
        os.sched_setaffinity(0, others)
    with open(log, "w") as err:
        daemon = subprocess.Popen(["taskset", "-c", str(args.cpu), args.winnow, "run", "--config", str(config)],
                                  stdout=subprocess.DEVNULL, stderr=err, env=env)
    try:
        wait_for(lambda: "watching inbox" in log.read_text() or daemon.poll() is not None, 30, "start-up")
        if daemon.poll() is not None:
            sys.exit(f"daemon_latency: winnow run exited with {daemon.returncode}:\n{log.read_text()}")

        dropped = {}
        start = time.time()
        for i, name in enumerate(steady):
            delay = start + i / args.rate - time.time()
            if delay > 0:
                time.sleep(delay)
            os.rename(staging / name, inbox / name)
            dropped[name] = time.time()
        wait_for(lambda: count_processed(state) >= len(steady), 120, "the steady phase to drain")

        burst_start = time.time()
        for name in burst:
            os.rename(staging / name, inbox / name)
        wait_for(lambda: count_processed(state) >= len(files), 120, "the burst to drain")
        burst_seconds = time.time() - burst_start

        status = pathlib.Path(f"/proc/{daemon.pid}/status").read_text()
        hwm_kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)

    logged = parse_log(log)
    ruleset = re.search(r"watching inbox .*ruleset=(\S+)", log.read_text())
    missing = [n for n in steady + burst if n not in logged]
    if missing:
        sys.exit(f"daemon_latency: {len(missing)} documents not in the log, e.g. {missing[0]}")
    ms = [logged[n][1] for n in steady]
    e2e = [(logged[n][0] - dropped[n]) * 1000 for n in steady]
    steady_seconds = max(logged[n][0] for n in steady) - start
    result = {
        "docs": len(steady), "rate": args.rate,
        "ms_p50": percentile(ms, 50), "ms_p90": percentile(ms, 90),
        "ms_p99": percentile(ms, 99), "ms_max": max(ms),
        "e2e_p50": percentile(e2e, 50), "e2e_p99": percentile(e2e, 99), "e2e_max": max(e2e),
        "drain_rate": len(steady) / steady_seconds,
        "burst_docs": len(burst), "burst_rate": len(burst) / burst_seconds,
        "peak_rss_mb": hwm_kb / 1024,
        "exit": daemon.returncode, "ruleset": ruleset.group(1) if ruleset else "?",
    }
    text = json.dumps(result)
    if args.json:
        args.json.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
