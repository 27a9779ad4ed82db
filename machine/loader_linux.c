/* loader_linux.c -- Linux bzImages through the 32-bit boot protocol
 * (Documentation/arch/x86/boot.rst, protocol 2.02 and later): the
 * protected-mode kernel at 1 MiB, the initrd high, the zero page (struct
 * boot_params) with the setup header, command line and E820 map. */
#include "machine/loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/machine.h"

enum {
    /* setup header fields: offsets in the file and in the zero page */
    HDR_START = 0x1F1, HDR_SETUP_SECTS = 0x1F1, HDR_SYSSIZE = 0x1F4,
    HDR_BOOT_FLAG = 0x1FE, HDR_JUMP = 0x200, HDR_MAGIC = 0x202, HDR_VERSION = 0x206,
    HDR_TYPE_OF_LOADER = 0x210, HDR_LOADFLAGS = 0x211, HDR_CODE32_START = 0x214,
    HDR_RAMDISK_IMAGE = 0x218, HDR_RAMDISK_SIZE = 0x21C, HDR_CMD_LINE_PTR = 0x228,
    HDR_INITRD_ADDR_MAX = 0x22C, HDR_CMDLINE_SIZE = 0x238, HDR_PREF_ADDRESS = 0x258,
    HDR_INIT_SIZE = 0x260, HDR_MAX_END = 0x290,   /* where boot_params' header room ends */
    LOADED_HIGH = 0x01,
    /* the rest of the zero page */
    BP_EXT_MEM_K = 0x002, BP_ALT_MEM_K = 0x1E0, BP_E820_ENTRIES = 0x1E8, BP_E820_TABLE = 0x2D0,
    /* where x86lab puts things: the zero page, the GDT, the command line */
    ZERO_PAGE = 0x90000, BOOT_GDT = 0x91000, CMDLINE = 0x91100,
    KERNEL_ADDR = 0x100000,
    BOOT_CS = 0x10, BOOT_DS = 0x18,
};

/* What the header says, checked. */
struct bz {
    uint16_t version;
    uint32_t setup_size;            /* bytes before the protected-mode kernel */
    uint32_t pm_size;               /* the protected-mode kernel's bytes */
    uint32_t hdr_end;               /* the end of the setup header in the file */
    uint64_t kernel_end;            /* the end of what decompression takes */
    uint32_t initrd_max;            /* highest byte an initrd may use */
    uint32_t cmdline_max;           /* without the NUL */
};

