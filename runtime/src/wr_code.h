/*
 * Internal code: what wr_compile.c makes of a function body and wr_interp.c
 * runs. Private to runtime/.
 *
 * A function body is validated at load time (wr_compile_function: the same
 * one pass, measuring instead of emitting) and translated on its first call
 * into a stream of words, one pointer wide (8 bytes on 64-bit hosts). The
 * first word of every op is the address of its handler in the interpreter
 * (direct threading); the following words hold operands. Values live in
 * 8-byte frame slots: slot i of a frame is fp[i]. A frame is
 *   [ params | declared locals | operand stack (max depth) ]
 * and the operand stack entry at depth d, when it is "materialized", lives in
 * slot nlocals + d (its canonical slot). Most `local.get`/`i32.const`
 * instructions emit nothing: later ops read the local's slot or carry the
 * constant as an immediate.
 *
 * Two translations of a body exist:
 * - the normal one (fused, fast), made on the function's first call: until
 *   then calls enter the code's `lazy` op, which makes it and goes on;
 * - the debug one, made on demand when a debugger needs instruction-exact
 *   stops in the function: every Wasm instruction starts with a `dbg` op
 *   (the patch point for breakpoints and the step check) and the operand
 *   stack is materialized before every instruction, so any instruction
 *   boundary can be inspected.
 * Each is made by two runs of the translator: one measures (word, pc-map and
 * sync counts), the second writes into one block of exactly that size, so a
 * translation is one allocation that never grows. Only the debug
 * translation keeps its pc map and sync points: the normal one's are rebuilt
 * when a trap, a frame lookup or the debugger needs them, by a measuring run
 * and a mapping run of the translator (the same one-pass translation gives
 * the same words), into a cache of one function per module
 * (wr_code_normal_map).
 * Both translations agree on the frame layout at "sync points": function
 * entry, loop heads and the return point of every call. Execution moves from
 * one translation to the other only there (to_debug in wr_debug.c).
 *
 * On 32-bit targets a word is 4 bytes: operand halves are 16 bits (unsigned)
 * and a 64-bit immediate takes two words (WR_W64), see wr_op; the most
 * frequent three-word ops have packed two-word forms there (WR_PACK). The
 * translator refuses (at load) what does not fit: a frame of more than
 * 65535 slots, an index past 65535 (wr_decode.c checks the counts).
 *
 * Word layouts are documented next to each op in the WR_OPS list below:
 *   w1.a/w1.b = the two int32 halves of word 1, w2 = word 2 as u64/i64.
 * Branch targets are relative word offsets from the op's first word.
 */
#ifndef WR_CODE_H
#define WR_CODE_H

#include "wr_internal.h"

/* One word of internal code. Operand halves (s.a, s.b) hold frame slots,
 * indices and small immediates (WR_HALF_MIN..WR_HALF_MAX); u/i hold one
 * immediate or a relative branch target; p a pointer. On 32-bit targets
 * words are 4 bytes and halves 16 bits: a 64-bit immediate takes WR_W64 = 2
 * words (WR_IMM64 reads one word, sign-extended, where the translator made
 * sure it fits). */
#if UINTPTR_MAX > 0xffffffffu
typedef union wr_op {
    const void *h;
    uint64_t u;
    int64_t i;
    const void *p;
    struct {
        int32_t a, b;
    } s;
} wr_op;
#define WR_W64 1
#define WR_HALF_MIN INT32_MIN
#define WR_HALF_MAX INT32_MAX
#define WR_IMM64(w) ((uint64_t)(w).u)
#define WR_LD64(ip) ((uint64_t)(ip)[0].u)
#else
typedef union wr_op {
    const void *h;
    uint32_t u;
    int32_t i;
    const void *p;
    struct {
        uint16_t a, b; /* unsigned: Thumb loads them with 16-bit instructions */
    } s;
} wr_op;
#define WR_W64 2
#define WR_HALF_MIN 0
#define WR_HALF_MAX UINT16_MAX
#define WR_IMM64(w) ((uint64_t)(int64_t)(w).i)
#define WR_LD64(ip) ((uint64_t)(ip)[0].u | (uint64_t)(ip)[1].u << 32)
#endif

/* The pc map of a translation maps each op (its first word, `ir`) to the
 * code offset of the Wasm instruction it implements. Entries are in op
 * order and their offsets never decrease (one pass, source order). They are
 * delta-encoded, mostly one byte each: a byte b < 0xe0 is
 * (ir - previous ir - 1) << 5 | (off - previous off); 0xe0 is followed by
 * the two deltas as LEB128. Every WR_PC_STRIDE-th entry is also kept whole
 * in a mark, so a lookup decodes at most that many entries after a binary
 * search over the marks. */
