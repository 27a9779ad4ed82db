/* qemu_opts.c -- parsers for the option forms x86lab shares with QEMU
 * (qemu_opts.h): they check and translate, main.c stores the result. */
#include "qemu_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/firmware.h"

char *qopt_next_item(char **p)
{
    char *item = *p, *r = *p, *w = *p;
    if (!item)
        return NULL;
    for (;;) {
        if (*r == ',' && r[1] == ',') {
            *w++ = ',';
            r += 2;
        } else if (*r == ',' || !*r) {
            *p = *r ? r + 1 : NULL;
            *w = 0;
            return item;
        } else {
            *w++ = *r++;
        }
    }
}

static int parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-')
        return -1;
    *out = v;
    return 0;
}

int qopt_ram_mb(const char *s, uint64_t *mb)
{
    char *end;
    if (!strncmp(s, "size=", 5))
        s += 5;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *s == '-' || v > (1ull << 40))
        return -1;
    uint64_t bytes;
    switch (*end) {
    case 0: case 'M': case 'm': bytes = v << 20; break;
    case 'G': case 'g': bytes = v << 30; break;
    case 'K': case 'k': bytes = v << 10; break;
    default: return -1;
    }
    if ((*end && end[1]) || bytes % (1u << 20))
        return -1;
    *mb = bytes >> 20;
    return 0;
}

int qopt_cpu_model(const char *s, enum cpu_model *m)
{
    static const struct { const char *name; enum cpu_model model; } qemu[] = {
        { "486", CPU_486 }, { "486-v1", CPU_486 },
        { "pentium", CPU_PENTIUM }, { "pentium-v1", CPU_PENTIUM },
        { "pentium2", CPU_P6 }, { "pentium2-v1", CPU_P6 }, { "pentium3", CPU_P6 },
        { "pentium3-v1", CPU_P6 }, { "qemu32", CPU_P6 }, { "qemu32-v1", CPU_P6 },
        { "kvm32", CPU_P6 }, { "host", CPU_P6 }, { "max", CPU_P6 }, { "base", CPU_P6 },
    };
    for (size_t k = 0; k < sizeof qemu / sizeof qemu[0]; k++)
        if (!strcmp(s, qemu[k].name)) {
            *m = qemu[k].model;
            return 0;
        }
    return -1;
}

int qopt_boot(char *val, unsigned char boot[3])
{
    static const char *const ignored[] = { "menu=", "strict=", "splash=", "splash-time=",
                                            "reboot-timeout=" };
    for (char *p = val, *item; (item = qopt_next_item(&p));) {
        bool ignore = false;
        for (size_t k = 0; k < sizeof ignored / sizeof ignored[0]; k++)
            ignore |= !strncmp(item, ignored[k], strlen(ignored[k]));
        if (ignore)
            continue;
        if (!strncmp(item, "once=", 5))
            item += 5;
        if (firmware_parse_boot_order(item, boot) < 0)
            return -1;
    }
    return 0;
}

/* -smp as QEMU reads it: the CPU count alone or as cpus=, or the product
 * of the topology (sockets, dies, cores, threads), which must then equal
 * maxcpus (no CPU hotplug here: maxcpus = cpus).  x86lab shows every CPU
 * as a package of its own whatever the topology says. */
