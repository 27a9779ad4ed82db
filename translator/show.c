/* show.c -- the translation view: a translated block as students want to
 * see it, each guest instruction (capstone, guest mode) beside the host
 * code made for it (capstone, x86-64), marked COPIED, TRANSLATED or
 * TRAPPED, with the block's execution count, chaining and sizes. */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <string.h>

#include "machine/bus.h"
#include "translator/bt_int.h"

static const char *const kind_names[] = { "COPIED", "TRANSLATED", "TRAPPED" };

/* Prints n bytes of code at addr with capstone in the given mode. */
static void disasm(csh h, const uint8_t *code, size_t n, uint64_t addr,
                   const char *indent, FILE *out)
{
    cs_insn *ins;
    size_t count = cs_disasm(h, code, n, addr, 0, &ins);
    for (size_t k = 0; k < count; k++)
        fprintf(out, "%s%08" PRIx64 "  %-8s %s\n", indent, ins[k].address,
                ins[k].mnemonic, ins[k].op_str);
    if (count)
        cs_free(ins, count);
}

static void show_one(struct bt *bt, const struct bt_block *b, csh guest, csh host, FILE *out)
{
    const struct bt_key *k = &b->key;
    fprintf(out, "block lin %08x phys %08x  CS base %08x limit %08x  %s%s cpl %u\n",
            k->lin, k->phys, k->cs_base, k->cs_hi,
            (k->mode & MODE_CODE32) ? "32-bit" : "16-bit",
            (k->mode & MODE_VM) ? " v86" : (k->mode & MODE_PE) ? " protected" : " real",
            (k->mode >> MODE_CPL_SHIFT) & 3);
    int chained = 0;
    for (int x = 0; x < b->nexits; x++)
        chained += b->exits[x].to != NULL;
    char runs[48];
    if (b->counted)
        snprintf(runs, sizeof runs, "executed %u times", b->execs ? *b->execs : 0);
    else
        snprintf(runs, sizeof runs, "executions not counted");
    fprintf(out, "  %u guest instructions, %u guest bytes -> %u host bytes; "
            "%s (+%u interpreted); exits chained %d of %d\n",
            b->n, b->span, b->host_size, runs, b->cold_runs, chained, b->nexits);
    uint32_t eip = k->lin - k->cs_base;
    uint32_t off = 0;
    for (int i = 0; i < b->n; i++) {
        uint8_t bytes[16];
        struct cpu *c = bt->cpu;
        uint32_t pa = k->phys + off;
        for (int j = 0; j < b->ins[i].len; j++)
            bytes[j] = pa + (uint32_t)j < c->bus->ram_size ? c->bus->ram[pa + (uint32_t)j] : 0;
        fprintf(out, "  [%-10s]", kind_names[b->kind[i]]);
        disasm(guest, bytes, b->ins[i].len, eip, " ", out);
        uint32_t h0 = b->host_off[i], h1 = b->host_off[i + 1];
        disasm(host, b->host + h0, h1 - h0, (uint64_t)(uintptr_t)(b->host + h0),
               "                  | ", out);
        eip += b->ins[i].len;
        off += b->ins[i].len;
    }
    /* Exits and stubs follow the last instruction's code. */
    fprintf(out, "  exits:\n");
    uint32_t end = b->host_off[b->n];
    disasm(host, b->host + end, b->host_size - end,
           (uint64_t)(uintptr_t)(b->host + end), "                  | ", out);
    for (int x = 0; x < b->nexits; x++)
        fprintf(out, "  exit %d to eip %08x: %s\n", x, b->exits[x].target_eip,
                b->exits[x].to ? "chained" : "unchained (back to the dispatcher)");
}

int bt_show_block(void *priv, uint32_t lin, FILE *out)
{
    struct bt *bt = priv;
    csh g16, g32, host;
    if (cs_open(CS_ARCH_X86, CS_MODE_16, &g16) != CS_ERR_OK)
        return 0;
    if (cs_open(CS_ARCH_X86, CS_MODE_32, &g32) != CS_ERR_OK) {
        cs_close(&g16);
        return 0;
    }
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &host) != CS_ERR_OK) {
        cs_close(&g16);
        cs_close(&g32);
        return 0;
    }
    int shown = 0;
    for (unsigned h = 0; h < BT_HASH; h++)
        for (struct bt_block *b = bt->hash[h]; b; b = b->hash_next)
            if (b->key.lin == lin && b->host && b->valid) {
                show_one(bt, b, (b->key.mode & MODE_CODE32) ? g32 : g16, host, out);
                shown++;
            }
    if (!shown)
        fprintf(out, "no translated block starts at linear %08x\n", lin);
    cs_close(&g16);
    cs_close(&g32);
    cs_close(&host);
    return shown;
}

void bt_list_blocks(void *priv, FILE *out)
{
    struct bt *bt = priv;
    for (unsigned h = 0; h < BT_HASH; h++)
        for (struct bt_block *b = bt->hash[h]; b; b = b->hash_next)
            if (b->host && b->valid)
                fprintf(out, "lin %08x phys %08x  %2u insns %5u host bytes  %10u runs%s\n",
                        b->key.lin, b->key.phys, b->n, b->host_size, b->execs ? *b->execs : 0,
                        b->counted ? "" : " (not counted)");
}
