/*
 * wdb-spectest: runs one WebAssembly spec test script against the runtime.
 *
 *   wdb-spectest [-v] [--debug-step | --debug-break] [--debug-cap=N] FILE.json
 *
 * FILE.json is the output of wabt's `wast2json` for one .wast file; the .wasm
 * files it names are read from the JSON file's directory. The runner uses only
 * the public embedding API (wdb/runtime.h), so it tests what an embedder sees.
 *
 * One store and one linker serve the whole file. The linker holds the
 * `spectest` host module from the start and every instance `register`ed
 * later, as the spec's script semantics ask (WebAssembly spec, "Script" in
 * the interpreter's README: the registry).
 *
 * What counts: every module, action and assertion is one check; a `register`
 * counts only when it fails. `assert_malformed` entries with module_type
 * "text" are skipped (wast2json writes them out as .wat files, which a binary
 * runtime cannot load) and are counted separately, never as passed.
 *
 * Output: one line per failure, "FILE:LINE: COMMAND: expected ..., got ...",
 * then exactly one summary line "N passed, M failed" (", K skipped" when K>0).
 * Exit status: 0 when nothing failed, 1 otherwise, and 1 with an error message
 * on stderr when the JSON or a file it names cannot be read or understood.
 * With -v each command is printed before it runs (to find where a crash is).
 *
 * Debug modes run every assertion through the runtime's debugger support
 * (wr_debug_*, runtime/src/wr_debug.c) and must give identical results:
 * --debug-step   a debug hook plus wr_debug_stop_at_entry before each call:
 *                every instruction runs in the debug translation and stops
 *                (WR_DEBUG_STEP_INSN); --debug-cap=N lets a call into Wasm
 *                run on without stopping after N stops (no cap by default:
 *                the whole suite steps in a few seconds);
 * --debug-break  a breakpoint at every instruction boundary of every defined
 *                function (found by walking wr_debug_insn_at), resumed with
 *                WR_DEBUG_CONTINUE; every hit must be at one of them. They
 *                are all cleared at the end.
 * At every stop the hook inspects the frames (wr_debug_frame, locals, operand
 * stack) and checks the answers; a wrong answer is a failure ("debug: ...").
 */
#include "wdb/runtime.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An instance defined by a `(module $name ...)` command. */
typedef struct spec_named {
    char *name;
    wr_instance *inst;
} spec_named;

/* The state of one script run. */
typedef struct raw_field {
    char *bytes;
    size_t len;
} raw_field;

typedef enum debug_mode { DEBUG_NONE = 0, DEBUG_STEP, DEBUG_BREAK } debug_mode;

/* Frames inspected at each stop: the innermost ones and the outermost. */
#define DEBUG_INSPECT_FRAMES 16

/* --debug-break: the breakpoints set in one module, sorted. */
typedef struct debug_bps {
    wr_module *mod;
    uint32_t *offs;
    size_t n;
} debug_bps;

typedef struct spec_ctx {
    const char *json_path;
    const char *src_name; /* the .wast file, for messages */
    char *dir;            /* directory of the JSON file, where the .wasm files are */
    bool verbose;

    wr_store *store;
    wr_linker *linker;
    wr_instance *current; /* the most recently instantiated module, or NULL */
    spec_named *named;
    size_t nnamed, cap_named;

    /* The command being run, for messages. */
    int line;
    const char *kind;

    /* The n-th "field" string of the JSON text, in text order, decoded with
     * its length when it contains U+0000 (else bytes is NULL); see
     * scan_nul_fields. nfields of them. */
    raw_field *nul_fields;
    size_t nfields, next_field;

    unsigned passed, failed, skipped;
    bool fatal; /* a fatal error was printed: stop and exit 1 */

    /* debug modes */
    debug_mode debug;
    unsigned long step_cap;      /* --debug-cap=N, or ULONG_MAX */
    unsigned long stops_in_call; /* since the last WR_DEBUG_ENTRY */
    unsigned long stops_total, debug_errors;
    debug_bps *bps;
    size_t nbps, cap_bps;
} spec_ctx;

/* ------------------------------------------------------------ messages */