/* Checks the setup header; -1 with err for what x86lab cannot boot. */
static int parse_header(const uint8_t *img, size_t size, struct bz *z, char *err, size_t errlen)
{
    if (size < HDR_MAX_END)
        return snprintf(err, errlen, "truncated bzImage: %zu bytes, shorter than its setup "
                        "header", size), -1;
    z->version = ld_le16(img + HDR_VERSION);
    if (ld_le16(img + HDR_BOOT_FLAG) != 0xAA55)
        return snprintf(err, errlen, "a Linux setup header without the 0xAA55 boot flag"), -1;
    if (z->version < 0x202)
        return snprintf(err, errlen, "Linux boot protocol %u.%02u is too old: x86lab needs "
                        "2.02 or later (a bzImage)", z->version >> 8, z->version & 0xFF), -1;
    if (!(img[HDR_LOADFLAGS] & LOADED_HIGH))
        return snprintf(err, errlen, "a zImage (loaded below 1 MiB): x86lab boots bzImages "
                        "only"), -1;
    unsigned sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
    z->setup_size = (sects + 1) * 512;
    if (z->setup_size >= size)
        return snprintf(err, errlen, "truncated bzImage: the header claims %u setup sectors "
                        "(%u bytes), the file has %zu bytes", sects, z->setup_size, size), -1;
    z->pm_size = (uint32_t)(size - z->setup_size);
    uint64_t sys = z->version >= 0x204 ? (uint64_t)ld_le32(img + HDR_SYSSIZE) * 16 : 0;
    if (sys > (uint64_t)z->pm_size + 15)
        return snprintf(err, errlen, "truncated bzImage: the header claims a %llu-byte kernel "
                        "after the setup, the file has %u bytes", (unsigned long long)sys,
                        z->pm_size), -1;
    z->hdr_end = HDR_JUMP + 2 + (uint32_t)(int8_t)img[HDR_JUMP + 1];
    if (z->hdr_end > HDR_MAX_END)
        z->hdr_end = HDR_MAX_END;
    if (z->hdr_end < HDR_VERSION + 2)
        z->hdr_end = HDR_VERSION + 2;
    /* The decompressor writes from max(load address, pref_address) up
     * to init_size bytes on (2.10 and later). */
    uint64_t out = KERNEL_ADDR, need = z->pm_size;
    if (z->version >= 0x20A) {
        uint64_t pref = (uint64_t)ld_le32(img + HDR_PREF_ADDRESS) |
                        (uint64_t)ld_le32(img + HDR_PREF_ADDRESS + 4) << 32;
        out = pref > out ? pref : out;
        need = ld_le32(img + HDR_INIT_SIZE);
    }
    z->kernel_end = out + need;
    if (z->kernel_end < KERNEL_ADDR + (uint64_t)z->pm_size)
        z->kernel_end = KERNEL_ADDR + (uint64_t)z->pm_size;
    z->initrd_max = z->version >= 0x203 ? ld_le32(img + HDR_INITRD_ADDR_MAX) : 0x37FFFFFF;
    z->cmdline_max = z->version >= 0x206 ? ld_le32(img + HDR_CMDLINE_SIZE) : 255;
    return 0;
}

/* The kernel at 1 MiB, with the room decompression needs taken too. */
static int place_kernel(struct machine *m, struct loader_map *lm, const uint8_t *img,
                        const struct bz *z, char *err, size_t errlen)
{
    uint32_t ram_end = m->bus.ram_size;
    if (z->kernel_end > ram_end) {
        snprintf(err, errlen, "the kernel needs RAM up to 0x%llx to decompress (%llu MiB): "
                 "more than -m %u gives", (unsigned long long)z->kernel_end,
                 (unsigned long long)((z->kernel_end + (1 << 20) - 1) >> 20), ram_end >> 20);
        return -1;
    }
    if (loader_reserve(lm, KERNEL_ADDR, z->kernel_end - KERNEL_ADDR, "the kernel",
                       err, errlen) < 0)
        return -1;
    bus_load(&m->bus, KERNEL_ADDR, img + z->setup_size, z->pm_size);
    return 0;
}

/* The initrd as high as it may go: page-aligned, below initrd_addr_max
 * and the end of RAM, above the kernel. */
static int place_initrd(struct machine *m, struct loader_map *lm, const char *path,
                        const struct bz *z, uint32_t *addr, uint32_t *size,
                        char *err, size_t errlen)
{
    uint8_t *data;
    size_t n;
    char why[300];
    if (loader_read_file(path, m->bus.ram_size, &data, &n, why, sizeof why) < 0)
        return snprintf(err, errlen, "-initrd %s", why), -1;
    uint64_t hi = (uint64_t)z->initrd_max + 1;
    if (hi > m->bus.ram_size)
        hi = m->bus.ram_size;
    int r = hi > HIGH_RAM ? loader_alloc(lm, (uint32_t)n, 4096, HIGH_RAM, (uint32_t)hi, 1,
                                         "the initrd", addr, why, sizeof why)
                          : (snprintf(why, sizeof why, "no RAM above 1 MiB for it"), -1);
    if (r == 0)
        bus_load(&m->bus, *addr, data, n);
    free(data);
    if (r < 0)
        return snprintf(err, errlen, "-initrd %s: %s", path, why), -1;
    *size = (uint32_t)n;
    return 0;
}

/* screen_info: the 80x25 colour text mode the BIOS leaves, cursor at the
 * top left. */
