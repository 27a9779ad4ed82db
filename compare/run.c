/* run.c -- one engine's run for `x86lab compare`: x86lab itself started
 * as a child with --engine=E (--deterministic where the engine can keep
 * it) and --stats-json, its stdout kept as the guest's output, progress
 * shown while it runs, and its JSON read back into an engine_result. */
#include "compare/compare_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare/json.h"
#include "machine/stats_json.h"

enum { POLL_MS = 100 };

/* A file's whole contents, NUL-terminated (NULL: unreadable). */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *t = realloc(buf, cap *= 2);
        if (!t)
            free(buf);
        buf = t;
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

static int make_temp(char *path, size_t len, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/x86lab-compare-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
    return mkstemp(path);
}

/* The child: stdin from /dev/null, stdout and stderr into the files. */
static void exec_child(char **argv, int out, int err)
{
    int in = open("/dev/null", O_RDONLY);
    if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
        _exit(127);
    execv(argv[0], argv);
    fprintf(stderr, "x86lab compare: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static void progress(const struct engine_result *e, int index, int total, double secs, bool tty,
                     bool done)
{
    if (!tty && !done)
        return;
    fprintf(stderr, "%scompare: [%d/%d] %-6s %-26s %s %.1f s", tty ? "\r" : "", index, total,
            e->name, e->title, done ? "done in" : "running", secs);
    if (done)
        fprintf(stderr, ", exit status %d\n", e->exit_status);
    fflush(stderr);
}

/* Waits for pid, showing progress; kills it after timeout_s.  Returns its
 * wait status, or -1 on timeout. */
static int wait_child(pid_t pid, struct engine_result *e, int index, int total, unsigned timeout_s)
{
    bool tty = isatty(2);
    uint64_t t0 = stats_now_ns();
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        double secs = (double)(stats_now_ns() - t0) / 1e9;
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (timeout_s && secs > timeout_s) {
            kill(pid, SIGTERM);
            usleep(500 * 1000);
            if (waitpid(pid, &status, WNOHANG) != pid) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
            }
            return -1;
        }
        progress(e, index, total, secs, tty, false);
        usleep(POLL_MS * 1000);
    }
}

/* The first line of x86lab's stderr, for a failure message. */
static void first_line(const char *text, char *out, size_t len)
{
    size_t n = text ? strcspn(text, "\n") : 0;
    snprintf(out, len, "%.*s", (int)(n < 200 ? n : 200), text ? text : "");
}

bool compare_run_engine(struct comparison *c, struct engine_result *e, int index, int total,
                        unsigned timeout_s)
{
    char jpath[256], opath[256], epath[256];
    int jfd = make_temp(jpath, sizeof jpath, "stats");
    int ofd = make_temp(opath, sizeof opath, "out");
    int efd = make_temp(epath, sizeof epath, "err");
    bool ok = false;
    if (jfd < 0 || ofd < 0 || efd < 0) {
        snprintf(e->failure, sizeof e->failure, "cannot create temporary files: %s", strerror(errno));
        goto out;
    }
    char engine_opt[64];
    snprintf(engine_opt, sizeof engine_opt, "--engine=%s", e->name);
    char **argv = calloc((size_t)c->guest_argc + 8, sizeof *argv);
    if (!argv)
        goto out;
    int n = 0;
    argv[n++] = (char *)c->self;
    argv[n++] = engine_opt;
    e->deterministic = e->kind != ENGINE_KVM;    /* KVM runs on host time */
    if (e->deterministic)
        argv[n++] = "--deterministic";
    argv[n++] = "--stats-json";
    argv[n++] = jpath;
    for (int k = 0; k < c->guest_argc; k++)
        argv[n++] = c->guest_argv[k];
    fflush(NULL);
    uint64_t t0 = stats_now_ns();
    pid_t pid = fork();
    if (pid == 0)
        exec_child(argv, ofd, efd);
    free(argv);
    if (pid < 0) {
        snprintf(e->failure, sizeof e->failure, "fork: %s", strerror(errno));
        goto out;
    }
    int status = wait_child(pid, e, index, total, timeout_s);
    double secs = (double)(stats_now_ns() - t0) / 1e9;
    e->output = slurp(opath, &e->output_len);
    e->errout = slurp(epath, NULL);
    if (status == -1) {
        e->exit_status = -1;
        snprintf(e->failure, sizeof e->failure, "timed out after %u s (--timeout)", timeout_s);
        if (isatty(2))
            fputc('\n', stderr);
        goto out;
    }
    e->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    progress(e, index, total, secs, isatty(2), true);
    char *json = slurp(jpath, NULL);
    if (!json || !*json) {
        char line[200];
        first_line(e->errout, line, sizeof line);
        snprintf(e->failure, sizeof e->failure, "x86lab exited with status %d and wrote no "
                 "figures: %s", e->exit_status, line);
    } else {
        ok = compare_read_stats(e, json);
    }
    free(json);
out:
    for (int k = 0; k < 3; k++) {
        int fd = k == 0 ? jfd : k == 1 ? ofd : efd;
        const char *p = k == 0 ? jpath : k == 1 ? opath : epath;
        if (fd >= 0) {
            close(fd);
            unlink(p);
        }
    }
    e->ran = ok;
    return ok;
}