/* Prints a fatal error (unreadable input) and marks the run as failed. */
static void spec_fatal(spec_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void spec_fatal(spec_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("wdb-spectest: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    c->fatal = true;
}

/* Counts one failed check and prints its line: "FILE:LINE: KIND: message". */
static void spec_fail(spec_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void spec_fail(spec_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s:%d: %s: ", c->src_name, c->line, c->kind);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    c->failed++;
}

static const char *status_name(wr_status s)
{
    switch (s) {
    case WR_OK: return "ok";
    case WR_NOT_FOUND: return "not found";
    case WR_ERR_MALFORMED: return "malformed";
    case WR_ERR_INVALID: return "invalid";
    case WR_ERR_UNLINKABLE: return "unlinkable";
    case WR_ERR_TRAP: return "trap";
    case WR_ERR_EXIT: return "exit";
    case WR_ERR_NOMEM: return "out of memory";
    case WR_ERR_ARG: return "bad argument";
    case WR_ERR_LIMIT: return "limit exceeded";
    }
    return "unknown status";
}

static const char *type_name(wr_valtype t)
{
    switch (t) {
    case WR_I32: return "i32";
    case WR_I64: return "i64";
    case WR_F32: return "f32";
    case WR_F64: return "f64";
    case WR_V128: return "v128";
    case WR_FUNCREF: return "funcref";
    case WR_EXTERNREF: return "externref";
    case WR_EXNREF: return "exnref";
    }
    return "?";
}

/* Describes a failed runtime call: "malformed: <msg>" or "trap: <msg>". */
static void describe_error(wr_status s, const wr_error *err, char *buf, size_t len)
{
    if (s == WR_ERR_TRAP)
        snprintf(buf, len, "trap \"%s\" (kind %s)", err->msg, wr_trap_name(err->trap));
    else if (err->section)
        snprintf(buf, len, "%s: %s (section %s, offset 0x%zx)", status_name(s), err->msg,
                 err->section, err->offset);
    else
        snprintf(buf, len, "%s: %s", status_name(s), err->msg);
}

/* Formats a value the way the spec scripts write them, with the bits of
 * floats (which is what is compared). */
static void format_value(const wr_val *v, char *buf, size_t len)
{
    switch (v->type) {
    case WR_I32: snprintf(buf, len, "i32:%" PRIu32, v->of.u32); return;
    case WR_I64: snprintf(buf, len, "i64:%" PRIu64, v->of.u64); return;
    case WR_F32:
        snprintf(buf, len, "f32:0x%08" PRIx32 " (%.9g)", v->of.u32, (double)v->of.f32);
        return;
    case WR_F64: snprintf(buf, len, "f64:0x%016" PRIx64 " (%.17g)", v->of.u64, v->of.f64); return;
    case WR_FUNCREF:
        if (v->of.func)
            snprintf(buf, len, "funcref:%p", (void *)v->of.func);
        else
            snprintf(buf, len, "funcref:null");
        return;
    case WR_EXTERNREF:
        /* Host values are made as N+1 (see make_extern): show N. */
        if (v->of.ext)
            snprintf(buf, len, "externref:%" PRIuPTR, (uintptr_t)v->of.ext - 1);
        else
            snprintf(buf, len, "externref:null");
        return;
    case WR_EXNREF:
        if (v->of.exn)
            snprintf(buf, len, "exnref:%p", (void *)v->of.exn);
        else
            snprintf(buf, len, "exnref:null");
        return;
    case WR_V128: {
        uint32_t w[4];
        memcpy(w, v->of.v128, 16);
        snprintf(buf, len,
                 "v128:i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32, w[0],
                 w[1], w[2], w[3]);
        return;
    }
    }
    snprintf(buf, len, "<type 0x%x>", (unsigned)v->type);
}

/* --------------------------------------------------------------- files */

/* Reads a whole file into a malloc'd buffer (NUL-terminated, for JSON).
 * Returns NULL and prints a fatal error on failure. */
static uint8_t *read_file(spec_ctx *c, const char *path, size_t *len)
{
    FILE *f = NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;

    f = fopen(path, "rb");
    if (!f) {
        spec_fatal(c, "cannot open %s: %s", path, strerror(errno));
        goto fail;
    }
    for (;;) {
        if (n + 1 >= cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                spec_fatal(c, "out of memory reading %s", path);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0) break;
    }
    if (ferror(f)) {
        spec_fatal(c, "cannot read %s", path);
        goto fail;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
fail:
    if (f) fclose(f);
    free(buf);
    return NULL;
}

/* Joins the JSON file's directory and a file name from the script. */
static char *join_path(const char *dir, const char *name)
{
    size_t ld = strlen(dir), ln = strlen(name);
    char *p = malloc(ld + ln + 2);
    if (!p) return NULL;
    memcpy(p, dir, ld);
    p[ld] = '/';
    memcpy(p + ld + 1, name, ln + 1);
    return p;
}

/* --------------------------------------------------------------- JSON */

/* Appends code point cp to out as UTF-8. */
static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static bool hex4(const char *p, const char *end, uint32_t *out)
{
    if (end - p < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = p[i];
        v <<= 4;
        if (ch >= '0' && ch <= '9')
            v |= (uint32_t)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            v |= (uint32_t)(ch - 'a' + 10);
        else if (ch >= 'A' && ch <= 'F')
            v |= (uint32_t)(ch - 'A' + 10);
        else
            return false;
    }
    *out = v;
    return true;
}

/* Decodes the JSON string body starting after its opening quote at *pp
 * (RFC 8259 section 7 escapes, surrogate pairs joined) into a malloc'd
 * buffer; *pp ends on the closing quote. Returns NULL on a bad string or
 * when out of memory. */
static char *json_unescape(const char **pp, const char *end, size_t *len, bool *has_nul)
{
    const char *p = *pp;
    char *out = malloc((size_t)(end - p) + 1), *o = out;
    if (!out) return NULL;
    *has_nul = false;
    while (p < end && *p != '"') {
        if (*p != '\\') {
            *o++ = *p++;
            continue;
        }
        if (end - p < 2) break;
        char e = p[1];
        p += 2;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            uint32_t cp, lo;
            if (!hex4(p, end, &cp)) goto bad;
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
                hex4(p + 2, end, &lo) && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            }
            if (cp == 0) *has_nul = true;
            o += put_utf8(o, cp);
            break;
        }
        default: goto bad;
        }
    }
    if (p >= end) goto bad;
    *pp = p;
    *len = (size_t)(o - out);
    return out;
bad:
    free(out);
    return NULL;
}

/* Export names may contain U+0000 (names.wast:637 invokes
 * "\00\01...\0f"), but cJSON strings are NUL-terminated, so such a name
 * would silently become a shorter one. This scans the raw text for every
 * "field" member in order and keeps the decoded bytes and length of those
 * that contain U+0000, for wr_instance_export_n. The key "field" cannot occur
 * inside a string value (its quotes would be escaped there), so the n-th
 * match is the n-th field member cJSON yields. Returns false when out of
 * memory. */
static bool scan_nul_fields(spec_ctx *c, const char *text, size_t len)
{
    static const char key[] = "\"field\"";
    const char *p = text, *end = text + len;

    while ((p = strstr(p, key)) != NULL) {
        raw_field f = {NULL, 0};
        p += sizeof key - 1;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        if (p >= end || *p != ':') continue; /* a string value "field", not the key */
        p++;
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        if (p < end && *p == '"') {
            p++;
            bool has_nul = false;
            f.bytes = json_unescape(&p, end, &f.len, &has_nul);
            if (f.bytes && !has_nul) {
                free(f.bytes);
                f.bytes = NULL;
            }
        }
        if (c->nfields % 64 == 0) {
            raw_field *n = realloc(c->nul_fields, (c->nfields + 64) * sizeof *n);
            if (!n) {
                free(f.bytes);
                return false;
            }
            c->nul_fields = n;
        }
        c->nul_fields[c->nfields++] = f;
    }
    return true;
}

/* The string member `key` of obj, or NULL. */
static const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

/* Parses an unsigned decimal string of at most `max`. */
static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9') return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) return false;
    *out = v;
    return true;
}

static bool parse_type(const char *s, wr_valtype *out)
{
    static const struct {
        const char *name;
        wr_valtype type;
    } types[] = {
        {"i32", WR_I32},
        {"i64", WR_I64},
        {"f32", WR_F32},
        {"f64", WR_F64},
        {"v128", WR_V128},
        {"funcref", WR_FUNCREF},
        {"externref", WR_EXTERNREF},
        {"exnref", WR_EXNREF},
    };
    if (!s) return false;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(s, types[i].name) == 0) {
            *out = types[i].type;
            return true;
        }
    }
    return false;
}

/* The host value standing for `(ref.extern N)`: any distinct non-NULL
 * pointer works, since the runtime treats it as opaque. */
static void *make_extern(uint64_t n)
{
    return (void *)(uintptr_t)(n + 1);
}

/* What an expected result allows. */
typedef enum expect_kind {
    EXPECT_EXACT,     /* the value, floats compared bitwise */
    EXPECT_NAN_CANON, /* nan:canonical: a NaN with only the quiet bit in the payload */
    EXPECT_NAN_ARITH, /* nan:arithmetic: a NaN with the quiet bit set */
    EXPECT_NONNULL,   /* a non-null reference of that type */
} expect_kind;

