/*
 * wb_value: values, reading variables through their locations, and
 * gdb-style printing (see wb_value.h). The expression evaluator is in
 * wb_expr.c.
 *
 * The printing rules were checked against gdb 13.1 printing the same
 * values in a native C program (gdb/valprint.c, c-valprint.c and
 * printcmd.c in behaviour): `print elements` 200, `print repeats` 10
 * (a run is collapsed when it is longer than 10), the elements limit
 * counted per array with a collapsed run counting as 10 elements, and
 * for character strings a collapsed run counting its full length.
 */
#include "wb_value.h"

#include "wb_sbuf.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest object read into a value: a type may claim 4 GB (corrupt
 * DWARF, a cast of a pointer to a huge array), and reading it would
 * exhaust memory. gdb has the same guard (`max-value-size`, 64 KB). */
#define WB_VALUE_MAX_SIZE (64u * 1024u)
#define PRINT_MAX 200       /* gdb `print elements` */
#define REPEAT_THRESHOLD 10 /* gdb `print repeats` */
#define FMT_MAX_DEPTH 40    /* nesting of aggregates printed */

/* ------------------------------------------------------------ strings */

static void add_type(wb_sbuf *b, const wb_type *t)
{
    char tmp[256];
    size_t n = wb_type_spell(t, NULL, tmp, sizeof tmp);
    if (n < sizeof tmp) {
        wb_sb_add(b, tmp);
        return;
    }
    char *big = malloc(n + 1);
    if (!big) {
        b->oom = true;
        return;
    }
    wb_type_spell(t, NULL, big, n + 1);
    wb_sb_add(b, big);
    free(big);
}

/* ------------------------------------------------------------ scalars */

static uint64_t load_le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    if (n > 8) n = 8;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int64_t sext(uint64_t v, size_t bytes)
{
    if (bytes == 0 || bytes >= 8) return (int64_t)v;
    unsigned bits = (unsigned)bytes * 8;
    uint64_t m = 1ull << (bits - 1);
    v &= (1ull << bits) - 1;
    return (int64_t)((v ^ m) - m);
}

static uint64_t mask_to(uint64_t v, size_t bytes)
{
    return bytes >= 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

static bool type_is_char(const wb_type *t)
{
    t = wb_type_strip(t);
    return t && t->kind == WB_TYPE_BASE && t->size == 1 &&
           (t->enc == WB_ENC_SIGNED_CHAR || t->enc == WB_ENC_UNSIGNED_CHAR);
}

static bool type_is_signed(const wb_type *t)
{
    t = wb_type_strip(t);
    if (!t) return false;
    if (t->kind == WB_TYPE_BASE || t->kind == WB_TYPE_ENUM)
        return t->enc == WB_ENC_SIGNED || t->enc == WB_ENC_SIGNED_CHAR ||
               (t->kind == WB_TYPE_BASE && t->enc == WB_ENC_FLOAT);
    return false;
}

static bool is_aggregate(const wb_type *s)
{
    return s && (s->kind == WB_TYPE_STRUCT || s->kind == WB_TYPE_UNION || s->kind == WB_TYPE_ARRAY);
}

/* Does the missing-bytes map flag any of [off, off + n)? */
static bool any_missing(const uint8_t *missing, size_t n)
{
    if (!missing) return false;
    for (size_t i = 0; i < n; i++)
        if (missing[i]) return true;
    return false;
}

/* ------------------------------------------------------ value basics */

void wb_value_free(wb_value *v)
{
    if (!v) return;
    free(v->bytes);
    free(v->missing);
    free(v->own_type);
    v->bytes = NULL;
    v->missing = NULL;
    v->own_type = NULL;
    v->size = 0;
}

/* Copies an owned type (a wb_type followed by its dims in one block). */
static wb_type *dup_own_type(const wb_type *t)
{
    size_t sz = sizeof(wb_type) + t->ndims * sizeof(uint64_t);
    wb_type *c = malloc(sz);
    if (!c) return NULL;
    memcpy(c, t, sz);
    c->dims = (const uint64_t *)(c + 1);
    return c;
}

wb_status wb_value_copy(wb_value *dst, const wb_value *src, wb_error *err)
{
    wb_value c = *src;
    c.bytes = NULL;
    c.missing = NULL;
    c.own_type = NULL;
    if (src->size && src->bytes) {
        if (!(c.bytes = malloc(src->size))) goto oom;
        memcpy(c.bytes, src->bytes, src->size);
    }
    if (src->missing && src->size) {
        if (!(c.missing = malloc(src->size))) goto oom;
        memcpy(c.missing, src->missing, src->size);
    }
    if (src->own_type) {
        if (!(c.own_type = dup_own_type(src->own_type))) goto oom;
        if (src->type == src->own_type) c.type = c.own_type;
    }
    *dst = c;
    return WB_OK;
oom:
    wb_value_free(&c);
    return wb_fail(err, "out of memory");
}

wb_status wb_value_from_bytes(const wb_type *t, const void *bytes, size_t len, wb_value *out,
                              wb_error *err)
{
    memset(out, 0, sizeof *out);
    if (!t) return wb_fail(err, "value without a type");
    uint64_t size = wb_type_size(t);
    if (size > WB_VALUE_MAX_SIZE)
        return wb_fail(err, "value requires %" PRIu64 " bytes, which is more than max-value-size",
                       size);
    out->type = t;
    out->kind = WB_VAL_RVALUE;
    out->size = (size_t)size;
    if (size) {
        if (!(out->bytes = calloc(1, (size_t)size))) return wb_fail(err, "out of memory");
        if (bytes) memcpy(out->bytes, bytes, len < size ? len : (size_t)size);
    }
    return WB_OK;
}

wb_status wb_value_as_i64(const wb_value *v, int64_t *out, wb_error *err)
{
    if (v->kind == WB_VAL_OPTIMIZED) return wb_fail(err, "value has been optimized out");
    const wb_type *s = wb_type_strip(v->type);
    if (!s || is_aggregate(s) || s->kind == WB_TYPE_VOID || s->kind == WB_TYPE_FUNCTION ||
        s->kind == WB_TYPE_UNKNOWN)
        return wb_fail(err, "Argument to arithmetic operation not a number or boolean.");
    if (any_missing(v->missing, v->size)) return wb_fail(err, "value has been optimized out");
    size_t n = v->size < 8 ? v->size : 8;
    uint64_t raw = v->bytes ? load_le(v->bytes, n) : 0;
    if (s->kind == WB_TYPE_BASE && s->enc == WB_ENC_FLOAT) {
        double d;
        if (wb_value_as_double(v, &d, err) != WB_OK) return WB_ERROR;
        if (isnan(d))
            *out = 0;
        else if (d >= 9223372036854775807.0)
            *out = INT64_MAX;
        else if (d <= -9223372036854775808.0)
            *out = INT64_MIN;
        else
            *out = (int64_t)d;
        return WB_OK;
    }
    *out = type_is_signed(s) ? sext(raw, n) : (int64_t)mask_to(raw, n);
    return WB_OK;
}

wb_status wb_value_as_double(const wb_value *v, double *out, wb_error *err)
{
    if (v->kind == WB_VAL_OPTIMIZED) return wb_fail(err, "value has been optimized out");
    const wb_type *s = wb_type_strip(v->type);
    if (s && s->kind == WB_TYPE_BASE && s->enc == WB_ENC_FLOAT) {
        if (any_missing(v->missing, v->size)) return wb_fail(err, "value has been optimized out");
        if (v->size == 4 && v->bytes) {
            float f;
            memcpy(&f, v->bytes, 4);
            *out = f;
            return WB_OK;
        }
        if (v->size == 8 && v->bytes) {
            memcpy(out, v->bytes, 8);
            return WB_OK;
        }
        return wb_fail(err, "floating-point values of %zu bytes are not supported", v->size);
    }
    int64_t i;
    if (wb_value_as_i64(v, &i, err) != WB_OK) return WB_ERROR;
    if (!type_is_signed(s) && i < 0)
        *out = (double)(uint64_t)i;
    else
        *out = (double)i;
    return WB_OK;
}

wb_status wb_value_truth(const wb_value *v, bool *out, wb_error *err)
{
    const wb_type *s = wb_type_strip(v->type);
    if (s && s->kind == WB_TYPE_BASE && s->enc == WB_ENC_FLOAT) {
        double d;
        if (wb_value_as_double(v, &d, err) != WB_OK) return WB_ERROR;
        *out = d != 0;
        return WB_OK;
    }
    int64_t i;
    if (wb_value_as_i64(v, &i, err) != WB_OK) return WB_ERROR;
    *out = i != 0;
    return WB_OK;
}

/* ------------------------------------------------- reading variables */

/* The value of a Wasm local, global or operand stack entry as 16 bytes,
 * little-endian: all of a v128's when the target gives them (read_bytes,
 * for objects wider than 8 bytes: `want`), else the 64-bit value and
 * zeros. */
static wb_status read_place(const wb_loc_target *t, wb_place_kind k, uint64_t idx, size_t want,
                            uint8_t buf[16], wb_error *err)
{
    wb_status (*fn)(void *, uint32_t, uint64_t *, wb_error *) = NULL;
    const char *what = "local";
    if (k == WB_PLACE_LOCAL)
        fn = t->read_local;
    else if (k == WB_PLACE_GLOBAL)
        fn = t->read_global, what = "global";
    else
        fn = t->read_stack, what = "operand stack entry";
    memset(buf, 0, 16);
    if (want > 8 && t->read_bytes && idx <= UINT32_MAX) {
        size_t n = 0;
        if (t->read_bytes(t->user, k, (uint32_t)idx, buf, &n, NULL) != WB_OK || n > 16)
            return wb_fail(err, "Cannot read Wasm %s %" PRIu64, what, idx);
        memset(buf + n, 0, 16 - n);
        return WB_OK;
    }
    uint64_t val;
    if (!fn || idx > UINT32_MAX || fn(t->user, (uint32_t)idx, &val, NULL) != WB_OK)
        return wb_fail(err, "Cannot read Wasm %s %" PRIu64, what, idx);
    for (size_t i = 0; i < 8; i++)
        buf[i] = (uint8_t)(val >> (8 * i));
    return WB_OK;
}

wb_status wb_value_of_var(const wb_var *v, wb_code_off pc, const wb_loc_target *t, wb_value *out,
                          wb_error *err)
{
    static const wb_type void_type = {.kind = WB_TYPE_VOID, .name = "void"};
    wb_value r = {0};
    memset(out, 0, sizeof *out);
    if (!v) return wb_fail(err, "no variable");
    r.type = v->type ? v->type : &void_type;
    uint64_t size = wb_type_size(r.type);
    if (size > WB_VALUE_MAX_SIZE)
        return wb_fail(err, "value requires %" PRIu64 " bytes, which is more than max-value-size",
                       size);
    r.size = (size_t)size;

    if (v->has_const) {
        if (wb_value_from_bytes(r.type, NULL, 0, out, err) != WB_OK) return WB_ERROR;
        if (v->const_bytes && out->bytes)
            memcpy(out->bytes, v->const_bytes, v->const_len < out->size ? v->const_len : out->size);
        return WB_OK;
    }
    const uint8_t *expr = NULL;
    size_t len = 0;
    wb_status st = v->nlocs ? wb_loc_select(v, pc, &expr, &len) : WB_NOT_FOUND;
    if (st == WB_ERROR)
        return wb_fail(err, "bad location list for %s", v->name ? v->name : "variable");
    wb_location loc;
    memset(&loc, 0, sizeof loc);
    if (st == WB_OK && wb_loc_eval(expr, len, t, &loc, err) != WB_OK) return WB_ERROR;
    if (st == WB_NOT_FOUND || loc.npieces == 0 ||
        (loc.npieces == 1 && loc.pieces[0].kind == WB_PLACE_EMPTY)) {
        r.kind = WB_VAL_OPTIMIZED;
        r.size = 0;
        *out = r;
        return WB_OK;
    }
    if (r.size && !(r.bytes = calloc(1, r.size))) return wb_fail(err, "out of memory");

    if (loc.npieces == 1 && (loc.pieces[0].size == 0 || loc.pieces[0].size >= r.size)) {
        const wb_piece *p = &loc.pieces[0];
        switch (p->kind) {
        case WB_PLACE_MEMORY:
            r.kind = WB_VAL_MEMORY;
            r.addr = p->where;
            if (r.size &&
                (!t->read_memory || t->read_memory(t->user, p->where, r.bytes, r.size, NULL))) {
                wb_value_free(&r);
                return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, p->where);
            }
            break;
        case WB_PLACE_VALUE:
            r.kind = WB_VAL_RVALUE;
            for (size_t i = 0; i < r.size && i < 8; i++)
                r.bytes[i] = (uint8_t)(p->value >> (8 * i));
            break;
        default: {
            uint8_t val[16];
            if (read_place(t, p->kind, p->where, r.size, val, err) != WB_OK) {
                wb_value_free(&r);
                return WB_ERROR;
            }
            r.kind = WB_VAL_REGISTER;
            r.place = p->kind;
            r.place_index = p->where;
            memcpy(r.bytes, val, r.size < 16 ? r.size : 16);
            break;
        }
        }
        *out = r;
        return WB_OK;
    }

    /* Several pieces: assemble a computed value, remembering which bytes
     * no piece provided. */
    r.kind = WB_VAL_RVALUE;
    if (r.size && !(r.missing = calloc(1, r.size))) {
        wb_value_free(&r);
        return wb_fail(err, "out of memory");
    }
    size_t off = 0;
    for (size_t i = 0; i < loc.npieces && off < r.size; i++) {
        const wb_piece *p = &loc.pieces[i];
        size_t n = p->size ? p->size : r.size - off;
        if (n > r.size - off) n = r.size - off;
        uint8_t *dst = r.bytes + off;
        if (p->kind == WB_PLACE_EMPTY) {
            memset(r.missing + off, 1, n);
            r.partial = true;
        } else if (p->kind == WB_PLACE_MEMORY) {
            if (!t->read_memory || t->read_memory(t->user, p->where, dst, n, NULL) != WB_OK) {
                wb_value_free(&r);
                return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, p->where);
            }
        } else {
            uint8_t val[16] = {0};
            if (p->kind == WB_PLACE_VALUE) {
                for (size_t k = 0; k < 8; k++)
                    val[k] = (uint8_t)(p->value >> (8 * k));
            } else if (read_place(t, p->kind, p->where, n, val, err) != WB_OK) {
                wb_value_free(&r);
                return WB_ERROR;
            }
            for (size_t k = 0; k < n; k++)
                dst[k] = k < 16 ? val[k] : 0;
        }
        off += n;
    }
    if (off < r.size) {
        memset(r.missing + off, 1, r.size - off);
        r.partial = true;
    }
    if (!r.partial) {
        free(r.missing);
        r.missing = NULL;
    }
    *out = r;
    return WB_OK;
}

