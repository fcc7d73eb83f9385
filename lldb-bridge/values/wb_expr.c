/*
 * wb_expr: the C expression evaluator of wb_value.h: a tokenizer, a
 * recursive-descent parser that evaluates as it parses (an operand that
 * must not be evaluated, the untaken side of && || ?: and the operand
 * of sizeof, is parsed in "skip" mode: no reads, no writes, no errors for
 * division by zero), the value history, and the types the evaluator
 * makes (pointers, arrays, literal types), kept in a per-evaluator arena.
 *
 * Semantics are C's for wasm32 (ILP32: int, long and pointers 4 bytes,
 * long long 8), with gdb's departures where gdb's users rely on them
 * (checked against gdb 13.1): `.` works on pointers and `->` on structs,
 * `*` on an integer reads a long there, `?:` yields the chosen operand
 * unconverted, sizeof has type int, and the error messages are gdb's.
 */
#include "wb_value.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 256           /* nesting of parentheses and unary operators */
#define MAX_VALUE (64u * 1024u) /* as wb_value.c: gdb's max-value-size */
#define MAX_TOKENS 4096

/* --------------------------------------------------------- built-ins */

enum {
    B_VOID,
    B_CHAR,
    B_SCHAR,
    B_UCHAR,
    B_SHORT,
    B_USHORT,
    B_INT,
    B_UINT,
    B_LONG,
    B_ULONG,
    B_LLONG,
    B_ULLONG,
    B_FLOAT,
    B_DOUBLE,
    B_LDOUBLE,
    B_BOOL,
    B_COUNT
};

#define BASE(n, sz, e)                                                                             \
    {                                                                                              \
        .kind = WB_TYPE_BASE, .name = n, .qualified_name = n, .size = sz, .enc = e                 \
    }
static const wb_type builtin[B_COUNT] = {
    [B_VOID] = {.kind = WB_TYPE_VOID, .name = "void", .qualified_name = "void"},
    [B_CHAR] = BASE("char", 1, WB_ENC_SIGNED_CHAR),
    [B_SCHAR] = BASE("signed char", 1, WB_ENC_SIGNED_CHAR),
    [B_UCHAR] = BASE("unsigned char", 1, WB_ENC_UNSIGNED_CHAR),
    [B_SHORT] = BASE("short", 2, WB_ENC_SIGNED),
    [B_USHORT] = BASE("unsigned short", 2, WB_ENC_UNSIGNED),
    [B_INT] = BASE("int", 4, WB_ENC_SIGNED),
    [B_UINT] = BASE("unsigned int", 4, WB_ENC_UNSIGNED),
    [B_LONG] = BASE("long", 4, WB_ENC_SIGNED),
    [B_ULONG] = BASE("unsigned long", 4, WB_ENC_UNSIGNED),
    [B_LLONG] = BASE("long long", 8, WB_ENC_SIGNED),
    [B_ULLONG] = BASE("unsigned long long", 8, WB_ENC_UNSIGNED),
    [B_FLOAT] = BASE("float", 4, WB_ENC_FLOAT),
    [B_DOUBLE] = BASE("double", 8, WB_ENC_FLOAT),
    [B_LDOUBLE] = BASE("long double", 16, WB_ENC_FLOAT),
    [B_BOOL] = BASE("_Bool", 1, WB_ENC_BOOL),
};
#undef BASE

/* ---------------------------------------------------------- evaluator */

typedef struct arena_block {
    struct arena_block *next;
    max_align_t data[];
} arena_block;

/* A derived type the evaluator made, found again by what it was made of,
 * so that printing `p` a thousand times makes one `int *`. */
typedef struct derived {
    int kind; /* 'p' pointer, 'a' array of n, 'r' row of dims */
    const wb_type *of;
    uint64_t n;
    const wb_type *t;
} derived;

struct wb_eval {
    arena_block *arena;
    derived *derived;
    size_t nderived, capderived;
    wb_value *history;
    size_t nhistory, caphistory;
    struct conv_var {
        char name[32]; /* without the $ */
        int64_t value;
    } * vars; /* convenience variables the debugger sets ($bpnum) */
    size_t nvars, capvars;
};

wb_eval *wb_eval_new(void)
{
    return calloc(1, sizeof(wb_eval));
}

void wb_eval_free(wb_eval *e)
{
    if (!e) return;
    for (size_t i = 0; i < e->nhistory; i++)
        wb_value_free(&e->history[i]);
    free(e->history);
    free(e->vars);
    free(e->derived);
    while (e->arena) {
        arena_block *n = e->arena->next;
        free(e->arena);
        e->arena = n;
    }
    free(e);
}

static void *arena_alloc(wb_eval *e, size_t size)
{
    arena_block *b = calloc(1, sizeof *b + size);
    if (!b) return NULL;
    b->next = e->arena;
    e->arena = b;
    return b->data;
}

unsigned wb_eval_record(wb_eval *e, const wb_value *v)
{
    if (!wb_grow((void **)&e->history, &e->caphistory, e->nhistory + 1, sizeof *e->history))
        return 0;
    if (wb_value_copy(&e->history[e->nhistory], v, NULL) != WB_OK) return 0;
    return (unsigned)++e->nhistory;
}

bool wb_eval_set_int(wb_eval *e, const char *name, int64_t value)
{
    if (strlen(name) >= sizeof e->vars->name) return false;
    size_t i = 0;
    while (i < e->nvars && strcmp(e->vars[i].name, name) != 0)
        i++;
    if (i == e->nvars) {
        if (!wb_grow((void **)&e->vars, &e->capvars, e->nvars + 1, sizeof *e->vars)) return false;
        snprintf(e->vars[e->nvars++].name, sizeof e->vars->name, "%s", name);
    }
    e->vars[i].value = value;
    return true;
}

/* ------------------------------------------------------------- tokens */

enum {
    T_END = 0,
    T_NUM = 256,
    T_FLOAT,
    T_CHAR,
    T_STR,
    T_IDENT,
    T_DOLLAR,
    T_ARROW,
    T_INC,
    T_DEC,
    T_SHL,
    T_SHR,
    T_LE,
    T_GE,
    T_EQ,
    T_NE,
    T_ANDAND,
    T_OROR,
    T_ASSIGN_OP, /* op= ; `op` says which */
};

typedef struct tok {
    int kind;
    int op;       /* T_ASSIGN_OP: the binary operator */
    size_t start; /* offset in the source */
    size_t len;
} tok;

typedef struct parser {
    wb_eval *e;
    const wb_eval_env *env;
    const char *src;
    tok *toks;
    size_t ntoks, pos;
    int skip;     /* > 0: parse without effects */
    int lazy;     /* > 0: parsing the operand of `&`: a failed read is
                     remembered, not reported, since `&` needs only the
                     address (`&((struct s *)0)->m`); using the unread
                     contents reports it */
    bool pending; /* a read failed under `lazy` */
    uint64_t pending_addr;
    int depth;
    wb_error *err;
    bool failed;
} parser;

static bool fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(parser *p, const char *fmt, ...)
{
    if (!p->failed && p->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
        va_end(ap);
    }
    p->failed = true;
    return false;
}

static const tok *cur(const parser *p)
{
    return &p->toks[p->pos];
}
static int kind(const parser *p)
{
    return p->toks[p->pos].kind;
}

static bool syntax_error(parser *p)
{
    const tok *t = cur(p);
    return fail(p, "A syntax error in expression, near `%s'.", p->src + t->start);
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
static bool is_ident_char(char c)
{
    return is_ident_start(c) || is_digit(c);
}

static bool tokenize(parser *p)
{
    const char *s = p->src;
    size_t i = 0, cap = 0;
    for (;;) {
        while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
            i++;
        if (p->ntoks + 1 >= cap) {
            if (cap >= MAX_TOKENS) return fail(p, "Expression too long.");
            cap = cap ? cap * 2 : 32;
            tok *t = realloc(p->toks, cap * sizeof *t);
            if (!t) return fail(p, "out of memory");
            p->toks = t;
        }
        tok *t = &p->toks[p->ntoks];
        memset(t, 0, sizeof *t);
        t->start = i;
        char c = s[i];
        if (!c) {
            t->kind = T_END;
            p->ntoks++;
            return true;
        }
        int prev = p->ntoks ? p->toks[p->ntoks - 1].kind : 0;
        if (c == '.' && is_digit(s[i + 1]) && (prev == T_IDENT || prev == ')' || prev == ']')) {
            /* a Rust tuple field (t.0): the operator, then the number */
            t->kind = '.';
            t->len = 1;
            i++;
            p->ntoks++;
            continue;
        }
        if (prev == '.' && is_digit(c)) { /* t.0.1: digits only */
            size_t j = i;
            while (is_digit(s[j]))
                j++;
            t->kind = T_NUM;
            t->len = j - i;
            i = j;
        } else if (is_digit(c) || (c == '.' && is_digit(s[i + 1]))) {
            size_t j = i;
            bool flt = false, hex = c == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
            while (is_ident_char(s[j]) || s[j] == '.') {
                if (s[j] == '.') flt = true;
                if (((!hex && (s[j] == 'e' || s[j] == 'E')) ||
                     (hex && (s[j] == 'p' || s[j] == 'P'))) &&
                    (s[j + 1] == '+' || s[j + 1] == '-')) {
                    flt = true;
                    j++;
                } else if (!hex && (s[j] == 'e' || s[j] == 'E')) {
                    flt = true;
                } else if (hex && (s[j] == 'p' || s[j] == 'P')) {
                    flt = true;
                }
                j++;
            }
            t->kind = flt ? T_FLOAT : T_NUM;
            t->len = j - i;
            i = j;
        } else if (is_ident_start(c) || (c == ':' && s[i + 1] == ':')) {
            size_t j = i;
            for (;;) {
                if (s[j] == ':' && s[j + 1] == ':') j += 2;
                if (!is_ident_start(s[j])) break;
                while (is_ident_char(s[j]))
                    j++;
                if (!(s[j] == ':' && s[j + 1] == ':')) break;
            }
            if (j == i || (s[j - 1] == ':'))
                return fail(p, "A syntax error in expression, near `%s'.", s + i);
            t->kind = T_IDENT;
            t->len = j - i;
            i = j;
        } else if (c == '$') {
            size_t j = i + 1;
            if (s[j] == '$') j++;
            while (is_ident_char(s[j]))
                j++;
            t->kind = T_DOLLAR;
            t->len = j - i;
            i = j;
        } else if (c == '\'' || c == '"') {
            size_t j = i + 1;
            while (s[j] && s[j] != c) {
                if (s[j] == '\\' && s[j + 1]) j++;
                j++;
            }
            if (!s[j])
                return fail(p, c == '"' ? "Unterminated string in expression."
                                        : "Unmatched single quote.");
            t->kind = c == '"' ? T_STR : T_CHAR;
            t->len = j + 1 - i;
            i = j + 1;
        } else {
            static const struct {
                const char *text;
                int kind, op;
            } ops[] = {
                {"<<=", T_ASSIGN_OP, T_SHL},
                {">>=", T_ASSIGN_OP, T_SHR},
                {"->", T_ARROW, 0},
                {"++", T_INC, 0},
                {"--", T_DEC, 0},
                {"<<", T_SHL, 0},
                {">>", T_SHR, 0},
                {"<=", T_LE, 0},
                {">=", T_GE, 0},
                {"==", T_EQ, 0},
                {"!=", T_NE, 0},
                {"&&", T_ANDAND, 0},
                {"||", T_OROR, 0},
                {"+=", T_ASSIGN_OP, '+'},
                {"-=", T_ASSIGN_OP, '-'},
                {"*=", T_ASSIGN_OP, '*'},
                {"/=", T_ASSIGN_OP, '/'},
                {"%=", T_ASSIGN_OP, '%'},
                {"&=", T_ASSIGN_OP, '&'},
                {"|=", T_ASSIGN_OP, '|'},
                {"^=", T_ASSIGN_OP, '^'},
            };
            bool found = false;
            for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
                size_t n = strlen(ops[k].text);
                if (strncmp(s + i, ops[k].text, n) == 0) {
                    t->kind = ops[k].kind;
                    t->op = ops[k].op;
                    t->len = n;
                    found = true;
                    break;
                }
            }
            if (!found) {
                if (!strchr("+-*/%<>=!~&|^?:.,()[]@", c))
                    return fail(p, "Invalid character '%c' in expression.", c);
                t->kind = (unsigned char)c;
                t->len = 1;
            }
            i += t->len;
        }
        p->ntoks++;
    }
}

