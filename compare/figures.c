/* figures.c -- the figures `x86lab compare` derives from each run's
 * counters (time split, MIPS, slowdown, cost per event), computed once
 * here so the terminal table, the JSON and the HTML report agree. */
#include "compare/compare_int.h"

#include <string.h>

static uint64_t minus(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

int time_split(const struct engine_result *e, struct time_part out[SPLIT_MAX])
{
    uint64_t traps = sum_u64(e->trap_ns, TRAP_COUNT), exits = sum_u64(e->exit_ns, VMEXIT_COUNT);
    /* The translator times one trap in 16 and counts it 16 times (its
     * helpers.c): an estimate, which a few slow samples can push past the
     * engine's measured time; the split keeps to what was measured. */
    uint64_t bt_room = minus(e->engine_ns[ENGINE_BT], e->bt_translate_ns);
    if (traps > bt_room)
        traps = bt_room;
    uint64_t in_engines = sum_u64(e->engine_ns, ENGINE_COUNT);
    uint64_t tae = e->engine_ns[ENGINE_TAE];
    const struct time_part all[] = {
        { "interpreter", "interpreter", e->engine_ns[ENGINE_INTERP] },
        { "translated code", "translated_code",
          minus(e->engine_ns[ENGINE_BT], traps + e->bt_translate_ns) },
        { "traps (emulated in C)", "traps", traps },
        { "translation", "translation", e->bt_translate_ns },
        { "guest in KVM_RUN", "kvm_guest", e->kvm_guest_ns },
        { "VM-exit handling", "vm_exits", exits },
        { "KVM engine, other", "kvm_other",
          minus(e->engine_ns[ENGINE_KVM], e->kvm_guest_ns + exits) },
        { "deprivileged guest (trap-and-emulate)", "tae_guest", minus(tae, e->tae_monitor_ns) },
        { "monitor (trap-and-emulate)", "tae_monitor", e->tae_monitor_ns },
        { "outside the engine (devices, timers, idle)", "outside", minus(e->wall_ns, in_engines) },
    };
    int n = 0;
    for (size_t k = 0; k < sizeof all / sizeof all[0] && n < SPLIT_MAX; k++)
        if (all[k].ns)
            out[n++] = all[k];
    return n;
}

double mips(const struct engine_result *e)
{
    if (e->kind == ENGINE_KVM || !e->insns || !e->wall_ns)
        return -1;
    return (double)e->insns / ((double)e->wall_ns / 1e9) / 1e6;
}

double slowdown(const struct comparison *c, const struct engine_result *e)
{
    if (c->fastest < 0 || !c->eng[c->fastest].wall_ns)
        return -1;
    return (double)e->wall_ns / (double)c->eng[c->fastest].wall_ns;
}

double ns_per(uint64_t ns, uint64_t n)
{
    return n ? (double)ns / (double)n : -1;
}

bool any_trap(const struct comparison *c, int k)
{
    for (int e = 0; e < ENGINE_COUNT; e++)
        if (c->eng[e].ran && c->eng[e].traps[k])
            return true;
    return false;
}

bool any_exit(const struct comparison *c, int k)
{
    for (int e = 0; e < ENGINE_COUNT; e++)
        if (c->eng[e].ran && c->eng[e].exits[k])
            return true;
    return false;
}

bool insns_consistent(const struct comparison *c)
{
    const struct engine_result *first = NULL;
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_result *e = &c->eng[k];
        if (!e->ran || !e->deterministic)
            continue;
        if (first && e->insns != first->insns)
            return false;
        if (!first)
            first = e;
    }
    return true;
}

int region_names(const struct comparison *c, const char *out[], int max)
{
    int n = 0;
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_result *e = &c->eng[k];
        for (int r = 0; e->ran && r < e->nregions; r++) {
            int j = 0;
            while (j < n && strcmp(out[j], e->regions[r].name))
                j++;
            if (j == n && n < max)
                out[n++] = e->regions[r].name;
        }
    }
    return n;
}
