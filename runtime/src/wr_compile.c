/*
 * Function body validation and translation to internal code, in one pass.
 *
 * Validation follows the algorithm of the core spec's appendix ("Validation
 * Algorithm", spec 2.0 A.3): an operand stack of types, a stack of control
 * frames, and a polymorphic stack after unconditional branches.
 *
 * Translation (see wr_code.h) keeps, next to each operand stack type, where
 * the value lives: in its canonical slot (K_SLOT), still in a local (K_LOCAL:
 * `local.get` emitted nothing) or as a constant (K_CONST). Consumers read
 * locals directly and fold constants into `_ri` immediates. Before anything
 * that joins control flow (block entry, branches, labels, calls) the stack is
 * materialized, so every label and call return sees canonical slots.
 *
 * Two peepholes: an op whose result is immediately stored with local.set/tee
 * writes the local directly; an i32 comparison consumed by br_if/if becomes a
 * fused compare-and-branch. Neither crosses a label (cc.barrier).
 *
 * Shape (wasm3's: an op table pointing to small compile functions): each
 * instruction or family has its compile function c_<name> (c_local_get,
 * c_br_if, c_table_copy...); compile_op is the op table, a switch from
 * opcode to compile function (c_prefix_fc the one of the 0xfc sub-opcodes);
 * the numeric ones, loads and stores are described by the num_ops/mem_ops
 * tables. translate_body is the loop: the debug translation's `dbg` op,
 * the opcode, compile_op.
 */
#include "wr_code.h"
#include "wdb/wasm_ops.h"

#include <stdio.h>
#include <string.h>

enum { T_UNKNOWN = 0 };
enum { K_SLOT, K_LOCAL, K_CONST };

typedef struct cval {
    wr_ltype type; /* wr_valtype (a full one: WR_VT_*) or T_UNKNOWN */
    uint8_t kind;
    int32_t slot; /* K_LOCAL: the local's slot */
    uint64_t bits;
} cval;

typedef struct patch {
    uint32_t op, word; /* op start and the word holding the relative target
                        * (| REL_HALF: its b half, a packed branch) */
    uint32_t label;    /* the control frame (index in cs) it jumps to the end of */
} patch;
#define REL_HALF 0x80000000u

typedef struct ctrl {
    uint8_t opcode; /* WASM_OP_block, _loop, _if (_else in its else arm); 0x00: the function */
    uint32_t nparams, nresults;
    const wr_valtype *params, *results;
    wr_valtype single; /* storage for a one-value block type */
    bool res_single;   /* results is `single` (kept as a flag: cs may move) */
    uint32_t height;   /* operand depth below the block's params */
    bool unreachable;
    bool dead; /* the whole block is unreachable code: emit nothing */
    uint32_t loop_ir;
    uint32_t npatches; /* forward branches to its end not resolved yet (cc.patches) */
    bool has_else_patch;
    patch else_patch;
#if WR_FEATURE_EH
    uint32_t id;                 /* try, try_table: its number among the body's tries */
    uint32_t inner;              /* the number of the first try opened inside it */
    uint32_t try_start, try_end; /* the protected words of a try, try_table */
    uint32_t pend_base;          /* try_table: its clauses in cc.pend from here */
#endif
} ctrl;

typedef struct cc {
    wr_module *mod;
    uint32_t fidx;
    bool debug;
    bool pack_br; /* packed branches (wr_code.h): PACKING and a short enough body */
    /* the unresolved forward branches of every open frame, in one list (a
     * list per frame cost a block each; printf's body nests 20 deep); kept
     * when writing only: measuring needs just the counts */
    patch *patches;
    uint32_t npatches, patchcap;
    wr_error *err;
    const uint8_t *bytes, *p, *end;
    uint32_t nparams, nlocals;
    wr_ltype *decl_types; /* owned: the declared locals' types (after the params) */
#if WR_FEATURE_FUNCREFS
    char tn[2][24]; /* tname's buffers */
    unsigned tni;
#endif
    const wr_type *ftype;

    cval *stk;
    uint32_t sp, scap, max_depth;
    uint32_t frame_slots; /* at the end: nlocals + max_depth + 1 */
    ctrl *cs;
    uint32_t csp, ccap;

    /* Measuring (validation at load, sizing) writes nothing: operand writes
     * go to `sink` (OP), only counts advance. Writing fills blocks made
     * with the measured sizes (the caps). */
    bool measure;
    bool map;  /* write the pc map and sync points (debug translations, pc-map rebuilds) */
    bool nopc; /* validating at load: no pc-map entries, not even counted */
    wr_op sink;
    wr_op *ops;
    uint32_t nops, opcap;
    uint8_t *pcbytes; /* the pc map (wr_code.h) */
    uint32_t npc, npccap, pcpos, pccap;
    uint32_t pc_irb, pc_off; /* decoder state after the last entry */
    wr_pcmark *marks;
    uint32_t nmarks, markcap;
    struct {
        uint32_t pcpos, irb, off, nmarks;
    } pc_prev;        /* the state before the last entry, for unemit */
    uint32_t *depths; /* debug: operand depth per pcmap entry */
    uint32_t *syncs;
    uint32_t nsyncs, synccap;
    uint32_t cur_off; /* code offset of the instruction being translated */
    wr_handlers h;

    uint32_t barrier; /* ops starting before this word may not be rewritten */
    /* the last op that wrote a canonical slot, for the local.set peephole */
    bool ld_valid;
    uint32_t ld_start, ld_end, ld_word;
    int32_t ld_slot;
    /* the last i32 comparison, for the compare-and-branch fusion */
    bool lc_valid;
    uint32_t lc_start, lc_end;
    int lc_cmp; /* index in WR_BRCMPS order */
    bool lc_ri;
    int32_t lc_a, lc_b, lc_dst;
    /* the last i32 address arithmetic, for the address fusion (WR_ALOADS):
     * la_form 0 add_rr (a, b), 1 add_ri (a, imm b), 2 add_sl (a, b, s),
     * 3 shl_ri (source a, s); la_dst the canonical slot it wrote */
    bool la_valid;
    uint32_t la_start, la_end;
    int la_form;
    int32_t la_a, la_b, la_s, la_dst;
#if WR_ACC
    /* the last op that left its result in an accumulator, and the slot it
     * wrote (after a local.set retarget: the local's) */
    bool ac_valid;
    uint32_t ac_start, ac_end;
    int32_t ac_slot;
    bool ac_f64; /* in the f64 accumulator */
#endif
    bool oom;
#if WR_FEATURE_EH
    wr_eh *ehs; /* the handler table (wr_code.h), written when not measuring */
    uint32_t neh, ehcap;
    wr_eh *pend; /* the clauses of the open try_tables, added when they end */
    uint32_t npend, pendcap;
    uint32_t ntry; /* tries opened so far */
#endif
} cc;

#define SEC "code"

/* The op word at index i, or the sink while measuring. */
#define OP(c, i) ((c)->measure ? &(c)->sink : &(c)->ops[i])

static wr_status bad(cc *c, wr_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static wr_status bad(cc *c, wr_status st, const char *fmt, ...)
{
    char msg[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return wr_fail(c->err, st, SEC, (size_t)(c->p - c->bytes), "%s", msg);
}
#define INVALID(...) return bad(c, WR_ERR_INVALID, __VA_ARGS__)
#define MALFORMED(...) return bad(c, WR_ERR_MALFORMED, __VA_ARGS__)
#define TRY(x)                                                                                     \
    do {                                                                                           \
        wr_status st_ = (x);                                                                       \
        if (st_ != WR_OK) return st_;                                                              \
    } while (0)

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap) return true;
    uint32_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, (size_t)n * elem);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* ------------------------------------------------------------ decoding */

static wr_status rd_u8(cc *c, uint8_t *out)
{
    if (c->p >= c->end) MALFORMED("unexpected end of section or function");
    *out = *c->p++;
    return WR_OK;
}

static wr_status rd_leb(cc *c, uint64_t *out, unsigned bits, bool sign)
{
#ifdef WR_TRACE
    /* one byte, most immediates: inline (host builds, where loading a big
     * module takes 8% fewer instructions; the firmware saves the flash) */
    if (c->p < c->end && *c->p < 0x80) {
        uint8_t b = *c->p++;
        *out = sign && (b & 0x40) ? (uint64_t)b - 0x80 : b;
        return WR_OK;
    }
#endif
    const char *why = wf_leb_read(&c->p, c->end, bits, sign, out);
    if (why) MALFORMED("%s%s", why, why[0] == 'u' ? " of section or function" : "");
    return WR_OK;
}

static wr_status rd_u32(cc *c, uint32_t *out)
{
    uint64_t v;
    TRY(rd_leb(c, &v, 32, false));
    *out = (uint32_t)v;
    return WR_OK;
}

/* ------------------------------------------------------------ emission */

#define LIVE (!(c->cs[c->csp - 1].unreachable || c->cs[c->csp - 1].dead))

/* Appends the pc-map entry of the op at word ir (wr_code.h). */
static void pc_add(cc *c, uint32_t ir)
{
    c->pc_prev.pcpos = c->pcpos;
    c->pc_prev.irb = c->pc_irb;
    c->pc_prev.off = c->pc_off;
    c->pc_prev.nmarks = c->nmarks;
    uint8_t b[11];
    uint32_t n = 0, dir = ir - c->pc_irb, doff = c->cur_off - c->pc_off;
    if (dir < 7 && doff < 32) {
        b[n++] = (uint8_t)(dir << 5 | doff);
    } else {
        b[n++] = 0xe0;
        n += (uint32_t)wf_leb_write(b + n, dir);
        n += (uint32_t)wf_leb_write(b + n, doff);
    }
    bool mark = c->npc > 0 && c->npc % WR_PC_STRIDE == 0;
    if (c->map) {
        if (c->npc >= c->npccap || c->pcpos + n > c->pccap || (mark && c->nmarks >= c->markcap)) {
            c->oom = true; /* the writing pass outgrew the measured sizes */
            return;
        }
        if (mark) {
            c->marks[c->nmarks].ir = ir;
            c->marks[c->nmarks].off = c->cur_off;
            c->marks[c->nmarks].pos = c->pcpos + n;
        }
        if (c->debug) c->depths[c->npc] = c->sp;
        memcpy(c->pcbytes + c->pcpos, b, n);
    }
    c->nmarks += mark;
    c->pcpos += n;
    c->pc_irb = ir + 1;
    c->pc_off = c->cur_off;
    c->npc++;
}

/* Forgets the last op of every peephole (after a new op, at a label). */
static void peeps_off(cc *c)
{
    c->ld_valid = false;
    c->lc_valid = false;
    if (WR_ADDR_FUSE) c->la_valid = false;
#if WR_ACC
    c->ac_valid = false;
#endif
}

static uint32_t emit(cc *c, wr_opcode op, uint32_t nwords)
{
    uint32_t at = c->nops;
    if (!c->measure && !c->oom && at + nwords > c->opcap) c->oom = true;
    if (c->oom) {
        c->nops = 0;
        return 0;
    }
    if (!c->measure) {
        memset(&c->ops[at], 0, nwords * sizeof(wr_op));
        OP(c, at)->h = WR_HANDLER(c->h, op);
    }
    c->nops += nwords;
    if (!c->nopc) pc_add(c, at);
    peeps_off(c);
    return at;
}

/* Removes the last op, which starts at word `at` (a peephole rewrite: the
 * fused comparison, emitted last and with one pc-map entry). */
static void unemit(cc *c, uint32_t at)
{
    if (c->oom) return;
    c->nops = at;
    if (c->nopc) return;
    c->npc--;
    c->pcpos = c->pc_prev.pcpos;
    c->pc_irb = c->pc_prev.irb;
    c->pc_off = c->pc_prev.off;
    c->nmarks = c->pc_prev.nmarks;
}

static void label_here(cc *c)
{
    c->barrier = c->nops;
    peeps_off(c);
}

/* The accumulators (wr_code.h WR_ACC): the op just emitted at `start` left
 * the value of `slot` in one (the f64 one: f64). */
static void note_acc(cc *c, uint32_t start, int32_t slot, bool f64)
{
#if WR_ACC
    if (c->debug) return;
    c->ac_f64 = f64;
    c->ac_valid = true;
    c->ac_start = start;
    c->ac_end = c->nops;
    c->ac_slot = slot;
#else
    (void)c, (void)start, (void)slot, (void)f64;
#endif
}

/* Whether the value of `slot` is in an accumulator (the f64 one: f64) for
 * an op emitted next (no label, no other op in between). */
static bool in_acc(const cc *c, int32_t slot, bool f64)
{
#if WR_ACC
    return c->ac_valid && c->ac_end == c->nops && c->ac_start >= c->barrier && c->ac_slot == slot &&
           c->ac_f64 == f64 && !c->oom;
#else
    (void)c, (void)slot, (void)f64;
    return false;
#endif
}

static void add_sync(cc *c)
{
    if (c->map) {
        if (c->nsyncs >= c->synccap) {
            c->oom = true;
            return;
        }
        c->syncs[c->nsyncs] = c->nops;
    }
    c->nsyncs++;
}

/* Records that the op at `start` wrote canonical slot `slot` through word
 * `word` (its w1.a), so local.set may retarget it. */
static void note_dst(cc *c, uint32_t start, int32_t slot)
{
    c->ld_valid = true;
    c->ld_start = start;
    c->ld_end = c->nops;
    c->ld_word = start + 1;
    c->ld_slot = slot;
}

/* Slot numbers count WR_VSLOTS per value (wr_internal.h): the first slot
 * of local li is li * WR_VSLOTS, of operand depth d (nlocals + d) * WR_VSLOTS. */
static inline int32_t canon(cc *c, uint32_t depth)
{
    return (int32_t)((c->nlocals + depth) * WR_VSLOTS);
}
#define LSLOT(li) ((int32_t)((li)*WR_VSLOTS))
/* t is v128 (never in builds without WR_FEATURE_SIMD: the decoder refuses it) */
#define IS_V128(t) (WR_VSLOTS > 1 && (t) == WR_V128)

/* The type of local li (< nlocals): a param or a declared local. */
static wr_ltype ltype(const cc *c, uint32_t li)
{
    return li < c->nparams ? (wr_ltype)WR_TPARAMS(c->ftype)[li] : c->decl_types[li - c->nparams];
}

static void emit_copy(cc *c, int32_t dst, int32_t src)
{
    if (dst == src) return;
    uint32_t at = emit(c, WR_OP_copy, 2);
    if (c->oom) return;
    OP(c, at + 1)->s.a = dst;
    OP(c, at + 1)->s.b = src;
}

/* A copy of a value of type t: a v128 moves both its slots. */
static void emit_copy_t(cc *c, uint8_t t, int32_t dst, int32_t src)
{
    emit_copy(c, dst, src);
#ifdef WR_FEATURE_SIMD
    if (t == WR_V128) emit_copy(c, dst + 1, src + 1);
#else
    (void)t;
#endif
}

/* Whether this translation may use the packed two-word forms (wr_code.h),
 * and whether a slot or offset fits their byte fields. */
#define PACKING(c) (WR_PACK && !(c)->debug)
static bool pbyte(int64_t v)
{
    return v >= 0 && v <= 0xff;
}
static bool pimm(uint64_t bits)
{
    int32_t v = (int32_t)(uint32_t)bits; /* an i32 immediate */
    return v >= -128 && v <= 127;
}

/* The packed form of a plain op (its _rr form for binops), or WR_OP_COUNT. */
static wr_opcode packed_of(wr_opcode op)
{
    switch (op) {
        /* clang-format off */
#define XP(n, ...) case WR_OP_##n##_rr: return WR_OP_##n##_pr;
#define XPM(n, ...) case WR_OP_##n: return WR_OP_##n##_p;
        /* clang-format on */
        WR_PBINOPS(XP)
        WR_PLOADS(XPM)
        WR_PSTORES(XPM)
#undef XP
#undef XPM
    default: return WR_OP_COUNT;
    }
}

#if WR_ACC
static void emit_const_op(cc *c, int32_t dst, uint64_t bits);
#endif
static void emit_const(cc *c, int32_t dst, uint64_t bits)
{
#if WR_ACC /* a const op leaves the accumulators as they are */
    bool keep = c->ac_valid && c->ac_end == c->nops && c->ac_slot != dst;
    emit_const_op(c, dst, bits);
    if (keep) c->ac_valid = true, c->ac_end = c->nops;
}

static void emit_const_op(cc *c, int32_t dst, uint64_t bits)
{
#endif
    if (PACKING(c) && bits <= 0xffffu) {
        uint32_t at = emit(c, WR_OP_const16, 2);
        if (c->oom) return;
        OP(c, at + 1)->s.a = dst;
        OP(c, at + 1)->s.b = (int32_t)bits;
        return;
    }
    /* a word holds 32 bits on 32-bit targets: wider constants take two */
    bool wide = WR_W64 > 1 && bits > 0xffffffffu;
    uint32_t at = emit(c, wide ? WR_OP_const64 : WR_OP_const, wide ? 2 + WR_W64 : 3);
    if (c->oom) return;
    OP(c, at + 1)->s.a = dst;
    if (!wide) {
        OP(c, at + 2)->u = bits;
    } else {
        OP(c, at + 2)->u = (uint32_t)bits;
        OP(c, at + 1 + WR_W64)->u = (uint32_t)(bits >> 32);
    }
}