static bool tok_is(const parser *p, size_t at, const char *word)
{
    const tok *t = &p->toks[at];
    return t->kind == T_IDENT && t->len == strlen(word) &&
           strncmp(p->src + t->start, word, t->len) == 0;
}

static char *tok_text(const parser *p, const tok *t)
{
    char *s = malloc(t->len + 1);
    if (s) {
        memcpy(s, p->src + t->start, t->len);
        s[t->len] = 0;
    }
    return s;
}

/* -------------------------------------------------------------- types */

static const wb_type *derive(parser *p, int kind, const wb_type *of, uint64_t n)
{
    wb_eval *e = p->e;
    for (size_t i = 0; i < e->nderived; i++)
        if (e->derived[i].kind == kind && e->derived[i].of == of && e->derived[i].n == n)
            return e->derived[i].t;
    if (!wb_grow((void **)&e->derived, &e->capderived, e->nderived + 1, sizeof *e->derived))
        return fail(p, "out of memory"), NULL;
    wb_type *t = arena_alloc(e, sizeof *t + 8 * sizeof(uint64_t));
    if (!t) return fail(p, "out of memory"), NULL;
    uint64_t *dims = (uint64_t *)(t + 1);
    t->rust = of && wb_type_strip(of) && wb_type_strip(of)->rust; /* &x of a Rust value */
    if (kind == 'p') {
        t->kind = WB_TYPE_POINTER;
        t->size = 4;
        t->target = of;
    } else if (kind == 'a') {
        t->kind = WB_TYPE_ARRAY;
        t->target = of;
        dims[0] = n;
        t->ndims = 1;
        t->dims = dims;
        uint64_t es = wb_type_size(of);
        t->size = es && n > UINT64_MAX / es ? UINT64_MAX : es * n;
    } else { /* the rows of array `of` below dimension n */
        size_t nd = of->ndims - (size_t)n;
        if (nd > 8) return fail(p, "array has too many dimensions"), NULL;
        t->kind = WB_TYPE_ARRAY;
        t->target = of->target;
        for (size_t i = 0; i < nd; i++)
            dims[i] = of->dims[n + i];
        t->ndims = nd;
        t->dims = dims;
        t->size = wb_type_size(t);
    }
    e->derived[e->nderived++] = (derived){kind, of, n, t};
    return t;
}

static const wb_type *pointer_to(parser *p, const wb_type *t)
{
    return derive(p, 'p', t, 0);
}

/* The type of one element of array type `s` (stripped): a row for
 * multi-dimensional arrays. */
static const wb_type *element_type(parser *p, const wb_type *s)
{
    if (s->ndims > 1) return derive(p, 'r', s, 1);
    return s->target;
}

static wb_type *new_type(parser *p, wb_type_kind k, const wb_type *target)
{
    wb_type *t = arena_alloc(p->e, sizeof *t);
    if (!t) return fail(p, "out of memory"), NULL;
    t->kind = k;
    t->target = target;
    return t;
}

/* ------------------------------------------------------------- values */

typedef wb_value val;

static void vfree(val *v)
{
    wb_value_free(v);
    memset(v, 0, sizeof *v);
}

static void store_le(uint8_t *b, size_t n, uint64_t v)
{
    for (size_t i = 0; i < n; i++)
        b[i] = i < 8 ? (uint8_t)(v >> (8 * i)) : (uint8_t)((int64_t)v < 0 ? 0xff : 0);
}

