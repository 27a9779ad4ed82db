/* firmware.c -- loading the BIOS image into ROM (below 1 MiB and aliased
 * below 4 GiB for the reset vector) and the boot order in the CMOS. */
#include "firmware.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machine/machine.h"

/* The directory of the running binary, from /proc/self/exe. */
static int exe_dir(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    *slash = 0;
    return 0;
}

int firmware_find(char *buf, size_t len)
{
    static const char *const places[] = { "bios/bios.bin", "../share/x86lab/bios.bin" };
    char dir[4096];
    if (exe_dir(dir, sizeof dir) < 0)
        snprintf(dir, sizeof dir, ".");
    for (size_t k = 0; k < sizeof places / sizeof places[0]; k++) {
        snprintf(buf, len, "%s/%s", dir, places[k]);
        if (access(buf, R_OK) == 0)
            return 0;
    }
    snprintf(buf, len, "%s/%s", dir, places[0]);
    return -1;
}

/* Reads the whole image; its size must be a ROM size the board can map. */
static uint8_t *read_image(const char *path, uint32_t *size, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    uint8_t *data = malloc(FIRMWARE_MAX_SIZE + 1);
    size_t n = data ? fread(data, 1, FIRMWARE_MAX_SIZE + 1, f) : 0;
    fclose(f);
    if (!data) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (n < FIRMWARE_MIN_SIZE || n > FIRMWARE_MAX_SIZE || n % 4096) {
        snprintf(err, errlen, "%s: %zu bytes is not a BIOS image size "
                 "(a multiple of 4 KiB, at most 128 KiB)", path, n);
        free(data);
        return NULL;
    }
    *size = (uint32_t)n;
    return data;
}

int firmware_load(struct machine *m, const char *path, char *err, size_t errlen)
{
    uint32_t size;
    uint8_t *data = read_image(path, &size, err, errlen);
    if (!data)
        return -1;
    /* The CPU resets with CS base 0xFFFF0000 (0xFF0000 with a 286's 24
     * address lines): its first fetch, F000:FFF0, is 16 bytes below the
     * top of the address space.  The far jump it finds there reloads CS
     * with 0xF000 and the BIOS runs from the copy below 1 MiB. */
    uint32_t top = m->cfg.model == CPU_286 ? 0x1000000u : 0;
    int r = bus_add_rom(&m->bus, 0x100000u - size, data, size);
    if (r == 0)
        r = bus_add_rom(&m->bus, top - size, data, size);
    free(data);
    if (r < 0) {
        snprintf(err, errlen, "%s: cannot map the ROM", path);
        return -1;
    }
    return 0;
}

int firmware_parse_boot_order(const char *order, unsigned char dev[3])
{
    if (!strncmp(order, "order=", 6))
        order += 6;
    size_t n = strlen(order);
    if (n == 0 || n > 3)
        return -1;
    memset(dev, 0, 3);
    for (size_t k = 0; k < n; k++) {
        const char *p = strchr("acd", order[k]);
        if (!order[k] || !p)
            return -1;
        unsigned char code = (unsigned char)(p - "acd" + 1);
        for (size_t j = 0; j < k; j++)
            if (dev[j] == code)
                return -1;          /* each device once */
        dev[k] = code;
    }
    return 0;
}

void firmware_set_boot_order(struct machine *m, const unsigned char dev[3])
{
    uint8_t third = cmos_read(&m->cmos, CMOS_BOOT_THIRD);
    cmos_write(&m->cmos, CMOS_BOOT_FIRST, (uint8_t)(dev[0] | dev[1] << 4));
    cmos_write(&m->cmos, CMOS_BOOT_THIRD, (uint8_t)((third & 0x0F) | dev[2] << 4));
}