/* ------------------------------------------------------------ printing */

typedef struct fctx {
    const wb_eval_env *env;
    char fmt;
    wb_sbuf *o;
    bool summary;   /* one level only (DAP) */
    bool no_prefix; /* no "(type) " before a top-level pointer or reference */
    bool pretty;    /* gdb's `set print pretty on`: a struct's members one a line */
    bool raw;       /* print/r: Rust's String and Vec as their fields */
} fctx;

/* A piece of a value being printed: bytes (n of them, the type's size or
 * fewer when the value was cut short), which of them are missing, and the
 * address when it came from memory. */
typedef struct view {
    const wb_type *type;
    const uint8_t *bytes;
    size_t n;
    const uint8_t *missing;
    bool have_addr;
    uint64_t addr;
    bool fn_code; /* a function at code offset addr (wb_value.fn_code) */
} view;

static void fmt_view(fctx *c, const view *v, bool top, int depth);

/* A character as gdb prints it inside quotes `q` (' or "): C escapes,
 * octal for other non-printable bytes (gdb in a C/ASCII locale). */
static void add_char(wb_sbuf *o, unsigned ch, char q)
{
    switch (ch) {
    case '\a': wb_sb_add(o, "\\a"); return;
    case '\b': wb_sb_add(o, "\\b"); return;
    case '\f': wb_sb_add(o, "\\f"); return;
    case '\n': wb_sb_add(o, "\\n"); return;
    case '\r': wb_sb_add(o, "\\r"); return;
    case '\t': wb_sb_add(o, "\\t"); return;
    case '\v': wb_sb_add(o, "\\v"); return;
    case '\\': wb_sb_add(o, "\\\\"); return;
    default: break;
    }
    if (ch == (unsigned char)q) {
        char e[3] = {'\\', q, 0};
        wb_sb_add(o, e);
    } else if (ch >= 0x20 && ch < 0x7f) {
        char e[2] = {(char)ch, 0};
        wb_sb_add(o, e);
    } else if (ch <= 0777) {
        wb_sb_addf(o, "\\%03o", ch);
    } else {
        wb_sb_addf(o, "\\x%x", ch);
    }
}