static uint64_t load_le(const uint8_t *b, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static bool new_value(parser *p, const wb_type *t, val *out)
{
    if (wb_value_from_bytes(t, NULL, 0, out, p->err) != WB_OK)
        return fail(p, "%s", p->err ? p->err->msg : "error");
    return true;
}

static bool mk_int(parser *p, const wb_type *t, uint64_t v, val *out)
{
    if (!new_value(p, t, out)) return false;
    store_le(out->bytes, out->size, v);
    return true;
}

static bool mk_double(parser *p, const wb_type *t, double d, val *out)
{
    if (!new_value(p, t, out)) return false;
    if (out->size == 4) {
        float f = (float)d;
        memcpy(out->bytes, &f, 4);
    } else if (out->size == 8) {
        memcpy(out->bytes, &d, 8);
    } else {
        vfree(out);
        return fail(p, "long double arithmetic is not supported");
    }
    return true;
}

/* Reads an object of type t at addr into *out (a memory lvalue). */
/* Contents read under `lazy` that failed are about to be used. */
static bool check_pending(parser *p)
{
    if (p->pending) return fail(p, "Cannot access memory at address 0x%" PRIx64, p->pending_addr);
    return true;
}

static bool read_obj(parser *p, const wb_type *t, uint64_t addr, val *out)
{
    uint64_t size = wb_type_size(t);
    memset(out, 0, sizeof *out);
    if (!check_pending(p)) return false;
    if (size > MAX_VALUE)
        return fail(p, "value requires %" PRIu64 " bytes, which is more than max-value-size", size);
    if (!new_value(p, t, out)) return false;
    out->kind = WB_VAL_MEMORY;
    out->addr = addr;
    if (p->skip || !out->size) return true;
    if (!p->env->read_memory ||
        p->env->read_memory(p->env->user, addr, out->bytes, out->size, NULL) != WB_OK) {
        if (p->lazy) {
            p->pending = true;
            p->pending_addr = addr;
            return true;
        }
        vfree(out);
        return fail(p, "Cannot access memory at address 0x%" PRIx64, addr);
    }
    return true;
}

static const wb_type *strip(const wb_type *t)
{
    const wb_type *s = wb_type_strip(t);
    return s ? s : &builtin[B_VOID];
}

static bool is_int_kind(const wb_type *s)
{
    return (s->kind == WB_TYPE_BASE && s->enc != WB_ENC_FLOAT) || s->kind == WB_TYPE_ENUM;
}
static bool is_float_kind(const wb_type *s)
{
    return s->kind == WB_TYPE_BASE && s->enc == WB_ENC_FLOAT;
}
static bool is_unsigned_kind(const wb_type *s)
{
    return s->enc == WB_ENC_UNSIGNED || s->enc == WB_ENC_UNSIGNED_CHAR || s->enc == WB_ENC_BOOL ||
           s->enc == WB_ENC_UTF;
}

/* Arrays decay to a pointer to their first element, functions to a
 * pointer to the function. Other values are left alone. */
static bool decay(parser *p, val *v)
{
    const wb_type *s = strip(v->type);
    if (s->kind == WB_TYPE_ARRAY) {
        if (v->kind != WB_VAL_MEMORY)
            return fail(p, "Attempt to take address of value not located in memory.");
        const wb_type *el = element_type(p, s);
        const wb_type *pt = el ? pointer_to(p, el) : NULL;
        if (!pt) return false;
        uint64_t a = v->addr;
        vfree(v);
        return mk_int(p, pt, a, v);
    }
    if (s->kind == WB_TYPE_FUNCTION) {
        if (v->fn_code) {
            char buf[160];
            const char *name = p->env->code_symbol
                                   ? p->env->code_symbol(p->env->user, v->addr, buf, sizeof buf)
                                   : NULL;
            return fail(p,
                        "No pointer to function %s: the program never takes its address, "
                        "so no function table entry holds it.",
                        name ? name : "here");
        }
        const wb_type *pt = pointer_to(p, v->type);
        if (!pt) return false;
        uint64_t a = v->addr;
        vfree(v);
        return mk_int(p, pt, a, v);
    }
    return true;
}

/* A scalar operand of arithmetic, after decay and integer promotion. */
typedef struct num {
    int cls;     /* 'i' integer, 'f' floating, 'p' pointer */
    uint64_t u;  /* integers: the value (sign-extended), pointers */
    double d;    /* floating */
    size_t size; /* after promotion */
    bool uns;
    bool is_long;     /* a 4-byte `long` (for the result's name) */
    const wb_type *t; /* pointers: the pointer type */
} num;

static bool get_num(parser *p, val *v, num *n)
{
    memset(n, 0, sizeof *n);
    if (!check_pending(p)) return false;
    if (!decay(p, v)) return false;
    if (v->kind == WB_VAL_OPTIMIZED) return fail(p, "value has been optimized out");
    const wb_type *s = strip(v->type);
    if (s->kind == WB_TYPE_POINTER || s->kind == WB_TYPE_REFERENCE) {
        n->cls = 'p';
        n->u = v->bytes ? load_le(v->bytes, v->size) : 0;
        n->size = 4;
        n->uns = true;
        n->t = v->type;
        return true;
    }
    if (is_float_kind(s)) {
        n->cls = 'f';
        n->size = v->size;
        if (v->size > 8) return fail(p, "long double arithmetic is not supported");
        wb_error e;
        if (wb_value_as_double(v, &n->d, &e) != WB_OK) return fail(p, "%s", e.msg);
        return true;
    }
    if (!is_int_kind(s))
        return fail(p, "Argument to arithmetic operation not a number or boolean.");
    if (v->missing) return fail(p, "value has been optimized out");
    n->cls = 'i';
    uint64_t raw = v->bytes ? load_le(v->bytes, v->size) : 0;
    size_t sz = v->size > 8 ? 8 : v->size;
    bool uns = is_unsigned_kind(s);
    if (!uns && sz && sz < 8) {
        uint64_t m = 1ull << (sz * 8 - 1);
        raw = ((raw & ((1ull << (sz * 8)) - 1)) ^ m) - m;
    }
    /* Integer promotion: everything narrower than int becomes int. */
    if (sz < 4) {
        n->size = 4;
        n->uns = false;
    } else {
        n->size = sz;
        n->uns = uns;
        n->is_long = sz == 4 && s->kind == WB_TYPE_BASE && s->name && strstr(s->name, "long");
    }
    n->u = raw;
    return true;
}

static const wb_type *int_type(size_t size, bool uns, bool is_long)
{
    if (size >= 8) return &builtin[uns ? B_ULLONG : B_LLONG];
    if (is_long) return &builtin[uns ? B_ULONG : B_LONG];
    return &builtin[uns ? B_UINT : B_INT];
}

/* The usual arithmetic conversions of two integer operands. */
static const wb_type *common_int(const num *a, const num *b)
{
    size_t size = a->size > b->size ? a->size : b->size;
    bool uns;
    if (a->size == b->size)
        uns = a->uns || b->uns;
    else
        uns = a->size > b->size ? a->uns : b->uns;
    bool is_long = (a->is_long && a->size == size) || (b->is_long && b->size == size);
    return int_type(size, uns, is_long);
}

static int64_t as_signed(uint64_t u, size_t size)
{
    if (size >= 8) return (int64_t)u;
    uint64_t m = 1ull << (size * 8 - 1);
    return (int64_t)(((u & ((1ull << (size * 8)) - 1)) ^ m) - m);
}

static uint64_t trunc_to(uint64_t u, size_t size)
{
    return size >= 8 ? u : u & ((1ull << (size * 8)) - 1);
}

static uint64_t scale_of(const wb_type *ptr)
{
    const wb_type *s = strip(ptr);
    const wb_type *t = strip(s->target);
    uint64_t sz = wb_type_size(t);
    if (t->kind == WB_TYPE_VOID || t->kind == WB_TYPE_FUNCTION || sz == 0) return 1;
    return sz;
}

/* Applies a binary operator (not && || , =) to a and b (both consumed). */
static bool binop(parser *p, int op, val *a, val *b, val *out)
{
    num x, y;
    bool ok = get_num(p, a, &x) && get_num(p, b, &y);
    const wb_type *ta = a->type;
    vfree(a);
    vfree(b);
    if (!ok) return false;
    bool cmp = op == '<' || op == '>' || op == T_LE || op == T_GE || op == T_EQ || op == T_NE;

    if (x.cls == 'p' || y.cls == 'p') {
        if (cmp) {
            if (x.cls == 'f' || y.cls == 'f')
                return fail(p, "Argument to arithmetic operation not a number or boolean.");
            uint64_t l = trunc_to(x.u, 4), r = trunc_to(y.u, 4);
            int res = op == '<'    ? l < r
                      : op == '>'  ? l > r
                      : op == T_LE ? l <= r
                      : op == T_GE ? l >= r
                      : op == T_EQ ? l == r
                                   : l != r;
            return mk_int(p, &builtin[B_INT], (uint64_t)res, out);
        }
        if (op == '+' && x.cls == 'p' && y.cls == 'i')
            return mk_int(p, ta, x.u + y.u * scale_of(x.t), out);
        if (op == '+' && x.cls == 'i' && y.cls == 'p')
            return mk_int(p, y.t, y.u + x.u * scale_of(y.t), out);
        if (op == '-' && x.cls == 'p' && y.cls == 'i')
            return mk_int(p, ta, x.u - y.u * scale_of(x.t), out);
        if (op == '-' && x.cls == 'p' && y.cls == 'p') {
            uint64_t sa = scale_of(x.t), sb = scale_of(y.t);
            if (sa != sb)
                return fail(p, "First argument of `-' is a pointer and second argument is "
                               "neither\nan integer nor a pointer of the same type.");
            int64_t d = (int64_t)(int32_t)(uint32_t)(x.u - y.u);
            return mk_int(p, &builtin[B_LONG], (uint64_t)(d / (int64_t)sa), out);
        }
        return fail(p, "Argument to arithmetic operation not a number or boolean.");
    }

    if (x.cls == 'f' || y.cls == 'f') {
        if (op == '%' || op == '&' || op == '|' || op == '^' || op == T_SHL || op == T_SHR)
            return fail(p, "Integer-only operation on floating point number.");
        double l = x.cls == 'f' ? x.d : x.uns ? (double)x.u : (double)(int64_t)x.u;
        double r = y.cls == 'f' ? y.d : y.uns ? (double)y.u : (double)(int64_t)y.u;
        if (cmp) {
            int res = op == '<'    ? l < r
                      : op == '>'  ? l > r
                      : op == T_LE ? l <= r
                      : op == T_GE ? l >= r
                      : op == T_EQ ? l == r
                                   : l != r;
            return mk_int(p, &builtin[B_INT], (uint64_t)res, out);
        }
        size_t fs = (x.cls == 'f' ? x.size : 0) > (y.cls == 'f' ? y.size : 0)
                        ? (x.cls == 'f' ? x.size : 0)
                        : (y.cls == 'f' ? y.size : 0);
        if (fs > 8) return fail(p, "long double arithmetic is not supported");
        const wb_type *rt = &builtin[fs == 8 ? B_DOUBLE : B_FLOAT];
        double res;
        switch (op) {
        case '+': res = l + r; break;
        case '-': res = l - r; break;
        case '*': res = l * r; break;
        default: res = l / r; break; /* '/', division by zero gives inf as in gdb */
        }
        return mk_double(p, rt, res, out);
    }

    const wb_type *rt = common_int(&x, &y);
    size_t rs = (size_t)rt->size;
    bool uns = is_unsigned_kind(rt);
    if (cmp) {
        int res;
        if (uns) {
            uint64_t l = trunc_to(x.u, rs), r = trunc_to(y.u, rs);
            res = op == '<'    ? l < r
                  : op == '>'  ? l > r
                  : op == T_LE ? l <= r
                  : op == T_GE ? l >= r
                  : op == T_EQ ? l == r
                               : l != r;
        } else {
            int64_t l = as_signed(x.u, rs), r = as_signed(y.u, rs);
            res = op == '<'    ? l < r
                  : op == '>'  ? l > r
                  : op == T_LE ? l <= r
                  : op == T_GE ? l >= r
                  : op == T_EQ ? l == r
                               : l != r;
        }
        return mk_int(p, &builtin[B_INT], (uint64_t)res, out);
    }
    if (op == T_SHL || op == T_SHR) {
        /* The result has the promoted type of the left operand. */
        const wb_type *lt = int_type(x.size, x.uns, x.is_long);
        size_t bits = (size_t)lt->size * 8;
        int64_t cnt = y.uns ? (int64_t)trunc_to(y.u, y.size) : as_signed(y.u, y.size);
        uint64_t res;
        if (cnt < 0 || (uint64_t)cnt >= bits)
            res = 0; /* gdb warns and gives 0 */
        else if (op == T_SHL)
            res = x.u << cnt;
        else if (x.uns)
            res = trunc_to(x.u, lt->size) >> cnt;
        else
            res = (uint64_t)(as_signed(x.u, lt->size) >> cnt);
        return mk_int(p, lt, res, out);
    }
    uint64_t l = x.u, r = y.u, res = 0;
    switch (op) {
    case '+': res = l + r; break;
    case '-': res = l - r; break;
    case '*': res = l * r; break;
    case '&': res = l & r; break;
    case '|': res = l | r; break;
    case '^': res = l ^ r; break;
    case '/':
    case '%':
        if (trunc_to(r, rs) == 0) {
            if (p->skip) break;
            return fail(p, "Division by zero");
        }
        if (uns) {
            l = trunc_to(l, rs);
            r = trunc_to(r, rs);
            res = op == '/' ? l / r : l % r;
        } else {
            int64_t sl = as_signed(l, rs), sr = as_signed(r, rs);
            if (sr == -1)
                res = op == '/' ? 0 - (uint64_t)sl : 0; /* no overflow trap */
            else
                res = (uint64_t)(op == '/' ? sl / sr : sl % sr);
        }
        break;
    default: return fail(p, "unsupported operator");
    }
    return mk_int(p, rt, res, out);
}

/* Converts v (consumed) to type t, as a cast or an assignment does. */
static bool convert(parser *p, val *v, const wb_type *t, val *out)
{
    const wb_type *ts = strip(t);
    memset(out, 0, sizeof *out);
    if (ts->kind == WB_TYPE_VOID) {
        vfree(v);
        return new_value(p, t, out);
    }
    if (ts->kind == WB_TYPE_STRUCT || ts->kind == WB_TYPE_UNION || ts->kind == WB_TYPE_ARRAY) {
        const wb_type *vs = strip(v->type);
        if (vs->kind == ts->kind && wb_type_size(vs) == wb_type_size(ts) && v->bytes) {
            bool ok = wb_value_from_bytes(t, v->bytes, v->size, out, p->err) == WB_OK;
            vfree(v);
            return ok ? true : fail(p, "%s", p->err ? p->err->msg : "error");
        }
        vfree(v);
        return fail(p, "Invalid cast.");
    }
    if (!(is_int_kind(ts) || is_float_kind(ts) || ts->kind == WB_TYPE_POINTER)) {
        vfree(v);
        return fail(p, "Invalid cast.");
    }
    num n;
    bool ok = get_num(p, v, &n);
    vfree(v);
    if (!ok) return false;
    if (is_float_kind(ts)) {
        if (n.cls == 'p') return fail(p, "Invalid cast.");
        double d = n.cls == 'f' ? n.d : n.uns ? (double)n.u : (double)(int64_t)n.u;
        return mk_double(p, t, d, out);
    }
    uint64_t u;
    if (n.cls == 'f') {
        if (ts->kind == WB_TYPE_POINTER) return fail(p, "Invalid cast.");
        if (isnan(n.d))
            u = 0;
        else if (n.d >= 18446744073709551616.0)
            u = UINT64_MAX;
        else if (n.d >= 9223372036854775808.0)
            u = (uint64_t)n.d;
        else if (n.d <= -9223372036854775808.0)
            u = (uint64_t)INT64_MIN;
        else
            u = (uint64_t)(int64_t)n.d;
        if (ts->kind == WB_TYPE_BASE && ts->enc == WB_ENC_BOOL) u = n.d != 0;
    } else {
        u = n.u;
        if (ts->kind == WB_TYPE_BASE && ts->enc == WB_ENC_BOOL) u = trunc_to(n.u, n.size) != 0;
    }
    return mk_int(p, t, u, out);
}

/* Writes `nv` (already of lhs's type) into the lvalue lhs; on success
 * *out is the assigned value (lhs with its new contents). Consumes both. */
static bool store(parser *p, val *lhs, val *nv, val *out)
{
    memset(out, 0, sizeof *out);
    if (lhs->kind != WB_VAL_MEMORY && lhs->kind != WB_VAL_REGISTER) {
        vfree(lhs);
        vfree(nv);
        return fail(p, "Left operand of assignment is not an lvalue.");
    }
    if (lhs->bit_size) {
        /* Read-modify-write of the bitfield's storage. */
        uint32_t bits = lhs->bit_size, off = lhs->bit_offset;
        size_t n = (size_t)(((uint64_t)off + bits + 7) / 8);
        uint64_t v = nv->bytes ? load_le(nv->bytes, nv->size) : 0;
        uint64_t mask = bits >= 64 ? ~0ull : (1ull << bits) - 1;
        v &= mask;
        if (n > 16) {
            vfree(lhs);
            vfree(nv);
            return fail(p, "bitfield too wide");
        }
        uint8_t st[16];
        if (!p->skip) {
            if (!p->env->read_memory ||
                p->env->read_memory(p->env->user, lhs->addr, st, n, NULL) != WB_OK) {
                uint64_t a = lhs->addr;
                vfree(lhs);
                vfree(nv);
                return fail(p, "Cannot access memory at address 0x%" PRIx64, a);
            }
            for (uint32_t k = 0; k < bits; k++) {
                uint64_t bit = (uint64_t)off + k;
                uint8_t m = (uint8_t)(1u << (bit % 8));
                if ((v >> k) & 1)
                    st[bit / 8] |= m;
                else
                    st[bit / 8] &= (uint8_t)~m;
            }
            if (!p->env->write_memory ||
                p->env->write_memory(p->env->user, lhs->addr, st, n, NULL) != WB_OK) {
                uint64_t a = lhs->addr;
                vfree(lhs);
                vfree(nv);
                return fail(p, "Cannot access memory at address 0x%" PRIx64, a);
            }
        }
        /* The stored value, as it reads back (sign-extended if signed). */
        const wb_type *s = strip(lhs->type);
        if (!is_unsigned_kind(s) && bits < 64 && ((v >> (bits - 1)) & 1)) v |= ~mask;
        store_le(lhs->bytes, lhs->size, v);
        vfree(nv);
        *out = *lhs;
        memset(lhs, 0, sizeof *lhs);
        return true;
    }
    if (!p->skip && lhs->size) {
        wb_status st;
        if (lhs->kind == WB_VAL_MEMORY) {
            st = p->env->write_memory
                     ? p->env->write_memory(p->env->user, lhs->addr, nv->bytes, lhs->size, NULL)
                     : WB_ERROR;
            if (st != WB_OK) {
                uint64_t a = lhs->addr;
                vfree(lhs);
                vfree(nv);
                return fail(p, "Cannot access memory at address 0x%" PRIx64, a);
            }
        } else {
            st = p->env->write_place
                     ? p->env->write_place(p->env->user, lhs->place, lhs->place_index, nv->bytes,
                                           lhs->size, NULL)
                     : WB_NOT_FOUND;
            if (st != WB_OK) {
                const char *what = lhs->place == WB_PLACE_LOCAL    ? "local"
                                   : lhs->place == WB_PLACE_GLOBAL ? "global"
                                                                   : "operand stack entry";
                uint64_t idx = lhs->place_index;
                vfree(lhs);
                vfree(nv);
                if (st == WB_NOT_FOUND)
                    return fail(p,
                                "Cannot write Wasm %s %" PRIu64 ": the target does not support it.",
                                what, idx);
                return fail(p, "Cannot write Wasm %s %" PRIu64 ".", what, idx);
            }
        }
    }
    if (lhs->size && nv->bytes) memcpy(lhs->bytes, nv->bytes, lhs->size);
    vfree(nv);
    *out = *lhs;
    memset(lhs, 0, sizeof *lhs);
    return true;
}

/* lhs = rhs: converts rhs to lhs's type and stores it. */
static bool assign(parser *p, val *lhs, val *rhs, val *out)
{
    if (lhs->kind != WB_VAL_MEMORY && lhs->kind != WB_VAL_REGISTER) {
        vfree(lhs);
        vfree(rhs);
        return fail(p, "Left operand of assignment is not an lvalue.");
    }
    val nv;
    if (!convert(p, rhs, lhs->type, &nv)) {
        vfree(lhs);
        return false;
    }
    return store(p, lhs, &nv, out);
}

/* --------------------------------------------------------- type names */

static bool is_keyword_type(const parser *p, size_t at)
{
    static const char *const kw[] = {"const", "volatile", "signed", "unsigned", "short",
                                     "long",  "int",      "char",   "float",    "double",
                                     "_Bool", "void",     "struct", "union",    "enum"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (tok_is(p, at, kw[i])) return true;
    return false;
}

static int parse_abstract(parser *p, const wb_type *base, const wb_type **out);

/* Specifiers of a type name: built-in words, struct/union/enum tags, a
 * typedef name. Returns 1 with *out, 0 when the tokens do not start a
 * type (position unchanged), -1 on error. `expr_ctx`: an identifier that
 * is also a variable is the variable. */
static int parse_specifiers(parser *p, bool expr_ctx, const wb_type **out)
{
    size_t start = p->pos;
    int nlong = 0, nshort = 0, nsigned = 0, nunsigned = 0, nint = 0, nchar = 0, nfloat = 0,
        ndouble = 0, nbool = 0, nvoid = 0;
    bool is_const = false, is_volatile = false, any = false;
    const wb_type *named = NULL;
    for (;;) {
        size_t at = p->pos;
        if (kind(p) != T_IDENT) break;
#define WORD(w, counter)                                                                           \
    if (tok_is(p, at, w)) {                                                                        \
        counter++;                                                                                 \
        any = true;                                                                                \
        p->pos++;                                                                                  \
        continue;                                                                                  \
    }
        if (tok_is(p, at, "const")) {
            is_const = true;
            p->pos++;
            continue;
        }
        if (tok_is(p, at, "volatile")) {
            is_volatile = true;
            p->pos++;
            continue;
        }
        WORD("long", nlong)
        WORD("short", nshort)
        WORD("signed", nsigned)
        WORD("unsigned", nunsigned)
        WORD("int", nint)
        WORD("char", nchar)
        WORD("float", nfloat)
        WORD("double", ndouble)
        WORD("_Bool", nbool)
        WORD("void", nvoid)
#undef WORD
        if (any || named) break;
        if (tok_is(p, at, "struct") || tok_is(p, at, "union") || tok_is(p, at, "enum")) {
            const char *kw = tok_is(p, at, "struct")  ? "struct"
                             : tok_is(p, at, "union") ? "union"
                                                      : "enum";
            if (p->toks[at + 1].kind != T_IDENT) {
                p->pos = at + 1;
                syntax_error(p);
                return -1;
            }
            char *tag = tok_text(p, &p->toks[at + 1]);
            char full[300];
            if (!tag) return fail(p, "out of memory"), -1;
            snprintf(full, sizeof full, "%s %s", kw, tag);
            wb_error e;
            wb_status st = p->env->type_named ? p->env->type_named(p->env->user, full, &named, &e)
                                              : WB_NOT_FOUND;
            if (st != WB_OK) {
                if (st == WB_ERROR)
                    fail(p, "%s", e.msg);
                else
                    fail(p, "No %s type named %s.", kw, tag);
                free(tag);
                return -1;
            }
            free(tag);
            p->pos = at + 2;
            continue;
        }
        /* A typedef name, unless a variable of that name is in scope. */
        char *name = tok_text(p, cur(p));
        if (!name) return fail(p, "out of memory"), -1;
        wb_error e;
        const wb_type *t = NULL;
        wb_status st =
            p->env->type_named ? p->env->type_named(p->env->user, name, &t, &e) : WB_NOT_FOUND;
        if (st == WB_OK && expr_ctx && p->env->lookup) {
            val tmp = {0};
            wb_status ls = p->env->lookup(p->env->user, name, &tmp, &e);
            if (ls == WB_OK) vfree(&tmp);
            if (ls != WB_NOT_FOUND) st = WB_NOT_FOUND;
        }
        free(name);
        if (st == WB_ERROR) return fail(p, "%s", e.msg), -1;
        if (st != WB_OK) break;
        named = t;
        p->pos++;
    }
    if (!any && !named) {
        p->pos = start;
        return 0;
    }
    const wb_type *t = named;
    if (any) {
        int b;
        if (named || nvoid + nbool + nchar + nfloat + ndouble > 1 || nsigned + nunsigned > 1 ||
            nshort > 1 || nlong > 2 || (nshort && nlong) || nint > 1)
            return syntax_error(p), -1;
        if (nvoid) {
            if (nlong + nshort + nsigned + nunsigned + nint) return syntax_error(p), -1;
            b = B_VOID;
        } else if (nbool || nfloat) {
            if (nlong + nshort + nsigned + nunsigned + nint) return syntax_error(p), -1;
            b = nbool ? B_BOOL : B_FLOAT;
        } else if (ndouble) {
            if (nshort + nsigned + nunsigned + nint || nlong > 1) return syntax_error(p), -1;
            b = nlong ? B_LDOUBLE : B_DOUBLE;
        } else if (nchar) {
            if (nlong + nshort + nint) return syntax_error(p), -1;
            b = nunsigned ? B_UCHAR : nsigned ? B_SCHAR : B_CHAR;
        } else if (nshort) {
            b = nunsigned ? B_USHORT : B_SHORT;
        } else if (nlong == 2) {
            b = nunsigned ? B_ULLONG : B_LLONG;
        } else if (nlong == 1) {
            b = nunsigned ? B_ULONG : B_LONG;
        } else {
            b = nunsigned ? B_UINT : B_INT;
        }
        t = &builtin[b];
    }
    if (is_volatile && !(t = new_type(p, WB_TYPE_VOLATILE, t))) return -1;
    if (is_const && !(t = new_type(p, WB_TYPE_CONST, t))) return -1;
    *out = t;
    return 1;
}

/* Suffixes of a declarator: [N] and (params), applied to `base`. */
static int parse_suffixes(parser *p, const wb_type *base, const wb_type **out)
{
    if (kind(p) == '[') {
        uint64_t dims[8];
        size_t nd = 0;
        while (kind(p) == '[') {
            p->pos++;
            uint64_t n = 0;
            if (kind(p) == T_NUM) {
                char *txt = tok_text(p, cur(p));
                char *end = NULL;
                if (!txt) return fail(p, "out of memory"), -1;
                n = strtoull(txt, &end, 0);
                bool bad = !end || *end;
                free(txt);
                if (bad) return syntax_error(p), -1;
                p->pos++;
            }
            if (kind(p) != ']' || nd == 8) return syntax_error(p), -1;
            p->pos++;
            dims[nd++] = n;
        }
        wb_type *t = arena_alloc(p->e, sizeof *t + nd * sizeof(uint64_t));
        if (!t) return fail(p, "out of memory"), -1;
        uint64_t *d = (uint64_t *)(t + 1);
        memcpy(d, dims, nd * sizeof *d);
        t->kind = WB_TYPE_ARRAY;
        t->target = base;
        t->ndims = nd;
        t->dims = d;
        t->size = wb_type_size(t);
        *out = t;
        return 1;
    }
    if (kind(p) == '(') {
        p->pos++;
        const wb_type *params[32];
        size_t np = 0;
        bool varargs = false;
        if (kind(p) == ')') {
            p->pos++;
        } else if (tok_is(p, p->pos, "void") && p->toks[p->pos + 1].kind == ')') {
            p->pos += 2;
        } else {
            for (;;) {
                if (kind(p) == '.' && p->toks[p->pos + 1].kind == '.' &&
                    p->toks[p->pos + 2].kind == '.') {
                    p->pos += 3;
                    varargs = true;
                    if (kind(p) != ')') return syntax_error(p), -1;
                    p->pos++;
                    break;
                }
                const wb_type *pt;
                int r = parse_specifiers(p, false, &pt);
                if (r <= 0) return r < 0 ? -1 : (syntax_error(p), -1);
                if (parse_abstract(p, pt, &pt) < 0) return -1;
                if (np == 32) return fail(p, "too many parameters"), -1;
                params[np++] = pt;
                if (kind(p) == ',') {
                    p->pos++;
                    continue;
                }
                if (kind(p) != ')') return syntax_error(p), -1;
                p->pos++;
                break;
            }
        }
        wb_type *t = arena_alloc(p->e, sizeof *t + np * sizeof(wb_type *));
        if (!t) return fail(p, "out of memory"), -1;
        const wb_type **ps = (const wb_type **)(void *)(t + 1);
        memcpy(ps, params, np * sizeof *ps);
        t->kind = WB_TYPE_FUNCTION;
        t->target = strip(base)->kind == WB_TYPE_VOID ? NULL : base;
        t->nparams = np;
        t->params = ps;
        t->varargs = varargs;
        *out = t;
        return 1;
    }
    *out = base;
    return 0;
}

/* Skips to the ')' matching the '(' before the current position. */
static bool skip_parens(parser *p)
{
    int level = 1;
    while (kind(p) != T_END) {
        if (kind(p) == '(')
            level++;
        else if (kind(p) == ')' && --level == 0)
            return true;
        p->pos++;
    }
    return false;
}

/* An abstract declarator: `*`s (with const/volatile), then either a
 * parenthesized declarator or array/function suffixes. */
static int parse_abstract(parser *p, const wb_type *base, const wb_type **out)
{
    if (++p->depth > MAX_DEPTH) return fail(p, "Expression nested too deeply."), -1;
    const wb_type *t = base;
    while (kind(p) == '*') {
        p->pos++;
        if (!(t = pointer_to(p, t))) return -1;
        for (;;) {
            if (tok_is(p, p->pos, "const")) {
                if (!(t = new_type(p, WB_TYPE_CONST, t))) return -1;
            } else if (tok_is(p, p->pos, "volatile")) {
                if (!(t = new_type(p, WB_TYPE_VOLATILE, t))) return -1;
            } else {
                break;
            }
            p->pos++;
        }
    }
    if (kind(p) == '(' && (p->toks[p->pos + 1].kind == '*' || p->toks[p->pos + 1].kind == '(' ||
                           p->toks[p->pos + 1].kind == '[')) {
        /* ( inner ) suffixes: the suffixes apply first, then the inner
         * declarator wraps the result. */
        size_t inner = ++p->pos;
        if (!skip_parens(p)) return syntax_error(p), -1;
        p->pos++;
        const wb_type *st = t;
        while (kind(p) == '[' || kind(p) == '(')
            if (parse_suffixes(p, st, &st) < 0) return -1;
        size_t after = p->pos;
        p->pos = inner;
        if (parse_abstract(p, st, &t) < 0) return -1;
        if (kind(p) != ')') return syntax_error(p), -1;
        p->pos = after;
    } else {
        /* Consecutive [N] make one array type (int [2][3]); a function
         * returning an array or a function is not C. */
        while (kind(p) == '[' || kind(p) == '(')
            if (parse_suffixes(p, t, &t) < 0) return -1;
    }
    p->depth--;
    *out = t;
    return 1;
}

/* A full type name. 1: parsed, 0: not a type, -1: error. */
static int parse_type_name(parser *p, bool expr_ctx, const wb_type **out)
{
    const wb_type *t;
    int r = parse_specifiers(p, expr_ctx, &t);
    if (r <= 0) return r;
    if (parse_abstract(p, t, out) < 0) return -1;
    return 1;
}

/* ------------------------------------------------------------ literals */

/* One character of a char or string literal at s[*i]; advances *i. */
static unsigned lit_char(const char *s, size_t *i)
{
    unsigned c = (unsigned char)s[(*i)++];
    if (c != '\\') return c;
    c = (unsigned char)s[(*i)++];
    switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'e': return 27;
    case 'x': {
        unsigned v = 0;
        int n = 0;
        for (;; n++) {
            char h = s[*i];
            unsigned d;
            if (h >= '0' && h <= '9')
                d = (unsigned)(h - '0');
            else if (h >= 'a' && h <= 'f')
                d = (unsigned)(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                d = (unsigned)(h - 'A' + 10);
            else
                break;
            v = (v << 4 | d) & 0xff;
            (*i)++;
        }
        return v;
    }
    default:
        if (c >= '0' && c <= '7') {
            unsigned v = c - '0';
            for (int n = 0; n < 2 && s[*i] >= '0' && s[*i] <= '7'; n++)
                v = v * 8 + (unsigned)(s[(*i)++] - '0');
            return v & 0xff;
        }
        return c; /* \\ \' \" \? and unknown escapes: the character */
    }
}

static bool parse_int_literal(parser *p, const tok *t, val *out)
{
    const char *s = p->src + t->start;
    size_t n = t->len, i = 0;
    unsigned base = 10;
    if (n > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (n > 1 && s[0] == '0') {
        base = 8;
        i = 1;
    }
    uint64_t v = 0;
    bool overflow = false, digits = base == 8;
    for (; i < n; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            break;
        if (d >= base) return fail(p, "Invalid number \"%.*s\".", (int)n, s);
        if (v > (UINT64_MAX - d) / base) overflow = true;
        v = v * base + d;
        digits = true;
    }
    int nl = 0, nu = 0;
    for (; i < n; i++) {
        if (s[i] == 'u' || s[i] == 'U')
            nu++;
        else if (s[i] == 'l' || s[i] == 'L')
            nl++;
        else
            break;
    }
    if (i < n || !digits || nu > 1 || nl > 2) return fail(p, "Invalid number \"%.*s\".", (int)n, s);
    if (overflow) return fail(p, "Numeric constant too large.");
    /* C11 6.4.4.1 for ILP32: the first type of the list that holds it. */
    static const int dec[] = {B_INT, B_LONG, B_LLONG, B_ULLONG};
    static const int other[] = {B_INT, B_UINT, B_LONG, B_ULONG, B_LLONG, B_ULLONG};
    static const int uns_list[] = {B_UINT, B_ULONG, B_ULLONG};
    const int *list = nu ? uns_list : base == 10 ? dec : other;
    size_t count = nu ? 3 : base == 10 ? 4 : 6;
    for (size_t k = 0; k < count; k++) {
        const wb_type *bt = &builtin[list[k]];
        bool uns = is_unsigned_kind(bt);
        bool is_long = list[k] == B_LONG || list[k] == B_ULONG;
        if (nu && !uns) continue;
        if (nl == 1 && !is_long && bt->size < 8) continue;
        if (nl == 2 && bt->size < 8) continue;
        uint64_t max = bt->size >= 8 ? (uns ? UINT64_MAX : (uint64_t)INT64_MAX)
                                     : (uns ? UINT32_MAX : (uint64_t)INT32_MAX);
        if (v <= max) return mk_int(p, bt, v, out);
    }
    return mk_int(p, &builtin[B_ULLONG], v, out);
}

static bool parse_float_literal(parser *p, const tok *t, val *out)
{
    char *txt = tok_text(p, t);
    if (!txt) return fail(p, "out of memory");
    size_t n = strlen(txt);
    const wb_type *ft = &builtin[B_DOUBLE];
    if (n && (txt[n - 1] == 'f' || txt[n - 1] == 'F') &&
        !(n > 1 && txt[0] == '0' && (txt[1] == 'x' || txt[1] == 'X') && !strpbrk(txt, "pP"))) {
        ft = &builtin[B_FLOAT];
        txt[--n] = 0;
    } else if (n && (txt[n - 1] == 'l' || txt[n - 1] == 'L')) {
        txt[--n] = 0; /* long double: computed as double */
    }
    char *end = NULL;
    double d = strtod(txt, &end);
    bool bad = !end || *end || n == 0;
    free(txt);
    if (bad) return fail(p, "Invalid number \"%.*s\".", (int)t->len, p->src + t->start);
    return mk_double(p, ft, d, out);
}

static bool parse_char_literal(parser *p, const tok *t, val *out)
{
    const char *s = p->src + t->start;
    size_t i = 1, end = t->len - 1;
    if (end <= 1) return fail(p, "A character constant must contain at least one character.");
    unsigned c = lit_char(s, &i);
    if (i != end) return fail(p, "Invalid character constant.");
    return mk_int(p, &builtin[B_CHAR], (uint64_t)(int64_t)(int8_t)(uint8_t)c, out);
}

static bool parse_string_literal(parser *p, val *out)
{
    /* Adjacent literals concatenate, as in C. */
    size_t cap = 16, n = 0;
    uint8_t *buf = malloc(cap);
    if (!buf) return fail(p, "out of memory");
    while (kind(p) == T_STR) {
        const tok *t = cur(p);
        const char *s = p->src + t->start;
        size_t i = 1, end = t->len - 1;
        while (i < end) {
            unsigned c = lit_char(s, &i);
            if (n + 2 > cap) {
                uint8_t *nb = realloc(buf, cap * 2);
                if (!nb) {
                    free(buf);
                    return fail(p, "out of memory");
                }
                buf = nb;
                cap *= 2;
            }
            buf[n++] = (uint8_t)c;
        }
        p->pos++;
    }
    buf[n++] = 0;
    const wb_type *at = derive(p, 'a', &builtin[B_CHAR], n);
    bool ok = at && wb_value_from_bytes(at, buf, n, out, p->err) == WB_OK;
    free(buf);
    if (at && !ok) return fail(p, "%s", p->err ? p->err->msg : "error");
    return ok;
}

/* $, $$, $N, $$N (value history) and $name (through env->lookup, then the
 * convenience variables set by wb_eval_set_int, void when unknown: gdb's
 * convenience variables start out void). */
static bool parse_dollar(parser *p, val *out)
{
    const tok *t = cur(p);
    const char *s = p->src + t->start;
    size_t n = t->len;
    wb_eval *e = p->e;
    bool rel = n >= 2 && s[1] == '$';
    size_t i = rel ? 2 : 1;
    bool digits = i < n;
    uint64_t number = 0;
    for (size_t k = i; k < n; k++) {
        if (!is_digit(s[k])) {
            digits = false;
            break;
        }
        number = number * 10 + (uint64_t)(s[k] - '0');
        if (number > UINT32_MAX)
            return fail(p, "History has not yet reached $%.*s.", (int)(n - 1), s + 1);
    }
    p->pos++;
    if (i == n || digits) {
        uint64_t abs;
        if (rel || i == n) {
            uint64_t back = i == n ? (rel ? 1 : 0) : number;
            if (back >= e->nhistory) {
                if (back == 0) return fail(p, "The history is empty.");
                return fail(p, "History does not go back to $$%" PRIu64 ".", back);
            }
            abs = e->nhistory - back;
        } else {
            abs = number ? number : e->nhistory;
            if (abs == 0) return fail(p, "The history is empty.");
            if (abs > e->nhistory) return fail(p, "History has not yet reached $%" PRIu64 ".", abs);
        }
        wb_error er;
        if (wb_value_copy(out, &e->history[abs - 1], &er) != WB_OK) return fail(p, "%s", er.msg);
        return true;
    }
    char *name = tok_text(p, t);
    if (!name) return fail(p, "out of memory");
    wb_error er;
    wb_status st = p->env->lookup ? p->env->lookup(p->env->user, name, out, &er) : WB_NOT_FOUND;
    for (size_t v = 0; st == WB_NOT_FOUND && v < e->nvars; v++)
        if (strcmp(e->vars[v].name, name + 1) == 0) {
            uint8_t b[4];
            for (int k = 0; k < 4; k++)
                b[k] = (uint8_t)((uint64_t)e->vars[v].value >> (8 * k));
            free(name);
            if (wb_value_from_bytes(&builtin[B_INT], b, 4, out, &er) != WB_OK)
                return fail(p, "%s", er.msg);
            return true;
        }
    free(name);
    if (st == WB_ERROR) return fail(p, "%s", er.msg);
    if (st == WB_NOT_FOUND) return new_value(p, &builtin[B_VOID], out);
    return true;
}

/* ---------------------------------------------------------- the parser */

static bool parse_comma(parser *p, val *out);
static bool parse_assign(parser *p, val *out);
static bool parse_unary(parser *p, val *out);

static bool enter(parser *p)
{
    if (++p->depth > MAX_DEPTH) return fail(p, "Expression nested too deeply.");
    return true;
}

static bool parse_primary(parser *p, val *out)
{
    const tok *t = cur(p);
    memset(out, 0, sizeof *out);
    switch (t->kind) {
    case T_NUM: p->pos++; return parse_int_literal(p, t, out);
    case T_FLOAT: p->pos++; return parse_float_literal(p, t, out);
    case T_CHAR: p->pos++; return parse_char_literal(p, t, out);
    case T_STR: return parse_string_literal(p, out);
    case T_DOLLAR: return parse_dollar(p, out);
    case '(': {
        if (!enter(p)) return false;
        p->pos++;
        if (!parse_comma(p, out)) return false;
        if (kind(p) != ')') {
            vfree(out);
            return syntax_error(p);
        }
        p->pos++;
        p->depth--;
        return true;
    }
    case T_IDENT: {
        if (is_keyword_type(p, p->pos) || tok_is(p, p->pos, "sizeof")) return syntax_error(p);
        char *name = tok_text(p, t);
        if (!name) return fail(p, "out of memory");
        wb_error er;
        wb_status st = p->env->lookup ? p->env->lookup(p->env->user, name, out, &er) : WB_NOT_FOUND;
        if (st == WB_NOT_FOUND) {
            memset(out, 0, sizeof *out);
            fail(p,
                 p->env->rust ? "No symbol '%s' in current context"
                              : "No symbol \"%s\" in current context.",
                 name);
            free(name);
            return false;
        }
        free(name);
        if (st != WB_OK) {
            memset(out, 0, sizeof *out);
            return fail(p, "%s", er.msg);
        }
        if (!out->type) out->type = &builtin[B_VOID];
        p->pos++;
        return true;
    }
    default: return syntax_error(p);
    }
}

/* Finds member `name` of struct/union s, looking into anonymous members
 * and base classes. Adds the member's offset to *off. */
static const wb_member *find_member(const wb_type *s, const char *name, uint64_t *off, int depth)
{
    if (depth > 32) return NULL;
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        if (m->name && strcmp(m->name, name) == 0) {
            *off += m->offset;
            return m;
        }
    }
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        const wb_type *ms = wb_type_strip(m->type);
        if ((m->name && !m->is_base) || !ms ||
            (ms->kind != WB_TYPE_STRUCT && ms->kind != WB_TYPE_UNION))
            continue;
        uint64_t o = *off + m->offset;
        const wb_member *r = find_member(ms, name, &o, depth + 1);
        if (r) {
            *off = o;
            return r;
        }
    }
    return NULL;
}

/* gdb's Rust-mode errors for a field a struct, tuple or enum variant
 * lacks (`name` is "__N" for the tuple field N). */
static bool rust_no_field(parser *p, const wb_type *s, const wb_variant *va, const char *name)
{
    const char *tn = s->qualified_name ? s->qualified_name : s->name ? s->name : "?";
    const wb_type *in = va ? strip(va->member.type) : s;
    bool numbered = strncmp(name, "__", 2) == 0 && name[2] >= '0' && name[2] <= '9';
    bool tuple =
        (in->nmembers > 0 && in->members[0].name && strcmp(in->members[0].name, "__0") == 0) ||
        (!va && tn[0] == '(');
    char what[300];
    if (va)
        snprintf(what, sizeof what, "variant %s::%s", tn, va->member.name ? va->member.name : "?");
    else
        snprintf(what, sizeof what, "%s", tn);
    if (numbered && (tuple || (va && in->nmembers == 0)))
        return fail(p, "Cannot access field %s of %s, there are only %zu fields", name + 2, what,
                    in->nmembers);
    if (numbered)
        return fail(p,
                    "Attempting to access anonymous field %s of %s, which is not a tuple, "
                    "tuple struct, or tuple-like variant",
                    name + 2, what);
    if (va && tuple)
        return fail(p,
                    "Attempting to access named field %s of tuple variant %s::%s, which has "
                    "only anonymous fields",
                    name, tn, va->member.name ? va->member.name : "?");
    return fail(p, "There is no member named %s.", name);
}

/* v.name (v consumed); `arrow`: the operator written was -> */
static bool member_of(parser *p, val *v, const char *name, bool arrow, val *out)
{
    const wb_type *s = strip(v->type);
    memset(out, 0, sizeof *out);
    if (s->kind == WB_TYPE_POINTER) {
        const wb_type *ts = strip(s->target);
        if (!check_pending(p)) {
            vfree(v);
            return false;
        }
        if (ts->kind != WB_TYPE_STRUCT && ts->kind != WB_TYPE_UNION) {
            vfree(v);
            return fail(p, arrow ? "The -> operator must be applied to a pointer to a "
                                   "structure or union."
                                 : "Attempt to extract a component of a value that is not a "
                                   "structure.");
        }
        uint64_t a = v->bytes ? load_le(v->bytes, v->size) : 0;
        vfree(v);
        /* Read only the member, not the whole (possibly huge) struct. */
        uint64_t off = 0;
        const wb_member *m = find_member(ts, name, &off, 0);
        if (!m) return fail(p, "There is no member named %s.", name);
        if (!read_obj(p, m->type, a + off, out)) return false;
        if (m->bit_size) {
            val whole;
            uint64_t need = ((uint64_t)m->bit_offset + m->bit_size + 7) / 8;
            vfree(out);
            if (need > 16) return fail(p, "bitfield too wide");
            uint8_t st[16] = {0};
            if (!p->skip &&
                (!p->env->read_memory ||
                 p->env->read_memory(p->env->user, a + off, st, (size_t)need, NULL) != WB_OK))
                return fail(p, "Cannot access memory at address 0x%" PRIx64, a + off);
            if (!new_value(p, m->type, &whole)) return false;
            uint64_t bits = 0;
            for (uint32_t k = 0; k < m->bit_size && k < 64; k++) {
                uint64_t bit = (uint64_t)m->bit_offset + k;
                if ((st[bit / 8] >> (bit % 8)) & 1) bits |= 1ull << k;
            }
            const wb_type *ms = strip(m->type);
            if (!is_unsigned_kind(ms) && m->bit_size < 64 && ((bits >> (m->bit_size - 1)) & 1))
                bits |= ~0ull << m->bit_size;
            store_le(whole.bytes, whole.size, bits);
            whole.kind = WB_VAL_MEMORY;
            whole.addr = a + off;
            whole.bit_size = m->bit_size;
            whole.bit_offset = m->bit_offset;
            *out = whole;
        }
        return true;
    }
    if (s->kind != WB_TYPE_STRUCT && s->kind != WB_TYPE_UNION) {
        vfree(v);
        return fail(p, arrow ? "Attempt to extract a component of a value that is not a "
                               "structure pointer."
                             : "Attempt to extract a component of a value that is not a "
                               "structure.");
    }
    uint64_t off = 0;
    const wb_member *m = find_member(s, name, &off, 0);
    const wb_variant *va =
        s->has_variants && v->bytes ? wb_value_rust_variant(s, v->bytes, v->size) : NULL;
    if (!m && va && strip(va->member.type)->kind == WB_TYPE_STRUCT) {
        /* a Rust enum: a field of its active variant (opt.0 of Some(x)) */
        off = va->member.offset;
        m = find_member(strip(va->member.type), name, &off, 0);
    }
    if (!m && s->rust) {
        vfree(v);
        return rust_no_field(p, s, va, name);
    }
    if (!m) {
        vfree(v);
        return fail(p, "There is no member named %s.", name);
    }
    if (v->kind == WB_VAL_OPTIMIZED) {
        vfree(v);
        return fail(p, "value has been optimized out");
    }
    uint64_t msize = wb_type_size(m->type);
    if (!new_value(p, m->type, out)) {
        vfree(v);
        return false;
    }
    if (m->bit_size) {
        uint64_t bits = 0;
        for (uint32_t k = 0; k < m->bit_size && k < 64; k++) {
            uint64_t bit = (uint64_t)m->bit_offset + k;
            uint64_t byte = off + bit / 8;
            if (byte < v->size && (v->bytes[byte] >> (bit % 8)) & 1) bits |= 1ull << k;
        }
        const wb_type *ms = strip(m->type);
        if (!is_unsigned_kind(ms) && m->bit_size < 64 && ((bits >> (m->bit_size - 1)) & 1))
            bits |= ~0ull << m->bit_size;
        store_le(out->bytes, out->size, bits);
        if (v->kind == WB_VAL_MEMORY) {
            out->kind = WB_VAL_MEMORY;
            out->addr = v->addr + off;
            out->bit_size = m->bit_size;
            out->bit_offset = m->bit_offset;
        }
        vfree(v);
        return true;
    }
    if (off > v->size || msize > v->size - off) {
        vfree(v);
        vfree(out);
        return fail(p, "There is no member named %s.", name);
    }
    if (msize) memcpy(out->bytes, v->bytes + off, (size_t)msize);
    if (v->missing) {
        bool miss = false;
        for (uint64_t k = 0; k < msize; k++)
            miss |= v->missing[off + k] != 0;
        if (miss) {
            vfree(v);
            vfree(out);
            return fail(p, "value has been optimized out");
        }
    }
    if (v->kind == WB_VAL_MEMORY) {
        out->kind = WB_VAL_MEMORY;
        out->addr = v->addr + off;
    }
    vfree(v);
    return true;
}

/* *v (consumed). */
/* *x of a Rust trait object (&dyn T, Box<dyn T>: pointer and vtable): the value
 * it points to, of the type its vtable's symbol names, as gdb does
 * ("<values::Dog as values::Speak>::{vtable}": a values::Dog). */
static bool deref_dyn(parser *p, val *v, val *out)
{
    const wb_type *s = strip(v->type);
    uint64_t ptr = 0, vt = 0, off = 0;
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        if (!m->name || m->offset + 4 > v->size) continue;
        if (strcmp(m->name, "pointer") == 0) ptr = load_le(v->bytes + m->offset, 4);
        if (strcmp(m->name, "vtable") == 0) vt = load_le(v->bytes + m->offset, 4);
    }
    vfree(v);
    const char *sym =
        p->env->data_symbol && vt ? p->env->data_symbol(p->env->user, vt, &off) : NULL;
    const char *as = sym && sym[0] == '<' ? strstr(sym, " as ") : NULL;
    if (!as || off != 0 || !p->env->type_named)
        return fail(p, "Could not find the type of the value a trait object points to.");
    char name[256];
    size_t n = (size_t)(as - sym - 1);
    if (n >= sizeof name) return fail(p, "type name too long");
    memcpy(name, sym + 1, n);
    name[n] = 0;
    const wb_type *t = NULL;
    wb_error er;
    if (p->env->type_named(p->env->user, name, &t, &er) != WB_OK || !t)
        return fail(p, "No type named %s.", name);
    return read_obj(p, t, ptr, out);
}