/* {"if": {"count": n, "ns": n}, ...} into count[]/ns[] by key. */
static void read_classes(const struct jv *obj, int n, const char *(*key)(int), uint64_t *count,
                         uint64_t *ns)
{
    for (int k = 0; k < n; k++) {
        const struct jv *v = jv_get(obj, key(k));
        count[k] = jv_u64(v, "count");
        ns[k] = jv_u64(v, "ns");
    }
}

static const char *trap_key(int k) { return trap_class_key((enum trap_class)k); }
static const char *exit_key(int k) { return vmexit_reason_key((enum vmexit_reason)k); }

static void read_region(struct region_result *r, const struct jv *v)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", jv_str(v, "name"));
    r->depth = (int)jv_u64(v, "depth");
    r->ops = jv_u64(v, "ops");
    const struct jv *cy = jv_get(v, "guest_cycles");
    r->has_cycles = cy && cy->type == JV_NUM;
    r->guest_cycles = jv_u64(v, "guest_cycles");
    r->host_ns = jv_u64(v, "host_ns");
    r->insns = jv_u64(v, "instructions");
    r->exceptions = jv_u64(v, "exceptions");
    r->hw_interrupts = jv_u64(v, "hw_interrupts");
    r->io = jv_u64(v, "io");
    r->hypercalls = jv_u64(v, "hypercalls");
    r->kvm_guest_ns = jv_u64(v, "kvm_guest_ns");
    read_classes(jv_get(v, "traps"), TRAP_COUNT, trap_key, r->traps, r->trap_ns);
    read_classes(jv_get(v, "exits"), VMEXIT_COUNT, exit_key, r->exits, r->exit_ns);
}

static void read_engines(struct engine_result *e, const struct jv *root)
{
    const struct jv *ns = jv_get(root, "engine_ns"), *in = jv_get(root, "engine_insns");
    for (int k = 0; k < ENGINE_COUNT; k++) {
        const struct engine_ops *ops = engine_ops((enum engine_kind)k);
        if (ops) {
            e->engine_ns[k] = jv_u64(ns, ops->name);
            e->engine_insns[k] = jv_u64(in, ops->name);
        }
    }
    const struct jv *bt = jv_get(root, "bt"), *kvm = jv_get(root, "kvm");
    e->bt_blocks = jv_u64(bt, "blocks");
    e->bt_translate_ns = jv_u64(bt, "translate_ns");
    e->bt_insns_translated = jv_u64(bt, "insns_translated");
    e->bt_insns_interpreted = jv_u64(bt, "insns_interpreted");
    read_classes(jv_get(bt, "traps"), TRAP_COUNT, trap_key, e->traps, e->trap_ns);
    e->kvm_guest_ns = jv_u64(kvm, "guest_ns");
    e->kvm_injected_irqs = jv_u64(kvm, "injected_irqs");
    read_classes(jv_get(kvm, "exits"), VMEXIT_COUNT, exit_key, e->exits, e->exit_ns);
    /* Trap-and-emulate's traps join the translator's (one engine runs). */
    const struct jv *tae = jv_get(root, "tae");
    uint64_t tc[TRAP_COUNT], tn[TRAP_COUNT];
    read_classes(jv_get(tae, "traps"), TRAP_COUNT, trap_key, tc, tn);
    for (int k = 0; k < TRAP_COUNT; k++)
        e->traps[k] += tc[k];
    e->tae_monitor_ns = jv_u64(tae, "monitor_ns");
}

bool compare_read_stats(struct engine_result *e, const char *json_text)
{
    char err[200];
    struct jv *root = jv_parse(json_text, err, sizeof err);
    if (!root || strcmp(jv_str(root, "format"), "x86lab-stats-1")) {
        snprintf(e->failure, sizeof e->failure, "unreadable --stats-json: %s",
                 root ? "not an x86lab-stats-1 object" : err);
        jv_free(root);
        return false;
    }
    snprintf(e->stop, sizeof e->stop, "%s", jv_str(root, "stop"));
    e->wall_ns = jv_u64(root, "wall_ns");
    e->insns = jv_u64(root, "instructions");
    e->exceptions = jv_u64(root, "exceptions");
    e->hw_interrupts = jv_u64(root, "hw_interrupts");
    e->soft_ints = jv_u64(root, "soft_ints");
    e->io = jv_u64(root, "io_reads") + jv_u64(root, "io_writes");
    e->hypercalls = jv_u64(root, "hypercalls");
    read_engines(e, root);
    const struct jv *regs = jv_get(root, "regions");
    if (regs && regs->type == JV_ARR && regs->n) {
        e->regions = calloc((size_t)regs->n, sizeof *e->regions);
        for (int k = 0; e->regions && k < regs->n; k++)
            read_region(&e->regions[k], &regs->items[k]);
        e->nregions = e->regions ? regs->n : 0;
    }
    jv_free(root);
    return true;
}
