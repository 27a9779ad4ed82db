/* debug_setup.c -- the debugger's command-line options applied to a loaded
 * machine: symbols from the Multiboot kernel and --symbols files, the
 * --debug-script file, and stopping before the first instruction. */
#include "debug.h"

#include <errno.h>
#include <string.h>

#include "machine/machine.h"
#include "symbols.h"

int debug_setup(struct machine *m, const struct debug_options *o)
{
    if (!o->start_stopped && !o->script && !o->nsymbols)
        return 0;
    struct debugger *d = debug_attach(m);
    if (!d) {
        fprintf(stderr, "x86lab: --debug: out of memory\n");
        return -1;
    }
    char err[300];
    if (m->kernel_path && symbols_load(d, m->kernel_path, err, sizeof err) < 0 && o->nsymbols == 0)
        fprintf(stderr, "x86lab: no symbols from the kernel: %s\n", err);
    for (int k = 0; k < o->nsymbols; k++)
        if (symbols_load(d, o->symbols[k], err, sizeof err) < 0) {
            fprintf(stderr, "x86lab: --symbols %s\n", err);
            return -1;
        }
    if (o->script) {
        d->script = fopen(o->script, "r");
        if (!d->script) {
            fprintf(stderr, "x86lab: --debug-script %s: %s\n", o->script, strerror(errno));
            return -1;
        }
    }
    return 0;
}
