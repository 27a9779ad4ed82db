#!/bin/bash
# labs_guides.sh BUILD SHARED -- the lab guides (docs/labs/*.md) never go
# stale: every ```sh lab block is run (from the top of the tree, `build/`
# replaced by BUILD) and every line of the ```expect block that follows it
# must appear, as a fixed string, in the block's output (stdout and
# stderr).  One line per block; logs in BUILD/test-logs/labs/.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
cd "$(dirname "$0")/../.." || exit 1
LOGS=$BUILD/test-logs/labs
mkdir -p "$LOGS"
rm -f "$LOGS"/*
checks=0 failures=0
for md in docs/labs/[0-9]*.md; do
    name=$(basename "$md" .md)
    # Split the guide into LOGS/NAME.N.sh and LOGS/NAME.N.expect files.
    awk -v pre="$LOGS/$name" '
        /^```sh lab$/  { n++; out = pre "." n ".sh"; printf "" > out; next }
        /^```expect$/  { out = pre "." n ".expect"; printf "" > out; next }
        /^```/         { out = ""; next }
        out != ""      { print >> out }' "$md"
    for sh in "$LOGS/$name".*.sh; do
        [ -e "$sh" ] || continue
        block=${sh%.sh}
        checks=$((checks + 1))
        sed -i "s#\(^\|[ =:]\)build/#\1$BUILD/#g" "$sh"
        timeout 120 bash "$sh" > "$block.out" 2>&1 < /dev/null
        missing=()
        if [ ! -s "$block.expect" ]; then
            missing+=("(no expect block)")
        else
            while IFS= read -r line; do
                [ -n "$line" ] && ! grep -q -F -- "$line" "$block.out" && missing+=("$line")
            done < "$block.expect"
        fi
        if [ ${#missing[@]} -eq 0 ]; then
            echo "ok   $(basename "$block"): $(wc -l < "$block.expect") expected lines"
        else
            failures=$((failures + 1))
            echo "FAIL $(basename "$block"): missing: ${missing[0]} (output: $block.out)"
        fi
    done
done
if [ $checks -lt 8 ]; then
    echo "FAIL only $checks lab blocks found"
    exit 1
fi
echo "labs_guides: $((checks - failures)) of $checks blocks passed"
[ $failures -eq 0 ]
