/* firmware.h -- the system BIOS ROM: finding the image (bios/bios.bin next
 * to the x86lab binary, or -bios FILE), mapping it read-only below 1 MiB and
 * at the top of the 4 GiB space (where the reset vector is fetched), and the
 * boot order the BIOS reads from the CMOS. */
#ifndef X86LAB_FIRMWARE_H
#define X86LAB_FIRMWARE_H

#include <stddef.h>

struct machine;

enum {
    FIRMWARE_MIN_SIZE = 4096,            /* a multiple of 4 KiB ... */
    FIRMWARE_MAX_SIZE = 128 * 1024,      /* ... up to 0xE0000-0xFFFFF */
};

/* The default image: BIOS_DIR/bios.bin beside the running binary (the
 * build tree's layout), then ../share/x86lab/bios.bin (make install).
 * Returns 0 with the path in buf, or -1 when none exists (buf then names
 * the first place looked at). */
int firmware_find(char *buf, size_t len);

/* Maps the image at path: a ROM of its size ending at 1 MiB and the same
 * bytes ending at 4 GiB (16 MiB on a 286, whose reset fetch is there).
 * Returns 0, or -1 with a one-line reason in err. */
int firmware_load(struct machine *m, const char *path, char *err, size_t errlen);

/* -boot ORDER: up to three of a (floppy), c (hard disk), d (CD-ROM),
 * optionally after "order=", written to the CMOS as the BIOS reads it
 * (0x3D low/high nibble: first/second device, 0x38 high nibble: third;
 * 1 floppy, 2 disk, 3 CD).  Returns 0, or -1 for a bad order. */
int firmware_parse_boot_order(const char *order, unsigned char dev[3]);
void firmware_set_boot_order(struct machine *m, const unsigned char dev[3]);

#endif
