/* symbols.c -- ELF symbol tables read with libelf (.symtab, else .dynsym):
 * functions, objects and untyped labels (nasm's labels are NOTYPE), kept
 * sorted by address for the monitor's address displays. */
#include "symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "debug.h"

enum { NEAR_LIMIT = 0x10000 };

static int by_addr(const void *a, const void *b)
{
    const struct symbol *x = a, *y = b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    return (int)y->func - (int)x->func;   /* functions first at one address */
}

static int add(struct symtab *t, const char *name, uint32_t addr, uint32_t size, bool func)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct symbol *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return -1;
        t->v = v;
        t->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    t->v[t->n++] = (struct symbol){ copy, addr, size, func };
    return 0;
}

/* Symbols worth showing: named functions, objects and plain labels. */
static bool wanted(const GElf_Sym *s, const char *name)
{
    int type = GELF_ST_TYPE(s->st_info);
    if (!name || !name[0] || s->st_shndx == SHN_UNDEF || s->st_shndx == SHN_ABS)
        return false;
    if (name[0] == '$' || (name[0] == '.' && name[1] == 'L'))
        return false;
    return type == STT_FUNC || type == STT_OBJECT || type == STT_NOTYPE;
}

static int read_table(struct symtab *t, Elf *e, Elf_Scn *scn, GElf_Shdr *sh)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    if (!data || !sh->sh_entsize)
        return 0;
    int count = 0;
    size_t n = sh->sh_size / sh->sh_entsize;
    for (size_t k = 0; k < n; k++) {
        GElf_Sym s;
        if (!gelf_getsym(data, (int)k, &s))
            continue;
        const char *name = elf_strptr(e, sh->sh_link, s.st_name);
        if (!wanted(&s, name))
            continue;
        if (add(t, name, (uint32_t)s.st_value, (uint32_t)s.st_size,
                GELF_ST_TYPE(s.st_info) == STT_FUNC) < 0)
            return -1;
        count++;
    }
    return count;
}

static int load_elf(struct symtab *t, Elf *e, char *err, size_t errlen)
{
    Elf_Scn *scn = NULL, *dyn = NULL;
    GElf_Shdr sh, dynsh;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        if (!gelf_getshdr(scn, &sh))
            continue;
        if (sh.sh_type == SHT_SYMTAB)
            return read_table(t, e, scn, &sh);
        if (sh.sh_type == SHT_DYNSYM) {
            dyn = scn;
            dynsh = sh;
        }
    }
    if (dyn)
        return read_table(t, e, dyn, &dynsh);
    snprintf(err, errlen, "no symbol table (stripped?)");
    return -1;
}

int symbols_load(struct debugger *d, const char *path, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return -1;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (!d->syms && !(d->syms = calloc(1, sizeof *d->syms))) {
        close(fd);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    int r = -1;
    if (!e || elf_kind(e) != ELF_K_ELF) {
        snprintf(err, errlen, "%s: not an ELF file", path);
    } else {
        char why[120] = "";
        r = load_elf(d->syms, e, why, sizeof why);
        if (r < 0)
            snprintf(err, errlen, "%s: %s", path, why[0] ? why : "cannot read the symbols");
    }
    if (e)
        elf_end(e);
    close(fd);
    if (r > 0)
        qsort(d->syms->v, d->syms->n, sizeof *d->syms->v, by_addr);
    return r;
}

void debug_symbols_free(struct debugger *d)
{
    if (!d->syms)
        return;
    for (size_t k = 0; k < d->syms->n; k++)
        free(d->syms->v[k].name);
    free(d->syms->v);
    free(d->syms);
    d->syms = NULL;
}

bool symbols_lookup(const struct debugger *d, const char *name, uint32_t *addr)
{
    if (!d->syms)
        return false;
    for (size_t k = 0; k < d->syms->n; k++)
        if (!strcmp(d->syms->v[k].name, name)) {
            *addr = d->syms->v[k].addr;
            return true;
        }
    return false;
}

const struct symbol *symbols_find(const struct debugger *d, uint32_t addr)
{
    const struct symtab *t = d->syms;
    if (!t || !t->n)
        return NULL;
    /* The last symbol at or below addr. */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->v[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    size_t k = lo - 1;
    while (k > 0 && t->v[k - 1].addr == t->v[k].addr)
        k--;                             /* the preferred one at that address */
    const struct symbol *s = &t->v[k];
    uint32_t off = addr - s->addr;
    if (s->size ? off < s->size : off < NEAR_LIMIT)
        return s;
    return NULL;
}

void symbols_describe(const struct debugger *d, uint32_t addr, char *buf, size_t len)
{
    const struct symbol *s = symbols_find(d, addr);
    if (!s)
        snprintf(buf, len, "%s", "");
    else if (addr == s->addr)
        snprintf(buf, len, "%s", s->name);
    else
        snprintf(buf, len, "%s+0x%x", s->name, addr - s->addr);
}

void symbols_format(const struct debugger *d, uint32_t addr, char *buf, size_t len)
{
    char name[96];
    symbols_describe(d, addr, name, sizeof name);
    if (name[0])
        snprintf(buf, len, "0x%08x <%s>", addr, name);
    else
        snprintf(buf, len, "0x%08x", addr);
}
