/*
 * The interpreter: direct-threaded dispatch over the internal code of
 * wr_code.h (computed goto; GCC and Clang).
 *
 * Registers of the loop: ip (current op), fp (frame base), mem/memsize
 * (linear memory 0 of the current instance), csp (call stack). Everything a
 * debugger needs is reachable from them and saved into wr_interp before any
 * slow path (SAVE), then reloaded (LOAD) because a debugger may move the
 * frame into another translation of the same function.
 *
 * Cost of debuggability on the fast path: one load and test of the store's
 * poll word at function entry and at loop heads (on 64-bit hosts, in the
 * back-edge branch ops: WR_BACKEDGE); nothing else. `dbg` and
 * `brk` ops exist only in debug translations (see wr_code.h).
 */
#include "wr_interp.h"
#ifdef WR_TRACE
#include "wr_trace.h"
#endif

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t i32;
typedef int64_t i64;
typedef float f32;
typedef double f64;

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* ------------------------------------------------------ value helpers */

static inline f32 bits_f32(u32 b)
{
    f32 f;
    memcpy(&f, &b, 4);
    return f;
}
static inline f64 bits_f64(u64 b)
{
    f64 f;
    memcpy(&f, &b, 8);
    return f;
}
static inline u32 f32_bits(f32 f)
{
    u32 b;
    memcpy(&b, &f, 4);
    return b;
}
static inline u64 f64_bits(f64 f)
{
    u64 b;
    memcpy(&b, &f, 8);
    return b;
}

#define RD_u32(x) ((u32)(x))
#define RD_u64(x) ((u64)(x))
#define RD_i32(x) ((i32)(u32)(x))
#define RD_i64(x) ((i64)(x))
#define RD_f32(x) bits_f32((u32)(x))
#define RD_f64(x) bits_f64(x)
#define WV_u32(x) ((u64)(u32)(x))
#define WV_u64(x) ((u64)(x))
#define WV_i32(x) ((u64)(u32)(i32)(x))
#define WV_i64(x) ((u64)(i64)(x))
#define WV_f32(x) ((u64)f32_bits(x))
#define WV_f64(x) f64_bits(x)
/* Results into slots. A 32-bit result (i32, f32) under WR_PACK writes
 * only the slot's low word: the upper half of a 32-bit value's slot is
 * then unspecified, which every reader allows (they read 32-bit values
 * with RD_u32/RD_i32/RD_f32 or (u32), and copies move the whole slot).
 * On a 32-bit core that is one store instead of an address computation
 * and two; elsewhere the upper half is zeroed as before. */
#if WR_PACK && UINTPTR_MAX > 0xffffffffu
/* a 64-bit host running the packed layout (wdb-spectest-packed): the
 * upper half gets a poison, so that the spec suite fails if anything
 * reads it */
#define SET32(slot, v) ((slot) = (u64)0xa5a5a5a5u << 32 | (u32)(v))
#elif WR_PACK
#define SET32(slot, v)                                                                             \
    do {                                                                                           \
        u32 set32_ = (u32)(v);                                                                     \
        memcpy(&(slot), &set32_, 4); /* the low word: little-endian */                             \
    } while (0)
#else
#define SET32(slot, v) ((slot) = (u64)(u32)(v))
#endif
#define ST_u32(slot, x) SET32(slot, x)
#define ST_i32(slot, x) SET32(slot, (i32)(x))
#define ST_f32(slot, x) SET32(slot, f32_bits(x))
#define ST_u64(slot, x) ((slot) = WV_u64(x))
#define ST_i64(slot, x) ((slot) = WV_i64(x))
#define ST_f64(slot, x) ((slot) = WV_f64(x))

/* Helpers that several handlers share: inline on 64-bit hosts (speed), one
 * out-of-line copy on 32-bit targets, where flash is scarce and the float
 * ones are library calls anyway. */
#if UINTPTR_MAX > 0xffffffffu
#define WR_SHARED static inline
#else
#define WR_SHARED static __attribute__((noinline))
#endif

static inline u32 wr_rotl32(u32 a, u32 b)
{
    b &= 31;
    return (a << b) | (a >> ((32 - b) & 31));
}
static inline u32 wr_rotr32(u32 a, u32 b)
{
    b &= 31;
    return (a >> b) | (a << ((32 - b) & 31));
}
WR_SHARED u64 wr_rotl64(u64 a, u64 b)
{
    b &= 63;
    return (a << b) | (a >> ((64 - b) & 63));
}
WR_SHARED u64 wr_rotr64(u64 a, u64 b)
{
    b &= 63;
    return (a >> b) | (a << ((64 - b) & 63));
}
static inline u32 wr_clz32(u32 a)
{
    return a ? (u32)__builtin_clz(a) : 32;
}
static inline u32 wr_ctz32(u32 a)
{
    return a ? (u32)__builtin_ctz(a) : 32;
}
static inline u64 wr_clz64(u64 a)
{
    return a ? (u64)__builtin_clzll(a) : 64;
}
static inline u64 wr_ctz64(u64 a)
{
    return a ? (u64)__builtin_ctzll(a) : 64;
}

static inline u32 wr_ld16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
static inline u32 wr_ld32(const uint8_t *p)
{
    u32 v;
    memcpy(&v, p, 4);
    return v;
}
static inline u64 wr_ld64(const uint8_t *p)
{
    u64 v;
    memcpy(&v, p, 8);
    return v;
}

/* ceil, floor, trunc, nearest (k = 0..3; spec 4.3.3 fceil etc.). libm's
 * functions may return a signalling NaN unchanged; Wasm wants an
 * arithmetic (quiet) NaN out. */
WR_SHARED f64 wr_fround64(f64 a, unsigned k)
{
    if (a != a) return a + a;
    switch (k) {
    case 0: return ceil(a);
    case 1: return floor(a);
    case 2: return trunc(a);
    default: return nearbyint(a);
    }
}
#if UINTPTR_MAX > 0xffffffffu
static inline f32 wr_fround32(f32 a, unsigned k)
{
    if (a != a) return a + a;
    switch (k) {
    case 0: return ceilf(a);
    case 1: return floorf(a);
    case 2: return truncf(a);
    default: return nearbyintf(a);
    }
}
#else
/* through f64: the integral results of an f32 are f32 values, exactly,
 * and a NaN stays a quiet NaN with its payload's top bits */
static inline f32 wr_fround32(f32 a, unsigned k)
{
    return (f32)wr_fround64(a, k);
}
#endif

/* Wasm min/max: NaN in, NaN out; -0 < +0 (spec 4.3.3 fmin/fmax). */
WR_SHARED f64 wr_fmin(f64 a, f64 b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f64_bits(a) >> 63 ? a : b;
    return a < b ? a : b;
}
WR_SHARED f64 wr_fmax(f64 a, f64 b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f64_bits(a) >> 63 ? b : a;
    return a > b ? a : b;
}
#if UINTPTR_MAX > 0xffffffffu
static inline f32 wr_fminf(f32 a, f32 b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f32_bits(a) & 0x80000000u ? a : b;
    return a < b ? a : b;
}
static inline f32 wr_fmaxf(f32 a, f32 b)
{
    if (a != a || b != b) return a + b;
    if (a == b) return f32_bits(a) & 0x80000000u ? b : a;
    return a > b ? a : b;
}
#else
/* f32 through f64: exact both ways for numbers and zeros, and a NaN stays
 * a quiet NaN with its payload's top bits */
static inline f32 wr_fminf(f32 a, f32 b)
{
    return (f32)wr_fmin(a, b);
}
static inline f32 wr_fmaxf(f32 a, f32 b)
{
    return (f32)wr_fmax(a, b);
}
#endif

/* How a trapping truncation of x to integer kind k (0 i32_s, 1 i32_u, 2
 * i64_s, 3 i64_u) traps (spec 4.3.3 trunc): NaN is an invalid conversion,
 * out of range an overflow, WR_TRAP_NONE when x converts. The bounds are
 * exclusive; an f32 argument converts to f64 exactly, so one check serves
 * both (the i64_s bound is the f64 below -2^63). */
WR_SHARED wr_trap_kind wr_trunc_trap(f64 x, unsigned k)
{
    static const f64 lo[4] = {-2147483649.0, -1.0, -9223372036854777856.0, -1.0};
    static const f64 hi[4] = {2147483648.0, 4294967296.0, 9223372036854775808.0,
                              18446744073709551616.0};
    if (x != x) return WR_TRAP_INVALID_CONVERSION;
    if (!(x > lo[k] && x < hi[k])) return WR_TRAP_INT_OVERFLOW;
    return WR_TRAP_NONE;
}