/* `97 'a'` for a character value. */
static void add_char_value(wb_sbuf *o, int64_t num, unsigned ch, const char *prefix)
{
    wb_sb_addf(o, "%" PRId64 " %s'", num, prefix);
    add_char(o, ch, '\'');
    wb_sb_add(o, "'");
}

/* A character string as gdb's printstr shows it: quoted runs, runs of
 * more than 10 equal characters as `'x' <repeats N times>`, at most 200
 * characters (a collapsed run counts its length), "..." when cut. */
static void add_string(wb_sbuf *o, const uint8_t *s, size_t len, bool drop_nul, bool force_dots)
{
    if (drop_nul && !force_dots && len > 0 && s[len - 1] == 0) len--;
    if (len == 0) {
        wb_sb_add(o, "\"\"");
        return;
    }
    bool in_quote = false, any = false;
    size_t i = 0, printed = 0;
    while (i < len && printed < PRINT_MAX) {
        size_t j = i + 1;
        while (j < len && s[j] == s[i])
            j++;
        size_t reps = j - i;
        if (reps > REPEAT_THRESHOLD) {
            if (in_quote) wb_sb_add(o, "\"");
            if (any) wb_sb_add(o, ", ");
            wb_sb_add(o, "'");
            add_char(o, s[i], '\'');
            wb_sb_addf(o, "' <repeats %zu times>", reps);
            in_quote = false;
        } else {
            if (!in_quote) {
                if (any) wb_sb_add(o, ", ");
                wb_sb_add(o, "\"");
                in_quote = true;
            }
            for (size_t k = 0; k < reps; k++)
                add_char(o, s[i], '"');
        }
        any = true;
        printed += reps;
        i = j;
    }
    if (in_quote) wb_sb_add(o, "\"");
    if (force_dots || i < len) wb_sb_add(o, "...");
}

static wb_status env_read(const wb_eval_env *env, uint64_t addr, void *buf, size_t len)
{
    if (!env || !env->read_memory) return WB_ERROR;
    if (len == 0) return WB_OK;
    return env->read_memory(env->user, addr, buf, len, NULL);
}

/* The value of type t at addr in the program's memory (kind
 * WB_VAL_MEMORY), as a child in the variables view or a reference's
 * referent is: the size bounded by max-value-size, gdb's words when the
 * memory cannot be read. */
static wb_status memory_value(const wb_eval_env *env, const wb_type *t, uint64_t addr,
                              wb_value *out, wb_error *err)
{
    uint64_t size = wb_type_size(t);
    if (size > WB_VALUE_MAX_SIZE)
        return wb_fail(err,
                       "value requires %" PRIu64 " bytes, which is more than "
                       "max-value-size",
                       size);
    WB_TRY(wb_value_from_bytes(t, NULL, 0, out, err));
    if (env_read(env, addr, out->bytes, out->size) != WB_OK) {
        wb_value_free(out);
        return wb_fail(err, "Cannot access memory at address 0x%" PRIx64, addr);
    }
    out->kind = WB_VAL_MEMORY;
    out->addr = addr;
    return WB_OK;
}

size_t wb_value_read_cstring(const wb_eval_env *env, uint64_t addr, uint8_t *buf, size_t max,
                             bool *nul, bool *failed)
{
    size_t len = 0;
    *nul = *failed = false;
    while (len < max && !*nul && !*failed) {
        size_t chunk = max - len < 64 ? max - len : 64;
        if (env_read(env, addr + len, buf + len, chunk) != WB_OK) {
            /* Find how far memory is readable. */
            size_t k = 0;
            for (; k < chunk; k++)
                if (env_read(env, addr + len + k, buf + len + k, 1) != WB_OK) break;
            chunk = k;
            *failed = true;
        }
        for (size_t k = 0; k < chunk; k++) {
            if (buf[len + k] == 0) {
                *nul = true;
                chunk = k;
                *failed = false;
                break;
            }
        }
        len += chunk;
    }
    return len;
}

/* The string at `addr` as a char pointer shows it: up to 200 characters,
 * stopping at a NUL. */
static void add_cstring(wb_sbuf *o, const wb_eval_env *env, uint64_t addr)
{
    uint8_t buf[PRINT_MAX];
    bool nul, failed;
    size_t len = wb_value_read_cstring(env, addr, buf, PRINT_MAX, &nul, &failed);
    if (failed) {
        if (len) add_string(o, buf, len, false, false);
        wb_sb_addf(o, "<error: Cannot access memory at address 0x%" PRIx64 ">", addr + len);
        return;
    }
    add_string(o, buf, len, false, !nul && len == PRINT_MAX);
}

static void add_float(wb_sbuf *o, const uint8_t *b, size_t n)
{
    if (n == 4) {
        float f;
        uint32_t bits = (uint32_t)load_le(b, 4);
        memcpy(&f, &bits, 4);
        if (isnan(f))
            wb_sb_addf(o, "%snan(0x%" PRIx32 ")", bits >> 31 ? "-" : "", bits & 0x7fffffu);
        else if (isinf(f))
            wb_sb_add(o, f < 0 ? "-inf" : "inf");
        else
            wb_sb_addf(o, "%.9g", (double)f);
        return;
    }
    if (n == 8) {
        double d;
        uint64_t bits = load_le(b, 8);
        memcpy(&d, &bits, 8);
        if (isnan(d))
            wb_sb_addf(o, "%snan(0x%" PRIx64 ")", bits >> 63 ? "-" : "",
                       (uint64_t)(bits & 0xfffffffffffffull));
        else if (isinf(d))
            wb_sb_add(o, d < 0 ? "-inf" : "inf");
        else
            wb_sb_addf(o, "%.17g", d);
        return;
    }
    /* long double (binary128 in Wasm) and odd sizes: the raw bits. */
    wb_sb_add(o, "0x");
    size_t i = n;
    while (i > 1 && b[i - 1] == 0)
        i--;
    wb_sb_addf(o, "%x", b[i - 1]);
    while (--i > 0)
        wb_sb_addf(o, "%02x", b[i - 1]);
}

/* An integer's raw bits (size bytes) in one of the x/z/o/t/d/u formats. */
static void add_int_as(wb_sbuf *o, uint64_t raw, size_t size, char fmt)
{
    size_t sz = size > 8 ? 8 : size;
    uint64_t u = mask_to(raw, sz);
    switch (fmt) {
    case 'x':
    case 'a': wb_sb_addf(o, "0x%" PRIx64, u); return;
    case 'z': wb_sb_addf(o, "0x%0*" PRIx64, (int)(sz * 2), u); return;
    case 'o':
        if (u)
            wb_sb_addf(o, "0%" PRIo64, u);
        else
            wb_sb_add(o, "0");
        return;
    case 't': {
        char bits[65];
        int k = 64;
        bits[k] = 0;
        do {
            bits[--k] = (char)('0' + (u & 1));
            u >>= 1;
        } while (u);
        wb_sb_add(o, bits + k);
        return;
    }
    case 'd': wb_sb_addf(o, "%" PRId64, sext(u, sz)); return;
    default: wb_sb_addf(o, "%" PRIu64, u); return;
    }
}

static const char *enum_name(const wb_type *e, int64_t val)
{
    for (size_t i = 0; i < e->nenumerators; i++)
        if (e->enumerators[i].value == val) return e->enumerators[i].name;
    return NULL;
}

/* gdb treats an enum as a set of flags when every enumerator is zero or a
 * single bit, no two share a bit, and none is negative; a value that
 * matches no enumerator is then printed as `(A | B | unknown: 0x8)`. */
static bool is_flag_enum(const wb_type *e)
{
    uint64_t mask = 0;
    if (e->nenumerators == 0) return false;
    for (size_t i = 0; i < e->nenumerators; i++) {
        int64_t v = e->enumerators[i].value;
        if (v < 0 || (v & (v - 1)) != 0 || ((uint64_t)v & mask)) return false;
        mask |= (uint64_t)v;
    }
    return true;
}