/* Moves stack entry i into its canonical slot. */
static void materialize(cc *c, uint32_t i)
{
    cval *v = &c->stk[i];
    if (v->kind == K_SLOT) return;
    if (LIVE) {
        if (v->kind == K_LOCAL)
            emit_copy_t(c, v->type, canon(c, i), v->slot);
        else
            emit_const(c, canon(c, i), v->bits);
    }
    v->kind = K_SLOT;
    v->slot = canon(c, i);
}

static void materialize_all(cc *c)
{
    for (uint32_t i = 0; i < c->sp; i++)
        materialize(c, i);
}

static void materialize_local(cc *c, int32_t local)
{
    for (uint32_t i = 0; i < c->sp; i++)
        if (c->stk[i].kind == K_LOCAL && c->stk[i].slot == local) materialize(c, i);
}

/* ------------------------------------------------------- operand stack */

static wr_status push_v(cc *c, cval v)
{
    if (!grow((void **)&c->stk, &c->scap, c->sp + 1, sizeof(cval))) {
        c->oom = true;
        return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    }
    if (v.kind == K_SLOT) v.slot = canon(c, c->sp);
    c->stk[c->sp++] = v;
    if (c->sp > c->max_depth) c->max_depth = c->sp;
    return WR_OK;
}

static wr_status push(cc *c, wr_ltype type)
{
    cval v = {type, K_SLOT, 0, 0};
    return push_v(c, v);
}

/* Pops any value; in unreachable code below the frame's height it yields an
 * unknown value. */
static wr_status pop_any(cc *c, cval *out)
{
    ctrl *f = &c->cs[c->csp - 1];
    if (c->sp == f->height) {
        if (f->unreachable) {
            out->type = T_UNKNOWN;
            out->kind = K_SLOT;
            out->slot = canon(c, c->sp);
            out->bits = 0;
            return WR_OK;
        }
        INVALID("type mismatch: operand stack underflow");
    }
    *out = c->stk[--c->sp];
    return WR_OK;
}

static const char *tname(cc *c, wr_ltype t)
{
#if WR_FEATURE_FUNCREFS
    if (t > 0xffu) { /* (ref null? ht): in one of two buffers (two names a message) */
        char *b = c->tn[c->tni ^= 1];
        const char *nul = t & WR_VT_NONNULL ? "" : "null ";
        uint8_t k = WR_VT_KIND(t);
        if (WR_VT_IDX(t))
            snprintf(b, sizeof c->tn[0], "(ref %s%" PRIu32 ")", nul, WR_VT_IDX(t) - 1);
        else
            snprintf(b, sizeof c->tn[0], "(ref %s%s)", nul,
                     k == WR_FUNCREF     ? "func"
                     : k == WR_EXTERNREF ? "extern"
                                         : "exn");
        return b;
    }
#else
    (void)c;
#endif
    switch (t) {
    case WR_I32: return "i32";
    case WR_I64: return "i64";
    case WR_F32: return "f32";
    case WR_F64: return "f64";
    case WR_V128: return "v128";
    case WR_FUNCREF: return "funcref";
    case WR_EXTERNREF: return "externref";
    case WR_EXNREF: return "exnref";
    default: return "unknown";
    }
}

/* a value of type t may be used as one of type want (full types; Wasm
 * 3.0 subtyping of typed references) */
#if WR_FEATURE_FUNCREFS
#define SUBTYPE(c, t, want)                                                                        \
    ((t) == (want) || wr_vt_sub((c)->mod, (wr_valtype)(t), (wr_valtype)(want)))
#else
#define SUBTYPE(c, t, want) ((t) == (want))
#endif

static wr_status pop_t(cc *c, wr_ltype want, cval *out)
{
    cval v;
    TRY(pop_any(c, &v));
    if (v.type != T_UNKNOWN && want != T_UNKNOWN && !SUBTYPE(c, v.type, want))
        INVALID("type mismatch: expected %s, got %s", tname(c, want), tname(c, v.type));
    if (out) *out = v;
    return WR_OK;
}

static bool is_ref(wr_ltype t)
{
#if WR_FEATURE_FUNCREFS
    t = WR_VT_KIND(t);
#endif
    return t == WR_FUNCREF || t == WR_EXTERNREF || (WR_FEATURE_EH && t == WR_EXNREF);
}
static bool is_num(uint8_t t)
{
    return t == WR_I32 || t == WR_I64 || t == WR_F32 || t == WR_F64;
}

/* The slot a popped value can be read from; constants are put into their
 * canonical slot first. `depth` is where the value was on the stack. */
static int32_t src_slot(cc *c, cval *v, uint32_t depth)
{
    if (v->kind == K_CONST) {
        if (LIVE) emit_const(c, canon(c, depth), v->bits);
        v->kind = K_SLOT;
        v->slot = canon(c, depth);
    }
    return v->slot;
}

/* ------------------------------------------------------- control stack */

static wr_status push_ctrl(cc *c, uint8_t opcode, uint32_t np, const wr_valtype *params,
                           uint32_t nr, const wr_valtype *results)
{
    if (!grow((void **)&c->cs, &c->ccap, c->csp + 1, sizeof(ctrl))) {
        c->oom = true;
        return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    }
    bool dead = c->csp > 0 && !LIVE;
    ctrl *f = &c->cs[c->csp++];
    memset(f, 0, sizeof *f);
    f->opcode = opcode;
    f->nparams = np;
    f->params = params;
    f->nresults = nr;
    f->results = results;
    f->height = c->sp - np;
    f->dead = dead;
#if WR_FEATURE_EH
    f->inner = c->ntry;
#endif
    return WR_OK;
}

static wr_status add_patch(cc *c, ctrl *f, uint32_t op, uint32_t word)
{
    f->npatches++;
    if (c->measure) return WR_OK;
    if (!grow((void **)&c->patches, &c->patchcap, c->npatches + 1, sizeof(patch))) {
        c->oom = true;
        return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    }
    patch *p = &c->patches[c->npatches++];
    p->op = op;
    p->word = word;
    p->label = (uint32_t)(f - c->cs);
    return WR_OK;
}

/* Sets the relative target of the branch op at `op` to word `target`;
 * `word` is where the branch keeps it (REL_HALF: packed, in a half). */
static void set_rel(cc *c, uint32_t word, uint32_t op, uint32_t target)
{
    int64_t rel = (int64_t)target - (int64_t)op;
    if (word & REL_HALF)
        OP(c, word & ~REL_HALF)->s.b = (uint16_t)(int16_t)rel; /* |rel| < 2^15: wr_translate */
    else
        OP(c, word)->i = rel;
}

/* Points the forward branches to f's end here and drops them from the
 * list. */
static void resolve_patches(cc *c, ctrl *f)
{
    uint32_t label = (uint32_t)(f - c->cs), kept = 0;
    f->npatches = 0;
    if (c->oom) return;
    for (uint32_t i = 0; i < c->npatches; i++) {
        patch p = c->patches[i];
        if (p.label == label)
            set_rel(c, p.word, p.op, c->nops);
        else
            c->patches[kept++] = p;
    }
    c->npatches = kept;
}

/* Where a label's values go: canonical slots from the block's height, but
 * a legacy catch arm keeps its caught exception in the slot below its
 * height (rethrow's), and the try's label is below that. */
#if WR_FEATURE_EH
static uint32_t lbase(const ctrl *f)
{
    return f->height - (f->opcode == WASM_OP_catch || f->opcode == WASM_OP_catch_all);
}
#else
#define lbase(f) ((f)->height)
#endif

static const wr_valtype *fres(const ctrl *f)
{
    return f->res_single ? &f->single : f->results;
}

/* Label arity and types: a loop's label takes its params. */
static uint32_t label_arity(const ctrl *f)
{
    return f->opcode == WASM_OP_loop ? f->nparams : f->nresults;
}
static const wr_valtype *label_types(const ctrl *f)
{
    return f->opcode == WASM_OP_loop ? f->params : fres(f);
}

/* Emits the copies that put the top n values into the label's slots. The
 * values stay on the stack (for br_if). Increasing order is safe: see the
 * parallel-move argument in wr_code.h's design notes (sources are never below
 * their destinations once locals are materialized). */
static void emit_label_copies(cc *c, const ctrl *f, uint32_t n)
{
    if (!LIVE) return;
    uint32_t top = c->sp - n;
    for (uint32_t i = 0; i < n; i++) {
        cval *v = &c->stk[top + i];
        int32_t dst = canon(c, lbase(f) + i);
        if (v->kind == K_CONST)
            emit_const(c, dst, v->bits);
        else
            emit_copy_t(c, v->type, dst, v->slot);
    }
}

static bool label_needs_copies(cc *c, const ctrl *f, uint32_t n)
{
    uint32_t top = c->sp - n;
    for (uint32_t i = 0; i < n; i++) {
        cval *v = &c->stk[top + i];
        if (v->kind != K_SLOT || v->slot != canon(c, lbase(f) + i)) return true;
    }
    return false;
}

/* Emits an unconditional jump to label f (after copies). */
static wr_status emit_jump(cc *c, ctrl *f)
{
    if (!LIVE) return WR_OK;
    bool back = WR_BACKEDGE && f->opcode == WASM_OP_loop; /* polls itself: past loop_check */
    wr_opcode op = WR_OP_br;
#if WR_BACKEDGE
    if (back) op = WR_OP_br_bk;
#endif
    uint32_t at = emit(c, op, 2);
    if (c->oom) return WR_OK;
    if (f->opcode == WASM_OP_loop)
        OP(c, at + 1)->i = (int64_t)f->loop_ir + back - (int64_t)at;
    else
        return add_patch(c, f, at, at + 1);
    return WR_OK;
}

/* Checks that the top of the stack matches `n` types (without popping). */
static wr_status check_top(cc *c, uint32_t n, const wr_valtype *types)
{
    ctrl *f = &c->cs[c->csp - 1];
    if (f->unreachable && c->sp < f->height + n) {
        /* Below the height of an unreachable frame the stack is polymorphic
         * (spec A.3: pops yield Unknown). Callers keep the values checked
         * here on the stack (block params, call args), so make them real:
         * insert Unknown entries at the frame's height. */
        uint32_t missing = f->height + n - c->sp;
        if (!grow((void **)&c->stk, &c->scap, c->sp + missing, sizeof(cval))) {
            c->oom = true;
            return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
        }
        memmove(&c->stk[f->height + missing], &c->stk[f->height],
                (c->sp - f->height) * sizeof(cval));
        c->sp += missing;
        for (uint32_t d = f->height; d < c->sp; d++) {
            cval *v = &c->stk[d];
            if (d < f->height + missing) {
                v->type = T_UNKNOWN;
                v->kind = K_SLOT;
                v->bits = 0;
            }
            if (v->kind == K_SLOT) v->slot = canon(c, d);
        }
        if (c->sp > c->max_depth) c->max_depth = c->sp;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t depth_from_top = n - 1 - i;
        if (c->sp < f->height + depth_from_top + 1)
            INVALID("type mismatch: operand stack underflow");
        wr_ltype t = c->stk[c->sp - 1 - depth_from_top].type;
        if (t != T_UNKNOWN && !SUBTYPE(c, t, types[i]))
            INVALID("type mismatch: expected %s, got %s", tname(c, types[i]), tname(c, t));
    }
    return WR_OK;
}

/* Pops n typed values (validation only). */
static wr_status pop_types(cc *c, uint32_t n, const wr_valtype *types)
{
    for (uint32_t i = n; i-- > 0;)
        TRY(pop_t(c, types[i], NULL));
    return WR_OK;
}

static void set_unreachable(cc *c)
{
    ctrl *f = &c->cs[c->csp - 1];
    c->sp = f->height;
    f->unreachable = true;
}

/* ------------------------------------------------------ module lookups */

#if WR_FEATURE_FUNCREFS
/* A heap type (s33) as the full type of (ref null ht). */
static wr_status rd_heap(cc *c, uint32_t *t)
{
    uint64_t h;
    TRY(rd_leb(c, &h, 33, true));
    if ((int64_t)h >= 0) {
        if (h >= c->mod->ntypes) INVALID("unknown type %" PRIu32, (uint32_t)h);
        if (h + 1 >= 1u << (31 - WR_VT_IDX_SHIFT))
            return bad(c, WR_ERR_LIMIT, "type index %" PRIu32 " too large", (uint32_t)h);
        *t = WR_FUNCREF | (uint32_t)(h + 1) << WR_VT_IDX_SHIFT;
        return WR_OK;
    }
    *t = (uint32_t)(h & 0x7f);
    if ((int64_t)h < -64 || !is_ref(*t)) MALFORMED("malformed heap type");
    return WR_OK;
}
#endif

static wr_status read_blocktype(cc *c, uint32_t *np, const wr_valtype **params, uint32_t *nr,
                                const wr_valtype **results, wr_valtype *single)
{
    if (c->p >= c->end) MALFORMED("unexpected end of section or function");
    uint8_t b = *c->p;
    if (b == 0x40) {
        c->p++;
        *np = *nr = 0;
        *params = *results = NULL;
        return WR_OK;
    }
    if (b == WR_I32 || b == WR_I64 || b == WR_F32 || b == WR_F64 || b == WR_FUNCREF ||
        b == WR_EXTERNREF || (WR_FEATURE_EH && b == WR_EXNREF) || (WR_VSLOTS > 1 && b == WR_V128)) {
        c->p++;
        *single = (wr_valtype)b;
        *np = 0;
        *params = NULL;
        *nr = 1;
        *results = single;
        return WR_OK;
    }
    if (b == WR_V128) INVALID("SIMD (v128) is not supported in this build");
#if WR_FEATURE_FUNCREFS
    if (b == 0x63 || b == 0x64) { /* (ref null? ht) */
        c->p++;
        uint32_t t;
        TRY(rd_heap(c, &t));
        *single = (wr_valtype)(t | (b == 0x64 ? WR_VT_NONNULL : 0));
        *np = 0;
        *params = NULL;
        *nr = 1;
        *results = single;
        return WR_OK;
    }
#endif
    uint64_t v;
    TRY(rd_leb(c, &v, 33, true));
    if ((int64_t)v < 0) MALFORMED("malformed block type");
    if (v >= c->mod->ntypes) INVALID("unknown type %" PRIu32, (uint32_t)v); /* s33 >= 0: 32 bits */
    const wr_type *t = &c->mod->types[v];
    *np = t->nparams;
    *params = WR_TPARAMS(t);
    *nr = t->nresults;
    *results = WR_TRESULTS(t);
    return WR_OK;
}

static wr_status read_memarg(cc *c, uint32_t natural_log2, uint32_t *offset)
{
    uint32_t align;
    TRY(rd_u32(c, &align));
    TRY(rd_u32(c, offset));
    if (c->mod->nmems == 0) INVALID("unknown memory 0");
    if (align > natural_log2) INVALID("alignment must not be larger than natural");
    return WR_OK;
}

static wr_status need_memory(cc *c)
{
    if (c->mod->nmems == 0) INVALID("unknown memory 0");
    return WR_OK;
}

/* memory.init and data.drop need the data count section (spec 5.5.16), but
 * an index past every data segment is reported first as "unknown data
 * segment", as the spec tests expect: bodies are compiled after the whole
 * module is decoded, so the data section's count is known here. */
static wr_status check_data_seg(cc *c, uint32_t seg)
{
    uint32_t n = c->mod->has_datacount ? c->mod->datacount : c->mod->ndatas;
    if (seg >= n) INVALID("unknown data segment %" PRIu32, seg);
    if (!c->mod->has_datacount) MALFORMED("data count section required");
    return WR_OK;
}

static wr_status zero_byte(cc *c)
{
    uint8_t b = 0;
    TRY(rd_u8(c, &b));
    if (b != 0) MALFORMED("zero byte expected");
    return WR_OK;
}

/* ------------------------------------------------- instruction helpers */

static const int8_t brcmp_invert[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};

/* i32 binop; `cmp` >= 0 marks a comparison usable by the branch fusion. */
/* Whether an immediate fits one word (WR_IMM64 sign-extends on 32-bit
 * targets; i32 immediates always fit), and whether a value fits an operand
 * half. */
static bool imm_fits(uint8_t type, uint64_t bits)
{
    return WR_W64 == 1 || type == WR_I32 || (uint64_t)(int64_t)(int32_t)bits == bits;
}
static bool half_fits(int64_t v)
{
    return v >= WR_HALF_MIN && v <= WR_HALF_MAX;
}

/* The i64 ops without _ri forms when !WR_I64_RI: comparisons, divisions,
 * shifts, rotations. */
static bool i64_no_ri(wr_opcode rr)
{
    return (rr >= WR_OP_i64_eq_rr && rr <= WR_OP_i64_ge_u_rr) ||
           (rr >= WR_OP_i64_div_s_rr && rr <= WR_OP_i64_rem_u_rr) ||
           (rr >= WR_OP_i64_shl_rr && rr <= WR_OP_i64_rotr_rr);
}

/* The address fusion (wr_code.h WR_ALOADS, WR_ADDR_FUSE). */
static void note_addr(cc *c, uint32_t at, int form, int32_t a, int32_t b, int32_t sh, int32_t dst)
{
    c->la_valid = true;
    c->la_start = at;
    c->la_end = c->nops;
    c->la_form = form;
    c->la_a = a;
    c->la_b = b;
    c->la_s = sh;
    c->la_dst = dst;
}

/* Whether the op just emitted is address arithmetic of form `form` (or any
 * add, form < 0) that wrote slot `slot`: then a consumer of that slot may
 * take it over (unemit it). */
