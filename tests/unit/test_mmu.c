/* test_mmu.c -- the page walk and the software TLB (cpu/mmu.c) against
 * the rules of SDM Vol. 3 chapter 4: translations, the U/S x R/W x WP x
 * CPL permission matrix and #PF error codes, accessed/dirty bits, 4 MiB
 * pages, global pages, TLB staleness and INVLPG, page-crossing accesses,
 * physical addresses above RAM. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "cpu/mem.h"
#include "machine/machine.h"

static int passed, failed;

static void check(int ok, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", what);
    }
}

enum { P = 1, W = 2, U = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100 };
enum { PD = 0x10000, PT = 0x11000, PT2 = 0x12000 };

static struct machine m;
static struct cpu *c;

static void wr32(uint32_t pa, uint32_t v) { memcpy(m.bus.ram + pa, &v, 4); }
static uint32_t rd32(uint32_t pa)
{
    uint32_t v;
    memcpy(&v, m.bus.ram + pa, 4);
    return v;
}

/* A fresh machine with paging on: PD at 0x10000; PDE 1 (0x00400000-
 * 0x007FFFFF) points to the page table at 0x11000, PDE 2 to 0x12000. */
static void setup(uint32_t pde_flags, uint32_t cr4)
{
    struct machine_config cfg = { .ram_mb = 8, .model = CPU_P6 };
    machine_free(&m);
    if (machine_init(&m, &cfg) < 0) {
        perror("machine_init");
        return;
    }
    c = &m.cpu;
    wr32(PD + 1 * 4, PT | pde_flags);
    wr32(PD + 2 * 4, PT2 | P | W | U);
    c->cr3 = PD;
    c->cr4 = cr4;
    c->cr0 = CR0_PE | CR0_PG | CR0_ET;
    cpu_set_cpl(c, 0);
    tlb_flush(c, false);
}

/* Maps linear page 0x00400000 + n * 4 KiB (n < 1024) to phys. */
static void map(unsigned n, uint32_t phys, uint32_t flags)
{
    wr32(PT + n * 4, phys | flags);
}

/* Runs one access and reports the vector it raised, or -1. */
enum { OP_TRANSLATE, OP_READ, OP_WRITE, OP_READ_SLOW, OP_WRITE_SLOW };

static int access_op(int op, uint32_t lin, unsigned acc, unsigned size,
                     uint32_t *val)
{
    jmp_buf jb;
    c->fault_jmp = &jb;
    c->pending_vector = -1;
    if (setjmp(jb))
        return c->pending_vector;
    switch (op) {
    case OP_TRANSLATE: *val = mmu_translate(c, lin, acc); break;
    case OP_READ: *val = lin_rd(c, lin, size); break;
    case OP_WRITE: lin_wr(c, lin, size, *val); break;
    case OP_READ_SLOW: *val = mmu_read_slow(c, lin, size, acc); break;
    case OP_WRITE_SLOW: mmu_write_slow(c, lin, size, *val, acc); break;
    }
    return -1;
}

static int xl(uint32_t lin, unsigned acc, uint32_t *phys)
{
    return access_op(OP_TRANSLATE, lin, acc, 1, phys);
}

static void test_paging_off(void)
{
    setup(P | W | U, 0);
    c->cr0 = CR0_PE | CR0_ET;
    tlb_flush(c, false);
    uint32_t pa = 0;
    check(xl(0x00123456, ACC_READ, &pa) < 0 && pa == 0x00123456, "paging off: identity");
    c->a20_mask = ~(1u << 20);
    tlb_flush(c, false);
    check(xl(0x00123456, ACC_READ, &pa) < 0 && pa == 0x00023456, "paging off: A20 masked");
    c->a20_mask = 0xFFFFFFFFu;
    tlb_flush(c, false);
    uint32_t v = 0;
    check(access_op(OP_READ, 0x10000000, 0, 4, &v) < 0 && v == 0xFFFFFFFFu,
          "paging off: above RAM reads all ones");
    m.bus.ram[0x5000] = 0x5A;
    check(access_op(OP_READ, 0x5000, 0, 1, &v) < 0 && v == 0x5A, "paging off: RAM read");
}

