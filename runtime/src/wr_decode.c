/*
 * Binary decoding and validation of a module, everything but function
 * bodies (those are validated and translated by wr_compile.c).
 *
 * One pass over the sections in file order (spec 2.0, 5.5 "Modules"). Each
 * section is read through a cursor bounded by the section's size, so a size
 * that lies is caught at the section's end ("section size mismatch") and no
 * read ever leaves the file. Errors carry the section's name and the file
 * offset of the byte where decoding stopped.
 *
 * Counts read from the file are checked against the bytes left before
 * anything is allocated for them: every item takes at least one byte, so a
 * hostile count cannot make us allocate more than the file's size allows.
 *
 * Validation of indices and types that only needs earlier sections is done
 * as each item is read (spec 3.4 "Modules"). Function bodies are validated
 * last, once every section is decoded, so a malformed later section wins
 * over an invalid body, as the spec's decode-then-validate order implies.
 */
#include "wr_code.h"
#include "wdb/wasm_ops.h"

#include <stdio.h>
#include <string.h>

/* A hard bound on the locals of one function: the spec allows 2^32-1, but a
 * frame that large cannot run anyway. Above it the module is refused with
 * WR_ERR_LIMIT, not as malformed. */
#define WR_MAX_LOCALS (1u << 20)

typedef struct rd {
    wr_module *mod;
    wr_error *err;
    const uint8_t *p, *end; /* cursor within the current section */
    const char *sec;        /* name of the section being read */
#if WR_FEATURE_FUNCREFS
    uint32_t type_limit; /* type indices a heap type may name: the type section's
                          * rec group read so far, then all */
#endif
} rd;

wr_status wr_fail(wr_error *err, wr_status status, const char *section, size_t offset,
                  const char *fmt, ...)
{
    if (!err) return status;
    err->status = status;
    err->trap = WR_TRAP_NONE;
    err->section = section;
    err->offset = offset;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return status;
}

