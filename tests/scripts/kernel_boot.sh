#!/bin/bash
# kernel_boot.sh BUILD SHARED -- direct kernel boot (-kernel, -initrd,
# -append) with the test kernels of tests/kernels/ (built by make into
# BUILD/tests/kernels/), which print what the loader gave them on the
# debug console:
#   mb_elf.elf (Multiboot ELF): the boot magic, the 32-bit entry state
#     (flat GDT descriptors, CS 08/DS 10, IF=0, paging off, A20 on),
#     mem_lower/mem_upper for two -m sizes, the memory map, the command
#     line (file name + -append, as QEMU), two modules with their command
#     lines (",," a comma) and bytes, page-aligned after the kernel, the
#     boot loader name, and its own symbol found through the section
#     headers;
#   mb_aout.bin (a.out kludge): the magic, the flags, the BSS zeroed
#     although the file has bytes there;
#   bzimage.bin (synthetic bzImage, protocol 2.10, initrd_addr_max 32 MiB):
#     ESI = the zero page, EBX/EBP/EDI zero, CS 10/DS 18, type_of_loader,
#     the command line, the initrd (as high as allowed, page-aligned, its
#     bytes) for RAM above and below initrd_addr_max, the E820 map and
#     memory sizes, the 80x25 screen_info;
# and the errors (exit status 2, one line naming the file or option): not
# a kernel, truncated ELF, truncated bzImage (setup sectors, syssize),
# protocol too old, kernel too big for -m, initrd/module too big, a kernel
# overlapping the BIOS area, a command line too long, -initrd without
# -kernel.
set -u
BUILD=${1:-build}
X=$BUILD/x86lab
K=$BUILD/tests/kernels
for f in "$X" "$K/mb_elf.elf" "$K/mb_aout.bin" "$K/bzimage.bin"; do
    [ -e "$f" ] || { echo "FAIL $f is missing (run make BUILD=$BUILD first)"; exit 1; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
checks=0
ok() { echo "ok   $*"; checks=$((checks + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

# boot OUT ARGS...: runs x86lab, output in $T/OUT, status in $status
boot() {
    local out=$1
    shift
    timeout 60 "$X" --max-insns 5000000 "$@" > "$T/$out" 2> "$T/$out.err" < /dev/null
    status=$?
}
# has OUT LINE: OUT holds exactly this line
has() {
    if grep -qxF -- "$2" "$T/$1"; then
        ok "$1: $2"
    else
        bad "$1: no line '$2' in: $(grep -F -- "${2%%=*}=" "$T/$1" | head -n 3 | tr '\n' '|')"
    fi
}
# value OUT KEY: the hex value printed as KEY=...
value() { sed -n "s/^$2=//p" "$T/$1" | head -n 1; }

# ---- Multiboot ELF ----
printf 'MODULE-ONE first line\nsecond line\n' > "$T/mod1.txt"
printf 'MODULE-TWO\n' > "$T/mod2.txt"
boot mb64 -m 64 -kernel "$K/mb_elf.elf" -append "console=ttyS0 answer=42" \
    -initrd "$T/mod1.txt one two,$T/mod2.txt x=,,y"
[ $status -eq 1 ] && ok "mb_elf exits through port 0xF4 (status 1)" \
                  || bad "mb_elf: exit status $status, want 1: $(head -c 300 "$T/mb64.err")"
for line in magic=2badb002 cr0.pg.pe=00000001 eflags.if=00000000 cs=00000008 ds=00000010 \
            ss=00000010 gdt.cs.lo=0000ffff gdt.cs.hi=00cf9b00 gdt.ds.hi=00cf9300 \
            a20.low=11111111 flags=0000026d mem_lower=0000027f mem_upper=0000fc00 \
            "cmdline=$K/mb_elf.elf console=ttyS0 answer=42" name=x86lab \
            mmap_length=00000078 \
            "mmap=0000000000000000 000000000009fc00 00000001" \
            "mmap=000000000009fc00 0000000000000400 00000002" \
            "mmap=00000000000f0000 0000000000010000 00000002" \
            "mmap=0000000000100000 0000000003f00000 00000001" \
            "mmap=00000000ffff0000 0000000000010000 00000002" \
            mods_count=00000002 "moddata=MODULE-ONE first line" moddata=MODULE-TWO \
            shnum=00000007 "ok symbol mb_marker found through the section headers"; do
    has mb64 "$line"
done
grep -q '^FAIL' "$T/mb64" && bad "mb_elf reports: $(grep '^FAIL' "$T/mb64" | head -n 2)"
# the modules: page-aligned, the files' sizes, their command lines, after
# the kernel (which ends at _end; the ELF's memsz from 1 MiB)
kend=$(( 0x100000 + $(readelf -lW "$K/mb_elf.elf" | awk '$1 == "LOAD" { print $6 }') ))
n=0
while read -r start end text; do
    n=$((n + 1))
    file=$T/mod$n.txt
    want_text=$([ $n -eq 1 ] && echo "$file one two" || echo "$file x=,y")
    size=$(stat -c %s "$file")
    if (( 0x$start % 4096 == 0 && 0x$end - 0x$start == size && 0x$start >= kend )) &&
       [ "$text" = "$want_text" ]; then
        ok "module $n at 0x$start, page-aligned after the kernel, $size bytes, '$text'"
    else
        bad "module $n: start 0x$start end 0x$end '$text' (want $size bytes after 0x$(printf %x $kend), '$want_text')"
    fi
done < <(sed -n 's/^mod=//p' "$T/mb64")
[ $n -eq 2 ] || bad "$n modules listed, want 2"
s1=$(sed -n 's/^mod=\([0-9a-f]*\) .*/\1/p' "$T/mb64" | sed -n 2p)
e0=$(sed -n 's/^mod=[0-9a-f]* \([0-9a-f]*\) .*/\1/p' "$T/mb64" | sed -n 1p)
(( 0x${s1:-0} >= 0x${e0:-1} )) && ok "the modules do not overlap" || bad "modules overlap"
sym=$(nm "$K/mb_elf.elf" | awk '$3 == "mb_marker" { print $1 }')
has mb64 "symbol mb_marker=$sym"

boot mb16 -m 16 -kernel "$K/mb_elf.elf"
[ $status -eq 1 ] || bad "mb_elf -m 16: exit status $status"
has mb16 mem_upper=00003c00
has mb16 "mmap=0000000000100000 0000000000f00000 00000001"
has mb16 "cmdline=$K/mb_elf.elf"
has mb16 flags=00000265
has mb16 mods_count=00000000

# ---- Multiboot a.out kludge ----
boot aout -m 32 -kernel "$K/mb_aout.bin" -append "a b"
[ $status -eq 1 ] && ok "mb_aout exits with status 1" || bad "mb_aout: exit status $status: $(cat "$T/aout.err")"
for line in magic=2badb002 flags=00000245 mem_upper=00007c00 "cmdline=$K/mb_aout.bin a b" \
            "ok the BSS is zero"; do
    has aout "$line"
done
entry=$(value aout entry)
[ "$entry" = 00100020 ] && ok "mb_aout entered at entry_addr" || bad "mb_aout entry $entry"

# ---- bzImage ----
head -c 10000 /dev/urandom > "$T/initrd.img"
printf 'INITRD-FIRST-LINE\n' | dd of="$T/initrd.img" conv=notrunc status=none
isize=$(stat -c %s "$T/initrd.img")
for mb in 64 128 24; do
    out=bz$mb
    boot $out -m $mb -kernel "$K/bzimage.bin" -append "root=/dev/ram0 console=ttyS0 quiet" \
        -initrd "$T/initrd.img"
    [ $status -eq 1 ] && ok "bzimage -m $mb exits with status 1" \
                      || bad "bzimage -m $mb: exit status $status: $(cat "$T/$out.err")"
    for line in esi=00090000 ebx=00000000 ebp=00000000 edi=00000000 cs=00000010 ds=00000018 \
                es=00000018 ss=00000018 eflags.if=00000000 cr0.pg.pe=00000001 \
                type_of_loader=000000ff loadflags=00000001 code32_start=00100000 \
                "cmdline=root=/dev/ram0 console=ttyS0 quiet" initrd=INITRD-FIRST-LINE \
                video_mode=00000003 video_cols=00000050 video_lines=00000019 \
                e820_entries=00000005 "ramdisk_size=$(printf %08x $isize)" \
                "e820=0000000000000000 000000000009fc00 00000001" \
                "e820=000000000009fc00 0000000000000400 00000002" \
                "e820=0000000000100000 $(printf %016x $(( (mb - 1) << 20 ))) 00000001"; do
        has $out "$line"
    done
    # as high as it may go: below min(initrd_addr_max + 1 = 32 MiB, RAM end)
    top=$(( mb < 32 ? mb << 20 : 32 << 20 ))
    want=$(printf %08x $(( (top - isize) & ~0xFFF )))
    has $out "ramdisk_image=$want"
    has $out "alt_mem_k=$(printf %08x $(( (mb - 1) * 1024 )))"
    ext=$(( (mb - 1) * 1024 > 0xFC00 ? 0xFC00 : (mb - 1) * 1024 ))
    has $out "ext_mem_k=$(printf %08x $ext)"
done
ptr=$(value bz64 cmd_line_ptr)
(( 0x${ptr:-fffff} < 0xA0000 )) && ok "the command line is below 0xA0000 (0x$ptr)" \
                                 || bad "cmd_line_ptr 0x$ptr"

# ---- errors: exit status 2, one line ----
# fails_with WHAT PATTERN ARGS...
fails_with() {
    local what=$1 pattern=$2
    shift 2
    timeout 30 "$X" --max-insns 100000 "$@" > /dev/null 2> "$T/err" < /dev/null
    local st=$? lines
    lines=$(wc -l < "$T/err")
    if [ $st -eq 2 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$T/err"; then
        ok "$what: $(cat "$T/err")"
    else
        bad "$what: status $st, $lines lines, want 2 and one line matching '$pattern': $(head -c 300 "$T/err")"
    fi
}
echo "just some text" > "$T/text"
fails_with "not a kernel" "not a kernel" -kernel "$T/text"
fails_with "no such file" "No such file" -kernel "$T/none"
hdr=$(python3 -c "import sys; d=open(sys.argv[1],'rb').read(); print(d.find(bytes.fromhex('02b0ad1b')))" "$K/mb_elf.elf")
head -c $((hdr + 64)) "$K/mb_elf.elf" > "$T/trunc.elf"
fails_with "truncated ELF (segments past the end)" "truncated" -kernel "$T/trunc.elf"
head -c 560 "$K/bzimage.bin" > "$T/trunc0.bz"
fails_with "truncated bzImage (inside the setup header)" "truncated bzImage" -kernel "$T/trunc0.bz"
head -c 1000 "$K/bzimage.bin" > "$T/trunc1.bz"
fails_with "truncated bzImage (setup sectors)" "truncated bzImage.*setup sectors" -kernel "$T/trunc1.bz"
head -c 1100 "$K/bzimage.bin" > "$T/trunc2.bz"
fails_with "truncated bzImage (syssize)" "truncated bzImage" -kernel "$T/trunc2.bz"
cp "$K/bzimage.bin" "$T/old.bz"
printf '\x01\x02' | dd of="$T/old.bz" bs=1 seek=$((0x206)) conv=notrunc status=none
fails_with "boot protocol 2.01" "too old" -kernel "$T/old.bz"
fails_with "ELF kernel too big for -m 1" "does not fit in 1 MiB" -m 1 -kernel "$K/mb_elf.elf"
fails_with "a.out kernel too big for -m 1" "does not fit in 1 MiB" -m 1 -kernel "$K/mb_aout.bin"
fails_with "bzImage too big for -m 1" "more than -m 1" -m 1 -kernel "$K/bzimage.bin"
truncate -s 40M "$T/big.img"
fails_with "initrd above initrd_addr_max" "^x86lab: -initrd .*big.img.*does not fit below 0x2000000" \
    -m 64 -kernel "$K/bzimage.bin" -initrd "$T/big.img"
fails_with "initrd bigger than RAM" "^x86lab: -initrd .*big.img.*too big" \
    -m 16 -kernel "$K/bzimage.bin" -initrd "$T/big.img"
truncate -s 15M "$T/big15.img"
fails_with "module too big for -m 16" "^x86lab: -initrd .*big15.img.*does not fit in 16 MiB" \
    -m 16 -kernel "$K/mb_elf.elf" -initrd "$T/mod1.txt,$T/big15.img"
cp "$K/mb_aout.bin" "$T/low.bin"      # load_addr = header_addr = 0xA0000, to the file's end
printf '\x00\x00\x0a\x00\x00\x00\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00' |
    dd of="$T/low.bin" bs=1 seek=12 conv=notrunc status=none
fails_with "kernel over the BIOS area" "overlaps the EBDA, video memory and BIOS ROM" -kernel "$T/low.bin"
fails_with "command line too long" "^x86lab: -append.*at most 255" \
    -kernel "$K/bzimage.bin" -append "$(head -c 300 /dev/zero | tr '\0' x)"
fails_with "-initrd without -kernel" "^x86lab: -initrd" -initrd "$T/mod1.txt"
fails_with "-append without -kernel" "^x86lab: -append" -append "x"

if [ $fails -eq 0 ]; then
    echo "$checks checks passed"
    exit 0
fi
echo "$fails FAIL, $checks ok"
exit 1