static void test_walk_4k(void)
{
    setup(P | W | U, 0);
    map(5, 0x200000, P | W | U);
    uint32_t pa = 0;
    check(xl(0x00405123, ACC_READ, &pa) < 0 && pa == 0x00200123, "4 KiB walk");
    check((rd32(PD + 4) & A) && (rd32(PT + 20) & A), "read sets A in PDE and PTE");
    check(!(rd32(PT + 20) & D), "read leaves D clear");
    check(!(rd32(PD + 4) & D), "PDE D untouched for a 4 KiB page");
    /* The TLB entry from the read has no write permission yet: the write
     * must walk again and set D. */
    uint32_t v = 0xCAFE;
    check(access_op(OP_WRITE, 0x00405124, 0, 2, &v) < 0, "write allowed");
    check((rd32(PT + 20) & D) != 0, "write sets D in the PTE");
    check(!(rd32(PD + 4) & D), "write leaves PDE D alone (4 KiB)");
    check(m.bus.ram[0x200124] == 0xFE && m.bus.ram[0x200125] == 0xCA, "write reached phys");
    check(access_op(OP_READ, 0x00405124, 0, 2, &v) < 0 && v == 0xCAFE, "read back through TLB");
    /* An unmapped directory entry. */
    check(xl(0x00C00000, ACC_READ, &pa) == EXC_PF && c->cr2 == 0x00C00000 &&
          c->pending_error == 0, "PDE not present: #PF err 0, CR2");
}

static void test_not_present(void)
{
    setup(P | W | U, 0);
    map(7, 0x300000, W | U);                  /* P clear */
    uint32_t pa;
    check(xl(0x00407ABC, ACC_READ, &pa) == EXC_PF && c->pending_error == 0 &&
          c->cr2 == 0x00407ABC, "not present read: err 0");
    check(xl(0x00407ABC, ACC_WRITE, &pa) == EXC_PF && c->pending_error == 2,
          "not present write: err 2");
    cpu_set_cpl(c, 3);
    check(xl(0x00407ABD, ACC_READ, &pa) == EXC_PF && c->pending_error == 4 &&
          c->cr2 == 0x00407ABD, "not present user read: err 4");
    check(xl(0x00407ABC, ACC_WRITE, &pa) == EXC_PF && c->pending_error == 6,
          "not present user write: err 6");
    check(xl(0x00407ABC, ACC_WRITE | ACC_SYS, &pa) == EXC_PF && c->pending_error == 2,
          "ACC_SYS at CPL 3: U/S clear in err");
    check(!(rd32(PT + 28) & A), "no A bit on a not-present PTE");
}

/* The SDM's rules, written out case by case. */
static int expect_ok(int pde_u, int pde_w, int pte_u, int pte_w, int wp,
                     int user, int write)
{
    int u = pde_u && pte_u, w = pde_w && pte_w;
    if (user)
        return u && (!write || w);
    if (!write)
        return 1;
    return wp ? w : 1;
}

static void test_matrix(void)
{
    char name[128];
    int bad = 0, cases = 0;
    for (int bits = 0; bits < 128; bits++) {
        int pde_u = bits & 1, pde_w = (bits >> 1) & 1, pte_u = (bits >> 2) & 1;
        int pte_w = (bits >> 3) & 1, wp = (bits >> 4) & 1, cpl3 = (bits >> 5) & 1;
        int write = (bits >> 6) & 1;
        setup(P | (pde_u ? U : 0) | (pde_w ? W : 0), 0);
        if (wp)
            c->cr0 |= CR0_WP;
        map(9, 0x210000, P | D | (pte_u ? U : 0) | (pte_w ? W : 0));
        uint32_t lin = 0x00409010;
        /* Fill the TLB with a supervisor read first, so a permission
         * wrongly granted by an earlier fill would show. */
        uint32_t v = 0;
        int pre = access_op(OP_READ, lin, 0, 4, &v);
        cpu_set_cpl(c, cpl3 ? 3 : 0);
        v = 0x11223344;
        int r = access_op(write ? OP_WRITE : OP_READ, lin, 0, 4, &v);
        int want = expect_ok(pde_u, pde_w, pte_u, pte_w, wp, cpl3, write);
        uint32_t err = 1 | (write ? 2 : 0) | (cpl3 ? 4 : 0);
        int ok = pre < 0 && (want ? r < 0 : (r == EXC_PF && (uint32_t)c->pending_error == err &&
                                             c->cr2 == lin));
        if (ok && want && write)
            ok = rd32(0x210010) == 0x11223344;
        if (ok && !want && write)
            ok = rd32(0x210010) == 0;
        cases++;
        if (!ok) {
            bad++;
            snprintf(name, sizeof name,
                     "matrix pde_u=%d pde_w=%d pte_u=%d pte_w=%d wp=%d cpl=%d write=%d: got %d err %x",
                     pde_u, pde_w, pte_u, pte_w, wp, cpl3 ? 3 : 0, write, r, c->pending_error);
            check(0, name);
        }
    }
    check(bad == 0 && cases == 128, "permission matrix: 128 cases");
}