static wr_status rfail(rd *r, wr_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static wr_status rfail(rd *r, wr_status st, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wr_fail(r->err, st, r->sec, (size_t)(r->p - r->mod->bytes), "%s", msg);
}
#define MALFORMED(...) return rfail(r, WR_ERR_MALFORMED, __VA_ARGS__)
#define INVALID(...) return rfail(r, WR_ERR_INVALID, __VA_ARGS__)
#define TRY(x)                                                                                     \
    do {                                                                                           \
        wr_status st_ = (x);                                                                       \
        if (st_ != WR_OK) return st_;                                                              \
    } while (0)
#define NOMEM() return rfail(r, WR_ERR_NOMEM, "out of memory")

/* ------------------------------------------------------------ primitives */

static wr_status rd_u8(rd *r, uint8_t *out)
{
    *out = 0;
    if (r->p >= r->end) MALFORMED("unexpected end of section");
    *out = *r->p++;
    return WR_OK;
}

static wr_status rd_leb(rd *r, uint64_t *out, unsigned bits, bool sign)
{
    const char *why = wf_leb_read(&r->p, r->end, bits, sign, out);
    if (why) MALFORMED("%s", why);
    return WR_OK;
}

static wr_status rd_u32(rd *r, uint32_t *out)
{
    uint64_t v;
    TRY(rd_leb(r, &v, 32, false));
    *out = (uint32_t)v;
    return WR_OK;
}

/* A vector length: at most one item per `min_item_bytes` bytes left. */
static wr_status rd_count(rd *r, uint32_t *out, uint32_t min_item_bytes)
{
    TRY(rd_u32(r, out));
    if (min_item_bytes && *out > (size_t)(r->end - r->p) / min_item_bytes)
        MALFORMED("length out of bounds: %" PRIu32 " items in %zu bytes", *out,
                  (size_t)(r->end - r->p));
    return WR_OK;
}

/* A name: its bytes copied NUL-terminated into *out (owned by the caller);
 * *len (if not NULL) receives the length, since names may contain NUL. */
static wr_status rd_name_len(rd *r, char **out, uint32_t *len)
{
    uint32_t n;
    TRY(rd_u32(r, &n));
    if (n > (size_t)(r->end - r->p))
        MALFORMED("unexpected end of section (name of %" PRIu32 " bytes)", n);
    if (!wf_utf8_valid(r->p, n)) MALFORMED("malformed UTF-8 encoding");
    char *s = malloc((size_t)n + 1);
    if (!s) NOMEM();
    memcpy(s, r->p, n);
    s[n] = 0;
    r->p += n;
    *out = s;
    if (len) *len = n;
    return WR_OK;
}

static wr_status rd_name(rd *r, char **out)
{
    return rd_name_len(r, out, NULL);
}

#if WR_FEATURE_FUNCREFS
/* A heap type (spec 3.0 5.3.3, s33): an abstract one (func, extern, exn:
 * their reference type's byte) or a function type's index + 1 above
 * WR_VT_IDX_SHIFT with kind WR_FUNCREF. The GC proposal's heap types are
 * refused. */
static wr_status rd_heaptype(rd *r, wr_valtype *out)
{
    const uint8_t *at = r->p;
    uint64_t v;
    TRY(rd_leb(r, &v, 33, true));
    int64_t sv = (int64_t)v;
    if (sv >= 0) {
        if (v >= r->type_limit) {
            r->p = at;
            INVALID("unknown type %" PRIu64, v);
        }
        if (v >= (1u << (31 - WR_VT_IDX_SHIFT))) {
            r->p = at;
            return rfail(r, WR_ERR_LIMIT, "type index %" PRIu64 " too large for this runtime", v);
        }
        *out = (wr_valtype)(WR_FUNCREF | ((uint32_t)(v + 1) << WR_VT_IDX_SHIFT));
        return WR_OK;
    }
    uint8_t b = (uint8_t)(sv & 0x7f);
    if (sv >= -64 && (b == WR_FUNCREF || b == WR_EXTERNREF || (WR_FEATURE_EH && b == WR_EXNREF))) {
        *out = (wr_valtype)b;
        return WR_OK;
    }
    r->p = at;
    if (sv >= -64 && b >= 0x6a && b <= 0x74)
        INVALID("heap type 0x%02x (the GC proposal) is not supported", b);
    MALFORMED("malformed heap type");
}
#endif

static wr_status rd_valtype(rd *r, wr_valtype *out)
{
    uint8_t b;
    TRY(rd_u8(r, &b));
    switch (b) {
#if WR_FEATURE_FUNCREFS
    case 0x63: /* (ref null ht) */
    case 0x64: /* (ref ht) */
        TRY(rd_heaptype(r, out));
        if (b == 0x64) *out = (wr_valtype)(*out | WR_VT_NONNULL);
        return WR_OK;
#endif
    case WR_I32:
    case WR_I64:
    case WR_F32:
    case WR_F64:
    case WR_FUNCREF:
    case WR_EXTERNREF: *out = (wr_valtype)b; return WR_OK;
#ifdef WR_FEATURE_SIMD
    case WR_V128: *out = (wr_valtype)b; return WR_OK;
#else
    case WR_V128: r->p--; INVALID("SIMD (v128) is not supported in this build");
#endif
#if WR_FEATURE_EH
    case WR_EXNREF: *out = WR_EXNREF; return WR_OK;
#endif
    default: r->p--; MALFORMED("malformed value type 0x%02x", b);
    }
}

static wr_status rd_reftype(rd *r, wr_valtype *out)
{
    uint8_t b;
    TRY(rd_u8(r, &b));
    if (b != WR_FUNCREF && b != WR_EXTERNREF && !(WR_FEATURE_EH && b == WR_EXNREF)) {
        r->p--;
        MALFORMED("malformed reference type 0x%02x", b);
    }
    *out = (wr_valtype)b;
    return WR_OK;
}

/* limits (spec 5.3.7); `bound` is the largest valid min/max (spec 3.2.4). */
static wr_status rd_limits(rd *r, wr_limits *l, uint64_t bound, const char *what)
{
    uint8_t flags;
    TRY(rd_u8(r, &flags));
    if (flags > 1) {
        r->p--;
        MALFORMED("integer too large: limits flags 0x%02x", flags);
    }
    TRY(rd_u32(r, &l->min));
    l->has_max = flags == 1;
    l->max = 0;
    if (l->has_max) TRY(rd_u32(r, &l->max));
    if (l->min > bound || (l->has_max && l->max > bound))
        INVALID("%s size must be at most %" PRIu32, what, (uint32_t)bound); /* <= 2^32-1 */
    if (l->has_max && l->min > l->max) INVALID("size minimum must not be greater than maximum");
    return WR_OK;
}

static wr_status rd_tabletype(rd *r, wr_table_type *t)
{
    TRY(rd_reftype(r, &t->elem));
    return rd_limits(r, &t->limits, 0xffffffffu, "table");
}

static wr_status rd_globaltype(rd *r, wr_global_type *g)
{
    TRY(rd_valtype(r, &g->type));
#if WR_FEATURE_FUNCREFS
    /* a typed reference global holds (and is validated as) its kind */
    g->type = WR_VT_KIND(g->type);
#endif
    uint8_t m;
    TRY(rd_u8(r, &m));
    if (m > 1) {
        r->p--;
        MALFORMED("malformed mutability");
    }
    g->mut = m == 1;
    return WR_OK;
}

/* Immediate formats of the single-byte opcodes (spec 5.4). */
enum {
    IM_BAD,
    IM_NONE,
    IM_BLOCK,
    IM_U32,
    IM_2U32,
    IM_BRTABLE,
    IM_SELECT_T,
    IM_MEMARG,
    IM_ZERO,
    IM_S32,
    IM_S64,
    IM_F32,
    IM_F64,
    IM_REFTYPE,
    IM_FC,
    IM_FD,
    IM_END,
    IM_TRY_TABLE,
    IM_DELEGATE /* ends a block (legacy try) */
};
static int imm_kind(uint8_t op);

static void declare_func(wr_module *mod, uint32_t fi)
{
    if (fi < mod->nfuncs) mod->func_declared[fi] = true;
}

/* A constant expression of type `want` (spec 3.3.10): one constant
 * instruction and `end`. global.get may only name an imported immutable
 * global (spec 2.0: constant expressions see only imported globals). */
static wr_status rd_constexpr(rd *r, wr_valtype want, wr_constexpr *ce)
{
    wr_module *mod = r->mod;
    uint32_t nvals = 0;
    memset(ce, 0, sizeof *ce);
    for (;;) {
        uint8_t op;
        TRY(rd_u8(r, &op));
        if (op == WASM_OP_end) break;
        uint64_t v;
        switch (op) {
        case WASM_OP_i32_const:
            TRY(rd_leb(r, &v, 32, true));
            ce->kind = WR_CONST_VALUE;
            ce->type = WR_I32;
            ce->bits = (uint32_t)v;
            break;
        case WASM_OP_i64_const:
            TRY(rd_leb(r, &v, 64, true));
            ce->kind = WR_CONST_VALUE;
            ce->type = WR_I64;
            ce->bits = v;
            break;
        case WASM_OP_f32_const:
            if (r->end - r->p < 4) MALFORMED("unexpected end of section");
            {
                uint32_t b32;
                memcpy(&b32, r->p, 4);
                ce->bits = b32;
            }
            r->p += 4;
            ce->kind = WR_CONST_VALUE;
            ce->type = WR_F32;
            break;
        case WASM_OP_f64_const:
            if (r->end - r->p < 8) MALFORMED("unexpected end of section");
            memcpy(&ce->bits, r->p, 8);
            r->p += 8;
            ce->kind = WR_CONST_VALUE;
            ce->type = WR_F64;
            break;
#ifdef WR_FEATURE_SIMD
        case WASM_OP_PREFIX_FD: {
            uint32_t sub;
            TRY(rd_u32(r, &sub));
            if (sub != WASM_OP_FD_v128_const) INVALID("constant expression required");
            if (r->end - r->p < 16) MALFORMED("unexpected end of section");
            memcpy(&ce->bits, r->p, 8);
            memcpy(&ce->hi, r->p + 8, 8);
            r->p += 16;
            ce->kind = WR_CONST_VALUE;
            ce->type = WR_V128;
            break;
        }
#endif
        case WASM_OP_ref_null: {
            wr_valtype t;
#if WR_FEATURE_FUNCREFS
            TRY(rd_heaptype(r, &t)); /* a typed null is held as its kind */
            t = WR_VT_KIND(t);
#else
            TRY(rd_reftype(r, &t));
#endif
            ce->kind = WR_CONST_REF_NULL;
            ce->type = t;
            ce->bits = 0;
            break;
        }
        case WASM_OP_ref_func: {
            uint32_t fi;
            TRY(rd_u32(r, &fi));
            if (fi >= mod->nfuncs) INVALID("unknown function %" PRIu32, fi);
            declare_func(mod, fi);
            ce->kind = WR_CONST_REF_FUNC;
            ce->type = WR_FUNCREF;
            ce->index = fi;
            break;
        }
        case WASM_OP_global_get: {
            uint32_t gi;
            TRY(rd_u32(r, &gi));
            if (gi >= mod->nglobal_imports) INVALID("unknown global %" PRIu32, gi);
            if (mod->globals[gi].type.mut) INVALID("constant expression required");
            ce->kind = WR_CONST_GLOBAL_GET;
            ce->type = mod->globals[gi].type.type;
            ce->index = gi;
            break;
        }
        default:
            r->p--;
            if (imm_kind(op) == IM_BAD) MALFORMED("illegal opcode 0x%02x", op);
            INVALID("constant expression required");
        }
        nvals++;
    }
    if (nvals != 1 || ce->type != want) INVALID("type mismatch in constant expression");
    return WR_OK;
}

/* ------------------------------------------------- body syntax check */

/* The immediates' shape of opcode `op` (wdb/wasm_ops.h), for the syntax
 * check; IM_BAD for opcodes the runtime does not have. */
static int imm_kind(uint8_t op)
{
    static const uint8_t kind[] = {
        [WF_IMM_NONE] = IM_NONE,       [WF_IMM_BLOCK] = IM_BLOCK,
        [WF_IMM_LABEL] = IM_U32,       [WF_IMM_BR_TABLE] = IM_BRTABLE,
        [WF_IMM_FUNC] = IM_U32,        [WF_IMM_CALL_IND] = IM_2U32,
        [WF_IMM_INDEX] = IM_U32,       [WF_IMM_MEMARG] = IM_MEMARG,
        [WF_IMM_MEMIDX] = IM_ZERO,     [WF_IMM_I32] = IM_S32,
        [WF_IMM_I64] = IM_S64,         [WF_IMM_F32] = IM_F32,
        [WF_IMM_F64] = IM_F64,         [WF_IMM_SELECT_T] = IM_SELECT_T,
        [WF_IMM_REFTYPE] = IM_REFTYPE, [WF_IMM_TRY_TABLE] = IM_TRY_TABLE,
    };
    if (op == WASM_OP_end) return IM_END;
    if (WR_FEATURE_EH && op == WASM_OP_delegate) return IM_DELEGATE;
    if (op == WASM_OP_PREFIX_FC) return IM_FC;
    if (op == WASM_OP_PREFIX_FD) return IM_FD;
    switch (op) {
#define IMM_CASE(code, id, name, imm, align, flags, traps)                                         \
    case code: return kind[WF_IMM_##imm];
        WASM_OPS(IMM_CASE)
#undef IMM_CASE
    default: return IM_BAD;
    }
}

/* The immediates' shape of 0xfc `sub`, -1 for none Wasm 2.0 has. */
static int imm_kind_fc(uint32_t sub)
{
    switch (sub) {
#define IMM_CASE(code, id, name, imm, align, flags, traps)                                         \
    case code: return WF_IMM_##imm;
        WASM_OPS_FC(IMM_CASE)
#undef IMM_CASE
    default: return -1;
    }
}

#ifdef WR_FEATURE_SIMD
/* The immediates' shape of 0xfd `sub`, -1 for none Wasm 2.0 has. */
static int imm_kind_fd(uint32_t sub)
{
    switch (sub) {
#define IMM_CASE(code, id, name, imm, align, flags, traps, sig)                                    \
    case code: return WF_IMM_##imm;
        WASM_OPS_FD(IMM_CASE)
#undef IMM_CASE
    default: return -1;
    }
}
#endif

/* Skips a block type: 0x40, a one-byte value type or a type index, each
 * an s33; a typed reference (0x63/0x64) has its heap type after it. */
static wr_status skip_blocktype(rd *r)
{
    uint64_t v;
    if (r->p >= r->end) MALFORMED("unexpected end of function body");
    if (WR_FEATURE_FUNCREFS && (*r->p == 0x63 || *r->p == 0x64)) r->p++;
    return rd_leb(r, &v, 33, true);
}

/* Decodes a function body's instructions without validating them: the
 * binary format's own errors (unknown opcodes, bad LEB128, missing `end`,
 * bytes after the last `end`). Used when compiling reported a validation
 * error, so that a body that is also malformed is reported as malformed,
 * as decoding comes before validation in the spec. Without WR_FEATURE_SIMD
 * it stops without a verdict at the SIMD prefix (the compiler reports it). */
static wr_status check_body_syntax(rd *r)
{
    uint32_t depth = 1;
    uint64_t v;
    uint32_t n;
    uint8_t b;
    while (depth > 0) {
        uint8_t op;
        TRY(rd_u8(r, &op));
        switch (imm_kind(op)) {
        case IM_NONE: break;
        case IM_END: depth--; break;
#if !WR_FEATURE_EH
        case IM_TRY_TABLE: return WR_OK; /* no verdict: the build has no EH */
#else
        case IM_DELEGATE:
            TRY(rd_u32(r, &n));
            depth--;
            break;
        case IM_TRY_TABLE:
            TRY(skip_blocktype(r));
            TRY(rd_count(r, &n, 2));
            for (uint32_t i = 0; i < n; i++) {
                TRY(rd_u8(r, &b));
                if (b > 3) MALFORMED("malformed catch clause kind %u", b);
                uint32_t idx;
                if (b < 2) TRY(rd_u32(r, &idx)); /* the tag */
                TRY(rd_u32(r, &idx));            /* the label */
            }
            depth++;
            break;
#endif
        case IM_BLOCK:
            TRY(skip_blocktype(r));
            depth++;
            break;
        case IM_U32: TRY(rd_u32(r, &n)); break;
        case IM_2U32:
            TRY(rd_u32(r, &n));
            TRY(rd_u32(r, &n));
            break;
        case IM_BRTABLE:
            TRY(rd_count(r, &n, 1));
            for (uint32_t i = 0; i <= n; i++) {
                uint32_t lbl;
                TRY(rd_u32(r, &lbl));
            }
            break;
        case IM_SELECT_T:
            TRY(rd_count(r, &n, 1));
            for (uint32_t i = 0; i < n; i++)
                TRY(rd_u8(r, &b));
            break;
        case IM_MEMARG:
            TRY(rd_u32(r, &n));
            TRY(rd_u32(r, &n));
            break;
        case IM_ZERO:
            TRY(rd_u8(r, &b));
            if (b) MALFORMED("zero byte expected");
            break;
        case IM_S32: TRY(rd_leb(r, &v, 32, true)); break;
        case IM_S64: TRY(rd_leb(r, &v, 64, true)); break;
        case IM_F32:
            if (r->end - r->p < 4) MALFORMED("unexpected end of function body");
            r->p += 4;
            break;
        case IM_F64:
            if (r->end - r->p < 8) MALFORMED("unexpected end of function body");
            r->p += 8;
            break;
        case IM_REFTYPE: {
            wr_valtype t;
#if WR_FEATURE_FUNCREFS
            TRY(rd_heaptype(r, &t)); /* ref.null's heap type */
#else
            TRY(rd_reftype(r, &t));
#endif
            break;
        }
        case IM_FC: {
            uint32_t sub;
            TRY(rd_u32(r, &sub));
            switch (imm_kind_fc(sub)) {
            case WF_IMM_NONE: break;
            case WF_IMM_INDEX: TRY(rd_u32(r, &n)); break;
            case WF_IMM_MEM_INIT:
                TRY(rd_u32(r, &n));
                TRY(rd_u8(r, &b));
                if (b) MALFORMED("zero byte expected");
                break;
            case WF_IMM_MEM_COPY:
                TRY(rd_u8(r, &b));
                if (b) MALFORMED("zero byte expected");
                TRY(rd_u8(r, &b));
                if (b) MALFORMED("zero byte expected");
                break;
            case WF_IMM_MEMIDX:
                TRY(rd_u8(r, &b));
                if (b) MALFORMED("zero byte expected");
                break;
            case WF_IMM_TABLE_INIT:
            case WF_IMM_TABLE_COPY:
                TRY(rd_u32(r, &n));
                TRY(rd_u32(r, &n));
                break;
            default: MALFORMED("illegal opcode 0xfc %" PRIu32, sub);
            }
            break;
        }
#ifdef WR_FEATURE_SIMD
        case IM_FD: {
            uint32_t sub;
            TRY(rd_u32(r, &sub));
            int k = imm_kind_fd(sub);
            if (k == WF_IMM_MEMARG || k == WF_IMM_MEMARG_LANE) {
                TRY(rd_u32(r, &n));
                TRY(rd_u32(r, &n));
            }
            if (k == WF_IMM_LANE || k == WF_IMM_MEMARG_LANE) TRY(rd_u8(r, &b));
            if (k == WF_IMM_V128 || k == WF_IMM_SHUFFLE) {
                if (r->end - r->p < 16) MALFORMED("unexpected end of function body");
                r->p += 16;
            }
            if (k < 0) MALFORMED("illegal opcode 0xfd %" PRIu32, sub);
            break;
        }
#else
        case IM_FD: return WR_OK; /* SIMD: the compiler reports it */
#endif
        default: r->p--; MALFORMED("illegal opcode 0x%02x", op);
        }
    }
    if (r->p != r->end) MALFORMED("section size mismatch: bytes after the function's end");
    return WR_OK;
}

/* ------------------------------------------------------------ sections */

#if WR_FEATURE_FUNCREFS
/* ------------------------------------------- rec groups, canonical types */

/* Type equality of Wasm 3.0 is iso-recursive: two types are equal when
 * their rec groups are (the same function types, references within the
 * group by relative index, references out of it to equal types) and they
 * are at the same place in them. Each rec group that is not a plain type
 * gets a key of words (below); equal keys are equal groups, so the store
 * keeps each key once (wr_canon_group) and gives its types consecutive
 * canonical ids: type equality is then id equality (wr_type.canon), and
 * subtyping walks csuper. */
struct wr_canon_group {
    uint32_t *key, nkey, first, hash;
};

typedef struct key {
    uint32_t *w, n, cap;
    bool oom;
} key;

static void kput(key *k, uint32_t w)
{
    if (k->oom) return;
    if (k->n == k->cap) {
        uint32_t nc = k->cap * 2 + 16;
        uint32_t *nw = realloc(k->w, nc * sizeof *nw);
        if (!nw) {
            k->oom = true;
            return;
        }
        k->w = nw;
        k->cap = nc;
    }
    k->w[k->n++] = w;
}

static uint32_t key_hash(const uint32_t *k, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < n; i++)
        h = (h ^ k[i]) * 16777619u;
    return h;
}

/* Gives the types [g0, g0+n) of mod their canonical ids in its store. */
/* Interns key kk (of a group of n types; the key is kept or freed) in
 * the store: *first its first canonical id (0-based), *added when the
 * group is new (the caller sets csuper[*first..*first+n)). */
static wr_status canon_intern(rd *r, key *kk, uint32_t n, uint32_t *first, bool *added)
{
    wr_store *st = r->mod->store;
    if (kk->oom) {
        free(kk->w);
        NOMEM();
    }
    uint32_t *k = kk->w, nk = kk->n;
    uint32_t h = key_hash(k, nk), at = 0;
    *added = false;
    if (st->ghcap)
        for (at = h & (st->ghcap - 1); st->ghash[at]; at = (at + 1) & (st->ghcap - 1)) {
            const struct wr_canon_group *g = &st->groups[st->ghash[at] - 1];
            if (g->hash == h && g->nkey == nk && !memcmp(g->key, k, nk * sizeof *k)) {
                free(k);
                *first = g->first;
                return WR_OK;
            }
        }
    /* a new group: room for it, its ids, a hash table at most half full */
    bool room = true;
    if (st->ngroups + 1 > st->gcap) {
        uint32_t nc = st->gcap * 2 + 8;
        struct wr_canon_group *ng = realloc(st->groups, nc * sizeof *ng);
        if (ng) {
            st->groups = ng;
            st->gcap = nc;
        } else
            room = false;
    }
    if (room && st->ncanon + n > st->csupcap) {
        uint32_t nc = (st->ncanon + n) * 2 + 8;
        uint32_t *ns = realloc(st->csuper, nc * sizeof *ns);
        if (ns) {
            st->csuper = ns;
            st->csupcap = nc;
        } else
            room = false;
    }
    if (room && (st->ngroups + 1) * 2 > st->ghcap) {
        uint32_t nc = st->ghcap ? st->ghcap * 2 : 64;
        uint32_t *nh = calloc(nc, sizeof *nh);
        if (nh) {
            for (uint32_t i = 0; i < st->ngroups; i++) {
                uint32_t a = st->groups[i].hash & (nc - 1);
                while (nh[a])
                    a = (a + 1) & (nc - 1);
                nh[a] = i + 1;
            }
            free(st->ghash);
            st->ghash = nh;
            st->ghcap = nc;
        } else
            room = false;
    }
    if (!room) {
        free(k);
        NOMEM();
    }
    for (at = h & (st->ghcap - 1); st->ghash[at]; at = (at + 1) & (st->ghcap - 1)) {
    }
    st->ghash[at] = st->ngroups + 1;
    st->groups[st->ngroups++] = (struct wr_canon_group){k, nk, st->ncanon, h};
    *first = st->ncanon;
    *added = true;
    st->ncanon += n;
    return WR_OK;
}

/* A plain type's id among the canonical ones (wr_type.plain_id): what a
 * group of it alone would get. Its canon stays 0: plain types are compared
 * structurally. Made when a canonical group first refers to it, so keys
 * stay as long as the types they describe. */
static wr_status plain_id(rd *r, wr_type *t)
{
    if (t->plain_id) return WR_OK;
    key kk = {0};
    kput(&kk, 1); /* one type, */
    kput(&kk, 0); /* no supertype, */
    kput(&kk, 1); /* final */
    kput(&kk, t->nparams);
    kput(&kk, t->nresults);
    for (uint32_t j = 0; j < t->nparams + t->nresults; j++) {
        kput(&kk, (uint32_t)(j < t->nparams ? t->params[j] : t->results[j - t->nparams]));
        kput(&kk, 0);
    }
    uint32_t first;
    bool added;
    TRY(canon_intern(r, &kk, 1, &first, &added));
    if (added) r->mod->store->csuper[first] = 0;
    t->plain_id = first + 1;
    return WR_OK;
}

/* Appends a reference of group [g0, g0+n) to the key (a supertype or a
 * heap type: index + 1, 0 for none): 0 none; 1, rel: in the group; 2, id:
 * an earlier type's canonical id (a plain type's plain_id). */
static wr_status key_ref(rd *r, key *k, uint32_t idx1, uint32_t g0, uint32_t n)
{
    if (!idx1) {
        kput(k, 0);
        return WR_OK;
    }
    uint32_t i = idx1 - 1;
    wr_type *t = &r->mod->types[i];
    if (i >= g0 && i - g0 < n) {
        kput(k, 1);
        kput(k, i - g0);
        return WR_OK;
    }
    if (!t->canon) TRY(plain_id(r, t));
    kput(k, 2);
    kput(k, t->canon ? t->canon : t->plain_id);
    return WR_OK;
}

/* Gives the types [g0, g0+n) of mod their canonical ids in its store. */
static wr_status canon_group(rd *r, uint32_t g0, uint32_t n)
{
    wr_module *mod = r->mod;
    key kk = {0};
    wr_status st = WR_OK;
    kput(&kk, n);
    for (uint32_t i = 0; i < n && st == WR_OK; i++) {
        const wr_type *t = &mod->types[g0 + i];
        st = key_ref(r, &kk, t->super, g0, n);
        kput(&kk, t->final);
        kput(&kk, t->nparams);
        kput(&kk, t->nresults);
        for (uint32_t j = 0; j < t->nparams + t->nresults && st == WR_OK; j++) {
            wr_valtype v = j < t->nparams ? WR_TPARAMS(t)[j] : WR_TRESULTS(t)[j - t->nparams];
            kput(&kk, (uint32_t)v & 0x1ffu);
            st = key_ref(r, &kk, WR_VT_IDX(v), g0, n);
        }
    }
    if (st != WR_OK) {
        free(kk.w);
        return st;
    }
    uint32_t first;
    bool added;
    TRY(canon_intern(r, &kk, n, &first, &added));
    for (uint32_t i = 0; i < n; i++) {
        wr_type *t = &mod->types[g0 + i];
        t->canon = first + i + 1;
        if (added) mod->store->csuper[first + i] = t->super ? mod->types[t->super - 1].canon : 0;
    }
    return WR_OK;
}

void wr_canon_free(wr_store *s)
{
    for (uint32_t i = 0; i < s->ngroups; i++)
        free(s->groups[i].key);
    free(s->groups);
    free(s->ghash);
    free(s->csuper);
}

bool wr_type_match(const wr_store *s, const wr_type *a, const wr_type *b)
{
    if (a == b) return true;
    if (!a->canon && !b->canon)
        return a->nparams == b->nparams && a->nresults == b->nresults &&
               !memcmp(a->params, b->params, a->nparams * sizeof(wr_valtype)) &&
               !memcmp(a->results, b->results, a->nresults * sizeof(wr_valtype));
    if (!b->canon) return false;
    for (uint32_t id = a->canon; id; id = s->csuper[id - 1]) /* supertypes: smaller ids */
        if (id == b->canon) return true;
    return false;
}

bool wr_vt_sub(const wr_module *mod, wr_valtype a, wr_valtype b)
{
    if (a == b) return true;
    if (WR_VT_KIND(a) != WR_VT_KIND(b)) return false;
    if (!(a & WR_VT_NONNULL) && (b & WR_VT_NONNULL)) return false;
    if (!WR_VT_IDX(b)) return true; /* (ref null? func) above every function type */
    if (!WR_VT_IDX(a)) return false;
    return wr_type_match(mod->store, &mod->types[WR_VT_IDX(a) - 1], &mod->types[WR_VT_IDX(b) - 1]);
}

/* A declared supertype: not final, and the function type matches it
 * (params contravariant, results covariant). */
static wr_status check_super(rd *r, const wr_type *t)
{
    const wr_module *mod = r->mod;
    const wr_type *u = &mod->types[t->super - 1];
    if (u->final) INVALID("sub type: the supertype is final");
    bool ok = t->nparams == u->nparams && t->nresults == u->nresults;
    for (uint32_t i = 0; ok && i < t->nparams; i++)
        ok = wr_vt_sub(mod, WR_TPARAMS(u)[i], WR_TPARAMS(t)[i]);
    for (uint32_t i = 0; ok && i < t->nresults; i++)
        ok = wr_vt_sub(mod, WR_TRESULTS(t)[i], WR_TRESULTS(u)[i]);
    if (!ok) INVALID("sub type: type does not match its supertype");
    return WR_OK;
}

/* After a function type is read: its full types when one is a typed
 * reference, its params/results then hold the kinds. */
static wr_status split_full(rd *r, wr_type *t)
{
    uint32_t np = t->nparams, nr = t->nresults;
    bool typed = false;
    for (uint32_t k = 0; k < np + nr; k++)
        typed |= (uint32_t)(k < np ? t->params[k] : t->results[k - np]) > 0xffu;
    if (!typed) return WR_OK;
    t->full = malloc((np + nr) * sizeof(wr_valtype));
    if (!t->full) NOMEM();
    for (uint32_t k = 0; k < np + nr; k++) {
        wr_valtype *v = k < np ? &t->params[k] : &t->results[k - np];
        t->full[k] = *v;
        *v = WR_VT_KIND(*v);
    }
    return WR_OK;
}
#endif

/* The type section: function types, in Wasm 3.0 in rec groups (0x4e n
 * types) and as sub types (0x50 non-final, 0x4f final, with at most one
 * supertype). Struct and array types (the GC proposal) are refused. */
static wr_status sec_type(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
#if WR_FEATURE_FUNCREFS
    TRY(rd_count(r, &n, 2)); /* groups: an empty rec group is 2 bytes */
    uint32_t cap = n;
#else
    TRY(rd_count(r, &n, 3));
#endif
    mod->types = calloc(n ? n : 1, sizeof(wr_type));
    if (!mod->types) NOMEM();
    for (uint32_t g = 0; g < n; g++) {
#if WR_FEATURE_FUNCREFS
        uint32_t g0 = mod->ntypes, len = 1;
        bool special = false; /* not a plain type: canonicalized (wr_type.canon) */
        if (r->p < r->end && *r->p == 0x4e) {
            r->p++;
            TRY(rd_count(r, &len, 3));
            special = len > 1;
            /* room for it and a type for each group after it */
            if ((uint64_t)g0 + len + (n - g - 1) > cap) {
                uint64_t nc = (uint64_t)g0 + len + (n - g - 1);
                wr_type *nt = nc <= UINT32_MAX / sizeof(wr_type)
                                  ? realloc(mod->types, (size_t)nc * sizeof(wr_type))
                                  : NULL;
                if (!nt) NOMEM();
                memset(nt + cap, 0, (size_t)(nc - cap) * sizeof(wr_type));
                mod->types = nt;
                cap = (uint32_t)nc;
            }
        }
        r->type_limit = g0 + len;
        for (uint32_t k = 0; k < len; k++) {
            wr_type *t = &mod->types[g0 + k];
            uint8_t form;
            TRY(rd_u8(r, &form));
            t->final = true;
            if (form == 0x50 || form == 0x4f) {
                uint32_t ns;
                t->final = form == 0x4f;
                TRY(rd_count(r, &ns, 1));
                /* (sub final (func ...)) is (func ...) */
                special |= !t->final || ns;
                if (ns > 1) INVALID("sub type: multiple supertypes");
                if (ns) {
                    uint32_t si;
                    TRY(rd_u32(r, &si));
                    if (si >= g0 + k) INVALID("unknown type %" PRIu32 ": supertype", si);
                    t->super = si + 1;
                    /* bounds the subtype walks (wr_type_match), as engines do */
                    t->depth = mod->types[si].depth + 1;
                    if (t->depth > WR_MAX_SUBTYPE_DEPTH)
                        return rfail(r, WR_ERR_LIMIT, "sub type: more than %d supertypes above it",
                                     WR_MAX_SUBTYPE_DEPTH);
                }
                TRY(rd_u8(r, &form));
            }
            if (form == 0x5f || form == 0x5e) {
                r->p--;
                INVALID("GC struct/array types are not supported");
            }
#else
        {
            wr_type *t = &mod->types[g];
            uint8_t form;
            TRY(rd_u8(r, &form));
            /* (rec 0x4e, sub 0x50 0x4f: WR_FEATURE_FUNCREFS) */
#endif
            if (form != 0x60) {
                r->p--;
                MALFORMED(
                    "integer representation too long: function type expected (0x60), got 0x%02x",
                    form);
            }
#if WR_FEATURE_FUNCREFS
            mod->ntypes = g0 + k + 1; /* so a failure frees what this type holds */
#else
            mod->ntypes = g + 1;
#endif
            uint32_t np, nr;
            TRY(rd_count(r, &np, 1));
            t->params = malloc((np ? np : 1) * sizeof(wr_valtype));
            if (!t->params) NOMEM();
            for (uint32_t j = 0; j < np; j++)
                TRY(rd_valtype(r, &t->params[j]));
            t->nparams = np;
            TRY(rd_count(r, &nr, 1));
            t->results = malloc((nr ? nr : 1) * sizeof(wr_valtype));
            if (!t->results) NOMEM();
            for (uint32_t j = 0; j < nr; j++)
                TRY(rd_valtype(r, &t->results[j]));
            t->nresults = nr;
            t->pub.nparams = np;
            t->pub.nresults = nr;
#if WR_FEATURE_FUNCREFS
            TRY(split_full(r, t));
            special |= t->full != NULL;
#endif
            t->pub.params = t->params;
            t->pub.results = t->results;
        }
#if WR_FEATURE_FUNCREFS
        if (special) {
            TRY(canon_group(r, g0, len));
            for (uint32_t k = 0; k < len; k++)
                if (mod->types[g0 + k].super) TRY(check_super(r, &mod->types[g0 + k]));
        }
#endif
    }
#if WR_FEATURE_FUNCREFS
    r->type_limit = mod->ntypes;
#endif
    return WR_OK;
}

/* A tag's type (spec 3.0 5.5.10): attribute 0 (exception), a function
 * type without results. */
#if WR_FEATURE_EH
static wr_status rd_tagtype(rd *r, uint32_t *type_index)
{
    uint8_t attr;
    TRY(rd_u8(r, &attr));
    if (attr != 0) MALFORMED("malformed tag attribute %u", attr);
    TRY(rd_u32(r, type_index));
    if (*type_index >= r->mod->ntypes) INVALID("unknown type %" PRIu32, *type_index);
    if (r->mod->types[*type_index].nresults) INVALID("non-empty tag result type");
    return WR_OK;
}
#endif

static wr_status sec_import(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 4));
    mod->imports = calloc(n ? n : 1, sizeof(wr_import));
    if (!mod->imports) NOMEM();
    /* first pass: decode; the index spaces are built after the counts are known */
    for (uint32_t i = 0; i < n; i++) {
        wr_import *im = &mod->imports[i];
        mod->nimports = i + 1;
        TRY(rd_name(r, &im->module));
        TRY(rd_name(r, &im->name));
        uint8_t kind;
        TRY(rd_u8(r, &kind));
        switch (kind) {
        case 0:
            im->kind = WR_EXTERN_FUNC;
            TRY(rd_u32(r, &im->type_index));
            if (im->type_index >= mod->ntypes) INVALID("unknown type %" PRIu32, im->type_index);
            mod->nfunc_imports++;
            break;
        case 1:
            im->kind = WR_EXTERN_TABLE;
            TRY(rd_tabletype(r, &im->table));
            mod->ntable_imports++;
            break;
        case 2:
            im->kind = WR_EXTERN_MEMORY;
            TRY(rd_limits(r, &im->memory, WR_MAX_PAGES, "memory"));
            mod->nmem_imports++;
            break;
        case 3:
            im->kind = WR_EXTERN_GLOBAL;
            TRY(rd_globaltype(r, &im->global));
            mod->nglobal_imports++;
            break;
        case 4:
#if WR_FEATURE_EH
            im->kind = WR_EXTERN_TAG;
            TRY(rd_tagtype(r, &im->type_index));
            mod->ntag_imports++;
            break;
#else
            INVALID(WR_NO_EH);
#endif
        default: r->p--; MALFORMED("malformed import kind %u", kind);
        }
    }
    return WR_OK;
}

