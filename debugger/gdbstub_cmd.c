/* gdbstub_cmd.c -- the gdb remote protocol's packets, one handler each:
 * queries (qSupported, qXfer:features, qAttached, threads, qRcmd), the
 * registers (g/G/p/P), memory at linear addresses (m/M/X), breakpoints
 * and watchpoints (Z/z), run control (c, s, vCont, ?) and the end of a
 * session (D, k).  Run control only prepares the debugger core's next
 * run; gdbstub.c runs it. */
#include "gdbstub_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debugger/debug.h"
#include "machine/machine.h"
#include "machine/smp.h"

static int reply(struct gdbstub *g, const char *s)
{
    return gdb_send_str(&g->conn, s);
}

/* ---- stop replies ---- */

static const struct gdb_bp *gdb_bp_by_id(const struct gdbstub *g, int id)
{
    for (int k = 0; k < GDB_MAX_BP && id > 0; k++)
        if (g->bp[k].id == id)
            return &g->bp[k];
    return NULL;
}

void gdbstub_stop_reply(struct gdbstub *g, char *buf, size_t len)
{
    const struct dbg_stop *s = &g->m->dbg->stop;
    const struct gdb_bp *b = gdb_bp_by_id(g, s->bp_id);
    static const char *const watch[5] = { NULL, NULL, "watch", "rwatch", "awatch" };
    int t = smp_current(g->m) + 1;           /* the CPU that stopped */
    g->thread = -1;
    if (s->reason == DBG_STOP_USER && g->interrupted)
        snprintf(buf, len, "T02thread:%x;", t);
    else if (s->reason == DBG_STOP_WATCH && b && b->type >= 2)
        snprintf(buf, len, "T05%s:%x;thread:%x;", watch[b->type], s->addr, t);
    else if (s->reason == DBG_STOP_BREAK && b && b->type == 0 && g->swbreak)
        snprintf(buf, len, "T05swbreak:;thread:%x;", t);
    else if (s->reason == DBG_STOP_BREAK && b && b->type == 1 && g->hwbreak)
        snprintf(buf, len, "T05hwbreak:;thread:%x;", t);
    else
        snprintf(buf, len, "T05thread:%x;", t);
}

/* ---- threads: one per CPU (-smp N), numbered from 1 as QEMU's stub ---- */

static int cpu_count(const struct gdbstub *g)
{
    return g->m->smp ? (int)g->m->cfg.smp_cpus : 1;
}

static int current_thread(const struct gdbstub *g)
{
    return smp_current(g->m) + 1;
}

/* The CPU whose registers g/G/p/P reach (Hg). */
static struct cpu *thread_cpu(struct gdbstub *g)
{
    return g->thread < 0 ? &g->m->cpu : smp_cpu(g->m, g->thread);
}

/* Hg<id> / Hc<id> (id -1 or 0: any); T<id>: is it there. */
static void thread_packet(struct gdbstub *g, const char *pkt)
{
    bool any = !strcmp(pkt + 2, "-1") || !strcmp(pkt + 2, "0");
    uint32_t id = 0;
    bool ok = any || (!gdb_parse_hex(pkt + (pkt[0] == 'H' ? 2 : 1), &id, NULL) &&
                      id >= 1 && (int)id <= cpu_count(g));
    if (pkt[0] == 'H' && pkt[1] == 'g' && ok)
        g->thread = any ? -1 : (int)id - 1;
    reply(g, ok ? "OK" : "E22");
}

static void thread_list(struct gdbstub *g)
{
    char *p = g->reply;
    *p++ = 'm';
    for (int k = 1; k <= cpu_count(g); k++)
        p += sprintf(p, k > 1 ? ",%x" : "%x", (unsigned)k);
    reply(g, g->reply);
}

/* qThreadExtraInfo,ID: "CPU#n" (hex-encoded, as gdb wants it). */
static void thread_info(struct gdbstub *g, const char *id)
{
    uint32_t n;
    char text[32];
    if (gdb_parse_hex(id, &n, NULL) || n < 1 || (int)n > cpu_count(g)) {
        reply(g, "E22");
        return;
    }
    snprintf(text, sizeof text, "CPU#%u%s", (unsigned)n - 1,
             (int)n == current_thread(g) ? " (current)" : "");
    gdb_hex(g->reply, (const uint8_t *)text, strlen(text));
    reply(g, g->reply);
}

/* ---- queries ---- */