static bool addr_fusable(cc *c, int form, int32_t slot)
{
    return WR_ADDR_FUSE && !c->debug && c->la_valid && c->la_end == c->nops &&
           c->la_start >= c->barrier && c->la_dst == slot && !c->oom &&
           (form < 0 ? c->la_form <= 2 : c->la_form == form);
}

#if WR_ADDR_FUSE
/* The first of the three fused forms (arr, ari, asl) of a load or store,
 * or WR_OP_COUNT. */
static wr_opcode addr_op(wr_opcode op)
{
    switch (op) {
        /* clang-format off */
#define XA(n, ...) case WR_OP_##n: return WR_OP_##n##_arr;
        /* clang-format on */
        WR_ALOADS(XA)
        WR_ASTORES(XA)
#undef XA
#if WR_ACC
    case WR_OP_f64_load: return WR_OP_f64_load_arr;
#endif
    default: return WR_OP_COUNT;
    }
}
#endif

/* Emits the fused form of load/store `op` (wr_code.h WR_ALOADS) in place of
 * the add just emitted (addr_fusable), its start into *at; w1.a is dst (a
 * load) or the value. False when op has no fused form. */
static bool emit_addr_fused(cc *c, wr_opcode op, int32_t w1a, uint32_t offset, uint32_t *at_out)
{
#if WR_ADDR_FUSE
    wr_opcode f = addr_op(op);
    if (f == WR_OP_COUNT) return false;
    int form = c->la_form;
    int32_t a = c->la_a, b = c->la_b, sh = c->la_s;
    unemit(c, c->la_start);
    uint32_t at = emit(c, (wr_opcode)(f + form), form == 2 ? 4 : 3);
    *at_out = at;
    if (c->oom) return true;
    OP(c, at + 1)->s.a = w1a;
    OP(c, at + 1)->s.b = a;
    OP(c, at + 2)->s.a = b;
    if (form == 2) {
        OP(c, at + 2)->s.b = sh;
        OP(c, at + 3)->u = offset;
    } else {
        OP(c, at + 2)->s.b = (int32_t)offset;
    }
    return true;
#else
    (void)c, (void)op, (void)w1a, (void)offset, (void)at_out;
    return false;
#endif
}

/* The accumulator forms (wr_code.h WR_ACC) of binary op rr (an integer
 * op's _rr form, a float op): its _xr form (form 0), _xi (1) or _yr (2);
 * WR_OP_COUNT when it has none. */
static wr_opcode acc_form(wr_opcode rr, int form)
{
    switch (rr) {
#if WR_ACC
        /* clang-format off */
#define XAC(n, ...) case WR_OP_##n##_rr: return (wr_opcode)(WR_OP_##n##_xr + form);
#define XACF(n, ...) case WR_OP_##n: return (wr_opcode)(WR_OP_##n##_xr + form);
        /* clang-format on */
        WR_IBINOPS(XAC)
        WR_FBINOPS_RI(XACF)
#undef XAC
#undef XACF
#endif
    default: (void)form; return WR_OP_COUNT;
    }
}

/* The form of binary op rr to emit for operands in slots as and bs (bs
 * unused: ri): an accumulator form when one of them is in the accumulator
 * (f64: the f64 one), else rr's own (ri: rr + 1, or `ri_op`). */
static wr_opcode binop_form(const cc *c, wr_opcode rr, bool ri, wr_opcode ri_op, int32_t as,
                            int32_t bs, bool f64)
{
    if (acc_form(rr, 0) != WR_OP_COUNT) {
        if (in_acc(c, as, f64)) return acc_form(rr, ri ? 1 : 0);
        if (!ri && in_acc(c, bs, f64)) return acc_form(rr, 2);
    }
    return ri ? ri_op : rr;
}

static wr_status ibinop(cc *c, uint8_t type, wr_opcode rr, uint8_t rtype, int cmp)
{
    cval b, a;
    TRY(pop_t(c, type, &b));
    TRY(pop_t(c, type, &a));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        int32_t dst = canon(c, d);
        int32_t bs = 0;
        uint32_t at;
        bool ri = b.kind == K_CONST && imm_fits(type, b.bits) && (WR_I64_RI || !i64_no_ri(rr));
        if (!ri) bs = src_slot(c, &b, d + 1);
        wr_opcode p = PACKING(c) && pbyte(as) ? packed_of(rr) : WR_OP_COUNT;
        if (p != WR_OP_COUNT && (ri ? pimm(b.bits) : pbyte(bs))) {
            at = emit(c, ri ? (wr_opcode)(p + 1) : p, 2);
            if (!c->oom) {
                OP(c, at + 1)->s.a = dst;
                OP(c, at + 1)->s.b =
                    (int32_t)((uint32_t)as | (ri ? (uint32_t)b.bits & 0xffu : (uint32_t)bs) << 8);
            }
        } else if (WR_ADDR_FUSE && rr == WR_OP_i32_add_rr && !ri &&
                   (addr_fusable(c, 3, bs) || addr_fusable(c, 3, as))) {
#if WR_ADDR_FUSE
            /* base + (index << s): the shl just emitted goes into the add */
            int32_t base = c->la_dst == bs ? as : bs, idx = c->la_a, sh = c->la_s;
            unemit(c, c->la_start);
            at = emit(c, WR_OP_i32_add_sl, 3);
            if (!c->oom) {
                OP(c, at + 1)->s.a = dst;
                OP(c, at + 1)->s.b = base;
                OP(c, at + 2)->s.a = idx;
                OP(c, at + 2)->s.b = sh;
            }
            note_dst(c, at, dst);
            note_addr(c, at, 2, base, idx, sh, dst);
            note_acc(c, at, dst, false);
            return push(c, rtype);
#endif
        } else {
            at = emit(c, binop_form(c, rr, ri, (wr_opcode)(rr + 1), as, bs, false), 3);
            if (!c->oom) {
                OP(c, at + 1)->s.a = dst;
                OP(c, at + 1)->s.b = as;
                if (ri)
                    OP(c, at + 2)->u = type == WR_I32 ? (uint32_t)b.bits : b.bits;
                else
                    OP(c, at + 2)->s.a = bs;
            }
            if (WR_ADDR_FUSE && !c->debug && rr == WR_OP_i32_add_rr)
                note_addr(c, at, ri ? 1 : 0, as, ri ? (int32_t)(uint32_t)b.bits : bs, 0, dst);
            else if (WR_ADDR_FUSE && !c->debug && rr == WR_OP_i32_shl_rr && ri)
                note_addr(c, at, 3, as, 0, (int32_t)(b.bits & 31), dst);
            if (acc_form(rr, 0) != WR_OP_COUNT) note_acc(c, at, dst, false);
        }
        note_dst(c, at, dst);
        /* the fused branch carries the immediate in a half (read as u32) */
        if (cmp >= 0 && type == WR_I32 &&
            (!ri ||
             ((uint32_t)b.bits == b.bits &&
              (WR_HALF_MIN < 0 ? half_fits((int32_t)(uint32_t)b.bits) : half_fits(b.bits))))) {
            c->lc_valid = true;
            c->lc_start = at;
            c->lc_end = c->nops;
            c->lc_cmp = cmp;
            c->lc_ri = ri;
            c->lc_a = as;
            c->lc_b = ri ? (int32_t)(uint32_t)b.bits : bs;
            c->lc_dst = dst;
        }
    }
    return push(c, rtype);
}

/* The _ri form of an f64 op (wr_code.h WR_FBINOPS_RI), or WR_OP_COUNT. */
static wr_opcode fimm_of(wr_opcode op)
{
    switch (op) {
#if WR_ADDR_FUSE
        /* clang-format off */
#define XF(n, ...) case WR_OP_##n: return WR_OP_##n##_ri;
        /* clang-format on */
        WR_FBINOPS_RI(XF)
#undef XF
#endif
    default: return WR_OP_COUNT;
    }
}

static wr_status frr(cc *c, uint8_t type, wr_opcode op, uint8_t rtype)
{
    cval b, a;
    TRY(pop_t(c, type, &b));
    TRY(pop_t(c, type, &a));
    uint32_t d = c->sp;
    if (LIVE && b.kind == K_CONST && fimm_of(op) != WR_OP_COUNT) {
        int32_t as = src_slot(c, &a, d);
        uint32_t at = emit(c, binop_form(c, op, true, fimm_of(op), as, 0, true), 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = as;
            OP(c, at + 2)->u = b.bits;
        }
        note_dst(c, at, canon(c, d));
        note_acc(c, at, canon(c, d), true);
    } else if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        int32_t bs = src_slot(c, &b, d + 1);
        uint32_t at = emit(c, binop_form(c, op, false, op, as, bs, true), 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = as;
            OP(c, at + 2)->s.a = bs;
        }
        note_dst(c, at, canon(c, d));
        if (acc_form(op, 0) != WR_OP_COUNT) note_acc(c, at, canon(c, d), true);
    }
    return push(c, rtype);
}

static wr_status unop(cc *c, uint8_t in, wr_opcode op, uint8_t out)
{
    cval a;
    TRY(pop_t(c, in, &a));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        uint32_t at = emit(c, op, 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = as;
        }
        note_dst(c, at, canon(c, d));
        if (op == WR_OP_i32_eqz) {
            /* eqz x == (x == 0): fuse as br_eq_ri x, 0 */
            c->lc_valid = true;
            c->lc_start = at;
            c->lc_end = c->nops;
            c->lc_cmp = 0;
            c->lc_ri = true;
            c->lc_a = as;
            c->lc_b = 0;
            c->lc_dst = canon(c, d);
        }
    }
    return push(c, out);
}

static wr_status load(cc *c, uint8_t rtype, wr_opcode op, uint32_t natural)
{
    uint32_t offset;
    TRY(read_memarg(c, natural, &offset));
    cval a;
    TRY(pop_t(c, WR_I32, &a));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        uint32_t at;
        bool f64 = false;
#if WR_ACC
        if (rtype == WR_F64 && !c->debug) { /* into the f64 accumulator */
            op = WR_OP_f64_load;
            f64 = true;
        }
#endif
        if (addr_fusable(c, -1, as) && emit_addr_fused(c, op, canon(c, d), offset, &at)) {
            note_dst(c, at, canon(c, d));
            note_acc(c, at, canon(c, d), f64);
            return push(c, rtype);
        }
        wr_opcode p = PACKING(c) && pbyte(as) && offset <= 0xff ? packed_of(op) : WR_OP_COUNT;
        at = emit(c, p != WR_OP_COUNT ? p : op, p != WR_OP_COUNT ? 2 : 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            if (p != WR_OP_COUNT) {
                OP(c, at + 1)->s.b = (int32_t)((uint32_t)as | offset << 8);
            } else {
                OP(c, at + 1)->s.b = as;
                OP(c, at + 2)->u = offset;
            }
        }
        note_dst(c, at, canon(c, d));
        if (p == WR_OP_COUNT) note_acc(c, at, canon(c, d), f64);
    }
    return push(c, rtype);
}

static wr_status store(cc *c, uint8_t vtype, wr_opcode op, uint32_t natural)
{
    uint32_t offset;
    TRY(read_memarg(c, natural, &offset));
    cval v, a;
    TRY(pop_t(c, vtype, &v));
    TRY(pop_t(c, WR_I32, &a));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        int32_t vs = src_slot(c, &v, d + 1);
        uint32_t fat;
        if (addr_fusable(c, -1, as) && emit_addr_fused(c, op, vs, offset, &fat)) return WR_OK;
        wr_opcode p = PACKING(c) && pbyte(as) && offset <= 0xff ? packed_of(op) : WR_OP_COUNT;
        uint32_t at = emit(c, p != WR_OP_COUNT ? p : op, p != WR_OP_COUNT ? 2 : 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = vs;
            if (p != WR_OP_COUNT) {
                OP(c, at + 1)->s.b = (int32_t)((uint32_t)as | offset << 8);
            } else {
                OP(c, at + 1)->s.b = as;
                OP(c, at + 2)->u = offset;
            }
        }
    }
    return WR_OK;
}

/* An op with up to three operands popped (given types, bottom first) and an
 * optional result. Operand slots go to w1.a/w1.b/w2.a in order, after the
 * destination when there is a result. Extra immediates are set by the caller
 * through the returned op index (valid only when LIVE). */
static wr_status generic(cc *c, wr_opcode op, uint32_t nwords, uint32_t nin, const uint8_t *in,
                         uint8_t out, uint32_t *at_out)
{
    cval v[3];
    for (uint32_t i = nin; i-- > 0;)
        TRY(pop_t(c, in[i], &v[i]));
    uint32_t d = c->sp;
    int32_t slots[4];
    uint32_t ns = 0;
    if (out) slots[ns++] = canon(c, d);
    if (LIVE) {
        for (uint32_t i = 0; i < nin; i++)
            slots[ns++] = src_slot(c, &v[i], d + i);
        uint32_t at = emit(c, op, nwords);
        if (!c->oom) {
            wr_op *w1 = OP(c, at + 1), *w2 = OP(c, at + 2);
            if (ns > 0) w1->s.a = slots[0];
            if (ns > 1) w1->s.b = slots[1];
            if (ns > 2) w2->s.a = slots[2];
            if (ns > 3) w2->s.b = slots[3];
        }
        if (at_out) *at_out = at;
        if (out) note_dst(c, at, canon(c, d));
    }
    if (out) return push(c, out);
    return WR_OK;
}

/* The numeric instructions (i32.eqz .. i64.extend32_s) but the
 * reinterpretations, and the loads and stores, by table (wdb/wasm_ops.h
 * names the opcodes), for their compile function c_numeric: the op, how
 * it is translated
 * (NUM: kind, operand and result type), and for the i32 comparisons their
 * place in WR_BRCMPS (the compare-and-branch fusion), for memory ops the
 * natural alignment (log2). One table entry is smaller than a function. */
enum { N_UN, N_IBIN, N_FBIN, N_LOAD, N_STORE };
enum { N_I32, N_I64, N_F32, N_F64 };
#define NUM(kind, in, out) (uint8_t)((kind) << 4 | (in) << 2 | (out))

typedef struct numop {
    uint16_t op;  /* wr_opcode; 0 (enter): not in the table */
    uint8_t how;  /* NUM(...) */
    int8_t extra; /* fusion index or -1; natural alignment */
} numop;