#define WR_PC_STRIDE 32u

typedef struct wr_pcmark {
    uint32_t ir, off; /* of entry m * WR_PC_STRIDE (mark m - 1) */
    uint32_t pos;     /* byte position of the entry after it */
} wr_pcmark;

/* A position in a pc map: entry i, its op's word index ir and its code
 * offset off; pos is where the next entry's bytes start. */
typedef struct wr_pc {
    uint32_t i, ir, off, pos;
} wr_pc;

typedef struct wr_code wr_code;

/* Exception handling (WR_FEATURE_EH): a translation's handler table, one
 * entry per catch clause or delegate. A throw at op word `pos` (in a
 * caller: inside its call op) takes the first entry, in table order, whose
 * range holds pos and whose tag matches; entries are added when a try's
 * range closes, so inner tries come before the tries around them and a
 * try's clauses keep their order. A delegate's entry makes the search pass
 * over the entries of the tries it jumps out of (ids >= skip). */
#define WR_EH_ALL UINT32_MAX /* tag of catch_all, catch_all_ref */
enum { WR_EH_CATCH, WR_EH_DELEGATE };
typedef struct wr_eh {
    uint32_t start, end; /* [start, end): the protected op words */
    uint32_t target;     /* word index where the handler goes on */
    uint32_t tag;        /* tag index, or WR_EH_ALL */
    int32_t dst, exn;    /* slots of the payload and of the exnref (-1: none) */
    uint32_t id;         /* the try's number in the body (source order) */
    uint32_t skip;       /* delegate: pass over tries numbered >= skip */
    uint8_t kind;        /* WR_EH_CATCH, WR_EH_DELEGATE */
} wr_eh;

/* One translation of a body: one allocation (ops first) holding the ops,
 * the sync points, the debug depths, the marks and the pc map (a debug
 * translation); or, from wr_code_normal_map, a normal translation's ops with
 * its rebuilt sync points, marks and pc map. */
typedef struct wr_ops {
    wr_op *ops;
    uint32_t nops;
    uint8_t *pcmap; /* npc entries, delta-encoded (see above) */
    uint32_t npc;
    wr_pcmark *marks; /* (npc - 1) / WR_PC_STRIDE of them: entries STRIDE, 2*STRIDE... */
    uint32_t *depths; /* debug translation: operand depth at each pcmap entry */
    uint32_t *syncs;  /* word index of each sync point, in source order */
    uint32_t nsyncs;
    bool debug;
#if WR_FEATURE_EH
    wr_eh *eh; /* the handler table (in the same block), neh entries */
    uint32_t neh;
#endif
} wr_ops;

struct wr_code {
    wr_module *mod;
    uint32_t func_index;
    uint32_t nlocals;     /* params + declared locals (type: the params) */
    uint32_t frame_slots; /* params + locals + max operand depth (+1), from validation */
    const wr_type *type;
    wr_op lazy; /* the `lazy` op: entry while `normal` is not made yet */
    struct {
        wr_op *ops; /* owned; NULL until the function's first call */
        uint32_t nops;
    } normal;            /* no pc map nor sync points kept: wr_code_normal_map rebuilds them */
    wr_ops *dbg;         /* debug translation, or NULL */
    const wr_op *active; /* entry of the translation calls use */
    uint32_t nbreaks;    /* breakpoints set in this function (debug translation) */
    bool long_branches;  /* normal translation too long for packed branches */
#if WR_FEATURE_EH        /* last, as in wr_ops: the fields above keep their places */
    wr_eh *normal_eh;    /* the normal translation's handler table, in its block */
    uint32_t normal_neh;
#endif
};