typedef struct spec_expect {
    expect_kind kind;
    wr_val val;
    /* a v128: its lanes' size in bytes and what each lane allows
     * (f32x4/f64x2 lanes may be nan:canonical or nan:arithmetic) */
    unsigned lane_bytes;
    expect_kind lanes[16];
} spec_expect;

/* Parses a v128 {"type": "v128", "lane_type": "i32", "value": [lanes]}
 * into out (lane 0 first, little-endian lanes); patterns per lane into ex
 * when it is not NULL (expected results). */
static bool parse_v128(const cJSON *j, wr_val *out, spec_expect *ex, char *why, size_t whylen)
{
    static const struct {
        const char *name;
        unsigned bytes;
        bool fp;
    } shapes[] = {{"i8", 1, false},  {"i16", 2, false}, {"i32", 4, false},
                  {"i64", 8, false}, {"f32", 4, true},  {"f64", 8, true}};
    const char *lt = json_str(j, "lane_type");
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(j, "value");
    unsigned bytes = 0;
    bool fp = false;
    for (size_t i = 0; lt && i < sizeof shapes / sizeof shapes[0]; i++)
        if (strcmp(lt, shapes[i].name) == 0) bytes = shapes[i].bytes, fp = shapes[i].fp;
    if (!bytes || !cJSON_IsArray(vals) || cJSON_GetArraySize(vals) != (int)(16 / bytes)) {
        snprintf(why, whylen, "bad v128 value (lane type \"%s\")", lt ? lt : "(none)");
        return false;
    }
    if (ex) ex->lane_bytes = bytes;
    for (unsigned i = 0; i < 16 / bytes; i++) {
        const cJSON *lane = cJSON_GetArrayItem(vals, (int)i);
        const char *s = cJSON_IsString(lane) ? lane->valuestring : NULL;
        uint64_t u;
        if (ex) ex->lanes[i] = EXPECT_EXACT;
        if (ex && fp && s && strcmp(s, "nan:canonical") == 0) {
            ex->lanes[i] = EXPECT_NAN_CANON;
            continue;
        }
        if (ex && fp && s && strcmp(s, "nan:arithmetic") == 0) {
            ex->lanes[i] = EXPECT_NAN_ARITH;
            continue;
        }
        if (!s || !parse_u64(s, bytes == 8 ? UINT64_MAX : (1ull << (8 * bytes)) - 1, &u)) {
            snprintf(why, whylen, "bad v128 lane \"%s\"", s ? s : "(not a string)");
            return false;
        }
        for (unsigned k = 0; k < bytes; k++)
            out->of.v128[i * bytes + k] = (uint8_t)(u >> (8 * k));
    }
    return true;
}

/* Whether lane bytes `got` (n of them, little-endian) are the NaN pattern
 * kind of an f32 (n = 4) or f64 (n = 8) lane. */
static bool lane_nan_matches(expect_kind kind, const uint8_t *got, unsigned n)
{
    uint64_t v = 0;
    for (unsigned k = n; k-- > 0;)
        v = v << 8 | got[k];
    uint64_t quiet = n == 4 ? 0x7fc00000u : 0x7ff8000000000000ull;
    uint64_t mag = n == 4 ? 0x7fffffffu : 0x7fffffffffffffffull;
    if (kind == EXPECT_NAN_CANON) return (v & mag) == quiet;
    return (v & quiet) == quiet;
}

/* Parses a script value {"type": T, "value": V}. Patterns (nan:*) are allowed
 * only when `ex` is not NULL (expected results). Returns false and writes a
 * reason to why on a value the runner cannot represent. */
static bool parse_value(const cJSON *j, wr_val *out, spec_expect *sx, char *why, size_t whylen)
{
    expect_kind *ex = sx ? &sx->kind : NULL;
    const char *ts = json_str(j, "type");
    const char *vs = json_str(j, "value");
    wr_valtype t;
    uint64_t u;

    if (ex) *ex = EXPECT_EXACT;
    memset(out, 0, sizeof *out);
    if (!parse_type(ts, &t)) {
        snprintf(why, whylen, "unknown value type \"%s\"", ts ? ts : "(none)");
        return false;
    }
    out->type = t;
    if (t == WR_V128) return parse_v128(j, out, sx, why, whylen);
    if (!vs) {
        snprintf(why, whylen, "%s value without \"value\"", ts);
        return false;
    }
    if (ex && (t == WR_F32 || t == WR_F64)) {
        if (strcmp(vs, "nan:canonical") == 0) {
            *ex = EXPECT_NAN_CANON;
            return true;
        }
        if (strcmp(vs, "nan:arithmetic") == 0) {
            *ex = EXPECT_NAN_ARITH;
            return true;
        }
    }
    if (t == WR_FUNCREF || t == WR_EXTERNREF || t == WR_EXNREF) {
        if (strcmp(vs, "null") == 0) return true; /* the union is zeroed: NULL */
        if (!parse_u64(vs, UINT64_MAX - 1, &u)) goto bad;
        if (t == WR_EXTERNREF) {
            out->of.ext = make_extern(u);
            return true;
        }
        /* A function reference or an exception cannot be named from the
         * script: only "some function" can be checked. */
        if (!ex) {
            snprintf(why, whylen, "non-null %s arguments are not supported", ts);
            return false;
        }
        *ex = EXPECT_NONNULL;
        return true;
    }
    switch (t) {
    case WR_I32:
    case WR_F32:
        if (!parse_u64(vs, UINT32_MAX, &u)) goto bad;
        out->of.u32 = (uint32_t)u;
        return true;
    default:
        if (!parse_u64(vs, UINT64_MAX, &u)) goto bad;
        out->of.u64 = u;
        return true;
    }
bad:
    snprintf(why, whylen, "bad %s value \"%s\"", ts, vs);
    return false;
}