#define NUM_AT(id) [WASM_OP_##id - WASM_OP_i32_eqz]
#define MEM_AT(id) [WASM_OP_##id - WASM_OP_i32_load]
static const numop num_ops[WASM_OP_i64_extend32_s + 1 - WASM_OP_i32_eqz] = {
    NUM_AT(i32_eqz) = {WR_OP_i32_eqz, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i32_eq) = {WR_OP_i32_eq_rr, NUM(N_IBIN, N_I32, N_I32), 0},
    NUM_AT(i32_ne) = {WR_OP_i32_ne_rr, NUM(N_IBIN, N_I32, N_I32), 1},
    NUM_AT(i32_lt_s) = {WR_OP_i32_lt_s_rr, NUM(N_IBIN, N_I32, N_I32), 2},
    NUM_AT(i32_lt_u) = {WR_OP_i32_lt_u_rr, NUM(N_IBIN, N_I32, N_I32), 3},
    NUM_AT(i32_gt_s) = {WR_OP_i32_gt_s_rr, NUM(N_IBIN, N_I32, N_I32), 4},
    NUM_AT(i32_gt_u) = {WR_OP_i32_gt_u_rr, NUM(N_IBIN, N_I32, N_I32), 5},
    NUM_AT(i32_le_s) = {WR_OP_i32_le_s_rr, NUM(N_IBIN, N_I32, N_I32), 6},
    NUM_AT(i32_le_u) = {WR_OP_i32_le_u_rr, NUM(N_IBIN, N_I32, N_I32), 7},
    NUM_AT(i32_ge_s) = {WR_OP_i32_ge_s_rr, NUM(N_IBIN, N_I32, N_I32), 8},
    NUM_AT(i32_ge_u) = {WR_OP_i32_ge_u_rr, NUM(N_IBIN, N_I32, N_I32), 9},
    NUM_AT(i64_eqz) = {WR_OP_i64_eqz, NUM(N_UN, N_I64, N_I32), -1},
    NUM_AT(i64_eq) = {WR_OP_i64_eq_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_ne) = {WR_OP_i64_ne_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_lt_s) = {WR_OP_i64_lt_s_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_lt_u) = {WR_OP_i64_lt_u_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_gt_s) = {WR_OP_i64_gt_s_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_gt_u) = {WR_OP_i64_gt_u_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_le_s) = {WR_OP_i64_le_s_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_le_u) = {WR_OP_i64_le_u_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_ge_s) = {WR_OP_i64_ge_s_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(i64_ge_u) = {WR_OP_i64_ge_u_rr, NUM(N_IBIN, N_I64, N_I32), -1},
    NUM_AT(f32_eq) = {WR_OP_f32_eq, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f32_ne) = {WR_OP_f32_ne, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f32_lt) = {WR_OP_f32_lt, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f32_gt) = {WR_OP_f32_gt, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f32_le) = {WR_OP_f32_le, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f32_ge) = {WR_OP_f32_ge, NUM(N_FBIN, N_F32, N_I32), -1},
    NUM_AT(f64_eq) = {WR_OP_f64_eq, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(f64_ne) = {WR_OP_f64_ne, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(f64_lt) = {WR_OP_f64_lt, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(f64_gt) = {WR_OP_f64_gt, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(f64_le) = {WR_OP_f64_le, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(f64_ge) = {WR_OP_f64_ge, NUM(N_FBIN, N_F64, N_I32), -1},
    NUM_AT(i32_clz) = {WR_OP_i32_clz, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i32_ctz) = {WR_OP_i32_ctz, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i32_popcnt) = {WR_OP_i32_popcnt, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i32_add) = {WR_OP_i32_add_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_sub) = {WR_OP_i32_sub_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_mul) = {WR_OP_i32_mul_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_div_s) = {WR_OP_i32_div_s_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_div_u) = {WR_OP_i32_div_u_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_rem_s) = {WR_OP_i32_rem_s_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_rem_u) = {WR_OP_i32_rem_u_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_and) = {WR_OP_i32_and_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_or) = {WR_OP_i32_or_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_xor) = {WR_OP_i32_xor_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_shl) = {WR_OP_i32_shl_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_shr_s) = {WR_OP_i32_shr_s_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_shr_u) = {WR_OP_i32_shr_u_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_rotl) = {WR_OP_i32_rotl_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i32_rotr) = {WR_OP_i32_rotr_rr, NUM(N_IBIN, N_I32, N_I32), -1},
    NUM_AT(i64_clz) = {WR_OP_i64_clz, NUM(N_UN, N_I64, N_I64), -1},
    NUM_AT(i64_ctz) = {WR_OP_i64_ctz, NUM(N_UN, N_I64, N_I64), -1},
    NUM_AT(i64_popcnt) = {WR_OP_i64_popcnt, NUM(N_UN, N_I64, N_I64), -1},
    NUM_AT(i64_add) = {WR_OP_i64_add_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_sub) = {WR_OP_i64_sub_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_mul) = {WR_OP_i64_mul_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_div_s) = {WR_OP_i64_div_s_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_div_u) = {WR_OP_i64_div_u_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_rem_s) = {WR_OP_i64_rem_s_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_rem_u) = {WR_OP_i64_rem_u_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_and) = {WR_OP_i64_and_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_or) = {WR_OP_i64_or_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_xor) = {WR_OP_i64_xor_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_shl) = {WR_OP_i64_shl_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_shr_s) = {WR_OP_i64_shr_s_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_shr_u) = {WR_OP_i64_shr_u_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_rotl) = {WR_OP_i64_rotl_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(i64_rotr) = {WR_OP_i64_rotr_rr, NUM(N_IBIN, N_I64, N_I64), -1},
    NUM_AT(f32_abs) = {WR_OP_f32_abs, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_neg) = {WR_OP_f32_neg, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_ceil) = {WR_OP_f32_ceil, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_floor) = {WR_OP_f32_floor, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_trunc) = {WR_OP_f32_trunc, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_nearest) = {WR_OP_f32_nearest, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_sqrt) = {WR_OP_f32_sqrt, NUM(N_UN, N_F32, N_F32), -1},
    NUM_AT(f32_add) = {WR_OP_f32_add, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_sub) = {WR_OP_f32_sub, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_mul) = {WR_OP_f32_mul, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_div) = {WR_OP_f32_div, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_min) = {WR_OP_f32_min, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_max) = {WR_OP_f32_max, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f32_copysign) = {WR_OP_f32_copysign, NUM(N_FBIN, N_F32, N_F32), -1},
    NUM_AT(f64_abs) = {WR_OP_f64_abs, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_neg) = {WR_OP_f64_neg, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_ceil) = {WR_OP_f64_ceil, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_floor) = {WR_OP_f64_floor, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_trunc) = {WR_OP_f64_trunc, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_nearest) = {WR_OP_f64_nearest, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_sqrt) = {WR_OP_f64_sqrt, NUM(N_UN, N_F64, N_F64), -1},
    NUM_AT(f64_add) = {WR_OP_f64_add, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_sub) = {WR_OP_f64_sub, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_mul) = {WR_OP_f64_mul, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_div) = {WR_OP_f64_div, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_min) = {WR_OP_f64_min, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_max) = {WR_OP_f64_max, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(f64_copysign) = {WR_OP_f64_copysign, NUM(N_FBIN, N_F64, N_F64), -1},
    NUM_AT(i32_wrap_i64) = {WR_OP_i32_wrap_i64, NUM(N_UN, N_I64, N_I32), -1},
    NUM_AT(i32_trunc_f32_s) = {WR_OP_i32_trunc_f32_s, NUM(N_UN, N_F32, N_I32), -1},
    NUM_AT(i32_trunc_f32_u) = {WR_OP_i32_trunc_f32_u, NUM(N_UN, N_F32, N_I32), -1},
    NUM_AT(i32_trunc_f64_s) = {WR_OP_i32_trunc_f64_s, NUM(N_UN, N_F64, N_I32), -1},
    NUM_AT(i32_trunc_f64_u) = {WR_OP_i32_trunc_f64_u, NUM(N_UN, N_F64, N_I32), -1},
    NUM_AT(i64_extend_i32_s) = {WR_OP_i64_extend_i32_s, NUM(N_UN, N_I32, N_I64), -1},
    NUM_AT(i64_extend_i32_u) = {WR_OP_i64_extend_i32_u, NUM(N_UN, N_I32, N_I64), -1},
    NUM_AT(i64_trunc_f32_s) = {WR_OP_i64_trunc_f32_s, NUM(N_UN, N_F32, N_I64), -1},
    NUM_AT(i64_trunc_f32_u) = {WR_OP_i64_trunc_f32_u, NUM(N_UN, N_F32, N_I64), -1},
    NUM_AT(i64_trunc_f64_s) = {WR_OP_i64_trunc_f64_s, NUM(N_UN, N_F64, N_I64), -1},
    NUM_AT(i64_trunc_f64_u) = {WR_OP_i64_trunc_f64_u, NUM(N_UN, N_F64, N_I64), -1},
    NUM_AT(f32_convert_i32_s) = {WR_OP_f32_convert_i32_s, NUM(N_UN, N_I32, N_F32), -1},
    NUM_AT(f32_convert_i32_u) = {WR_OP_f32_convert_i32_u, NUM(N_UN, N_I32, N_F32), -1},
    NUM_AT(f32_convert_i64_s) = {WR_OP_f32_convert_i64_s, NUM(N_UN, N_I64, N_F32), -1},
    NUM_AT(f32_convert_i64_u) = {WR_OP_f32_convert_i64_u, NUM(N_UN, N_I64, N_F32), -1},
    NUM_AT(f32_demote_f64) = {WR_OP_f32_demote_f64, NUM(N_UN, N_F64, N_F32), -1},
    NUM_AT(f64_convert_i32_s) = {WR_OP_f64_convert_i32_s, NUM(N_UN, N_I32, N_F64), -1},
    NUM_AT(f64_convert_i32_u) = {WR_OP_f64_convert_i32_u, NUM(N_UN, N_I32, N_F64), -1},
    NUM_AT(f64_convert_i64_s) = {WR_OP_f64_convert_i64_s, NUM(N_UN, N_I64, N_F64), -1},
    NUM_AT(f64_convert_i64_u) = {WR_OP_f64_convert_i64_u, NUM(N_UN, N_I64, N_F64), -1},
    NUM_AT(f64_promote_f32) = {WR_OP_f64_promote_f32, NUM(N_UN, N_F32, N_F64), -1},
    NUM_AT(i32_extend8_s) = {WR_OP_i32_extend8_s, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i32_extend16_s) = {WR_OP_i32_extend16_s, NUM(N_UN, N_I32, N_I32), -1},
    NUM_AT(i64_extend8_s) = {WR_OP_i64_extend8_s, NUM(N_UN, N_I64, N_I64), -1},
    NUM_AT(i64_extend16_s) = {WR_OP_i64_extend16_s, NUM(N_UN, N_I64, N_I64), -1},
    NUM_AT(i64_extend32_s) = {WR_OP_i64_extend32_s, NUM(N_UN, N_I64, N_I64), -1},
};

static const numop mem_ops[WASM_OP_i64_store32 + 1 - WASM_OP_i32_load] = {
    MEM_AT(i32_load) = {WR_OP_i32_load, NUM(N_LOAD, N_I32, N_I32), 2},
    MEM_AT(i64_load) = {WR_OP_i64_load, NUM(N_LOAD, N_I64, N_I32), 3},
    MEM_AT(f32_load) = {WR_OP_i32_load, NUM(N_LOAD, N_F32, N_I32), 2},
    MEM_AT(f64_load) = {WR_OP_i64_load, NUM(N_LOAD, N_F64, N_I32), 3},
    MEM_AT(i32_load8_s) = {WR_OP_i32_load8_s, NUM(N_LOAD, N_I32, N_I32), 0},
    MEM_AT(i32_load8_u) = {WR_OP_i32_load8_u, NUM(N_LOAD, N_I32, N_I32), 0},
    MEM_AT(i32_load16_s) = {WR_OP_i32_load16_s, NUM(N_LOAD, N_I32, N_I32), 1},
    MEM_AT(i32_load16_u) = {WR_OP_i32_load16_u, NUM(N_LOAD, N_I32, N_I32), 1},
    MEM_AT(i64_load8_s) = {WR_OP_i64_load8_s, NUM(N_LOAD, N_I64, N_I32), 0},
    MEM_AT(i64_load8_u) = {WR_OP_i64_load8_u, NUM(N_LOAD, N_I64, N_I32), 0},
    MEM_AT(i64_load16_s) = {WR_OP_i64_load16_s, NUM(N_LOAD, N_I64, N_I32), 1},
    MEM_AT(i64_load16_u) = {WR_OP_i64_load16_u, NUM(N_LOAD, N_I64, N_I32), 1},
    MEM_AT(i64_load32_s) = {WR_OP_i64_load32_s, NUM(N_LOAD, N_I64, N_I32), 2},
    MEM_AT(i64_load32_u) = {WR_OP_i64_load32_u, NUM(N_LOAD, N_I64, N_I32), 2},
    MEM_AT(i32_store) = {WR_OP_i32_store, NUM(N_STORE, N_I32, N_I32), 2},
    MEM_AT(i64_store) = {WR_OP_i64_store, NUM(N_STORE, N_I64, N_I32), 3},
    MEM_AT(f32_store) = {WR_OP_i32_store, NUM(N_STORE, N_F32, N_I32), 2},
    MEM_AT(f64_store) = {WR_OP_i64_store, NUM(N_STORE, N_F64, N_I32), 3},
    MEM_AT(i32_store8) = {WR_OP_i32_store8, NUM(N_STORE, N_I32, N_I32), 0},
    MEM_AT(i32_store16) = {WR_OP_i32_store16, NUM(N_STORE, N_I32, N_I32), 1},
    MEM_AT(i64_store8) = {WR_OP_i64_store8, NUM(N_STORE, N_I64, N_I32), 0},
    MEM_AT(i64_store16) = {WR_OP_i64_store16, NUM(N_STORE, N_I64, N_I32), 1},
    MEM_AT(i64_store32) = {WR_OP_i64_store32, NUM(N_STORE, N_I64, N_I32), 2},
};

static wr_status numeric(cc *c, const numop *n)
{
    static const uint8_t vt[4] = {WR_I32, WR_I64, WR_F32, WR_F64};
    uint8_t in = vt[(n->how >> 2) & 3], out = vt[n->how & 3];
    wr_opcode op = (wr_opcode)n->op;
    switch (n->how >> 4) {
    case N_UN: return unop(c, in, op, out);
    case N_IBIN: return ibinop(c, in, op, out, n->extra);
    case N_FBIN: return frr(c, in, op, out);
    case N_LOAD: return load(c, in, op, (uint32_t)n->extra);
    default: return store(c, in, op, (uint32_t)n->extra);
    }
}

/* br_if / if: jumps when cond holds (jump_if_true) or not. Fuses a
 * preceding i32 comparison. Returns the op index; the relative target word
 * is at *word. */
static uint32_t emit_cond_jump(cc *c, cval cond, uint32_t cond_depth, bool jump_if_true,
                               uint32_t *word, bool *back)
{
    /* *back: the target is a loop; set to whether the op polls itself
     * (WR_BACKEDGE: then it targets the loop head past its loop_check) */
    bool bk = back && *back && WR_BACKEDGE && !c->pack_br;
    if (back) *back = bk;
    if (c->lc_valid && c->lc_end == c->nops && c->lc_start >= c->barrier && cond.kind == K_SLOT &&
        cond.slot == c->lc_dst) {
        int cmp = c->lc_cmp;
        bool ri = c->lc_ri;
        int32_t a = c->lc_a, b = c->lc_b;
        unemit(c, c->lc_start);
        if (!jump_if_true) cmp = brcmp_invert[cmp];
        if (c->pack_br && ri && pbyte(a) && pbyte(b)) {
            uint32_t at = emit(c, (wr_opcode)(WR_OP_br_eq_pi + cmp), 2);
            if (!c->oom) OP(c, at + 1)->s.a = a | b << 8;
            *word = (at + 1) | REL_HALF;
            return at;
        }
        uint32_t op = WR_OP_br_eq_rr + 2 * cmp + (ri ? 1 : 0);
#if WR_BACKEDGE
        if (bk) op = WR_OP_br_eq_rr_bk + 2 * cmp + (ri ? 1 : 0);
#endif
        uint32_t at = emit(c, (wr_opcode)op, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = a;
            OP(c, at + 1)->s.b = b;
        }
        *word = at + 2;
        return at;
    }
    int32_t s = src_slot(c, &cond, cond_depth);
    if (c->pack_br) {
        uint32_t at = emit(c, jump_if_true ? WR_OP_br_nz_p : WR_OP_br_z_p, 2);
        if (!c->oom) OP(c, at + 1)->s.a = s;
        *word = (at + 1) | REL_HALF;
        return at;
    }
    uint32_t op = jump_if_true ? WR_OP_br_nz : WR_OP_br_z;
#if WR_BACKEDGE
    if (bk) op = jump_if_true ? WR_OP_br_nz_bk : WR_OP_br_z_bk;
#endif
    uint32_t at = emit(c, (wr_opcode)op, 3);
    if (!c->oom) OP(c, at + 1)->s.a = s;
    *word = at + 2;
    return at;
}

/* ---------------------------------------------------- compile functions */

/* One compile function per instruction or family of instructions, named
 * after it, c_<name> (wasm3's shape: an op table pointing to small compile
 * functions; here compile_op's switch). Each is called with c->p after the
 * opcode (passed as `op` to those that serve several: the opcode byte, for
 * 0xfc ones the u32 after the prefix) and before the immediates: it reads
 * them, validates the instruction against the operand and control stacks
 * (spec A.3) and, while the code is LIVE, emits its ops. */

/* Pushes a constant or a local's value (K_CONST, K_LOCAL: nothing
 * emitted), but a debug translation has every value in its canonical slot
 * at each instruction boundary. */
static wr_status push_lazy(cc *c, cval v)
{
    TRY(push_v(c, v));
    if (c->debug) materialize(c, c->sp - 1);
    return WR_OK;
}

/* Emits a return with the top n values as the results (slots 0..n-1). */
static void emit_return(cc *c, uint32_t n)
{
    if (!LIVE) return;
    if (n > 1)
        for (uint32_t i = c->sp - n; i < c->sp; i++)
            materialize(c, i);
    for (uint32_t i = 0; i < n; i++) {
        cval *v = &c->stk[c->sp - n + i];
        if (v->kind == K_CONST)
            emit_const(c, LSLOT(i), v->bits);
        else
            emit_copy_t(c, v->type, LSLOT(i), v->slot);
    }
    emit(c, WR_OP_ret, 1);
}

/* Keeps a one-value block type (read into *single, a caller's local) in the
 * frame itself. */
static void keep_single(ctrl *f, uint32_t nr, const wr_valtype *rt, const wr_valtype *single)
{
    if (nr == 1 && rt == single) {
        f->single = *single;
        f->res_single = true;
        f->results = NULL;
    }
}

static wr_status read_label(cc *c, ctrl **target)
{
    uint32_t depth;
    TRY(rd_u32(c, &depth));
    if (depth >= c->csp) INVALID("unknown label");
    *target = &c->cs[c->csp - 1 - depth];
    return WR_OK;
}

static wr_status read_table(cc *c, uint32_t *ti)
{
    TRY(rd_u32(c, ti));
    if (*ti >= c->mod->ntables) INVALID("unknown table %" PRIu32, *ti);
    return WR_OK;
}

static wr_status c_unreachable(cc *c)
{
    if (LIVE) emit(c, WR_OP_unreachable, 1);
    set_unreachable(c);
    return WR_OK;
}

/* block and loop: a new frame over the params, which stay in place. */
static wr_status c_block(cc *c, uint32_t op)
{
    uint32_t np, nr;
    const wr_valtype *pt, *rt;
    wr_valtype single = 0;
    TRY(read_blocktype(c, &np, &pt, &nr, &rt, &single));
    TRY(check_top(c, np, pt));
    materialize_all(c);
    TRY(push_ctrl(c, (uint8_t)op, np, pt, nr, rt));
    ctrl *f = &c->cs[c->csp - 1];
    keep_single(f, nr, rt, &single);
    if (op == WASM_OP_loop) {
        if (LIVE) {
            emit(c, WR_OP_loop_check, 1);
            add_sync(c);
        }
        /* branches to the loop re-enter after the check op: the check
         * sits at the head, once per iteration */
        f->loop_ir = c->nops >= 1 && LIVE ? c->nops - 1 : c->nops;
        label_here(c);
    }
    return WR_OK;
}

static wr_status c_if(cc *c)
{
    uint32_t np, nr;
    const wr_valtype *pt, *rt;
    wr_valtype single = 0;
    TRY(read_blocktype(c, &np, &pt, &nr, &rt, &single));
    cval cond;
    TRY(pop_t(c, WR_I32, &cond));
    TRY(check_top(c, np, pt));
    bool live = LIVE;
    /* keep the condition where it is; materialize what stays */
    materialize_all(c);
    uint32_t at = 0, word = 0;
    if (live) at = emit_cond_jump(c, cond, c->sp, false, &word, NULL);
    TRY(push_ctrl(c, WASM_OP_if, np, pt, nr, rt));
    ctrl *f = &c->cs[c->csp - 1];
    keep_single(f, nr, rt, &single);
    if (live) {
        f->has_else_patch = true;
        f->else_patch.op = at;
        f->else_patch.word = word;
    }
    return WR_OK;
}

static wr_status c_else(cc *c)
{
    ctrl *f = &c->cs[c->csp - 1];
    if (f->opcode != WASM_OP_if) MALFORMED("else without if");
    TRY(check_top(c, f->nresults, fres(f)));
    if (c->sp - f->height != f->nresults && !f->unreachable)
        INVALID("type mismatch: block results");
    if (LIVE) {
        for (uint32_t i = 0; i < f->nresults; i++)
            materialize(c, f->height + i);
        TRY(emit_jump(c, f));
    }
    TRY(pop_types(c, f->nresults, fres(f)));
    if (c->sp != f->height) INVALID("type mismatch: values remain at else");
    /* the else arm starts with the params again */
    for (uint32_t i = 0; i < f->nparams; i++)
        TRY(push(c, f->params[i]));
    f->unreachable = false;
    f->opcode = WASM_OP_else;
    label_here(c);
    if (f->has_else_patch && !c->oom) set_rel(c, f->else_patch.word, f->else_patch.op, c->nops);
    f->has_else_patch = false;
    return WR_OK;
}

/* The function's `end`: it returns, and so do the branches to its label.
 * Closes the last frame, which ends translate_body's loop. */
static void end_function(cc *c, ctrl *f)
{
    emit_return(c, f->nresults);
    if (f->npatches > 0) {
        /* branches to the function's label land here with the results in
         * canonical slots 0..n of the operand stack */
        label_here(c);
        resolve_patches(c, f);
        for (uint32_t i = 0; i < f->nresults; i++)
            emit_copy_t(c, fres(f)[i], LSLOT(i), canon(c, i));
        emit(c, WR_OP_ret, 1);
    }
    c->csp--;
}

#if WR_FEATURE_EH
static void try_table_end(cc *c, ctrl *f);
#endif

static wr_status c_end(cc *c)
{
    ctrl *f = &c->cs[c->csp - 1];
    TRY(check_top(c, f->nresults, fres(f)));
    if (c->sp - f->height != f->nresults && !f->unreachable)
        INVALID("type mismatch: block results");
    if (c->sp - f->height > f->nresults) INVALID("type mismatch: block results");
    if (f->opcode == WASM_OP_if) {
        /* if without else: the implicit else passes the params on */
        if (f->nparams != f->nresults) INVALID("type mismatch: if without else");
        for (uint32_t i = 0; i < f->nparams; i++)
            if (!SUBTYPE(c, f->params[i], fres(f)[i])) INVALID("type mismatch: if without else");
    }
#if WR_FEATURE_EH
    if (f->opcode == WASM_OP_try_table) try_table_end(c, f);
#endif
    if (f->opcode == 0x00) {
        end_function(c, f);
        return WR_OK;
    }
    if (LIVE) {
        for (uint32_t i = 0; i < f->nresults && c->sp >= f->height + i + 1; i++)
            materialize(c, f->height + i);
        /* a legacy catch arm's results move down over its exception */
        if (lbase(f) != f->height)
            for (uint32_t i = 0; i < f->nresults; i++)
                emit_copy(c, canon(c, lbase(f) + i), canon(c, f->height + i));
    }
    label_here(c);
    if (f->has_else_patch && !c->oom) set_rel(c, f->else_patch.word, f->else_patch.op, c->nops);
    resolve_patches(c, f);
    uint32_t h = lbase(f);
    uint32_t nr = f->nresults;
    wr_valtype rbuf[1];
    const wr_valtype *rt = f->results;
    if (f->res_single) {
        rbuf[0] = f->single;
        rt = rbuf;
    }
    c->csp--;
    c->sp = h;
    for (uint32_t i = 0; i < nr; i++)
        TRY(push(c, rt[i]));
    return WR_OK;
}

#if WR_FEATURE_EH
/* ------------------------------------------------ exception handling */

/* Appends an entry to the handler table (only counted when measuring). */
static void eh_add(cc *c, const wr_eh *e)
{
    if (!c->measure && !c->oom) {
        if (c->neh >= c->ehcap) {
            c->oom = true; /* the writing pass outgrew the measured size */
            return;
        }
        c->ehs[c->neh] = *e;
    }
    c->neh++;
}

static wr_status read_tag(cc *c, uint32_t *tag, const wr_type **t)
{
    TRY(rd_u32(c, tag));
    if (*tag >= c->mod->ntags) INVALID("unknown tag %" PRIu32, *tag);
    *t = &c->mod->types[c->mod->tags[*tag]];
    return WR_OK;
}

/* A new try or try_table frame: its number, its protected words from here. */
static void try_open(cc *c, ctrl *f)
{
    f->id = c->ntry++;
    f->inner = c->ntry;
    label_here(c);
    f->try_start = c->nops;
}

/* try (legacy): a block whose body the catch clauses that follow protect */
static wr_status c_try(cc *c)
{
    TRY(c_block(c, WASM_OP_try));
    try_open(c, &c->cs[c->csp - 1]);
    return WR_OK;
}

/* The end of a legacy try's body or catch arm, at the next catch: the
 * results to the label's slots and a jump to the end (as c_else). */
static wr_status arm_done(cc *c, ctrl *f)
{
    TRY(check_top(c, f->nresults, fres(f)));
    if (c->sp - f->height != f->nresults && !f->unreachable)
        INVALID("type mismatch: block results");
    if (LIVE) {
        for (uint32_t i = 0; i < f->nresults; i++)
            materialize(c, f->height + i);
        if (lbase(f) != f->height)
            for (uint32_t i = 0; i < f->nresults; i++)
                emit_copy(c, canon(c, lbase(f) + i), canon(c, f->height + i));
        TRY(emit_jump(c, f));
    }
    TRY(pop_types(c, f->nresults, fres(f)));
    if (c->sp != f->height) INVALID("type mismatch: values remain at catch");
    return WR_OK;
}

/* catch x and catch_all (legacy): a new arm, where the caught exception
 * lands: its exnref in the slot at the try's label height (rethrow's), the
 * tag's payload above it. */
static wr_status c_catch(cc *c, bool all)
{
    ctrl *f = &c->cs[c->csp - 1];
    uint32_t tag = WR_EH_ALL;
    const wr_type *t = NULL;
    if (!all) TRY(read_tag(c, &tag, &t));
    if (f->opcode == WASM_OP_catch_all) MALFORMED("catch after catch_all");
    if (f->opcode != WASM_OP_try && f->opcode != WASM_OP_catch) MALFORMED("catch without try");
    uint32_t lb = lbase(f);
    TRY(arm_done(c, f));
    if (f->opcode == WASM_OP_try) f->try_end = c->nops; /* the body ends at the first catch */
    c->sp = lb;
    f->opcode = all ? WASM_OP_catch_all : WASM_OP_catch;
    f->height = lb + 1;
    f->unreachable = false;
    label_here(c);
    if (!f->dead) {
        wr_eh e = {f->try_start, f->try_end, c->nops, tag,        canon(c, lb + 1),
                   canon(c, lb), f->id,      0,       WR_EH_CATCH};
        eh_add(c, &e);
    }
    TRY(push(c, WR_EXNREF)); /* below the arm's height: only rethrow reads it */
    for (uint32_t i = 0; t && i < t->nparams; i++)
        TRY(push(c, WR_TPARAMS(t)[i]));
    return WR_OK;
}

/* delegate l (legacy): ends the try; what its body throws goes on to the
 * handlers around label l, passing over the tries in between. */
static wr_status c_delegate(cc *c)
{
    ctrl *f = &c->cs[c->csp - 1];
    uint32_t depth;
    TRY(rd_u32(c, &depth));
    if (f->opcode != WASM_OP_try) MALFORMED("delegate without try");
    if (depth >= c->csp - 1) INVALID("unknown label");
    const ctrl *l = &c->cs[c->csp - 2 - depth];
    if (!f->dead) {
        wr_eh e = {f->try_start, c->nops, 0, 0, -1, -1, f->id, l->inner, WR_EH_DELEGATE};
        eh_add(c, &e);
    }
    return c_end(c);
}

/* throw x: the payload from the canonical slots of the args */
static wr_status c_throw(cc *c)
{
    uint32_t tag;
    const wr_type *t;
    TRY(read_tag(c, &tag, &t));
    TRY(check_top(c, t->nparams, WR_TPARAMS(t)));
    materialize_all(c);
    TRY(pop_types(c, t->nparams, WR_TPARAMS(t)));
    if (LIVE) {
        uint32_t at = emit(c, WR_OP_throw, 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, c->sp);
            OP(c, at + 1)->s.b = (int32_t)tag;
        }
    }
    set_unreachable(c);
    return WR_OK;
}

/* throw_ref, and rethrow l (the exception its catch arm holds) */
static wr_status c_throw_ref(cc *c, bool rethrow)
{
    int32_t slot = 0;
    if (rethrow) {
        ctrl *target;
        TRY(read_label(c, &target));
        if (target->opcode != WASM_OP_catch && target->opcode != WASM_OP_catch_all)
            INVALID("invalid rethrow label");
        slot = canon(c, lbase(target));
    } else {
        cval v;
        TRY(pop_t(c, WR_EXNREF, &v));
        if (LIVE) slot = src_slot(c, &v, c->sp);
    }
    if (LIVE) {
        uint32_t at = emit(c, WR_OP_throw_ref, 2);
        if (!c->oom) OP(c, at + 1)->s.a = slot;
    }
    set_unreachable(c);
    return WR_OK;
}

/* try_table: each catch clause gets a stub that branches to its label
 * (jumped over on entry); a caught exception's values are put in the
 * label's slots and execution goes on at the stub. The clauses wait in
 * cc.pend until the block's end closes the range. */
static wr_status c_try_table(cc *c)
{
    uint32_t np, nr, n;
    const wr_valtype *pt, *rt;
    wr_valtype single = 0;
    TRY(read_blocktype(c, &np, &pt, &nr, &rt, &single));
    TRY(rd_u32(c, &n));
    if (n > (uint32_t)(c->end - c->p)) MALFORMED("unexpected end of section or function");
    bool live = LIVE;
    uint32_t over = 0, pend0 = c->npend;
    if (live && n) over = emit(c, WR_OP_br, 2);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t kind = 0;
        TRY(rd_u8(c, &kind));
        if (kind > 3) MALFORMED("malformed catch clause kind %u", kind);
        uint32_t tag = WR_EH_ALL;
        const wr_type *t = NULL;
        if (kind < 2) TRY(read_tag(c, &tag, &t));
        ctrl *target; /* labels of the context around the try_table */
        TRY(read_label(c, &target));
        uint32_t nv = t ? t->nparams : 0, ref = kind & 1;
        const wr_valtype *lt = label_types(target);
        if (label_arity(target) != nv + ref) INVALID("type mismatch: catch clause label arity");
        for (uint32_t k = 0; k < nv; k++)
            if (!SUBTYPE(c, WR_TPARAMS(t)[k], lt[k]))
                INVALID("type mismatch: catch clause label types");
        /* the caught exception is a (ref exn) */
        if (ref && !SUBTYPE(c, WR_EXNREF | (WR_FEATURE_FUNCREFS ? WR_VT_NONNULL : 0), lt[nv]))
            INVALID("type mismatch: catch clause needs an exnref");
        if (!live) continue;
        uint32_t stub = c->nops;
        TRY(emit_jump(c, target));
        uint32_t lb = lbase(target);
        wr_eh e = {0, 0, stub, tag, canon(c, lb), ref ? canon(c, lb + nv) : -1, 0, 0, WR_EH_CATCH};
        c->npend++;
        if (c->measure) continue;
        if (!grow((void **)&c->pend, &c->pendcap, c->npend, sizeof(wr_eh))) {
            c->oom = true;
            return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
        }
        c->pend[c->npend - 1] = e;
    }
    if (live && n && !c->oom) set_rel(c, over + 1, over, c->nops);
    TRY(check_top(c, np, pt));
    materialize_all(c);
    TRY(push_ctrl(c, WASM_OP_try_table, np, pt, nr, rt));
    ctrl *f = &c->cs[c->csp - 1];
    keep_single(f, nr, rt, &single);
    f->pend_base = pend0;
    try_open(c, f);
    return WR_OK;
}

/* A try_table's end: its clauses join the handler table, with its range. */
static void try_table_end(cc *c, ctrl *f)
{
    for (uint32_t k = f->pend_base; k < c->npend; k++) {
        wr_eh e;
        memset(&e, 0, sizeof e);
        if (!c->measure && !c->oom) e = c->pend[k];
        e.start = f->try_start;
        e.end = c->nops;
        e.id = f->id;
        eh_add(c, &e);
    }
    c->npend = f->pend_base;
}
#endif

static wr_status c_br(cc *c)
{
    ctrl *target;
    TRY(read_label(c, &target));
    uint32_t n = label_arity(target);
    const wr_valtype *lt = label_types(target);
    TRY(check_top(c, n, lt));
    if (LIVE) {
        if (n > 0 && c->sp >= n) emit_label_copies(c, target, n);
        TRY(emit_jump(c, target));
    }
    TRY(pop_types(c, n, lt));
    set_unreachable(c);
    return WR_OK;
}

/* br_if's branch: straight to the label when its values are in place,
 * else around a block of copies and a jump. */
static wr_status emit_br_if(cc *c, ctrl *target, cval cond, uint32_t n)
{
    uint32_t cond_depth = c->sp;
    /* materialize what stays below so both paths agree */
    for (uint32_t i = 0; i < c->sp - n; i++)
        materialize(c, i);
    uint32_t word;
    if (!(n > 0 && label_needs_copies(c, target, n))) {
        bool back = target->opcode == WASM_OP_loop;
        uint32_t at = emit_cond_jump(c, cond, cond_depth, true, &word, &back);
        if (!c->oom) {
            if (target->opcode == WASM_OP_loop)
                set_rel(c, word, at, target->loop_ir + (back ? 1 : 0));
            else
                TRY(add_patch(c, target, at, word));
        }
        return WR_OK;
    }
    uint32_t at = emit_cond_jump(c, cond, cond_depth, false, &word, NULL);
    emit_label_copies(c, target, n);
    TRY(emit_jump(c, target));
    label_here(c);
    if (!c->oom) set_rel(c, word, at, c->nops);
    return WR_OK;
}

static wr_status c_br_if(cc *c)
{
    ctrl *target;
    TRY(read_label(c, &target));
    uint32_t n = label_arity(target);
    const wr_valtype *lt = label_types(target);
    cval cond;
    TRY(pop_t(c, WR_I32, &cond));
    TRY(check_top(c, n, lt));
    if (LIVE) TRY(emit_br_if(c, target, cond, n));
    /* br_if's results are the label's types; the values stay where they
     * are on the fall-through path. check_top made sure that the top n
     * entries exist and have these types or none (unknown). */
    for (uint32_t i = 0; i < n; i++)
        c->stk[c->sp - n + i].type = lt[i];
    return WR_OK;
}

/* Reads br_table's labels into depths (count + 1 of them) and checks them
 * and the operands (the index into *idx, the labels' arity into *arity). */
static wr_status br_table_check(cc *c, uint32_t count, uint32_t *depths, cval *idx, uint32_t *arity)
{
    for (uint32_t i = 0; i <= count; i++) {
        TRY(rd_u32(c, &depths[i]));
        if (depths[i] >= c->csp) INVALID("unknown label");
    }
    TRY(pop_t(c, WR_I32, idx));
    *arity = label_arity(&c->cs[c->csp - 1 - depths[count]]);
    for (uint32_t i = 0; i <= count; i++) {
        ctrl *t = &c->cs[c->csp - 1 - depths[i]];
        if (label_arity(t) != *arity) INVALID("type mismatch: br_table arity");
        TRY(check_top(c, *arity, label_types(t)));
    }
    return WR_OK;
}

static wr_status br_table_emit(cc *c, uint32_t count, const uint32_t *depths, cval idx,
                               uint32_t arity)
{
    int32_t is = src_slot(c, &idx, c->sp);
    if (count > (uint32_t)WR_HALF_MAX)
        return bad(c, WR_ERR_LIMIT, "br_table of %" PRIu32 " labels; this runtime allows %d", count,
                   WR_HALF_MAX);
    uint32_t at = emit(c, WR_OP_br_table, 2 + count + 1);
    if (!c->oom) {
        OP(c, at + 1)->s.a = is;
        OP(c, at + 1)->s.b = (int32_t)count;
    }
    /* each entry: jump straight to the label, or to a stub that copies the
     * values first */
    for (uint32_t i = 0; i <= count && !c->oom; i++) {
        ctrl *t = &c->cs[c->csp - 1 - depths[i]];
        if (arity > 0 && label_needs_copies(c, t, arity)) {
            OP(c, at + 2 + i)->i = (int64_t)c->nops - (int64_t)at;
            emit_label_copies(c, t, arity);
            TRY(emit_jump(c, t));
        } else if (t->opcode == WASM_OP_loop) {
            OP(c, at + 2 + i)->i = (int64_t)t->loop_ir - (int64_t)at;
        } else {
            TRY(add_patch(c, t, at, at + 2 + i));
        }
    }
    return WR_OK;
}

static wr_status c_br_table(cc *c)
{
    uint32_t count;
    TRY(rd_u32(c, &count));
    if (count > (uint32_t)(c->end - c->p)) MALFORMED("unexpected end of section or function");
    uint32_t *depths = malloc(((size_t)count + 1) * sizeof(uint32_t));
    if (!depths) return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    cval idx;
    uint32_t arity = 0;
    wr_status st = br_table_check(c, count, depths, &idx, &arity);
    if (st == WR_OK && LIVE) st = br_table_emit(c, count, depths, idx, arity);
    free(depths);
    TRY(st);
    set_unreachable(c);
    return WR_OK;
}

static wr_status c_return(cc *c)
{
    ctrl *f = &c->cs[0];
    TRY(check_top(c, f->nresults, fres(f)));
    emit_return(c, f->nresults);
    set_unreachable(c);
    return WR_OK;
}

/* After a call: its return point is a sync point, its results are pushed,
 * and the callee's frame (from base, with its params and results) must fit
 * this one's. `extra` counts call_indirect's element index slot. */
static wr_status call_done(cc *c, const wr_type *t, uint32_t base, uint32_t extra)
{
    if (LIVE) {
        add_sync(c);
        label_here(c);
    }
    for (uint32_t i = 0; i < t->nresults; i++)
        TRY(push(c, WR_TRESULTS(t)[i]));
    if (base + t->nparams + extra > c->max_depth) c->max_depth = base + t->nparams + extra;
    return WR_OK;
}

/* return_call, return_call_indirect: the callee's results must be the
 * function's (Wasm 3.0: they are what it returns). */
static wr_status tail_type(cc *c, const wr_type *t)
{
    const ctrl *f = &c->cs[0];
#if WR_FEATURE_FUNCREFS
    bool ok = t->nresults == f->nresults;
    for (uint32_t i = 0; ok && i < t->nresults; i++)
        ok = SUBTYPE(c, WR_TRESULTS(t)[i], fres(f)[i]);
    if (!ok) INVALID("type mismatch: the tail call's results are not the function's");
#else
    if (t->nresults != f->nresults ||
        (t->nresults && memcmp(t->results, fres(f), t->nresults * sizeof *t->results)))
        INVALID("type mismatch: the tail call's results are not the function's");
#endif
    return WR_OK;
}

/* After a tail call: nothing follows (the callee's frame replaced
 * this one), but its args (from base) must fit this frame. */
static wr_status tail_done(cc *c, const wr_type *t, uint32_t base, uint32_t extra)
{
    if (base + t->nparams + extra > c->max_depth) c->max_depth = base + t->nparams + extra;
    set_unreachable(c);
    return WR_OK;
}

/* call and return_call (`tail`) */
static wr_status c_call(cc *c, bool tail)
{
    uint32_t fi;
    TRY(rd_u32(c, &fi));
    if (fi >= c->mod->nfuncs) INVALID("unknown function %" PRIu32, fi);
    const wr_type *t = &c->mod->types[c->mod->funcs[fi].type_index];
    if (tail) TRY(tail_type(c, t));
    TRY(check_top(c, t->nparams, WR_TPARAMS(t)));
    materialize_all(c);
    TRY(pop_types(c, t->nparams, WR_TPARAMS(t)));
    uint32_t base = c->sp;
    if (LIVE && fi < c->mod->nfunc_imports) {
        uint32_t at = emit(c, tail ? WR_OP_return_call_import : WR_OP_call_import, 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, base);
            OP(c, at + 1)->s.b = (int32_t)fi;
        }
    } else if (LIVE) {
        /* the callee's wr_code, made now if it has none (not while
         * measuring: validating a body makes nothing) */
        wr_code *callee = c->measure ? NULL : wr_code_get(c->mod, fi);
        if (!c->measure && !callee) return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
        uint32_t at = emit(c, tail ? WR_OP_return_call : WR_OP_call, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, base);
            OP(c, at + 2)->p = callee;
        }
    }
    return tail ? tail_done(c, t, base, 0) : call_done(c, t, base, 0);
}

/* call_indirect and return_call_indirect (`tail`) */
static wr_status c_call_indirect(cc *c, bool tail)
{
    uint32_t ti, tab;
    TRY(rd_u32(c, &ti));
    TRY(rd_u32(c, &tab));
    if (tab >= c->mod->ntables) INVALID("unknown table %" PRIu32, tab);
    if (ti >= c->mod->ntypes) INVALID("unknown type %" PRIu32, ti);
    if (c->mod->tables[tab].elem != WR_FUNCREF) INVALID("type mismatch: table is not funcref");
    const wr_type *t = &c->mod->types[ti];
    if (tail) TRY(tail_type(c, t));
    cval e;
    TRY(pop_t(c, WR_I32, &e));
    TRY(check_top(c, t->nparams, WR_TPARAMS(t)));
    uint32_t edepth = c->sp;
    materialize_all(c);
    int32_t es = 0;
    if (LIVE) es = src_slot(c, &e, edepth); /* the element index goes above the args' slots */
    TRY(pop_types(c, t->nparams, WR_TPARAMS(t)));
    uint32_t base = c->sp;
    if (LIVE) {
        uint32_t at = emit(c, tail ? WR_OP_return_call_indirect : WR_OP_call_indirect, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, base);
            OP(c, at + 1)->s.b = (int32_t)ti;
            OP(c, at + 2)->s.a = (int32_t)tab;
            OP(c, at + 2)->s.b = es;
        }
    }
    return tail ? tail_done(c, t, base, 1) : call_done(c, t, base, 1);
}

static wr_status c_drop(cc *c)
{
    cval v;
    return pop_any(c, &v);
}

/* select's result type: select_t's immediate, or for the plain select the
 * operands' (numeric) type. */
static wr_status select_type(cc *c, uint32_t op, const cval *a, const cval *b, uint8_t *rt)
{
    if (op != WASM_OP_select) return WR_OK;
    if ((a->type != T_UNKNOWN && !is_num(a->type) && !IS_V128(a->type)) ||
        (b->type != T_UNKNOWN && !is_num(b->type) && !IS_V128(b->type)))
        INVALID("type mismatch: select needs numeric operands");
    if (a->type != T_UNKNOWN && b->type != T_UNKNOWN && a->type != b->type)
        INVALID("type mismatch: select operands differ");
    *rt = a->type != T_UNKNOWN ? a->type : b->type;
    return WR_OK;
}

/* select and select_t */
static wr_status c_select(cc *c, uint32_t op)
{
    uint8_t want = T_UNKNOWN;
    if (op == WASM_OP_select_t) {
        uint32_t n;
        TRY(rd_u32(c, &n));
        if (n != 1) INVALID("invalid result arity");
        TRY(rd_u8(c, &want));
        if (want == WR_V128 && WR_VSLOTS == 1)
            INVALID("SIMD (v128) is not supported in this build");
        if (!is_num(want) && !is_ref(want) && !IS_V128(want)) MALFORMED("malformed value type");
    }
    cval cond, b, a;
    TRY(pop_t(c, WR_I32, &cond));
    TRY(pop_t(c, want, &b));
    TRY(pop_t(c, want, &a));
    uint8_t rt = want;
    TRY(select_type(c, op, &a, &b, &rt));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t as = src_slot(c, &a, d);
        int32_t bs = src_slot(c, &b, d + 1);
        int32_t cs = src_slot(c, &cond, d + 2);
        uint32_t at = emit(c, WR_OP_select, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = cs;
            OP(c, at + 2)->s.a = as;
            OP(c, at + 2)->s.b = bs;
        }
        note_dst(c, at, canon(c, d));
#ifdef WR_FEATURE_SIMD
        if (rt == WR_V128) { /* the upper halves (the first select wrote none of them) */
            at = emit(c, WR_OP_select, 3);
            if (!c->oom) {
                OP(c, at + 1)->s.a = canon(c, d) + 1;
                OP(c, at + 1)->s.b = cs;
                OP(c, at + 2)->s.a = as + 1;
                OP(c, at + 2)->s.b = bs + 1;
            }
        }
#endif
    }
    return push(c, rt);
}

static wr_status read_local(cc *c, uint32_t *li)
{
    TRY(rd_u32(c, li));
    if (*li >= c->nlocals) INVALID("unknown local %" PRIu32, *li);
    return WR_OK;
}

static wr_status c_local_get(cc *c)
{
    uint32_t li;
    TRY(read_local(c, &li));
    cval v = {ltype(c, li), K_LOCAL, LSLOT(li), 0};
    return push_lazy(c, v);
}

/* Stores v into local ls: the op that just produced v writes the local
 * instead (the local.set peephole), or a copy. */
static void set_local(cc *c, int32_t ls, cval v)
{
    bool refs = false;
    for (uint32_t i = 0; i < c->sp; i++)
        if (c->stk[i].kind == K_LOCAL && c->stk[i].slot == ls) refs = true;
    if (!refs && v.kind == K_SLOT && c->ld_valid && c->ld_end == c->nops &&
        c->ld_start >= c->barrier && c->ld_slot == v.slot && !c->oom) {
        OP(c, c->ld_word)->s.a = ls; /* retarget the producer */
#if WR_ACC
        if (c->ac_valid && c->ac_start == c->ld_start) c->ac_slot = ls;
#endif
        c->ld_valid = false;
        c->lc_valid = false;
        if (WR_ADDR_FUSE) c->la_valid = false;
        return;
    }
    materialize_local(c, ls);
    if (v.kind == K_CONST)
        emit_const(c, ls, v.bits);
    else
        emit_copy_t(c, ltype(c, (uint32_t)ls / WR_VSLOTS), ls, v.slot);
}

/* local.set and local.tee */
static wr_status c_local_set(cc *c, uint32_t op)
{
    uint32_t li;
    TRY(read_local(c, &li));
    cval v;
    TRY(pop_t(c, ltype(c, li), &v));
    if (LIVE) set_local(c, LSLOT(li), v);
    if (op != WASM_OP_local_tee) return WR_OK;
    cval nv = {ltype(c, li), K_LOCAL, LSLOT(li), 0};
    if (!LIVE) nv.kind = K_SLOT;
    return push_lazy(c, nv);
}

/* global.get/set of a v128 global: their own ops (two slots) */
#ifdef WR_FEATURE_SIMD
#define SIMD_GLOBAL(c, gi, op)                                                                     \
    ((c)->mod->globals[gi].type.type == WR_V128 ? WR_OP_v128_##op : WR_OP_##op)
#else
#define SIMD_GLOBAL(c, gi, op) WR_OP_##op
#endif

static wr_status read_global(cc *c, uint32_t *gi)
{
    TRY(rd_u32(c, gi));
    if (*gi >= c->mod->nglobals) INVALID("unknown global %" PRIu32, *gi);
    return WR_OK;
}

static wr_status c_global_get(cc *c)
{
    uint32_t gi;
    TRY(read_global(c, &gi));
    uint32_t d = c->sp;
    if (LIVE) {
        uint32_t at = emit(c, SIMD_GLOBAL(c, gi, global_get), 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = (int32_t)gi;
        }
        note_dst(c, at, canon(c, d));
    }
    return push(c, (uint8_t)c->mod->globals[gi].type.type);
}

static wr_status c_global_set(cc *c)
{
    uint32_t gi;
    TRY(read_global(c, &gi));
    if (!c->mod->globals[gi].type.mut) INVALID("global is immutable");
    cval v;
    TRY(pop_t(c, (uint8_t)c->mod->globals[gi].type.type, &v));
    if (LIVE) {
        int32_t vs = src_slot(c, &v, c->sp);
        uint32_t at = emit(c, SIMD_GLOBAL(c, gi, global_set), 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = vs;
            OP(c, at + 1)->s.b = (int32_t)gi;
        }
    }
    return WR_OK;
}

static wr_status c_table_get(cc *c)
{
    uint32_t ti, at = 0;
    TRY(read_table(c, &ti));
    uint8_t in[1] = {WR_I32};
    TRY(generic(c, WR_OP_table_get, 3, 1, in, (uint8_t)c->mod->tables[ti].elem, &at));
    if (LIVE && !c->oom) OP(c, at + 2)->s.a = (int32_t)ti; /* w2.a: the table */
    return WR_OK;
}

static wr_status c_table_set(cc *c)
{
    uint32_t ti, at = 0;
    TRY(read_table(c, &ti));
    uint8_t in[2] = {WR_I32, (uint8_t)c->mod->tables[ti].elem};
    TRY(generic(c, WR_OP_table_set, 3, 2, in, 0, &at));
    /* generic filled w1 and w2.a; move the table index into w2.a */
    if (LIVE && !c->oom) OP(c, at + 2)->s.a = (int32_t)ti;
    return WR_OK;
}

static wr_status c_memory_size(cc *c)
{
    TRY(zero_byte(c));
    TRY(need_memory(c));
    return generic(c, WR_OP_memory_size, 2, 0, NULL, WR_I32, NULL);
}

static wr_status c_memory_grow(cc *c)
{
    TRY(zero_byte(c));
    TRY(need_memory(c));
    uint8_t in[1] = {WR_I32};
    return generic(c, WR_OP_memory_grow, 2, 1, in, WR_I32, NULL);
}

static wr_status c_i32_const(cc *c)
{
    uint64_t v;
    TRY(rd_leb(c, &v, 32, true));
    cval cv = {WR_I32, K_CONST, 0, (uint32_t)v};
    return push_lazy(c, cv);
}

static wr_status c_i64_const(cc *c)
{
    uint64_t v;
    TRY(rd_leb(c, &v, 64, true));
    cval cv = {WR_I64, K_CONST, 0, v};
    return push_lazy(c, cv);
}

static wr_status c_f32_const(cc *c)
{
    if (c->end - c->p < 4) MALFORMED("unexpected end of section or function");
    uint32_t bits;
    memcpy(&bits, c->p, 4);
    c->p += 4;
    cval cv = {WR_F32, K_CONST, 0, bits};
    return push_lazy(c, cv);
}

static wr_status c_f64_const(cc *c)
{
    if (c->end - c->p < 8) MALFORMED("unexpected end of section or function");
    uint64_t bits;
    memcpy(&bits, c->p, 8);
    c->p += 8;
    cval cv = {WR_F64, K_CONST, 0, bits};
    return push_lazy(c, cv);
}

/* The loads and stores (mem_ops) and the numeric instructions (num_ops:
 * all of i32.eqz .. i64.extend32_s but the reinterpretations). One
 * function for both, called from one place, so that the compiler inlines
 * numeric() as before (a frame less on the device's stack). */
static wr_status c_numeric(cc *c, uint32_t op)
{
    if (op <= WASM_OP_i64_store32) return numeric(c, &mem_ops[op - WASM_OP_i32_load]);
    return numeric(c, &num_ops[op - WASM_OP_i32_eqz]);
}

/* The reinterpretations: slots hold bits, so only the type changes. */
static wr_status c_reinterpret(cc *c, uint32_t op)
{
    static const uint8_t from[4] = {WR_F32, WR_F64, WR_I32, WR_I64};
    static const uint8_t to[4] = {WR_I32, WR_I64, WR_F32, WR_F64};
    cval v;
    TRY(pop_t(c, from[op - WASM_OP_i32_reinterpret_f32], &v));
    v.type = to[op - WASM_OP_i32_reinterpret_f32];
    return push_v(c, v);
}

static wr_status c_ref_null(cc *c)
{
#if WR_FEATURE_FUNCREFS
    uint32_t t = 0;
    TRY(rd_heap(c, &t)); /* (ref null ht) */
#else
    uint8_t t = 0;
    TRY(rd_u8(c, &t));
    if (!is_ref(t)) MALFORMED("malformed reference type");
#endif
    cval cv = {t, K_CONST, 0, 0};
    return push_lazy(c, cv);
}

static wr_status c_ref_is_null(cc *c)
{
    cval v;
    TRY(pop_any(c, &v));
    if (v.type != T_UNKNOWN && !is_ref(v.type)) INVALID("type mismatch: expected a reference");
    v.type = WR_I64; /* a null reference is the all-zero slot */
    TRY(push_v(c, v));
    return unop(c, WR_I64, WR_OP_i64_eqz, WR_I32);
}

static wr_status c_ref_func(cc *c)
{
    uint32_t fi;
    TRY(rd_u32(c, &fi));
    if (fi >= c->mod->nfuncs) INVALID("unknown function %" PRIu32, fi);
    if (!c->mod->func_declared || !c->mod->func_declared[fi])
        INVALID("undeclared function reference");
    uint32_t d = c->sp;
    if (LIVE) {
        uint32_t at = emit(c, WR_OP_ref_func, 2);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = (int32_t)fi;
        }
        note_dst(c, at, canon(c, d));
    }
#if WR_FEATURE_FUNCREFS
    /* (ref $t) of its type */
    uint32_t ti = c->mod->funcs[fi].type_index;
    if (ti + 1 < (1u << (31 - WR_VT_IDX_SHIFT)))
        return push(c, WR_FUNCREF | WR_VT_NONNULL | (ti + 1) << WR_VT_IDX_SHIFT);
#endif
    return push(c, WR_FUNCREF);
}

/* ------------------------------------------------ the 0xfc instructions */

/* i32/i64.trunc_sat_f32/f64_s/u: sub-opcodes 0..7 in WR_UNOPS' order, the
 * result i64 from 4 on, the operand f64 for 2, 3, 6, 7. */
_Static_assert(WR_OP_i64_trunc_sat_f64_u == WR_OP_i32_trunc_sat_f32_s + 7,
               "trunc_sat ops out of the 0xfc order");
static wr_status c_trunc_sat(cc *c, uint32_t sub)
{
    return unop(c, sub & 2 ? WR_F64 : WR_F32, (wr_opcode)(WR_OP_i32_trunc_sat_f32_s + sub),
                sub & 4 ? WR_I64 : WR_I32);
}

static const uint8_t three_i32[3] = {WR_I32, WR_I32, WR_I32};

static wr_status c_memory_init(cc *c)
{
    uint32_t seg, at = 0;
    TRY(rd_u32(c, &seg));
    TRY(zero_byte(c));
    TRY(need_memory(c));
    TRY(check_data_seg(c, seg));
    TRY(generic(c, WR_OP_memory_init, 3, 3, three_i32, 0, &at));
    if (LIVE && !c->oom) OP(c, at + 2)->s.b = (int32_t)seg;
    return WR_OK;
}

static wr_status c_data_drop(cc *c)
{
    uint32_t seg;
    TRY(rd_u32(c, &seg));
    TRY(check_data_seg(c, seg));
    if (LIVE) {
        uint32_t at = emit(c, WR_OP_data_drop, 2);
        if (!c->oom) OP(c, at + 1)->s.a = (int32_t)seg;
    }
    return WR_OK;
}

static wr_status c_memory_copy(cc *c)
{
    TRY(zero_byte(c));
    TRY(zero_byte(c));
    TRY(need_memory(c));
    return generic(c, WR_OP_memory_copy, 3, 3, three_i32, 0, NULL);
}

static wr_status c_memory_fill(cc *c)
{
    TRY(zero_byte(c));
    TRY(need_memory(c));
    return generic(c, WR_OP_memory_fill, 3, 3, three_i32, 0, NULL);
}

/* table.init seg table */
static wr_status c_table_init(cc *c)
{
    uint32_t seg, ti, at = 0;
    TRY(rd_u32(c, &seg));
    TRY(rd_u32(c, &ti));
    if (ti >= c->mod->ntables) INVALID("unknown table %" PRIu32, ti);
    if (seg >= c->mod->nelems) INVALID("unknown elem segment %" PRIu32, seg);
    if (c->mod->elems[seg].type != c->mod->tables[ti].elem) INVALID("type mismatch: table.init");
    TRY(generic(c, WR_OP_table_init, 4, 3, three_i32, 0, &at));
    if (LIVE && !c->oom) {
        OP(c, at + 2)->s.b = (int32_t)ti;
        OP(c, at + 3)->s.a = (int32_t)seg;
    }
    return WR_OK;
}

static wr_status c_elem_drop(cc *c)
{
    uint32_t seg;
    TRY(rd_u32(c, &seg));
    if (seg >= c->mod->nelems) INVALID("unknown elem segment %" PRIu32, seg);
    if (LIVE) {
        uint32_t at = emit(c, WR_OP_elem_drop, 2);
        if (!c->oom) OP(c, at + 1)->s.a = (int32_t)seg;
    }
    return WR_OK;
}

/* table.copy dst src */
static wr_status c_table_copy(cc *c)
{
    uint32_t td, ts, at = 0;
    TRY(rd_u32(c, &td));
    TRY(rd_u32(c, &ts));
    if (td >= c->mod->ntables) INVALID("unknown table %" PRIu32, td);
    if (ts >= c->mod->ntables) INVALID("unknown table %" PRIu32, ts);
    if (c->mod->tables[td].elem != c->mod->tables[ts].elem) INVALID("type mismatch: table.copy");
    TRY(generic(c, WR_OP_table_copy, 4, 3, three_i32, 0, &at));
    if (LIVE && !c->oom) {
        OP(c, at + 2)->s.b = (int32_t)td;
        OP(c, at + 3)->s.a = (int32_t)ts;
    }
    return WR_OK;
}

/* w1={dst,init} w2={table,n} */
static wr_status c_table_grow(cc *c)
{
    uint32_t ti;
    TRY(read_table(c, &ti));
    cval n, init;
    TRY(pop_t(c, WR_I32, &n));
    TRY(pop_t(c, (uint8_t)c->mod->tables[ti].elem, &init));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t is = src_slot(c, &init, d);
        int32_t ns = src_slot(c, &n, d + 1);
        uint32_t at = emit(c, WR_OP_table_grow, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = canon(c, d);
            OP(c, at + 1)->s.b = is;
            OP(c, at + 2)->s.a = (int32_t)ti;
            OP(c, at + 2)->s.b = ns;
        }
        note_dst(c, at, canon(c, d));
    }
    return push(c, WR_I32);
}

static wr_status c_table_size(cc *c)
{
    uint32_t ti, at = 0;
    TRY(read_table(c, &ti));
    TRY(generic(c, WR_OP_table_size, 3, 0, NULL, WR_I32, &at));
    if (LIVE && !c->oom) OP(c, at + 2)->s.a = (int32_t)ti;
    return WR_OK;
}

/* w1={i,val} w2={table,n} */
static wr_status c_table_fill(cc *c)
{
    uint32_t ti;
    TRY(read_table(c, &ti));
    cval n, val, i;
    TRY(pop_t(c, WR_I32, &n));
    TRY(pop_t(c, (uint8_t)c->mod->tables[ti].elem, &val));
    TRY(pop_t(c, WR_I32, &i));
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t is = src_slot(c, &i, d);
        int32_t vs = src_slot(c, &val, d + 1);
        int32_t ns = src_slot(c, &n, d + 2);
        uint32_t at = emit(c, WR_OP_table_fill, 3);
        if (!c->oom) {
            OP(c, at + 1)->s.a = is;
            OP(c, at + 1)->s.b = vs;
            OP(c, at + 2)->s.a = (int32_t)ti;
            OP(c, at + 2)->s.b = ns;
        }
    }
    return WR_OK;
}