/* The op lists are laid out by hand. */
/* clang-format off */
/* The op list: X(name). Layout comments: see the file header. */
#define WR_CTRL_OPS(X)                                                                          \
    X(enter)         /* w1={frame_slots,nlocals} w2={nparams,-}: stack check, zero locals */    \
    X(lazy)          /* entry of a function not translated yet: translates it, then enters */   \
    X(loop_check)    /* interrupt/debug check at loop heads */                                   \
    X(dbg)           /* debug translation: before every instruction */                          \
    X(brk)           /* a breakpoint patched over an op; the original is kept aside */          \
    X(unreachable)                                                                               \
    X(br)            /* w1=rel */                                                                \
    X(br_nz)         /* w1={cond,-} w2=rel */                                                    \
    X(br_z)          /* w1={cond,-} w2=rel */                                                    \
    X(br_table)      /* w1={index,n} then n+1 words rel (relative to the br_table op) */        \
    X(ret)                                                                                       \
    X(call)          /* w1={base,-} w2=wr_code* (same module) */                                 \
    X(call_import)   /* w1={base,func index} */                                                  \
    X(call_indirect) /* w1={base,type index} w2={table,elem slot} */                             \
    X(return_call)   /* as call; the callee's frame replaces this one */                        \
    X(return_call_indirect) /* as call_indirect; the callee's frame replaces this one */         \
    X(return_call_import) /* as call_import; a host callee's results are returned */           \
    X(copy)          /* w1={dst,src} */                                                          \
    X(const)         /* w1={dst,-} w2=bits (32-bit targets: zero-extended from 32) */            \
    X(const64)       /* w1={dst,-} w2..=bits (WR_W64 words): 32-bit targets, past 32 bits */    \
    X(select)        /* w1={dst,cond} w2={a,b}: dst = cond ? a : b */                            \
    X(global_get)    /* w1={dst,global} */                                                       \
    X(global_set)    /* w1={src,global} */                                                       \
    X(ref_func)      /* w1={dst,func} */                                                         \
    X(memory_size)   /* w1={dst,-} */                                                            \
    X(memory_grow)   /* w1={dst,delta} */                                                        \
    X(memory_fill)   /* w1={d,val} w2={n,-} */                                                   \
    X(memory_copy)   /* w1={d,s} w2={n,-} */                                                     \
    X(memory_init)   /* w1={d,s} w2={n,seg} */                                                   \
    X(data_drop)     /* w1={seg,-} */                                                            \
    X(table_get)     /* w1={dst,idx} w2={table,-} */                                             \
    X(table_set)     /* w1={idx,val} w2={table,-} */                                             \
    X(table_size)    /* w1={dst,-} w2={table,-} */                                               \
    X(table_grow)    /* w1={dst,init} w2={table,n} */                                            \
    X(table_fill)    /* w1={i,val} w2={table,n} */                                               \
    X(table_copy)    /* w1={d,s} w2={n,dst table} w3={src table,-} */                            \
    X(table_init)    /* w1={d,s} w2={n,table} w3={seg,-} */                                      \
    X(elem_drop)     /* w1={seg,-} */

/* Binary integer ops with a right operand in a slot (_rr: w1={dst,a} w2={b,-})
 * or immediate (_ri: w1={dst,a} w2=imm, read with WR_IMM64). X(name, type,
 * expr of a and b). */
#define WR_IBINOPS(X) WR_IBINOPS_RI(X) WR_I64SHIFTS(X)
/* i64 shifts and rotations apart: WR_I64_RI */
#define WR_I64SHIFTS(X)                                                                         \
    X(i64_shl, u64, a << (b & 63)) X(i64_shr_s, u64, (uint64_t)((int64_t)a >> (b & 63)))         \
    X(i64_shr_u, u64, a >> (b & 63)) X(i64_rotl, u64, wr_rotl64(a, b))                          \
    X(i64_rotr, u64, wr_rotr64(a, b))
#define WR_IBINOPS_RI(X)                                                                        \
    X(i32_add, u32, a + b) X(i32_sub, u32, a - b) X(i32_mul, u32, a *b)                         \
    X(i32_and, u32, a &b) X(i32_or, u32, a | b) X(i32_xor, u32, a ^ b)                          \
    X(i32_shl, u32, a << (b & 31)) X(i32_shr_s, u32, (uint32_t)((int32_t)a >> (b & 31)))         \
    X(i32_shr_u, u32, a >> (b & 31)) X(i32_rotl, u32, wr_rotl32(a, b))                          \
    X(i32_rotr, u32, wr_rotr32(a, b)) X(i32_eq, u32, a == b) X(i32_ne, u32, a != b)             \
    X(i32_lt_s, u32, (int32_t)a < (int32_t)b) X(i32_lt_u, u32, a < b)                           \
    X(i32_gt_s, u32, (int32_t)a > (int32_t)b) X(i32_gt_u, u32, a > b)                           \
    X(i32_le_s, u32, (int32_t)a <= (int32_t)b) X(i32_le_u, u32, a <= b)                         \
    X(i32_ge_s, u32, (int32_t)a >= (int32_t)b) X(i32_ge_u, u32, a >= b)                         \
    X(i64_add, u64, a + b) X(i64_sub, u64, a - b) X(i64_mul, u64, a *b)                         \
    X(i64_and, u64, a &b) X(i64_or, u64, a | b) X(i64_xor, u64, a ^ b)

