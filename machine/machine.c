/* machine.c -- building a machine and the engine loop. */
#include "machine.h"

#include <string.h>

#include "cpu/seg.h"

int machine_init(struct machine *m, const struct machine_config *cfg)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    if (cfg->ram_mb == 0 || cfg->ram_mb > 3072)
        return -1;
    if (bus_init(&m->bus, cfg->ram_mb << 20) < 0)
        return -1;
    if (cpu_init(&m->cpu, cfg->model, &m->bus) < 0) {
        bus_free(&m->bus);
        return -1;
    }
    if (debugport_init(&m->debugport, &m->bus, &m->cpu, stdout) < 0) {
        machine_free(m);
        return -1;
    }
    return 0;
}

void machine_free(struct machine *m)
{
    cpu_free(&m->cpu);
    bus_free(&m->bus);
}

const char *machine_stop_name(enum machine_stop s)
{
    switch (s) {
    case STOP_EXIT_PORT: return "exit port";
    case STOP_HALT: return "halted with interrupts off";
    case STOP_SHUTDOWN: return "triple fault (shutdown)";
    case STOP_BUDGET: return "instruction limit reached";
    }
    return "?";
}

enum machine_stop machine_run(struct machine *m, uint64_t max_insns)
{
    uint64_t start = m->cpu.count.insns;
    for (;;) {
        uint64_t slice = 1u << 20;
        if (max_insns) {
            uint64_t done = m->cpu.count.insns - start;
            if (done >= max_insns)
                return STOP_BUDGET;
            if (max_insns - done < slice)
                slice = max_insns - done;
        }
        enum cpu_exit e = cpu_run(&m->cpu, slice);
        switch (e) {
        case CPU_EXIT_REQUEST:
            m->cpu.stop_request = 0;
            if (m->debugport.exited)
                return STOP_EXIT_PORT;
            break;
        case CPU_EXIT_HALT:
            return STOP_HALT;
        case CPU_EXIT_IDLE:
            /* No interrupt sources yet (the PC platform adds them): a halt
             * waiting for an interrupt can never end. */
            return STOP_HALT;
        case CPU_EXIT_SHUTDOWN:
            return STOP_SHUTDOWN;
        case CPU_EXIT_BUDGET:
            break;
        }
    }
}

void machine_entry_real(struct machine *m, uint16_t cs, uint16_t ip)
{
    struct cpu *c = &m->cpu;
    seg_set_cache(&c->seg[S_CS], cs, (uint32_t)cs << 4, 0xFFFF,
                  AR_P | AR_S | AR_W | AR_ACCESSED);
    c->eip = ip;
}

void machine_entry_flat32(struct machine *m, uint32_t eip)
{
    struct cpu *c = &m->cpu;
    c->cr0 |= CR0_PE;
    uint16_t code = AR_P | AR_S | AR_CODE | AR_R | AR_ACCESSED | AR_DB | AR_G;
    uint16_t data = AR_P | AR_S | AR_W | AR_ACCESSED | AR_DB | AR_G;
    seg_set_cache(&c->seg[S_CS], 0x08, 0, 0xFFFFFFFFu, code);
    for (int s = 0; s < S_COUNT; s++)
        if (s != S_CS)
            seg_set_cache(&c->seg[s], 0x10, 0, 0xFFFFFFFFu, data);
    c->eip = eip;
    cpu_set_cpl(c, 0);
}