/* ------------------------------------------------------- the op tables */

/* The compile function of each 0xfc sub-opcode. */
static wr_status c_prefix_fc(cc *c)
{
    uint32_t sub;
    TRY(rd_u32(c, &sub));
    switch (sub) {
    case WASM_OP_FC_i32_trunc_sat_f32_s:
    case WASM_OP_FC_i32_trunc_sat_f32_u:
    case WASM_OP_FC_i32_trunc_sat_f64_s:
    case WASM_OP_FC_i32_trunc_sat_f64_u:
    case WASM_OP_FC_i64_trunc_sat_f32_s:
    case WASM_OP_FC_i64_trunc_sat_f32_u:
    case WASM_OP_FC_i64_trunc_sat_f64_s:
    case WASM_OP_FC_i64_trunc_sat_f64_u: return c_trunc_sat(c, sub);
    case WASM_OP_FC_memory_init: return c_memory_init(c);
    case WASM_OP_FC_data_drop: return c_data_drop(c);
    case WASM_OP_FC_memory_copy: return c_memory_copy(c);
    case WASM_OP_FC_memory_fill: return c_memory_fill(c);
    case WASM_OP_FC_table_init: return c_table_init(c);
    case WASM_OP_FC_elem_drop: return c_elem_drop(c);
    case WASM_OP_FC_table_copy: return c_table_copy(c);
    case WASM_OP_FC_table_grow: return c_table_grow(c);
    case WASM_OP_FC_table_size: return c_table_size(c);
    case WASM_OP_FC_table_fill: return c_table_fill(c);
    default: MALFORMED("illegal opcode 0xfc %" PRIu32, sub);
    }
}