static bool deref(parser *p, val *v, val *out)
{
    memset(out, 0, sizeof *out);
    if (!check_pending(p)) {
        vfree(v);
        return false;
    }
    const wb_type *s = strip(v->type);
    if (s->kind == WB_TYPE_ARRAY && v->kind != WB_VAL_MEMORY) {
        /* An element of a computed array: from its bytes. */
        const wb_type *el = element_type(p, s);
        bool ok = el && new_value(p, el, out);
        if (ok && out->size && out->size <= v->size) memcpy(out->bytes, v->bytes, out->size);
        vfree(v);
        return ok;
    }
    if (!decay(p, v)) {
        vfree(v);
        return false;
    }
    s = strip(v->type);
    if (v->kind == WB_VAL_OPTIMIZED) {
        vfree(v);
        return fail(p, "value has been optimized out");
    }
    if (s->kind == WB_TYPE_STRUCT && s->rust && s->nmembers == 2 && s->members[0].name &&
        s->members[1].name && strcmp(s->members[0].name, "pointer") == 0 &&
        strcmp(s->members[1].name, "vtable") == 0) /* &dyn T, Box<dyn T> */
        return deref_dyn(p, v, out);
    if (s->kind == WB_TYPE_POINTER) {
        const wb_type *t = s->target ? s->target : &builtin[B_VOID];
        const wb_type *ts = strip(t);
        uint64_t a = v->bytes ? load_le(v->bytes, v->size) : 0;
        vfree(v);
        if (ts->kind == WB_TYPE_VOID)
            return fail(p, "Attempt to take contents of a non-pointer value.");
        if (ts->kind == WB_TYPE_FUNCTION) {
            if (!new_value(p, t, out)) return false;
            out->kind = WB_VAL_MEMORY;
            out->addr = a;
            return true;
        }
        return read_obj(p, t, a, out);
    }
    if (is_int_kind(s) && s->enc != WB_ENC_BOOL) {
        /* gdb reads a long at an integer "address". */
        int64_t a;
        wb_error er;
        if (wb_value_as_i64(v, &a, &er) != WB_OK) {
            vfree(v);
            return fail(p, "%s", er.msg);
        }
        vfree(v);
        return read_obj(p, &builtin[B_LONG], (uint64_t)a & 0xffffffffu, out);
    }
    vfree(v);
    return fail(p, "Attempt to take contents of a non-pointer value.");
}

