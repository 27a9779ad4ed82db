/* host.c -- the host CPU as a target: the sequence's bytes run in 64-bit
 * mode inside a generated stub that loads the registers and flags, runs
 * them and stores everything back; the scratch buffer is mapped at the
 * guest's address (BUF_ADDR), so addresses mean the same on both sides.
 * A fault (SIGFPE, SIGSEGV, SIGILL...) inside the sequence is caught, with
 * the registers at the faulting instruction from the signal context. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "tests/diff/diff.h"

/* push rbx rbp r12-r15; r15 = state (rdi); load rax..rdi and flags. */
static const uint8_t stub_pre[] = {
    0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57,
    0x49, 0x89, 0xff,                                           /* mov r15, rdi */
    0x49, 0x8b, 0x07, 0x49, 0x8b, 0x4f, 0x08, 0x49, 0x8b, 0x57, 0x10, /* rax rcx rdx */
    0x49, 0x8b, 0x5f, 0x18, 0x49, 0x8b, 0x6f, 0x28,             /* rbx rbp */
    0x49, 0x8b, 0x77, 0x30, 0x49, 0x8b, 0x7f, 0x38,             /* rsi rdi */
    0x41, 0xff, 0x77, 0x40, 0x9d,                               /* push [r15+64]; popfq */
};
/* pushfq; pop [r15+64]; store rax..rdi; cld; pop r15-r12 rbp rbx; ret. */
static const uint8_t stub_post[] = {
    0x9c, 0x41, 0x8f, 0x47, 0x40,
    0x49, 0x89, 0x07, 0x49, 0x89, 0x4f, 0x08, 0x49, 0x89, 0x57, 0x10,
    0x49, 0x89, 0x5f, 0x18, 0x49, 0x89, 0x6f, 0x28,
    0x49, 0x89, 0x77, 0x30, 0x49, 0x89, 0x7f, 0x38,
    0xfc,
    0x41, 0x5f, 0x41, 0x5e, 0x41, 0x5d, 0x41, 0x5c, 0x5d, 0x5b, 0xc3,
};

enum {
    CODE_PAGE = 4096, MAP_LO = BUF_ADDR & ~4095,
    MAP_SIZE = ((BUF_ADDR + BUF_SIZE + 4095) & ~4095) - MAP_LO,
};

struct host {
    uint8_t *code;               /* executable page: stub_pre, sequence, stub_post */
    uint8_t *map;                /* the pages holding BUF_ADDR */
    uint8_t *buf;                /* at BUF_ADDR */
    sigjmp_buf jb;
    int sig;                     /* the signal that ended the run, 0 if none */
    uint64_t rip, regs[8], eflags;
};

/* The signal handler's one pointer: the host target while it runs. */
static struct host *active;

static void on_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    struct host *h = active;
    const greg_t *gr = uc->uc_mcontext.gregs;
    uint64_t rip = (uint64_t)gr[REG_RIP];
    (void)si;
    if (!h || rip < (uint64_t)(uintptr_t)h->code ||
        rip >= (uint64_t)(uintptr_t)h->code + CODE_PAGE) {
        signal(sig, SIG_DFL);        /* not ours: the default action, on return */
        return;
    }
    static const int order[8] = { REG_RAX, REG_RCX, REG_RDX, REG_RBX,
                                  REG_RSP, REG_RBP, REG_RSI, REG_RDI };
    for (int k = 0; k < 8; k++)
        h->regs[k] = (uint64_t)gr[order[k]];
    h->eflags = (uint64_t)gr[REG_EFL];
    h->rip = rip;
    h->sig = sig;
    siglongjmp(h->jb, 1);
}

static int vector_of(int sig)
{
    switch (sig) {
    case SIGFPE: return EXC_DE;
    case SIGILL: return EXC_UD;
    case SIGTRAP: return EXC_DB;
    default: return EXC_PF;          /* SIGSEGV, SIGBUS */
    }
}

static void host_run(void *priv, const struct seq *q, const struct state *in,
                     struct outcome *o)
{
    struct host *h = priv;
    uint64_t s[9];
    uint8_t *at = h->code + sizeof stub_pre;
    memcpy(at, q->code, (size_t)q->size);
    memcpy(at + q->size, stub_post, sizeof stub_post);
    for (int k = 0; k < 8; k++)
        s[k] = in->r[k];
    s[8] = 0x202 | in->flags;
    memcpy(h->buf, in->buf, BUF_SIZE);
    h->sig = 0;
    active = h;
    if (sigsetjmp(h->jb, 0) == 0) {
        void (*fn)(uint64_t *) = (void (*)(uint64_t *))(void *)h->code;
        fn(s);
    } else {
        memcpy(s, h->regs, sizeof h->regs);
        s[8] = h->eflags;
    }
    active = NULL;
    memset(o, 0, sizeof *o);
    for (int k = 0; k < 8; k++)
        o->s.r[k] = (uint32_t)s[k];
    o->s.r[R_ESP] = 0;
    o->s.flags = (uint32_t)s[8] & (F_ARITH | F_DF);
    memcpy(o->s.buf, h->buf, BUF_SIZE);
    o->end = q->size;
    o->vector = -1;
    o->fault_off = -1;
    o->valid = true;
    if (h->sig) {
        o->vector = vector_of(h->sig);
        o->fault_off = (int)(h->rip - (uint64_t)(uintptr_t)at);
    }
}

static void host_close(void *priv)
{
    struct host *h = priv;
    munmap(h->code, CODE_PAGE);
    munmap(h->map, MAP_SIZE);
    free(h);
}

int target_host_open(struct target *t, char *why, size_t len)
{
    struct host *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    h->code = mmap(NULL, CODE_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    h->map = mmap((void *)(uintptr_t)MAP_LO, MAP_SIZE, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    h->buf = h->map + (BUF_ADDR - MAP_LO);
    if (h->code == MAP_FAILED || h->map != (uint8_t *)(uintptr_t)MAP_LO) {
        snprintf(why, len, "cannot map the host's code page and the buffer at 0x%x",
                 (unsigned)BUF_ADDR);
        free(h);
        return -1;
    }
    memcpy(h->code, stub_pre, sizeof stub_pre);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    static const int sigs[5] = { SIGFPE, SIGSEGV, SIGBUS, SIGILL, SIGTRAP };
    for (int k = 0; k < 5; k++)
        sigaction(sigs[k], &sa, NULL);
    t->name = "host";
    t->engine = false;
    t->priv = h;
    t->run = host_run;
    t->close = host_close;
    return 0;
}