static void test_sys_access(void)
{
    setup(P | W, 0);                          /* supervisor only */
    map(3, 0x220000, P | W);
    cpu_set_cpl(c, 3);
    uint32_t v = 0;
    check(access_op(OP_READ_SLOW, 0x00403000, ACC_READ | ACC_SYS, 4, &v) < 0,
          "ACC_SYS read of a supervisor page at CPL 3");
    check(access_op(OP_READ, 0x00403000, 0, 4, &v) == EXC_PF && c->pending_error == 5,
          "user read of the same page faults (err 5)");
    v = 0x55;
    check(access_op(OP_WRITE_SLOW, 0x00403004, ACC_WRITE | ACC_SYS, 1, &v) < 0 &&
          m.bus.ram[0x220004] == 0x55, "ACC_SYS write at CPL 3");
    map(4, 0x221000, P);                      /* read-only supervisor page */
    c->cr0 |= CR0_WP;
    tlb_flush(c, false);
    check(access_op(OP_WRITE_SLOW, 0x00404000, ACC_WRITE | ACC_SYS, 1, &v) == EXC_PF &&
          c->pending_error == 3, "ACC_SYS write to read-only page with WP: err 3");
}

static void test_wp_off(void)
{
    setup(P | W | U, 0);
    map(2, 0x230000, P | U);                  /* read-only user page */
    uint32_t v = 0x77;
    check(access_op(OP_WRITE, 0x00402010, 0, 1, &v) < 0 && m.bus.ram[0x230010] == 0x77,
          "WP=0: supervisor writes a read-only page");
    check((rd32(PT + 8) & (A | D)) == (A | D), "and sets A and D");
    c->cr0 |= CR0_WP;
    tlb_flush(c, false);
    v = 0x88;
    check(access_op(OP_WRITE, 0x00402010, 0, 1, &v) == EXC_PF && c->pending_error == 3 &&
          m.bus.ram[0x230010] == 0x77, "WP=1: same write faults (err 3)");
}

static void test_pse(void)
{
    setup(P | W | U, CR4_PSE);
    wr32(PD + 3 * 4, 0x01000000 | PS | P | W);  /* 0x00C00000 -> 0x01000000 */
    uint32_t pa = 0;
    check(xl(0x00C01234, ACC_READ, &pa) < 0 && pa == 0x01001234, "4 MiB page");
    check((rd32(PD + 12) & (A | D)) == A, "read: PDE A set, D clear");
    check(xl(0x00FFFFFC, ACC_WRITE, &pa) < 0 && pa == 0x013FFFFC, "4 MiB page, last dword");
    check((rd32(PD + 12) & (A | D)) == (A | D), "write: D set in the PDE");
    /* Without CR4.PSE the PS bit is ignored: the PDE points to a table. */
    setup(P | W | U, 0);
    wr32(PD + 3 * 4, 0x00013000 | PS | P | W);
    wr32(0x13000 + 1 * 4, 0x00240000 | P | W);
    check(xl(0x00C01234, ACC_READ, &pa) < 0 && pa == 0x00240234, "PS ignored without CR4.PSE");
    /* User access to a supervisor 4 MiB page. */
    setup(P | W | U, CR4_PSE);
    wr32(PD + 3 * 4, 0x01000000 | PS | P | W);
    cpu_set_cpl(c, 3);
    check(xl(0x00C00000, ACC_READ, &pa) == EXC_PF && c->pending_error == 5,
          "user read of a supervisor 4 MiB page: err 5");
}

static void test_stale_tlb(void)
{
    setup(P | W | U, 0);
    map(1, 0x250000, P | W | U);
    m.bus.ram[0x250000] = 0x11;
    m.bus.ram[0x260000] = 0x22;
    uint32_t v = 0;
    access_op(OP_READ, 0x00401000, 0, 1, &v);
    map(1, 0x260000, P | W | U);              /* no flush */
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x11,
          "changed PTE: the stale TLB entry still maps the old page");
    tlb_flush_page(c, 0x00401FFF);
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x22,
          "after INVLPG the new mapping is seen");
    map(1, 0x250000, 0);                      /* not present, no flush */
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x22,
          "cleared P: the stale entry still translates");
    tlb_flush(c, true);
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) == EXC_PF, "after a flush: #PF");
}