static void add_enum(wb_sbuf *o, const wb_type *e, uint64_t raw, size_t size)
{
    int64_t val = e->enc == WB_ENC_UNSIGNED || e->enc == WB_ENC_UNSIGNED_CHAR
                      ? (int64_t)mask_to(raw, size)
                      : sext(raw, size);
    const char *n = enum_name(e, val);
    if (n) {
        wb_sb_add(o, n);
        return;
    }
    if (!is_flag_enum(e)) {
        wb_sb_addf(o, "%" PRId64, val);
        return;
    }
    uint64_t rest = (uint64_t)val;
    bool first = true;
    for (size_t i = 0; i < e->nenumerators; i++) {
        uint64_t ev = (uint64_t)e->enumerators[i].value;
        if (ev && (rest & ev)) {
            wb_sb_add(o, first ? "(" : " | ");
            wb_sb_add(o, e->enumerators[i].name ? e->enumerators[i].name : "?");
            rest &= ~ev;
            first = false;
        }
    }
    if (rest)
        wb_sb_addf(o, "%sunknown: 0x%" PRIx64 ")", first ? "(" : " | ", rest);
    else if (first)
        wb_sb_add(o, "0");
    else
        wb_sb_add(o, ")");
}

static void add_function_pointer(fctx *c, uint64_t idx)
{
    wb_sb_addf(c->o, "0x%" PRIx64, idx);
    const char *name =
        c->env && c->env->function_name ? c->env->function_name(c->env->user, idx) : NULL;
    if (name) wb_sb_addf(c->o, " <%s>", name);
}

/* After a data pointer's value, the variable it points into: " <name>"
 * or " <name+offset>" (gdb's `set print symbol on`, its default). */
static void add_data_symbol(fctx *c, uint64_t addr)
{
    uint64_t off = 0;
    const char *name = addr && c->env && c->env->data_symbol
                           ? c->env->data_symbol(c->env->user, addr, &off)
                           : NULL;
    if (!name) return;
    if (off)
        wb_sb_addf(c->o, " <%s+%" PRIu64 ">", name, off);
    else
        wb_sb_addf(c->o, " <%s>", name);
}

/* Does a pointer of this type print without its "(type) " prefix? gdb
 * leaves it out for plain `char *` (its string says the type). */
static bool pointer_prefix_omitted(const wb_type *t)
{
    const wb_type *p = wb_type_strip_cv(t);
    if (!p || p->kind != WB_TYPE_POINTER) return false;
    const wb_type *tt = wb_type_strip_cv(p->target);
    return tt && tt->kind == WB_TYPE_BASE && tt->name && strcmp(tt->name, "char") == 0;
}

static void fmt_scalar(fctx *c, const view *v, const wb_type *s, bool top)
{
    wb_sbuf *o = c->o;
    size_t n = v->n;
    uint64_t raw = load_le(v->bytes, n);
    char fmt = c->fmt;
    bool is_float = s->kind == WB_TYPE_BASE && s->enc == WB_ENC_FLOAT;

    if (s->kind == WB_TYPE_UNKNOWN) {
        wb_sb_add(o, "<unknown type>");
        return;
    }
    if (fmt == 'c') {
        int64_t iv;
        if (is_float) {
            wb_value tmp = {.type = v->type, .size = n, .bytes = (uint8_t *)v->bytes};
            double d = 0;
            wb_value_as_double(&tmp, &d, NULL);
            iv = isnan(d) ? 0 : (int64_t)d;
        } else {
            iv = (int64_t)raw;
        }
        /* gdb casts to a character type of the value's signedness. */
        if (type_is_signed(s) || s->kind == WB_TYPE_POINTER)
            add_char_value(o, (int8_t)(uint8_t)iv, (uint8_t)iv, "");
        else
            add_char_value(o, (uint8_t)iv, (uint8_t)iv, "");
        return;
    }
    if (fmt == 'f' && !is_float) {
        if (n == 4 || n == 8) {
            add_float(o, v->bytes, n);
            return;
        }
        fmt = 'F'; /* a plain number */
    }
    if (fmt && fmt != 's' && fmt != 'f' && fmt != 'F') {
        if (n > 8 && (fmt == 'x' || fmt == 'z')) {
            add_float(o, v->bytes, n); /* raw hex */
            return;
        }
        add_int_as(o, raw, n, fmt);
        return;
    }
    if (fmt == 'F') {
        if (type_is_signed(s))
            wb_sb_addf(o, "%" PRId64, sext(raw, n));
        else
            wb_sb_addf(o, "%" PRIu64, mask_to(raw, n));
        return;
    }
    switch (s->kind) {
    case WB_TYPE_BASE:
        switch (s->enc) {
        case WB_ENC_FLOAT: add_float(o, v->bytes, n); return;
        case WB_ENC_BOOL:
            if (mask_to(raw, n) <= 1)
                wb_sb_add(o, raw ? "true" : "false");
            else
                wb_sb_addf(o, "%" PRIu64, mask_to(raw, n));
            return;
        case WB_ENC_SIGNED_CHAR:
        case WB_ENC_UNSIGNED_CHAR:
            if (n == 1) {
                add_char_value(o, s->enc == WB_ENC_SIGNED_CHAR ? sext(raw, 1) : (int64_t)raw,
                               (unsigned)raw & 0xff, "");
                return;
            }
            break;
        case WB_ENC_UTF:
            add_char_value(o, (int64_t)mask_to(raw, n), (unsigned)mask_to(raw, n),
                           s->rust  ? ""
                           : n == 1 ? "u8"
                           : n == 2 ? "u"
                                    : "U");
            return;
        default: break;
        }
        if (n > 8) {
            add_float(o, v->bytes, n); /* __int128: raw hex */
            return;
        }
        if (s->enc == WB_ENC_SIGNED || s->enc == WB_ENC_SIGNED_CHAR)
            wb_sb_addf(o, "%" PRId64, sext(raw, n));
        else
            wb_sb_addf(o, "%" PRIu64, mask_to(raw, n));
        return;
    case WB_TYPE_ENUM: add_enum(o, s, raw, n); return;
    case WB_TYPE_POINTER: {
        const wb_type *tt = wb_type_strip(s->target);
        if (top && !c->no_prefix && (c->fmt == 0 || c->fmt == 's') &&
            !pointer_prefix_omitted(v->type)) {
            wb_sb_add(o, "(");
            add_type(o, v->type);
            wb_sb_add(o, ") ");
        }
        if (tt && tt->kind == WB_TYPE_FUNCTION && s->code_offset) {
            char sym[256];
            wb_sb_addf(o, "0x%" PRIx64, raw);
            if (c->env && c->env->code_symbol &&
                c->env->code_symbol(c->env->user, raw, sym, sizeof sym))
                wb_sb_addf(o, " <%s>", sym);
            return;
        }
        if (tt && tt->kind == WB_TYPE_FUNCTION) {
            add_function_pointer(c, raw);
            return;
        }
        wb_sb_addf(o, "0x%" PRIx64, raw);
        add_data_symbol(c, raw);
        if (raw && type_is_char(s->target)) {
            wb_sb_add(o, " ");
            add_cstring(o, c->env, raw);
        }
        return;
    }
    default: wb_sb_addf(o, "0x%" PRIx64, raw); return;
    }
}

static uint64_t elem_count(const wb_type *at, size_t dim)
{
    if (at->ndims == 0) return 0;
    return dim < at->ndims ? at->dims[dim] : 0;
}

/* Size of one element of dimension `dim` of `at` (a row for outer dims). */
static uint64_t elem_size(const wb_type *at, size_t dim)
{
    uint64_t s = wb_type_size(at->target);
    for (size_t i = dim + 1; i < at->ndims; i++) {
        if (at->dims[i] && s > UINT64_MAX / at->dims[i]) return UINT64_MAX;
        s *= at->dims[i];
    }
    return s;
}