/* Fixed-width SIMD (0xfd): validated by the table's signatures (sig, see
 * wdb/wasm_ops.h) and translated to the generic ops of wr_code.h (simd,
 * simd_shuffle, simd_mem; v128.const as two consts). Without
 * WR_FEATURE_SIMD every one is refused. */
static wr_status c_prefix_fd(cc *c)
{
#ifndef WR_FEATURE_SIMD
    c->p--;
    INVALID("SIMD (v128) is not supported in this build");
#else
    const uint8_t *at_op = c->p - 1;
    uint32_t sub;
    TRY(rd_u32(c, &sub));
    const char *sig;
    unsigned imm, align;
    switch (sub) {
#define FD_CASE(code, id, name, imm_, align_, flags, traps, sig_)                                  \
    case code:                                                                                     \
        sig = sig_;                                                                                \
        imm = WF_IMM_##imm_;                                                                       \
        align = align_;                                                                            \
        break;
        WASM_OPS_FD(FD_CASE)
#undef FD_CASE
    default: c->p = at_op; MALFORMED("illegal opcode 0xfd %" PRIu32, sub);
    }
    /* immediates */
    uint32_t offset = 0, lane = 0;
    uint8_t bytes[16];
    if (imm == WF_IMM_MEMARG || imm == WF_IMM_MEMARG_LANE) TRY(read_memarg(c, align, &offset));
    if (imm == WF_IMM_LANE || imm == WF_IMM_MEMARG_LANE) {
        uint8_t l = 0;
        TRY(rd_u8(c, &l));
        if (l >= 16u >> align) INVALID("invalid lane index");
        lane = l;
    }
    if (imm == WF_IMM_V128 || imm == WF_IMM_SHUFFLE) {
        if (c->end - c->p < 16) MALFORMED("unexpected end of section or function");
        memcpy(bytes, c->p, 16);
        c->p += 16;
        if (imm == WF_IMM_SHUFFLE)
            for (int i = 0; i < 16; i++)
                if (bytes[i] >= 32) INVALID("invalid lane index");
    }
    /* operands: the letters before '_', popped last first */
    static const char letters[] = "ilfdv";
    static const uint8_t types[] = {WR_I32, WR_I64, WR_F32, WR_F64, WR_V128};
    uint32_t nin = (uint32_t)(strchr(sig, '_') - sig);
    cval in[3];
    for (uint32_t k = nin; k-- > 0;)
        TRY(pop_t(c, types[strchr(letters, sig[k]) - letters], &in[k]));
    char out = sig[nin + 1];
    uint32_t d = c->sp;
    if (LIVE) {
        int32_t s[3] = {0, 0, 0};
        for (uint32_t k = 0; k < nin; k++)
            s[k] = src_slot(c, &in[k], d + k);
        int32_t dst = canon(c, d);
        uint32_t at;
        if (imm == WF_IMM_V128) {
            uint64_t lo, hi;
            memcpy(&lo, bytes, 8);
            memcpy(&hi, bytes + 8, 8);
            emit_const(c, dst, lo);
            emit_const(c, dst + 1, hi);
        } else if (imm == WF_IMM_SHUFFLE) {
            at = emit(c, WR_OP_simd_shuffle, 3 + 16 / sizeof(wr_op));
            if (!c->oom) {
                OP(c, at + 1)->s.a = dst;
                OP(c, at + 1)->s.b = s[0];
                OP(c, at + 2)->s.a = s[1];
                if (!c->measure) memcpy(OP(c, at + 3), bytes, 16);
            }
            note_dst(c, at, dst);
        } else if (imm == WF_IMM_MEMARG || imm == WF_IMM_MEMARG_LANE) {
            /* w1={value (dst of loads), addr} w2=offset w3={vector in, sub | lane << 8} */
            at = emit(c, WR_OP_simd_mem, 4);
            if (!c->oom) {
                OP(c, at + 1)->s.a = out ? dst : s[1];
                OP(c, at + 1)->s.b = s[0];
                OP(c, at + 2)->u = offset;
                OP(c, at + 3)->s.a = nin > 1 ? s[1] : 0;
                OP(c, at + 3)->s.b = (int32_t)(sub | lane << 8);
            }
            if (out) note_dst(c, at, dst);
        } else {
            /* w1={dst,a} w2={b,c} w3={sub,lane} */
            at = emit(c, WR_OP_simd, 4);
            if (!c->oom) {
                OP(c, at + 1)->s.a = dst;
                OP(c, at + 1)->s.b = s[0];
                OP(c, at + 2)->s.a = s[1];
                OP(c, at + 2)->s.b = s[2];
                OP(c, at + 3)->s.a = (int32_t)sub;
                OP(c, at + 3)->s.b = (int32_t)lane;
            }
            note_dst(c, at, dst);
        }
    }
    if (!out) return WR_OK;
    return push(c, types[strchr(letters, out) - letters]);
#endif
}