/* Lays out the imported part of each index space; the defined part is
 * filled by the function, table, memory and global sections. */
static wr_status index_spaces(rd *r, uint32_t nfuncs, uint32_t ntables, uint32_t nmems,
                              uint32_t nglobals)
{
    wr_module *mod = r->mod;
    uint64_t tf = (uint64_t)mod->nfunc_imports + nfuncs;
    uint64_t tt = (uint64_t)mod->ntable_imports + ntables;
    uint64_t tm = (uint64_t)mod->nmem_imports + nmems;
    uint64_t tg = (uint64_t)mod->nglobal_imports + nglobals;
    if (tf > UINT32_MAX || tt > UINT32_MAX || tm > UINT32_MAX || tg > UINT32_MAX)
        MALFORMED("too many definitions");
    return WR_OK;
}

static wr_status sec_func(rd *r, uint32_t *ndefined)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 1));
    TRY(index_spaces(r, n, 0, 0, 0));
    uint32_t total = mod->nfunc_imports + n;
    wr_func_decl *f = realloc(mod->funcs, (total ? total : 1) * sizeof *f);
    if (!f) NOMEM();
    mod->funcs = f;
    bool *decl = realloc(mod->func_declared, total ? total : 1);
    if (!decl) NOMEM();
    mod->func_declared = decl;
    memset(decl, 0, total ? total : 1);
    memset(f + mod->nfunc_imports, 0, (size_t)n * sizeof *f);
    for (uint32_t i = 0; i < n; i++) {
        wr_func_decl *d = &f[mod->nfunc_imports + i];
        TRY(rd_u32(r, &d->type_index));
        if (d->type_index >= mod->ntypes) INVALID("unknown type %" PRIu32, d->type_index);
        mod->nfuncs = mod->nfunc_imports + i + 1;
    }
    *ndefined = n;
    return WR_OK;
}