static void fmt_array(fctx *c, const view *v, const wb_type *at, size_t dim, int depth)
{
    wb_sbuf *o = c->o;
    uint64_t count = elem_count(at, dim);
    uint64_t es = elem_size(at, dim);
    bool inner = dim + 1 >= at->ndims;
    if (count == 0 || es == 0) {
        if (v->have_addr)
            wb_sb_addf(o, "0x%" PRIx64, v->addr);
        else
            wb_sb_add(o, "{}");
        return;
    }
    if (c->summary && depth > 0) {
        wb_sb_addf(o, "[%" PRIu64 "]", count);
        return;
    }
    if (count > v->n / es) count = v->n / es;
    /* a vector's chars are data, not text (gdb marks their type so) */
    bool data_chars = at->vector && type_is_char(at->target);
    if (inner && !data_chars && type_is_char(at->target) && (c->fmt == 0 || c->fmt == 's') &&
        !any_missing(v->missing, (size_t)(count * es))) {
        add_string(o, v->bytes, (size_t)count, true, false);
        return;
    }
    if (c->summary) {
        wb_sb_addf(o, "[%" PRIu64 "]", elem_count(at, dim));
        return;
    }
    wb_sb_add(o, at->rust ? "[" : "{");
    uint64_t i = 0, printed = 0;
    while (i < count && printed < PRINT_MAX) {
        const uint8_t *e = v->bytes + i * es;
        const uint8_t *em = v->missing ? v->missing + i * es : NULL;
        uint64_t j = i + 1;
        while (j < count && memcmp(e, v->bytes + j * es, (size_t)es) == 0 &&
               (!em || memcmp(em, v->missing + j * es, (size_t)es) == 0))
            j++;
        if (i) wb_sb_add(o, ", ");
        view ev = {.type = at->target,
                   .bytes = e,
                   .n = (size_t)es,
                   .missing = em,
                   .have_addr = v->have_addr,
                   .addr = v->addr + i * es};
        if (inner && data_chars && c->fmt == 0) {
            c->fmt = type_is_signed(at->target) ? 'd' : 'u';
            fmt_view(c, &ev, false, depth + 1);
            c->fmt = 0;
        } else if (inner) {
            fmt_view(c, &ev, false, depth + 1);
        } else if (depth + 1 > FMT_MAX_DEPTH)
            wb_sb_add(o, "{...}");
        else
            fmt_array(c, &ev, at, dim + 1, depth + 1);
        if (j - i > REPEAT_THRESHOLD) {
            wb_sb_addf(o, " <repeats %" PRIu64 " times>", j - i);
            printed += REPEAT_THRESHOLD;
            i = j;
        } else {
            printed++;
            i++;
        }
    }
    if (i < count) wb_sb_add(o, "...");
    wb_sb_add(o, at->rust ? "]" : "}");
}

/* Reads a bitfield member out of its storage into a little-endian
 * number (sign-extended when the member's type is signed). */
static uint64_t extract_bits(const uint8_t *storage, size_t avail, uint32_t bit_offset,
                             uint32_t bit_size, bool is_signed)
{
    uint64_t v = 0;
    for (uint32_t k = 0; k < bit_size && k < 64; k++) {
        uint64_t bit = (uint64_t)bit_offset + k;
        size_t byte = (size_t)(bit / 8);
        if (byte < avail && (storage[byte] >> (bit % 8)) & 1) v |= 1ull << k;
    }
    if (is_signed && bit_size > 0 && bit_size < 64 && (v >> (bit_size - 1)) & 1)
        v |= ~0ull << bit_size;
    return v;
}

static void fmt_struct(fctx *c, const view *v, const wb_type *s, int depth)
{
    wb_sbuf *o = c->o;
    if (s->declaration && s->nmembers == 0) {
        wb_sb_add(o, "<incomplete type>");
        return;
    }
    if (c->summary && depth > 0) {
        wb_sb_add(o, "{...}");
        return;
    }
    if (s->nmembers == 0) {
        wb_sb_add(o, "{<No data fields>}");
        return;
    }
    if (c->summary) {
        wb_sb_add(o, "{...}");
        return;
    }
    wb_sb_add(o, "{");
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        /* pretty: each member on its line, two spaces deeper than the
         * struct's nesting (arrays count as a level), as gdb indents */
        if (c->pretty)
            wb_sb_addf(o, "%s\n%*s", i ? "," : "", 2 + 2 * depth, "");
        else if (i)
            wb_sb_add(o, ", ");
        if (m->is_base) {
            const wb_type *b = wb_type_strip(m->type);
            wb_sb_addf(o, "<%s> = ", b && b->name ? b->name : "?");
        } else if (m->name) {
            wb_sb_addf(o, "%s = ", m->name);
        }
        uint64_t msize = wb_type_size(m->type);
        if (m->bit_size) {
            uint8_t tmp[8] = {0};
            size_t need = (size_t)(((uint64_t)m->bit_offset + m->bit_size + 7) / 8);
            if (m->offset > v->n ||
                any_missing(v->missing ? v->missing + m->offset : NULL,
                            need < v->n - m->offset ? need : v->n - m->offset)) {
                wb_sb_add(o, "<optimized out>");
                continue;
            }
            uint64_t bits = extract_bits(v->bytes + m->offset, (size_t)(v->n - m->offset),
                                         m->bit_offset, m->bit_size, type_is_signed(m->type));
            size_t ts = msize && msize <= 8 ? (size_t)msize : 8;
            for (size_t k = 0; k < ts; k++)
                tmp[k] = (uint8_t)(bits >> (8 * k));
            view mv = {.type = m->type, .bytes = tmp, .n = ts};
            fmt_view(c, &mv, false, depth + 1);
            continue;
        }
        if (m->offset > v->n || msize > v->n - m->offset) {
            const wb_type *ms = wb_type_strip(m->type);
            if (ms && ms->kind == WB_TYPE_ARRAY && msize == 0 && v->have_addr) {
                wb_sb_addf(o, "0x%" PRIx64, v->addr + m->offset); /* flexible array */
                continue;
            }
            wb_sb_add(o, "<error: member outside its structure>");
            continue;
        }
        view mv = {.type = m->type,
                   .bytes = v->bytes + m->offset,
                   .n = (size_t)msize,
                   .missing = v->missing ? v->missing + m->offset : NULL,
                   .have_addr = v->have_addr,
                   .addr = v->addr + m->offset};
        fmt_view(c, &mv, false, depth + 1);
    }
    if (c->pretty) wb_sb_addf(o, "\n%*s", 2 * depth, "");
    wb_sb_add(o, "}");
}

static void fmt_reference(fctx *c, const view *v, const wb_type *s, bool top, int depth)
{
    uint64_t addr = load_le(v->bytes, v->n);
    if (top && !c->no_prefix) {
        wb_sb_add(c->o, "(");
        add_type(c->o, v->type);
        wb_sb_add(c->o, ") ");
    }
    wb_sb_addf(c->o, "@0x%" PRIx64, addr);
    if (!top && !c->summary) return;
    wb_sb_add(c->o, ": ");
    uint64_t size = wb_type_size(s->target);
    if (size > WB_VALUE_MAX_SIZE) {
        wb_sb_addf(c->o,
                   "<error: value requires %" PRIu64 " bytes, which is more than max-value-size>",
                   size);
        return;
    }
    uint8_t *buf = size ? malloc((size_t)size) : NULL;
    if (size && !buf) {
        c->o->oom = true;
        return;
    }
    if (env_read(c->env, addr, buf, (size_t)size) != WB_OK) {
        wb_sb_addf(c->o, "<error: Cannot access memory at address 0x%" PRIx64 ">", addr);
    } else {
        view rv = {
            .type = s->target, .bytes = buf, .n = (size_t)size, .have_addr = true, .addr = addr};
        fmt_view(c, &rv, false, depth + 1);
    }
    free(buf);
}

/* ------------------------------------------------------------ Rust */

/* Values of types from Rust units print as gdb's Rust mode prints them
 * (gdb/rust-lang.c): structs `values::Point {x: 1, y: 2}`, tuple structs
 * `values::Pair(1, 2)`, tuples `(1, 2)`, unit structs by their name,
 * enums by their active variant (`core::option::Option<i32>::Some(5)`,
 * `values::Shape::Circle{r: 1.5}`, `values::Shape::Empty`), `&str` as
 * `"text"`, slices `&[i32] [2, 3]`, arrays `[1, 2, 3]`. Plain gdb prints
 * String and Vec as their fields; the printers Rust ships for gdb
 * (rust-gdb) print them as `"text"` and `Vec(size=3) = {1, 2, 3}`, and
 * so does wdb (print/r: the fields, as plain gdb). */

static const wb_member *member_named(const wb_type *s, const char *name)
{
    s = wb_type_strip(s);
    if (!s || (s->kind != WB_TYPE_STRUCT && s->kind != WB_TYPE_UNION)) return NULL;
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i].name && strcmp(s->members[i].name, name) == 0) return &s->members[i];
    return NULL;
}

static bool rust_tuple_fields(const wb_type *s)
{
    return s->nmembers > 0 && s->members[0].name && strcmp(s->members[0].name, "__0") == 0;
}

/* A member's bytes inside v, or false when it lies outside them. */
static bool member_view(const view *v, const wb_member *m, view *out)
{
    uint64_t ms = wb_type_size(m->type);
    if (m->offset > v->n || ms > v->n - m->offset) return false;
    *out = (view){.type = m->type,
                  .bytes = v->bytes + m->offset,
                  .n = (size_t)ms,
                  .missing = v->missing ? v->missing + m->offset : NULL,
                  .have_addr = v->have_addr,
                  .addr = v->addr + m->offset};
    return true;
}

/* The active variant of a Rust enum, or NULL (a discriminant no variant
 * has, and no default variant). */