/* i64 comparisons produce an i32. */
#define WR_I64CMPS(X)                                                                           \
    X(i64_eq, a == b) X(i64_ne, a != b) X(i64_lt_s, (int64_t)a < (int64_t)b) X(i64_lt_u, a < b) \
    X(i64_gt_s, (int64_t)a > (int64_t)b) X(i64_gt_u, a > b)                                     \
    X(i64_le_s, (int64_t)a <= (int64_t)b) X(i64_le_u, a <= b)                                   \
    X(i64_ge_s, (int64_t)a >= (int64_t)b) X(i64_ge_u, a >= b)

/* Trapping integer division (rr and ri forms). */
#define WR_IDIVS32(X) X(i32_div_s) X(i32_div_u) X(i32_rem_s) X(i32_rem_u)
#define WR_IDIVS64(X) X(i64_div_s) X(i64_div_u) X(i64_rem_s) X(i64_rem_u)
#define WR_IDIVS(X) WR_IDIVS32(X) WR_IDIVS64(X)

/* Fused compare-and-branch on i32 (branch when the comparison holds):
 * _rr: w1={a,b} w2=rel; _ri: w1={a,imm} w2=rel. */
#define WR_BRCMPS(X)                                                                            \
    X(eq, a == b) X(ne, a != b) X(lt_s, (int32_t)a < (int32_t)b) X(lt_u, a < b)                 \
    X(gt_s, (int32_t)a > (int32_t)b) X(gt_u, a > b) X(le_s, (int32_t)a <= (int32_t)b)           \
    X(le_u, a <= b) X(ge_s, (int32_t)a >= (int32_t)b) X(ge_u, a >= b)

/* Float binary ops (rr only): X(name, ctype, expr). */
#define WR_FBINOPS(X)                                                                           \
    X(f32_add, f32, a + b) X(f32_sub, f32, a - b) X(f32_mul, f32, a *b) X(f32_div, f32, a / b)  \
    X(f32_min, f32, wr_fminf(a, b)) X(f32_max, f32, wr_fmaxf(a, b))                             \
    X(f64_add, f64, a + b) X(f64_sub, f64, a - b) X(f64_mul, f64, a *b) X(f64_div, f64, a / b)  \
    X(f64_min, f64, wr_fmin(a, b)) X(f64_max, f64, wr_fmax(a, b))

/* Float comparisons (produce i32), rr only. */
#define WR_FCMPS(X)                                                                             \
    X(f32_eq, f32, a == b) X(f32_ne, f32, a != b) X(f32_lt, f32, a < b) X(f32_gt, f32, a > b)   \
    X(f32_le, f32, a <= b) X(f32_ge, f32, a >= b)                                               \
    X(f64_eq, f64, a == b) X(f64_ne, f64, a != b) X(f64_lt, f64, a < b) X(f64_gt, f64, a > b)   \
    X(f64_le, f64, a <= b) X(f64_ge, f64, a >= b)

