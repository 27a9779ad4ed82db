/* fuzz_monitor.c -- libFuzzer harness for the monitor's command parser
 * (debugger/monitor*.c, views_*.c): each line of the input is given to
 * monitor_exec, as from --debug-script, against a 2 MiB machine whose CPU
 * mode byte 0 chooses (0 real mode, 1 flat protected mode, 2 the same with
 * paging through an identity-mapped page directory at 0x1000, 3 protected
 * mode with a GDT, an IDT and a TSS of garbage from the input's tail).
 * Output goes to /dev/null; run-control commands only prepare a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/mem.h"
#include "debugger/debug.h"
#include "machine/machine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_LINES = 64 };

struct harness {
    struct machine m;
    FILE *out;
};

static struct harness *harness_get(void)
{
    static struct harness *h;    /* libFuzzer's one process-wide harness state */
    if (h)
        return h;
    h = calloc(1, sizeof *h);
    struct machine_config cfg = { .ram_mb = 2, .model = CPU_P6, .no_reboot = true,
                                  .deterministic = true };
    if (machine_init(&h->m, &cfg) < 0 || !debug_attach(&h->m))
        abort();
    h->m.debugport.out = NULL;
    h->out = fopen("/dev/null", "w");
    h->m.dbg->out = h->out;
    return h;
}

static void set_mode(struct machine *m, int mode, const uint8_t *tail, size_t n)
{
    struct cpu *c = &m->cpu;
    machine_sync_cpu(m);
    cpu_reset(c);
    memset(m->bus.ram, 0, 0x4000);
    if (mode == 0) {
        machine_entry_real(m, 0, 0x7C00);
    } else {
        machine_entry_flat32(m, 0x2000);
        if (mode == 2) {
            uint32_t pde = 0x83;             /* 4 MiB page at 0 */
            memcpy(m->bus.ram + 0x1000, &pde, 4);
            c->cr4 |= CR4_PSE;
            c->cr3 = 0x1000;
            c->cr0 |= CR0_PG;
        }
        if (mode == 3) {
            memcpy(m->bus.ram + 0x800, tail, n < 0x1800 ? n : 0x1800);
            c->gdtr.base = 0x800;
            c->gdtr.limit = 0x7FF;
            c->idtr.base = 0x1000;
            c->idtr.limit = 0x7FF;
            c->tr.sel = 0x28;
            c->tr.base = 0x1800;
            c->tr.limit = 0x67;
            c->ldtr.sel = 0x30;
            c->ldtr.base = 0x1900;
            c->ldtr.limit = 0xFF;
        }
        tlb_flush(c, false);
    }
    machine_cpu_changed(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct harness *h = harness_get();
    set_mode(&h->m, data[0] & 3, data + 1, size - 1);
    char line[600];
    size_t at = 1;
    for (int k = 0; k < MAX_LINES && at < size; k++) {
        size_t n = 0;
        while (at < size && data[at] != '\n' && n + 1 < sizeof line)
            line[n++] = (char)data[at++];
        at++;
        line[n] = 0;
        monitor_exec(&h->m, line, h->out);
    }
    /* Breakpoints and watchpoints the lines made go, so inputs stay apart. */
    for (int k = 0; k < DBG_MAX_BP; k++)
        if (h->m.dbg->bp[k].id)
            debug_bp_delete(h->m.dbg, h->m.dbg->bp[k].id);
    return 0;
}
