/* json.h -- a small JSON reader for `x86lab compare`: it reads back the
 * --stats-json files its runs wrote (objects, arrays, strings, numbers,
 * true/false/null), into one tree freed at once. */
#ifndef X86LAB_COMPARE_JSON_H
#define X86LAB_COMPARE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
    enum jv_type type;
    bool b;
    double num;
    uint64_t u;                /* the number, exactly, when a non-negative integer */
    char *str;
    int n;                     /* items of an array or object */
    struct jv *items;
    char **keys;               /* an object's keys, beside items */
};

/* Parses text; NULL with a one-line reason in err on bad input. */
struct jv *jv_parse(const char *text, char *err, size_t len);
void jv_free(struct jv *v);
/* An object's member (NULL: not there or not an object). */
const struct jv *jv_get(const struct jv *obj, const char *key);
/* A member's value as a count (0 when missing or not a number). */
uint64_t jv_u64(const struct jv *obj, const char *key);
/* A member's string ("" when missing). */
const char *jv_str(const struct jv *obj, const char *key);

#endif
