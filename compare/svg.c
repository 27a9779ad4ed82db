/* svg.c -- the report's charts, drawn as inline SVG (no script, nothing
 * fetched): one row per category, one bar per series (or one stacked bar),
 * on a linear or a log scale, each bar labelled with its value. */
#include "compare/svg.h"

#include <math.h>
#include <string.h>

enum { WIDTH = 820, LABEL_W = 190, BAR_W = 470, BAR_H = 14, ROW_GAP = 10, TOP = 8, LEGEND_H = 24 };

static const char *const colors[SVG_MAX_SERIES] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f",
    "#ff9da7", "#bab0ac",
};

void html_escape(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
        }
}

void svg_format(char *out, size_t len, double v, enum svg_unit unit)
{
    if (v < 0)
        snprintf(out, len, "n/a");
    else if (unit == SVG_COUNT)
        snprintf(out, len, "%.0f", v);
    else if (v >= 1e9)
        snprintf(out, len, "%.3f s", v / 1e9);
    else if (v >= 1e6)
        snprintf(out, len, "%.2f ms", v / 1e6);
    else if (v >= 1e4)
        snprintf(out, len, "%.1f us", v / 1e3);
    else
        snprintf(out, len, "%.1f ns", v);
}

/* The largest bar (sum of a row when stacked) and the smallest value. */
static void extent(const struct svg_chart *c, double *max, double *min)
{
    *max = 0;
    *min = -1;
    for (int r = 0; r < c->nrows; r++) {
        double sum = 0;
        for (int s = 0; s < c->nseries; s++) {
            double v = c->v[r][s];
            if (v <= 0)
                continue;
            sum = c->stacked ? sum + v : (v > sum ? v : sum);
            if (*min < 0 || v < *min)
                *min = v;
        }
        if (sum > *max)
            *max = sum;
    }
}

/* Pixels for value v (log scale: from a decade below the smallest). */
static double scale(const struct svg_chart *c, double v, double max, double min)
{
    if (v <= 0 || max <= 0)
        return 0;
    if (!c->log_scale)
        return v / max * BAR_W;
    double lo = floor(log10(min)) - 0.0, hi = log10(max);
    if (hi <= lo)
        return BAR_W;
    double x = (log10(v) - lo + 0.15) / (hi - lo + 0.15) * BAR_W;
    return x < 2 ? 2 : x;
}

static int rows_height(const struct svg_chart *c)
{
    int bars = c->stacked ? 1 : c->nseries;
    return c->nrows * (bars * BAR_H + ROW_GAP);
}

static void legend(FILE *f, const struct svg_chart *c, int y)
{
    int x = LABEL_W;
    for (int s = 0; s < c->nseries; s++) {
        fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", x, y,
                colors[s]);
        fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", x + 16, y + 11);
        html_escape(f, c->series[s]);
        fprintf(f, "</text>\n");
        x += 28 + 7 * (int)strlen(c->series[s]);
    }
}

static void one_row(FILE *f, const struct svg_chart *c, int r, int y, double max, double min)
{
    char text[48];
    int bars = c->stacked ? 1 : c->nseries;
    fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">", LABEL_W - 8,
            y + bars * BAR_H / 2 + 4);
    html_escape(f, c->row[r]);
    fprintf(f, "</text>\n");
    double x = LABEL_W, total = 0;
    for (int s = 0; s < c->nseries; s++) {
        double v = c->v[r][s];
        int by = c->stacked ? y : y + s * BAR_H;
        double w = scale(c, v, max, min);
        if (!c->stacked)
            x = LABEL_W;
        if (w > 0)
            fprintf(f, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", x,
                    by, w, BAR_H - 2, colors[s]);
        if (!c->stacked) {
            svg_format(text, sizeof text, v, c->unit);
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>\n", x + w + 4,
                    by + BAR_H - 4, text);
        }
        x += c->stacked ? w : 0;
        total += v > 0 ? v : 0;
    }
    if (c->stacked) {
        svg_format(text, sizeof text, total, c->unit);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>\n", x + 4, y + BAR_H - 4,
                text);
    }
}

void svg_chart(FILE *f, const struct svg_chart *c)
{
    double max, min;
    extent(c, &max, &min);
    int h = TOP + rows_height(c) + LEGEND_H + 4;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\" font-family=\"sans-serif\">\n<title>",
            WIDTH, h, WIDTH, h);
    html_escape(f, c->title);
    fprintf(f, "</title>\n<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n",
            LABEL_W, LABEL_W, TOP + rows_height(c));
    int y = TOP;
    for (int r = 0; r < c->nrows; r++) {
        one_row(f, c, r, y, max, min);
        y += (c->stacked ? 1 : c->nseries) * BAR_H + ROW_GAP;
    }
    legend(f, c, y + 4);
    fprintf(f, "</svg>\n");
}