static void q_supported(struct gdbstub *g, const char *features)
{
    g->swbreak = strstr(features, "swbreak+") != NULL;
    g->hwbreak = strstr(features, "hwbreak+") != NULL;
    snprintf(g->reply, sizeof g->reply,
             "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;"
             "QStartNoAckMode+;vContSupported+", GDB_PACKET_MAX);
    reply(g, g->reply);
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH */
static void q_xfer_features(struct gdbstub *g, const char *args)
{
    const char *colon = strchr(args, ':');
    uint32_t off, len;
    const char *p;
    if (!colon || strncmp(args, "target.xml:", 11) || gdb_parse_hex(colon + 1, &off, &p) ||
        *p != ',' || gdb_parse_hex(p + 1, &len, NULL)) {
        reply(g, "E00");
        return;
    }
    if (off >= g->xml_len) {
        reply(g, "l");
        return;
    }
    size_t n = g->xml_len - off;
    if (n > len)
        n = len;
    if (n > sizeof g->reply - 2)
        n = sizeof g->reply - 2;
    g->reply[0] = off + n < g->xml_len ? 'm' : 'l';
    memcpy(g->reply + 1, g->xml + off, n);
    gdb_send(&g->conn, g->reply, n + 1);
}

/* qRcmd,HEX: a monitor command; its output goes back as O packets. */
static void q_rcmd(struct gdbstub *g, const char *hex)
{
    char line[512];
    int n = gdb_unhex((uint8_t *)line, hex, sizeof line - 1);
    if (n < 0) {
        reply(g, "E01");
        return;
    }
    line[n] = 0;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    if (!out) {
        reply(g, "E01");
        return;
    }
    int r = monitor_exec(g->m, line, out);
    if (r == DBG_RESUME || r == DBG_QUIT)
        fprintf(out, "(x86lab: run control belongs to gdb here: use its commands)\n");
    fclose(out);
    const size_t chunk = (GDB_PACKET_MAX - 2) / 2;
    for (size_t k = 0; k < size; k += chunk) {
        size_t c = size - k < chunk ? size - k : chunk;
        g->reply[0] = 'O';
        gdb_hex(g->reply + 1, (const uint8_t *)text + k, c);
        reply(g, g->reply);
    }
    free(text);
    reply(g, "OK");
}

static void query(struct gdbstub *g, const char *pkt)
{
    if (!strncmp(pkt, "qSupported", 10))
        q_supported(g, pkt + 10);
    else if (!strncmp(pkt, "qXfer:features:read:", 20))
        q_xfer_features(g, pkt + 20);
    else if (!strncmp(pkt, "qAttached", 9))
        reply(g, "1");
    else if (!strcmp(pkt, "qC")) {
        snprintf(g->reply, sizeof g->reply, "QC%x", current_thread(g));
        reply(g, g->reply);
    } else if (!strcmp(pkt, "qfThreadInfo"))
        thread_list(g);
    else if (!strncmp(pkt, "qThreadExtraInfo,", 17))
        thread_info(g, pkt + 17);
    else if (!strcmp(pkt, "qsThreadInfo"))
        reply(g, "l");
    else if (!strncmp(pkt, "qSymbol", 7))
        reply(g, "OK");
    else if (!strncmp(pkt, "qRcmd,", 6))
        q_rcmd(g, pkt + 6);
    else
        reply(g, "");
}

/* ---- registers ---- */

static void read_all_regs(struct gdbstub *g)
{
    char *p = g->reply;
    for (int n = 0; n < gdb_reg_count(); n++) {
        uint8_t v[16];
        int size = gdb_reg_get(thread_cpu(g), n, v);
        gdb_hex(p, v, (size_t)size);
        p += 2 * size;
    }
    reply(g, g->reply);
}

static void write_all_regs(struct gdbstub *g, const char *hex)
{
    int bad = 0;
    for (int n = 0; n < gdb_reg_count() && *hex; n++) {
        uint8_t v[16];
        int size = gdb_reg_size(n);
        if (gdb_unhex(v, hex, (size_t)size) != size)
            break;
        hex += 2 * size;
        bad |= gdb_reg_set(g->m, thread_cpu(g), n, v) < 0;
    }
    reply(g, bad ? "E01" : "OK");
}

static void read_reg(struct gdbstub *g, const char *args)
{
    uint32_t n;
    uint8_t v[16];
    if (gdb_parse_hex(args, &n, NULL) || gdb_reg_size((int)n) < 0) {
        reply(g, "E00");
        return;
    }
    int size = gdb_reg_get(thread_cpu(g), (int)n, v);
    gdb_hex(g->reply, v, (size_t)size);
    reply(g, g->reply);
}

static void write_reg(struct gdbstub *g, const char *args)
{
    uint32_t n;
    const char *p;
    uint8_t v[16];
    if (gdb_parse_hex(args, &n, &p) || *p != '=' || gdb_reg_size((int)n) < 0 ||
        gdb_unhex(v, p + 1, (size_t)gdb_reg_size((int)n)) != gdb_reg_size((int)n)) {
        reply(g, "E00");
        return;
    }
    reply(g, gdb_reg_set(g->m, thread_cpu(g), (int)n, v) < 0 ? "E01" : "OK");
}

/* ---- memory: linear addresses through the guest's page tables ---- */

static int parse_addr_len(const char *s, uint32_t *addr, uint32_t *len, const char **end)
{
    const char *p;
    if (gdb_parse_hex(s, addr, &p) || *p != ',' || gdb_parse_hex(p + 1, len, end))
        return -1;
    return 0;
}

static void read_mem(struct gdbstub *g, const char *args)
{
    uint32_t addr, len;
    uint8_t data[GDB_PACKET_MAX / 2];
    if (parse_addr_len(args, &addr, &len, NULL)) {
        reply(g, "E00");
        return;
    }
    if (len > sizeof data - 1)
        len = sizeof data - 1;
    uint32_t n = debug_read_lin(g->m, addr, data, len);
    if (n == 0 && len) {
        reply(g, "E14");          /* EFAULT: not mapped */
        return;
    }
    gdb_hex(g->reply, data, n);
    reply(g, g->reply);
}

/* M (hex) and X (binary) writes. */
static void write_mem(struct gdbstub *g, char *args, size_t arglen, bool binary)
{
    uint32_t addr, len;
    const char *p;
    uint8_t data[GDB_PACKET_MAX];
    if (parse_addr_len(args, &addr, &len, &p) || *p != ':' || len > sizeof data) {
        reply(g, "E00");
        return;
    }
    p++;
    if (binary) {
        size_t raw = arglen - (size_t)(p - args);
        memcpy(data, p, raw);
        if (gdb_unescape(data, raw) != len) {
            reply(g, "E00");
            return;
        }
    } else if (gdb_unhex(data, p, len) != (int)len) {
        reply(g, "E00");
        return;
    }
    reply(g, debug_write_lin(g->m, addr, data, len) == len ? "OK" : "E14");
}

/* ---- breakpoints and watchpoints ---- */

static void insert_bp(struct gdbstub *g, int type, uint32_t addr, uint32_t len)
{
    static const uint8_t acc[5] = { 0, 0, DBG_ACC_WRITE, DBG_ACC_READ, DBG_ACC_RW };
    int slot = 0;
    while (slot < GDB_MAX_BP && g->bp[slot].id)
        slot++;
    struct breakpoint b = { .kind = type <= 1 ? BPK_LIN : BPK_WATCH, .addr = addr,
                            .len = type <= 1 ? 1 : len, .acc = acc[type] };
    snprintf(b.desc, sizeof b.desc, "gdb Z%d 0x%x", type, addr);
    int id = slot < GDB_MAX_BP ? debug_bp_add(g->m->dbg, &b) : -1;
    if (id < 0) {
        reply(g, "E28");          /* ENOSPC */
        return;
    }
    g->bp[slot] = (struct gdb_bp){ type, addr, len, id };
    reply(g, "OK");
}

static void remove_bp(struct gdbstub *g, int type, uint32_t addr, uint32_t len)
{
    for (int k = 0; k < GDB_MAX_BP; k++) {
        struct gdb_bp *b = &g->bp[k];
        if (b->id && b->type == type && b->addr == addr && (type <= 1 || b->len == len)) {
            debug_bp_delete(g->m->dbg, b->id);
            b->id = 0;
            reply(g, "OK");
            return;
        }
    }
    reply(g, "E01");
}

void gdbstub_drop_breakpoints(struct gdbstub *g)
{
    for (int k = 0; k < GDB_MAX_BP; k++)
        if (g->bp[k].id) {
            debug_bp_delete(g->m->dbg, g->bp[k].id);
            g->bp[k].id = 0;
        }
}

/* Z/z TYPE,ADDR,KIND */
static void breakpoint(struct gdbstub *g, const char *pkt)
{
    uint32_t type, addr, len;
    const char *p;
    if (gdb_parse_hex(pkt + 1, &type, &p) || *p != ',' ||
        parse_addr_len(p + 1, &addr, &len, NULL) || type > 4) {
        reply(g, type > 4 ? "" : "E00");
        return;
    }
    if (len == 0 || len > 4096) {
        reply(g, "E22");          /* EINVAL */
        return;
    }
    if (pkt[0] == 'Z')
        insert_bp(g, (int)type, addr, len);
    else
        remove_bp(g, (int)type, addr, len);
}

/* ---- run control ---- */

/* c [ADDR] / s [ADDR]: resume (at ADDR when given). */
static enum gdb_next resume(struct gdbstub *g, bool step, const char *addr)
{
    uint32_t a;
    if (addr && *addr && !gdb_parse_hex(addr, &a, NULL))
        g->m->cpu.eip = a;
    g->m->dbg->step_noirq = true;
    debug_resume(g->m->dbg, step ? DBG_RUN_STEP : DBG_RUN_CONT, 1);
    g->running = true;
    g->interrupted = false;
    return GDB_RESUME;
}

/* vCont;ACTION[:THREAD]...: a step of thread N steps CPU N-1 (made the
 * current one), the others stay where they are (all-stop). */
static enum gdb_next v_cont(struct gdbstub *g, const char *acts)
{
    bool step = false, any = false;
    for (const char *p = acts; p && *p; p = strchr(p + 1, ';')) {
        const char *a = *p == ';' ? p + 1 : p;
        if (*a == 's' || *a == 'S') {
            uint32_t id;
            const char *colon = strchr(a, ':');
            if (colon && !gdb_parse_hex(colon + 1, &id, NULL) && id >= 1 &&
                (int)id <= cpu_count(g))
                smp_select(g->m, (int)id - 1);   /* step that CPU */
            step = any = true;
        }
        else if (*a == 'c' || *a == 'C')
            any = true;
    }
    if (!any) {
        reply(g, "E00");
        return GDB_SERVE;
    }
    return resume(g, step, NULL);
}

static enum gdb_next v_packet(struct gdbstub *g, const char *pkt)
{
    if (!strcmp(pkt, "vCont?")) {
        reply(g, "vCont;c;C;s;S");
        return GDB_SERVE;
    }
    if (!strncmp(pkt, "vCont;", 6))
        return v_cont(g, pkt + 5);
    if (!strncmp(pkt, "vKill", 5)) {
        reply(g, "OK");
        return GDB_QUIT;
    }
    reply(g, "");
    return GDB_SERVE;
}

/* Every packet gdb sends; `len` counts binary data (X). */
enum gdb_next gdbstub_packet(struct gdbstub *g, char *pkt, size_t len)
{
    switch (pkt[0]) {
    case '?':
        gdbstub_stop_reply(g, g->reply, sizeof g->reply);
        reply(g, g->reply);
        return GDB_SERVE;
    case 'q': query(g, pkt); return GDB_SERVE;
    case 'Q':
        if (!strcmp(pkt, "QStartNoAckMode")) {
            reply(g, "OK");
            g->conn.noack = true;
        } else
            reply(g, "");
        return GDB_SERVE;
    case 'g': read_all_regs(g); return GDB_SERVE;
    case 'G': write_all_regs(g, pkt + 1); return GDB_SERVE;
    case 'p': read_reg(g, pkt + 1); return GDB_SERVE;
    case 'P': write_reg(g, pkt + 1); return GDB_SERVE;
    case 'm': read_mem(g, pkt + 1); return GDB_SERVE;
    case 'M': write_mem(g, pkt + 1, len - 1, false); return GDB_SERVE;
    case 'X': write_mem(g, pkt + 1, len - 1, true); return GDB_SERVE;
    case 'Z': case 'z': breakpoint(g, pkt); return GDB_SERVE;
    case 'H': case 'T': thread_packet(g, pkt); return GDB_SERVE;
    case 'c': return resume(g, false, pkt + 1);
    case 's': return resume(g, true, pkt + 1);
    case 'C': case 'S': {                 /* Csig[;addr]: the signal means nothing here */
        const char *semi = strchr(pkt, ';');
        return resume(g, pkt[0] == 'S', semi ? semi + 1 : NULL);
    }
    case 'v': return v_packet(g, pkt);
    case 'D':
        reply(g, "OK");
        return GDB_GONE;
    case 'k': return GDB_QUIT;
    default:
        reply(g, "");
        return GDB_SERVE;
    }
}