/* Saturating truncations (spec 4.3.3 trunc_sat). */
WR_SHARED i32 wr_sat_i32(f64 x)
{
    if (x != x) return 0;
    if (x < -2147483648.0) return INT32_MIN;
    if (x >= 2147483648.0) return INT32_MAX;
    return (i32)x;
}
WR_SHARED u32 wr_sat_u32(f64 x)
{
    if (x != x || x <= -1.0) return 0;
    if (x >= 4294967296.0) return UINT32_MAX;
    return (u32)x;
}
WR_SHARED i64 wr_sat_i64(f64 x)
{
    if (x != x) return 0;
    if (x < -9223372036854775808.0) return INT64_MIN;
    if (x >= 9223372036854775808.0) return INT64_MAX;
    return (i64)x;
}
WR_SHARED u64 wr_sat_u64(f64 x)
{
    if (x != x || x <= -1.0) return 0;
    if (x >= 18446744073709551616.0) return UINT64_MAX;
    return (u64)x;
}

#ifdef WR_FEATURE_SIMD
#include "wr_simd.c" /* its lanes use the helpers above */
#endif

/* call_indirect's check: the callee's type matches the expected one
 * (inst: the caller's, whose store knows the canonical types) */
static bool type_eq(const wr_instance *inst, const wr_type *a, const wr_type *b)
{
    if (a == b) return true;
#if WR_FEATURE_FUNCREFS
    if (unlikely(a->canon | b->canon)) return wr_type_match(inst->store, a, b);
#else
    (void)inst;
#endif
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           !memcmp(a->params, b->params, a->nparams * sizeof(wr_valtype)) &&
           !memcmp(a->results, b->results, a->nresults * sizeof(wr_valtype));
}

/* ------------------------------------------------------- host funnel */

/* Runs host function f: slots holds the args and receives the results. */
static wr_status host_call_raw(wr_func *f, wr_instance *caller, uint64_t *slots)
{
    uint64_t res[16];
    uint32_t nr = f->type->nresults;
    uint64_t *out = nr <= 16 ? res : malloc(nr * sizeof(uint64_t));
    if (!out) return WR_ERR_NOMEM;
    memset(out, 0, nr * sizeof(uint64_t));
    wr_status st = f->host(caller, f->host_user, slots, out);
    if (st == WR_OK) memcpy(slots, out, nr * sizeof(uint64_t));
    if (out != res) free(out);
    return st;
}

/* Every call from Wasm (or the API) into a host function goes through here,
 * so calls can be recorded and replayed in one place (wr_trace.c: only
 * calls from Wasm, which have a caller). */
static wr_status wr_host_call(wr_func *f, wr_instance *caller, uint64_t *slots)
{
#ifdef WR_FEATURE_SIMD
    /* slots has a value every WR_VSLOTS slots; host functions take them
     * one slot each (and no v128: wr_linker_define_func has no letter for
     * it) */
    uint64_t packed[16];
    uint32_t np = f->type->nparams, nr = f->type->nresults, n = np > nr ? np : nr;
    uint64_t *pk = n <= 16 ? packed : malloc(n * sizeof(uint64_t));
    if (!pk) return WR_ERR_NOMEM;
    for (uint32_t i = 0; i < np; i++)
        pk[i] = slots[i * WR_VSLOTS];
    wr_status st;
#ifdef WR_TRACE
    if (unlikely(caller && caller->store->trace))
        st = wr_trace_host_call(caller->store->trace, f, caller, pk, host_call_raw);
    else
#endif
        st = host_call_raw(f, caller, pk);
    if (st == WR_OK)
        for (uint32_t i = 0; i < nr; i++)
            slots[i * WR_VSLOTS] = pk[i];
    if (pk != packed) free(pk);
    return st;
#else
#ifdef WR_TRACE
    if (unlikely(caller && caller->store->trace))
        return wr_trace_host_call(caller->store->trace, f, caller, slots, host_call_raw);
#endif
    return host_call_raw(f, caller, slots);
#endif
}

/* ------------------------------------------------------- state */

static wr_memory *mem0(wr_interp *it, wr_instance *inst);

/* Where in a page the value stack starts (64-bit hosts): 2 KiB past the
 * offset of a large malloc block (16 with glibc), such as linear memory's.
 * A load whose address equals that of an earlier store still in flight in
 * its low 12 bits waits for it on x86 cores ("4K aliasing"): with the two at
 * the same offset, a memory sweep's accesses alias the frame slots of the
 * outermost frames (sieve ran 1.3x as long, fib 1.05x). */
#if UINTPTR_MAX > 0xffffffffu
#define WR_STACK_SKEW (2048 + 16)
#else
#define WR_STACK_SKEW 0
#endif

wr_interp *wr_interp_get(wr_store *store)
{
    if (store->interp) return store->interp;
    wr_interp *it = calloc(1, sizeof *it);
    if (!it) return NULL;
    size_t bytes = store->cfg.value_stack_bytes ? store->cfg.value_stack_bytes : 8u << 20;
    uint32_t depth = store->cfg.max_call_depth ? store->cfg.max_call_depth : 65536;
    /* the configured bytes count 8-byte values: with WR_VSLOTS slots a value
     * the stack holds as many frames as without SIMD (as many as a device) */
    size_t nslots = bytes / sizeof(uint64_t) * WR_VSLOTS;
    if (nslots < 64) nslots = 64;
    /* malloc, not calloc: untouched pages stay out of the resident set */
    it->stack_block = malloc(nslots * sizeof(uint64_t) + (WR_STACK_SKEW ? 4096 : 0));
    it->cs = malloc(((size_t)depth + 1) * sizeof(wr_cframe));
    if (!it->stack_block || !it->cs) {
        free(it->stack_block);
        free(it->cs);
        free(it);
        return NULL;
    }
#if WR_STACK_SKEW
    uintptr_t at = (((uintptr_t)it->stack_block + 4095) & ~(uintptr_t)4095) + WR_STACK_SKEW;
    if (at - 4096 >= (uintptr_t)it->stack_block) at -= 4096;
    it->stack = (uint64_t *)at;
#else
    it->stack = it->stack_block;
#endif
    it->stack_end = it->stack + nslots;
    it->top = it->stack;
    it->cs_end = it->cs + depth;
    it->csp = it->cs;
    store->interp = it;
    return it;
}

void wr_interp_free(wr_interp *it)
{
    if (!it) return;
    free(it->stack_block);
    free(it->cs);
    free(it);
}

uint32_t wr_interp_depth(const wr_interp *it)
{
    return (uint32_t)(it->csp - it->cs);
}

uint32_t wr_code_offset_of(const wr_code *code, const wr_op *ip, bool ret)
{
    const wr_ops *o = wr_code_ops_of(code, ret ? ip - 1 : ip);
    if (!o) return 0;
    uint32_t ir = (uint32_t)((ret ? ip - 1 : ip) - o->ops);
    return wr_ops_offset_at(o, ir);
}

/* Fills store->last_trap from the saved innermost frame and the call stack
 * down to the current invocation's boundary. msg NULL keeps the message a
 * host function already set. */
static void record_trap(wr_store *store, wr_interp *it, wr_trap_kind kind, const char *msg)
{
    wr_trap_info *t = &store->last_trap;
    t->kind = kind;
    if (msg) snprintf(t->msg, sizeof t->msg, "%s", msg);
    t->nframes = t->nframes_total = 0;
    if (it->code) {
        wr_frame_info *fr = &t->frames[t->nframes++];
        fr->inst = it->inst;
        fr->func_index = it->code->func_index;
        fr->code_offset = wr_code_offset_of(it->code, it->ip, false);
        t->nframes_total++;
    }
    for (wr_cframe *c = it->csp; c > it->cs && c[-1].code; c--) {
        if (t->nframes < WR_TRAP_MAX_FRAMES) {
            wr_frame_info *fr = &t->frames[t->nframes++];
            fr->inst = c[-1].inst;
            fr->func_index = c[-1].code->func_index;
            fr->code_offset = wr_code_offset_of(c[-1].code, c[-1].ret_ip, true);
        }
        t->nframes_total++;
    }
}

#if WR_FEATURE_EH
/* ------------------------------------------------------- exceptions */

static int exn_cmp(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (wr_exn *const *)a, y = (uintptr_t) * (wr_exn *const *)b;
    return x < y ? -1 : x > y;
}

/* Marks the exception v may point to (all: the store's, sorted) and queues
 * it for its payload to be scanned. */
static void exn_mark(uint64_t v, wr_exn **all, size_t n, uint8_t *mark, size_t *queue, size_t *nq)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((uintptr_t)all[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && (uint64_t)(uintptr_t)all[lo] == v && !mark[lo]) {
        mark[lo] = 1;
        queue[(*nq)++] = lo;
    }
}

/* Frees the store's exceptions that nothing can reach: roots are the value
 * stack up to `top` (every frame, scanned conservatively: any slot holding
 * an exception's address keeps it), exnref globals and tables, the
 * exceptions the host was given (pinned) and `keep`; a kept exception's
 * payload keeps what it holds. Without memory for the bookkeeping nothing
 * is freed. */