static void test_global(void)
{
    setup(P | W | U, CR4_PGE);
    map(1, 0x250000, P | W | U | G);
    map(2, 0x251000, P | W | U);
    m.bus.ram[0x250000] = 0x31;
    m.bus.ram[0x251000] = 0x32;
    m.bus.ram[0x260000] = 0x41;
    m.bus.ram[0x261000] = 0x42;
    uint32_t v = 0;
    access_op(OP_READ, 0x00401000, 0, 1, &v);
    access_op(OP_READ, 0x00402000, 0, 1, &v);
    map(1, 0x260000, P | W | U | G);
    map(2, 0x261000, P | W | U);
    tlb_flush(c, true);                       /* what MOV CR3 does */
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x31,
          "global entry survives a CR3-style flush");
    check(access_op(OP_READ, 0x00402000, 0, 1, &v) < 0 && v == 0x42,
          "non-global entry does not");
    tlb_flush(c, false);
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x41,
          "a full flush drops the global entry");
    /* G without CR4.PGE is not global. */
    setup(P | W | U, 0);
    map(1, 0x250000, P | W | U | G);
    m.bus.ram[0x260000] = 0x41;
    access_op(OP_READ, 0x00401000, 0, 1, &v);
    map(1, 0x260000, P | W | U | G);
    tlb_flush(c, true);
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x41,
          "G without CR4.PGE: flushed by a CR3-style flush");
    /* INVLPG drops a global entry too. */
    setup(P | W | U, CR4_PGE);
    map(1, 0x250000, P | W | U | G);
    m.bus.ram[0x260000] = 0x41;
    access_op(OP_READ, 0x00401000, 0, 1, &v);
    map(1, 0x260000, P | W | U | G);
    tlb_flush_page(c, 0x00401000);
    check(access_op(OP_READ, 0x00401000, 0, 1, &v) < 0 && v == 0x41,
          "INVLPG drops a global entry");
}

static void test_invlpg_large(void)
{
    setup(P | W | U, CR4_PSE);
    wr32(PD + 3 * 4, 0x00000000 | PS | P | W);   /* 0x00C00000 -> 0 */
    m.bus.ram[0x005000] = 0x51;
    m.bus.ram[0x405000] = 0x52;
    uint32_t v = 0;
    access_op(OP_READ, 0x00C05000, 0, 1, &v);
    check(v == 0x51, "large page read");
    wr32(PD + 3 * 4, 0x00400000 | PS | P | W);   /* -> 0x400000 */
    tlb_flush_page(c, 0x00C00000);               /* another address in the page */
    check(access_op(OP_READ, 0x00C05000, 0, 1, &v) < 0 && v == 0x52,
          "INVLPG anywhere in a 4 MiB page drops all of it");
}

