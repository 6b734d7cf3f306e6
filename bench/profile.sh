#!/usr/bin/env bash
# Where `winnow classify` spends its time, with perf's software clock (this VM has no hardware
# counters, and valgrind 3.19 crashes on Swift 6.3 binaries; see docs/performance.md).
# Run `make bench` first: it builds .build-bench, the corpus and the rules snapshot used here.
#
#   bench/profile.sh [FOLDER]     (default bench/out/corpus-5000)
set -euo pipefail
cd "$(dirname "$0")/.."
FOLDER=${1:-bench/out/corpus-5000}
RULES=bench/out/rules
DATA=bench/out/perf.data
command -v perf >/dev/null || { echo "profile: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
[[ -d $RULES ]] || { echo "profile: run 'make bench' first" >&2; exit 1; }

perf record -q -e cpu-clock -F 2000 --call-graph dwarf,16384 -o "$DATA" -- \
  taskset -c "${BENCH_CPU:-1}" .build-bench/release/winnow classify --rules "$RULES" --format json "$FOLDER" >/dev/null

# Samples in anonymous executable memory ("[JIT]") are PCRE2's JIT-compiled regexes; perf
# cannot unwind through them, so they have no callers.
report() { perf report -i "$DATA" --stdio --sort "$1" -g none --percent-limit "$2" "${@:3}" 2>/dev/null |
  grep -v '^#' | grep -v '^$' | swift demangle --simplified | sed 's/ *$//' | cut -c1-150; }
echo "== by library";                       report dso 1 --no-children
echo "== exclusive (self) time";            report dso,symbol 1 --no-children | head -20
echo "== inclusive time (inlined frames and closures hidden)"
report symbol 2 --children | grep -v -E 'inlined|closure|dispatch|swift_job|clone3|start_thread|Executor|\[k\]' | head -30
rm -f "$DATA" "$DATA.old"