static void exn_collect(wr_store *store, const uint64_t *top, wr_exn *keep)
{
    size_t n = store->nexns, nq = 0, live = 0;
    wr_exn **all = malloc(n * sizeof *all);
    uint8_t *mark = calloc(n, 1);
    size_t *queue = malloc(n * sizeof *queue);
    if (!all || !mark || !queue) goto out;
    n = 0;
    for (wr_exn *x = store->exns; x; x = x->next_in_store)
        all[n++] = x;
    qsort(all, n, sizeof *all, exn_cmp);
    for (const uint64_t *p = store->interp->stack; p < top; p++)
        exn_mark(*p, all, n, mark, queue, &nq);
    for (const wr_global *g = store->globals; g; g = g->next_in_store)
        if (g->type == WR_EXNREF) exn_mark(g->bits, all, n, mark, queue, &nq);
    for (const wr_table *t = store->tables; t; t = t->next_in_store)
        for (uint32_t i = 0; t->elem == WR_EXNREF && i < t->size; i++)
            exn_mark((uint64_t)(uintptr_t)t->elems[i], all, n, mark, queue, &nq);
    for (size_t i = 0; i < n; i++)
        if (all[i]->pinned || all[i] == keep)
            exn_mark((uint64_t)(uintptr_t)all[i], all, n, mark, queue, &nq);
    while (nq > 0) {
        const wr_exn *x = all[queue[--nq]];
        for (uint32_t i = 0; i < x->n; i++)
            exn_mark(x->vals[i], all, n, mark, queue, &nq);
    }
    store->exns = NULL;
    for (size_t i = n; i-- > 0;) {
        if (!mark[i]) {
            free(all[i]);
            continue;
        }
        all[i]->next_in_store = store->exns;
        store->exns = all[i];
        live++;
    }
    store->nexns = live;
out:
    store->exn_gc_at = 2 * store->nexns + 1024;
    free(all);
    free(mark);
    free(queue);
}

/* A new exception of tag `tag` with the payload vals (the tag's params),
 * kept by the store; NULL without memory. `top`: the end of the running
 * frame, for exn_collect. */
static wr_exn *exn_new(wr_store *store, wr_tag *tag, const uint64_t *vals, const uint64_t *top)
{
    uint32_t n = tag->type->nparams * WR_VSLOTS; /* raw slots, v128 whole */
    wr_exn *x = malloc(sizeof *x + (size_t)n * sizeof(uint64_t));
    if (!x) return NULL;
    x->tag = tag;
    x->n = n;
    x->pinned = false;
    if (n) memcpy(x->vals, vals, (size_t)n * sizeof(uint64_t));
    if (store->nexns >= store->exn_gc_at) exn_collect(store, top, x);
    x->next_in_store = store->exns;
    store->exns = x;
    store->nexns++;
    return x;
}

/* The handler of exception x in the frame (code, ip, inst): the first
 * entry of the handler table of the translation holding ip whose range
 * holds ip and whose tag is x's (wr_code.h, wr_eh). `ret`: ip is a return
 * address (a caller's frame), the call op is the word before it. */
static const wr_eh *eh_find(const wr_code *code, const wr_op *ip, bool ret, const wr_instance *inst,
                            const wr_exn *x, const wr_op **ops)
{
    const wr_eh *eh = code->normal_eh;
    uint32_t neh = code->normal_neh;
    *ops = code->normal.ops;
    if (code->dbg && ip >= code->dbg->ops && ip <= code->dbg->ops + code->dbg->nops) {
        eh = code->dbg->eh;
        neh = code->dbg->neh;
        *ops = code->dbg->ops;
    }
    uint32_t pos = (uint32_t)(ip - *ops) - ret, skip = UINT32_MAX;
    for (uint32_t i = 0; i < neh; i++) {
        const wr_eh *e = &eh[i];
        if (pos < e->start || pos >= e->end || e->id >= skip) continue;
        if (e->kind == WR_EH_DELEGATE) {
            if (e->skip < skip) skip = e->skip;
            continue;
        }
        if (e->tag == WR_EH_ALL || inst->tags[e->tag] == x->tag) return e;
    }
    return NULL;
}

/* Throws x from the saved innermost frame (it->ip...): finds the handler
 * in this frame or a caller's, down to the invocation's boundary. When one
 * catches it, the frames above it are dropped, its values are stored and
 * it->ip/fp/code/inst/csp are the handler's; false when none does (the
 * frames are untouched: an uncaught exception traps at the throw). */
static bool eh_throw(wr_interp *it, wr_exn *x)
{
    const wr_op *ip = it->ip, *ops;
    uint64_t *fp = it->fp;
    wr_code *code = it->code;
    wr_instance *inst = it->inst;
    wr_cframe *csp = it->csp;
    bool ret = false;
    for (;;) {
        const wr_eh *h = eh_find(code, ip, ret, inst, x, &ops);
        if (h) {
            if (h->tag != WR_EH_ALL)
                for (uint32_t i = 0; i < x->n; i++)
                    fp[h->dst + i] = x->vals[i];
            if (h->exn >= 0) fp[h->exn] = (uint64_t)(uintptr_t)x;
            it->ip = ops + h->target;
            it->fp = fp;
            it->code = code;
            it->inst = inst;
            it->csp = csp;
            return true;
        }
        if (csp == it->cs || !csp[-1].code) return false; /* the boundary */
        csp--;
        ip = csp->ret_ip;
        fp = csp->fp;
        code = csp->code;
        inst = csp->inst;
        ret = true;
    }
}
#endif

/* ------------------------------------------------------- the loop */

#ifdef WR_TRACE
/* run's answer when the debugger rewound the program from a trap: run again
 * from the state saved in the interpreter (not a status the API returns) */
#define WR_RUN_REWOUND ((wr_status)0x7fff)
#endif