static void test_crossing(void)
{
    setup(P | W | U, 0);
    map(0x10, 0x270000, P | W | U);
    map(0x11, 0x280000, P | W | U);
    map(0x12, 0x290000, P | U);               /* read-only */
    /* 0x00410FFE..0x00411001 spans two mapped pages. */
    m.bus.ram[0x270FFE] = 0x01;
    m.bus.ram[0x270FFF] = 0x02;
    m.bus.ram[0x280000] = 0x03;
    m.bus.ram[0x280001] = 0x04;
    uint32_t v = 0;
    check(access_op(OP_READ, 0x00410FFE, 0, 4, &v) < 0 && v == 0x04030201,
          "read across pages");
    v = 0xA1B2C3D4;
    check(access_op(OP_WRITE, 0x00410FFF, 0, 4, &v) < 0 && m.bus.ram[0x270FFF] == 0xD4 &&
          m.bus.ram[0x280000] == 0xC3 && m.bus.ram[0x280002] == 0xA1, "write across pages");
    /* Second page read-only at CPL 3: fault on it, first page untouched. */
    cpu_set_cpl(c, 3);
    m.bus.ram[0x280FFE] = 0xEE;
    v = 0x12345678;
    check(access_op(OP_WRITE, 0x00411FFE, 0, 4, &v) == EXC_PF && c->cr2 == 0x00412000 &&
          c->pending_error == 7, "crossing write faults on the second page (CR2, err 7)");
    check(m.bus.ram[0x280FFE] == 0xEE && m.bus.ram[0x280FFF] == 0, "first page not written");
    /* Second page not present. */
    cpu_set_cpl(c, 0);
    map(0x13, 0, 0);
    check(access_op(OP_READ, 0x00412FFF, 0, 2, &v) == EXC_PF && c->cr2 == 0x00413000 &&
          c->pending_error == 0, "crossing read: #PF on the second page");
    /* First page faults first. */
    map(0x14, 0x2A0000, P | W | U);
    check(access_op(OP_WRITE, 0x00413FFE, 0, 4, &v) == EXC_PF && c->cr2 == 0x00413FFE,
          "first page not present: it faults first");
    /* mmu_probe_write sets D on both pages without writing. */
    map(0x15, 0x2B0000, P | W | U);
    map(0x16, 0x2C0000, P | W | U);
    jmp_buf jb;
    c->fault_jmp = &jb;
    if (!setjmp(jb))
        mmu_probe_write(c, 0x00415FFD, 6, ACC_WRITE);
    check((rd32(PT + 0x15 * 4) & D) && (rd32(PT + 0x16 * 4) & D), "probe_write sets D on both pages");
}

static void test_above_ram(void)
{
    /* CR3 beyond RAM: every entry reads as 0xFFFFFFFF (present, writable,
     * user, PS...).  Without PSE it is a page table at 0xFFFFF000 whose
     * entries map page 0xFFFFF000. */
    setup(P | W | U, 0);
    c->cr3 = 0x80000000u;
    tlb_flush(c, false);
    uint32_t pa = 0, v = 0;
    check(xl(0x00001234, ACC_READ, &pa) < 0 && pa == 0xFFFFF234, "walk through all-ones entries");
    check(access_op(OP_READ, 0x00001234, 0, 4, &v) < 0 && v == 0xFFFFFFFFu,
          "and the data above RAM reads all ones");
    /* A PTE pointing above RAM. */
    setup(P | W | U, 0);
    map(6, 0x10000000, P | W | U);
    check(access_op(OP_READ, 0x00406000, 0, 2, &v) < 0 && v == 0xFFFF,
          "PTE to phys above RAM reads all ones");
    v = 0;
    check(access_op(OP_WRITE, 0x00406000, 0, 2, &v) < 0, "writes there are ignored");
}

static void test_peek(void)
{
    setup(P | W | U, 0);
    map(5, 0x200000, P | W | U);
    uint32_t pa = 0;
    check(mmu_peek(c, 0x00405010, &pa) == 0 && pa == 0x00200010, "peek translates");
    check(!(rd32(PD + 4) & A) && !(rd32(PT + 20) & A), "peek sets no A bit");
    check(c->tlb[(0x00405010 >> 12) & (TLB_SIZE - 1)].vpage == 0, "peek fills no TLB entry");
    check(mmu_peek(c, 0x00406000, &pa) != 0, "peek: not present");
    check(mmu_peek(c, 0x00C00000, &pa) != 0, "peek: PDE not present");
    cpu_set_cpl(c, 3);
    map(7, 0x201000, P);                      /* supervisor page */
    check(mmu_peek(c, 0x00407000, &pa) == 0 && pa == 0x00201000,
          "peek ignores permissions");
}

static void test_mmio_and_rom(void)
{
    setup(P | W | U, 0);
    static const uint8_t rom[4096] = { 0x99 };
    bus_add_rom(&m.bus, 0x00300000, rom, sizeof rom);
    map(8, 0x300000, P | W | U);
    uint32_t v = 0x42;
    check(access_op(OP_WRITE, 0x00408000, 0, 1, &v) < 0, "write to ROM through paging");
    check(access_op(OP_READ, 0x00408000, 0, 1, &v) < 0 && v == 0x99, "ROM unchanged");
    check((rd32(PT + 32) & D) != 0, "ROM write still sets D");
}

int main(void)
{
    test_paging_off();
    test_walk_4k();
    test_not_present();
    test_matrix();
    test_sys_access();
    test_wp_off();
    test_pse();
    test_stale_tlb();
    test_global();
    test_invlpg_large();
    test_crossing();
    test_above_ram();
    test_peek();
    test_mmio_and_rom();
    machine_free(&m);
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
