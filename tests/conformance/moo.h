/* moo.h -- reader for the MOO single-instruction test files (gzip'ed chunk
 * container, see ../shared/conformance/README.md).  A file is read whole
 * into memory, then walked test by test; every length is checked against
 * what is left, so a truncated or damaged file gives an error, not a crash. */
#ifndef X86LAB_MOO_H
#define X86LAB_MOO_H

#include <stddef.h>
#include <stdint.h>

/* The 16-bit register file of the 80286 tests, in the files' bit order. */
enum {
    MOO_AX, MOO_BX, MOO_CX, MOO_DX, MOO_CS, MOO_SS, MOO_DS, MOO_ES,
    MOO_SP, MOO_BP, MOO_SI, MOO_DI, MOO_IP, MOO_FLAGS, MOO_NREGS
};

struct moo_ram {
    uint32_t addr;
    uint8_t value;
};

/* One CPU state (INIT or FINA).  ram points into the file's buffer as
 * packed 5-byte records: read them with moo_ram_at. */
struct moo_state {
    uint16_t mask;              /* which regs[] were given */
    uint16_t regs[MOO_NREGS];
    uint32_t nram;
    const uint8_t *ram;
};

struct moo_test {
    uint32_t index;
    const char *name;           /* not zero-terminated: name_len bytes */
    uint32_t name_len;
    const uint8_t *bytes;
    uint32_t nbytes;
    struct moo_state init, final;
    int has_excp;
    uint8_t excp_vector;
    uint32_t excp_flags_addr;   /* where the pushed FLAGS word is */
    const uint8_t *hash;        /* 20 bytes, or NULL */
};

struct moo_file {
    uint8_t *data;              /* the whole decompressed file */
    size_t size, pos;
    uint32_t count;             /* tests announced by the header */
    uint32_t opcode;            /* from META */
    char mnemonic[9];
    char cpu[5];
    char error[200];            /* set when a call returns -1 */
};

/* Reads and decompresses path.  Returns 0, or -1 with f->error set. */
int moo_open(struct moo_file *f, const char *path);
void moo_close(struct moo_file *f);
/* The next test: 1 when one was read, 0 at the end, -1 on a damaged file
 * (f->error says where). */
int moo_next(struct moo_file *f, struct moo_test *t);

static inline struct moo_ram moo_ram_at(const struct moo_state *s, uint32_t k)
{
    const uint8_t *p = s->ram + 5 * (size_t)k;
    struct moo_ram r = {
        (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
            (uint32_t)p[3] << 24,
        p[4] };
    return r;
}

#endif
