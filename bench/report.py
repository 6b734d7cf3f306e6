#!/usr/bin/env python3
"""Print the bench table and write it as Markdown.

    python3 bench/report.py --results OUT/results.tsv --latency OUT/latency.json
                            --markdown OUT/results.md --cpu N --corpus DIR

results.tsv rows: label, bytes, docs, wall seconds of each run (comma-separated),
peak RSS in KB, documents flagged.
"""
import argparse
import json
import pathlib
import platform
import statistics
import subprocess

TARGET_MBS = 100


def cpu_model():
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def git_describe():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "Sources", "rules"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" + uncommitted changes in Sources/ or rules/" if dirty else "")
    except OSError:
        return "unknown"


def read_rows(path):
    """Table rows, MB/s (best, median) and seconds (best, median) by label, and the run count."""
    rows, mbs, seconds, nruns = [], {}, {}, 0
    for line in path.read_text().splitlines():
        label, nbytes, ndocs, runs, rss_kb, flagged = line.split("\t")
        runs = [float(s) for s in runs.split(",")]
        best, median = min(runs), statistics.median(runs)
        nbytes, ndocs = int(nbytes), int(ndocs)
        mbs[label] = (nbytes / 1e6 / best, nbytes / 1e6 / median)
        seconds[label] = (best, median)
        rows.append([label, f"{mbs[label][0]:.1f}", f"{mbs[label][1]:.1f}", f"{ndocs / best:.0f}",
                     f"{ndocs / median:.0f}", f"{int(rss_kb) / 1024:.1f}", flagged])
        nruns = len(runs)
    return rows, mbs, seconds, nruns


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", type=pathlib.Path, required=True)
    ap.add_argument("--latency", type=pathlib.Path)
    ap.add_argument("--markdown", type=pathlib.Path, required=True)
    ap.add_argument("--cpu", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--terms", type=pathlib.Path, required=True, help="the peers' terms.txt")
    ap.add_argument("--rules", default="rules")
    ap.add_argument("--loads", type=pathlib.Path, help="gazetteer-load.tsv: label, phase, seconds, peak RSS KB")
    ap.add_argument("--reading", type=pathlib.Path, help="reading.tsv: rows as results.tsv, for the cost of reading")
    args = ap.parse_args()

    header = ["tool", "MB/s best", "MB/s median", "docs/s best", "docs/s median", "peak RSS MB", "docs flagged"]
    rows, mbs, seconds, nruns = read_rows(args.results)

    notes = []
    if "winnow" in mbs and "yara" in mbs:
        w, y = mbs["winnow"], mbs["yara"]
        notes.append(f"Winnow/YARA ratio: {w[0] / y[0]:.2f} (best), {w[1] / y[1]:.2f} (median)")
    if "winnow" in mbs:
        verdict = "met" if mbs["winnow"][0] >= TARGET_MBS else "NOT met"
        notes.append(f"Target >= {TARGET_MBS} MB/s per core end to end: {verdict} ({mbs['winnow'][0]:.1f} MB/s best)")
    l = json.loads(args.latency.read_text()) if args.latency and args.latency.exists() else None
    if l:
        notes.append(
            f"Daemon latency ({l['docs']} docs dropped at {l['rate']:.0f}/s, poll 50ms, settle 0s): "
            f"ms= p50 {l['ms_p50']} / p90 {l['ms_p90']} / p99 {l['ms_p99']} / max {l['ms_max']} ms; "
            f"drop-to-logged p50 {l['e2e_p50']:.0f} / p99 {l['e2e_p99']:.0f} / max {l['e2e_max']:.0f} ms; "
            f"drain {l['drain_rate']:.0f} docs/s steady, {l['burst_rate']:.0f} docs/s for a burst of "
            f"{l['burst_docs']}; peak RSS {l['peak_rss_mb']:.1f} MB")

    if args.loads and args.loads.exists():
        for line in args.loads.read_text().splitlines():
            label, phase, secs, rss_kb = line.split("\t")
            notes.append(f"Gazetteer load, {label}, {phase} cache: {float(secs):.2f} s for one document "
                         f"(process start included), peak RSS {int(rss_kb) / 1024:.0f} MB")

    with open(args.corpus + ".info") as f:
        corpus_info = f.read().strip()
    context = [f"CPU: {cpu_model()}; runs pinned to core {args.cpu} (taskset); best and median of {nruns} interleaved rounds, "
               f"page cache warm, output to /dev/null",
               f"Corpus: {corpus_info}", f"Winnow: {git_describe()}",
               f"Packs: {args.rules}/ as snapshot at bench start (ruleset {l['ruleset'] if l else '?'}); peers get its "
               f"{len(args.terms.read_text().splitlines())} literal words terms, no regex or field matchers"]

    reading = []
    if args.reading and args.reading.exists():
        reading, rmbs, rsec, _ = read_rows(args.reading)
        if "html pages" in rsec and "text sized as the pages" in rsec:
            h, t = rsec["html pages"], rsec["text sized as the pages"]
            notes.append(f"HTML pages / plain text of the same size, time: {h[0] / t[0]:.2f}x (best), {h[1] / t[1]:.2f}x "
                         f"(median); the target is at most 1.3x")
        if "legacy charsets" in rsec and "utf-8 text" in rsec:
            l, u = rsec["legacy charsets"], rsec["utf-8 text"]
            notes.append(f"Undeclared legacy charsets (every document with Cyrillic in it in windows-1251 or KOI8-R, "
                         f"detected) / the same documents in UTF-8, time: {l[0] / u[0]:.2f}x (best), {l[1] / u[1]:.2f}x (median)")

    widths = [max(len(r[i]) for r in [header] + rows + reading) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    print("\n".join(context))
    print()
    print(fmt(header))
    print(fmt(["-" * w for w in widths]))
    for r in rows:
        print(fmt(r))
    if reading:
        print("\nreading (topic packs only):")
        for r in reading:
            print(fmt(r))
    print()
    print("\n".join(notes))

    md = ["# Winnow bench results", ""] + [f"- {c}" for c in context] + [""]
    md.append("| " + " | ".join(header) + " |")
    md.append("|" + "|".join(" --- " if i == 0 else " ---: " for i in range(len(header))) + "|")
    md += ["| " + " | ".join(r) + " |" for r in rows]
    if reading:
        md += ["", "Reading (topic packs only, no gazetteer): the same documents as UTF-8 text, with undeclared "
               "legacy charsets, as web pages, and as plain text as long as the pages.", ""]
        md.append("| " + " | ".join(["documents"] + header[1:]) + " |")
        md.append("|" + "|".join(" --- " if i == 0 else " ---: " for i in range(len(header))) + "|")
        md += ["| " + " | ".join(r) + " |" for r in reading]
    md += [""] + [f"- {n}" for n in notes]
    md += ["", "MB = 10^6 bytes. docs flagged: Winnow = documents with at least one fired rule; "
           "peers = documents with at least one term hit (a sanity check, not a like-for-like measure)."]
    args.markdown.write_text("\n".join(md) + "\n")
    print(f"\nwritten: {args.markdown}")


if __name__ == "__main__":
    main()
