#!/bin/sh
# deps.sh -- checks the Debian packages x86lab needs; installs the missing
# ones when run as root ("install", or "check" as root), otherwise prints
# the exact apt-get line and fails.  "update" refreshes the package lists.
#
# A Debian mirror being synced answers "File has unexpected size" for a
# minute or so, and apt-get update then exits 100: retry with a pause, and
# go on with the lists already there if it keeps failing (the install that
# follows is what must succeed).
mode=$1; shift

apt_update() {
    for pause in 5 20 0; do
        apt-get update -qq && return 0
        [ "$pause" = 0 ] && break
        echo "x86lab: apt-get update failed (mirror busy?); again in ${pause}s" >&2
        sleep "$pause"
    done
    echo "x86lab: apt-get update kept failing; using the package lists there are" >&2
    return 0
}

apt_install() {
    for pause in 20 0; do
        apt-get install -y -qq --no-install-recommends "$@" >/dev/null && return 0
        [ "$pause" = 0 ] && break
        echo "x86lab: apt-get install failed; refreshing the lists, again in ${pause}s" >&2
        sleep "$pause"
        apt_update
    done
    return 1
}

if [ "$mode" = update ]; then
    [ "$(id -u)" = 0 ] || { echo "x86lab: deps.sh update must run as root" >&2; exit 1; }
    export DEBIAN_FRONTEND=noninteractive
    apt_update
    exit 0
fi

missing=""
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "x86lab: installing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt_update
    # shellcheck disable=SC2086 # one word per package
    apt_install $missing || {
        echo "x86lab: apt-get install failed for:$missing" >&2; exit 1; }
    exit 0
fi
echo "x86lab: missing Debian packages:$missing" >&2
echo "  install them with: sudo apt-get install$missing" >&2
exit 1