const wb_variant *wb_value_rust_variant(const wb_type *s, const uint8_t *bytes, size_t n)
{
    if (!s->has_variants || s->nvariants == 0) return NULL;
    if (!s->discr) return s->nvariants == 1 ? &s->variants[0] : NULL;
    uint64_t ds = wb_type_size(s->discr->type);
    if (ds == 0 || ds > 8 || s->discr->offset > n || ds > n - s->discr->offset) return NULL;
    uint64_t d = load_le(bytes + s->discr->offset, (size_t)ds);
    const wb_variant *def = NULL;
    for (size_t i = 0; i < s->nvariants; i++) {
        const wb_variant *va = &s->variants[i];
        if (!va->has_value)
            def = va;
        else if (mask_to(va->value, (size_t)ds) == d)
            return va;
    }
    return def;
}

/* The fields of a struct: `{x: 1, y: 2}` (space before the brace when
 * `sep`), `(1, 2)` for tuple fields. */
static void fmt_rust_fields(fctx *c, const view *v, const wb_type *s, bool sep, bool variant,
                            int depth)
{
    wb_sbuf *o = c->o;
    bool tuple = rust_tuple_fields(s) || (s->name && s->name[0] == '(');
    bool pretty = c->pretty && !variant; /* gdb keeps a variant's fields on its line */
    if (s->nmembers == 0) return;
    if (c->summary && depth > 0) {
        wb_sb_add(o, tuple ? "(...)" : sep ? " {...}" : "{...}");
        return;
    }
    wb_sb_add(o, tuple ? "(" : sep ? " {" : "{");
    for (size_t i = 0; i < s->nmembers; i++) {
        const wb_member *m = &s->members[i];
        view mv;
        if (pretty)
            wb_sb_addf(o, "%s\n%*s", i ? "," : "", 2 + 2 * depth, "");
        else if (i)
            wb_sb_add(o, ", ");
        if (!tuple) wb_sb_addf(o, "%s: ", m->name ? m->name : "?");
        if (!member_view(v, m, &mv)) {
            wb_sb_add(o, "<error: member outside its structure>");
            continue;
        }
        fmt_view(c, &mv, false, depth + 1);
    }
    if (pretty) wb_sb_addf(o, "\n%*s", 2 * depth, "");
    wb_sb_add(o, tuple ? ")" : "}");
}

/* A Rust (data pointer, length) pair: a slice or &str's data_ptr and
 * length, or a Vec's buffer (the first pointer inside buf) and len. */
static bool rust_slice_parts(const view *v, const wb_type *s, bool vec, uint64_t *ptr,
                             uint64_t *len, const wb_type **elem)
{
    const wb_member *pm = member_named(s, vec ? "buf" : "data_ptr");
    const wb_member *lm = member_named(s, vec ? "len" : "length");
    if (!pm || !lm) return false;
    view pv, lv;
    if (!member_view(v, pm, &pv) || !member_view(v, lm, &lv)) return false;
    /* down the first members to the pointer (RawVec.ptr.pointer...) */
    const wb_type *pt = wb_type_strip(pv.type);
    for (int k = 0; pt && pt->kind == WB_TYPE_STRUCT && k < 8; k++) {
        const wb_member *m = member_named(pt, "ptr");
        if (!m) m = member_named(pt, "pointer");
        if (!m || !member_view(&pv, m, &pv)) return false;
        pt = wb_type_strip(pv.type);
    }
    if (!pt || pt->kind != WB_TYPE_POINTER || pv.n != 4 || lv.n == 0 || lv.n > 8) return false;
    if (any_missing(pv.missing, pv.n) || any_missing(lv.missing, lv.n)) return false;
    *ptr = load_le(pv.bytes, pv.n);
    *len = load_le(lv.bytes, lv.n);
    *elem = pt->target;
    return true;
}

/* Elements read from memory: `[1, 2]` (brackets) or `{1, 2}`. */
static void fmt_rust_elements(fctx *c, uint64_t ptr, uint64_t len, const wb_type *elem,
                              bool brackets, int depth)
{
    wb_sbuf *o = c->o;
    uint64_t es = wb_type_size(elem);
    uint64_t count = len < PRINT_MAX ? len : PRINT_MAX;
    if (es == 0 || es > WB_VALUE_MAX_SIZE || count > WB_VALUE_MAX_SIZE / es) {
        wb_sb_add(o, brackets ? "[]" : "{}");
        return;
    }
    uint8_t *buf = count ? malloc((size_t)(count * es)) : NULL;
    if (count && !buf) {
        o->oom = true;
        return;
    }
    if (env_read(c->env, ptr, buf, (size_t)(count * es)) != WB_OK) {
        wb_sb_addf(o, "<error: Cannot access memory at address 0x%" PRIx64 ">", ptr);
        free(buf);
        return;
    }
    wb_sb_add(o, brackets ? "[" : "{");
    for (uint64_t i = 0; i < count; i++) {
        if (i) wb_sb_add(o, ", ");
        view ev = {.type = elem,
                   .bytes = buf + i * es,
                   .n = (size_t)es,
                   .have_addr = true,
                   .addr = ptr + i * es};
        fmt_view(c, &ev, false, depth + 1);
    }
    if (count < len) wb_sb_add(o, "...");
    wb_sb_add(o, brackets ? "]" : "}");
    free(buf);
}

/* UTF-8 text of `len` bytes at ptr, quoted. */
static void fmt_rust_str(fctx *c, uint64_t ptr, uint64_t len)
{
    uint64_t n = len < PRINT_MAX ? len : PRINT_MAX;
    uint8_t buf[PRINT_MAX];
    if (n && env_read(c->env, ptr, buf, (size_t)n) != WB_OK) {
        wb_sb_addf(c->o, "<error: Cannot access memory at address 0x%" PRIx64 ">", ptr);
        return;
    }
    add_string(c->o, buf, (size_t)n, false, n < len);
}

static bool starts_with(const char *s, const char *p)
{
    return s && strncmp(s, p, strlen(p)) == 0;
}

static void fmt_rust(fctx *c, const view *v, const wb_type *s, int depth)
{
    wb_sbuf *o = c->o;
    const char *name = s->qualified_name ? s->qualified_name : s->name;
    uint64_t ptr = 0, len = 0;
    const wb_type *elem = NULL;
    if (s->has_variants) {
        if (s->discr && v->missing && s->discr->offset < v->n &&
            any_missing(v->missing + s->discr->offset,
                        (size_t)(v->n - s->discr->offset) < wb_type_size(s->discr->type)
                            ? (size_t)(v->n - s->discr->offset)
                            : (size_t)wb_type_size(s->discr->type))) {
            wb_sb_add(o, "<optimized out>"); /* which variant is not known */
            return;
        }
        const wb_variant *va = wb_value_rust_variant(s, v->bytes, v->n);
        if (!va) {
            wb_sb_add(o, "<error: invalid enum discriminant>");
            return;
        }
        wb_sb_addf(o, "%s::%s", name ? name : "?", va->member.name ? va->member.name : "?");
        view vv;
        const wb_type *vs = wb_type_strip(va->member.type);
        if (!vs || vs->kind != WB_TYPE_STRUCT || !member_view(v, &va->member, &vv)) return;
        fmt_rust_fields(c, &vv, vs, false, true, depth);
        return;
    }
    if (name && name[0] == '&' && member_named(s, "data_ptr") && member_named(s, "length") &&
        rust_slice_parts(v, s, false, &ptr, &len, &elem)) {
        if (strcmp(name, "&str") == 0 || strcmp(name, "&mut str") == 0) {
            fmt_rust_str(c, ptr, len);
        } else {
            wb_sb_addf(o, "%s ", name);
            fmt_rust_elements(c, ptr, len, elem, true, depth);
        }
        return;
    }
    if (!c->raw && name && strcmp(name, "alloc::string::String") == 0) {
        const wb_member *vm = member_named(s, "vec");
        view vv;
        const wb_type *vt = vm ? wb_type_strip(vm->type) : NULL;
        if (vt && member_view(v, vm, &vv) && rust_slice_parts(&vv, vt, true, &ptr, &len, &elem)) {
            fmt_rust_str(c, ptr, len);
            return;
        }
    }
    if (!c->raw && starts_with(name, "alloc::vec::Vec<") &&
        rust_slice_parts(v, s, true, &ptr, &len, &elem)) {
        wb_sb_addf(o, "Vec(size=%" PRIu64 ") = ", len);
        fmt_rust_elements(c, ptr, len, elem, false, depth);
        return;
    }
    if (name && name[0] == '(') { /* a tuple */
        if (s->nmembers == 0) {
            wb_sb_add(o, "()");
            return;
        }
        fmt_rust_fields(c, v, s, false, false, depth);
        return;
    }
    wb_sb_add(o, name ? name : "?");
    fmt_rust_fields(c, v, s, !rust_tuple_fields(s), false, depth);
}

