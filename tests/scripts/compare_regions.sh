#!/bin/bash
# compare_regions.sh BUILD SHARED -- the region-marking ports as the
# machine records them (docs/regions.md): tests/guest/regions.bin run with
# --stats-json under the interpreter and the translator.  Checks: three
# regions closed in order (inner, outer, an unnamed one named region2),
# their depths, the operation count (100) and the 64-bit cycle value
# (0x1_89ABCDEF) given to "inner", instructions counted inside, the one
# stray END counted as a bad mark, none left open; --stats prints the
# regions too; a --stats-json file that cannot be written is an error.
set -u
. "$(dirname "$0")/compare_common.inc" "${1:-build}" compare_regions || exit 1
G=$BUILD/tests/guest/regions.bin
[ -f "$G" ] || { echo "FAIL $G not built"; exit 1; }

for e in interp bt; do
    "$X86LAB" -m 16 --load "$G@0x7c00" --entry 0:0x7c00 --engine=$e --stats-json "$OUT/$e.json" \
        --stats > "$OUT/$e.out" 2> "$OUT/$e.err"
    check "$e: the guest's own checks pass (status 1)" [ $? -eq 1 ]
    J=$OUT/$e.json
    jcheck "$J" "$e: the stats file names its engine and exit status" \
        'j["format"] == "x86lab-stats-1" and j["engine"] == "'$e'" and j["exit_status"] == 1'
    jcheck "$J" "$e: regions inner, outer, region2 in the order they closed" \
        '[r["name"] for r in j["regions"]] == ["inner", "outer", "region2"]'
    jcheck "$J" "$e: depths 1, 0, 0" '[r["depth"] for r in j["regions"]] == [1, 0, 0]'
    jcheck "$J" "$e: inner: 100 ops, cycles 0x189ABCDEF" \
        'j["regions"][0]["ops"] == 100 and j["regions"][0]["guest_cycles"] == 0x189ABCDEF'
    jcheck "$J" "$e: outer: no cycles given (null), more instructions than inner (> 200)" \
        'j["regions"][1]["guest_cycles"] is None and j["regions"][1]["instructions"] > j["regions"][0]["instructions"] > 200'
    jcheck "$J" "$e: host time measured, outer >= inner" \
        'j["regions"][1]["host_ns"] >= j["regions"][0]["host_ns"] > 0'
    jcheck "$J" "$e: one bad mark, none open, none dropped" \
        'j["region_errors"] == 1 and j["regions_open"] == 0 and j["regions_dropped"] == 0'
    check "$e: --stats lists the regions" grep -q -E "region +inner .*100 ops" "$OUT/$e.err"
done
"$X86LAB" -m 16 --load "$G@0x7c00" --entry 0:0x7c00 --stats-json /nonexistent/dir/s.json \
    > /dev/null 2> "$OUT/bad.err"
check "--stats-json into a missing directory: status 2" [ $? -eq 2 ]
check "... and one line saying why" grep -q -- "--stats-json /nonexistent/dir/s.json:" "$OUT/bad.err"
finish
