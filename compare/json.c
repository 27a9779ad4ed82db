/* json.c -- a recursive-descent JSON reader (RFC 8259, without \u escapes
 * beyond Latin-1, which x86lab never writes), for the files of
 * --stats-json.  Depth is bounded so a hostile file cannot overflow the
 * stack. */
#include "compare/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

struct parser {
    const char *p;
    char *err;
    size_t len;
    bool failed;
};

static void fail(struct parser *ps, const char *what)
{
    if (!ps->failed)
        snprintf(ps->err, ps->len, "JSON: %s near '%.12s'", what, ps->p);
    ps->failed = true;
}

static void skip_ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static bool parse_value(struct parser *ps, struct jv *out, int depth);

static char *parse_string(struct parser *ps)
{
    size_t cap = 16, n = 0;
    char *s = malloc(cap);
    ps->p++;                                   /* the opening quote */
    while (s && *ps->p != '"') {
        char ch = *ps->p++;
        if (ch == 0 || (unsigned char)ch < 0x20) {
            fail(ps, "unterminated string");
            free(s);
            return NULL;
        }
        if (ch == '\\') {
            char e = *ps->p++;
            static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
            const char *k = e ? strchr(from, e) : NULL;
            if (k)
                ch = to[k - from];
            else if (e == 'u' && isxdigit((unsigned char)ps->p[0]) && isxdigit((unsigned char)ps->p[1]) &&
                     isxdigit((unsigned char)ps->p[2]) && isxdigit((unsigned char)ps->p[3])) {
                char hex[5] = { ps->p[0], ps->p[1], ps->p[2], ps->p[3], 0 };
                long code = strtol(hex, NULL, 16);
                ch = code < 0x100 ? (char)code : '?';
                ps->p += 4;
            } else {
                fail(ps, "bad escape");
                free(s);
                return NULL;
            }
        }
        if (n + 2 > cap) {
            char *t = realloc(s, cap *= 2);
            if (!t)
                break;
            s = t;
        }
        s[n++] = ch;
    }
    if (!s) {
        fail(ps, "out of memory");
        return NULL;
    }
    s[n] = 0;
    ps->p++;                                   /* the closing quote */
    return s;
}

static bool parse_number(struct parser *ps, struct jv *out)
{
    char *end;
    out->type = JV_NUM;
    out->num = strtod(ps->p, &end);
    if (end == ps->p)
        return fail(ps, "bad value"), false;
    if (*ps->p != '-' && !memchr(ps->p, '.', (size_t)(end - ps->p)) &&
        !memchr(ps->p, 'e', (size_t)(end - ps->p)) && !memchr(ps->p, 'E', (size_t)(end - ps->p)))
        out->u = strtoull(ps->p, NULL, 10);
    else
        out->u = out->num > 0 ? (uint64_t)out->num : 0;
    ps->p = end;
    return true;
}

/* Appends one item (and key) to an array or object. */
static struct jv *add_item(struct parser *ps, struct jv *c, char *key)
{
    struct jv *items = realloc(c->items, (size_t)(c->n + 1) * sizeof *items);
    char **keys = c->type == JV_OBJ ? realloc(c->keys, (size_t)(c->n + 1) * sizeof *keys) : NULL;
    if (items)
        c->items = items;
    if (keys)
        c->keys = keys;
    if (!items || (c->type == JV_OBJ && !keys)) {
        fail(ps, "out of memory");
        free(key);
        return NULL;
    }
    if (keys)
        keys[c->n] = key;
    memset(&items[c->n], 0, sizeof items[0]);
    return &items[c->n++];
}

static bool parse_container(struct parser *ps, struct jv *out, int depth)
{
    bool obj = *ps->p == '{';
    char close = obj ? '}' : ']';
    out->type = obj ? JV_OBJ : JV_ARR;
    ps->p++;
    skip_ws(ps);
    if (*ps->p == close)
        return ps->p++, true;
    for (;;) {
        char *key = NULL;
        skip_ws(ps);
        if (obj) {
            if (*ps->p != '"')
                return fail(ps, "expected a key"), false;
            if (!(key = parse_string(ps)))
                return false;
            skip_ws(ps);
            if (*ps->p++ != ':')
                return free(key), fail(ps, "expected ':'"), false;
        }
        struct jv *item = add_item(ps, out, key);
        if (!item || !parse_value(ps, item, depth + 1))
            return false;
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == close)
            return ps->p++, true;
        return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'"), false;
    }
}

static bool parse_value(struct parser *ps, struct jv *out, int depth)
{
    if (depth > MAX_DEPTH)
        return fail(ps, "nested too deeply"), false;
    skip_ws(ps);
    char c = *ps->p;
    if (c == '{' || c == '[')
        return parse_container(ps, out, depth);
    if (c == '"') {
        out->type = JV_STR;
        return (out->str = parse_string(ps)) != NULL;
    }
    static const struct { const char *word; enum jv_type t; bool b; } words[] = {
        { "true", JV_BOOL, true }, { "false", JV_BOOL, false }, { "null", JV_NULL, false },
    };
    for (size_t k = 0; k < 3; k++)
        if (!strncmp(ps->p, words[k].word, strlen(words[k].word))) {
            out->type = words[k].t;
            out->b = words[k].b;
            ps->p += strlen(words[k].word);
            return true;
        }
    return parse_number(ps, out);
}

static void free_inner(struct jv *v)
{
    for (int k = 0; k < v->n; k++) {
        free_inner(&v->items[k]);
        if (v->keys)
            free(v->keys[k]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
}

void jv_free(struct jv *v)
{
    if (v) {
        free_inner(v);
        free(v);
    }
}

struct jv *jv_parse(const char *text, char *err, size_t len)
{
    struct parser ps = { text, err, len, false };
    struct jv *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, len, "JSON: out of memory");
        return NULL;
    }
    if (parse_value(&ps, v, 0)) {
        skip_ws(&ps);
        if (*ps.p)
            fail(&ps, "text after the value");
    }
    if (ps.failed) {
        jv_free(v);
        return NULL;
    }
    return v;
}

const struct jv *jv_get(const struct jv *obj, const char *key)
{
    if (!obj || obj->type != JV_OBJ)
        return NULL;
    for (int k = 0; k < obj->n; k++)
        if (!strcmp(obj->keys[k], key))
            return &obj->items[k];
    return NULL;
}

uint64_t jv_u64(const struct jv *obj, const char *key)
{
    const struct jv *v = jv_get(obj, key);
    return v && v->type == JV_NUM ? v->u : 0;
}

const char *jv_str(const struct jv *obj, const char *key)
{
    const struct jv *v = jv_get(obj, key);
    return v && v->type == JV_STR ? v->str : "";
}
