/*
 * gdb's printf (see wb_printf.h). The format is parsed into pieces, the
 * arguments are evaluated, then each conversion is formatted by the host's
 * snprintf with the conversion's own text ("%-8.3e"), as gdb formats
 * them: the parser admits only what C's printf takes (and gdb accepts),
 * and every argument is converted to the C type the conversion names.
 */
#define _GNU_SOURCE /* asprintf */
#include "wb_printf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How a conversion takes its argument (gdb's argclass). */
typedef enum arg_class {
    ARG_LITERAL, /* no argument: literal text */
    ARG_INT,     /* d i u o x X c, no length (h: the host's printf narrows) */
    ARG_LONG,    /* l */
    ARG_LONG_LONG,
    ARG_SIZE,   /* z */
    ARG_STRING, /* s */
    ARG_POINTER,
    ARG_DOUBLE,
    ARG_LONG_DOUBLE, /* L */
} arg_class;

typedef struct piece {
    arg_class cls;
    char *text; /* literal text, or the conversion as written ("%-5d") */
} piece;

typedef struct pieces {
    piece *v;
    size_t n, cap;
} pieces;

/* The longest string %s reads (gdb reads up to the NUL, whatever the
 * length; a bound keeps a missing NUL from reading all of memory). */
#define STRING_MAX (1u << 20)

static void pieces_free(pieces *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].text);
    free(p->v);
}

static wb_status push(pieces *p, arg_class cls, const char *text, size_t len, wb_error *err)
{
    char *t = len || cls == ARG_LITERAL ? strndup(text, len) : NULL;
    if (!t || !wb_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) {
        free(t);
        return wb_fail(err, "out of memory");
    }
    p->v[p->n++] = (piece){cls, t};
    return WB_OK;
}

/* The format string after its opening quote, its escapes replaced, into
 * fmt; *pp is left after the closing quote. */
static wb_status unescape(const char **pp, wb_sbuf *fmt, wb_error *err)
{
    static const char from[] = "\\abefnrtv\"", to[] = "\\\a\b\033\f\n\r\t\v\"";
    const char *p = *pp;
    for (;;) {
        char ch = *p++;
        if (ch == '"') break;
        if (ch == 0) return wb_fail(err, "Bad format string, non-terminated '\"'.");
        if (ch == '\\') {
            ch = *p++;
            const char *k = ch ? strchr(from, ch) : NULL;
            /* gdb prints the character with %c: a NUL (the backslash
             * ended the command) ends its message there */
            if (!k) return wb_fail(err, "Unrecognized escape character \\%c in format string.", ch);
            ch = to[k - from];
        }
        wb_sb_addn(fmt, &ch, 1);
    }
    *pp = p;
    return WB_OK;
}

/* Splits the format into literal pieces and conversions, checking each
 * conversion as gdb does. */
static wb_status parse_format(const char *f, pieces *out, wb_error *err)
{
    wb_sbuf lit = {0};
    wb_status st = WB_OK;
    while (*f && st == WB_OK) {
        if (*f != '%') {
            wb_sb_addn(&lit, f++, 1);
            continue;
        }
        if (f[1] == '%') {
            wb_sb_add(&lit, "%");
            f += 2;
            continue;
        }
        const char *start = f++;
        bool hash = false, zero = false, space = false, plus = false;
        for (; *f && strchr("0-+ #", *f); f++) {
            hash |= *f == '#';
            zero |= *f == '0';
            space |= *f == ' ';
            plus |= *f == '+';
        }
        f += strspn(f, "0123456789");
        bool prec = *f == '.';
        if (prec) {
            f++;
            f += strspn(f, "0123456789");
        }
        int longs = 0;
        bool h = false, big_l = false, size_t_len = false;
        if (*f == 'h') {
            h = true;
            f++;
        } else if (*f == 'l') {
            longs = f[1] == 'l' ? 2 : 1;
            f += longs;
        } else if (*f == 'L') {
            big_l = true;
            f++;
        } else if (*f == 'z') {
            size_t_len = true;
            f++;
        }
        arg_class cls = ARG_INT;
        bool bad = false, wide = false;
        switch (*f) {
        case 'u':
        case 'o':
        case 'x':
        case 'X':
        case 'd':
        case 'i':
            bad = (*f == 'u' && hash) || (strchr("uoxX", *f) && (space || plus)) || big_l;
            cls = size_t_len   ? ARG_SIZE
                  : longs == 0 ? ARG_INT
                  : longs == 1 ? ARG_LONG
                               : ARG_LONG_LONG;
            break;
        case 'c':
            wide = longs > 0;
            bad = longs > 1 || h || big_l || prec || zero || space || plus;
            break;
        case 'p':
            cls = ARG_POINTER;
            bad = longs || h || big_l || prec || hash || zero || space || plus;
            break;
        case 's':
            cls = ARG_STRING;
            wide = longs > 0;
            bad = longs > 1 || h || big_l || zero || space || plus;
            break;
        case 'e':
        case 'f':
        case 'g':
        case 'E':
        case 'G':
            cls = big_l ? ARG_LONG_DOUBLE : ARG_DOUBLE;
            bad = longs || h;
            break;
        case '*': st = wb_fail(err, "`*' not supported for precision or width in printf"); break;
        case 'n': st = wb_fail(err, "Format specifier `n' not supported in printf"); break;
        case 0: st = wb_fail(err, "Incomplete format specifier at end of format string"); break;
        default: st = wb_fail(err, "Unrecognized format specifier '%c' in printf", *f); break;
        }
        if (st != WB_OK) break;
        if (bad) {
            st = wb_fail(err, "Inappropriate modifiers to format specifier '%c' in printf", *f);
            break;
        }
        if (wide) {
            st = wb_fail(err, "wdb's printf has no wide characters (%%l%c)", *f);
            break;
        }
        f++;
        if (lit.len) st = push(out, ARG_LITERAL, lit.s, lit.len, err);
        lit.len = 0;
        if (st == WB_OK) st = push(out, cls, start, (size_t)(f - start), err);
    }
    if (st == WB_OK && lit.len) st = push(out, ARG_LITERAL, lit.s, lit.len, err);
    if (st == WB_OK && lit.oom) st = wb_fail(err, "out of memory");
    free(lit.s);
    return st;
}

