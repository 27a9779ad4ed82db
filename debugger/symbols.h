/* symbols.h -- symbol tables for the debugger: ELF symbols (libelf) from
 * the Multiboot kernel and --symbols files, looked up by name (breakpoints,
 * expressions) and by address (every address the monitor prints). */
#ifndef X86LAB_SYMBOLS_H
#define X86LAB_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct debugger;

struct symbol {
    char *name;
    uint32_t addr, size;
    bool func;
};

struct symtab {
    struct symbol *v;            /* sorted by address */
    size_t n, cap;
};

/* Adds the symbols of an ELF file.  Returns how many, or -1 with a
 * sentence in err. */
int symbols_load(struct debugger *d, const char *path, char *err, size_t errlen);
/* Looks a name up (exact match); false when unknown. */
bool symbols_lookup(const struct debugger *d, const char *name, uint32_t *addr);
/* The symbol covering addr (within its size, or the nearest below within
 * 64 KiB when sizes are 0); NULL when none. */
const struct symbol *symbols_find(const struct debugger *d, uint32_t addr);
/* "name" or "name+0x12" for addr, or "" when no symbol covers it. */
void symbols_describe(const struct debugger *d, uint32_t addr, char *buf, size_t len);
/* "0x00101000 <name+0x12>" or "0x00101000". */
void symbols_format(const struct debugger *d, uint32_t addr, char *buf, size_t len);

#endif