/* &v (consumed). */
static bool address_of(parser *p, val *v, val *out)
{
    memset(out, 0, sizeof *out);
    if (strip(v->type)->kind == WB_TYPE_FUNCTION) {
        /* &f: the pointer f decays to */
        *out = *v;
        return decay(p, out);
    }
    if (v->kind != WB_VAL_MEMORY || v->bit_size) {
        vfree(v);
        return fail(p, "Attempt to take address of value not located in memory.");
    }
    const wb_type *pt = pointer_to(p, v->type);
    uint64_t a = v->addr;
    vfree(v);
    if (!pt) return false;
    return mk_int(p, pt, a, out);
}

/* a[i] (both consumed). */
static bool subscript(parser *p, val *a, val *i, val *out)
{
    memset(out, 0, sizeof *out);
    const wb_type *s = strip(a->type);
    num n;
    if (s->kind == WB_TYPE_STRUCT && s->rust && s->name && s->name[0] == '&') {
        /* a Rust slice: its data_ptr (bounds checked against length) */
        val dp, len;
        val acopy;
        wb_error er;
        if (wb_value_copy(&acopy, a, &er) != WB_OK) {
            vfree(a);
            vfree(i);
            return fail(p, "%s", er.msg);
        }
        if (!member_of(p, a, "data_ptr", false, &dp)) {
            vfree(&acopy);
            vfree(i);
            return false;
        }
        if (!member_of(p, &acopy, "length", false, &len)) {
            vfree(&dp);
            vfree(i);
            return false;
        }
        num ln, in;
        bool ok = get_num(p, &len, &ln) && get_num(p, i, &in);
        vfree(&len);
        if (ok && in.cls == 'i' && ln.cls == 'i' && in.u > ln.u) { /* gdb 13 lets [len] through */
            vfree(&dp);
            vfree(i);
            return fail(p, "Index greater than length");
        }
        if (!ok) {
            vfree(&dp);
            vfree(i);
            return false;
        }
        return subscript(p, &dp, i, out);
    }
    if (s->kind != WB_TYPE_ARRAY && s->kind != WB_TYPE_POINTER && s->rust) {
        vfree(a);
        vfree(i);
        return fail(p, "Cannot subscript non-array type");
    }
    if (s->kind != WB_TYPE_ARRAY && s->kind != WB_TYPE_POINTER) {
        char tn[200];
        wb_type_spell(a->type, NULL, tn, sizeof tn);
        vfree(a);
        vfree(i);
        return fail(p, "cannot subscript something of type `%s'", tn);
    }
    bool ok = get_num(p, i, &n);
    vfree(i);
    if (!ok || n.cls != 'i') {
        vfree(a);
        return ok ? fail(p, "Argument to arithmetic operation not a number or boolean.") : false;
    }
    int64_t idx = (int64_t)n.u; /* sign-extended for signed types */
    if (s->kind == WB_TYPE_ARRAY) {
        const wb_type *el = element_type(p, s);
        if (!el) {
            vfree(a);
            return false;
        }
        uint64_t es = wb_type_size(el);
        uint64_t count = s->ndims ? s->dims[0] : 0;
        if (idx >= 0 && (uint64_t)idx < count && es && (uint64_t)idx * es + es <= a->size) {
            if (!new_value(p, el, out)) {
                vfree(a);
                return false;
            }
            memcpy(out->bytes, a->bytes + (uint64_t)idx * es, (size_t)es);
            if (a->kind == WB_VAL_MEMORY) {
                out->kind = WB_VAL_MEMORY;
                out->addr = a->addr + (uint64_t)idx * es;
            }
            vfree(a);
            return true;
        }
        if (a->kind != WB_VAL_MEMORY) {
            vfree(a);
            return fail(p, "no such vector element");
        }
        uint64_t addr = a->addr + (uint64_t)idx * es;
        vfree(a);
        return read_obj(p, el, addr & 0xffffffffu, out);
    }
    uint64_t base = a->bytes ? load_le(a->bytes, a->size) : 0;
    const wb_type *t = s->target ? s->target : &builtin[B_VOID];
    uint64_t es = wb_type_size(t);
    vfree(a);
    if (strip(t)->kind == WB_TYPE_VOID)
        return fail(p, "Attempt to take contents of a non-pointer value.");
    return read_obj(p, t, (base + (uint64_t)idx * es) & 0xffffffffu, out);
}

