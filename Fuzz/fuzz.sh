#!/usr/bin/env bash
# Builds and runs Winnow's libFuzzer targets (docs/design.md §Fuzzing). From the repository root:
#
#   Fuzz/fuzz.sh build          the sanitized winnow-fuzz, in $FUZZ_SCRATCH (never .build)
#   Fuzz/fuzz.sh run [TARGET…]  fuzz each target for $FUZZ_SECONDS (make fuzz)
#   Fuzz/fuzz.sh smoke          a short fixed-seed pass over the seeds and regressions (make test)
#
# New inputs go to $FUZZ_SCRATCH/corpus/TARGET, never into Fuzz/corpus; a crash, hang or
# out-of-memory input is written to $FUZZ_SCRATCH/artifacts/TARGET/. Fix it, then copy it to
# Fuzz/regressions/TARGET/: the ordinary test suite replays it from then on.
set -uo pipefail

SWIFT=${SWIFT:-swift}
FUZZ_SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_SMOKE_RUNS=${FUZZ_SMOKE_RUNS:-3000}
# A document, pack or GeoNames file that takes longer than this is a hang; the daemon reads
# each in well under a second, and the sanitizers cost a few times that.
FUZZ_TIMEOUT=${FUZZ_TIMEOUT:-10}
FUZZ_RSS_MB=${FUZZ_RSS_MB:-2048}
# More libFuzzer flags for every target, e.g. FUZZ_FLAGS=-report_slow_units=1 (inputs slower than 1 s).
FUZZ_FLAGS=${FUZZ_FLAGS:-}
BIN=$FUZZ_SCRATCH/release/winnow-fuzz

build() {
    "$SWIFT" build -c release --product winnow-fuzz --scratch-path "$FUZZ_SCRATCH" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DWINNOW_FUZZ
}

# Prints "TARGET MAX_LEN" lines for the requested targets (all when none are named).
targets() {
    local all
    all=$(WINNOW_FUZZ_TARGET=list "$BIN") || { echo "fuzz: $BIN does not run; Fuzz/fuzz.sh build first" >&2; exit 1; }
    if [ $# -eq 0 ]; then echo "$all"; return; fi
    for t in "$@"; do
        grep -E "^$t " <<<"$all" || { echo "fuzz: no target '$t'; targets: $(cut -d' ' -f1 <<<"$all" | tr '\n' ' ')" >&2; exit 2; }
    done
}

# Runs one target with libFuzzer; extra flags follow. Prints one summary line, returns 1 on a finding.
fuzz_one() {
    local target=$1 max_len=$2 work=$3; shift 3
    local artifacts=$FUZZ_SCRATCH/artifacts/$target/ log=$FUZZ_SCRATCH/logs/$target.log
    mkdir -p "$work" "$artifacts" "$(dirname "$log")"
    local seeds=(Fuzz/corpus/"$target")
    [ -d Fuzz/regressions/"$target" ] && seeds+=(Fuzz/regressions/"$target")
    local dict=Fuzz/dict/${target/jsonl/json}.dict flags=()
    [ -f "$dict" ] && flags+=(-dict="$dict")
    local before; before=$(ls "$artifacts" | wc -l)
    WINNOW_FUZZ_TARGET=$target "$BIN" \
        -max_len="$max_len" -timeout="$FUZZ_TIMEOUT" -rss_limit_mb="$FUZZ_RSS_MB" -malloc_limit_mb="$FUZZ_RSS_MB" \
        -artifact_prefix="$artifacts" -print_final_stats=1 "${flags[@]}" $FUZZ_FLAGS "$@" "$work" "${seeds[@]}" >"$log" 2>&1
    local status=$?
    local runs rate rss found
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
    found=$(ls -t "$artifacts" | head -n $(( $(ls "$artifacts" | wc -l) - before )))
    if [ "$status" -eq 0 ] && [ -z "$found" ]; then
        printf '%-10s ok     %9s runs %7s/s %6s MB  corpus %s\n' "$target" "${runs:-?}" "${rate:-?}" "${rss:-?}" "$(ls "$work" | wc -l)"
        return 0
    fi
    local what="FAILED (exit $status)"
    [ "$status" -eq 0 ] && what="SLOW (-report_slow_units)"
    printf '%-10s %s %s runs; log %s\n' "$target" "$what" "${runs:-?}" "$log"
    for f in $found; do printf '           %s%s\n' "$artifacts" "$f"; done
    grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*Fatal error:|ALARM|==[0-9]+== ERROR: libFuzzer)' "$log" | sed 's/^/           /'
    return 1
}

case ${1:-} in
build)
    build
    ;;
run)
    shift
    failed=0
    echo "fuzzing each target for ${FUZZ_SECONDS}s (FUZZ_SECONDS); logs in $FUZZ_SCRATCH/logs"
    while read -r target max_len; do
        fuzz_one "$target" "$max_len" "$FUZZ_SCRATCH/corpus/$target" -max_total_time="$FUZZ_SECONDS" || failed=1
    done < <(targets "$@")
    [ $failed -eq 0 ] || echo "fuzz: findings above; fix each, then copy the input to Fuzz/regressions/TARGET/"
    exit $failed
    ;;
smoke)
    # Fixed seed, fixed number of runs, seeds and regressions only: the same inputs and
    # mutations every time, so a failure is reproducible and the pass takes the same time.
    failed=0
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    while read -r target max_len; do
        fuzz_one "$target" "$max_len" "$scratch/$target" -seed=1 -runs="$FUZZ_SMOKE_RUNS" || failed=1
    done < <(targets)
    exit $failed
    ;;
*)
    echo "usage: Fuzz/fuzz.sh build | run [TARGET…] | smoke" >&2
    exit 2
    ;;
esac