static void fmt_view(fctx *c, const view *v, bool top, int depth)
{
    const wb_type *s = wb_type_strip(v->type);
    if (depth > FMT_MAX_DEPTH) {
        wb_sb_add(c->o, "{...}");
        return;
    }
    if (!s || s->kind == WB_TYPE_VOID) {
        wb_sb_add(c->o, "void");
        return;
    }
    if (s->kind == WB_TYPE_BASE && s->enc == WB_ENC_V128 && v->n == 16 &&
        !any_missing(v->missing, 16)) {
        char *u = wb_value_format_v128(v->bytes, c->fmt == 'x' ? 'x' : 0);
        wb_sb_add(c->o, u ? u : "<out of memory>");
        free(u);
        return;
    }
    switch (s->kind) {
    case WB_TYPE_STRUCT:
    case WB_TYPE_UNION:
        if (s->rust)
            fmt_rust(c, v, s, depth);
        else
            fmt_struct(c, v, s, depth);
        return;
    case WB_TYPE_ARRAY: fmt_array(c, v, s, 0, depth); return;
    case WB_TYPE_FUNCTION:
        wb_sb_add(c->o, "{");
        add_type(c->o, v->type);
        wb_sb_add(c->o, "} ");
        if (v->fn_code) {
            char buf[160];
            const char *name = c->env && c->env->code_symbol
                                   ? c->env->code_symbol(c->env->user, v->addr, buf, sizeof buf)
                                   : NULL;
            wb_sb_addf(c->o, "0x%08" PRIx64, v->addr);
            if (name) wb_sb_addf(c->o, " <%s>", name);
        } else {
            add_function_pointer(c, v->addr);
        }
        return;
    case WB_TYPE_REFERENCE:
        if (any_missing(v->missing, v->n) || v->n == 0) {
            wb_sb_add(c->o, "<optimized out>");
            return;
        }
        fmt_reference(c, v, s, top, depth);
        return;
    default: break;
    }
    uint64_t size = wb_type_size(s);
    if (v->n == 0 || v->n < size || any_missing(v->missing, v->n)) {
        wb_sb_add(c->o, "<optimized out>");
        return;
    }
    view sv = *v;
    sv.n = size ? (size_t)size : v->n;
    fmt_scalar(c, &sv, s, top);
}

static char *format_value(const wb_value *v, const wb_eval_env *env, char fmt, bool summary,
                          unsigned flags)
{
    wb_sbuf o = {0};
    fctx c = {.env = env,
              .fmt = fmt,
              .o = &o,
              .summary = summary,
              .no_prefix = flags & WB_FMT_PLAIN,
              .pretty = (flags & WB_FMT_PRETTY) && !summary,
              .raw = fmt == 'r'};
    if (fmt == 'i' || fmt == 'F' || fmt == 'r') c.fmt = 0;
    if (v->kind == WB_VAL_OPTIMIZED) {
        wb_sb_add(&o, "<optimized out>");
        return wb_sb_take(&o);
    }
    view vw = {.type = v->type,
               .bytes = v->bytes,
               .n = v->bytes ? v->size : 0,
               .missing = v->missing,
               .have_addr = v->kind == WB_VAL_MEMORY,
               .addr = v->addr};
    const wb_type *s = wb_type_strip(v->type);
    if (s && s->kind == WB_TYPE_FUNCTION) {
        vw.addr = v->addr;
        vw.fn_code = v->fn_code;
    }
    fmt_view(&c, &vw, !summary, 0);
    return wb_sb_take(&o);
}

/* One view of a v128: `count` lanes of `size` bytes, `kind` 'f' float,
 * 'i' signed integer; runs past REPEAT_THRESHOLD as gdb shows them. */
static void add_v128_lanes(wb_sbuf *o, const uint8_t *b, size_t size, char kind, char fmt)
{
    size_t count = 16 / size;
    wb_sb_add(o, "{");
    for (size_t i = 0; i < count;) {
        size_t j = i + 1;
        while (j < count && memcmp(b + i * size, b + j * size, size) == 0)
            j++;
        if (i) wb_sb_add(o, ", ");
        uint64_t raw = load_le(b + i * size, size);
        if (fmt == 'x')
            wb_sb_addf(o, "0x%" PRIx64, raw);
        else if (kind == 'f')
            add_float(o, b + i * size, size);
        else /* sign-extended from the lane's width */
            wb_sb_addf(o, "%" PRId64, (int64_t)(raw << (64 - 8 * size)) >> (64 - 8 * size));
        if (j - i > REPEAT_THRESHOLD) {
            wb_sb_addf(o, " <repeats %zu times>", j - i);
            i = j;
        } else {
            i++;
        }
    }
    wb_sb_add(o, "}");
}

char *wb_value_format_v128(const uint8_t bytes[16], char fmt)
{
    wb_sbuf o = {0};
    wb_sb_add(&o, "{v4_float = ");
    add_v128_lanes(&o, bytes, 4, 'f', fmt);
    wb_sb_add(&o, ", v2_double = ");
    add_v128_lanes(&o, bytes, 8, 'f', fmt);
    wb_sb_add(&o, ", v16_int8 = ");
    add_v128_lanes(&o, bytes, 1, 'i', fmt);
    wb_sb_add(&o, ", v8_int16 = ");
    add_v128_lanes(&o, bytes, 2, 'i', fmt);
    wb_sb_add(&o, ", v4_int32 = ");
    add_v128_lanes(&o, bytes, 4, 'i', fmt);
    wb_sb_add(&o, ", v2_int64 = ");
    add_v128_lanes(&o, bytes, 8, 'i', fmt);
    wb_sb_add(&o, ", uint128 = ");
    uint64_t lo = load_le(bytes, 8), hi = load_le(bytes + 8, 8);
    if (fmt == 'x') {
        if (hi)
            wb_sb_addf(&o, "0x%" PRIx64 "%016" PRIx64, hi, lo);
        else
            wb_sb_addf(&o, "0x%" PRIx64, lo);
    } else {
        /* decimal: divide the 128 bits by 10 a digit at a time */
        char digits[40];
        size_t nd = 0;
        uint32_t w[4] = {(uint32_t)lo, (uint32_t)(lo >> 32), (uint32_t)hi, (uint32_t)(hi >> 32)};
        do {
            uint64_t rem = 0;
            for (int k = 3; k >= 0; k--) {
                uint64_t cur = rem << 32 | w[k];
                w[k] = (uint32_t)(cur / 10);
                rem = cur % 10;
            }
            digits[nd++] = (char)('0' + rem);
        } while (w[0] | w[1] | w[2] | w[3]);
        while (nd > 0)
            wb_sb_addf(&o, "%c", digits[--nd]);
    }
    wb_sb_add(&o, "}");
    return wb_sb_take(&o);
}

char *wb_value_format(const wb_value *v, const wb_eval_env *env, char fmt)
{
    return format_value(v, env, fmt, false, 0);
}

char *wb_value_format_plain(const wb_value *v, const wb_eval_env *env, char fmt)
{
    return format_value(v, env, fmt, false, WB_FMT_PLAIN);
}

char *wb_value_format_flags(const wb_value *v, const wb_eval_env *env, char fmt, unsigned flags)
{
    return format_value(v, env, fmt, false, flags);
}

char *wb_value_summary(const wb_value *v, const wb_eval_env *env, char fmt)
{
    return format_value(v, env, fmt, true, 0);
}

/* ------------------------------------------------------------ children */

/* A child made from part of the parent's bytes. */
static wb_status sub_value(const wb_value *p, const wb_type *t, uint64_t off, uint64_t size,
                           wb_value *out, wb_error *err)
{
    memset(out, 0, sizeof *out);
    out->type = t;
    out->kind = p->kind == WB_VAL_MEMORY ? WB_VAL_MEMORY : WB_VAL_RVALUE;
    out->addr = p->kind == WB_VAL_MEMORY ? p->addr + off : 0;
    out->partial = p->partial;
    if (off > p->size || size > p->size - off) return wb_fail(err, "member outside its structure");
    out->size = (size_t)size;
    if (size) {
        if (!(out->bytes = malloc((size_t)size))) return wb_fail(err, "out of memory");
        memcpy(out->bytes, p->bytes + off, (size_t)size);
        if (p->missing && any_missing(p->missing + off, (size_t)size)) {
            if (!(out->missing = malloc((size_t)size))) {
                wb_value_free(out);
                return wb_fail(err, "out of memory");
            }
            memcpy(out->missing, p->missing + off, (size_t)size);
        }
    }
    return WB_OK;
}