/* ++x / --x / x++ / x-- (v consumed). */
static bool incdec(parser *p, val *v, int op, bool post, val *out)
{
    val old, one, sum;
    wb_error er;
    if (wb_value_copy(&old, v, &er) != WB_OK) {
        vfree(v);
        return fail(p, "%s", er.msg);
    }
    val cpy;
    if (wb_value_copy(&cpy, v, &er) != WB_OK) {
        vfree(v);
        vfree(&old);
        return fail(p, "%s", er.msg);
    }
    if (!mk_int(p, &builtin[B_INT], 1, &one) ||
        !binop(p, op == T_INC ? '+' : '-', &cpy, &one, &sum)) {
        vfree(v);
        vfree(&old);
        return false;
    }
    val res;
    if (!assign(p, v, &sum, &res)) {
        vfree(&old);
        return false;
    }
    if (post) {
        vfree(&res);
        old.kind = WB_VAL_RVALUE;
        *out = old;
    } else {
        vfree(&old);
        *out = res;
    }
    return true;
}

static bool parse_postfix(parser *p, val *out)
{
    if (!parse_primary(p, out)) return false;
    for (;;) {
        int k = kind(p);
        if (k == '[') {
            p->pos++;
            val idx, r;
            if (!parse_comma(p, &idx)) {
                vfree(out);
                return false;
            }
            if (kind(p) != ']') {
                vfree(&idx);
                vfree(out);
                return syntax_error(p);
            }
            p->pos++;
            if (!subscript(p, out, &idx, &r)) return false;
            *out = r;
        } else if (k == '.' || k == T_ARROW) {
            p->pos++;
            bool field_no = k == '.' && kind(p) == T_NUM;
            if (kind(p) != T_IDENT && !field_no) {
                vfree(out);
                return syntax_error(p);
            }
            char *name = tok_text(p, cur(p));
            if (name && field_no) { /* Rust's t.0 is the member __0 */
                char *n2 = malloc(strlen(name) + 3);
                if (n2) sprintf(n2, "__%s", name);
                free(name);
                name = n2;
            }
            if (!name) {
                vfree(out);
                return fail(p, "out of memory");
            }
            p->pos++;
            val r;
            bool ok = member_of(p, out, name, k == T_ARROW, &r);
            free(name);
            if (!ok) return false;
            *out = r;
        } else if (k == T_INC || k == T_DEC) {
            p->pos++;
            val r;
            if (!incdec(p, out, k, true, &r)) return false;
            *out = r;
        } else if (k == '(') {
            vfree(out);
            return fail(p, "Calling functions is not supported.");
        } else {
            return true;
        }
    }
}

