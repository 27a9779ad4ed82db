/* views_page.c -- paging views: the walk of one linear address (PDE ->
 * PTE -> frame, every flag, and which accesses would fault and why), and
 * the mapped ranges of the current address space with their rights. */
#include "monitor.h"

#include <string.h>

enum {
    PG_P = 1u << 0, PG_W = 1u << 1, PG_U = 1u << 2, PG_PWT = 1u << 3, PG_PCD = 1u << 4,
    PG_A = 1u << 5, PG_D = 1u << 6, PG_PS = 1u << 7, PG_G = 1u << 8,
};

static uint32_t phys32(struct machine *m, uint32_t pa)
{
    uint32_t v = 0xFFFFFFFFu;
    debug_read_phys(m, pa, &v, 4);
    return v;
}

static void flags(FILE *out, uint32_t e, bool leaf)
{
    if (!(e & PG_P)) {
        fprintf(out, "not present");
        return;
    }
    fprintf(out, "%s %s %s %s%s%s%s%s%s", (e & PG_P) ? "P" : "not-present",
            (e & PG_W) ? "RW" : "RO", (e & PG_U) ? "U" : "S", (e & PG_PWT) ? "PWT " : "",
            (e & PG_PCD) ? "PCD " : "", (e & PG_A) ? "A " : "", leaf && (e & PG_D) ? "D " : "",
            (e & PG_PS) ? "PS " : "", leaf && (e & PG_G) ? "G" : "");
}

/* One line per kind of access: allowed, or the #PF error code and why. */
static void verdicts(FILE *out, const struct cpu *c, bool present, uint32_t rights)
{
    static const struct { const char *name; bool user, write; } acc[] = {
        { "supervisor read ", false, false }, { "supervisor write", false, true },
        { "user read       ", true, false },  { "user write      ", true, true },
    };
    for (size_t k = 0; k < sizeof acc / sizeof acc[0]; k++) {
        uint32_t err = (acc[k].write ? 2u : 0u) | (acc[k].user ? 4u : 0u);
        const char *why = NULL;
        if (!present)
            why = "not present";
        else if (acc[k].user && !(rights & PG_U))
            why = "supervisor-only page";
        else if (acc[k].write && !(rights & PG_W) && (acc[k].user || (c->cr0 & CR0_WP)))
            why = acc[k].user ? "read-only page" : "read-only page and CR0.WP is set";
        if (present && why)
            err |= 1;
        if (why)
            fprintf(out, "  %s: #PF, error code 0x%x (%s)\n", acc[k].name, err, why);
        else
            fprintf(out, "  %s: allowed\n", acc[k].name);
    }
}

static int cmd_walk(struct machine *m, FILE *out, int argc, char **argv)
{
    struct cpu *c = &m->cpu;
    uint32_t lin;
    if (argc < 2) {
        fprintf(out, "page: which linear address? (page 0x400000)\n");
        return -1;
    }
    if (mon_eval(m, out, argv[1], &lin) < 0)
        return -1;
    if (!(c->cr0 & CR0_PG)) {
        fprintf(out, "paging is off: linear %08x is physical %08x\n", lin,
                lin & c->addr_mask & c->a20_mask);
        return -1;
    }
    uint32_t pde_pa = (c->cr3 & ~0xFFFu) + ((lin >> 22) << 2);
    uint32_t pde = phys32(m, pde_pa);
    fprintf(out, "linear %08x: directory index %u, table index %u, offset 0x%03x\n", lin,
            lin >> 22, (lin >> 12) & 0x3FF, lin & 0xFFF);
    fprintf(out, "CR3 %08x -> PDE at %08x = %08x  ", c->cr3, pde_pa, pde);
    flags(out, pde, false);
    fputc('\n', out);
    if (!(pde & PG_P)) {
        fprintf(out, "no translation: the PDE is not present\n");
        verdicts(out, c, false, 0);
        return -1;
    }
    if ((pde & PG_PS) && (c->cr4 & CR4_PSE)) {
        uint32_t pa = (pde & 0xFFC00000u) | (lin & 0x3FFFFF);
        fprintf(out, "4 MiB page: frame %08x -> physical %08x\n", pde & 0xFFC00000u, pa);
        verdicts(out, c, true, pde);
        return -1;
    }
    uint32_t pte_pa = (pde & ~0xFFFu) + (((lin >> 12) & 0x3FF) << 2);
    uint32_t pte = phys32(m, pte_pa);
    fprintf(out, "PDE -> page table %08x -> PTE at %08x = %08x  ", pde & ~0xFFFu, pte_pa, pte);
    flags(out, pte, true);
    fputc('\n', out);
    if (!(pte & PG_P)) {
        fprintf(out, "no translation: the PTE is not present\n");
        verdicts(out, c, false, 0);
        return -1;
    }
    fprintf(out, "frame %08x -> physical %08x\n", pte & ~0xFFFu, (pte & ~0xFFFu) | (lin & 0xFFF));
    verdicts(out, c, true, pde & pte);
    return -1;
}

