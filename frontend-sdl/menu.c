/* menu.c -- the window's hotkeys (Ctrl-Alt and a key, as in QEMU; they
 * never reach the guest) and the menu (Ctrl-Alt-H) that lists them; with
 * the menu open the same keys work alone and Esc closes it. */
#include "sdl_int.h"

#include <string.h>

struct binding {
    SDL_Keycode key;
    enum sdl_action action;
};

/* Shared by the hotkeys and the open menu. */
static const struct binding bindings[] = {
    { SDLK_h, ACT_MENU }, { SDLK_g, ACT_RELEASE }, { SDLK_f, ACT_FULLSCREEN },
    { SDLK_i, ACT_SMOOTH }, { SDLK_PLUS, ACT_SCALE_UP }, { SDLK_EQUALS, ACT_SCALE_UP },
    { SDLK_KP_PLUS, ACT_SCALE_UP }, { SDLK_MINUS, ACT_SCALE_DOWN },
    { SDLK_KP_MINUS, ACT_SCALE_DOWN }, { SDLK_p, ACT_PAUSE }, { SDLK_e, ACT_NEXT_ENGINE },
    { SDLK_1, ACT_INTERP }, { SDLK_2, ACT_BT }, { SDLK_3, ACT_KVM }, { SDLK_r, ACT_RESET },
    { SDLK_q, ACT_POWEROFF }, { SDLK_s, ACT_SCREENSHOT }, { SDLK_o, ACT_OVERLAY },
    { SDLK_m, ACT_MONITOR },
};

static enum sdl_action lookup(SDL_Keycode key)
{
    for (size_t k = 0; k < sizeof bindings / sizeof bindings[0]; k++)
        if (bindings[k].key == key)
            return bindings[k].action;
    return ACT_NONE;
}

enum sdl_action menu_hotkey(SDL_Keycode key)
{
    /* Ctrl-Alt-Del itself goes to the guest as typed; Ctrl-Alt-End sends
     * it when the host keeps Ctrl-Alt-Del for itself. */
    if (key == SDLK_END)
        return ACT_CAD;
    return lookup(key);
}

enum sdl_action menu_key(SDL_Keycode key)
{
    if (key == SDLK_ESCAPE)
        return ACT_MENU;
    if (key == SDLK_d)
        return ACT_CAD;
    return lookup(key);
}

static const char *const menu_lines[] = {
    "x86lab menu: press a key (with Ctrl-Alt: any time)",
    "",
    " P   pause / resume the guest",
    " E   next engine     1 interpreter  2 translator  3 KVM",
    " O   statistics overlay on/off",
    " S   screenshot (PNG)",
    " R   reset the machine",
    " D   send Ctrl-Alt-Del to the guest (hotkey: Ctrl-Alt-End)",
    " Q   power off (as closing the window)",
    " M   monitor, on the terminal x86lab was started from",
    " F   full screen     I  smooth/integer scaling   + -  size",
    " G   release the mouse (a click in the window grabs it)",
    " H   or Esc: close this menu",
};

void menu_draw(struct canvas *c)
{
    int n = (int)(sizeof menu_lines / sizeof menu_lines[0]);
    int cols = 0;
    for (int k = 0; k < n; k++) {
        int len = (int)strlen(menu_lines[k]);
        cols = len > cols ? len : cols;
    }
    int bw = (cols + 4) * GLYPH_W, bh = (n + 2) * GLYPH_H;
    int x = (c->w - bw) / 2, y = (c->h - bh) / 2;
    canvas_rect(c, x, y, bw, bh, 0xE0202040u);
    canvas_rect(c, x, y, bw, 2, 0xFFFFFF55u);
    for (int k = 0; k < n; k++)
        canvas_text(c, x + 2 * GLYPH_W, y + (k + 1) * GLYPH_H, menu_lines[k],
                    k == 0 ? 0xFFFFFF55u : 0xFFE0E0E0u);
}