/* Unary ops, w1={dst,src}: X(name, in member, out member, expr of a). */
#define WR_UNOPS(X)                                                                             \
    X(i32_eqz, u32, u32, a == 0) X(i32_clz, u32, u32, wr_clz32(a))                              \
    X(i32_ctz, u32, u32, wr_ctz32(a)) X(i32_popcnt, u32, u32, (uint32_t)__builtin_popcount(a))  \
    X(i64_eqz, u64, u32, a == 0) X(i64_clz, u64, u64, wr_clz64(a))                              \
    X(i64_ctz, u64, u64, wr_ctz64(a)) X(i64_popcnt, u64, u64, (uint64_t)__builtin_popcountll(a)) \
    X(f32_abs, u32, u32, a & 0x7fffffffu) X(f32_neg, u32, u32, a ^ 0x80000000u)                 \
    X(f32_ceil, f32, f32, wr_fround32(a, 0)) X(f32_floor, f32, f32, wr_fround32(a, 1))         \
    X(f32_trunc, f32, f32, wr_fround32(a, 2)) X(f32_nearest, f32, f32, wr_fround32(a, 3))     \
    X(f32_sqrt, f32, f32, sqrtf(a))                                                             \
    X(f64_abs, u64, u64, a & 0x7fffffffffffffffull) X(f64_neg, u64, u64, a ^ 0x8000000000000000ull) \
    X(f64_ceil, f64, f64, wr_fround64(a, 0)) X(f64_floor, f64, f64, wr_fround64(a, 1))         \
    X(f64_trunc, f64, f64, wr_fround64(a, 2)) X(f64_nearest, f64, f64, wr_fround64(a, 3))     \
    X(f64_sqrt, f64, f64, sqrt(a))                                                              \
    X(i32_wrap_i64, u64, u32, (uint32_t)a)                                                      \
    X(i64_extend_i32_s, i32, i64, (int64_t)a) X(i64_extend_i32_u, u32, u64, (uint64_t)a)        \
    X(f32_convert_i32_s, i32, f32, (float)a) X(f32_convert_i32_u, u32, f32, (float)a)           \
    X(f32_convert_i64_s, i64, f32, (float)a) X(f32_convert_i64_u, u64, f32, (float)a)           \
    X(f32_demote_f64, f64, f32, (float)a)                                                       \
    X(f64_convert_i32_s, i32, f64, (double)a) X(f64_convert_i32_u, u32, f64, (double)a)         \
    X(f64_convert_i64_s, i64, f64, (double)a) X(f64_convert_i64_u, u64, f64, (double)a)         \
    X(f64_promote_f32, f32, f64, (double)a)                                                     \
    X(i32_extend8_s, u32, u32, (uint32_t)(int32_t)(int8_t)a)                                    \
    X(i32_extend16_s, u32, u32, (uint32_t)(int32_t)(int16_t)a)                                  \
    X(i64_extend8_s, u64, u64, (uint64_t)(int64_t)(int8_t)a)                                    \
    X(i64_extend16_s, u64, u64, (uint64_t)(int64_t)(int16_t)a)                                  \
    X(i64_extend32_s, u64, u64, (uint64_t)(int64_t)(int32_t)a)                                  \
    X(i32_trunc_sat_f32_s, f32, u32, (uint32_t)wr_sat_i32(a)) X(i32_trunc_sat_f32_u, f32, u32, wr_sat_u32(a)) \
    X(i32_trunc_sat_f64_s, f64, u32, (uint32_t)wr_sat_i32(a)) X(i32_trunc_sat_f64_u, f64, u32, wr_sat_u32(a)) \
    X(i64_trunc_sat_f32_s, f32, u64, (uint64_t)wr_sat_i64(a)) X(i64_trunc_sat_f32_u, f32, u64, wr_sat_u64(a)) \
    X(i64_trunc_sat_f64_s, f64, u64, (uint64_t)wr_sat_i64(a)) X(i64_trunc_sat_f64_u, f64, u64, wr_sat_u64(a))

/* Binary float ops on bits (copysign). */
#define WR_COPYSIGNS(X) X(f32_copysign) X(f64_copysign)

/* Trapping float-to-int truncations, w1={dst,src}. */
#define WR_TRUNCS(X) X(i32_trunc_f32_s) X(i32_trunc_f32_u) X(i32_trunc_f64_s) X(i32_trunc_f64_u) \
    X(i64_trunc_f32_s) X(i64_trunc_f32_u) X(i64_trunc_f64_s) X(i64_trunc_f64_u)

/* Loads w1={dst,addr} w2=offset: X(name, bytes, expr from the loaded raw value v). */
#define WR_LOADS(X)                                                                             \
    X(i32_load, 4, (uint64_t)wr_ld32(p)) X(i64_load, 8, wr_ld64(p))                             \
    X(i32_load8_s, 1, (uint32_t)(int32_t)(int8_t)p[0]) X(i32_load8_u, 1, (uint64_t)p[0])        \
    X(i32_load16_s, 2, (uint32_t)(int32_t)(int16_t)wr_ld16(p)) X(i32_load16_u, 2, (uint64_t)wr_ld16(p)) \
    X(i64_load8_s, 1, (uint64_t)(int64_t)(int8_t)p[0]) X(i64_load8_u, 1, (uint64_t)p[0])        \
    X(i64_load16_s, 2, (uint64_t)(int64_t)(int16_t)wr_ld16(p)) X(i64_load16_u, 2, (uint64_t)wr_ld16(p)) \
    X(i64_load32_s, 4, (uint64_t)(int64_t)(int32_t)wr_ld32(p)) X(i64_load32_u, 4, (uint64_t)wr_ld32(p))

