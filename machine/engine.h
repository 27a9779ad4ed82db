/* engine.h -- the one interface every execution engine fills in (the
 * interpreter in cpu/, the binary translator in translator/, KVM in kvm/).
 * The machine loop (machine.c) is the only dispatcher: it runs the current
 * engine, services what it returned, advances devices and repeats. */
#ifndef X86LAB_ENGINE_H
#define X86LAB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cpu/cpu.h"

struct machine;

enum engine_kind { ENGINE_INTERP, ENGINE_BT, ENGINE_KVM, ENGINE_TAE, ENGINE_COUNT };

/* Debug requests an engine honours inside run() (the debugger sets them
 * through machine_set_debug; KVM maps them to its guest-debug interface). */
enum { ENGINE_MAX_HWBP = 4 };
enum engine_bp_kind { BP_EXEC, BP_WRITE, BP_ACCESS };
struct engine_debug {
    bool single_step;          /* return after each instruction */
    int nbp;                   /* hardware-style breakpoints/watchpoints */
    struct { uint32_t lin; uint8_t len; uint8_t kind; } bp[ENGINE_MAX_HWBP];
};

struct engine_ops {
    enum engine_kind kind;
    const char *name;          /* the --engine= value: "interp", "bt", "kvm" */
    const char *title;         /* for reports: "interpreter", ... */
    /* Can this host run the engine?  false with one sentence in why
     * (what is missing and what to use instead). */
    bool (*available)(char *why, size_t len);
    /* Creates the engine's private state for machine m; NULL + why on failure. */
    void *(*open)(struct machine *m, char *why, size_t len);
    void (*close)(void *priv);
    /* The common CPU state (m->cpu) becomes the engine's (before run after a
     * switch, a reset or a debugger edit) / goes back to m->cpu (after a run,
     * before anyone else reads it).  Engines that work on m->cpu directly
     * leave these NULL. */
    void (*enter)(void *priv);
    void (*leave)(void *priv);
    /* Runs until an event: the budget in instructions (engines that cannot
     * count stop at the virtual-time deadline m->clock.slice_end), HLT,
     * shutdown, or m->cpu.stop_request.  Always returns at an instruction
     * boundary. */
    enum cpu_exit (*run)(void *priv, uint64_t budget);
    /* Guest physical [paddr, paddr+len) changed behind the engine's back
     * (device DMA, a loader, the debugger): drop what was made from it. */
    void (*invalidate)(void *priv, uint32_t paddr, uint32_t len);
    /* Applies debug requests; -1 when the engine cannot (NULL: cannot). */
    int (*set_debug)(void *priv, const struct engine_debug *d);
    /* Engine-specific lines for --stats and the monitor (may be NULL). */
    void (*report)(void *priv, void *file);
};

/* The registry: ops of every engine built in (NULL if not built in). */
const struct engine_ops *engine_ops(enum engine_kind k);
/* Looks an engine up by its --engine= name; -1 when unknown. */
int engine_by_name(const char *name);

/* The interpreter's ops (cpu/engine_interp.c). */
extern const struct engine_ops interp_engine_ops;
/* The binary translator's ops (translator/engine_bt.c). */
extern const struct engine_ops bt_engine_ops;
/* The KVM engine's ops (kvm/kvm.c). */
extern const struct engine_ops kvm_engine_ops;
/* The trap-and-emulate monitor's ops (tae/tae.c): a teaching device. */
extern const struct engine_ops tae_engine_ops;

#endif
