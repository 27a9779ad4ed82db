/* svg.h -- horizontal bar charts as inline SVG for the HTML report:
 * rows (categories) of grouped or stacked bars, linear or log scale. */
#ifndef X86LAB_COMPARE_SVG_H
#define X86LAB_COMPARE_SVG_H

#include <stdbool.h>
#include <stdio.h>

enum { SVG_MAX_ROWS = 32, SVG_MAX_SERIES = 10 };

enum svg_unit { SVG_NS, SVG_COUNT };

struct svg_chart {
    const char *title;                 /* for the <title> (screen readers) */
    int nrows, nseries;
    const char *row[SVG_MAX_ROWS];
    const char *series[SVG_MAX_SERIES];
    double v[SVG_MAX_ROWS][SVG_MAX_SERIES];   /* < 0: no value (n/a) */
    bool stacked;                      /* series add up along one bar per row */
    bool log_scale;
    enum svg_unit unit;
};

/* The chart as an <svg> element, with its legend. */
void svg_chart(FILE *f, const struct svg_chart *c);
/* A value as text in the chart's unit ("1.2 ms", "12,345"). */
void svg_format(char *out, size_t len, double v, enum svg_unit unit);
/* Text with <, >, & and quotes escaped. */
void html_escape(FILE *f, const char *s);

#endif