/* The end of the argument starting at p: the first comma outside
 * parentheses, brackets, braces and quotes, or the end. */
static const char *arg_end(const char *p)
{
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p;
            while (p[1] && p[1] != q)
                p += p[1] == '\\' && p[2] ? 2 : 1;
            if (p[1]) p++;
        } else if (strchr("([{", *p)) {
            depth++;
        } else if (strchr(")]}", *p)) {
            depth--;
        } else if (*p == ',' && depth <= 0) {
            break;
        }
    }
    return p;
}

static bool is_aggregate(const wb_type *t)
{
    return !t || t->kind == WB_TYPE_STRUCT || t->kind == WB_TYPE_UNION ||
           t->kind == WB_TYPE_ARRAY || t->kind == WB_TYPE_VOID || t->kind == WB_TYPE_FUNCTION;
}

/* gdb's value_as_long: a scalar's value, an array in memory's address. */
static wb_status as_integer(const wb_value *v, int64_t *out, wb_error *err)
{
    const wb_type *t = wb_type_strip(v->type);
    if (t && t->kind == WB_TYPE_ARRAY && v->kind == WB_VAL_MEMORY) {
        *out = (int64_t)v->addr;
        return WB_OK;
    }
    if (is_aggregate(t) && v->kind != WB_VAL_OPTIMIZED)
        return wb_fail(err, "Value can't be converted to integer.");
    return wb_value_as_i64(v, out, err);
}

/* A floating conversion's argument, by gdb's rule: a floating value
 * converted; else the bits of a value as wide as a float or a double; else
 * a scalar converted. */
static wb_status as_floating(const wb_value *v, double *out, wb_error *err)
{
    const wb_type *t = wb_type_strip(v->type);
    if (v->kind == WB_VAL_OPTIMIZED || (t && t->kind == WB_TYPE_BASE && t->enc == WB_ENC_FLOAT))
        return wb_value_as_double(v, out, err);
    if (v->bytes && !v->missing && v->size == 4) {
        float f;
        memcpy(&f, v->bytes, 4);
        *out = f;
        return WB_OK;
    }
    if (v->bytes && !v->missing && v->size == 8) {
        memcpy(out, v->bytes, 8);
        return WB_OK;
    }
    if (is_aggregate(t)) return wb_fail(err, "Invalid cast.");
    return wb_value_as_double(v, out, err);
}

static bool is_char_array(const wb_type *t)
{
    if (!t || t->kind != WB_TYPE_ARRAY) return false;
    const wb_type *e = wb_type_strip(t->target);
    return e && e->kind == WB_TYPE_BASE && e->size == 1 &&
           (e->enc == WB_ENC_SIGNED_CHAR || e->enc == WB_ENC_UNSIGNED_CHAR);
}

/* The text of a %s argument, NUL-terminated, into *text (malloc'd): a
 * computed char array's bytes, else the string in memory at the
 * argument's address (a char array's own), "(null)" for 0. */
static wb_status string_arg(const wb_value *v, const wb_eval_env *env, char **text, wb_error *err)
{
    const wb_type *t = wb_type_strip(v->type);
    if (is_char_array(t) && v->kind != WB_VAL_MEMORY && v->bytes) {
        *text = strndup((const char *)v->bytes, v->size);
        return *text ? WB_OK : wb_fail(err, "out of memory");
    }
    int64_t addr;
    if (as_integer(v, &addr, err) != WB_OK) return WB_ERROR;
    if (addr == 0) {
        *text = strdup("(null)");
        return *text ? WB_OK : wb_fail(err, "out of memory");
    }
    uint64_t a = (uint64_t)addr & 0xffffffffu; /* wasm32 */
    uint8_t *buf = malloc(STRING_MAX + 1);
    if (!buf) return wb_fail(err, "out of memory");
    bool nul, failed;
    size_t len = wb_value_read_cstring(env, a, buf, STRING_MAX, &nul, &failed);
    if (!nul) {
        free(buf);
        if (failed) return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, a + len);
        return wb_fail(err, "The string at 0x%" PRIx64 " has no NUL in its first %u bytes.", a,
                       STRING_MAX);
    }
    buf[len] = 0;
    *text = (char *)buf;
    return WB_OK;
}

