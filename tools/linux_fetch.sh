#!/bin/sh
# linux_fetch.sh -- fetches Debian's i686 kernel and busybox-static (i386)
# with apt only, unpacks them into BUILD/linux/ and builds an initramfs.
# Used by tests/scripts/linux_boot.sh; does nothing when the assets exist.
# Usage: tools/linux_fetch.sh [BUILD]
# Produces BUILD/linux/vmlinuz and BUILD/linux/initrd.gz; exits 1 with a
# one-line reason when apt cannot download the packages.
set -u
BUILD=$(cd "${1:-build}" && pwd) || exit 1
OUT=$BUILD/linux
mkdir -p "$OUT/debs" "$OUT/root"
# initrd version 4: with the IDE disk and ext2 modules (MODULES below),
# x86lab.poweroff (make bench: boot to the shell, then power off) and
# x86lab.vga (the shell on the VGA console, tty1, not on ttyS0).
[ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ] && [ -f "$OUT/initrd-v4" ] && exit 0

# The modules /init loads, in load order, to mount an ext2 file system on
# the first IDE disk (the 686 kernel has ATA, SCSI disks and ext4 as
# modules): each module's "depends" must come before it (checked below
# with modinfo), and the crypto algorithms that crc-t10dif, crc64-rocksoft
# and jbd2 ask for at load time come before those.
MODULES="scsi_common scsi_mod libata ata_piix crct10dif_common crct10dif_generic crc-t10dif
crc64 crc64_rocksoft_generic crc64-rocksoft t10-pi sd_mod crc16 crc32c_generic mbcache jbd2 ext4"

# apt knows i386 packages only once the architecture is added (as root).
if ! dpkg --print-foreign-architectures | grep -qx i386 && [ "$(id -u)" = 0 ]; then
    dpkg --add-architecture i386 && apt-get update -qq >/dev/null 2>&1
fi
# The kernel package the linux-image-686 metapackage currently depends on.
kpkg=$(apt-cache depends linux-image-686:i386 2>/dev/null |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-686\).*/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
    echo "linux_fetch: no linux-image-686:i386 in apt (needs: dpkg --add-architecture i386; apt-get update)" >&2
    exit 1
fi
cd "$OUT/debs" || exit 1
# -o ...Sandbox::User=root: the _apt user may not write into BUILD.
if ! apt-get -q -o APT::Sandbox::User=root download "$kpkg:i386" busybox-static:i386 >/dev/null 2>&1; then
    echo "linux_fetch: apt-get download $kpkg:i386 busybox-static:i386 failed" >&2
    exit 1
fi
# Only the files needed (all the kernel's modules would take ~250 MB);
# root/ emptied first so that one vmlinuz-* is there after an upgrade.
rm -rf "$OUT/root" && mkdir -p "$OUT/root" || exit 1
dpkg-deb --fsys-tarfile ./"$kpkg"_*.deb | tar -x -C "$OUT/root" --wildcards './boot/vmlinuz-*' ||
    exit 1
dpkg-deb --fsys-tarfile ./busybox-static_*.deb | tar -x -C "$OUT/root" ./bin/busybox || exit 1
pattern=""
for m in $MODULES; do pattern="$pattern ./lib/modules/*/$m.ko"; done
# shellcheck disable=SC2086 # one pattern per module
dpkg-deb --fsys-tarfile ./"$kpkg"_*.deb |
    tar -x -C "$OUT/root" --wildcards $pattern 2>/dev/null
rm -f ./*.deb
cp "$OUT"/root/boot/vmlinuz-* "$OUT/vmlinuz" || exit 1

# The initramfs: busybox, its applet links made at boot, and /init.
I=$OUT/initramfs
rm -rf "$I"
mkdir -p "$I/bin" "$I/sbin" "$I/usr/bin" "$I/usr/sbin" "$I/proc" "$I/sys" "$I/dev" "$I/tmp" "$I/etc"
cp "$OUT/root/bin/busybox" "$I/bin/busybox" || exit 1
ln -s busybox "$I/bin/sh"
mkdir -p "$I/modules" "$I/mnt"
loaded=" "
for m in $MODULES; do
    ko=$(find "$OUT/root/lib/modules" -name "$m.ko" | head -n 1)
    if [ -z "$ko" ]; then
        echo "linux_fetch: module $m.ko not in $kpkg" >&2
        exit 1
    fi
    for dep in $(modinfo -F depends "$ko" | tr ',' ' '); do
        case $loaded in *" $dep "*) ;; *)
            echo "linux_fetch: $m needs $dep before it (fix MODULES)" >&2
            exit 1 ;;
        esac
    done
    loaded="$loaded$m "
    cp "$ko" "$I/modules/" || exit 1
done
echo "$MODULES" | tr ' ' '\n' > "$I/modules/order"
cat > "$I/init" <<'EOF'
#!/bin/sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for m in $(cat /modules/order); do insmod /modules/$m.ko || echo "X86LAB-INSMOD-FAILED $m"; done
echo "X86LAB-LINUX-INIT-OK"
# make bench (tests/bench-linux.sh): the boot ends where the shell would start
grep -q x86lab.poweroff /proc/cmdline && poweroff -f
tty=ttyS0
grep -q x86lab.vga /proc/cmdline && tty=tty1
exec setsid cttyhack sh </dev/$tty >/dev/$tty 2>&1
EOF
chmod 755 "$I/init"
(cd "$I" && find . | cpio -o -H newc --quiet | gzip -9) > "$OUT/initrd.gz" || exit 1
rm -f "$OUT"/initrd-v* && touch "$OUT/initrd-v4"
echo "linux_fetch: $kpkg -> $OUT/vmlinuz, $OUT/initrd.gz"
