/* link.c -- the mailbox between the window thread and the emulation
 * thread: a bounded queue of commands one way, messages the other way
 * (snapshots and samples are handed over by flags in emu.c and sdl_main.c),
 * all under one mutex that is only ever held for a few stores. */
#include "sdl_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int link_init(struct sdl_link *l)
{
    memset(l, 0, sizeof *l);
    if (pthread_mutex_init(&l->lock, NULL))
        return -1;
    if (pthread_cond_init(&l->wake, NULL)) {
        pthread_mutex_destroy(&l->lock);
        return -1;
    }
    return 0;
}

void link_free(struct sdl_link *l)
{
    pthread_cond_destroy(&l->wake);
    pthread_mutex_destroy(&l->lock);
}

/* Motion is posted for every host mouse event; while the guest has not
 * taken the last one, the two are one movement (buttons unchanged). */
static bool merge_motion(struct sdl_link *l, const struct sdl_cmd *c)
{
    if (c->kind != CMD_MOUSE || l->count == 0)
        return false;
    struct sdl_cmd *last = &l->q[(l->head + l->count - 1) % SDL_CMD_QUEUE];
    if (last->kind != CMD_MOUSE || last->buttons != c->buttons)
        return false;
    last->dx += c->dx;
    last->dy += c->dy;
    last->dz += c->dz;
    return true;
}

bool link_post(struct sdl_link *l, const struct sdl_cmd *c)
{
    bool ok = true;
    pthread_mutex_lock(&l->lock);
    if (!merge_motion(l, c)) {
        if (l->count == SDL_CMD_QUEUE)
            ok = false;
        else
            l->q[(l->head + l->count++) % SDL_CMD_QUEUE] = *c;
    }
    pthread_cond_signal(&l->wake);
    pthread_mutex_unlock(&l->lock);
    return ok;
}

bool link_take(struct sdl_link *l, struct sdl_cmd *c)
{
    bool got = false;
    pthread_mutex_lock(&l->lock);
    if (l->count) {
        *c = l->q[l->head];
        l->head = (l->head + 1) % SDL_CMD_QUEUE;
        l->count--;
        got = true;
    }
    pthread_mutex_unlock(&l->lock);
    return got;
}

void link_note(struct sdl_link *l, const char *fmt, ...)
{
    char text[SDL_NOTE_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&l->lock);
    memcpy(l->note, text, sizeof text);
    l->note_new = true;
    pthread_mutex_unlock(&l->lock);
}