/* The op table: the compile function of each opcode (c->p after it). A
 * switch, not an array of function pointers: the compiler inlines the
 * functions it calls once, so the firmware carries no table of pointers
 * (1 KiB on the device) nor a prologue per function; measured at 1.4 KiB
 * of flash more for the array. The numeric instructions, loads and stores
 * share one, c_numeric, which reads num_ops/mem_ops. Case ranges are GNU
 * C, which gcc and clang take. */
static wr_status compile_op(cc *c, uint8_t op)
{
    switch (op) {
    case WASM_OP_unreachable: return c_unreachable(c);
    case WASM_OP_nop: return WR_OK;
    case WASM_OP_block:
    case WASM_OP_loop: return c_block(c, op);
    case WASM_OP_if: return c_if(c);
#if WR_FEATURE_EH
    case WASM_OP_try: return c_try(c);
    case WASM_OP_catch: return c_catch(c, false);
    case WASM_OP_catch_all: return c_catch(c, true);
    case WASM_OP_throw: return c_throw(c);
    case WASM_OP_rethrow: return c_throw_ref(c, true);
    case WASM_OP_throw_ref: return c_throw_ref(c, false);
    case WASM_OP_delegate: return c_delegate(c);
    case WASM_OP_try_table: return c_try_table(c);
#else
    case WASM_OP_try ... WASM_OP_throw_ref:
    case WASM_OP_delegate:
    case WASM_OP_catch_all:
    case WASM_OP_try_table: INVALID(WR_NO_EH);
#endif
    case WASM_OP_else: return c_else(c);
    case WASM_OP_end: return c_end(c);
    case WASM_OP_br: return c_br(c);
    case WASM_OP_br_if: return c_br_if(c);
    case WASM_OP_br_table: return c_br_table(c);
    case WASM_OP_return: return c_return(c);
    case WASM_OP_call:
    case WASM_OP_return_call: return c_call(c, op == WASM_OP_return_call);
    case WASM_OP_call_indirect:
    case WASM_OP_return_call_indirect:
        return c_call_indirect(c, op == WASM_OP_return_call_indirect);
    case WASM_OP_drop: return c_drop(c);
    case WASM_OP_select:
    case WASM_OP_select_t: return c_select(c, op);
    case WASM_OP_local_get: return c_local_get(c);
    case WASM_OP_local_set:
    case WASM_OP_local_tee: return c_local_set(c, op);
    case WASM_OP_global_get: return c_global_get(c);
    case WASM_OP_global_set: return c_global_set(c);
    case WASM_OP_table_get: return c_table_get(c);
    case WASM_OP_table_set: return c_table_set(c);
    case WASM_OP_memory_size: return c_memory_size(c);
    case WASM_OP_memory_grow: return c_memory_grow(c);
    case WASM_OP_i32_const: return c_i32_const(c);
    case WASM_OP_i64_const: return c_i64_const(c);
    case WASM_OP_f32_const: return c_f32_const(c);
    case WASM_OP_f64_const: return c_f64_const(c);
    case WASM_OP_i32_reinterpret_f32 ... WASM_OP_f64_reinterpret_i64: return c_reinterpret(c, op);
    case WASM_OP_i32_load ... WASM_OP_i64_store32:
    case WASM_OP_i32_eqz ... WASM_OP_f64_promote_f32:
    case WASM_OP_i32_extend8_s ... WASM_OP_i64_extend32_s: return c_numeric(c, op);
    case WASM_OP_ref_null: return c_ref_null(c);
    case WASM_OP_ref_is_null: return c_ref_is_null(c);
    case WASM_OP_ref_func: return c_ref_func(c);
    case WASM_OP_PREFIX_FC: return c_prefix_fc(c);
    case WASM_OP_PREFIX_FD: return c_prefix_fd(c);
    default: MALFORMED("illegal opcode 0x%02x", op);
    }
}

/* ------------------------------------------------------------ the body */

/* Translates (or measures) the body: the entry op, then each instruction
 * by its compile function (in a debug translation after a `dbg` op, with
 * the operand stack materialized), until the function's `end` closes the
 * last frame; then the frame size. */
