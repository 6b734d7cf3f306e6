#!/usr/bin/env bash
# `make bench`: Winnow end to end against YARA, ripgrep and pyahocorasick on one core, then the
# daemon's latency, then the like-for-like, one-large-file, memory and drain rows (bench/scale.py).
# Results: the tables on stdout and bench/out/results.md.
#
# Knobs (environment): BENCH_DOCS (5000), BENCH_RUNS (3), BENCH_CPU (1),
# BENCH_LATENCY_DOCS (500), BENCH_LATENCY_RATE (100 docs/s),
# BENCH_RULES (rules), BENCH_WINNOW_EXTRA="label=rules-folder ..." adds a Winnow row per extra
# rules folder.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${BENCH_DOCS:-5000}
RUNS=${BENCH_RUNS:-3}
CPU=${BENCH_CPU:-1}
OUT=bench/out
CORPUS=$OUT/corpus-$DOCS
SCRATCH=.build-bench
WINNOW=$SCRATCH/release/winnow
RULES_SRC=${BENCH_RULES:-rules}
RULES=$OUT/rules  # a snapshot: the packs may be edited while the bench runs
PYTHON=$(python3 -c 'import sys; print(sys.executable)')  # the real interpreter, not a pyenv shim

mkdir -p "$OUT"
exec 3>&2  # the terminal's stderr, for failures inside redirected commands
exec 9>"$OUT/.lock"
flock -n 9 || { echo "bench: another 'make bench' is running" >&2; exit 1; }

for tool in taskset yara rg /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: '$tool' is missing; run 'make bench-deps'" >&2; exit 1; }
done
if ! taskset -c "$CPU" true 2>/dev/null; then
  echo "bench: CPU $CPU is not available here, using CPU 0" >&2
  CPU=0
fi

if [[ -z ${BENCH_BUILT:-} ]]; then  # `make bench` builds before calling us
  echo "== build (release, scratch path $SCRATCH)"
  "${SWIFT:-swift}" build -c release --scratch-path "$SCRATCH"
fi
[[ -x $WINNOW ]] || { echo "bench: $WINNOW is missing" >&2; exit 1; }

echo "== corpus"
info=$CORPUS.info
if [[ ! -f $info || -n $(find bench/fixtures Tests/EndToEndTests/Fixtures bench/make_corpus.py -newer "$info" 2>/dev/null) ]]; then
  "$PYTHON" bench/make_corpus.py --docs "$DOCS" "$CORPUS"
else
  cat "$info"
fi
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s += $1} END {print s}')

echo "== snapshot of $RULES_SRC/ in $RULES/, and the peers' inputs from it"
rm -rf "$RULES" && cp -r "$RULES_SRC" "$RULES"
"$PYTHON" bench/peers.py --out "$OUT" "$RULES"

echo "== warming the page cache"
find "$CORPUS" -type f -exec cat {} + >/dev/null

# Documents flagged, from each tool's warm-up output (a sanity column, not a measure).
flagged_json() { grep -c '"rules":\[{' || true; }
flagged_yara() { awk '{print $2}' | sort -u | wc -l; }
flagged_lines() { wc -l; }

RESULTS=$OUT/results.tsv
: >"$RESULTS"

# pinned LABEL OK_EXIT_CODES CMD...: runs CMD on the bench core; fails unless its exit code is OK.
pinned() {
  local label=$1 ok=$2 rc
  shift 2
  set +e
  taskset -c "$CPU" "$@"
  rc=$?
  set -e
  [[ " $ok " == *" $rc "* ]] || { echo >&3; echo "bench: $label exited with $rc; its stderr is in $OUT/" >&3; exit 1; }
}

# row LABEL OK_EXIT_CODES COUNTER CMD...: queues a row (with ROW_BYTES, ROW_DOCS, ROW_RESULTS as
# set now) for the next `rows`.
Q_LABEL=() Q_OK=() Q_COUNTER=() Q_CMD=() Q_BYTES=() Q_DOCS=() Q_RESULTS=()
row() {
  local label=$1 ok=$2 counter=$3
  shift 3
  Q_LABEL+=("$label") Q_OK+=("$ok") Q_COUNTER+=("$counter") Q_CMD+=("$(printf '%q ' "$@")")
  Q_BYTES+=("${ROW_BYTES:-$BYTES}") Q_DOCS+=("${ROW_DOCS:-$DOCS}") Q_RESULTS+=("${ROW_RESULTS:-$RESULTS}")
}