static wr_status sec_table(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 3));
    TRY(index_spaces(r, 0, n, 0, 0));
    uint32_t total = mod->ntable_imports + n;
    wr_table_type *t = realloc(mod->tables, (total ? total : 1) * sizeof *t);
    if (!t) NOMEM();
    mod->tables = t;
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_tabletype(r, &t[mod->ntable_imports + i]));
        mod->ntables = mod->ntable_imports + i + 1;
    }
    return WR_OK;
}

static wr_status sec_memory(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 2));
    TRY(index_spaces(r, 0, 0, n, 0));
    uint32_t total = mod->nmem_imports + n;
    if (total > 1) INVALID("multiple memories");
    wr_limits *m = realloc(mod->mems, (total ? total : 1) * sizeof *m);
    if (!m) NOMEM();
    mod->mems = m;
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_limits(r, &m[mod->nmem_imports + i], WR_MAX_PAGES, "memory"));
        mod->nmems = mod->nmem_imports + i + 1;
    }
    return WR_OK;
}

static wr_status sec_global(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 3));
    TRY(index_spaces(r, 0, 0, 0, n));
    uint32_t total = mod->nglobal_imports + n;
    wr_global_decl *g = realloc(mod->globals, (total ? total : 1) * sizeof *g);
    if (!g) NOMEM();
    mod->globals = g;
    for (uint32_t i = 0; i < n; i++) {
        wr_global_decl *d = &g[mod->nglobal_imports + i];
        memset(d, 0, sizeof *d);
        TRY(rd_globaltype(r, &d->type));
        TRY(rd_constexpr(r, d->type.type, &d->init));
        mod->nglobals = mod->nglobal_imports + i + 1;
    }
    return WR_OK;
}

