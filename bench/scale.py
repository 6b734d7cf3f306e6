#!/usr/bin/env python3
"""Like-for-like, one large file, memory and drain: the rows issue 14 asks `make bench` for.

    python3 bench/scale.py --winnow BIN --rules RULES --corpus FOLDER --out OUT --cpu N --runs N

Needs OUT/terms.txt and OUT/packs.yar (bench/peers.py). Writes OUT/scale.md and prints it.

- like-for-like: the peers' term list as one Winnow pack (one list, one `words` matcher), so
  every tool looks for the same words; on the folder and on the folder's files as one file;
- the shipped packs on both, against YARA given only their literal words;
- memory: peak RSS of `winnow classify` on a 100 MB document (the corpus repeated), less the
  same run on a one-line file, as a multiple of the document;
- drain: a pre-filled inbox emptied by `winnow run` with one worker on one core and with two
  workers on two cores, against `winnow classify` over the same files on one core;
- with --cities500 (a rules folder whose gazetteer is GeoNames' cities500.txt) and --geonames:
  Winnow with that gazetteer against pyahocorasick given the same file's names, on both.
Each timed row is the median of --runs runs (the drain's, of at least five) after one warm-up,
pinned with taskset; the rows compared with each other are timed in interleaved rounds (one run
of each per round), and the drain's ratios are the medians of each round's ratio.
"""
import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(cmd, cpus, ok=(0,)):
    """Wall seconds and peak RSS (KB) of one run of `cmd` pinned to `cpus`."""
    pinned = ["taskset", "-c", cpus, "/usr/bin/time", "-f", "%M", "-o", "/dev/stderr"] + cmd
    t0 = time.monotonic()
    p = subprocess.run(pinned, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.monotonic() - t0
    if p.returncode not in ok:
        sys.exit(f"scale: {' '.join(cmd)} exited with {p.returncode}: {p.stderr.decode()[-500:]}")
    return elapsed, int(p.stderr.decode().strip().splitlines()[-1])


def timed(cmd, cpus, runs, ok=(0,)):
    """Median wall seconds and peak RSS (KB) of `cmd` pinned to `cpus`, after a warm-up."""
    return interleaved([(cmd, ok)], cpus, runs)[0]


def interleaved(cmds, cpus, runs):
    """Median seconds and peak RSS (KB) of each (cmd, ok), after a warm-up of each, timed in
    rounds of one run of every command: the host's speed drifts by a third within minutes,
    and runs of one tool after another's put that drift into their ratio."""
    for cmd, ok in cmds:
        run_once(cmd, cpus, ok)
    seconds = [[] for _ in cmds]
    rss = [0] * len(cmds)
    for _ in range(runs):
        for i, (cmd, ok) in enumerate(cmds):
            s, r = run_once(cmd, cpus, ok)
            seconds[i].append(s)
            rss[i] = max(rss[i], r)
    return [(statistics.median(s), r) for s, r in zip(seconds, rss)]


def literal_pack(terms_file, folder):
    """The peers' terms as one Winnow pack."""
    terms = [t.strip() for t in terms_file.read_text(encoding="utf-8").splitlines() if t.strip()]
    folder.mkdir(parents=True, exist_ok=True)
    listing = ",\n    ".join(json.dumps(t, ensure_ascii=False) for t in terms)
    (folder / "literal.yaml").write_text(
        "pack: literal\n"
        "description: The peers' term list, for a like-for-like row\n"
        f"lists:\n  terms: [\n    {listing}]\n"
        "rules:\n"
        "  - id: literal.any\n    title: Any term\n    level: low\n"
        "    match:\n      term: $terms\n    condition: term\n", encoding="utf-8")
    return folder


def one_file(corpus, path, at_least=0):
    """The corpus's files as one file (repeated until it has `at_least` bytes)."""
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(path, "wb") as out:
        while True:
            for f in files:
                data = f.read_bytes()
                out.write(data + b"\n\n")
                written += len(data) + 2
            if written >= at_least:
                break
    return written


def drain(winnow, rules, corpus, work, workers, cpus):
    """Seconds for `winnow run` to empty an inbox pre-filled with the corpus."""
    shutil.rmtree(work, ignore_errors=True)
    inbox, state = work / "inbox", work / "state"
    inbox.mkdir(parents=True)
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    for f in files:
        shutil.copyfile(f, inbox / f.name)
    # A pre-filled inbox is on disk: without this, the copies' writeback ran during the drain
    # (the daemon's first fsync waited for it, and the flusher took CPU from the workers).
    os.sync()
    config = work / "winnow.yaml"
    config.write_text(f"inbox: {inbox}\nstate: {state}\nrules: {rules}\npoll_interval: 50ms\n"
                      f"settle_time: 0s\nsummary_interval: 1h\nworkers: {workers}\nbatch_size: 256\n"
                      "log_level: warning\nkeep_processed: false\n")
    log = work / "run.log"
    t0 = time.monotonic()
    p = subprocess.Popen(["taskset", "-c", cpus, winnow, "run", "--config", str(config)],
                         stdout=subprocess.DEVNULL, stderr=open(log, "wb"))
    # The journal is read as it grows, not again from its start at every look: with two
    # workers on two cores, re-reading a journal of thousands of lines every 20 ms took CPU
    # from the daemon being measured.
    journal, tail, lines = None, b"", 0
    try:
        deadline = t0 + 600
        while time.monotonic() < deadline:
            if p.poll() is not None:  # it refused to start (rules with errors, say): no use waiting
                sys.exit(f"scale: winnow run exited with {p.returncode} before draining its inbox:\n"
                         + log.read_text(errors="replace")[-2000:])
            if journal is None and (state / "journal.tsv").exists():
                journal = open(state / "journal.tsv", "rb")
            if journal is not None:
                *complete, tail = (tail + journal.read()).split(b"\n")
                lines += sum(1 for l in complete if b"\t@alerts\t" not in l)
                if lines >= len(files):
                    break
            time.sleep(0.02)
        else:
            sys.exit("scale: the daemon did not drain its inbox in 600 s")
        return time.monotonic() - t0
    finally:
        if journal is not None:
            journal.close()
        p.terminate()
        p.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--winnow", required=True)
    ap.add_argument("--rules", required=True, type=pathlib.Path)
    ap.add_argument("--corpus", required=True, type=pathlib.Path)
    ap.add_argument("--out", required=True, type=pathlib.Path)
    ap.add_argument("--cpu", default="1")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cities500", type=pathlib.Path, help="rules folder with the cities500 gazetteer")
    ap.add_argument("--geonames", type=pathlib.Path, help="folder holding cities500.txt")
    a = ap.parse_args()
    out, corpus, w = a.out, a.corpus, a.winnow
    mb = lambda n: n / 1e6
    folder_bytes = sum(p.stat().st_size for p in corpus.iterdir() if p.is_file())
    literal = literal_pack(out / "terms.txt", out / "rules-literal")
    big = out / "one-file" / "all.txt"
    big_bytes = one_file(corpus, big)
    rows = {}

    def rows_of(size, *labelled):
        """Rows of (label, cmd, ok) over `size` bytes, timed in interleaved rounds."""
        for (label, _, _), (s, rss) in zip(labelled, interleaved([(c, ok) for _, c, ok in labelled], a.cpu, a.runs)):
            rows[label] = (size / s / 1e6, rss / 1024)
            print(f"{label:44s} {mb(size) / s:8.1f} MB/s {rss / 1024:8.1f} MB", flush=True)

    count = sum(1 for _ in corpus.iterdir())
    print(f"== like-for-like: {count} documents ({mb(folder_bytes):.1f} MB) and the same as one file, "
          f"one core, median of {a.runs} interleaved rounds")
    for where, target, size in (("folder", str(corpus), folder_bytes), ("one file", str(big), big_bytes)):
        rows_of(size,
                (f"winnow literal pack, {where}", [w, "classify", "--rules", str(literal), "--format", "json", target], (0,)),
                (f"yara, {where}", ["yara", "-w", "-p", "1", str(out / "packs.yar"), target], (0,)),
                (f"ripgrep, {where}", ["rg", "-c", "-i", "-w", "-F", "-f", str(out / "terms.txt"), "-j1", "--no-ignore", target],
                 (0, 1)),
                (f"winnow shipped packs, {where}", [w, "classify", "--rules", str(a.rules), "--format", "json", target], (0,)))

    if a.cities500 and a.geonames and (a.geonames / "cities500.txt").exists():
        print("== the cities500 gazetteer against pyahocorasick with its names")
        names = out / "cities500-names.txt"
        seen = set()
        with open(a.geonames / "cities500.txt", encoding="utf-8") as f, open(names, "w", encoding="utf-8") as o:
            for line in f:
                cols = line.rstrip("\n").split("\t")
                for n in [cols[1], cols[2]] + (cols[3].split(",") if len(cols) > 3 and cols[3] else []):
                    n = n.strip()
                    if len(n) >= 2 and n not in seen:
                        seen.add(n)
                        o.write(n + "\n")
        print(f"{len(seen)} names")
        one_folder = out / "one-file-only"
        one_folder.mkdir(exist_ok=True)
        link = one_folder / "all.txt"
        if not link.exists():
            os.link(big, link)
        for where, target, size in (("folder", corpus, folder_bytes), ("one file", one_folder, big_bytes)):
            rows_of(size,
                    (f"winnow cities500 gazetteer, {where}",
                     [w, "classify", "--rules", str(a.cities500), "--format", "json", str(target)], (0,)),
                    (f"pyahocorasick cities500 names, {where}",
                     [sys.executable, str(pathlib.Path(__file__).parent / "aho_scan.py"), str(names), str(target)], (0,)))

    print("== memory: one 100 MB document, shipped packs")
    doc = out / "one-file" / "100mb.txt"
    doc_bytes = one_file(corpus, doc, at_least=100_000_000)
    tiny = out / "one-file" / "line.txt"
    tiny.write_text("One line.\n")
    config = out / "one-file" / "winnow.yaml"
    config.write_text("max_bytes: 200MB\n")
    _, base = timed([w, "classify", "--config", str(config), "--rules", str(a.rules), str(tiny)], a.cpu, 1)
    _, peak = timed([w, "classify", "--config", str(config), "--rules", str(a.rules), str(doc)], a.cpu, 1)
    growth = (peak - base) * 1024
    print(f"peak {peak / 1024:.0f} MB, {base / 1024:.0f} MB on one line: {growth / doc_bytes:.2f}x the document")
    doc.unlink()

    print("== drain: a pre-filled inbox, winnow run, against winnow classify on one core")
    # Rounds of one classify, one drain with one worker and one with two, each row the median
    # of its rounds: the host's speed drifts by a third within minutes, and three classify
    # runs followed by six drains put that drift into the ratios.
    cores = sorted(os.sched_getaffinity(0))
    two_cpus = ",".join(map(str, cores[:2])) if len(cores) >= 2 else None
    run_drain = lambda workers, cpus: drain(w, a.rules.resolve(), corpus.resolve(), (out / "drain").resolve(), workers, cpus)
    run_drain(1, a.cpu)  # warm-up: the first start with these rules may build its caches
    rounds = []
    # At least five rounds: single rounds of the two-worker drain ranged from 1.4x to 1.9x the
    # one-worker drain on this host within an hour, and a round takes only seven seconds.
    for _ in range(max(a.runs, 5)):
        classify_round, _ = run_once([w, "classify", "--rules", str(a.rules), "--format", "json", "-j", "1", str(corpus)],
                                     a.cpu)
        rounds.append((classify_round, run_drain(1, a.cpu), run_drain(2, two_cpus) if two_cpus else None))
    classify_s = statistics.median(r[0] for r in rounds)
    one = statistics.median(r[1] for r in rounds)
    two = statistics.median(r[2] for r in rounds) if two_cpus else None
    # The ratios are medians of each round's ratio: a round's three runs share the host's pace.
    one_ratio = statistics.median(r[0] / r[1] for r in rounds)
    two_ratio = statistics.median(r[1] / r[2] for r in rounds) if two_cpus else None
    shutil.rmtree(out / "drain", ignore_errors=True)
    n = sum(1 for _ in corpus.iterdir())
    print(f"classify {n / classify_s:.0f} docs/s; run, 1 worker: {n / one:.0f} docs/s"
          + (f"; 2 workers on 2 cores: {n / two:.0f} docs/s" if two else ""))

    def ratio(a_label, b_label):
        return rows[a_label][0] / rows[b_label][0]
    lines = [
        "| row | MB/s | peak RSS MB |", "| --- | ---: | ---: |",
        *[f"| {k} | {v[0]:.1f} | {v[1]:.1f} |" for k, v in rows.items()],
        "",
        f"- Like-for-like, folder: {ratio('winnow literal pack, folder', 'yara, folder'):.2f}x YARA (target 1.5), "
        f"{ratio('winnow literal pack, folder', 'ripgrep, folder'):.2f}x ripgrep (target 1.0)",
        f"- Like-for-like, one file: {ratio('winnow literal pack, one file', 'ripgrep, one file'):.2f}x ripgrep (target 1.0); "
        f"one file / folder: {ratio('winnow literal pack, one file', 'winnow literal pack, folder'):.2f} (target >= 1)",
        f"- Shipped packs, folder: {ratio('winnow shipped packs, folder', 'yara, folder'):.2f}x YARA given their words (target 1.0); "
        f"one file / folder: {ratio('winnow shipped packs, one file', 'winnow shipped packs, folder'):.2f}",
        *([f"- cities500: {ratio('winnow cities500 gazetteer, folder', 'pyahocorasick cities500 names, folder'):.2f}x "
           f"pyahocorasick with its names on the folder, "
           f"{ratio('winnow cities500 gazetteer, one file', 'pyahocorasick cities500 names, one file'):.2f}x on the one file "
           f"(target 3)"] if "pyahocorasick cities500 names, folder" in rows else []),
        f"- Memory, one {doc_bytes / 1e6:.0f} MB document: {growth / doc_bytes:.2f}x the document above the ruleset (target 4)",
        f"- Drain of {n} documents ({len(rounds)} rounds): one worker {n / one:.0f} docs/s = {one_ratio:.2f}x "
        f"`winnow classify -j 1` (target 0.9)"
        + (f"; two workers on two cores {n / two:.0f} docs/s = {two_ratio:.2f}x one worker (target 1.8)" if two else ""),
    ]
    (out / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