/* A type for the rows of a multi-dimensional array (owned by the value). */
static wb_type *row_type(const wb_type *at, size_t dim)
{
    size_t nd = at->ndims - dim;
    wb_type *t = calloc(1, sizeof(wb_type) + nd * sizeof(uint64_t));
    if (!t) return NULL;
    uint64_t *dims = (uint64_t *)(t + 1);
    for (size_t i = 0; i < nd; i++)
        dims[i] = at->dims[dim + i];
    t->kind = WB_TYPE_ARRAY;
    t->target = at->target;
    t->ndims = nd;
    t->dims = dims;
    t->size = elem_size(at, dim - 1);
    return t;
}

static wb_status member_child(const wb_value *p, const wb_member *m, wb_value *out, wb_error *err)
{
    uint64_t msize = wb_type_size(m->type);
    if (!m->bit_size) return sub_value(p, m->type, m->offset, msize, out, err);
    memset(out, 0, sizeof *out);
    if (m->offset > p->size) return wb_fail(err, "member outside its structure");
    size_t ts = msize && msize <= 8 ? (size_t)msize : 8;
    uint64_t bits = extract_bits(p->bytes + m->offset, p->size - (size_t)m->offset, m->bit_offset,
                                 m->bit_size, type_is_signed(m->type));
    if (wb_value_from_bytes(m->type, NULL, 0, out, err) != WB_OK) return WB_ERROR;
    for (size_t k = 0; k < ts && k < out->size; k++)
        out->bytes[k] = (uint8_t)(bits >> (8 * k));
    if (p->kind == WB_VAL_MEMORY) {
        out->kind = WB_VAL_MEMORY;
        out->addr = p->addr + m->offset;
        out->bit_size = m->bit_size;
        out->bit_offset = m->bit_offset;
    }
    return WB_OK;
}

wb_status wb_value_children(const wb_value *v, const wb_eval_env *env, size_t first, size_t max,
                            wb_value **children, char ***names, size_t *n, size_t *total,
                            wb_error *err)
{
    *children = NULL;
    *names = NULL;
    *n = 0;
    *total = 0;
    if (v->kind == WB_VAL_OPTIMIZED) return WB_OK;
    const wb_type *s = wb_type_strip(v->type);
    wb_value deref = {0};
    const wb_value *pv = v;
    if (s && s->kind == WB_TYPE_REFERENCE) {
        /* A reference shows the children of what it refers to. */
        uint64_t addr = v->bytes ? load_le(v->bytes, v->size) : 0;
        const wb_type *ts = wb_type_strip(s->target);
        if (!ts || !is_aggregate(ts)) return WB_OK;
        WB_TRY(memory_value(env, s->target, addr, &deref, err));
        pv = &deref;
        s = ts;
    }
    /* Rust: an enum shows its active variant's fields; a slice and a Vec
     * their elements; &str and String none (their summary is the text) */
    wb_value variant = {0};
    bool rust_elems = false;
    uint64_t eptr = 0, elen = 0;
    const wb_type *etype = NULL;
    if (s && s->rust && s->kind == WB_TYPE_STRUCT && pv->bytes) {
        const char *rn = s->qualified_name ? s->qualified_name : s->name;
        view vw = {.type = pv->type,
                   .bytes = pv->bytes,
                   .n = pv->size,
                   .missing = pv->missing,
                   .have_addr = pv->kind == WB_VAL_MEMORY,
                   .addr = pv->addr};
        if (s->has_variants) {
            const wb_variant *va = wb_value_rust_variant(s, pv->bytes, pv->size);
            const wb_type *vs = va ? wb_type_strip(va->member.type) : NULL;
            if (!vs || vs->kind != WB_TYPE_STRUCT ||
                sub_value(pv, va->member.type, va->member.offset, wb_type_size(va->member.type),
                          &variant, err) != WB_OK) {
                wb_value_free(&deref);
                return vs ? WB_ERROR : WB_OK;
            }
            pv = &variant;
            s = vs;
        } else if (rn && (strcmp(rn, "&str") == 0 || strcmp(rn, "&mut str") == 0 ||
                          strcmp(rn, "alloc::string::String") == 0)) {
            wb_value_free(&deref);
            return WB_OK;
        } else if (rn && rn[0] == '&' && member_named(s, "data_ptr")) {
            rust_elems = rust_slice_parts(&vw, s, false, &eptr, &elen, &etype);
        } else if (starts_with(rn, "alloc::vec::Vec<")) {
            rust_elems = rust_slice_parts(&vw, s, true, &eptr, &elen, &etype);
        }
        if (rust_elems &&
            (!etype || wb_type_size(etype) == 0 || wb_type_size(etype) > WB_VALUE_MAX_SIZE))
            rust_elems = false;
    }
    size_t count = 0;
    if (rust_elems)
        count = elen < 100000 ? (size_t)elen : 100000;
    else if (s && (s->kind == WB_TYPE_STRUCT || s->kind == WB_TYPE_UNION))
        count = s->nmembers;
    else if (s && s->kind == WB_TYPE_ARRAY) {
        uint64_t c = elem_count(s, 0), es = elem_size(s, 0);
        if (es && c > pv->size / es) c = pv->size / es;
        count = es ? (size_t)c : 0;
    } else if (s && s->kind == WB_TYPE_POINTER) {
        const wb_type *tt = wb_type_strip(s->target);
        count = tt && tt->kind != WB_TYPE_VOID && tt->kind != WB_TYPE_FUNCTION ? 1 : 0;
    }
    *total = count;
    if (first >= count || max == 0) {
        wb_value_free(&deref);
        wb_value_free(&variant);
        return WB_OK;
    }
    size_t want = count - first < max ? count - first : max;
    wb_value *kids = calloc(want, sizeof *kids);
    char **nm = calloc(want, sizeof *nm);
    size_t got = 0;
    if (!kids || !nm) {
        wb_fail(err, "out of memory");
        goto fail;
    }
    for (; got < want; got++) {
        size_t i = first + got;
        char name[64];
        const char *label = name;
        if (rust_elems) {
            uint64_t es = wb_type_size(etype);
            if (memory_value(env, etype, eptr + i * es, &kids[got], err) != WB_OK) goto fail;
            snprintf(name, sizeof name, "[%zu]", i);
        } else if (s->kind == WB_TYPE_STRUCT || s->kind == WB_TYPE_UNION) {
            const wb_member *m = &s->members[i];
            if (member_child(pv, m, &kids[got], err) != WB_OK) goto fail;
            if (m->is_base) {
                const wb_type *b = wb_type_strip(m->type);
                label = b && b->name ? b->name : "<base>";
            } else {
                label = m->name ? m->name : "<anonymous>";
                /* Rust tuple fields __0, __1: shown (and evaluated) as 0, 1 */
                if (s->rust && strncmp(label, "__", 2) == 0 && label[2] >= '0' && label[2] <= '9')
                    label += 2;
            }
        } else if (s->kind == WB_TYPE_ARRAY) {
            uint64_t es = elem_size(s, 0);
            if (s->ndims > 1) {
                wb_type *rt = row_type(s, 1);
                if (!rt) {
                    wb_fail(err, "out of memory");
                    goto fail;
                }
                if (sub_value(pv, rt, i * es, es, &kids[got], err) != WB_OK) {
                    free(rt);
                    goto fail;
                }
                kids[got].own_type = rt;
            } else if (sub_value(pv, s->target, i * es, es, &kids[got], err) != WB_OK) {
                goto fail;
            }
            snprintf(name, sizeof name, "[%zu]", i);
        } else {
            uint64_t addr = pv->bytes ? load_le(pv->bytes, pv->size) : 0;
            if (memory_value(env, s->target, addr, &kids[got], err) != WB_OK) goto fail;
            label = "*p";
        }
        if (!(nm[got] = strdup(label))) {
            wb_value_free(&kids[got]);
            wb_fail(err, "out of memory");
            goto fail;
        }
    }
    wb_value_free(&deref);
    wb_value_free(&variant);
    *children = kids;
    *names = nm;
    *n = got;
    return WB_OK;
fail:
    for (size_t k = 0; k < got; k++) {
        wb_value_free(&kids[k]);
        free(nm[k]);
    }
    free(kids);
    free(nm);
    wb_value_free(&deref);
    wb_value_free(&variant);
    return WB_ERROR;
}