/* The host formats one conversion: its text is one the parser admitted
 * and the argument has the C type it names. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static wb_status format_one(const piece *pc, const wb_value *v, const wb_eval_env *env,
                            wb_sbuf *out, wb_error *err)
{
    char *text = NULL, *own = NULL;
    int n = -1;
    int64_t i = 0;
    double d = 0;
    switch (pc->cls) {
    case ARG_INT:
    case ARG_LONG:
    case ARG_LONG_LONG:
    case ARG_SIZE:
        if (as_integer(v, &i, err) != WB_OK) return WB_ERROR;
        if (pc->cls == ARG_INT)
            n = asprintf(&text, pc->text, (int)i);
        else if (pc->cls == ARG_LONG)
            n = asprintf(&text, pc->text, (long)i);
        else if (pc->cls == ARG_LONG_LONG)
            n = asprintf(&text, pc->text, (long long)i);
        else
            n = asprintf(&text, pc->text, (size_t)i);
        break;
    case ARG_DOUBLE:
    case ARG_LONG_DOUBLE:
        if (as_floating(v, &d, err) != WB_OK) return WB_ERROR;
        if (pc->cls == ARG_DOUBLE)
            n = asprintf(&text, pc->text, d);
        else
            n = asprintf(&text, pc->text, (long double)d);
        break;
    case ARG_STRING:
        if (string_arg(v, env, &own, err) != WB_OK) return WB_ERROR;
        n = asprintf(&text, pc->text, own);
        break;
    case ARG_POINTER: {
        if (as_integer(v, &i, err) != WB_OK) return WB_ERROR;
        /* glibc's %p: 0x and hex digits, or (nil); the flags and width
         * (only `-` and digits get here) apply to all of it */
        char spec[64];
        size_t flags = strlen(pc->text) - 1; /* without the p */
        if (flags > sizeof spec - 8) flags = sizeof spec - 8;
        if (i == 0) {
            snprintf(spec, sizeof spec, "%.*ss", (int)flags, pc->text);
            n = asprintf(&text, spec, "(nil)");
        } else {
            snprintf(spec, sizeof spec, "%%#%.*sllx", (int)flags - 1, pc->text + 1);
            n = asprintf(&text, spec, (unsigned long long)(uint32_t)i);
        }
        break;
    }
    case ARG_LITERAL: break;
    }
    free(own);
    if (n < 0) return wb_fail(err, "out of memory");
    wb_sb_add(out, text); /* up to a NUL, as gdb prints it */
    free(text);
    return WB_OK;
}
#pragma GCC diagnostic pop

wb_status wb_printf(const char *args, wb_printf_eval eval, void *user, const wb_eval_env *env,
                    wb_sbuf *out, wb_error *err)
{
    const char *p = args;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p) return wb_fail(err, "Argument required (format-control string and values to print).");
    if (*p++ != '"') return wb_fail(err, "Bad format string, missing '\"'.");
    wb_sbuf fmt = {0};
    pieces pcs = {0};
    wb_value *vals = NULL;
    size_t nvals = 0, capvals = 0, wanted = 0;
    wb_status st = unescape(&p, &fmt, err);
    if (st == WB_OK)
        st = fmt.oom ? wb_fail(err, "out of memory") : parse_format(fmt.s ? fmt.s : "", &pcs, err);
    while (st == WB_OK && (*p == ' ' || *p == '\t'))
        p++;
    if (st == WB_OK && *p && *p != ',') st = wb_fail(err, "Invalid argument syntax");
    if (*p == ',') p++;
    /* every argument is evaluated first, as gdb does */
    while (st == WB_OK) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p) break;
        const char *e = arg_end(p);
        if (!wb_grow((void **)&vals, &capvals, nvals + 1, sizeof *vals)) {
            st = wb_fail(err, "out of memory");
            break;
        }
        st = eval(user, p, (size_t)(e - p), &vals[nvals], err);
        if (st != WB_OK) break;
        nvals++;
        p = *e ? e + 1 : e;
    }
    for (size_t i = 0; i < pcs.n; i++)
        wanted += pcs.v[i].cls != ARG_LITERAL;
    if (st == WB_OK && nvals != wanted)
        st = wb_fail(err, "Wrong number of arguments for specified format-string");
    for (size_t i = 0, k = 0; st == WB_OK && i < pcs.n; i++) {
        if (pcs.v[i].cls == ARG_LITERAL)
            wb_sb_add(out, pcs.v[i].text);
        else
            st = format_one(&pcs.v[i], &vals[k++], env, out, err);
    }
    for (size_t i = 0; i < nvals; i++)
        wb_value_free(&vals[i]);
    free(vals);
    pieces_free(&pcs);
    free(fmt.s);
    return st;
}
