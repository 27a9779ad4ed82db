#!/bin/bash
# contain_flood.sh BUILD SHARED -- a guest that floods its output cannot
# grow x86lab's memory without bound:
#   - COM1 at 115200 baud (-serial stdio) and the debug console (port
#     0xE9) into a pipe that nobody reads: once the pipe is full x86lab
#     waits for it; its resident memory (VmRSS) grows by less than 4 MiB
#     between 1.5 s and 4.5 s, and SIGTERM still ends it (status 143);
#   - an endless -d exec trace with --trace-limit 2000 stops at the
#     limit: the log stays under 2100 lines and memory does not grow.
# Exit status 0 when every check held.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
X86LAB=$BUILD/x86lab
DIR=$BUILD/flood
rm -rf "$DIR"
mkdir -p "$DIR"
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
[ -x "$X86LAB" ] || { echo "FAIL $X86LAB not built"; exit 1; }
command -v nasm > /dev/null || { echo "FAIL nasm missing"; exit 1; }

cat > "$DIR/serial.asm" <<'ASM'
        org     0x7c00
        bits    16
        mov     dx, 0x3FB
        mov     al, 0x80
        out     dx, al              ; DLAB
        mov     dx, 0x3F8
        mov     al, 1
        out     dx, al              ; divisor 1: 115200 baud
        inc     dx
        xor     al, al
        out     dx, al
        mov     dx, 0x3FB
        mov     al, 3
        out     dx, al              ; 8N1
.wait:  mov     dx, 0x3FD
        in      al, dx
        test    al, 0x20
        jz      .wait
        mov     dx, 0x3F8
        mov     al, 'x'
        out     dx, al
        jmp     .wait
ASM
cat > "$DIR/debugcon.asm" <<'ASM'
        org     0x7c00
        bits    16
        mov     al, 'y'
.next:  out     0xE9, al
        jmp     .next
ASM
nasm -f bin "$DIR/serial.asm" -o "$DIR/serial.bin" && nasm -f bin "$DIR/debugcon.asm" -o "$DIR/debugcon.bin" ||
    { echo "FAIL nasm"; exit 1; }

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2> /dev/null || echo 0; }

# flood LABEL GUEST ARGS...: the guest's output into a pipe never read
flood() {
    local label=$1 guest=$2
    shift 2
    mkfifo "$DIR/pipe"
    sleep 30 < "$DIR/pipe" &           # holds the pipe open, never reads
    local reader=$!
    "$X86LAB" -m 16 --load "$DIR/$guest.bin@0x7c00" --entry 0:0x7c00 "$@" \
        > "$DIR/pipe" 2> "$DIR/$guest.err" < /dev/null &
    local pid=$!
    sleep 1.5
    local a b
    a=$(rss $pid)
    sleep 3
    b=$(rss $pid)
    kill -TERM $pid
    local t=0
    while kill -0 $pid 2> /dev/null && [ $t -lt 50 ]; do sleep 0.1; t=$((t + 1)); done
    kill -KILL $pid 2> /dev/null
    wait $pid
    local status=$?
    kill $reader 2> /dev/null
    wait $reader 2> /dev/null
    rm -f "$DIR/pipe"
    if [ "$a" -gt 0 ] && [ $((b - a)) -lt 4096 ]; then
        pass "$label: VmRSS $a kB at 1.5 s, $b kB at 4.5 s"
    else
        fail "$label: VmRSS $a kB at 1.5 s, $b kB at 4.5 s (grew without bound?)"
    fi
    [ $status -eq 143 ] && pass "$label: SIGTERM ends it while the pipe is full (status 143)" ||
        fail "$label: status $status after SIGTERM (want 143): $(head -c 200 "$DIR/$guest.err")"
}

flood "COM1 into a full pipe" serial -serial stdio
flood "debug console into a full pipe" debugcon

"$X86LAB" -m 16 --load "$DIR/debugcon.bin@0x7c00" --entry 0:0x7c00 -debugcon none \
    -d exec -D "$DIR/trace.log" --trace-limit 2000 > /dev/null 2> "$DIR/trace.err" < /dev/null &
pid=$!
sleep 1
a=$(rss $pid)
sleep 2
b=$(rss $pid)
kill -TERM $pid
wait $pid
lines=$(wc -l < "$DIR/trace.log")
if [ "$lines" -le 2100 ] && [ "$lines" -ge 1000 ] && [ $((b - a)) -lt 4096 ]; then
    pass "-d exec --trace-limit 2000 on an endless loop: $lines lines, VmRSS $a -> $b kB"
else
    fail "-d exec --trace-limit 2000: $lines lines, VmRSS $a -> $b kB"
fi

if [ $failures -eq 0 ]; then
    echo "contain_flood: all checks passed"
    exit 0
fi
echo "contain_flood: $failures checks failed"
exit 1