#if WR_FEATURE_EH
static wr_status sec_tag(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 2));
    uint64_t total = (uint64_t)mod->ntag_imports + n;
    if (total > UINT32_MAX) MALFORMED("too many definitions");
    uint32_t *t = realloc(mod->tags, (total ? (size_t)total : 1) * sizeof *t);
    if (!t) NOMEM();
    mod->tags = t;
    for (uint32_t i = 0; i < n; i++) {
        TRY(rd_tagtype(r, &t[mod->ntag_imports + i]));
        mod->ntags = mod->ntag_imports + i + 1;
    }
    return WR_OK;
}
#endif

static wr_status sec_export(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 3));
    mod->exports = calloc(n ? n : 1, sizeof(wr_export));
    if (!mod->exports) NOMEM();
    for (uint32_t i = 0; i < n; i++) {
        wr_export *e = &mod->exports[i];
        mod->nexports = i + 1;
        TRY(rd_name_len(r, &e->name, &e->name_len));
        uint8_t kind;
        TRY(rd_u8(r, &kind));
        TRY(rd_u32(r, &e->index));
        uint32_t limit;
        switch (kind) {
        case 0:
            e->kind = WR_EXTERN_FUNC;
            limit = mod->nfuncs;
            break;
        case 1:
            e->kind = WR_EXTERN_TABLE;
            limit = mod->ntables;
            break;
        case 2:
            e->kind = WR_EXTERN_MEMORY;
            limit = mod->nmems;
            break;
        case 3:
            e->kind = WR_EXTERN_GLOBAL;
            limit = mod->nglobals;
            break;
#if WR_FEATURE_EH
        case 4:
            e->kind = WR_EXTERN_TAG;
            limit = mod->ntags;
            break;
#endif
        default: MALFORMED("malformed export kind %u", kind);
        }
        if (e->index >= limit)
            INVALID("unknown %s %" PRIu32,
                    kind == 0   ? "function"
                    : kind == 1 ? "table"
                    : kind == 2 ? "memory"
                    : kind == 3 ? "global"
                                : "tag",
                    e->index);
        if (e->kind == WR_EXTERN_FUNC) declare_func(mod, e->index);
        for (uint32_t k = 0; k < i; k++)
            if (mod->exports[k].name_len == e->name_len &&
                !memcmp(mod->exports[k].name, e->name, e->name_len))
                INVALID("duplicate export name \"%s\"", e->name);
    }
    return WR_OK;
}

