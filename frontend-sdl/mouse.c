/* mouse.c -- the host mouse as the guest's PS/2 mouse: a click in the
 * window grabs it (relative mode: the pointer is hidden and held in the
 * window), Ctrl-Alt-G or losing focus releases it; relative motion, three
 * buttons and the wheel become commands for the 8042 (link.c). */
#include "sdl_int.h"

static int button_bit(uint8_t b)
{
    switch (b) {
    case SDL_BUTTON_LEFT: return PS2M_LEFT;
    case SDL_BUTTON_RIGHT: return PS2M_RIGHT;
    case SDL_BUTTON_MIDDLE: return PS2M_MIDDLE;
    default: return 0;
    }
}

static void post(struct sdl_mouse *ms, struct sdl_link *l, int dx, int dy, int dz)
{
    struct sdl_cmd c = { .kind = CMD_MOUSE, .dx = dx, .dy = dy, .dz = dz, .buttons = ms->buttons };
    link_post(l, &c);
}

static void grab(struct sdl_mouse *ms, SDL_Window *win)
{
    SDL_RaiseWindow(win);
    if (SDL_SetRelativeMouseMode(SDL_TRUE) == 0)
        ms->grabbed = true;
}

void mouse_release(struct sdl_mouse *ms, struct sdl_link *l)
{
    if (!ms->grabbed)
        return;
    SDL_SetRelativeMouseMode(SDL_FALSE);
    ms->grabbed = false;
    if (ms->buttons) {                 /* nothing stays pressed in the guest */
        ms->buttons = 0;
        post(ms, l, 0, 0, 0);
    }
}

static void button(struct sdl_mouse *ms, struct sdl_link *l, uint8_t b, bool down)
{
    int bit = button_bit(b);
    if (!bit || (bool)(ms->buttons & bit) == down)
        return;                        /* e.g. the release of the grabbing click */
    ms->buttons = down ? ms->buttons | bit : ms->buttons & ~bit;
    post(ms, l, 0, 0, 0);
}

bool mouse_event(struct sdl_mouse *ms, SDL_Window *win, struct sdl_link *l, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_MOUSEBUTTONDOWN:
        if (!ms->grabbed)
            grab(ms, win);             /* the grabbing click is the host's */
        else
            button(ms, l, ev->button.button, true);
        return true;
    case SDL_MOUSEBUTTONUP:
        if (ms->grabbed)
            button(ms, l, ev->button.button, false);
        return true;
    case SDL_MOUSEMOTION:
        if (ms->grabbed && (ev->motion.xrel || ev->motion.yrel))
            post(ms, l, ev->motion.xrel, ev->motion.yrel, 0);
        return true;
    case SDL_MOUSEWHEEL:
        if (ms->grabbed && ev->wheel.y) {
            /* SDL: y > 0 away from the user; PS/2: dz > 0 towards. */
            int y = ev->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -ev->wheel.y : ev->wheel.y;
            post(ms, l, 0, 0, -y);
        }
        return true;
    default:
        return false;
    }
}
