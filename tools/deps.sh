#!/bin/sh
# deps.sh -- checks the Debian packages x86lab needs; installs the missing
# ones when run as root ("install", or "check" as root), otherwise prints
# the exact apt-get line and fails.
mode=$1; shift
missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "x86lab: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
        echo "x86lab: apt-get install failed for:$missing" >&2; exit 1; }
    exit 0
fi
echo "x86lab: missing Debian packages:$missing" >&2
echo "  install them with: sudo apt-get install$missing" >&2
[ "$mode" = check ] && exit 1
exit 1