static wr_status sec_start(rd *r)
{
    wr_module *mod = r->mod;
    TRY(rd_u32(r, &mod->start));
    if (mod->start >= mod->nfuncs) INVALID("unknown function %" PRIu32, mod->start);
    const wr_type *t = &mod->types[mod->funcs[mod->start].type_index];
    if (t->nparams || t->nresults) INVALID("start function must have type [] -> []");
    mod->has_start = true;
    return WR_OK;
}

/* Element segments (spec 5.5.12): the flags' bit 0 = passive/declarative,
 * bit 1 = explicit table index (active) or declarative (otherwise),
 * bit 2 = items are expressions rather than function indices. */
static wr_status sec_elem(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 2));
    mod->elems = calloc(n ? n : 1, sizeof(wr_elem_seg));
    if (!mod->elems) NOMEM();
    for (uint32_t i = 0; i < n; i++) {
        wr_elem_seg *s = &mod->elems[i];
        mod->nelems = i + 1;
        uint32_t flags;
        TRY(rd_u32(r, &flags));
        if (flags > 7) MALFORMED("malformed elements segment kind %" PRIu32, flags);
        bool passive_or_decl = flags & 1, explicit_or_decl = flags & 2, exprs = flags & 4;
        s->mode = !passive_or_decl   ? WR_SEG_ACTIVE
                  : explicit_or_decl ? WR_SEG_DECLARATIVE
                                     : WR_SEG_PASSIVE;
        s->type = WR_FUNCREF;
        s->table = 0;
        if (s->mode == WR_SEG_ACTIVE) {
            if (explicit_or_decl) TRY(rd_u32(r, &s->table));
            if (s->table >= mod->ntables) INVALID("unknown table %" PRIu32, s->table);
            TRY(rd_constexpr(r, WR_I32, &s->offset));
        }
        /* flags 0 and 4 imply funcref; the others say it */
        if (flags != 0 && flags != 4) {
            if (exprs) {
                TRY(rd_reftype(r, &s->type));
            } else {
                uint8_t kind;
                TRY(rd_u8(r, &kind));
                if (kind != 0x00) MALFORMED("malformed element kind 0x%02x", kind);
            }
        }
        if (s->mode == WR_SEG_ACTIVE && mod->tables[s->table].elem != s->type)
            INVALID("type mismatch: element segment of %s for a table of %s",
                    s->type == WR_FUNCREF ? "funcref" : "externref",
                    mod->tables[s->table].elem == WR_FUNCREF ? "funcref" : "externref");
        uint32_t count;
        TRY(rd_count(r, &count, 1));
        s->items = calloc(count ? count : 1, sizeof(wr_constexpr));
        if (!s->items) NOMEM();
        for (uint32_t k = 0; k < count; k++) {
            if (exprs) {
                TRY(rd_constexpr(r, s->type, &s->items[k]));
            } else {
                uint32_t fi;
                TRY(rd_u32(r, &fi));
                if (fi >= mod->nfuncs) INVALID("unknown function %" PRIu32, fi);
                declare_func(mod, fi);
                s->items[k].kind = WR_CONST_REF_FUNC;
                s->items[k].type = WR_FUNCREF;
                s->items[k].index = fi;
            }
            s->count = k + 1;
        }
    }
    return WR_OK;
}