static wr_status run(wr_store *store, wr_interp *it, wr_instance *inst, wr_code *code,
                     const wr_op *ip, uint64_t *fp, wr_handlers *handlers)
{
    /* handler addresses as offsets from the first one: half the bytes of a
     * pointer table (a quarter on 64-bit hosts); a handler out of reach of
     * wr_hoff fails the build (the assembler's range check) */
    static const wr_hoff table[WR_OP_COUNT] = {
#define HO(l) (wr_hoff)(&&l - &&L_enter)
#define X1(n) HO(L_##n),
#define X2(n, ...) HO(L_##n),
#define XRR(n, ...) HO(L_##n##_rr), HO(L_##n##_ri),
#define XBR(n, ...) HO(L_br_##n##_rr), HO(L_br_##n##_ri),
#if WR_I64_RI
#define XRR64 XRR
#else /* the _ri forms are never emitted */
#define XRR64(n, ...) HO(L_##n##_rr), HO(L_##n##_rr),
#endif
        WR_CTRL_OPS(X1) WR_IBINOPS_RI(XRR) WR_I64SHIFTS(XRR64) WR_I64CMPS(XRR64) WR_IDIVS32(XRR)
            WR_IDIVS64(XRR64) WR_BRCMPS(XBR) WR_FBINOPS(X2) WR_FCMPS(X2) WR_UNOPS(X2)
                WR_COPYSIGNS(X1) WR_TRUNCS(X1) WR_LOADS(X2) WR_STORES(X2)
#if WR_PACK /* without it the packed ops are never emitted: no handlers */
#define XP(n, ...) HO(L_##n##_pr), HO(L_##n##_pi),
#define XPM(n, ...) HO(L_##n##_p),
#define XPB(n, ...) HO(L_br_##n##_pi),
                    WR_PBINOPS(XP) WR_PLOADS(XPM) WR_PSTORES(XPM) HO(L_const16),
        HO(L_br_nz_p),
        HO(L_br_z_p),
        WR_BRCMPS(XPB)
#undef XPB
#undef XP
#undef XPM
#endif
#if WR_FEATURE_EH
            [WR_OP_throw] = HO(L_throw),
        [WR_OP_throw_ref] = HO(L_throw_ref),
#endif
#ifdef WR_FEATURE_SIMD /* designated: the packed ops before them may be left out */
#define XS(n) [WR_OP_##n] = HO(L_##n),
        WR_SIMD_OPS(XS)
#undef XS
#endif
#if WR_ADDR_FUSE /* designated: the packed ops before them have no entries here */
#define XA(n, ...)                                                                                 \
    [WR_OP_##n##_arr] = HO(L_##n##_arr), [WR_OP_##n##_ari] = HO(L_##n##_ari),                      \
    [WR_OP_##n##_asl] = HO(L_##n##_asl),
            WR_ALOADS(XA) WR_ASTORES(XA)[WR_OP_i32_add_sl] = HO(L_i32_add_sl),
#define XF(n, ...) [WR_OP_##n##_ri] = HO(L_##n##_ri),
        WR_FBINOPS_RI(XF)
#undef XF
#define XBK(n, ...)                                                                                \
    [WR_OP_br_##n##_rr_bk] = HO(L_br_##n##_rr_bk), [WR_OP_br_##n##_ri_bk] = HO(L_br_##n##_ri_bk),
            [WR_OP_br_bk] = HO(L_br_bk),
        [WR_OP_br_nz_bk] = HO(L_br_nz_bk),
        [WR_OP_br_z_bk] = HO(L_br_z_bk),
        WR_BRCMPS(XBK)
#undef XBK
#undef XA
#endif
#if WR_ACC
#define XAC(n, ...)                                                                                \
    [WR_OP_##n##_xr] = HO(L_##n##_xr), [WR_OP_##n##_xi] = HO(L_##n##_xi),                          \
    [WR_OP_##n##_yr] = HO(L_##n##_yr),
            WR_IBINOPS(XAC) WR_FBINOPS_RI(XAC)[WR_OP_f64_load] = HO(L_f64_load),
        [WR_OP_f64_load_arr] = HO(L_f64_load_arr),
        [WR_OP_f64_load_ari] = HO(L_f64_load_ari),
        [WR_OP_f64_load_asl] = HO(L_f64_load_asl),
#undef XAC
#endif
#undef X1
#undef X2
#undef XRR
#undef XRR64
#undef XBR
#undef HO
    };
    if (handlers) {
        handlers->base = (const char *)&&L_enter;
        handlers->off = table;
        return WR_OK;
    }

    wr_cframe *csp = it->csp;
    wr_cframe *const cs_end = it->cs_end;
    uint64_t *const stack_end = it->stack_end;
    volatile int *const poll = &store->interrupt;
    wr_memory *m0 = mem0(it, inst);
    uint8_t *mem = m0->data;
    u64 memsize = m0->size;
    wr_trap_kind tk = WR_TRAP_NONE;
    const char *tmsg = NULL;
    wr_func *callee = NULL;
    uint64_t *nfp = NULL;
    const wr_op *nip = NULL;
#if WR_FEATURE_EH
    wr_exn *exn = NULL;
#endif
#if WR_ACC
    u64 acc = 0;  /* wr_code.h WR_ACC: integers */
    f64 facc = 0; /* f64 */
#endif

#define DISPATCH() goto * ip->h
#define NEXT(n)                                                                                    \
    do {                                                                                           \
        ip += (n);                                                                                 \
        goto * ip->h;                                                                              \
    } while (0)
#define W1A ip[1].s.a
#define W1B ip[1].s.b
#define W2A ip[2].s.a
#define W2B ip[2].s.b
#define TRAP(k)                                                                                    \
    do {                                                                                           \
        tk = (k);                                                                                  \
        goto trap;                                                                                 \
    } while (0)
#define RELOAD_MEM()                                                                               \
    do {                                                                                           \
        m0 = mem0(it, inst);                                                                       \
        mem = m0->data;                                                                            \
        memsize = m0->size;                                                                        \
    } while (0)
#define SAVE(at)                                                                                   \
    do {                                                                                           \
        it->ip = (at);                                                                             \
        it->fp = fp;                                                                               \
        it->code = code;                                                                           \
        it->inst = inst;                                                                           \
        it->csp = csp;                                                                             \
    } while (0)
#define LOAD()                                                                                     \
    do {                                                                                           \
        ip = it->ip;                                                                               \
        fp = it->fp;                                                                               \
        code = it->code;                                                                           \
        inst = it->inst;                                                                           \
        csp = it->csp;                                                                             \
        RELOAD_MEM();                                                                              \
    } while (0)
/* debug-translation memory accesses report to the watchpoints */
#define WATCH(addr, len, wr)                                                                       \
    do {                                                                                           \
        if (unlikely(it->nwatch)) wr_debug_check_access(it, (addr), (len), (wr));                  \
    } while (0)

    /* a result into slot W1A; with WR_ACC (wr_code.h) also into acc (f64:
     * facc), which the _xr and _xi forms read their left operand from and
     * the _yr forms their right one */
#if WR_ACC
#define PUT(T, v)                                                                                  \
    do {                                                                                           \
        acc = WV_##T(v);                                                                           \
        fp[W1A] = acc;                                                                             \
    } while (0)
#define PUT_f64(v)                                                                                 \
    do {                                                                                           \
        facc = (v);                                                                                \
        ST_f64(fp[W1A], facc);                                                                     \
    } while (0)
#else
#define PUT(T, v) ST_##T(fp[W1A], v)
#define PUT_f64(v) ST_f64(fp[W1A], v)
#endif
#define PUT_f32(v) ST_f32(fp[W1A], v)

    DISPATCH();

    /* ---------------------------------------------------- control */
L_enter : {
    u32 nslots = (u32)W1A, nloc = (u32)W1B, np = (u32)W2A;
    if (unlikely(fp + nslots > stack_end)) TRAP(WR_TRAP_STACK_EXHAUSTED);
    /* zero the declared locals; the opaque zero keeps compilers from making
     * this a call to memset, which costs more than the few stores it does.
     * With WR_VSLOTS > 1 a local's first slot, both when it has a v128 (W2B) */
    u64 zero = 0;
    __asm__("" : "+r"(zero));
#ifdef WR_FEATURE_SIMD
    if (unlikely(W2B))
        for (u32 i = np; i < nloc; i++)
            fp[i] = zero;
    else
        for (u32 i = np; i < nloc; i += WR_VSLOTS)
            fp[i] = zero;
#else
    for (u32 i = np; i < nloc; i++)
        fp[i] = zero;
#endif
    if (unlikely(*poll)) {
#ifdef WR_TRACE
        /* fuel alone (--fuel, a trace's count): the slow path's first
         * step, inline (host builds: the firmware saves the flash) */
        if (*poll == WR_POLL_FUEL && store->fuel) {
            store->fuel--;
            NEXT(3);
        }
#endif
        SAVE(ip + 3);
        if (!wr_debug_on_poll(store, it, true)) goto killed;
        LOAD();
        DISPATCH();
    }
    NEXT(3);
}
L_lazy : {
    /* the first call of a function: code and fp are the callee's. While
     * watchpoints are set every function runs its debug translation
     * (all_debug, wr_debug.c), also one whose wr_code was made since */
    wr_status st = it->nwatch ? wr_code_make_debug(code, NULL) : wr_code_make_normal(code, NULL);
    if (unlikely(st != WR_OK)) {
        tk = WR_TRAP_HOST;
        tmsg = "out of memory (translating a function at its first call)";
        goto trap_msg;
    }
    if (it->nwatch) code->active = code->dbg->ops;
    ip = code->active;
    DISPATCH();
}
L_loop_check:
    if (unlikely(*poll)) {
#ifdef WR_TRACE
        if (*poll == WR_POLL_FUEL && store->fuel) {
            store->fuel--;
            NEXT(1);
        }
#endif
        SAVE(ip + 1);
        if (!wr_debug_on_poll(store, it, false)) goto killed;
        LOAD();
        DISPATCH();
    }
    NEXT(1);
L_dbg:
    if (unlikely(it->step != WR_DEBUG_CONTINUE || it->nwatch || it->watch_hit)) {
        SAVE(ip);
        if (!wr_debug_on_dbg(store, it)) goto killed;
        LOAD();
        DISPATCH();
    }
    NEXT(1);
L_brk:
    SAVE(ip);
    if (!wr_debug_on_brk(store, it)) goto killed;
    LOAD();
    DISPATCH();
L_unreachable:
    TRAP(WR_TRAP_UNREACHABLE);
L_br:
    ip += ip[1].i;
    DISPATCH();
L_br_nz:
    if ((u32)fp[W1A]) {
        ip += ip[2].i;
        DISPATCH();
    }
    NEXT(3);
L_br_z:
    if (!(u32)fp[W1A]) {
        ip += ip[2].i;
        DISPATCH();
    }
    NEXT(3);
L_br_table : {
    u32 i = (u32)fp[W1A], n = (u32)W1B;
    if (i > n) i = n;
    ip += ip[2 + i].i;
    DISPATCH();
}
#define XBR(name, expr)                                                                            \
    L_br_##name##_rr:                                                                              \
    {                                                                                              \
        u32 a = (u32)fp[W1A], b = (u32)fp[W1B];                                                    \
        if (expr) {                                                                                \
            ip += ip[2].i;                                                                         \
            DISPATCH();                                                                            \
        }                                                                                          \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_br_##name##_ri:                                                                              \
    {                                                                                              \
        u32 a = (u32)fp[W1A], b = (u32)W1B;                                                        \
        if (expr) {                                                                                \
            ip += ip[2].i;                                                                         \
            DISPATCH();                                                                            \
        }                                                                                          \
        NEXT(3);                                                                                   \
    }
    WR_BRCMPS(XBR)
#undef XBR

#if WR_BACKEDGE
    /* back edges (wr_code.h WR_BACKEDGE): past the loop's loop_check op,
     * polling here */
#define BACK(rel)                                                                                  \
    do {                                                                                           \
        ip += (rel);                                                                               \
        if (unlikely(*poll)) goto back_edge_poll;                                                  \
        DISPATCH();                                                                                \
    } while (0)
L_br_bk:
    BACK(ip[1].i);
L_br_nz_bk:
    if ((u32)fp[W1A]) BACK(ip[2].i);
    NEXT(3);
L_br_z_bk:
    if (!(u32)fp[W1A]) BACK(ip[2].i);
    NEXT(3);
#define XBR(name, expr)                                                                            \
    L_br_##name##_rr_bk:                                                                           \
    {                                                                                              \
        u32 a = (u32)fp[W1A], b = (u32)fp[W1B];                                                    \
        if (expr) BACK(ip[2].i);                                                                   \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_br_##name##_ri_bk:                                                                           \
    {                                                                                              \
        u32 a = (u32)fp[W1A], b = (u32)W1B;                                                        \
        if (expr) BACK(ip[2].i);                                                                   \
        NEXT(3);                                                                                   \
    }
    WR_BRCMPS(XBR)
#undef XBR
#undef BACK
back_edge_poll: /* ip: the loop head, past its loop_check op */
#ifdef WR_TRACE
    if (*poll == WR_POLL_FUEL && store->fuel) {
        store->fuel--;
        DISPATCH();
    }
#endif
    SAVE(ip);
    if (!wr_debug_on_poll(store, it, false)) goto killed;
    LOAD();
    DISPATCH();
#endif

L_ret:
    csp--;
    if (unlikely(!csp->code)) {
        it->csp = csp;
        return WR_OK;
    }
    ip = csp->ret_ip;
    fp = csp->fp;
    code = csp->code;
    /* mem/memsize already follow memory.grow and host calls; only a return
     * to another instance changes which memory is current */
    if (unlikely(csp->inst != inst)) {
        inst = csp->inst;
        RELOAD_MEM();
    }
    DISPATCH();
L_call : {
    wr_code *cc = (wr_code *)ip[2].p;
    if (unlikely(csp == cs_end)) TRAP(WR_TRAP_STACK_EXHAUSTED);
    csp->ret_ip = ip + 3;
    csp->fp = fp;
    csp->code = code;
    csp->inst = inst;
    csp++;
    fp += W1A;
    code = cc;
    ip = cc->active;
    DISPATCH();
}
L_call_import:
    callee = inst->funcs[W1B];
    nfp = fp + W1A;
    nip = ip + 2;
    goto do_call;
L_call_indirect:
    nip = ip + 3;
call_indirect : {
    wr_table *t = inst->tables[W2A];
    u32 ei = (u32)fp[W2B];
    if (unlikely(ei >= t->size)) TRAP(WR_TRAP_UNDEFINED_ELEMENT);
    callee = (wr_func *)t->elems[ei];
    if (unlikely(!callee)) TRAP(WR_TRAP_UNINIT_ELEMENT);
    if (unlikely(!type_eq(inst, callee->type, &inst->module->types[W1B])))
        TRAP(WR_TRAP_INDIRECT_MISMATCH);
    nfp = fp + W1A;
    goto do_call;
}
do_call:
    if (callee->host) {
        uint32_t np = callee->type->nparams, nr = callee->type->nresults;
        uint64_t *saved_top = it->top;
        uint64_t *end = fp + code->frame_slots;
        uint64_t *args_end = nfp + (np > nr ? np : nr) * WR_VSLOTS;
        if (args_end > end) end = args_end;
        if (unlikely(end > stack_end)) TRAP(WR_TRAP_STACK_EXHAUSTED);
        it->top = end;
        SAVE(ip);
        wr_status st = wr_host_call(callee, inst, nfp);
        it->top = saved_top;
        RELOAD_MEM();
        if (unlikely(st != WR_OK)) {
            if (st == WR_ERR_EXIT) goto exited;
            if (st == WR_ERR_TRAP) {
                tk = WR_TRAP_HOST;
                tmsg = NULL; /* the host set the message */
                goto trap_msg;
            }
            tk = WR_TRAP_HOST;
            tmsg = st == WR_ERR_NOMEM ? "host function: out of memory" : "host function failed";
            goto trap_msg;
        }
        if (unlikely(!nip)) {
            /* a tail call of a host function: its results are this
             * function's, then it returns */
            for (uint32_t i = 0; i < nr * WR_VSLOTS; i++)
                fp[i] = nfp[i];
            goto L_ret;
        }
        ip = nip;
        DISPATCH();
    }
    if (unlikely(!callee->decl->code) && !wr_code_get(callee->inst->module, callee->index)) {
        tk = WR_TRAP_HOST;
        tmsg = "out of memory (a function's first call)";
        goto trap_msg;
    }
    if (unlikely(!nip)) {
        /* a tail call: the callee's frame replaces this one, the args move
         * down to the frame's base (its `enter` checks that the frame fits) */
        for (u32 i = 0, n = callee->type->nparams * WR_VSLOTS; i < n; i++)
            fp[i] = nfp[i];
    } else {
        if (unlikely(csp == cs_end)) TRAP(WR_TRAP_STACK_EXHAUSTED);
        csp->ret_ip = nip;
        csp->fp = fp;
        csp->code = code;
        csp->inst = inst;
        csp++;
        fp = nfp;
    }
    code = callee->decl->code;
    if (callee->inst != inst) {
        inst = callee->inst;
        RELOAD_MEM();
    }
    ip = code->active;
    DISPATCH();

    /* ---------------------------------------------------- data movement */
L_copy:
    fp[W1A] = fp[W1B];
    NEXT(2);
L_const:
    fp[W1A] = (u64)ip[2].u;
    NEXT(3);
L_const64:
    fp[W1A] = WR_LD64(ip + 2);
    NEXT(2 + WR_W64);
L_select:
    fp[W1A] = (u32)fp[W1B] ? fp[W2A] : fp[W2B];
    NEXT(3);
L_global_get:
    fp[W1A] = inst->globals[W1B]->bits;
    NEXT(2);
L_global_set:
    inst->globals[W1B]->bits = fp[W1A];
    NEXT(2);
L_ref_func:
    fp[W1A] = (u64)(uintptr_t)inst->funcs[W1B];
    NEXT(2);

    /* ---------------------------------------------------- numeric */
#if WR_ACC
#define BINOP(name, sfx, T, A, B, expr)                                                            \
    L_##name##_##sfx:                                                                              \
    {                                                                                              \
        T a = RD_##T(A), b = RD_##T(B);                                                            \
        PUT(T, expr);                                                                              \
        NEXT(3);                                                                                   \
    }
#define XRR(name, T, expr)                                                                         \
    BINOP(name, rr, T, fp[W1B], fp[W2A], expr)                                                     \
    BINOP(name, xr, T, acc, fp[W2A], expr)                                                         \
    BINOP(name, yr, T, fp[W1B], acc, expr) XRI(name, T, expr)
#define XRI(name, T, expr)                                                                         \
    BINOP(name, ri, T, fp[W1B], WR_IMM64(ip[2]), expr)                                             \
    BINOP(name, xi, T, acc, WR_IMM64(ip[2]), expr)
#else
#define XRR(name, T, expr)                                                                         \
    L_##name##_rr:                                                                                 \
    {                                                                                              \
        T a = RD_##T(fp[W1B]), b = RD_##T(fp[W2A]);                                                \
        ST_##T(fp[W1A], expr);                                                                     \
        NEXT(3);                                                                                   \
    }                                                                                              \
    XRI(name, T, expr)
#define XRI(name, T, expr)                                                                         \
    L_##name##_ri:                                                                                 \
    {                                                                                              \
        T a = RD_##T(fp[W1B]), b = RD_##T(WR_IMM64(ip[2]));                                        \
        ST_##T(fp[W1A], expr);                                                                     \
        NEXT(3);                                                                                   \
    }
#endif
    WR_IBINOPS_RI(XRR)
#if !WR_I64_RI
#undef XRI
#define XRI(name, T, expr)
#endif
    WR_I64SHIFTS(XRR)
#undef XRR
#undef XRI
#undef BINOP
#define XRR(name, expr)                                                                            \
    L_##name##_rr:                                                                                 \
    {                                                                                              \
        u64 a = fp[W1B], b = fp[W2A];                                                              \
        SET32(fp[W1A], expr);                                                                      \
        NEXT(3);                                                                                   \
    }                                                                                              \
    XRI(name, expr)
#if WR_I64_RI
#define XRI(name, expr)                                                                            \
    L_##name##_ri:                                                                                 \
    {                                                                                              \
        u64 a = fp[W1B], b = WR_IMM64(ip[2]);                                                      \
        SET32(fp[W1A], expr);                                                                      \
        NEXT(3);                                                                                   \
    }
#else
#define XRI(name, expr)
#endif
    WR_I64CMPS(XRR)
#undef XRR
#undef XRI

    /* division: the right operand comes from a slot (_rr) or word 2 (_ri) */
#define DIV32(sfx, B32)                                                                            \
    L_i32_div_s_##sfx:                                                                             \
    {                                                                                              \
        i32 a = (i32)(u32)fp[W1B], b = (i32)(u32)(B32);                                            \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        if (unlikely(a == INT32_MIN && b == -1)) TRAP(WR_TRAP_INT_OVERFLOW);                       \
        SET32(fp[W1A], a / b);                                                                     \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i32_div_u_##sfx:                                                                             \
    {                                                                                              \
        u32 a = (u32)fp[W1B], b = (u32)(B32);                                                      \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        SET32(fp[W1A], a / b);                                                                     \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i32_rem_s_##sfx:                                                                             \
    {                                                                                              \
        i32 a = (i32)(u32)fp[W1B], b = (i32)(u32)(B32);                                            \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        SET32(fp[W1A], b == -1 ? 0 : (u32)(a % b));                                                \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i32_rem_u_##sfx:                                                                             \
    {                                                                                              \
        u32 a = (u32)fp[W1B], b = (u32)(B32);                                                      \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        SET32(fp[W1A], a % b);                                                                     \
        NEXT(3);                                                                                   \
    }
#define DIV64(sfx, B64)                                                                            \
    L_i64_div_s_##sfx:                                                                             \
    {                                                                                              \
        i64 a = (i64)fp[W1B], b = (i64)(B64);                                                      \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        if (unlikely(a == INT64_MIN && b == -1)) TRAP(WR_TRAP_INT_OVERFLOW);                       \
        fp[W1A] = (u64)(a / b);                                                                    \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i64_div_u_##sfx:                                                                             \
    {                                                                                              \
        u64 a = fp[W1B], b = (B64);                                                                \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        fp[W1A] = a / b;                                                                           \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i64_rem_s_##sfx:                                                                             \
    {                                                                                              \
        i64 a = (i64)fp[W1B], b = (i64)(B64);                                                      \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        fp[W1A] = b == -1 ? 0 : (u64)(a % b);                                                      \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_i64_rem_u_##sfx:                                                                             \
    {                                                                                              \
        u64 a = fp[W1B], b = (B64);                                                                \
        if (unlikely(b == 0)) TRAP(WR_TRAP_DIV_BY_ZERO);                                           \
        fp[W1A] = a % b;                                                                           \
        NEXT(3);                                                                                   \
    }
    DIV32(rr, fp[W2A])
    DIV32(ri, WR_IMM64(ip[2]))
    DIV64(rr, fp[W2A])
#if WR_I64_RI
    DIV64(ri, WR_IMM64(ip[2]))
#endif
#undef DIV32
#undef DIV64

#define X2(name, T, expr)                                                                          \
    L_##name:                                                                                      \
    {                                                                                              \
        T a = RD_##T(fp[W1B]), b = RD_##T(fp[W2A]);                                                \
        PUT_##T(expr);                                                                             \
        NEXT(3);                                                                                   \
    }
    WR_FBINOPS(X2)
#undef X2
#define X2(name, T, expr)                                                                          \
    L_##name:                                                                                      \
    {                                                                                              \
        T a = RD_##T(fp[W1B]), b = RD_##T(fp[W2A]);                                                \
        SET32(fp[W1A], expr);                                                                      \
        NEXT(3);                                                                                   \
    }
    WR_FCMPS(X2)
#undef X2
L_f32_copysign:
    fp[W1A] = ((u32)fp[W1B] & 0x7fffffffu) | ((u32)fp[W2A] & 0x80000000u);
    NEXT(3);
L_f64_copysign:
    fp[W1A] = (fp[W1B] & 0x7fffffffffffffffull) | (fp[W2A] & 0x8000000000000000ull);
    NEXT(3);
#define X2(name, IN, OUT, expr)                                                                    \
    L_##name:                                                                                      \
    {                                                                                              \
        IN a = RD_##IN(fp[W1B]);                                                                   \
        ST_##OUT(fp[W1A], expr);                                                                   \
        NEXT(2);                                                                                   \
    }
    WR_UNOPS(X2)
#undef X2

    /* trapping truncations (spec 4.3.3 trunc), k: see wr_trunc_trap */
#define TRUNC(name, IN, OUT, k, cast)                                                              \
    L_##name:                                                                                      \
    {                                                                                              \
        IN a = RD_##IN(fp[W1B]);                                                                   \
        wr_trap_kind t = wr_trunc_trap((f64)a, k);                                                 \
        if (unlikely(t != WR_TRAP_NONE)) TRAP(t);                                                  \
        ST_##OUT(fp[W1A], (cast)a);                                                                \
        NEXT(2);                                                                                   \
    }
    TRUNC(i32_trunc_f32_s, f32, i32, 0, i32)
    TRUNC(i32_trunc_f32_u, f32, u32, 1, u32)
    TRUNC(i32_trunc_f64_s, f64, i32, 0, i32)
    TRUNC(i32_trunc_f64_u, f64, u32, 1, u32)
    TRUNC(i64_trunc_f32_s, f32, i64, 2, i64)
    TRUNC(i64_trunc_f32_u, f32, u64, 3, u64)
    TRUNC(i64_trunc_f64_s, f64, i64, 2, i64)
    TRUNC(i64_trunc_f64_u, f64, u64, 3, u64)
#undef TRUNC

    /* ---------------------------------------------------- memory */
#define X2(name, N, expr)                                                                          \
    L_##name:                                                                                      \
    {                                                                                              \
        u64 ea = (u64)(u32)fp[W1B] + ip[2].u;                                                      \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        const uint8_t *p = mem + ea;                                                               \
        PUT(u64, expr);                                                                            \
        NEXT(3);                                                                                   \
    }
    WR_LOADS(X2)
#undef X2
#define X2(name, N)                                                                                \
    L_##name:                                                                                      \
    {                                                                                              \
        u64 ea = (u64)(u32)fp[W1B] + ip[2].u;                                                      \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        u64 v = fp[W1A];                                                                           \
        memcpy(mem + ea, &v, (N)); /* little-endian host */                                        \
        NEXT(3);                                                                                   \
    }
    WR_STORES(X2)
#undef X2

    /* ---------------------------------------------------- address fusion */
#if WR_ADDR_FUSE
    /* wr_code.h WR_ALOADS: the address wraps to 32 bits before the offset */
#define EA_RR ((u64)(u32)((u32)fp[W1B] + (u32)fp[W2A]) + (u32)W2B)
#define EA_RI ((u64)(u32)((u32)fp[W1B] + (u32)W2A) + (u32)W2B)
#define EA_SL ((u64)(u32)((u32)fp[W1B] + ((u32)fp[W2A] << ((u32)W2B & 31))) + (u32)ip[3].u)
#define XL(name, N, expr, form, EA, n)                                                             \
    L_##name##_##form:                                                                             \
    {                                                                                              \
        u64 ea = EA;                                                                               \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        const uint8_t *p = mem + ea;                                                               \
        PUT(u64, expr);                                                                            \
        NEXT(n);                                                                                   \
    }
#define XA(name, N, expr)                                                                          \
    XL(name, N, expr, arr, EA_RR, 3)                                                               \
    XL(name, N, expr, ari, EA_RI, 3) XL(name, N, expr, asl, EA_SL, 4)
    WR_ALOADS(XA)
#undef XA
#undef XL
#if WR_ACC /* f64 loads into facc (wr_code.h WR_ACC) */
#define XL(form, EA, n)                                                                            \
    L_f64_load##form:                                                                              \
    {                                                                                              \
        u64 ea = EA;                                                                               \
        if (unlikely(ea + 8 > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                  \
        PUT_f64(bits_f64(wr_ld64(mem + ea)));                                                      \
        NEXT(n);                                                                                   \
    }
    XL(, (u64)(u32)fp[W1B] + ip[2].u, 3)
    XL(_arr, EA_RR, 3)
    XL(_ari, EA_RI, 3)
    XL(_asl, EA_SL, 4)
#undef XL
#endif
#define XS(name, N, form, EA, n)                                                                   \
    L_##name##_##form:                                                                             \
    {                                                                                              \
        u64 ea = EA;                                                                               \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        u64 v = fp[W1A];                                                                           \
        memcpy(mem + ea, &v, (N)); /* little-endian host */                                        \
        NEXT(n);                                                                                   \
    }
#define XA(name, N) XS(name, N, arr, EA_RR, 3) XS(name, N, ari, EA_RI, 3) XS(name, N, asl, EA_SL, 4)
    WR_ASTORES(XA)
#undef XA
#undef XS
#undef EA_RR
#undef EA_RI
#undef EA_SL
L_i32_add_sl:
    PUT(u32, (u32)fp[W1B] + ((u32)fp[W2A] << ((u32)W2B & 31)));
    NEXT(3);
#define XF(name, expr)                                                                             \
    L_##name##_ri:                                                                                 \
    {                                                                                              \
        f64 a = RD_f64(fp[W1B]), b = RD_f64(ip[2].u);                                              \
        PUT_f64(expr);                                                                             \
        NEXT(3);                                                                                   \
    }                                                                                              \
    XFA(name, expr)
#if WR_ACC
#define XFA(name, expr)                                                                            \
    L_##name##_xr:                                                                                 \
    {                                                                                              \
        f64 a = facc, b = RD_f64(fp[W2A]);                                                         \
        PUT_f64(expr);                                                                             \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_##name##_xi:                                                                                 \
    {                                                                                              \
        f64 a = facc, b = RD_f64(ip[2].u);                                                         \
        PUT_f64(expr);                                                                             \
        NEXT(3);                                                                                   \
    }                                                                                              \
    L_##name##_yr:                                                                                 \
    {                                                                                              \
        f64 a = RD_f64(fp[W1B]), b = facc;                                                         \
        PUT_f64(expr);                                                                             \
        NEXT(3);                                                                                   \
    }
#else
#define XFA(name, expr)
#endif
    WR_FBINOPS_RI(XF)
#undef XF
#undef XFA
#endif

    /* ---------------------------------------------------- packed (32-bit targets) */
#if WR_PACK
#define PX ((u32)W1B & 0xffu)
#define PY ((u32)W1B >> 8 & 0xffu)
#define XP(name, expr)                                                                             \
    L_##name##_pr:                                                                                 \
    {                                                                                              \
        u32 a = (u32)fp[PX], b = (u32)fp[PY];                                                      \
        SET32(fp[W1A], expr);                                                                      \
        NEXT(2);                                                                                   \
    }                                                                                              \
    L_##name##_pi:                                                                                 \
    {                                                                                              \
        u32 a = (u32)fp[PX], b = (u32)(i32)(int8_t)(uint8_t)PY;                                    \
        SET32(fp[W1A], expr);                                                                      \
        NEXT(2);                                                                                   \
    }
    WR_PBINOPS(XP)
#undef XP
#define XPM(name, N, expr)                                                                         \
    L_##name##_p:                                                                                  \
    {                                                                                              \
        u64 ea = (u64)(u32)fp[PX] + PY;                                                            \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        const uint8_t *p = mem + ea;                                                               \
        SET32(fp[W1A], expr); /* i32 loads only (WR_PLOADS) */                                     \
        NEXT(2);                                                                                   \
    }
    WR_PLOADS(XPM)
#undef XPM
#define XPM(name, N)                                                                               \
    L_##name##_p:                                                                                  \
    {                                                                                              \
        u64 ea = (u64)(u32)fp[PX] + PY;                                                            \
        if (unlikely(ea + (N) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);                                \
        u64 v = fp[W1A];                                                                           \
        memcpy(mem + ea, &v, (N)); /* little-endian host */                                        \
        NEXT(2);                                                                                   \
    }
    WR_PSTORES(XPM)
#undef XPM
#undef PX
#undef PY
L_const16:
    fp[W1A] = (u64)(u32)W1B; /* 0..0xffff */
    NEXT(2);
    /* packed branches: the target in the b half, signed 16 bits */
#define PREL ((int16_t)(uint16_t)W1B)
L_br_nz_p:
    if ((u32)fp[W1A]) {
        ip += PREL;
        DISPATCH();
    }
    NEXT(2);
L_br_z_p:
    if (!(u32)fp[W1A]) {
        ip += PREL;
        DISPATCH();
    }
    NEXT(2);
#define XPB(name, expr)                                                                            \
    L_br_##name##_pi:                                                                              \
    {                                                                                              \
        u32 a = (u32)fp[(u32)W1A & 0xffu], b = (u32)W1A >> 8 & 0xffu;                              \
        if (expr) {                                                                                \
            ip += PREL;                                                                            \
            DISPATCH();                                                                            \
        }                                                                                          \
        NEXT(2);                                                                                   \
    }
    WR_BRCMPS(XPB)
#undef XPB
#undef PREL
#endif

L_memory_size:
    fp[W1A] = (u32)(memsize / WR_PAGE_SIZE);
    NEXT(2);
L_memory_grow : {
    int64_t old = wr_memory_grow_pages(m0, (u32)fp[W1B]);
    fp[W1A] = (u32)(old < 0 ? -1 : (i32)old);
    RELOAD_MEM();
    NEXT(2);
}
L_memory_fill : {
    u64 d = (u32)fp[W1A], n = (u32)fp[W2A];
    if (unlikely(d + n > memsize)) TRAP(WR_TRAP_MEMORY_OOB);
    WATCH(d, n, true);
    memset(mem + d, (int)(u32)fp[W1B], n);
    NEXT(3);
}
L_memory_copy : {
    u64 d = (u32)fp[W1A], s = (u32)fp[W1B], n = (u32)fp[W2A];
    if (unlikely(d + n > memsize || s + n > memsize)) TRAP(WR_TRAP_MEMORY_OOB);
    WATCH(s, n, false);
    WATCH(d, n, true);
    memmove(mem + d, mem + s, n);
    NEXT(3);
}
L_memory_init : {
    u64 d = (u32)fp[W1A], s = (u32)fp[W1B], n = (u32)fp[W2A];
    const wr_data_seg *seg = &inst->module->datas[W2B];
    u64 len = inst->data_dropped[W2B] ? 0 : seg->len;
    if (unlikely(s + n > len || d + n > memsize)) TRAP(WR_TRAP_MEMORY_OOB);
    WATCH(d, n, true);
    memcpy(mem + d, inst->module->bytes + seg->file_offset + s, n);
    NEXT(3);
}
L_data_drop:
    inst->data_dropped[W1A] = true;
    NEXT(2);

    /* ---------------------------------------------------- tables */
L_table_get : {
    wr_table *t = inst->tables[W2A];
    u32 i = (u32)fp[W1B];
    if (unlikely(i >= t->size)) TRAP(WR_TRAP_TABLE_OOB);
    fp[W1A] = (u64)(uintptr_t)t->elems[i];
    NEXT(3);
}
L_table_set : {
    wr_table *t = inst->tables[W2A];
    u32 i = (u32)fp[W1A];
    if (unlikely(i >= t->size)) TRAP(WR_TRAP_TABLE_OOB);
    t->elems[i] = (void *)(uintptr_t)fp[W1B];
    NEXT(3);
}
L_table_size:
    fp[W1A] = inst->tables[W2A]->size;
    NEXT(3);
L_table_grow : {
    int64_t old = wr_table_grow_elems(inst->tables[W2A], (u32)fp[W2B], (void *)(uintptr_t)fp[W1B]);
    fp[W1A] = (u32)(old < 0 ? -1 : (i32)old);
    NEXT(3);
}
L_table_fill : {
    wr_table *t = inst->tables[W2A];
    u64 i = (u32)fp[W1A], n = (u32)fp[W2B];
    if (unlikely(i + n > t->size)) TRAP(WR_TRAP_TABLE_OOB);
    for (u64 k = 0; k < n; k++)
        t->elems[i + k] = (void *)(uintptr_t)fp[W1B];
    NEXT(3);
}
L_table_copy : {
    wr_table *td = inst->tables[W2B], *ts = inst->tables[ip[3].s.a];
    u64 d = (u32)fp[W1A], s = (u32)fp[W1B], n = (u32)fp[W2A];
    if (unlikely(d + n > td->size || s + n > ts->size)) TRAP(WR_TRAP_TABLE_OOB);
    memmove(td->elems + d, ts->elems + s, n * sizeof(void *));
    NEXT(4);
}
L_table_init : {
    wr_table *t = inst->tables[W2B];
    u32 segi = (u32)ip[3].s.a;
    const wr_elem_seg *seg = &inst->module->elems[segi];
    u64 d = (u32)fp[W1A], s = (u32)fp[W1B], n = (u32)fp[W2A];
    u64 len = inst->elem_dropped[segi] ? 0 : seg->count;
    if (unlikely(s + n > len || d + n > t->size)) TRAP(WR_TRAP_TABLE_OOB);
    for (u64 k = 0; k < n; k++) {
        const wr_constexpr *e = &seg->items[s + k];
        void *v = NULL;
        if (e->kind == WR_CONST_REF_FUNC)
            v = inst->funcs[e->index];
        else if (e->kind == WR_CONST_GLOBAL_GET)
            v = (void *)(uintptr_t)inst->globals[e->index]->bits;
        t->elems[d + k] = v;
    }
    NEXT(4);
}
L_elem_drop:
    inst->elem_dropped[W1A] = true;
    NEXT(2);

    /* ---------------------------------------------------- tail calls
     * (here, after the other handlers: their layout stays as it was) */
L_return_call : {
    /* the args move down to the frame's base; the callee's `enter` checks
     * that its frame fits the value stack */
    wr_code *cc = (wr_code *)ip[2].p;
    const uint64_t *args = fp + W1A;
    for (u32 i = 0, n = cc->type->nparams * WR_VSLOTS; i < n; i++)
        fp[i] = args[i];
    code = cc;
    ip = cc->active;
    DISPATCH();
}
L_return_call_import:
    callee = inst->funcs[W1B];
    nfp = fp + W1A;
    nip = NULL; /* do_call: a tail call, no return address */
    goto do_call;
L_return_call_indirect:
    nip = NULL; /* do_call: a tail call, no return address */
    goto call_indirect;
#if WR_FEATURE_EH
    /* ---------------------------------------------------- exceptions */
L_throw : {
    wr_tag *tag = inst->tags[W1B];
    wr_exn *x = exn_new(store, tag, fp + W1A, fp + code->frame_slots);
    if (unlikely(!x)) {
        tk = WR_TRAP_HOST;
        tmsg = "out of memory (throwing an exception)";
        goto trap_msg;
    }
    exn = x;
    goto do_throw;
}
L_throw_ref:
    exn = (wr_exn *)(uintptr_t)fp[W1A];
    if (unlikely(!exn)) TRAP(WR_TRAP_NULL_EXNREF);
do_throw:
    SAVE(ip);
    if (!eh_throw(it, exn)) TRAP(WR_TRAP_UNCAUGHT_EXCEPTION);
    LOAD();
    DISPATCH();
#endif
#ifdef WR_FEATURE_SIMD
    /* ---------------------------------------------------- SIMD (wr_simd.c) */
L_v128_global_get : {
    const wr_global *g = inst->globals[W1B];
    fp[W1A] = g->bits;
    fp[W1A + 1] = g->hi;
    NEXT(2);
}
L_v128_global_set : {
    wr_global *g = inst->globals[W1B];
    g->bits = fp[W1A];
    g->hi = fp[W1A + 1];
    NEXT(2);
}
L_simd:
    wr_simd_op((u32)ip[3].s.a, (u32)ip[3].s.b, fp + W1A, fp + W1B, fp + W2A, fp + W2B);
    NEXT(4);
L_simd_shuffle:
    wr_simd_shuffle(fp + W1A, fp + W1B, fp + W2A, (const uint8_t *)(ip + 3));
    NEXT(3 + 16 / sizeof(wr_op));
L_simd_mem : {
    u32 sl = (u32)ip[3].s.b;
    u64 ea = (u64)(u32)fp[W1B] + ip[2].u;
    if (unlikely(ea + wr_simd_mem_size(sl & 0xffu, NULL) > memsize)) TRAP(WR_TRAP_MEMORY_OOB);
    wr_simd_mem(sl & 0xffu, sl >> 8, mem + ea, fp + W1A, fp + ip[3].s.a);
    NEXT(4);
}
#endif
    /* ---------------------------------------------------- exits */
trap:
    tmsg = wr_trap_message(tk);
trap_msg:
    SAVE(ip);
    record_trap(store, it, tk, tmsg);
    if (it->hook) wr_debug_on_trap(store, it, tk, store->last_trap.msg);
#ifdef WR_TRACE
    if (it->rewound) {
        /* the debugger went back in time from the trap (wr_debug_restore):
         * wr_invoke runs again from where it put the program. Not a
         * DISPATCH here: one more dispatch site after the trap path makes
         * GCC 12 load every handler's address into a register before its
         * indirect jump, an instruction more per op (+10% on every kernel) */
        it->rewound = false;
        if (it->killed) goto killed;
        return WR_RUN_REWOUND;
    }
#endif
    goto unwind;
killed:
    LOAD();
    if (it->out_of_fuel) {
        /* a trap like any other: the hook sees it with the frames live (a
         * debugger's stop, a core with the locals) */
        it->out_of_fuel = false;
        tk = WR_TRAP_HOST;
        tmsg = "out of fuel";
        goto trap_msg;
    }
    tk = WR_TRAP_HOST;
    record_trap(store, it, tk, it->killed ? "killed by the debugger" : "interrupted");
    it->killed = false;
    goto unwind;
exited:
unwind:
    /* pop to this invocation's boundary */
    while (csp > it->cs && csp[-1].code)
        csp--;
    if (csp > it->cs) csp--;
    it->csp = csp;
    if (tk == WR_TRAP_NONE) return WR_ERR_EXIT;
    return WR_ERR_TRAP;
}

static wr_memory *mem0(wr_interp *it, wr_instance *inst)
{
    static const wr_memory none; /* zero size: every access traps */
    (void)it;
    if (inst && inst->module->nmems) return inst->mems[0];
    return (wr_memory *)&none;
}

wr_handlers wr_interp_handlers(void)
{
    wr_handlers h;
    run(NULL, NULL, NULL, NULL, NULL, NULL, &h);
    return h;
}

wr_status wr_invoke(wr_func *f, uint64_t *slots, wr_error *err)
{
    if (f->host) {
        wr_status st = wr_host_call(f, NULL, slots);
        if (st == WR_ERR_TRAP && err) {
            err->status = st;
            err->trap = WR_TRAP_HOST;
            snprintf(err->msg, sizeof err->msg, "host function trapped");
        }
        return st;
    }
    wr_store *store = f->inst->store;
    wr_interp *it = wr_interp_get(store);
    if (!it)
        return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "value stack and call frames: out of memory");
    wr_code *code = wr_code_get(f->inst->module, f->index);
    if (!code)
        return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory (a function's first call)");
    uint32_t np = f->type->nparams, nr = f->type->nresults;
    uint64_t *fp = it->top;
    uint32_t need = (np > nr ? np : nr) * WR_VSLOTS;
    store->last_trap.kind = WR_TRAP_NONE;
    if (fp + need > it->stack_end || it->csp >= it->cs_end) {
        store->last_trap.kind = WR_TRAP_STACK_EXHAUSTED;
        snprintf(store->last_trap.msg, sizeof store->last_trap.msg, "%s",
                 wr_trap_message(WR_TRAP_STACK_EXHAUSTED));
        store->last_trap.nframes = store->last_trap.nframes_total = 0;
        goto trapped;
    }
    memcpy(fp, slots, np * WR_VSLOTS * sizeof(uint64_t));
    it->csp->code = NULL; /* boundary */
    it->csp->ret_ip = NULL;
    it->csp->fp = NULL;
    it->csp->inst = NULL;
    it->csp++;
    wr_cframe *saved_base = it->base;
    it->base = it->csp;
    it->frames_debug = false;
#ifdef WR_TRACE
    uint64_t saved_invocation = it->invocation;
    it->invocation = ++it->ninvocations; /* a snapshot restores only into its own */
#endif
    if (it->stop_at_entry && it->hook) {
        it->stop_at_entry = false;
        it->entry_pending = true;
        __atomic_or_fetch(&store->interrupt, WR_POLL_STEP, __ATOMIC_SEQ_CST);
    }
    wr_status st = run(store, it, f->inst, code, code->active, fp, NULL);
#ifdef WR_TRACE
    while (st == WR_RUN_REWOUND) /* as LOAD(); DISPATCH(); would in run */
        st = run(store, it, it->inst, it->code, it->ip, it->fp, NULL);
#endif
    it->base = saved_base;
    it->frames_debug = false;
#ifdef WR_TRACE
    it->invocation = saved_invocation;
#endif
    if (it->csp == it->cs) wr_debug_on_exit(store, it);
    if (st == WR_OK) {
        memcpy(slots, fp, nr * WR_VSLOTS * sizeof(uint64_t));
        return WR_OK;
    }
    if (st == WR_ERR_EXIT) {
        if (err) {
            err->status = WR_ERR_EXIT;
            err->trap = WR_TRAP_NONE;
            snprintf(err->msg, sizeof err->msg, "exit(%d)", store->exit_code);
        }
        return WR_ERR_EXIT;
    }
trapped:
    if (err) {
        err->status = WR_ERR_TRAP;
        err->trap = store->last_trap.kind;
        err->section = NULL;
        err->offset = 0;
        snprintf(err->msg, sizeof err->msg, "%s", store->last_trap.msg);
    }
    return WR_ERR_TRAP;
}