/* At '(' : is this a cast (or sizeof's type)? Parses the type and the
 * closing parenthesis when it is. 1: yes, 0: no, -1: error. */
static int paren_type(parser *p, const wb_type **t)
{
    size_t save = p->pos;
    p->pos++;
    int r = parse_type_name(p, true, t);
    if (r <= 0) {
        p->pos = save;
        return r;
    }
    if (kind(p) != ')') {
        syntax_error(p);
        return -1;
    }
    p->pos++;
    return 1;
}

static bool parse_unary(parser *p, val *out)
{
    memset(out, 0, sizeof *out);
    int k = kind(p);
    if (k == '-' || k == '+' || k == '!' || k == '~' || k == '*' || k == '&' || k == T_INC ||
        k == T_DEC) {
        if (!enter(p)) return false;
        p->pos++;
        val v;
        if (k == '&') p->lazy++;
        bool ok = parse_unary(p, &v);
        if (k == '&') p->lazy--;
        if (!ok) return false;
        p->depth--;
        switch (k) {
        case '*': return deref(p, &v, out);
        case '&':
            /* The contents of the operand are not needed: a read of them
             * that failed does not matter. */
            p->pending = false;
            return address_of(p, &v, out);
        case T_INC:
        case T_DEC: return incdec(p, &v, k, false, out);
        default: break;
        }
        num n;
        ok = get_num(p, &v, &n);
        vfree(&v);
        if (!ok) return false;
        if (k == '!') {
            bool z = n.cls == 'f' ? n.d == 0 : trunc_to(n.u, n.size) == 0;
            return mk_int(p, &builtin[B_INT], z, out);
        }
        if (n.cls == 'p')
            return fail(p, "Argument to arithmetic operation not a number or boolean.");
        if (n.cls == 'f') {
            if (k == '~')
                return fail(p, "Argument to complement operation not an integer, boolean.");
            if (n.size > 8) return fail(p, "long double arithmetic is not supported");
            return mk_double(p, &builtin[n.size == 8 ? B_DOUBLE : B_FLOAT], k == '-' ? -n.d : n.d,
                             out);
        }
        const wb_type *rt = int_type(n.size, n.uns, n.is_long);
        uint64_t r = k == '-' ? 0 - n.u : k == '~' ? ~n.u : n.u;
        return mk_int(p, rt, r, out);
    }
    if (tok_is(p, p->pos, "sizeof")) {
        if (!enter(p)) return false;
        p->pos++;
        const wb_type *t = NULL;
        int r = kind(p) == '(' ? paren_type(p, &t) : 0;
        if (r < 0) return false;
        if (r == 0) {
            val v;
            p->skip++;
            bool ok = parse_unary(p, &v);
            p->skip--;
            if (!ok) return false;
            t = v.type;
            vfree(&v);
        }
        p->depth--;
        const wb_type *s = strip(t);
        uint64_t size =
            s->kind == WB_TYPE_VOID || s->kind == WB_TYPE_FUNCTION ? 1 : wb_type_size(t);
        /* sizes saturate at UINT64_MAX (wb_type_size): no true size then */
        if (size == UINT64_MAX) {
            fail(p, "the type is too large for sizeof");
            return false;
        }
        /* int, as gdb; a size that int cannot hold (char[65536][65536]) is
         * an unsigned long long rather than cut to 0 */
        return mk_int(p, &builtin[size > INT32_MAX ? B_ULLONG : B_INT], size, out);
    }
    if (k == '(') {
        const wb_type *t;
        int r = paren_type(p, &t);
        if (r < 0) return false;
        if (r > 0) {
            if (!enter(p)) return false;
            val v;
            if (!parse_unary(p, &v)) return false;
            p->depth--;
            return convert(p, &v, t, out);
        }
    }
    return parse_postfix(p, out);
}