/* Code section entries: locals are decoded here, bodies validated later. */
static wr_status sec_code(rd *r, uint32_t ndefined)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 2));
    if (n != ndefined) MALFORMED("function and code section have inconsistent lengths");
    for (uint32_t i = 0; i < n; i++) {
        wr_func_decl *d = &mod->funcs[mod->nfunc_imports + i];
        d->body_start = (uint32_t)(r->p - mod->bytes);
        uint32_t size;
        TRY(rd_u32(r, &size));
        if (size > (size_t)(r->end - r->p)) MALFORMED("unexpected end of section (function body)");
        const uint8_t *body_end = r->p + size;
        const uint8_t *sec_end = r->end;
        r->end = body_end; /* the locals must fit in the body */
        uint32_t ngroups;
        TRY(rd_count(r, &ngroups, 2));
        uint64_t total = mod->types[d->type_index].nparams;
        for (uint32_t g = 0; g < ngroups; g++) {
            uint32_t cnt;
            wr_valtype t;
            TRY(rd_u32(r, &cnt));
            TRY(rd_valtype(r, &t));
#if WR_FEATURE_FUNCREFS
            /* (their validation needs the initialization rule) */
            if (cnt && ((uint32_t)t & WR_VT_NONNULL))
                INVALID("non-nullable locals are not supported by this runtime");
#endif
            total += cnt;
            if (total > UINT32_MAX) MALFORMED("too many locals");
        }
        if (total > WR_MAX_LOCALS)
            return rfail(r, WR_ERR_LIMIT,
                         "function %" PRIu32 " has %" PRIu32 " locals; this runtime allows %u",
                         mod->nfunc_imports + i, (uint32_t)total, WR_MAX_LOCALS); /* <= 2^32-1 */
        uint32_t nl = (uint32_t)(total - mod->types[d->type_index].nparams);
        d->nlocals = nl; /* the types stay in the body: wr_func_local_types */
        d->code_start = (uint32_t)(r->p - mod->bytes);
        d->body_end = (uint32_t)(body_end - mod->bytes);
        if (d->code_start >= d->body_end) {
            r->p = body_end;
            MALFORMED("unexpected end of function body");
        }
        r->p = body_end;
        r->end = sec_end;
    }
    return WR_OK;
}

static wr_status sec_data(rd *r)
{
    wr_module *mod = r->mod;
    uint32_t n;
    TRY(rd_count(r, &n, 2));
    if (mod->has_datacount && n != mod->datacount)
        MALFORMED("data count and data section have inconsistent lengths");
    mod->datas = calloc(n ? n : 1, sizeof(wr_data_seg));
    if (!mod->datas) NOMEM();
    for (uint32_t i = 0; i < n; i++) {
        wr_data_seg *s = &mod->datas[i];
        mod->ndatas = i + 1;
        uint32_t flags;
        TRY(rd_u32(r, &flags));
        if (flags > 2) MALFORMED("malformed data segment kind %" PRIu32, flags);
        s->mode = flags == 1 ? WR_SEG_PASSIVE : WR_SEG_ACTIVE;
        s->memory = 0;
        if (flags == 2) TRY(rd_u32(r, &s->memory));
        if (s->mode == WR_SEG_ACTIVE) {
            if (s->memory >= mod->nmems) INVALID("unknown memory %" PRIu32, s->memory);
            TRY(rd_constexpr(r, WR_I32, &s->offset));
        }
        TRY(rd_u32(r, &s->len));
        if (s->len > (size_t)(r->end - r->p))
            MALFORMED("unexpected end of section (data of %" PRIu32 " bytes)", s->len);
        s->file_offset = (uint32_t)(r->p - mod->bytes);
        r->p += s->len;
    }
    return WR_OK;
}

/* The `name` custom section (spec 7.4.1). Only module and function names are
 * kept. It is a hint: anything wrong in it makes us ignore the rest of it,
 * never refuse the module. */
static void sec_names(wr_module *mod, const uint8_t *p, const uint8_t *end)
{
    rd r = {.mod = mod, .err = NULL, .p = p, .end = end, .sec = "name"};
    while (r.p < r.end) {
        uint8_t id;
        uint32_t size;
        if (rd_u8(&r, &id) != WR_OK || rd_u32(&r, &size) != WR_OK) return;
        if (size > (size_t)(r.end - r.p)) return;
        const uint8_t *sub_end = r.p + size;
        rd s = r;
        s.end = sub_end;
        if (id == 0 && !mod->module_name) {
            char *name;
            if (rd_name(&s, &name) == WR_OK) mod->module_name = name;
        } else if (id == 1 && !mod->func_name_at && mod->nfuncs) {
            /* where each name is, not a copy: on a device the module is in
             * flash and RAM is what counts */
            uint32_t cnt;
            if (rd_count(&s, &cnt, 2) != WR_OK) return;
            mod->func_name_at = calloc(mod->nfuncs, sizeof(uint32_t));
            if (!mod->func_name_at) return;
            for (uint32_t k = 0; k < cnt; k++) {
                uint32_t fi, n;
                const uint8_t *at;
                if (rd_u32(&s, &fi) != WR_OK) break;
                at = s.p;
                if (rd_u32(&s, &n) != WR_OK || n > (size_t)(s.end - s.p) || !wf_utf8_valid(s.p, n))
                    break;
                s.p += n;
                if (fi < mod->nfuncs && !mod->func_name_at[fi])
                    mod->func_name_at[fi] = (uint32_t)(at - mod->bytes);
            }
        }
        r.p = sub_end;
    }
}

static wr_status sec_custom(rd *r)
{
    wr_module *mod = r->mod;
    char *name = NULL;
    TRY(rd_name(r, &name));
    wr_custom_section *c = realloc(mod->customs, (mod->ncustoms + 1) * sizeof *c);
    if (!c) {
        free(name);
        NOMEM();
    }
    mod->customs = c;
    c[mod->ncustoms].name = name;
    c[mod->ncustoms].file_offset = (uint32_t)(r->p - mod->bytes);
    c[mod->ncustoms].size = (uint32_t)(r->end - r->p);
    mod->ncustoms++;
    if (!strcmp(name, "name")) sec_names(mod, r->p, r->end);
    r->p = r->end;
    return WR_OK;
}

/* Position of each section id in the required order (spec 5.5.2): data count
 * sits between element and code. */
static int section_rank(uint8_t id)
{
    /* the tag section (13) comes between memory and global */
    static const int rank[14] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
    return rank[id];
}

