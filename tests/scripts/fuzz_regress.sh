#!/bin/bash
# fuzz_regress.sh BUILD SHARED -- the fuzzers in make test (tests/fuzz/):
# builds the libFuzzer harnesses (make fuzz-build: clang, ASan+UBSan),
# runs each over its seeds -- the committed ones, among them every input
# that once crashed x86lab (tests/fuzz/README.md lists them), and those
# mkseeds.sh makes from the build -- and then fuzzes each for
# FUZZ_REGRESS_SECONDS (default 6: about a minute in all).  Any crash, sanitizer report or harness assertion fails the test.
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
SECS=${FUZZ_REGRESS_SECONDS:-6}
if ! command -v clang > /dev/null; then
    echo "FAIL: clang is not installed (make deps)"
    exit 1
fi
if ! make -s -C "$HERE" BUILD="$(cd "$BUILD" && pwd)" fuzz-build > "$BUILD/fuzz-build.log" 2>&1; then
    echo "FAIL: make fuzz-build failed:"
    grep -E 'error|Error' "$BUILD/fuzz-build.log" | head -n 10
    exit 1
fi
status=0
# Only the seeds: what `make fuzz` collected in BUILD/fuzz/corpus would
# make this slower with every run.
FUZZ_SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/x86lab-fuzz-regress-XXXXXX")
export FUZZ_SCRATCH
trap 'rm -rf "$FUZZ_SCRATCH"' EXIT
echo "== the seed corpora, once each"
"$HERE/tests/fuzz/run.sh" "$BUILD" 0 || status=1
echo "== fuzzing, ${SECS}s each"
"$HERE/tests/fuzz/run.sh" "$BUILD" "$SECS" || status=1
if [ $status -eq 0 ]; then
    echo "fuzz_regress: ok"
else
    echo "fuzz_regress: FAILED"
fi
exit $status
