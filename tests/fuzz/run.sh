#!/bin/bash
# run.sh BUILD SECONDS [NAME...] -- runs each libFuzzer harness
# BUILD/fuzz/NAME (all of them by default) for SECONDS, one after the
# other, over its seeds (tests/fuzz/corpus/NAME, committed, and
# BUILD/fuzz/seeds/NAME, made by mkseeds.sh), keeping what it finds in
# BUILD/fuzz/corpus/NAME and a crashing input in BUILD/fuzz/artifacts/.
# With SECONDS 0 each harness only runs its corpus once (a regression
# check).  Prints one line per harness: executions, exec/s, edges (cov),
# features, corpus size; the exit status is non-zero when one crashed.
#   FUZZ_ARGS   extra libFuzzer options
#   FUZZ_SCRATCH=DIR  keep new inputs in DIR/NAME instead, and leave
#               BUILD/fuzz/corpus out (make test: only the seeds, quickly)
set -u
BUILD=${1:?usage: run.sh BUILD SECONDS [NAME...]}
SECONDS_EACH=${2:?usage: run.sh BUILD SECONDS [NAME...]}
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
FZ=$BUILD/fuzz
mkdir -p "$FZ/artifacts" "$FZ/logs"
"$HERE/mkseeds.sh" "$BUILD" || exit 1
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for b in "$FZ"/fuzz_*; do
        [ -x "$b" ] && [ -f "$b" ] && names+=("$(basename "$b")")
    done
fi
failed=0
for n in "${names[@]}"; do
    bin=$FZ/$n
    if [ ! -x "$bin" ]; then
        echo "FAIL  $n: not built ($bin)"
        failed=1
        continue
    fi
    work=${FUZZ_SCRATCH:+$FUZZ_SCRATCH/$n}
    work=${work:-$FZ/corpus/$n}
    mkdir -p "$work"
    dirs=("$work")
    [ -d "$HERE/corpus/$n" ] && dirs+=("$HERE/corpus/$n")
    [ -d "$FZ/seeds/$n" ] && dirs+=("$FZ/seeds/$n")
    # stdout closed (guest and monitor output); stderr too for the option
    # parser, whose messages are its expected output.
    opts=(-timeout=25 -rss_limit_mb=2560 -print_final_stats=1 -close_fd_mask=1
          "-artifact_prefix=$FZ/artifacts/$n-")
    [ "$n" = fuzz_args ] && opts+=(-close_fd_mask=3)
    [ -f "$HERE/$n.dict" ] && opts+=("-dict=$HERE/$n.dict")
    [ "$n" = fuzz_cpu ] && opts+=(-max_len=65536)
    [ "$n" = fuzz_loader ] && opts+=(-max_len=262144)
    if [ "$SECONDS_EACH" -gt 0 ]; then
        opts+=("-max_total_time=$SECONDS_EACH")
    else
        opts+=(-runs=0)
    fi
    log=$FZ/logs/$n.log
    # shellcheck disable=SC2086
    "$bin" "${opts[@]}" ${FUZZ_ARGS:-} "${dirs[@]}" > "$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
    if [ $status -eq 0 ]; then
        printf 'ok    %-12s %ss: %s runs, %s exec/s, %s\n' "$n" "$SECONDS_EACH" \
            "${execs:-?}" "${speed:-?}" "${cov:-?}"
    else
        failed=1
        printf 'FAIL  %-12s exit status %d (log %s)\n' "$n" "$status" "$log"
        grep -E 'ERROR|SUMMARY|fuzz_[a-z]+:|Test unit written' "$log" | head -n 8 | sed 's/^/      /'
    fi
done
exit $failed
