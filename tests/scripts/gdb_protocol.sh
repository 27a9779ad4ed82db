#!/bin/bash
# gdb_protocol.sh BUILD SHARED -- the gdb stub at the packet level, driven
# by tests/gdb/rsp_client.py (python3): checksums and acknowledgements
# (a bad checksum gets '-', QStartNoAckMode), qSupported, the target
# description, stop replies, vCont steps, register and memory packets
# (P refused for CR3, X with escapes, E14 for an unmapped page), Ctrl-C
# stopping a spinning guest, Z0/Z2 with swbreak/watch stop reasons, qRcmd,
# detach (the guest then exits with 67), and k, which ends x86lab.
set -u
BUILD=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
. "$(dirname "$0")/../gdb/common.inc"
CLIENT=$(dirname "$0")/../gdb/rsp_client.py

[ -x "$X" ] || { echo "FAIL $X is missing (run make BUILD=$BUILD first)"; exit 1; }
command -v python3 > /dev/null || { echo "FAIL python3 is not installed (make deps)"; exit 1; }
build_guest || { echo "FAIL cannot build tests/gdb/guest.asm"; exit 1; }

start_stub main
if [ -n "$PORT" ]; then
    timeout 60 python3 "$CLIENT" "$PORT" "$T/guest.sym" main > "$T/main.py" 2>&1
    cat "$T/main.py"
    fails=$((fails + $(grep -c '^FAIL' "$T/main.py")))
    grep -q '^[0-9]* failed' "$T/main.py" || bad "the client did not finish: $(tail -n 3 "$T/main.py")"
    finish_stub
    [ "$STATUS" -eq 67 ] && ok "after D the guest ran to its exit status 67" ||
        bad "exit status $STATUS after D (want 67): $(tail -n 3 "$T/main.err")"
else
    bad "x86lab did not listen: $(head -c 300 "$T/main.err")"
fi

start_stub kill
if [ -n "$PORT" ]; then
    timeout 60 python3 "$CLIENT" "$PORT" "$T/guest.sym" kill > "$T/kill.py" 2>&1
    fails=$((fails + $(grep -c '^FAIL' "$T/kill.py")))
    finish_stub
    [ "$STATUS" -eq 0 ] && grep -q "quit" "$T/kill.err" && ok "k ends x86lab (status 0)" ||
        bad "after k: exit status $STATUS: $(tail -n 2 "$T/kill.err")"
else
    bad "x86lab did not listen (kill): $(head -c 300 "$T/kill.err")"
fi

# Bad options: one line, status 2.
"$X" -gdb tcp::notaport --entry32 0 > "$T/bad.txt" 2>&1
s=$?
[ $s -eq 2 ] && [ "$(wc -l < "$T/bad.txt")" -eq 1 ] && ok "-gdb tcp::notaport: one-line error" ||
    bad "-gdb tcp::notaport: status $s: $(cat "$T/bad.txt")"
"$X" -S --entry32 0 > "$T/bad.txt" 2>&1
s=$?
[ $s -eq 2 ] && [ "$(wc -l < "$T/bad.txt")" -eq 1 ] && ok "-S without a stub: one-line error" ||
    bad "-S without -s/-gdb: status $s: $(cat "$T/bad.txt")"

echo "$fails failed"
[ $fails -eq 0 ] && echo "gdb protocol: passed"
[ $fails -eq 0 ]