/* A run of pages mapped contiguously with the same rights. */
struct range {
    bool open;
    uint32_t lin, phys, len, rights;
};

static void flush_range(FILE *out, struct range *r)
{
    if (!r->open)
        return;
    fprintf(out, "  %08x-%08x -> %08x-%08x  %s %s  (%u KiB)\n", r->lin, r->lin + r->len - 1,
            r->phys, r->phys + r->len - 1, (r->rights & PG_W) ? "rw" : "r-",
            (r->rights & PG_U) ? "user" : "supervisor", r->len >> 10);
    r->open = false;
}

static void add_page(FILE *out, struct range *r, uint32_t lin, uint32_t phys, uint32_t len,
                     uint32_t rights, int *lines)
{
    if (r->open && r->lin + r->len == lin && r->phys + r->len == phys && r->rights == rights) {
        r->len += len;
        return;
    }
    if (r->open)
        ++*lines;
    flush_range(out, r);
    *r = (struct range){ true, lin, phys, len, rights };
}

static int cmd_mappings(struct machine *m, FILE *out, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct cpu *c = &m->cpu;
    if (!(c->cr0 & CR0_PG)) {
        fprintf(out, "paging is off: every linear address is the same physical address\n");
        return -1;
    }
    fprintf(out, "address space of CR3=%08x:\n", c->cr3);
    struct range r = { false, 0, 0, 0, 0 };
    int lines = 0;
    for (uint32_t i = 0; i < 1024 && lines < 200; i++) {
        uint32_t pde = phys32(m, (c->cr3 & ~0xFFFu) + i * 4);
        if (!(pde & PG_P)) {
            flush_range(out, &r);
            continue;
        }
        if ((pde & PG_PS) && (c->cr4 & CR4_PSE)) {
            add_page(out, &r, i << 22, pde & 0xFFC00000u, 1u << 22, pde & (PG_W | PG_U), &lines);
            continue;
        }
        for (uint32_t j = 0; j < 1024; j++) {
            uint32_t pte = phys32(m, (pde & ~0xFFFu) + j * 4);
            if (!(pte & PG_P)) {
                flush_range(out, &r);
                continue;
            }
            add_page(out, &r, (i << 22) | (j << 12), pte & ~0xFFFu, 4096,
                     pde & pte & (PG_W | PG_U), &lines);
        }
    }
    flush_range(out, &r);
    return -1;
}

const struct mon_cmd mon_page_cmds[] = {
    { "page", "walk", cmd_walk, "page LINEAR",
      "the page walk of a linear address: PDE -> PTE -> frame with their flags,\n"
      "and for each access (supervisor/user, read/write) whether it faults and why" },
    { "mappings", NULL, cmd_mappings, "mappings",
      "the mapped ranges of the current address space with their rights" },
    { NULL, NULL, NULL, NULL, NULL },
};
