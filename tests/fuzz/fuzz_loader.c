/* fuzz_loader.c -- libFuzzer harness for the direct kernel loaders
 * (machine/loader_*.c): the input is a kernel image, parsed and loaded into
 * an 8 MiB machine the way loader_boot_kernel does (a Linux bzImage first,
 * then Multiboot: ELF or the a.out kludge), with an -append command line
 * and -initrd files from the input's first bytes.
 *
 * Input: byte 0 bit 0 an initrd (module) file, bit 1 two of them, bit 2
 * a command line: bytes up to the first NUL after byte 1; the rest is the
 * kernel.  Bit 3: the kernel is also written to a file and its ELF
 * symbols read by the debugger (debugger/symbols.c, as for --symbols). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debugger/debug.h"
#include "debugger/symbols.h"
#include "machine/loader.h"
#include "machine/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct harness {
    struct machine m;
    char initrd[2][300];
    char both[700];
    char kfile[300];
};

static struct harness *harness_get(void)
{
    static struct harness *h;    /* libFuzzer's one process-wide harness state */
    if (h)
        return h;
    h = calloc(1, sizeof *h);
    struct machine_config cfg = { .ram_mb = 8, .model = CPU_P6, .no_reboot = true };
    if (machine_init(&h->m, &cfg) < 0)
        abort();
    h->m.debugport.out = NULL;
    const char *t = getenv("TMPDIR");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/x86lab-fuzz-loader-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir))
        abort();
    for (int k = 0; k < 2; k++) {
        snprintf(h->initrd[k], sizeof h->initrd[k], "%s/initrd%d", dir, k);
        int fd = open(h->initrd[k], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        uint8_t blk[3000];
        memset(blk, 0x5A + k, sizeof blk);
        if (fd < 0 || write(fd, blk, sizeof blk - 1000 * (size_t)k) < 0)
            abort();
        close(fd);
    }
    snprintf(h->both, sizeof h->both, "%s,%s", h->initrd[0], h->initrd[1]);
    snprintf(h->kfile, sizeof h->kfile, "%s/kernel", dir);
    if (!debug_attach(&h->m))
        abort();
    return h;
}

/* The kernel as a --symbols file; the symbols are dropped again after. */
static void symbols(struct harness *h, const uint8_t *img, size_t n)
{
    int fd = open(h->kfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, img, n) != (ssize_t)n)
        abort();
    close(fd);
    char err[300];
    symbols_load(h->m.dbg, h->kfile, err, sizeof err);
    debug_symbols_free(h->m.dbg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (4u << 20))
        return 0;
    struct harness *h = harness_get();
    struct kernel_spec k = { .path = "fuzz-kernel" };
    uint8_t flags = data[0];
    size_t at = 1;
    char cmdline[1024];
    if (flags & 4) {
        size_t n = 0;
        while (at < size && data[at] && n + 1 < sizeof cmdline)
            cmdline[n++] = (char)data[at++];
        cmdline[n] = 0;
        at++;
        k.cmdline = cmdline;
    }
    if (flags & 1)
        k.initrd = (flags & 2) ? h->both : h->initrd[0];
    if (at > size)
        return 0;
    size_t n = size - at;
    uint8_t *img = malloc(n + 1);
    memcpy(img, data + at, n);
    char err[1600];
    int r = loader_linux(&h->m, &k, img, n, err, sizeof err);
    if (r == 0)
        r = loader_multiboot(&h->m, &k, img, n, err, sizeof err);
    if (flags & 8)
        symbols(h, data + at, n);
    free(img);
    return 0;
}