int qopt_smp(char *val, unsigned *cpus, char *err, size_t errlen)
{
    static const char *const topo[] = { "sockets=", "cores=", "threads=", "dies=" };
    uint64_t n = 0, max = 0, product = 1;
    bool topology = false;
    for (char *p = val, *item; (item = qopt_next_item(&p));) {
        const char *eq = strchr(item, '=');
        uint64_t v;
        if (parse_count(eq ? eq + 1 : item, &v) || v == 0)
            return snprintf(err, errlen, "-smp: expected a CPU count, not '%s'", item), -1;
        bool known = !eq || !strncmp(item, "cpus=", 5);
        if (known)
            n = v;
        if (!strncmp(item, "maxcpus=", 8)) {
            known = true;
            max = v;
        }
        for (size_t k = 0; k < sizeof topo / sizeof topo[0]; k++)
            if (!strncmp(item, topo[k], strlen(topo[k]))) {
                known = topology = true;
                product = product * v > 64 ? 65 : product * v;
            }
        if (!known)
            return snprintf(err, errlen, "-smp: unknown key in '%s' (cpus, sockets, cores, "
                            "threads, maxcpus)", item), -1;
    }
    if (!n)
        n = max ? max : product;
    if (!max)
        max = topology ? product : n;
    if (topology && product != max)
        return snprintf(err, errlen, "-smp %s: sockets*dies*cores*threads is %llu, not "
                        "maxcpus %llu", val, (unsigned long long)product,
                        (unsigned long long)max), -1;
    if (max != n)
        return snprintf(err, errlen, "-smp: maxcpus %llu is not cpus %llu (no CPU hotplug)",
                        (unsigned long long)max, (unsigned long long)n), -1;
    if (n < 1 || n > 8)
        return snprintf(err, errlen, "-smp: %llu CPUs: x86lab runs 1 to 8",
                        (unsigned long long)n), -1;
    *cpus = (unsigned)n;
    return 0;
}

int qopt_machine(char *val, enum engine_kind *engine, bool *acpi, char *err, size_t errlen)
{
    char *p = val;
    char *type = qopt_next_item(&p);
    if (!type)
        return snprintf(err, errlen, "-machine: a machine type is needed (pc)"), -1;
    if (!strcmp(type, "help")) {
        printf("pc                   Standard PC (i440FX + PIIX3, 1996) (default)\n");
        return 1;
    }
    if (!strncmp(type, "type=", 5))
        type += 5;
    if (strcmp(type, "pc") && strncmp(type, "pc-i440fx", 9) && strcmp(type, "isapc"))
        return snprintf(err, errlen, "-machine %s: x86lab is an i440FX PC: the only "
                        "machine is pc", type), -1;
    for (char *item; (item = qopt_next_item(&p));) {
        if (!strcmp(item, "accel=tcg"))
            *engine = ENGINE_INTERP;
        else if (!strcmp(item, "accel=kvm"))
            *engine = ENGINE_KVM;
        else if (!strcmp(item, "acpi=off") || !strcmp(item, "acpi=on"))
            *acpi = !strcmp(item, "acpi=on");
        else
            return snprintf(err, errlen, "-machine: unsupported property '%s' "
                            "(accel=tcg|kvm, acpi=on|off)", item), -1;
    }
    return 0;
}

int qopt_device(char *val, char *err, size_t errlen)
{
    char *p = val;
    char *name = qopt_next_item(&p);
    bool base_ok = false, size_ok = true;
    if (!name)
        return snprintf(err, errlen, "-device: a device name is needed"), -1;
    if (strcmp(name, "isa-debug-exit"))
        return snprintf(err, errlen, "-device %s: x86lab has no such device (only "
                        "isa-debug-exit,iobase=0xf4,iosize=0x04, its exit port)", name), -1;
    for (char *item; (item = qopt_next_item(&p));) {
        unsigned long v = 0;
        bool num = false;
        if (strlen(item) > 7 && item[7] != '-') {     /* a number after "iobase=" */
            char *end;
            errno = 0;
            v = strtoul(item + 7, &end, 0);
            num = !errno && !*end;
        }
        if (!strncmp(item, "iobase=", 7) && num)
            base_ok = v == 0xF4;
        else if (!strncmp(item, "iosize=", 7) && num)
            size_ok = v == 4;
        else
            return snprintf(err, errlen, "-device isa-debug-exit: unsupported property "
                            "'%s'", item), -1;
    }
    if (!base_ok || !size_ok)
        return snprintf(err, errlen, "-device isa-debug-exit: x86lab's exit port is fixed "
                        "at iobase=0xf4, iosize=0x04"), -1;
    return 0;
}

bool qopt_is_floppy_drive(const char *val)
{
    char copy[4096];
    bool floppy = false;
    snprintf(copy, sizeof copy, "%s", val);
    for (char *p = copy, *item; (item = qopt_next_item(&p));)
        floppy |= !strcmp(item, "if=floppy");
    return floppy;
}