static int binop_prec(int k)
{
    switch (k) {
    case T_OROR: return 1;
    case T_ANDAND: return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case T_EQ:
    case T_NE: return 6;
    case '<':
    case '>':
    case T_LE:
    case T_GE: return 7;
    case T_SHL:
    case T_SHR: return 8;
    case '@': return 9;
    case '+':
    case '-': return 10;
    case '*':
    case '/':
    case '%': return 11;
    default: return 0;
    }
}

/* lhs@count: an artificial array of count objects starting at lhs. */
static bool artificial_array(parser *p, val *lhs, val *cnt, val *out)
{
    num n;
    bool ok = get_num(p, cnt, &n);
    vfree(cnt);
    memset(out, 0, sizeof *out);
    if (lhs->kind != WB_VAL_MEMORY || lhs->bit_size) {
        vfree(lhs);
        return ok ? fail(p, "Only values in memory can be extended with '@'.") : false;
    }
    if (!ok) {
        vfree(lhs);
        return false;
    }
    int64_t c = n.cls == 'i' ? as_signed(n.u, n.size) : 0;
    if (n.cls != 'i' || c <= 0) {
        vfree(lhs);
        return fail(p, "Only values in memory can be extended with '@'.");
    }
    const wb_type *at = derive(p, 'a', lhs->type, (uint64_t)c);
    uint64_t a = lhs->addr;
    vfree(lhs);
    return at && read_obj(p, at, a, out);
}

static bool parse_binary(parser *p, int minprec, val *out)
{
    if (!parse_unary(p, out)) return false;
    for (;;) {
        int op = kind(p);
        int prec = binop_prec(op);
        if (!prec || prec < minprec) return true;
        p->pos++;
        val rhs, r;
        if (op == T_ANDAND || op == T_OROR) {
            bool t;
            wb_error er;
            if (wb_value_truth(out, &t, &er) != WB_OK) {
                vfree(out);
                if (p->skip)
                    t = false;
                else
                    return fail(p, "%s", er.msg);
            }
            vfree(out);
            bool decided = op == T_ANDAND ? !t : t;
            if (decided) p->skip++;
            bool ok = parse_binary(p, prec + 1, &rhs);
            if (decided) p->skip--;
            if (!ok) return false;
            bool rt = false;
            if (!decided && wb_value_truth(&rhs, &rt, &er) != WB_OK) {
                vfree(&rhs);
                if (!p->skip) return fail(p, "%s", er.msg);
            }
            vfree(&rhs);
            if (!mk_int(p, &builtin[B_INT], decided ? (op == T_OROR) : rt, out)) return false;
            continue;
        }
        if (!parse_binary(p, prec + 1, &rhs)) {
            vfree(out);
            return false;
        }
        bool ok = op == '@' ? artificial_array(p, out, &rhs, &r) : binop(p, op, out, &rhs, &r);
        if (!ok) return false;
        *out = r;
    }
}

static bool parse_ternary(parser *p, val *out)
{
    if (!parse_binary(p, 1, out)) return false;
    if (kind(p) != '?') return true;
    if (!enter(p)) {
        vfree(out);
        return false;
    }
    p->pos++;
    bool t = false;
    wb_error er;
    if (wb_value_truth(out, &t, &er) != WB_OK && !p->skip) {
        vfree(out);
        return fail(p, "%s", er.msg);
    }
    vfree(out);
    val a, b;
    if (!t) p->skip++;
    bool ok = parse_comma(p, &a);
    if (!t) p->skip--;
    if (!ok) return false;
    if (kind(p) != ':') {
        vfree(&a);
        return syntax_error(p);
    }
    p->pos++;
    if (t) p->skip++;
    ok = parse_ternary(p, &b);
    if (t) p->skip--;
    if (!ok) {
        vfree(&a);
        return false;
    }
    p->depth--;
    /* gdb gives the chosen operand as it is (no conversion to a common
     * type): `1 ? c : 2.0` is a char. */
    if (t) {
        vfree(&b);
        *out = a;
    } else {
        vfree(&a);
        *out = b;
    }
    return true;
}

static bool parse_assign(parser *p, val *out)
{
    if (!parse_ternary(p, out)) return false;
    int k = kind(p);
    if (k != '=' && k != T_ASSIGN_OP) return true;
    int op = cur(p)->op;
    if (!enter(p)) {
        vfree(out);
        return false;
    }
    p->pos++;
    val rhs, r;
    if (!parse_assign(p, &rhs)) {
        vfree(out);
        return false;
    }
    p->depth--;
    if (k == T_ASSIGN_OP) {
        if (out->kind != WB_VAL_MEMORY && out->kind != WB_VAL_REGISTER) {
            vfree(out);
            vfree(&rhs);
            return fail(p, "Left operand of assignment is not an lvalue.");
        }
        val cpy, sum;
        wb_error er;
        if (wb_value_copy(&cpy, out, &er) != WB_OK) {
            vfree(out);
            vfree(&rhs);
            return fail(p, "%s", er.msg);
        }
        if (!binop(p, op, &cpy, &rhs, &sum)) {
            vfree(out);
            return false;
        }
        rhs = sum;
    }
    if (!assign(p, out, &rhs, &r)) return false;
    *out = r;
    return true;
}

static bool parse_comma(parser *p, val *out)
{
    if (!parse_assign(p, out)) return false;
    while (kind(p) == ',') {
        p->pos++;
        vfree(out);
        if (!parse_assign(p, out)) return false;
    }
    return true;
}

/* ------------------------------------------------------------- entries */

static wb_status start(parser *p, wb_eval *e, const wb_eval_env *env, const char *text,
                       wb_error *err)
{
    static const wb_eval_env none = {0};
    memset(p, 0, sizeof *p);
    p->e = e;
    p->env = env ? env : &none;
    p->src = text ? text : "";
    p->err = err;
    if (!e) return wb_fail(err, "no evaluator");
    if (!tokenize(p)) {
        free(p->toks);
        p->toks = NULL;
        return WB_ERROR;
    }
    return WB_OK;
}

wb_status wb_eval_expr(wb_eval *e, const wb_eval_env *env, const char *expr, wb_value *out,
                       wb_error *err)
{
    parser p;
    memset(out, 0, sizeof *out);
    if (start(&p, e, env, expr, err) != WB_OK) return WB_ERROR;
    val v = {0};
    bool ok = parse_comma(&p, &v);
    if (ok && kind(&p) != T_END) {
        vfree(&v);
        ok = syntax_error(&p);
    }
    free(p.toks);
    if (!ok) {
        if (!p.failed) wb_fail(err, "error in expression");
        return WB_ERROR;
    }
    *out = v;
    return WB_OK;
}

wb_status wb_eval_type(wb_eval *e, const wb_eval_env *env, const char *text, const wb_type **out,
                       wb_error *err)
{
    parser p;
    if (start(&p, e, env, text, err) != WB_OK) return WB_ERROR;
    const wb_type *t = NULL;
    int r = parse_type_name(&p, false, &t);
    wb_status st = WB_OK;
    if (r < 0)
        st = WB_ERROR;
    else if (r == 0 || kind(&p) != T_END)
        st = WB_NOT_FOUND;
    free(p.toks);
    if (st == WB_OK) *out = t;
    return st;
}