/* Stores w1={val,addr} w2=offset: X(name, bytes). */
#define WR_STORES(X) X(i32_store, 4) X(i64_store, 8) X(i32_store8, 1) X(i32_store16, 2) \
    X(i64_store8, 1) X(i64_store16, 2) X(i64_store32, 4)

/* Fixed-width SIMD (WR_FEATURE_SIMD builds; wr_simd.c has the semantics):
 * a v128 fills the two slots of its value (wr_internal.h, WR_VSLOTS). */
#define WR_SIMD_OPS(X)                                                                          \
    X(v128_global_get) /* w1={dst,global} */                                                    \
    X(v128_global_set) /* w1={src,global} */                                                    \
    X(simd)          /* w1={dst,a} w2={b,c} w3={0xfd sub-opcode,lane}: wr_simd_op */            \
    X(simd_shuffle)  /* w1={dst,a} w2={b,-} then 16 bytes of lane indices */                    \
    X(simd_mem)      /* w1={value,addr} w2=offset w3={vector,sub | lane << 8}: wr_simd_mem */

#ifdef WR_FEATURE_SIMD
/* Bytes a simd_mem op with 0xfd sub-opcode `sub` accesses; *write (when
 * not NULL): whether it stores (wr_simd.c). */
uint32_t wr_simd_mem_size(uint32_t sub, bool *write);
#endif

/* Address fusion (WR_ADDR_FUSE, normal translations only): a load or store
 * whose address an i32.add (or i32.add_sl) just computed into a stack slot
 * takes the add's operands and computes the address itself, wrapping it to
 * 32 bits before adding the offset as the spec does:
 *   _arr: w1={dst,a} w2={b,offset}      ea = (u32)(a + b) + offset
 *   _ari: w1={dst,a} w2={imm,offset}    ea = (u32)(a + imm) + offset
 *   _asl: w1={dst,a} w2={b,s} w3=offset ea = (u32)(a + (b << s)) + offset
 * (stores: w1={val,a}). i32_add_sl w1={dst,a} w2={b,s} is an i32.shl by a
 * constant fused into the i32.add that takes its result (base + index <<
 * scale). X(name, bytes, expr) as in WR_LOADS and WR_STORES. */
#define WR_ALOADS(X)                                                                            \
    X(i32_load, 4, (uint64_t)wr_ld32(p)) X(i64_load, 8, wr_ld64(p))                             \
    X(i32_load8_s, 1, (uint32_t)(int32_t)(int8_t)p[0]) X(i32_load8_u, 1, (uint64_t)p[0])        \
    X(i32_load16_s, 2, (uint32_t)(int32_t)(int16_t)wr_ld16(p)) X(i32_load16_u, 2, (uint64_t)wr_ld16(p))
#define WR_ASTORES(X) X(i32_store, 4) X(i64_store, 8) X(i32_store8, 1) X(i32_store16, 2)

/* f64 ops with a constant right operand (WR_ADDR_FUSE hosts): w1={dst,a}
 * w2=bits of the f64 constant (instead of a `const` op into a slot). X(name,
 * expr of a and b) as in WR_FBINOPS. */
#define WR_FBINOPS_RI(X) X(f64_add, a + b) X(f64_sub, a - b) X(f64_mul, a *b) X(f64_div, a / b)

/* Back edges (WR_BACKEDGE, the hosts of WR_ADDR_FUSE): a `br`, `br_if` or
 * fused compare-and-branch to a loop label, its layout as the plain op's,
 * jumps past the loop's `loop_check` op and polls itself (a dispatch less
 * per iteration; the poll count is the same: one at the loop's entry, one
 * per iteration). br_table entries and the packed branches go to the
 * loop_check op. */
/* Packed two-word forms, emitted on 32-bit targets only (WR_PACK) and only
 * in normal translations (the debug translation's watchpoint check reads
 * the plain layouts): w1.a = the destination (or the stored value), as in
 * the plain form, so the local.set peephole retargets both alike; w1.b =
 * x | y << 8 with x a slot below 256 and y a slot below 256 (_pr), a signed
 * 8-bit immediate (_pi) or a memory offset below 256 (loads, stores). */
#define WR_PBINOPS(X) X(i32_add, a + b) X(i32_sub, a - b) X(i32_and, a &b)
/* X(name of the plain op, bytes, expr from p as in WR_LOADS): the most
 * frequent ones only, each handler costs flash */