/* Whether `got` (of type `type`) matches the expectation. */
static bool value_matches(const spec_expect *e, const wr_val *got)
{
    switch (e->kind) {
    case EXPECT_NAN_CANON:
        if (got->type == WR_F32) return (got->of.u32 & 0x7fffffffu) == 0x7fc00000u;
        if (got->type == WR_F64)
            return (got->of.u64 & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
        return false;
    case EXPECT_NAN_ARITH:
        if (got->type == WR_F32) return (got->of.u32 & 0x7fc00000u) == 0x7fc00000u;
        if (got->type == WR_F64)
            return (got->of.u64 & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
        return false;
    case EXPECT_NONNULL:
        if (got->type == WR_FUNCREF) return got->of.func != NULL;
        if (got->type == WR_EXTERNREF) return got->of.ext != NULL;
        if (got->type == WR_EXNREF) return got->of.exn != NULL;
        return false;
    case EXPECT_EXACT: break;
    }
    switch (e->val.type) {
    case WR_I32:
    case WR_F32: return got->of.u32 == e->val.of.u32;
    case WR_I64:
    case WR_F64: return got->of.u64 == e->val.of.u64;
    case WR_FUNCREF: return got->of.func == e->val.of.func;
    case WR_EXTERNREF: return got->of.ext == e->val.of.ext;
    case WR_EXNREF: return got->of.exn == e->val.of.exn;
    case WR_V128:
        for (unsigned i = 0; i < 16 / e->lane_bytes; i++) {
            const uint8_t *g = got->of.v128 + i * e->lane_bytes;
            if (e->lanes[i] != EXPECT_EXACT) {
                if (!lane_nan_matches(e->lanes[i], g, e->lane_bytes)) return false;
            } else if (memcmp(g, e->val.of.v128 + i * e->lane_bytes, e->lane_bytes)) {
                return false;
            }
        }
        return true;
    }
    return false;
}

static void format_expect(const spec_expect *e, char *buf, size_t len)
{
    const char *t = type_name(e->val.type);
    switch (e->kind) {
    case EXPECT_NAN_CANON: snprintf(buf, len, "%s:nan:canonical", t); return;
    case EXPECT_NAN_ARITH: snprintf(buf, len, "%s:nan:arithmetic", t); return;
    case EXPECT_NONNULL: snprintf(buf, len, "%s:non-null", t); return;
    case EXPECT_EXACT: break;
    }
    format_value(&e->val, buf, len);
}

/* ----------------------------------------------------------- instances */

static wr_instance *find_named(const spec_ctx *c, const char *name)
{
    for (size_t i = c->nnamed; i-- > 0;)
        if (strcmp(c->named[i].name, name) == 0) return c->named[i].inst;
    return NULL;
}

/* Remembers `(module $name ...)`. A later module of the same name hides the
 * earlier one (find_named searches from the end). */
static bool add_named(spec_ctx *c, const char *name, wr_instance *inst)
{
    if (c->nnamed == c->cap_named) {
        size_t ncap = c->cap_named ? c->cap_named * 2 : 16;
        spec_named *n = realloc(c->named, ncap * sizeof *n);
        if (!n) return false;
        c->named = n;
        c->cap_named = ncap;
    }
    char *copy = strdup(name);
    if (!copy) return false;
    c->named[c->nnamed].name = copy;
    c->named[c->nnamed].inst = inst;
    c->nnamed++;
    return true;
}

/* --------------------------------------------------- the spectest module */

/* The print functions: the tests only need them to exist and be callable. */
static wr_status spectest_print(wr_instance *caller, void *user, const uint64_t *args,
                                uint64_t *results)
{
    (void)caller;
    (void)user;
    (void)args;
    (void)results;
    return WR_OK;
}

/* Defines the `spectest` host module (see the suite's README.md) in c->linker. */
static bool define_spectest(spec_ctx *c)
{
    static const struct {
        const char *name, *params;
    } prints[] = {
        {"print", ""},      {"print_i32", "i"},      {"print_i64", "I"},      {"print_f32", "f"},
        {"print_f64", "F"}, {"print_i32_f32", "if"}, {"print_f64_f64", "FF"},
    };
    for (size_t i = 0; i < sizeof prints / sizeof prints[0]; i++) {
        if (wr_linker_define_func(c->linker, "spectest", prints[i].name, prints[i].params, "",
                                  spectest_print, NULL) != WR_OK)
            return false;
    }

    wr_val gv[4];
    memset(gv, 0, sizeof gv);
    gv[0].type = WR_I32;
    gv[0].of.i32 = 666;
    gv[1].type = WR_I64;
    gv[1].of.i64 = 666;
    gv[2].type = WR_F32;
    gv[2].of.f32 = 666.6f;
    gv[3].type = WR_F64;
    gv[3].of.f64 = 666.6;
    static const char *const gnames[4] = {"global_i32", "global_i64", "global_f32", "global_f64"};
    for (size_t i = 0; i < 4; i++) {
        wr_extern ext = {.kind = WR_EXTERN_GLOBAL};
        ext.of.global = wr_global_new(c->store, &gv[i], false);
        if (!ext.of.global || wr_linker_define(c->linker, "spectest", gnames[i], &ext) != WR_OK)
            return false;
    }

    wr_extern table = {.kind = WR_EXTERN_TABLE};
    table.of.table = wr_table_new(c->store, WR_FUNCREF, 10, 20, true);
    if (!table.of.table || wr_linker_define(c->linker, "spectest", "table", &table) != WR_OK)
        return false;

    wr_extern mem = {.kind = WR_EXTERN_MEMORY};
    mem.of.memory = wr_memory_new(c->store, 1, 2, true);
    if (!mem.of.memory || wr_linker_define(c->linker, "spectest", "memory", &mem) != WR_OK)
        return false;
    return true;
}

/* ------------------------------------------------------------- actions */

typedef enum act_outcome {
    ACT_DONE,   /* the runtime answered: see status/err/results */
    ACT_FAILED, /* the runner could not perform the action: a failure was counted */
} act_outcome;

/* The result of one action: results are malloc'd, nresults of them. */
typedef struct act_result {
    wr_status status;
    wr_error err;
    wr_val *results;
    size_t nresults;
    const wr_valtype *types; /* declared result types (functions); NULL for get */
} act_result;

/* ------------------------------------------------------------ debug modes */

/* Reports a wrong answer of the debugger API (the first 20 are printed). */
static void debug_error(spec_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void debug_error(spec_ctx *c, const char *fmt, ...)
{
    if (c->debug_errors++ >= 20) return;
    va_list ap;
    printf("%s:%d: %s: debug: ", c->src_name, c->line, c->kind);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static bool is_valtype(wr_valtype t)
{
    return t == WR_I32 || t == WR_I64 || t == WR_F32 || t == WR_F64 || t == WR_V128 ||
           t == WR_FUNCREF || t == WR_EXTERNREF || t == WR_EXNREF;
}

static const debug_bps *find_bps(const spec_ctx *c, const wr_module *mod)
{
    for (size_t i = 0; i < c->nbps; i++)
        if (c->bps[i].mod == mod) return &c->bps[i];
    return NULL;
}

static bool bps_has(const debug_bps *b, uint32_t off)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->offs[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < b->n && b->offs[lo] == off;
}

/* Checks what the inspection calls say about frame i. */
static bool inspect_frame(spec_ctx *c, wr_store *store, uint32_t i, wr_frame_info *fi)
{
    wr_val v;
    if (wr_debug_frame(store, i, fi) != WR_OK) {
        debug_error(c, "wr_debug_frame(%u) failed", i);
        return false;
    }
    if (!fi->inst) {
        debug_error(c, "frame %u has no instance", i);
        return false;
    }
    uint32_t start = 0, end = 0;
    if (wr_module_func_range(wr_instance_module(fi->inst), fi->func_index, &start, &end) != WR_OK) {
        debug_error(c, "frame %u: function %u has no body", i, fi->func_index);
        return false;
    }
    if (fi->code_offset <= start || fi->code_offset >= end) {
        debug_error(c, "frame %u: offset %u outside function %u [%u, %u)", i, fi->code_offset,
                    fi->func_index, start, end);
        return false;
    }
    uint32_t nl = wr_debug_local_count(store, i);
    for (uint32_t k = 0; k < nl && k < 64; k++) {
        if (wr_debug_local(store, i, k, &v) != WR_OK || !is_valtype(v.type)) {
            debug_error(c, "frame %u: local %u unreadable", i, k);
            return false;
        }
    }
    if (wr_debug_local(store, i, nl, &v) != WR_NOT_FOUND) {
        debug_error(c, "frame %u: local %u past the count answers", i, nl);
        return false;
    }
    uint32_t d = wr_debug_stack_depth(store, i);
    if (d > 1000000) {
        debug_error(c, "frame %u: operand depth %u", i, d);
        return false;
    }
    for (uint32_t k = 0; k < d && k < 64; k++) {
        if (wr_debug_stack_value(store, i, k, &v) != WR_OK) {
            debug_error(c, "frame %u: stack value %u of %u unreadable", i, k, d);
            return false;
        }
    }
    if (wr_debug_stack_value(store, i, d, &v) != WR_NOT_FOUND) {
        debug_error(c, "frame %u: stack value %u past the depth answers", i, d);
        return false;
    }
    return true;
}

static const char *const reason_names[] = {"entry",     "breakpoint", "step",
                                           "interrupt", "trap",       "watch"};

/* The debug hook of both modes: checks the stop, then resumes. */
static void debug_hook(wr_store *store, const wr_debug_event *ev, wr_debug_resume *r, void *user)
{
    spec_ctx *c = user;
    c->stops_total++;
    if (ev->reason == WR_DEBUG_ENTRY) c->stops_in_call = 0;
    r->action = WR_DEBUG_CONTINUE;
    if (c->stops_in_call++ >= c->step_cap && ev->reason != WR_DEBUG_TRAP)
        return; /* let it run on, unchecked */
    const char *rn = ev->reason <= WR_DEBUG_WATCH ? reason_names[ev->reason] : "?";

    uint32_t n = wr_debug_frame_count(store);
    if (n == 0) {
        debug_error(c, "no frames at a %s stop", rn);
        return;
    }
    wr_frame_info top, fi;
    bool top_ok = false;
    for (uint32_t i = 0; i < n; i++) {
        if (i == DEBUG_INSPECT_FRAMES && n - 1 > i) i = n - 1;
        bool ok = inspect_frame(c, store, i, i == 0 ? &top : &fi);
        if (i == 0) top_ok = ok;
    }
    if (wr_debug_frame(store, n, &fi) != WR_NOT_FOUND)
        debug_error(c, "wr_debug_frame(%u) past the count answers", n);
    if (!top_ok) return;
    wr_module *mod = wr_instance_module(top.inst);
    uint32_t at = 0;
    if (wr_debug_insn_at(store, mod, top.code_offset, &at) != WR_OK || at != top.code_offset)
        debug_error(c, "%s stop at %u: not an instruction boundary (next is %u)", rn,
                    top.code_offset, at);

    if (c->debug == DEBUG_STEP) {
        if (ev->reason != WR_DEBUG_ENTRY && ev->reason != WR_DEBUG_STEP &&
            ev->reason != WR_DEBUG_TRAP)
            debug_error(c, "unexpected %s stop while stepping", rn);
        if (ev->reason != WR_DEBUG_TRAP && c->stops_in_call < c->step_cap)
            r->action = WR_DEBUG_STEP_INSN;
    } else {
        if (ev->reason == WR_DEBUG_BREAKPOINT) {
            const debug_bps *b = find_bps(c, mod);
            if (!b || !bps_has(b, top.code_offset))
                debug_error(c, "breakpoint hit at %u where none is set", top.code_offset);
        } else if (ev->reason != WR_DEBUG_TRAP) {
            debug_error(c, "unexpected %s stop with breakpoints only", rn);
        }
    }
}

/* --debug-break: a breakpoint at every instruction boundary of mod. */
static void debug_set_breaks(spec_ctx *c, wr_module *mod)
{
    debug_bps b = {mod, NULL, 0};
    size_t cap = 0;
    uint32_t nf = wr_module_func_count(mod);
    for (uint32_t f = 0; f < nf; f++) {
        uint32_t start, end, at;
        if (wr_module_func_range(mod, f, &start, &end) != WR_OK) continue;
        uint32_t off = start;
        bool first = true;
        while (off < end && wr_debug_insn_at(c->store, mod, off, &at) == WR_OK) {
            if (at < off || at >= end || (first && at == start)) {
                debug_error(c, "wr_debug_insn_at(%u) = %u outside function %u [%u, %u)", off, at, f,
                            start, end);
                break;
            }
            first = false;
            wr_status st = wr_debug_break_set(c->store, mod, at);
            if (st != WR_OK) debug_error(c, "wr_debug_break_set(%u): %s", at, status_name(st));
            if (b.n == cap) {
                cap = cap ? 2 * cap : 64;
                uint32_t *p = realloc(b.offs, cap * sizeof *p);
                if (!p) {
                    spec_fatal(c, "out of memory");
                    free(b.offs);
                    return;
                }
                b.offs = p;
            }
            b.offs[b.n++] = at;
            off = at + 1;
        }
    }
    if (c->nbps == c->cap_bps) {
        size_t nc = c->cap_bps ? 2 * c->cap_bps : 16;
        debug_bps *p = realloc(c->bps, nc * sizeof *p);
        if (!p) {
            spec_fatal(c, "out of memory");
            free(b.offs);
            return;
        }
        c->bps = p;
        c->cap_bps = nc;
    }
    c->bps[c->nbps++] = b;
}

/* --debug-break: clears every breakpoint set (each exactly once). */
static void debug_clear_breaks(spec_ctx *c)
{
    c->line = 0;
    c->kind = "clearing breakpoints";
    for (size_t i = 0; i < c->nbps; i++) {
        debug_bps *b = &c->bps[i];
        for (size_t k = 0; k < b->n; k++) {
            wr_status st = wr_debug_break_clear(c->store, b->mod, b->offs[k]);
            if (st != WR_OK)
                debug_error(c, "wr_debug_break_clear(%u): %s", b->offs[k], status_name(st));
            st = wr_debug_break_clear(c->store, b->mod, b->offs[k]);
            if (st != WR_NOT_FOUND)
                debug_error(c, "second wr_debug_break_clear(%u): %s", b->offs[k], status_name(st));
        }
        free(b->offs);
    }
    free(c->bps);
    c->bps = NULL;
    c->nbps = 0;
}

/* Before every call into Wasm (invoke, instantiation with a start function). */
static void debug_before_call(spec_ctx *c)
{
    c->stops_in_call = 0;
    if (c->debug == DEBUG_STEP) wr_debug_stop_at_entry(c->store, true);
}

/* Performs an `invoke` or `get` action. On ACT_FAILED a failure line has
 * been printed. r->results must be freed by the caller in both cases. */
static act_outcome run_action(spec_ctx *c, const cJSON *act, act_result *r)
{
    const char *type = json_str(act, "type");
    const char *modname = json_str(act, "module");
    const char *field = json_str(act, "field");
    wr_instance *inst;
    wr_extern ext;
    wr_val *args = NULL;
    char why[160];

    /* Every "field" member counts, to stay in step with scan_nul_fields. */
    size_t fi = cJSON_GetObjectItemCaseSensitive(act, "field") ? c->next_field++ : SIZE_MAX;

    memset(r, 0, sizeof *r);
    if (!type || !field) {
        spec_fail(c, "action without \"type\" or \"field\"");
        return ACT_FAILED;
    }
    const raw_field *raw = fi < c->nfields && c->nul_fields[fi].bytes ? &c->nul_fields[fi] : NULL;
    inst = modname ? find_named(c, modname) : c->current;
    if (!inst) {
        if (modname)
            spec_fail(c, "no module named %s", modname);
        else
            spec_fail(c, "no current module (the last module failed to load?)");
        return ACT_FAILED;
    }
    if ((raw ? wr_instance_export_n(inst, raw->bytes, raw->len, &ext)
             : wr_instance_export(inst, field, &ext)) != WR_OK) {
        spec_fail(c, "no export \"%s\"", field);
        return ACT_FAILED;
    }

    if (strcmp(type, "get") == 0) {
        if (ext.kind != WR_EXTERN_GLOBAL) {
            spec_fail(c, "export \"%s\" is not a global", field);
            return ACT_FAILED;
        }
        r->results = calloc(1, sizeof *r->results);
        if (!r->results) {
            spec_fail(c, "out of memory");
            return ACT_FAILED;
        }
        wr_global_get(ext.of.global, &r->results[0]);
        r->nresults = 1;
        r->status = WR_OK;
        return ACT_DONE;
    }
    if (strcmp(type, "invoke") != 0) {
        spec_fail(c, "unknown action type \"%s\"", type);
        return ACT_FAILED;
    }
    if (ext.kind != WR_EXTERN_FUNC) {
        spec_fail(c, "export \"%s\" is not a function", field);
        return ACT_FAILED;
    }

    const wr_functype *ft = wr_func_type(ext.of.func);
    const cJSON *jargs = cJSON_GetObjectItemCaseSensitive(act, "args");
    if (jargs && !cJSON_IsArray(jargs)) {
        spec_fail(c, "\"args\" is not an array");
        return ACT_FAILED;
    }
    int nargs = jargs ? cJSON_GetArraySize(jargs) : 0;
    if ((uint32_t)nargs != ft->nparams) {
        spec_fail(c, "\"%s\" takes %" PRIu32 " arguments, the script passes %d", field, ft->nparams,
                  nargs);
        return ACT_FAILED;
    }
    args = calloc((size_t)nargs + 1, sizeof *args);
    r->results = calloc((size_t)ft->nresults + 1, sizeof *r->results);
    if (!args || !r->results) {
        spec_fail(c, "out of memory");
        goto fail;
    }
    int i = 0;
    const cJSON *ja;
    cJSON_ArrayForEach(ja, jargs)
    {
        if (!parse_value(ja, &args[i], NULL, why, sizeof why)) {
            spec_fail(c, "argument %d: %s", i, why);
            goto fail;
        }
        if (args[i].type != ft->params[i]) {
            spec_fail(c, "argument %d is %s, \"%s\" expects %s", i, type_name(args[i].type), field,
                      type_name(ft->params[i]));
            goto fail;
        }
        i++;
    }
    r->nresults = ft->nresults;
    r->types = ft->results;
    debug_before_call(c);
    r->status = wr_func_call(ext.of.func, args, (size_t)nargs, r->results, ft->nresults, &r->err);
    free(args);
    return ACT_DONE;
fail:
    free(args);
    return ACT_FAILED;
}

/* ------------------------------------------------------------ commands */

/* Reads and decodes the command's .wasm file. Returns false after a fatal
 * error (unreadable file); otherwise *status and err say what the runtime
 * answered. */
static bool load_module(spec_ctx *c, const cJSON *cmd, wr_module **mod, wr_status *status,
                        wr_error *err)
{
    const char *fname = json_str(cmd, "filename");
    char *path = NULL;
    uint8_t *bytes = NULL;
    size_t len = 0;

    *mod = NULL;
    memset(err, 0, sizeof *err);
    if (!fname) {
        spec_fatal(c, "%s:%d: %s command without \"filename\"", c->json_path, c->line, c->kind);
        return false;
    }
    path = join_path(c->dir, fname);
    if (!path) {
        spec_fatal(c, "out of memory");
        return false;
    }
    bytes = read_file(c, path, &len);
    free(path);
    if (!bytes) return false;
    *status = wr_module_new(c->store, bytes, len, mod, err);
    free(bytes);
    if (*status == WR_OK && c->debug == DEBUG_BREAK) debug_set_breaks(c, *mod);
    return true;
}

static void cmd_module(spec_ctx *c, const cJSON *cmd)
{
    const char *name = json_str(cmd, "name");
    wr_module *mod;
    wr_instance *inst = NULL;
    wr_status s;
    wr_error err;
    char msg[400];

    /* A module that fails leaves no current module: later actions must not
     * silently run against the previous one. */
    c->current = NULL;
    if (!load_module(c, cmd, &mod, &s, &err)) return;
    if (s != WR_OK) {
        describe_error(s, &err, msg, sizeof msg);
        spec_fail(c, "expected the module to load, got %s", msg);
        return;
    }
    memset(&err, 0, sizeof err);
    debug_before_call(c);
    s = wr_instance_new(c->store, mod, c->linker, &inst, &err);
    if (s != WR_OK) {
        describe_error(s, &err, msg, sizeof msg);
        spec_fail(c, "expected the module to instantiate, got %s", msg);
        return;
    }
    c->current = inst;
    if (name && !add_named(c, name, inst)) {
        spec_fatal(c, "out of memory");
        return;
    }
    c->passed++;
}

static void cmd_register(spec_ctx *c, const cJSON *cmd)
{
    const char *as = json_str(cmd, "as");
    const char *name = json_str(cmd, "name");
    wr_instance *inst = name ? find_named(c, name) : c->current;

    if (!as) {
        spec_fail(c, "register without \"as\"");
        return;
    }
    if (!inst) {
        spec_fail(c, "cannot register %s as \"%s\": no such module", name ? name : "(current)", as);
        return;
    }
    wr_status s = wr_linker_define_instance(c->linker, as, inst);
    if (s != WR_OK) spec_fail(c, "register as \"%s\" failed: %s", as, status_name(s));
}

/* `action` and `assert_return`: the call must succeed; for assert_return the
 * results must match "expected". */
static void cmd_return(spec_ctx *c, const cJSON *cmd, bool check)
{
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    const cJSON *jexp = cJSON_GetObjectItemCaseSensitive(cmd, "expected");
    act_result r;
    char why[160], a[120], b[120], msg[400];

    if (!cJSON_IsObject(act)) {
        spec_fail(c, "command without \"action\"");
        return;
    }
    if (run_action(c, act, &r) != ACT_DONE) goto out;
    if (r.status != WR_OK) {
        describe_error(r.status, &r.err, msg, sizeof msg);
        spec_fail(c, "expected success, got %s", msg);
        goto out;
    }
    if (!check) {
        c->passed++;
        goto out;
    }
    if (jexp && !cJSON_IsArray(jexp)) {
        spec_fail(c, "\"expected\" is not an array");
        goto out;
    }
    int nexp = jexp ? cJSON_GetArraySize(jexp) : 0;
    if ((size_t)nexp != r.nresults) {
        spec_fail(c, "expected %d results, the function returns %zu", nexp, r.nresults);
        goto out;
    }
    int i = 0;
    const cJSON *je;
    cJSON_ArrayForEach(je, jexp)
    {
        spec_expect e;
        if (!parse_value(je, &e.val, &e, why, sizeof why)) {
            spec_fail(c, "result %d: %s", i, why);
            goto out;
        }
        /* The declared type decides; a runtime that returns a different
         * wr_val.type breaks the API contract, so that is a failure too. */
        if (r.types && r.types[i] != e.val.type) {
            spec_fail(c, "result %d: expected type %s, the function returns %s", i,
                      type_name(e.val.type), type_name(r.types[i]));
            goto out;
        }
        if (r.results[i].type != e.val.type) {
            format_expect(&e, a, sizeof a);
            spec_fail(c, "result %d: expected %s, got a value tagged %s", i, a,
                      type_name(r.results[i].type));
            goto out;
        }
        if (!value_matches(&e, &r.results[i])) {
            format_expect(&e, a, sizeof a);
            format_value(&r.results[i], b, sizeof b);
            spec_fail(c, "result %d: expected %s, got %s", i, a, b);
            goto out;
        }
        i++;
    }
    c->passed++;
out:
    free(r.results);
}

/* Whether a trap's message satisfies the script's expected text. The spec's
 * reference interpreter accepts a message that starts with the expected text.
 * One script (bulk.wast:222, "uninitialized element 2") expects the reference
 * interpreter's own detail after the spec wording; we accept the spec wording
 * for the right trap kind followed by such a detail. */
static bool trap_text_matches(const wr_error *err, const char *text)
{
    size_t lt = strlen(text);
    const char *spec = wr_trap_message(err->trap);
    if (strncmp(err->msg, text, lt) == 0) return true;
    if (spec && strncmp(spec, text, lt) == 0) return true;
    if (spec) {
        size_t ls = strlen(spec);
        if (ls > 0 && ls < lt && strncmp(text, spec, ls) == 0 && text[ls] == ' ') return true;
    }
    return false;
}

/* `assert_trap`, `assert_exhaustion` and `assert_exception` (an
 * exception the call does not catch: the runtime's trap kind
 * WR_TRAP_UNCAUGHT_EXCEPTION; the command has no text). */
static void cmd_trap(spec_ctx *c, const cJSON *cmd, bool exhaustion, bool exception)
{
    const cJSON *act = cJSON_GetObjectItemCaseSensitive(cmd, "action");
    const char *text =
        exception ? wr_trap_message(WR_TRAP_UNCAUGHT_EXCEPTION) : json_str(cmd, "text");
    act_result r;
    char msg[400];

    if (!cJSON_IsObject(act) || !text) {
        spec_fail(c, "command without \"action\" or \"text\"");
        return;
    }
    if (run_action(c, act, &r) != ACT_DONE) goto out;
    if (r.status == WR_OK) {
        spec_fail(c, "expected trap \"%s\", the call returned normally", text);
        goto out;
    }
    describe_error(r.status, &r.err, msg, sizeof msg);
    if (r.status != WR_ERR_TRAP) {
        spec_fail(c, "expected trap \"%s\", got %s", text, msg);
        goto out;
    }
    if (exhaustion  ? r.err.trap != WR_TRAP_STACK_EXHAUSTED
        : exception ? r.err.trap != WR_TRAP_UNCAUGHT_EXCEPTION
                    : !trap_text_matches(&r.err, text)) {
        spec_fail(c, "expected trap \"%s\", got %s", text, msg);
        goto out;
    }
    c->passed++;
out:
    free(r.results);
}

/* `assert_invalid` and binary `assert_malformed`: decoding must fail with
 * exactly `want`. */
static void cmd_bad_module(spec_ctx *c, const cJSON *cmd, wr_status want)
{
    const char *text = json_str(cmd, "text");
    const char *mt = json_str(cmd, "module_type");
    wr_module *mod;
    wr_status s;
    wr_error err;
    char msg[400];

    if (mt && strcmp(mt, "binary") != 0) {
        /* wast2json writes `(module quote ...)` scripts as .wat: only a text
         * parser could check them. */
        c->skipped++;
        return;
    }
    if (!load_module(c, cmd, &mod, &s, &err)) return;
    if (s == want) {
        c->passed++;
        return;
    }
    if (s == WR_OK) {
        spec_fail(c, "expected %s module (\"%s\"), the module loaded", status_name(want),
                  text ? text : "");
        return;
    }
    describe_error(s, &err, msg, sizeof msg);
    spec_fail(c, "expected %s module (\"%s\"), got WRONG KIND %s", status_name(want),
              text ? text : "", msg);
}

/* `assert_unlinkable` (want WR_ERR_UNLINKABLE) and `assert_uninstantiable`
 * (want WR_ERR_TRAP, with the trap text checked): the module is valid but
 * instantiating it fails. Neither leaves a current or registered instance. */
static void cmd_bad_instance(spec_ctx *c, const cJSON *cmd, wr_status want)
{
    const char *text = json_str(cmd, "text");
    wr_module *mod;
    wr_instance *inst = NULL;
    wr_status s;
    wr_error err;
    char msg[400];

    if (!text) text = "";
    if (!load_module(c, cmd, &mod, &s, &err)) return;
    if (s != WR_OK) {
        describe_error(s, &err, msg, sizeof msg);
        spec_fail(c, "expected a valid module that fails to instantiate (\"%s\"), got %s", text,
                  msg);
        return;
    }
    memset(&err, 0, sizeof err);
    debug_before_call(c);
    s = wr_instance_new(c->store, mod, c->linker, &inst, &err);
    if (s == WR_OK) {
        spec_fail(c, "expected %s (\"%s\"), the module instantiated", status_name(want), text);
        return;
    }
    describe_error(s, &err, msg, sizeof msg);
    if (s != want || (want == WR_ERR_TRAP && !trap_text_matches(&err, text))) {
        spec_fail(c, "expected %s (\"%s\"), got %s", status_name(want), text, msg);
        return;
    }
    c->passed++;
}

static void run_command(spec_ctx *c, const cJSON *cmd)
{
    const cJSON *jline = cJSON_GetObjectItemCaseSensitive(cmd, "line");
    const char *type = json_str(cmd, "type");

    c->line = cJSON_IsNumber(jline) ? jline->valueint : 0;
    c->kind = type ? type : "(no type)";
    if (c->verbose) {
        printf("%s:%d: %s\n", c->src_name, c->line, c->kind);
        fflush(stdout);
    }
    if (!type)
        spec_fail(c, "command without \"type\"");
    else if (strcmp(type, "module") == 0)
        cmd_module(c, cmd);
    else if (strcmp(type, "register") == 0)
        cmd_register(c, cmd);
    else if (strcmp(type, "action") == 0)
        cmd_return(c, cmd, false);
    else if (strcmp(type, "assert_return") == 0)
        cmd_return(c, cmd, true);
    else if (strcmp(type, "assert_trap") == 0)
        cmd_trap(c, cmd, false, false);
    else if (strcmp(type, "assert_exhaustion") == 0)
        cmd_trap(c, cmd, true, false);
    else if (strcmp(type, "assert_exception") == 0)
        cmd_trap(c, cmd, false, true);
    else if (strcmp(type, "unsupported") == 0) {
        /* tests/spec/wast2json.js --unsupported: a feature the runtime
         * lacks, named in tests/spec/CMakeLists.txt; counted as skipped */
        const char *why = json_str(cmd, "text");
        printf("%s:%d: skipped: needs %s\n", c->src_name, c->line, why ? why : "(no reason)");
        c->skipped++;
    } else if (strcmp(type, "assert_invalid") == 0)
        cmd_bad_module(c, cmd, WR_ERR_INVALID);
    else if (strcmp(type, "assert_malformed") == 0)
        cmd_bad_module(c, cmd, WR_ERR_MALFORMED);
    else if (strcmp(type, "assert_unlinkable") == 0)
        cmd_bad_instance(c, cmd, WR_ERR_UNLINKABLE);
    else if (strcmp(type, "assert_uninstantiable") == 0)
        cmd_bad_instance(c, cmd, WR_ERR_TRAP);
    else
        spec_fail(c, "unsupported command type");
}

/* ---------------------------------------------------------------- main */

static void usage(void)
{
    fputs("usage: wdb-spectest [-v] [--debug-step | --debug-break] [--debug-cap=N] FILE.json\n"
          "Runs a spec test script converted by `wast2json --enable-all X.wast -o FILE.json`.\n",
          stderr);
}

int main(int argc, char **argv)
{
    spec_ctx c;
    cJSON *root = NULL;
    uint8_t *text = NULL;
    size_t len = 0;
    int rc = 1;

    memset(&c, 0, sizeof c);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            c.verbose = true;
        } else if (strcmp(argv[i], "--debug-step") == 0) {
            c.debug = DEBUG_STEP;
        } else if (strcmp(argv[i], "--debug-break") == 0) {
            c.debug = DEBUG_BREAK;
        } else if (strncmp(argv[i], "--debug-cap=", 12) == 0) {
            c.step_cap = strtoul(argv[i] + 12, NULL, 10);
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' || c.json_path) {
            usage();
            return 1;
        } else {
            c.json_path = argv[i];
        }
    }
    if (!c.json_path) {
        usage();
        return 1;
    }

    text = read_file(&c, c.json_path, &len);
    if (!text) goto done;
    root = cJSON_ParseWithLength((const char *)text, len);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        spec_fatal(&c, "%s: not valid JSON (near offset %td)", c.json_path,
                   at ? at - (const char *)text : (ptrdiff_t)0);
        goto done;
    }
    if (!scan_nul_fields(&c, (const char *)text, len)) {
        spec_fatal(&c, "out of memory");
        goto done;
    }
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(root, "commands");
    if (!cJSON_IsArray(cmds)) {
        spec_fatal(&c, "%s: no \"commands\" array: not a wast2json file", c.json_path);
        goto done;
    }
    const char *src = json_str(root, "source_filename");
    c.src_name = src ? src : c.json_path;

    const char *slash = strrchr(c.json_path, '/');
    c.dir = slash ? strndup(c.json_path, (size_t)(slash - c.json_path)) : strdup(".");
    if (c.dir && c.dir[0] == 0) {
        free(c.dir);
        c.dir = strdup("/");
    }
    c.store = wr_store_new(NULL);
    c.linker = c.store ? wr_linker_new(c.store) : NULL;
    if (!c.dir || !c.linker) {
        spec_fatal(&c, "out of memory");
        goto done;
    }
    if (!define_spectest(&c)) {
        spec_fatal(&c, "cannot define the spectest host module");
        goto done;
    }
    if (!c.step_cap) c.step_cap = ULONG_MAX;
    if (c.debug != DEBUG_NONE) wr_debug_set_hook(c.store, debug_hook, &c);

    const cJSON *cmd;
    cJSON_ArrayForEach(cmd, cmds)
    {
        if (!cJSON_IsObject(cmd)) {
            spec_fatal(&c, "%s: a command is not a JSON object", c.json_path);
            goto done;
        }
        run_command(&c, cmd);
        if (c.fatal) goto done;
    }

    if (c.debug == DEBUG_BREAK) debug_clear_breaks(&c);
    if (c.debug != DEBUG_NONE) {
        printf("debug: %lu stops, %lu wrong answers\n", c.stops_total, c.debug_errors);
    }
    if (c.skipped)
        printf("%u passed, %u failed, %u skipped\n", c.passed, c.failed, c.skipped);
    else
        printf("%u passed, %u failed\n", c.passed, c.failed);
    rc = c.failed || c.debug_errors ? 1 : 0;
done:
    if (c.store) wr_store_free(c.store);
    for (size_t i = 0; i < c.nbps; i++)
        free(c.bps[i].offs);
    free(c.bps);
    for (size_t i = 0; i < c.nnamed; i++)
        free(c.named[i].name);
    free(c.named);
    for (size_t i = 0; i < c.nfields; i++)
        free(c.nul_fields[i].bytes);
    free(c.nul_fields);
    free(c.dir);
    cJSON_Delete(root);
    free(text);
    return rc;
}