# rows: one warm-up run of each queued row (its output kept), then RUNS rounds of one timed run
# of each. The host's speed drifts by a third within minutes: one tool's runs after another's
# put that drift into the ratio between them, rounds put it on every tool alike.
rows() {
  local i r slug t0 t1 r_kb
  local -a times=() rss=()
  for i in "${!Q_LABEL[@]}"; do
    slug=${Q_LABEL[i]//[^A-Za-z0-9]/_}
    eval "pinned \"\${Q_LABEL[i]}\" \"\${Q_OK[i]}\" ${Q_CMD[i]}" >"$OUT/$slug.out" 2>"$OUT/$slug.err"
    times[i]="" rss[i]=0
  done
  for ((r = 0; r < RUNS; r++)); do
    for i in "${!Q_LABEL[@]}"; do
      slug=${Q_LABEL[i]//[^A-Za-z0-9]/_}
      t0=$EPOCHREALTIME
      eval "pinned \"\${Q_LABEL[i]}\" \"\${Q_OK[i]}\" /usr/bin/time -f '%M' -o \"\$OUT/\$slug.rss\" ${Q_CMD[i]}" \
        >/dev/null 2>>"$OUT/$slug.err"
      t1=$EPOCHREALTIME
      times[i]+=${times[i]:+,}$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
      r_kb=$(tail -n 1 "$OUT/$slug.rss")  # on failure time writes "Command exited with ..." first
      if ((r_kb > rss[i])); then rss[i]=$r_kb; fi
    done
  done
  for i in "${!Q_LABEL[@]}"; do
    slug=${Q_LABEL[i]//[^A-Za-z0-9]/_}
    printf '%-28s %s s\n' "${Q_LABEL[i]}" "${times[i]}"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${Q_LABEL[i]}" "${Q_BYTES[i]}" "${Q_DOCS[i]}" "${times[i]}" "${rss[i]}" \
      "$("${Q_COUNTER[i]}" <"$OUT/$slug.out" | tr -d ' ')" >>"${Q_RESULTS[i]}"
  done
  Q_LABEL=() Q_OK=() Q_COUNTER=() Q_CMD=() Q_BYTES=() Q_DOCS=() Q_RESULTS=()
}

echo "== throughput: $DOCS documents, $BYTES bytes, pinned to CPU $CPU (taskset -c $CPU), $RUNS interleaved rounds"
row winnow 0 flagged_json "$WINNOW" classify --rules "$RULES" --format json "$CORPUS"
# The same packs without places, and with the worldwide GeoNames file when ../shared has it.
NOGAZ=$OUT/rules-no-gazetteer
rm -rf "$NOGAZ" && cp -r "$RULES" "$NOGAZ" && rm -f "$NOGAZ/locations.yaml"
EXTRA="no-gazetteer=$NOGAZ ${BENCH_WINNOW_EXTRA:-}"
GEONAMES=${BENCH_GEONAMES:-../shared/data/geonames}
if [[ -f $GEONAMES/cities500.txt ]]; then
  FULL=$OUT/rules-cities500
  rm -rf "$FULL" && cp -r "$RULES" "$FULL"
  abs=$(cd "$GEONAMES" && pwd)
  sed -i -e "s|places: geonames/cities.txt|places: $abs/cities500.txt|" \
         -e "s|countries: geonames/countryInfo.txt|countries: $abs/countryInfo.txt|" \
         -e "s|admin1: geonames/admin1CodesASCII.txt|admin1: $abs/admin1CodesASCII.txt|" \
         -e "s|admin1-names: geonames/admin1Extra.tsv|admin1-names: $abs/admin1Extra.tsv|" "$FULL/locations.yaml"
  EXTRA="$EXTRA cities500=$FULL"
fi
for spec in $EXTRA; do
  row "winnow ${spec%%=*}" 0 flagged_json "$WINNOW" classify --rules "${spec#*=}" --format json "$CORPUS"
done
row yara 0 flagged_yara yara -w -p 1 "$OUT/packs.yar" "$CORPUS"
row ripgrep "0 1" flagged_lines rg -c -i -w -F -f "$OUT/terms.txt" -j1 --no-ignore "$CORPUS"
if "$PYTHON" -c 'import ahocorasick' 2>/dev/null; then
  row pyahocorasick 0 flagged_lines "$PYTHON" bench/aho_scan.py "$OUT/terms.txt" "$CORPUS"
else
  echo "bench: pyahocorasick is not installed, skipping its row" >&2
fi
rows
lines=$(wc -l <"$OUT/winnow.out")
[[ $lines == "$DOCS" ]] || echo "bench: warning: winnow printed $lines lines for $DOCS documents" >&2

# The cost of reading (issue 11): the same documents with undeclared legacy charsets (detection
# runs only for them), as web pages (main-content extraction), and as plain text as long as the
# pages; topic packs only, so the text's scan is the same work in each row.
echo "== reading: charsets and formats (no gazetteer)"
FORMATS=$OUT/formats-$DOCS
"$PYTHON" bench/make_formats.py "$CORPUS" "$FORMATS"
READING=$OUT/reading.tsv
: >"$READING"
size_of() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s}'; }
ROW_RESULTS=$READING row "utf-8 text" 0 flagged_json "$WINNOW" classify --rules "$NOGAZ" --format json "$CORPUS"
ROW_RESULTS=$READING ROW_BYTES=$(size_of "$FORMATS/legacy") row "legacy charsets" 0 flagged_json \
  "$WINNOW" classify --rules "$NOGAZ" --format json "$FORMATS/legacy"
ROW_RESULTS=$READING ROW_BYTES=$(size_of "$FORMATS/html") row "html pages" 0 flagged_json \
  "$WINNOW" classify --rules "$NOGAZ" --format json "$FORMATS/html"
ROW_RESULTS=$READING ROW_BYTES=$(size_of "$FORMATS/sized") row "text sized as the pages" 0 flagged_json \
  "$WINNOW" classify --rules "$NOGAZ" --format json "$FORMATS/sized"
rows

# Loading a gazetteer: a cold build (empty cache folder) and a warm start (cache filled by
# the cold run), one small document each; wall time and peak RSS.
echo "== gazetteer load (one document; cold = empty cache, warm = cache from the cold run)"
LOADS=$OUT/gazetteer-load.tsv
: >"$LOADS"
one=$(find "$CORPUS" -type f -print -quit)
for spec in "shipped=$RULES" ${FULL:+"cities500=$FULL"}; do
  cache=$(mktemp -d)
  for phase in cold warm; do
    t0=$EPOCHREALTIME
    WINNOW_CACHE_DIR=$cache taskset -c "$CPU" /usr/bin/time -f '%M' -o "$OUT/load.rss" \
      "$WINNOW" classify --rules "${spec#*=}" --format json "$one" >/dev/null 2>>"$OUT/load.err"
    t1=$EPOCHREALTIME
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
    printf '%s\t%s\t%s\t%s\n' "${spec%%=*}" "$phase" "$secs" "$(tail -n 1 "$OUT/load.rss")" >>"$LOADS"
    printf '%-10s %-5s %6ss %8s KB\n' "${spec%%=*}" "$phase" "$secs" "$(tail -n 1 "$OUT/load.rss")"
  done
  rm -rf "$cache"
done

echo "== daemon latency (winnow run pinned to CPU $CPU)"
"$PYTHON" bench/daemon_latency.py --winnow "$WINNOW" --rules "$RULES" --corpus "$CORPUS" --work "$OUT/daemon" \
  --docs "${BENCH_LATENCY_DOCS:-500}" --rate "${BENCH_LATENCY_RATE:-100}" --cpu "$CPU" --json "$OUT/latency.json" >/dev/null

echo "== like-for-like, one large file, memory, drain (bench/scale.py)"
"$PYTHON" bench/scale.py --winnow "$WINNOW" --rules "$RULES" --corpus "$CORPUS" --out "$OUT" --cpu "$CPU" --runs "$RUNS" \
  ${FULL:+--cities500 "$FULL" --geonames "$GEONAMES"}

echo
"$PYTHON" bench/report.py --results "$RESULTS" --latency "$OUT/latency.json" --markdown "$OUT/results.md" \
  --cpu "$CPU" --corpus "$CORPUS" --terms "$OUT/terms.txt" --rules "$RULES_SRC" --loads "$LOADS" --reading "$READING"
{ echo; echo "## Like-for-like, one large file, memory, drain"; echo; cat "$OUT/scale.md"; } >>"$OUT/results.md"
echo; echo "Like-for-like, one large file, memory, drain:"; cat "$OUT/scale.md"