#define WR_PLOADS(X) X(i32_load, 4, (uint64_t)wr_ld32(p)) X(i32_load8_u, 1, (uint64_t)p[0])
#define WR_PSTORES(X) X(i32_store, 4) X(i32_store8, 1)
/* clang-format on */
/* Packed branches: br_nz_p/br_z_p w1={cond, rel}; br_<cmp>_pi (WR_BRCMPS)
 * w1={a | imm << 8, rel}, a slot below 256 and an immediate below 256. rel
 * is a signed 16-bit half: a translation of more than WR_PACK_BR_MAX words
 * uses the plain forms throughout (wr_code.long_branches). */
#define WR_PACK_BR_MAX 0x7fffu
/* 64-bit hosts keep their layout (and interpreter) byte for byte; -DWR_PACK=1
 * makes them use the packed forms too (their fields fit 32-bit halves as
 * well), to run the spec suite over them on the host; -DWR_PACK=0 on a
 * 32-bit target trades the RAM they save back for their code (about 1 KiB of
 * flash). */
#ifndef WR_PACK
#if UINTPTR_MAX > 0xffffffffu
#define WR_PACK 0
#else
#define WR_PACK 1
#endif
#endif
/* With WR_PACK the i64 comparisons, divisions, shifts and rotations have
 * no _ri forms (the translator puts the constant in a slot): their handlers cost
 * flash for ops that 32-bit code seldom runs, and the division is a
 * library call on a 32-bit core anyway. */
#define WR_I64_RI (!WR_PACK)
/* The address fusion (WR_ALOADS): 64-bit hosts (offsets fit a half) and
 * not the packed layout, whose handlers cost the firmware's flash. */
#ifndef WR_ADDR_FUSE
#define WR_ADDR_FUSE (UINTPTR_MAX > 0xffffffffu && !WR_PACK)
#endif
#define WR_BACKEDGE WR_ADDR_FUSE
/* The accumulators (WR_ACC, the hosts of WR_ADDR_FUSE; -DWR_ACC=0 turns
 * them off to measure them): the integer binary ops (WR_IBINOPS) and the
 * loads (WR_LOADS, WR_ALOADS, i32_add_sl) also leave their result in a
 * register of the interpreter; the f64 ops of WR_FBINOPS_RI and the f64
 * loads (f64_load and its fused forms: i64_load's layouts) theirs in a
 * floating-point one. Such an op that takes the result of the op just
 * before it (`const` ops in between do not count) as an operand reads it
 * from there: the left one in its _xr form (w1={dst,a} w2={b,-}) or _xi
 * form (w1={dst,a} w2=imm), the right one in its _yr form (the layout of
 * _rr), the slot of that operand kept but not read. Results are still
 * written to their slots: a chain of dependent ops saves a store-to-load
 * round trip per op, and every slot holds what the debugger and the other
 * ops read. Normal translations only; never across a label (cc.barrier),
 * so every sync point and branch target starts without one. */
#ifndef WR_ACC
#define WR_ACC WR_ADDR_FUSE
#endif