static wr_status translate_body(cc *c)
{
    const wr_type *ft = c->ftype;
    TRY(push_ctrl(c, 0x00, 0, NULL, ft->nresults, WR_TRESULTS(ft)));
    /* entry op */
    c->cur_off = (uint32_t)(c->p - c->bytes) - c->mod->code_section_offset;
    uint32_t enter_at = emit(c, WR_OP_enter, 3);
    add_sync(c);
    label_here(c);

    while (c->csp > 0) {
        if (c->oom) return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
        if (c->p >= c->end) MALFORMED("unexpected end of section or function");
        c->cur_off = (uint32_t)(c->p - c->bytes) - c->mod->code_section_offset;
        if (c->debug && LIVE) {
            materialize_all(c);
            emit(c, WR_OP_dbg, 1);
            label_here(c);
        }
        uint8_t op = *c->p++;
        TRY(compile_op(c, op));
    }
    if (c->p != c->end) MALFORMED("section size mismatch: code after the function's end");
    if (c->oom) return wr_fail(c->err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    /* the function's frame: locals + operand stack */
    uint64_t slots = ((uint64_t)c->nlocals + c->max_depth + 1) * WR_VSLOTS;
    if (slots > 0x7fffffff) INVALID("function frame too large");
    if (slots > (uint64_t)WR_HALF_MAX) /* 32-bit targets: slots are 16-bit halves */
        return bad(c, WR_ERR_LIMIT, "function frame of %" PRIu64 " slots; this runtime allows %d",
                   slots, WR_HALF_MAX);
    c->frame_slots = (uint32_t)slots;
    OP(c, enter_at + 1)->s.a = (int32_t)slots;
    OP(c, enter_at + 1)->s.b = LSLOT(c->nlocals);
    OP(c, enter_at + 2)->s.a = LSLOT(c->nparams);
#ifdef WR_FEATURE_SIMD
    /* a v128 local: `enter` zeroes both its slots */
    bool v128 = false;
    for (uint32_t i = c->nparams; i < c->nlocals; i++)
        v128 |= ltype(c, i) == WR_V128;
    OP(c, enter_at + 2)->s.b = v128;
#endif
    return WR_OK;
}

/* One run of the translator over a body. P_MEASURE (o NULL): validates and
 * fills *sz with what writing needs. P_WRITE: the ops into o's block, made
 * with the sizes in *sz, and for a debug translation its pc map and sync
 * points. P_MAP: only the pc map and sync points (o->ops untouched), for a
 * normal translation that keeps none. P_VALIDATE: P_MEASURE without the pc
 * map's sizes (validation at load). The frame's slot count goes to *slots. */
typedef struct wr_sizes {
    uint32_t nops, npc, pcbytes, nmarks, nsyncs, neh;
} wr_sizes;

enum { P_MEASURE, P_WRITE, P_MAP, P_VALIDATE };

/* The translator's working arrays, kept from one body to the next while a
 * module's bodies are validated (mod->scratch): a body then costs no
 * allocation. */
struct wr_scratch {
    cval *stk;
    ctrl *cs;
    wr_ltype *decl;
    uint32_t scap, ccap, dcap;
};

void wr_scratch_free(wr_module *mod)
{
    if (!mod->scratch) return;
    free(mod->scratch->stk);
    free(mod->scratch->cs);
    free(mod->scratch->decl);
    free(mod->scratch);
    mod->scratch = NULL;
}

static wr_status pass(wr_module *mod, uint32_t func_index, bool debug, int mode, wr_ops *o,
                      wr_sizes *sz, uint32_t *slots, wr_error *err)
{
    wr_func_decl *fd = &mod->funcs[func_index];
    const wr_type *ft = &mod->types[fd->type_index];
    cc c;
    memset(&c, 0, sizeof c);
    c.mod = mod;
    c.fidx = func_index;
    c.debug = debug;
    c.err = err;
    c.bytes = mod->bytes;
    c.p = mod->bytes + fd->code_start;
    c.end = mod->bytes + fd->body_end;
    c.ftype = ft;
    c.h = wr_interp_handlers();
    c.nparams = ft->nparams;
    c.measure = mode != P_WRITE;
    c.map = mode == P_MAP || (mode == P_WRITE && debug);
    c.nopc = mode == P_VALIDATE;
    c.pack_br = PACKING(&c) && !(fd->code && fd->code->long_branches);
    if (mode == P_WRITE || mode == P_MAP) {
        c.ops = o->ops;
        c.opcap = sz->nops;
        c.pcbytes = o->pcmap;
        c.npccap = sz->npc;
        c.pccap = sz->pcbytes;
        c.marks = o->marks;
        c.markcap = sz->nmarks;
        c.depths = o->depths;
        c.syncs = o->syncs;
        c.synccap = sz->nsyncs;
#if WR_FEATURE_EH
        c.ehs = o->eh;
        c.ehcap = sz->neh;
#endif
    }
    uint64_t nl = (uint64_t)ft->nparams + fd->nlocals;
#ifdef WR_TRACE
    wr_scratch *xs = mode == P_VALIDATE ? mod->scratch : NULL;
#else
    wr_scratch *xs = NULL; /* the firmware's modules are small: it saves the flash */
#endif
    wr_status st;
    if (nl > 0x10000000) {
        st = wr_fail(err, WR_ERR_MALFORMED, SEC, fd->body_start, "too many locals");
        goto done;
    }
    c.nlocals = (uint32_t)nl;
    if (xs) {
        c.stk = xs->stk;
        c.scap = xs->scap;
        c.cs = xs->cs;
        c.ccap = xs->ccap;
        if (grow((void **)&xs->decl, &xs->dcap, fd->nlocals + 1, sizeof(wr_ltype)))
            c.decl_types = xs->decl;
    } else {
        c.decl_types = malloc((fd->nlocals ? fd->nlocals : 1) * sizeof(wr_ltype));
    }
    if (!c.decl_types) {
        st = wr_fail(err, WR_ERR_NOMEM, SEC, 0, "out of memory");
        goto done;
    }
    if (fd->nlocals) wr_func_local_types(mod, fd, c.decl_types, 0);
    st = translate_body(&c);
    if (st == WR_OK && (mode == P_WRITE || mode == P_MAP) &&
        (c.nops != sz->nops || c.npc != sz->npc || c.pcpos != sz->pcbytes ||
         c.nsyncs != sz->nsyncs))
        st = wr_fail(err, WR_ERR_NOMEM, SEC, 0,
                     "translation outgrew its measure"); /* cannot happen */
    if (st == WR_OK) {
        sz->nops = c.nops;
        sz->npc = c.npc;
        sz->pcbytes = c.pcpos;
        sz->nmarks = c.nmarks;
        sz->nsyncs = c.nsyncs;
#if WR_FEATURE_EH
        sz->neh = c.neh;
#endif
        *slots = c.frame_slots;
    }
done:
#if WR_FEATURE_EH
    free(c.pend);
#endif
    free(c.patches);
    if (xs) {
        xs->stk = c.stk;
        xs->scap = c.scap;
        xs->cs = c.cs;
        xs->ccap = c.ccap;
    } else {
        free(c.cs);
        free(c.stk);
        free(c.decl_types);
    }
    return st;
}

wr_status wr_translate(wr_module *mod, uint32_t func_index, bool debug, wr_ops *out, wr_error *err)
{
    wr_sizes sz;
    uint32_t slots;
    memset(&sz, 0, sizeof sz);
    memset(out, 0, sizeof *out);
    TRY(pass(mod, func_index, debug, P_MEASURE, NULL, &sz, &slots, err));
    wr_code *code = mod->funcs[func_index].code;
    if (WR_PACK && !debug && sz.nops > WR_PACK_BR_MAX && code && !code->long_branches) {
        /* a packed branch's 16-bit target may not reach: translate without */
        code->long_branches = true;
        memset(&sz, 0, sizeof sz);
        TRY(pass(mod, func_index, debug, P_MEASURE, NULL, &sz, &slots, err));
    }
    wr_sizes want = sz; /* what the writing pass checks its counts against */
    if (!debug) {       /* the pc map and sync points are rebuilt when needed (wr_code_ops_of) */
        sz.npc = sz.pcbytes = sz.nmarks = sz.nsyncs = 0;
    }
    /* one block: ops (the most aligned) | handlers | syncs | depths | marks | pc map */
    size_t at_syncs = (size_t)sz.nops * sizeof(wr_op);
#if WR_FEATURE_EH
    size_t at_eh = at_syncs;
    at_syncs += (size_t)sz.neh * sizeof(wr_eh);
#endif
    size_t at_depths = at_syncs + (size_t)sz.nsyncs * sizeof(uint32_t);
    size_t at_marks = at_depths + (debug ? (size_t)sz.npc * sizeof(uint32_t) : 0);
    size_t at_pc = at_marks + (size_t)sz.nmarks * sizeof(wr_pcmark);
    uint8_t *block = malloc(at_pc + sz.pcbytes);
    if (!block) return wr_fail(err, WR_ERR_NOMEM, SEC, 0, "out of memory");
    out->ops = (wr_op *)(void *)block;
    out->syncs = (uint32_t *)(void *)(block + at_syncs);
    out->depths = debug ? (uint32_t *)(void *)(block + at_depths) : NULL;
    out->marks = (wr_pcmark *)(void *)(block + at_marks);
    out->pcmap = block + at_pc;
#if WR_FEATURE_EH
    out->eh = (wr_eh *)(void *)(block + at_eh);
    out->neh = sz.neh;
#endif
    wr_status st = pass(mod, func_index, debug, P_WRITE, out, &want, &slots, err);
    if (st != WR_OK) {
        free(block);
        memset(out, 0, sizeof *out);
        return st;
    }
    out->nops = sz.nops;
    out->npc = sz.npc;
    out->nsyncs = sz.nsyncs;
    out->debug = debug;
    if (!debug) {
        out->pcmap = NULL;
        out->marks = NULL;
        out->syncs = NULL;
    }
    return WR_OK;
}

void wr_ops_release(wr_ops *o)
{
    free(o->ops); /* the whole block */
    memset(o, 0, sizeof *o);
}

wr_status wr_compile_function(wr_module *mod, uint32_t func_index, wr_error *err)
{
    /* validation: the translator measuring, nothing kept but the frame size */
    wr_sizes sz;
    memset(&sz, 0, sizeof sz);
#ifdef WR_TRACE /* host builds; the firmware (small modules) saves the flash */
    if (!mod->scratch) mod->scratch = calloc(1, sizeof *mod->scratch); /* else without */
#endif
    return pass(mod, func_index, false, P_VALIDATE, NULL, &sz, &mod->funcs[func_index].frame_slots,
                err);
}

wr_code *wr_code_get(wr_module *mod, uint32_t func_index)
{
    wr_func_decl *fd = &mod->funcs[func_index];
    if (fd->code) return fd->code;
    wr_code *code = calloc(1, sizeof *code);
    if (!code) return NULL;
    const wr_type *ft = &mod->types[fd->type_index];
    code->mod = mod;
    code->func_index = func_index;
    code->type = ft;
    code->nlocals = ft->nparams + fd->nlocals;
    code->frame_slots = fd->frame_slots;
    code->lazy.h = WR_HANDLER(wr_interp_handlers(), WR_OP_lazy);
    code->active = &code->lazy;
    fd->code = code;
    return code;
}

wr_status wr_code_make_normal(wr_code *code, wr_error *err)
{
    if (code->normal.ops) return WR_OK;
    wr_ops o;
    TRY(wr_translate(code->mod, code->func_index, false, &o, err));
    code->normal.ops = o.ops;
    code->normal.nops = o.nops;
#if WR_FEATURE_EH
    code->normal_eh = o.eh;
    code->normal_neh = o.neh;
#endif
    if (code->active == &code->lazy) code->active = code->normal.ops;
    return WR_OK;
}

void wr_code_use_normal(wr_code *code)
{
    code->active = code->normal.ops ? code->normal.ops : &code->lazy;
}

bool wr_code_runs_normal(const wr_code *code)
{
    return code->active == &code->lazy || (code->normal.ops && code->active == code->normal.ops);
}

wr_status wr_code_make_debug(wr_code *code, wr_error *err)
{
    if (code->dbg) return WR_OK;
    wr_ops *o = calloc(1, sizeof *o);
    if (!o) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    wr_status st = wr_translate(code->mod, code->func_index, true, o, err);
    if (st != WR_OK) {
        free(o);
        return st;
    }
    code->dbg = o;
    return WR_OK;
}

void wr_code_free(struct wr_code *code)
{
    if (!code) return;
    free(code->normal.ops);
    if (code->dbg) {
        wr_ops_release(code->dbg);
        free(code->dbg);
    }
    free(code);
}

/* ------------------------------------------------------------ pc map */

static uint32_t get_leb(const uint8_t *p, uint32_t *pos)
{
    uint32_t v = 0;
    for (unsigned sh = 0; sh < 35; sh += 7) {
        uint8_t b = p[(*pos)++];
        v |= (uint32_t)(b & 0x7f) << sh;
        if (!(b & 0x80)) break;
    }
    return v;
}

/* Decodes the entry after *pc from pc->pos, given the previous entry's
 * irb (its ir + 1, 0 for none) and offset. */
static void pc_decode(const wr_ops *o, wr_pc *pc, uint32_t irb, uint32_t off)
{
    uint8_t b = o->pcmap[pc->pos++];
    uint32_t dir, doff;
    if (b < 0xe0) {
        dir = b >> 5;
        doff = b & 31;
    } else {
        dir = get_leb(o->pcmap, &pc->pos);
        doff = get_leb(o->pcmap, &pc->pos);
    }
    pc->ir = irb + dir;
    pc->off = off + doff;
}

bool wr_pc_next(const wr_ops *o, wr_pc *pc)
{
    if (pc->i + 1 >= o->npc) return false;
    pc_decode(o, pc, pc->ir + 1, pc->off);
    pc->i++;
    return true;
}

/* Positions *pc at entry m * WR_PC_STRIDE: mark m, or the first entry. */
static void pc_start(const wr_ops *o, uint32_t m, wr_pc *pc)
{
    if (m > 0) {
        pc->i = m * WR_PC_STRIDE;
        pc->ir = o->marks[m - 1].ir;
        pc->off = o->marks[m - 1].off;
        pc->pos = o->marks[m - 1].pos;
        return;
    }
    pc->i = 0;
    pc->pos = 0;
    pc_decode(o, pc, 0, 0);
}

bool wr_pc_seek_ir(const wr_ops *o, uint32_t ir, wr_pc *pc)
{
    if (!o->npc) return false;
    /* the last marked entry (or the first) starting at or before ir */
    uint32_t lo = 0, hi = (o->npc - 1) / WR_PC_STRIDE;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (o->marks[mid - 1].ir <= ir)
            lo = mid;
        else
            hi = mid - 1;
    }
    pc_start(o, lo, pc);
    return wr_pc_seek_ir_from(o, ir, pc);
}

bool wr_pc_seek_ir_from(const wr_ops *o, uint32_t ir, wr_pc *pc)
{
    if (pc->ir > ir) return false;
    wr_pc next = *pc;
    while (wr_pc_next(o, &next) && next.ir <= ir)
        *pc = next;
    return true;
}

bool wr_pc_seek_off(const wr_ops *o, uint32_t off, wr_pc *pc)
{
    if (!o->npc) return false;
    /* the last marked entry whose offset is below off: all before it are too */
    uint32_t lo = 0, hi = (o->npc - 1) / WR_PC_STRIDE;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (o->marks[mid - 1].off < off)
            lo = mid;
        else
            hi = mid - 1;
    }
    pc_start(o, lo, pc);
    while (pc->off < off)
        if (!wr_pc_next(o, pc)) return false;
    return true;
}

uint32_t wr_ops_offset_at(const wr_ops *o, uint32_t ir)
{
    wr_pc pc;
    return wr_pc_seek_ir(o, ir, &pc) ? pc.off : 0;
}

void wr_pc_cache_free(wr_module *mod)
{
    free(mod->pc_cache); /* one block with its maps */
    mod->pc_cache = NULL;
}

/* The pc map and sync points of code's normal translation, which keeps
 * none: a measuring run of the translator and a mapping one (the same
 * one-pass translation, so the same words) rebuild them into the module's
 * cache, which holds one function's (the last asked for: a trap, a frame
 * lookup, the debugger's; deep recursion asks for the same one again).
 * NULL without memory. */
const wr_ops *wr_code_normal_map(const wr_code *code)
{
    wr_module *mod = code->mod;
    wr_ops *m = mod->pc_cache;
    if (!code->normal.ops) return NULL;
    if (m && m->ops == code->normal.ops) return m;
    wr_pc_cache_free(mod);
    wr_sizes sz;
    uint32_t slots;
    memset(&sz, 0, sizeof sz);
    if (pass(mod, code->func_index, false, P_MEASURE, NULL, &sz, &slots, NULL) != WR_OK)
        return NULL;
    /* one block: the wr_ops | syncs | marks | pc map */
    size_t at_syncs = sizeof(wr_ops);
    size_t at_marks = at_syncs + (size_t)sz.nsyncs * sizeof(uint32_t);
    size_t at_pc = at_marks + (size_t)sz.nmarks * sizeof(wr_pcmark);
    uint8_t *block = malloc(at_pc + sz.pcbytes);
    if (!block) return NULL;
    m = (wr_ops *)(void *)block;
    memset(m, 0, sizeof *m);
    m->ops = code->normal.ops;
    m->syncs = (uint32_t *)(void *)(block + at_syncs);
    m->marks = (wr_pcmark *)(void *)(block + at_marks);
    m->pcmap = block + at_pc;
    wr_sizes want = sz;
    if (pass(mod, code->func_index, false, P_MAP, m, &want, &slots, NULL) != WR_OK ||
        sz.nops != code->normal.nops) {
        free(block);
        return NULL;
    }
    m->nops = sz.nops;
    m->npc = sz.npc;
    m->nsyncs = sz.nsyncs;
    mod->pc_cache = m;
    return m;
}

const wr_ops *wr_code_ops_of(const wr_code *code, const wr_op *ip)
{
    if (code->normal.ops && ip >= code->normal.ops && ip < code->normal.ops + code->normal.nops)
        return wr_code_normal_map(code);
    if (code->dbg && ip >= code->dbg->ops && ip < code->dbg->ops + code->dbg->nops)
        return code->dbg;
    return NULL;
}