static void screen_info(uint8_t *zp, uint32_t ram_end)
{
    uint32_t ext_k = ram_end > HIGH_RAM ? (ram_end - HIGH_RAM) >> 10 : 0;
    st_le16(zp + BP_EXT_MEM_K, (uint16_t)(ext_k > 0xFC00 ? 0xFC00 : ext_k));
    zp[0x06] = 3;                   /* orig_video_mode */
    zp[0x07] = 80;                  /* orig_video_cols */
    st_le16(zp + 0x0A, 0x0003);     /* orig_video_ega_bx: colour, 256 KiB */
    zp[0x0E] = 25;                  /* orig_video_lines */
    zp[0x0F] = 0x22;                /* orig_video_isVGA: VIDEO_TYPE_VGAC */
    st_le16(zp + 0x10, 16);         /* orig_video_points: 8x16 font */
    st_le32(zp + BP_ALT_MEM_K, ext_k);
}

static void zero_page(struct machine *m, const uint8_t *img, const struct bz *z,
                      uint32_t initrd, uint32_t initrd_size)
{
    uint8_t zp[4096] = { 0 };
    memcpy(zp + HDR_START, img + HDR_START, z->hdr_end - HDR_START);
    zp[HDR_TYPE_OF_LOADER] = 0xFF;                 /* a loader without an ID */
    st_le32(zp + HDR_CODE32_START, KERNEL_ADDR);
    st_le32(zp + HDR_RAMDISK_IMAGE, initrd);
    st_le32(zp + HDR_RAMDISK_SIZE, initrd_size);
    st_le32(zp + HDR_CMD_LINE_PTR, CMDLINE);
    screen_info(zp, m->bus.ram_size);
    struct e820_entry map[E820_MAX];
    int n = loader_e820(m->bus.ram_size, map);
    zp[BP_E820_ENTRIES] = (uint8_t)n;
    for (int k = 0; k < n; k++) {
        uint8_t *e = zp + BP_E820_TABLE + k * 20;
        st_le64(e, map[k].base);
        st_le64(e + 8, map[k].len);
        st_le32(e + 16, map[k].type);
    }
    bus_load(&m->bus, ZERO_PAGE, zp, sizeof zp);
}

static int boot_linux(struct machine *m, const struct kernel_spec *k, const uint8_t *img,
                      size_t size, char *err, size_t errlen)
{
    struct bz z;
    struct loader_map lm;
    const char *cmd = k->cmdline ? k->cmdline : "";
    size_t clen = strlen(cmd);
    uint32_t initrd = 0, initrd_size = 0;
    if (parse_header(img, size, &z, err, errlen) < 0)
        return -1;
    if (clen > z.cmdline_max || clen >= LOW_RAM_END - CMDLINE)
        return snprintf(err, errlen, "-append: the command line is %zu bytes, this kernel "
                        "takes at most %u", clen, z.cmdline_max), -1;
    loader_map_init(&lm, m->bus.ram_size);
    if (loader_reserve(&lm, ZERO_PAGE, LOW_RAM_END - ZERO_PAGE,
                       "the zero page, GDT and command line", err, errlen) < 0 ||
        place_kernel(m, &lm, img, &z, err, errlen) < 0 ||
        (k->initrd && place_initrd(m, &lm, k->initrd, &z, &initrd, &initrd_size,
                                   err, errlen) < 0))
        return -1;
    bus_load(&m->bus, CMDLINE, cmd, clen + 1);
    zero_page(m, img, &z, initrd, initrd_size);
    loader_enter32(m, BOOT_GDT, BOOT_CS, BOOT_DS, KERNEL_ADDR);
    m->cpu.r[R_ESI] = ZERO_PAGE;
    return 0;
}

int loader_linux(struct machine *m, const struct kernel_spec *k, uint8_t *img, size_t size,
                 char *err, size_t errlen)
{
    if (size < HDR_VERSION + 2 || memcmp(img + HDR_MAGIC, "HdrS", 4))
        return 0;
    char why[1024];
    if (boot_linux(m, k, img, size, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s%s%s", why[0] == '-' ? "" : k->path,
                 why[0] == '-' ? "" : ": ", why);
        return -1;
    }
    return 1;
}