typedef enum wr_opcode {
#define WR_X1(n) WR_OP_##n,
#define WR_X2(n, ...) WR_OP_##n,
#define WR_XRR(n, ...) WR_OP_##n##_rr, WR_OP_##n##_ri,
#define WR_XBR(n, ...) WR_OP_br_##n##_rr, WR_OP_br_##n##_ri,
    WR_CTRL_OPS(WR_X1) WR_IBINOPS(WR_XRR) WR_I64CMPS(WR_XRR) WR_IDIVS(WR_XRR) WR_BRCMPS(WR_XBR)
        WR_FBINOPS(WR_X2) WR_FCMPS(WR_X2) WR_UNOPS(WR_X2) WR_COPYSIGNS(WR_X1) WR_TRUNCS(WR_X1)
            WR_LOADS(WR_X2) WR_STORES(WR_X2)
#define WR_XP(n, ...) WR_OP_##n##_pr, WR_OP_##n##_pi,
#define WR_XPM(n, ...) WR_OP_##n##_p,
#define WR_XPB(n, ...) WR_OP_br_##n##_pi,
                WR_PBINOPS(WR_XP) WR_PLOADS(WR_XPM) WR_PSTORES(WR_XPM)
                    WR_OP_const16, /* w1={dst,bits}: bits <= 0xffff */
    WR_OP_br_nz_p,
    WR_OP_br_z_p,
    WR_BRCMPS(WR_XPB)
#if WR_FEATURE_EH
    /* exception handling: throw w1={base,tag} (the payload from slot base);
     * throw_ref w1={exnref slot,-} (rethrow too) */
    WR_OP_throw,
    WR_OP_throw_ref,
#endif
#ifdef WR_FEATURE_SIMD
    WR_SIMD_OPS(WR_X1)
#endif
#if WR_ADDR_FUSE
#define WR_XA(n, ...) WR_OP_##n##_arr, WR_OP_##n##_ari, WR_OP_##n##_asl,
        WR_ALOADS(WR_XA) WR_ASTORES(WR_XA) WR_OP_i32_add_sl,
#define WR_XF(n, ...) WR_OP_##n##_ri,
    WR_FBINOPS_RI(WR_XF)
#undef WR_XF
#define WR_XBK(n, ...) WR_OP_br_##n##_rr_bk, WR_OP_br_##n##_ri_bk,
        WR_OP_br_bk,
    WR_OP_br_nz_bk,
    WR_OP_br_z_bk,
    WR_BRCMPS(WR_XBK)
#undef WR_XBK
#undef WR_XA
#endif
#if WR_ACC
#define WR_XAC(n, ...) WR_OP_##n##_xr, WR_OP_##n##_xi, WR_OP_##n##_yr,
        WR_IBINOPS(WR_XAC) WR_FBINOPS_RI(WR_XAC) WR_OP_f64_load,
    WR_OP_f64_load_arr,
    WR_OP_f64_load_ari,
    WR_OP_f64_load_asl,
#undef WR_XAC
#endif
#undef WR_XPB
#undef WR_XP
#undef WR_XPM
#undef WR_X1
#undef WR_X2
#undef WR_XRR
#undef WR_XBR
    WR_OP_COUNT
} wr_opcode;

/* The interpreter's handler addresses: base + off[op] for each wr_opcode.
 * Offsets, not pointers, to keep the table small (it is in flash on a
 * device); 16 bits reach the whole interpreter on 32-bit targets. */
#if UINTPTR_MAX > 0xffffffffu
typedef int32_t wr_hoff;
#else
typedef int16_t wr_hoff;
#endif
typedef struct wr_handlers {
    const char *base;
    const wr_hoff *off;
} wr_handlers;
wr_handlers wr_interp_handlers(void);
#define WR_HANDLER(hs, op) ((const void *)((hs).base + (hs).off[op]))

/* Makes the normal translation of a function if it does not exist yet
 * (its first call: the `lazy` op). */
wr_status wr_code_make_normal(wr_code *code, wr_error *err);
/* Makes the debug translation of a function if it does not exist yet. */
wr_status wr_code_make_debug(wr_code *code, wr_error *err);
/* Points calls at the normal translation, or at the `lazy` op while there
 * is none yet. */
void wr_code_use_normal(wr_code *code);
/* Whether calls use the normal translation (or will make it). */
bool wr_code_runs_normal(const wr_code *code);
/* Translates a body (normal or debug) into `out`. */
wr_status wr_translate(wr_module *mod, uint32_t func_index, bool debug, wr_ops *out, wr_error *err);
void wr_ops_release(wr_ops *o);
/* Positions *pc at the last pc-map entry of o whose op starts at or before
 * word ir (the op containing ir); false when there is none. */
bool wr_pc_seek_ir(const wr_ops *o, uint32_t ir, wr_pc *pc);
/* The same, from *pc on when it is an entry of o at or before ir (a lookup
 * after an earlier one in straight-line code decodes no more than it must). */
bool wr_pc_seek_ir_from(const wr_ops *o, uint32_t ir, wr_pc *pc);
/* Positions *pc at the first entry whose code offset is >= off; false when
 * there is none. */
bool wr_pc_seek_off(const wr_ops *o, uint32_t off, wr_pc *pc);
/* Moves *pc to the next entry; false (pc unchanged) at the end. */
bool wr_pc_next(const wr_ops *o, wr_pc *pc);
/* The code offset of the op at word index `ir` of `o` (the op containing it). */
uint32_t wr_ops_offset_at(const wr_ops *o, uint32_t ir);
/* Which of code's translations holds ip, with its pc map and sync points,
 * or NULL. For the normal translation these are rebuilt into the module's
 * cache (wr_code_normal_map): valid until the next call for another
 * function. */
const wr_ops *wr_code_ops_of(const wr_code *code, const wr_op *ip);
/* The normal translation's ops with its pc map and sync points, rebuilt
 * into the module's one-function cache; NULL when there is no normal
 * translation or no memory. Valid until the next call for another function. */
const wr_ops *wr_code_normal_map(const wr_code *code);

#endif
