#!/bin/bash
# compare_report.sh BUILD SHARED -- `x86lab compare --report FILE.html`
# on examples/nanobench (interpreter and translator): the page is
# well-formed (xmllint parses it as XML; Python's HTML parser finds every
# element closed), self-contained (no script, nothing fetched: no src= or
# href= to anywhere), has its charts (inline SVG with rectangles), a
# short explanation under each, the table, the host and the version; and
# headless Chromium renders it to a PNG that is not blank.
set -u
. "$(dirname "$0")/compare_common.inc" "${1:-build}" compare_report || exit 1
NB=$EX/nanobench/nanobench.elf
H=$OUT/report.html
rm -f "$H" "$OUT/report.png"
timeout 300 "$X86LAB" compare --engines=interp,bt --report="$H" -- -kernel "$NB" -append "n=1000" \
    > "$OUT/report.txt" 2> "$OUT/report.err"
check "compare --report exits 0" [ $? -eq 0 ]
check "the report was written" [ -s "$H" ]
check "xmllint: well-formed" xmllint --noout "$H"
check "html.parser: every element closed, in order" python3 - "$H" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"br", "meta", "img", "hr", "input", "link"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.bad = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)
p = P()
p.feed(open(sys.argv[1]).read())
p.close()
sys.exit(0 if not p.bad and not p.stack else 1)
PY
check "no script, nothing fetched" bash -c "! grep -q -i -E '<script|src=|href=|@import|url\(' '$H'"
check "three or more SVG charts (time, traps, nanobenchmarks)" [ "$(grep -c "<svg " "$H")" -ge 3 ]
check "bars in the charts" [ "$(grep -c '<rect ' "$H")" -ge 40 ]
check "an explanation under each chart" [ "$(grep -c 'class="explain"' "$H")" -ge "$(grep -c '<svg ' "$H")" ]
for t in "Where the time went" "Traps by class" "VM exits by reason" "The figures" \
    "Guest-marked regions" "Nanobenchmarks: the cost of one operation" "Guest TSC cycles per operation" \
    "Adams and O. Agesen" "Engines not run"; do
    check "section: $t" grep -q "$t" "$H"
done
check "host CPU and x86lab version named" grep -q -E "Host: .+<br/>" "$H"
check "x86lab version (git describe)" grep -q -E "x86lab [0-9a-f]{7}" "$H"

# Rendered once in headless Chromium, to a PNG that is not blank.
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    fail "chromium not installed (Debian package chromium, in DEB_PKGS)"
    finish
fi
timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$OUT/chromium-profile" --window-size=1000,2400 \
    --screenshot="$OUT/report.png" "file://$H" > "$OUT/chromium.log" 2>&1
check "chromium wrote a screenshot" [ -s "$OUT/report.png" ]
check "the screenshot is not blank (many colours, >3% of pixels not white)" \
    python3 - "$OUT/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, hdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        hdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
assert depth == 8 and ctype in (2, 6) and interlace == 0
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, inked = bytearray(stride), set(), 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    prev = line
    if y % 4 == 0:
        for x in range(0, w, 4):
            px = bytes(line[x * bpp:x * bpp + 3])
            colours.add(px)
            inked += px != b"\xff\xff\xff"
samples = ((h + 3) // 4) * ((w + 3) // 4)
print("      %dx%d, %d colours, %.1f%% not white" % (w, h, len(colours), 100.0 * inked / samples))
sys.exit(0 if len(colours) > 20 and inked > samples * 0.03 else 1)
PY
finish
