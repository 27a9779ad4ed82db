/* window.c -- the SDL window and renderer: the guest picture as a
 * streaming texture, a window that follows the guest's mode size times the
 * scale, the picture letterboxed with its aspect ratio kept (integer
 * steps, or smooth filtered scaling), full screen, and the overlay/menu
 * panel blended on top at the window's own resolution. */
#include "sdl_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_SCALE = 8, FIRST_W = 720, FIRST_H = 400 };

/* The largest integer scale that keeps the window within 90% of the
 * desktop (at least 1). */
static int auto_scale(int gw, int gh)
{
    SDL_Rect r;
    if (SDL_GetDisplayUsableBounds(0, &r) < 0 || gw <= 0 || gh <= 0)
        return 1;
    int s = (r.w * 9 / 10) / gw, t = (r.h * 9 / 10) / gh;
    s = s < t ? s : t;
    return s < 1 ? 1 : s > MAX_SCALE ? MAX_SCALE : s;
}

int window_open(struct sdl_window *w, const struct sdl_options *o, char *why, size_t len)
{
    memset(w, 0, sizeof *w);
    w->smooth = o->smooth;
    w->scale = o->scale > 0 ? o->scale : auto_scale(FIRST_W, FIRST_H);
    w->guest_w = FIRST_W;
    w->guest_h = FIRST_H;
    w->window = SDL_CreateWindow("x86lab", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                                 FIRST_W * w->scale, FIRST_H * w->scale, SDL_WINDOW_RESIZABLE);
    if (!w->window) {
        snprintf(why, len, "SDL cannot open a window: %s", SDL_GetError());
        return -1;
    }
    w->renderer = SDL_CreateRenderer(w->window, -1, 0);
    if (!w->renderer)
        w->renderer = SDL_CreateRenderer(w->window, -1, SDL_RENDERER_SOFTWARE);
    if (!w->renderer) {
        snprintf(why, len, "SDL cannot draw in its window: %s", SDL_GetError());
        window_close(w);
        return -1;
    }
    if (o->fullscreen)
        window_fullscreen(w, true);
    return 0;
}

void window_close(struct sdl_window *w)
{
    if (w->panel)
        SDL_DestroyTexture(w->panel);
    if (w->screen)
        SDL_DestroyTexture(w->screen);
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->window)
        SDL_DestroyWindow(w->window);
    memset(w, 0, sizeof *w);
}

/* The window to the picture's size times the scale, centred again so that
 * a larger mode does not hang off the screen. */
static void fit_window(struct sdl_window *w)
{
    if (w->fullscreen)
        return;
    SDL_SetWindowSize(w->window, w->guest_w * w->scale, w->guest_h * w->scale);
    SDL_SetWindowPosition(w->window, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED);
}

static int make_screen_texture(struct sdl_window *w, int gw, int gh)
{
    if (w->screen)
        SDL_DestroyTexture(w->screen);
    w->screen = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_RGB888,
                                  SDL_TEXTUREACCESS_STREAMING, gw, gh);
    if (!w->screen)
        return -1;
    SDL_SetTextureScaleMode(w->screen, w->smooth ? SDL_ScaleModeLinear : SDL_ScaleModeNearest);
    w->tex_w = gw;
    w->tex_h = gh;
    return 0;
}

int window_frame(struct sdl_window *w, const uint32_t *px, int gw, int gh)
{
    if (!w->screen || gw != w->tex_w || gh != w->tex_h) {
        if (make_screen_texture(w, gw, gh) < 0)
            return -1;
        if (gw != w->guest_w || gh != w->guest_h) {     /* a mode change */
            w->guest_w = gw;
            w->guest_h = gh;
            fit_window(w);
        }
    }
    return SDL_UpdateTexture(w->screen, NULL, px, gw * 4) < 0 ? -1 : 0;
}

void window_output_size(struct sdl_window *w, int *ow, int *oh)
{
    if (SDL_GetRendererOutputSize(w->renderer, ow, oh) < 0)
        SDL_GetWindowSize(w->window, ow, oh);
}

/* Where the picture goes: as large as fits with its aspect ratio, in
 * whole multiples unless smooth (or the window is smaller than the
 * picture), centred. */
static SDL_Rect picture_rect(const struct sdl_window *w, int ow, int oh)
{
    double s = fmin((double)ow / w->tex_w, (double)oh / w->tex_h);
    if (!w->smooth && s >= 1.0)
        s = floor(s);
    int dw = (int)(w->tex_w * s), dh = (int)(w->tex_h * s);
    return (SDL_Rect){ (ow - dw) / 2, (oh - dh) / 2, dw, dh };
}

/* The panel's texture is uploaded again only when it was redrawn. */
static void draw_panel(struct sdl_window *w, const struct canvas *panel, bool changed)
{
    if (!w->panel || w->panel_w != panel->w || w->panel_h != panel->h) {
        changed = true;
        if (w->panel)
            SDL_DestroyTexture(w->panel);
        w->panel = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_ARGB8888,
                                     SDL_TEXTUREACCESS_STREAMING, panel->w, panel->h);
        if (!w->panel)
            return;
        SDL_SetTextureBlendMode(w->panel, SDL_BLENDMODE_BLEND);
        w->panel_w = panel->w;
        w->panel_h = panel->h;
    }
    if (changed)
        SDL_UpdateTexture(w->panel, NULL, panel->px, panel->w * 4);
    SDL_Rect dst = { 0, 0, panel->w, panel->h };
    SDL_RenderCopy(w->renderer, w->panel, NULL, &dst);
}

void window_present(struct sdl_window *w, const struct canvas *panel, bool panel_changed)
{
    int ow, oh;
    window_output_size(w, &ow, &oh);
    SDL_SetRenderDrawColor(w->renderer, 0, 0, 0, 255);
    SDL_RenderClear(w->renderer);
    if (w->screen) {
        SDL_Rect dst = picture_rect(w, ow, oh);
        SDL_RenderCopy(w->renderer, w->screen, NULL, &dst);
    }
    if (panel && panel->px)
        draw_panel(w, panel, panel_changed);
    SDL_RenderPresent(w->renderer);
}

void window_fullscreen(struct sdl_window *w, bool on)
{
    if (SDL_SetWindowFullscreen(w->window, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0) == 0)
        w->fullscreen = on;
    if (!w->fullscreen)
        fit_window(w);
}

void window_smooth(struct sdl_window *w, bool on)
{
    w->smooth = on;
    if (w->screen)
        SDL_SetTextureScaleMode(w->screen, on ? SDL_ScaleModeLinear : SDL_ScaleModeNearest);
}

void window_rescale(struct sdl_window *w, int delta)
{
    int s = w->scale + delta;
    if (s < 1 || s > MAX_SCALE)
        return;
    w->scale = s;
    fit_window(w);
}

void window_title(struct sdl_window *w, const char *title)
{
    SDL_SetWindowTitle(w->window, title);
}