wr_status wr_decode_module(wr_module *mod, wr_error *err)
{
    rd rr = {
        .mod = mod, .err = err, .p = mod->bytes, .end = mod->bytes + mod->len, .sec = "header"};
    rd *r = &rr;
    static const uint8_t magic[4] = {0, 'a', 's', 'm'};
    if (mod->len < 4 || memcmp(mod->bytes, magic, 4)) MALFORMED("magic header not detected");
    if (mod->len < 8) {
        r->p = r->end;
        MALFORMED("unexpected end: no binary version");
    }
    static const uint8_t version[4] = {1, 0, 0, 0};
    r->p += 4;
    if (memcmp(r->p, version, 4)) MALFORMED("unknown binary version");
    r->p += 4;

    mod->func_declared = calloc(1, 1);
    if (!mod->func_declared) NOMEM();
    int last_rank = 0;
    bool have_code = false;
    uint32_t ndefined = 0;
    const uint8_t *file_end = mod->bytes + mod->len;
    while (r->p < file_end) {
        r->end = file_end;
        r->sec = "section header";
        uint8_t id;
        uint32_t size;
        TRY(rd_u8(r, &id));
        if (id > 13) {
            r->p--;
            MALFORMED("malformed section id %u", id);
        }
        r->sec = wf_section_name(id);
        TRY(rd_u32(r, &size));
        if (size > (size_t)(file_end - r->p))
            MALFORMED("unexpected end: section size %" PRIu32 " past the end of the file", size);
        if (id != 0) {
            int rank = section_rank(id);
            if (rank <= last_rank) {
                MALFORMED(
                    "unexpected content after last section: %s section out of order or repeated",
                    r->sec);
            }
            last_rank = rank;
        }
        const uint8_t *sec_end = r->p + size;
        r->end = sec_end;
        switch (id) {
        case 0: TRY(sec_custom(r)); break;
        case 1: TRY(sec_type(r)); break;
        case 2: {
            TRY(sec_import(r));
            /* build the imported part of every index space */
            mod->funcs = calloc(mod->nfunc_imports ? mod->nfunc_imports : 1, sizeof(wr_func_decl));
            mod->tables =
                calloc(mod->ntable_imports ? mod->ntable_imports : 1, sizeof(wr_table_type));
            mod->mems = calloc(mod->nmem_imports ? mod->nmem_imports : 1, sizeof(wr_limits));
            mod->globals =
                calloc(mod->nglobal_imports ? mod->nglobal_imports : 1, sizeof(wr_global_decl));
#if WR_FEATURE_EH
            mod->tags = calloc(mod->ntag_imports ? mod->ntag_imports : 1, sizeof(uint32_t));
            if (!mod->tags) NOMEM();
#endif
            free(mod->func_declared);
            mod->func_declared = calloc(mod->nfunc_imports ? mod->nfunc_imports : 1, 1);
            if (!mod->funcs || !mod->tables || !mod->mems || !mod->globals || !mod->func_declared)
                NOMEM();
            if (mod->nmem_imports > 1) INVALID("multiple memories");
            uint32_t fi = 0, ti = 0, mi = 0, gi = 0, tgi = 0;
            for (uint32_t i = 0; i < mod->nimports; i++) {
                const wr_import *im = &mod->imports[i];
                switch (im->kind) {
                case WR_EXTERN_FUNC: mod->funcs[fi++].type_index = im->type_index; break;
                case WR_EXTERN_TABLE: mod->tables[ti++] = im->table; break;
                case WR_EXTERN_MEMORY: mod->mems[mi++] = im->memory; break;
                case WR_EXTERN_GLOBAL:
                    mod->globals[gi].type = im->global;
                    mod->globals[gi++].imported = true;
                    break;
#if WR_FEATURE_EH
                case WR_EXTERN_TAG: mod->tags[tgi++] = im->type_index; break;
#endif
                default: break;
                }
            }
            mod->nfuncs = fi;
            mod->ntables = ti;
            mod->nmems = mi;
            mod->nglobals = gi;
#if WR_FEATURE_EH
            mod->ntags = tgi;
#else
            (void)tgi;
#endif
            break;
        }
        case 3: TRY(sec_func(r, &ndefined)); break;
        case 4: TRY(sec_table(r)); break;
        case 5: TRY(sec_memory(r)); break;
        case 6: TRY(sec_global(r)); break;
        case 7: TRY(sec_export(r)); break;
        case 8: TRY(sec_start(r)); break;
        case 9: TRY(sec_elem(r)); break;
        case 12:
            TRY(rd_u32(r, &mod->datacount));
            mod->has_datacount = true;
            break;
        case 10:
            mod->code_section_offset = (uint32_t)(r->p - mod->bytes);
            mod->code_section_end = (uint32_t)(sec_end - mod->bytes);
            TRY(sec_code(r, ndefined));
            have_code = true;
            break;
        case 11: TRY(sec_data(r)); break;
#if WR_FEATURE_EH
        case 13: TRY(sec_tag(r)); break;
#else
        case 13: INVALID(WR_NO_EH);
#endif
        }
        if (r->p != sec_end) MALFORMED("section size mismatch");
    }
    r->sec = "code";
    if (ndefined && !have_code) MALFORMED("function and code section have inconsistent lengths");
    r->sec = "data";
    if (mod->has_datacount && mod->datacount && !mod->ndatas)
        MALFORMED("data count and data section have inconsistent lengths");

#if WR_W64 > 1
    /* 32-bit targets: internal code holds indices in 16-bit halves (wr_code.h) */
    uint32_t most = mod->nfuncs;
    if (mod->nglobals > most) most = mod->nglobals;
    if (mod->ntypes > most) most = mod->ntypes;
    if (mod->ntables > most) most = mod->ntables;
    if (mod->nelems > most) most = mod->nelems;
    if (mod->ndatas > most) most = mod->ndatas;
    if (mod->has_datacount && mod->datacount > most) most = mod->datacount;
    if (most > (uint32_t)WR_HALF_MAX + 1)
        return wr_fail(err, WR_ERR_LIMIT, NULL, 0,
                       "%" PRIu32 " functions, globals, types, tables or segments of one kind; "
                       "this runtime allows %u",
                       most, (unsigned)WR_HALF_MAX + 1);
#endif
    /* function bodies last: everything they refer to is known now */
    for (uint32_t i = mod->nfunc_imports; i < mod->nfuncs; i++) {
        wr_status st = wr_compile_function(mod, i, err);
        if (st == WR_ERR_INVALID) {
            /* a malformed body, this one or a later one, wins (see above) */
            r->sec = "code";
            for (uint32_t k = i; k < mod->nfuncs; k++) {
                r->p = mod->bytes + mod->funcs[k].code_start;
                r->end = mod->bytes + mod->funcs[k].body_end;
                TRY(check_body_syntax(r));
            }
        }
        if (st != WR_OK) return st;
    }
    wr_scratch_free(mod);
    return WR_OK;
}

void wr_module_release(wr_module *mod)
{
    wr_scratch_free(mod); /* a load that failed */
    for (uint32_t i = 0; i < mod->ntypes; i++) {
        free(mod->types[i].params);
        free(mod->types[i].results);
#if WR_FEATURE_FUNCREFS
        free(mod->types[i].full);
#endif
    }
    free(mod->types);
    for (uint32_t i = 0; i < mod->nimports; i++) {
        free(mod->imports[i].module);
        free(mod->imports[i].name);
    }
    free(mod->imports);
    if (mod->funcs)
        for (uint32_t i = 0; i < mod->nfuncs; i++)
            wr_code_free(mod->funcs[i].code);
    free(mod->funcs);
    wr_pc_cache_free(mod);
    free(mod->func_declared);
    free(mod->tables);
    free(mod->mems);
    free(mod->globals);
#if WR_FEATURE_EH
    free(mod->tags);
#endif
    for (uint32_t i = 0; i < mod->nexports; i++)
        free(mod->exports[i].name);
    free(mod->exports);
    for (uint32_t i = 0; i < mod->nelems; i++)
        free(mod->elems[i].items);
    free(mod->elems);
    free(mod->datas);
    free(mod->module_name);
    if (mod->func_name_at) {
        free(mod->func_name_at);
    }
    for (uint32_t i = 0; i < mod->ncustoms; i++)
        free(mod->customs[i].name);
    free(mod->customs);
    free(mod->owned_bytes);
    mod->owned_bytes = NULL;
    mod->bytes = NULL;
}

uint8_t wr_func_local_types(const wr_module *mod, const wr_func_decl *d, wr_ltype *out,
                            uint32_t want)
{
    const uint8_t *p = mod->bytes + d->body_start, *end = mod->bytes + d->body_end;
    uint64_t v;
    uint32_t at = 0;
    uint8_t found = 0;
    if (wf_leb_read(&p, end, 32, false, &v)) return 0; /* the body's size */
    if (wf_leb_read(&p, end, 32, false, &v)) return 0; /* the groups */
    for (uint64_t g = v; g > 0 && at < d->nlocals; g--) {
        uint64_t cnt;
        if (wf_leb_read(&p, end, 32, false, &cnt) || p >= end) return 0;
        uint8_t t = *p++;
        wr_ltype full = t;
#if WR_FEATURE_FUNCREFS
        if (t == 0x63 || t == 0x64) { /* (ref null? ht) */
            uint64_t h;
            if (wf_leb_read(&p, end, 33, true, &h)) return 0;
            /* (type indices too large for WR_VT_IDX_SHIFT are refused at load) */
            full = (int64_t)h >= 0 ? WR_FUNCREF | (uint32_t)(h + 1) << WR_VT_IDX_SHIFT
                                   : (uint32_t)(h & 0x7f);
            if (t == 0x64) full |= WR_VT_NONNULL;
            t = WR_VT_KIND(full);
        }
#endif
        if (want >= at && want - at < cnt) found = t;
        if (out)
            for (uint64_t k = 0; k < cnt && at < d->nlocals; k++)
                out[at++] = full;
        else
            at += cnt > d->nlocals - at ? d->nlocals - at : (uint32_t)cnt;
        if (found && !out) break;
    }
    return found;
}
