/*
 * Fixed-width SIMD (Wasm 2.0, the 0xfd instructions): the semantics of the
 * generic ops of wr_code.h (simd, simd_shuffle, simd_mem), lane by lane in
 * portable C. Included by wr_interp.c (WR_FEATURE_SIMD builds), after its
 * scalar helpers, so each lane runs the very code of the scalar op
 * (wr_fminf, wr_fround32, wr_sat_i32...): the NaN rules are the same.
 *
 * A v128 is 16 bytes in memory order in the two slots of its value; lanes
 * are little-endian (the hosts this runs on are). Operands come as slot
 * pointers: a v128 operand's two slots, or a scalar's one (its first).
 * Results go through a local copy, so an operand may be the destination.
 * Out of line (noinline): inlined into the interpreter's loop they would
 * change how the compiler allocates its registers for every other op.
 */

typedef union wr_v128 {
    uint8_t u8[16];
    int8_t i8[16];
    uint16_t u16[8];
    int16_t i16[8];
    uint32_t u32[4];
    int32_t i32[4];
    uint64_t u64[2];
    int64_t i64[2];
    f32 f32[4];
    f64 f64[2];
} wr_v128;

static inline int32_t sat(int64_t v, int64_t lo, int64_t hi)
{
    return (int32_t)(v < lo ? lo : v > hi ? hi : v);
}

/* clang-format off */
#define LANES(N, T, expr) for (int i = 0; i < (N); i++) R.T[i] = (expr)
/* comparisons: all ones where they hold */
#define CMP(N, T, U, expr) for (int i = 0; i < (N); i++) R.U[i] = (expr) ? (__typeof__(R.U[0]))-1 : 0
#define ICMPS(base, N, S, U)                                                                \
    case base + 0: CMP(N, S, U, A.U[i] == B.U[i]); break;                                   \
    case base + 1: CMP(N, S, U, A.U[i] != B.U[i]); break;                                   \
    case base + 2: CMP(N, S, U, A.S[i] < B.S[i]); break;                                    \
    case base + 3: CMP(N, S, U, A.U[i] < B.U[i]); break;                                    \
    case base + 4: CMP(N, S, U, A.S[i] > B.S[i]); break;                                    \
    case base + 5: CMP(N, S, U, A.U[i] > B.U[i]); break;                                    \
    case base + 6: CMP(N, S, U, A.S[i] <= B.S[i]); break;                                   \
    case base + 7: CMP(N, S, U, A.U[i] <= B.U[i]); break;                                   \
    case base + 8: CMP(N, S, U, A.S[i] >= B.S[i]); break;                                   \
    case base + 9: CMP(N, S, U, A.U[i] >= B.U[i]); break;
#define FCMPS(base, N, F, U)                                                                \
    case base + 0: CMP(N, F, U, A.F[i] == B.F[i]); break;                                   \
    case base + 1: CMP(N, F, U, A.F[i] != B.F[i]); break;                                   \
    case base + 2: CMP(N, F, U, A.F[i] < B.F[i]); break;                                    \
    case base + 3: CMP(N, F, U, A.F[i] > B.F[i]); break;                                    \
    case base + 4: CMP(N, F, U, A.F[i] <= B.F[i]); break;                                   \
    case base + 5: CMP(N, F, U, A.F[i] >= B.F[i]); break;
/* abs, neg, shl, shr_s, shr_u, add, sub (wrapping, in the unsigned type) */
#define IABSNEG(abs, N, S, U)                                                               \
    case abs: LANES(N, U, A.S[i] < 0 ? (__typeof__(A.U[0]))(0u - A.U[i]) : A.U[i]); break;  \
    case abs + 1: LANES(N, U, (__typeof__(A.U[0]))(0u - A.U[i])); break;
#define ISHIFTS(shl, N, S, U, bits)                                                         \
    case shl: LANES(N, U, (__typeof__(A.U[0]))(A.U[i] << (sh & (bits - 1)))); break;        \
    case shl + 1: LANES(N, S, (__typeof__(A.S[0]))(A.S[i] >> (sh & (bits - 1)))); break;    \
    case shl + 2: LANES(N, U, (__typeof__(A.U[0]))(A.U[i] >> (sh & (bits - 1)))); break;
#define IMINMAX(min, N, S, U)                                                               \
    case min: LANES(N, S, A.S[i] < B.S[i] ? A.S[i] : B.S[i]); break;                        \
    case min + 1: LANES(N, U, A.U[i] < B.U[i] ? A.U[i] : B.U[i]); break;                    \
    case min + 2: LANES(N, S, A.S[i] > B.S[i] ? A.S[i] : B.S[i]); break;                    \
    case min + 3: LANES(N, U, A.U[i] > B.U[i] ? A.U[i] : B.U[i]); break;
#define ISATS(add, N, S, U, lo, hi, uhi)                                                    \
    case add + 1: LANES(N, S, (__typeof__(A.S[0]))sat((int64_t)A.S[i] + B.S[i], lo, hi)); break; \
    case add + 2: LANES(N, U, (__typeof__(A.U[0]))sat((int64_t)A.U[i] + B.U[i], 0, uhi)); break; \
    case add + 4: LANES(N, S, (__typeof__(A.S[0]))sat((int64_t)A.S[i] - B.S[i], lo, hi)); break; \
    case add + 5: LANES(N, U, (__typeof__(A.U[0]))sat((int64_t)A.U[i] - B.U[i], 0, uhi)); break;
/* extend_low/high_s, _u from (S, U) to (WS, WU) with N result lanes */
#define IEXTENDS(base, N, S, U, WS, WU)                                                     \
    case base: LANES(N, WS, A.S[i]); break;                                                 \
    case base + 1: LANES(N, WS, A.S[i + N]); break;                                         \
    case base + 2: LANES(N, WU, A.U[i]); break;                                             \
    case base + 3: LANES(N, WU, A.U[i + N]); break;
/* extmul_low/high_s, _u: products in the C types WS, WU into lanes RU */
#define IEXTMULS(base, N, S, U, RU, WS, WU)                                                 \
    case base: LANES(N, RU, (__typeof__(R.RU[0]))((WS)A.S[i] * (WS)B.S[i])); break;         \
    case base + 1: LANES(N, RU, (__typeof__(R.RU[0]))((WS)A.S[i + N] * (WS)B.S[i + N])); break; \
    case base + 2: LANES(N, RU, (__typeof__(R.RU[0]))((WU)A.U[i] * (WU)B.U[i])); break;     \
    case base + 3: LANES(N, RU, (__typeof__(R.RU[0]))((WU)A.U[i + N] * (WU)B.U[i + N])); break;
#define ALLTRUE(N, U) { uint32_t t = 1; for (int i = 0; i < (N); i++) t &= A.U[i] != 0; out = t; scalar = true; }
#define BITMASK(N, S) { uint32_t m = 0; for (int i = 0; i < (N); i++) m |= (uint32_t)(A.S[i] < 0) << i; out = m; scalar = true; }
/* clang-format on */

/* One SIMD instruction (0xfd `sub`, `lane` its lane immediate): d = op(a, b, c). */
static __attribute__((noinline)) void wr_simd_op(uint32_t sub, uint32_t lane, uint64_t *d,
                                                 const uint64_t *a, const uint64_t *b,
                                                 const uint64_t *c)
{
    wr_v128 A, B, R;
    memcpy(&A, a, 16);
    memcpy(&B, b, 16);
    memset(&R, 0, sizeof R);
    uint64_t out = 0; /* a scalar result */
    bool scalar = false;
    uint32_t sh = (uint32_t)b[0]; /* shift counts */
    switch (sub) {
    case 0x0e: LANES(16, u8, B.u8[i] < 16 ? A.u8[B.u8[i] & 15] : 0); break;
    case 0x0f: LANES(16, u8, (uint8_t)a[0]); break;
    case 0x10: LANES(8, u16, (uint16_t)a[0]); break;
    case 0x11:
    case 0x13: LANES(4, u32, (uint32_t)a[0]); break;
    case 0x12:
    case 0x14: LANES(2, u64, a[0]); break;
    case 0x15: out = (uint32_t)(int32_t)A.i8[lane], scalar = true; break;
    case 0x16: out = A.u8[lane], scalar = true; break;
    case 0x18: out = (uint32_t)(int32_t)A.i16[lane], scalar = true; break;
    case 0x19: out = A.u16[lane], scalar = true; break;
    case 0x1b:
    case 0x1f: out = A.u32[lane], scalar = true; break;
    case 0x1d:
    case 0x21: out = A.u64[lane], scalar = true; break;
    case 0x17: R = A, R.u8[lane] = (uint8_t)b[0]; break;
    case 0x1a: R = A, R.u16[lane] = (uint16_t)b[0]; break;
    case 0x1c:
    case 0x20: R = A, R.u32[lane] = (uint32_t)b[0]; break;
    case 0x1e:
    case 0x22:
        R = A, R.u64[lane] = b[0];
        break;
        ICMPS(0x23, 16, i8, u8)
        ICMPS(0x2d, 8, i16, u16)
        ICMPS(0x37, 4, i32, u32)
        FCMPS(0x41, 4, f32, u32)
        FCMPS(0x47, 2, f64, u64)
    case 0x4d: LANES(2, u64, ~A.u64[i]); break;
    case 0x4e: LANES(2, u64, A.u64[i] & B.u64[i]); break;
    case 0x4f: LANES(2, u64, A.u64[i] & ~B.u64[i]); break;
    case 0x50: LANES(2, u64, A.u64[i] | B.u64[i]); break;
    case 0x51: LANES(2, u64, A.u64[i] ^ B.u64[i]); break;
    case 0x52: LANES(2, u64, (A.u64[i] & c[i]) | (B.u64[i] & ~c[i])); break;
    case 0x53: out = (A.u64[0] | A.u64[1]) != 0, scalar = true; break;
    case 0x5e: LANES(2, f32, (f32)A.f64[i]); break;
    case 0x5f:
        LANES(2, f64, (f64)A.f32[i]);
        break;
        IABSNEG(0x60, 16, i8, u8)
    case 0x62: LANES(16, u8, (uint8_t)__builtin_popcount(A.u8[i])); break;
    case 0x63: ALLTRUE(16, u8) break;
    case 0x64: BITMASK(16, i8) break;
    case 0x65: LANES(16, i8, (int8_t)sat(i < 8 ? A.i16[i] : B.i16[i - 8], -128, 127)); break;
    case 0x66: LANES(16, u8, (uint8_t)sat(i < 8 ? A.i16[i] : B.i16[i - 8], 0, 255)); break;
    case 0x67: LANES(4, f32, wr_fround32(A.f32[i], 0)); break;
    case 0x68: LANES(4, f32, wr_fround32(A.f32[i], 1)); break;
    case 0x69: LANES(4, f32, wr_fround32(A.f32[i], 2)); break;
    case 0x6a:
        LANES(4, f32, wr_fround32(A.f32[i], 3));
        break;
        ISHIFTS(0x6b, 16, i8, u8, 8)
    case 0x6e: LANES(16, u8, (uint8_t)(A.u8[i] + B.u8[i])); break;
    case 0x71:
        LANES(16, u8, (uint8_t)(A.u8[i] - B.u8[i]));
        break;
        ISATS(0x6e, 16, i8, u8, -128, 127, 255)
    case 0x74: LANES(2, f64, wr_fround64(A.f64[i], 0)); break;
    case 0x75: LANES(2, f64, wr_fround64(A.f64[i], 1)); break;
    case 0x7a: LANES(2, f64, wr_fround64(A.f64[i], 2)); break;
    case 0x94:
        LANES(2, f64, wr_fround64(A.f64[i], 3));
        break;
        IMINMAX(0x76, 16, i8, u8)
    case 0x7b: LANES(16, u8, (uint8_t)((A.u8[i] + B.u8[i] + 1u) >> 1)); break;
    case 0x7c: LANES(8, i16, (int16_t)(A.i8[2 * i] + A.i8[2 * i + 1])); break;
    case 0x7d: LANES(8, u16, (uint16_t)(A.u8[2 * i] + A.u8[2 * i + 1])); break;
    case 0x7e: LANES(4, i32, (int32_t)A.i16[2 * i] + A.i16[2 * i + 1]); break;
    case 0x7f:
        LANES(4, u32, (uint32_t)A.u16[2 * i] + A.u16[2 * i + 1]);
        break;
        IABSNEG(0x80, 8, i16, u16)
    case 0x82:
        LANES(8, i16, (int16_t)sat(((int32_t)A.i16[i] * B.i16[i] + 0x4000) >> 15, -32768, 32767));
        break;
    case 0x83: ALLTRUE(8, u16) break;
    case 0x84: BITMASK(8, i16) break;
    case 0x85: LANES(8, i16, (int16_t)sat(i < 4 ? A.i32[i] : B.i32[i - 4], -32768, 32767)); break;
    case 0x86:
        LANES(8, u16, (uint16_t)sat(i < 4 ? A.i32[i] : B.i32[i - 4], 0, 65535));
        break;
        IEXTENDS(0x87, 8, i8, u8, i16, u16)
        ISHIFTS(0x8b, 8, i16, u16, 16)
    case 0x8e: LANES(8, u16, (uint16_t)(A.u16[i] + B.u16[i])); break;
    case 0x91:
        LANES(8, u16, (uint16_t)(A.u16[i] - B.u16[i]));
        break;
        ISATS(0x8e, 8, i16, u16, -32768, 32767, 65535)
    case 0x95:
        LANES(8, u16, (uint16_t)((uint32_t)A.u16[i] * B.u16[i]));
        break;
        IMINMAX(0x96, 8, i16, u16)
    case 0x9b:
        LANES(8, u16, (uint16_t)((A.u16[i] + B.u16[i] + 1u) >> 1));
        break;
        IEXTMULS(0x9c, 8, i8, u8, u16, int32_t, uint32_t)
        IABSNEG(0xa0, 4, i32, u32)
    case 0xa3: ALLTRUE(4, u32) break;
    case 0xa4:
        BITMASK(4, i32) break;
        IEXTENDS(0xa7, 4, i16, u16, i32, u32)
        ISHIFTS(0xab, 4, i32, u32, 32)
    case 0xae: LANES(4, u32, A.u32[i] + B.u32[i]); break;
    case 0xb1: LANES(4, u32, A.u32[i] - B.u32[i]); break;
    case 0xb5:
        LANES(4, u32, A.u32[i] * B.u32[i]);
        break;
        IMINMAX(0xb6, 4, i32, u32)
    case 0xba:
        LANES(4, u32,
              (uint32_t)((int32_t)A.i16[2 * i] * B.i16[2 * i]) +
                  (uint32_t)((int32_t)A.i16[2 * i + 1] * B.i16[2 * i + 1]));
        break;
        IEXTMULS(0xbc, 4, i16, u16, u32, int64_t, uint32_t)
        IABSNEG(0xc0, 2, i64, u64)
    case 0xc3: ALLTRUE(2, u64) break;
    case 0xc4:
        BITMASK(2, i64) break;
        IEXTENDS(0xc7, 2, i32, u32, i64, u64)
        ISHIFTS(0xcb, 2, i64, u64, 64)
    case 0xce: LANES(2, u64, A.u64[i] + B.u64[i]); break;
    case 0xd1: LANES(2, u64, A.u64[i] - B.u64[i]); break;
    case 0xd5: LANES(2, u64, A.u64[i] * B.u64[i]); break;
    case 0xd6: CMP(2, i64, u64, A.u64[i] == B.u64[i]); break;
    case 0xd7: CMP(2, i64, u64, A.u64[i] != B.u64[i]); break;
    case 0xd8: CMP(2, i64, u64, A.i64[i] < B.i64[i]); break;
    case 0xd9: CMP(2, i64, u64, A.i64[i] > B.i64[i]); break;
    case 0xda: CMP(2, i64, u64, A.i64[i] <= B.i64[i]); break;
    case 0xdb:
        CMP(2, i64, u64, A.i64[i] >= B.i64[i]);
        break;
        IEXTMULS(0xdc, 2, i32, u32, u64, int64_t, uint64_t)
    case 0xe0: LANES(4, u32, A.u32[i] & 0x7fffffffu); break;
    case 0xe1: LANES(4, u32, A.u32[i] ^ 0x80000000u); break;
    case 0xe3: LANES(4, f32, sqrtf(A.f32[i])); break;
    case 0xe4: LANES(4, f32, A.f32[i] + B.f32[i]); break;
    case 0xe5: LANES(4, f32, A.f32[i] - B.f32[i]); break;
    case 0xe6: LANES(4, f32, A.f32[i] * B.f32[i]); break;
    case 0xe7: LANES(4, f32, A.f32[i] / B.f32[i]); break;
    case 0xe8: LANES(4, f32, wr_fminf(A.f32[i], B.f32[i])); break;
    case 0xe9: LANES(4, f32, wr_fmaxf(A.f32[i], B.f32[i])); break;
    case 0xea: LANES(4, u32, B.f32[i] < A.f32[i] ? B.u32[i] : A.u32[i]); break;
    case 0xeb: LANES(4, u32, A.f32[i] < B.f32[i] ? B.u32[i] : A.u32[i]); break;
    case 0xec: LANES(2, u64, A.u64[i] & 0x7fffffffffffffffull); break;
    case 0xed: LANES(2, u64, A.u64[i] ^ 0x8000000000000000ull); break;
    case 0xef: LANES(2, f64, sqrt(A.f64[i])); break;
    case 0xf0: LANES(2, f64, A.f64[i] + B.f64[i]); break;
    case 0xf1: LANES(2, f64, A.f64[i] - B.f64[i]); break;
    case 0xf2: LANES(2, f64, A.f64[i] * B.f64[i]); break;
    case 0xf3: LANES(2, f64, A.f64[i] / B.f64[i]); break;
    case 0xf4: LANES(2, f64, wr_fmin(A.f64[i], B.f64[i])); break;
    case 0xf5: LANES(2, f64, wr_fmax(A.f64[i], B.f64[i])); break;
    case 0xf6: LANES(2, u64, B.f64[i] < A.f64[i] ? B.u64[i] : A.u64[i]); break;
    case 0xf7: LANES(2, u64, A.f64[i] < B.f64[i] ? B.u64[i] : A.u64[i]); break;
    case 0xf8: LANES(4, i32, wr_sat_i32(A.f32[i])); break;
    case 0xf9: LANES(4, u32, wr_sat_u32(A.f32[i])); break;
    case 0xfa: LANES(4, f32, (f32)A.i32[i]); break;
    case 0xfb: LANES(4, f32, (f32)A.u32[i]); break;
    case 0xfc: LANES(2, i32, wr_sat_i32(A.f64[i])); break;
    case 0xfd: LANES(2, u32, wr_sat_u32(A.f64[i])); break;
    case 0xfe: LANES(2, f64, (f64)A.i32[i]); break;
    case 0xff: LANES(2, f64, (f64)A.u32[i]); break;
    default: break; /* the translator emits no other */
    }
    if (scalar)
        d[0] = out;
    else
        memcpy(d, &R, 16);
}
#undef LANES
#undef CMP
#undef ICMPS
#undef FCMPS
#undef IABSNEG
#undef ISHIFTS
#undef IMINMAX
#undef ISATS
#undef IEXTENDS
#undef IEXTMULS
#undef ALLTRUE
#undef BITMASK

/* i8x16.shuffle: lane i of d is lane idx[i] of a:b (32 lanes). */
static __attribute__((noinline)) void wr_simd_shuffle(uint64_t *d, const uint64_t *a,
                                                      const uint64_t *b, const uint8_t idx[16])
{
    uint8_t ab[32], r[16];
    memcpy(ab, a, 16);
    memcpy(ab + 16, b, 16);
    for (int i = 0; i < 16; i++)
        r[i] = ab[idx[i] & 31];
    memcpy(d, r, 16);
}

uint32_t wr_simd_mem_size(uint32_t sub, bool *write)
{
    if (write) *write = sub == 0x0b || (sub >= 0x58 && sub <= 0x5b);
    switch (sub) {
    case 0x00:
    case 0x0b: return 16;
    case 0x07:
    case 0x54:
    case 0x58: return 1;
    case 0x08:
    case 0x55:
    case 0x59: return 2;
    case 0x09:
    case 0x56:
    case 0x5a:
    case 0x5c: return 4;
    default: return 8; /* 0x01-0x06, 0x0a, 0x57, 0x5b, 0x5d */
    }
}

/* A SIMD load or store at p (bounds checked): v is the loaded value's
 * slots (the stored one's for stores), vec the vector a lane load starts
 * from. */
static __attribute__((noinline)) void wr_simd_mem(uint32_t sub, uint32_t lane, uint8_t *p,
                                                  uint64_t *v, const uint64_t *vec)
{
    wr_v128 R;
    uint32_t n = wr_simd_mem_size(sub, NULL);
    memset(&R, 0, sizeof R);
    switch (sub) {
    case 0x0b: memcpy(p, v, 16); return;
    case 0x58 ... 0x5b: memcpy(p, (const uint8_t *)v + lane * n, n); return;
    case 0x01:
        for (int i = 0; i < 8; i++)
            R.i16[i] = (int8_t)p[i];
        break;
    case 0x02:
        for (int i = 0; i < 8; i++)
            R.u16[i] = p[i];
        break;
    case 0x03:
        for (int i = 0; i < 4; i++)
            R.i32[i] = (int16_t)wr_ld16(p + 2 * i);
        break;
    case 0x04:
        for (int i = 0; i < 4; i++)
            R.u32[i] = wr_ld16(p + 2 * i);
        break;
    case 0x05:
        for (int i = 0; i < 2; i++)
            R.i64[i] = (int32_t)wr_ld32(p + 4 * i);
        break;
    case 0x06:
        for (int i = 0; i < 2; i++)
            R.u64[i] = wr_ld32(p + 4 * i);
        break;
    case 0x07 ... 0x0a:
        for (uint32_t i = 0; i < 16; i += n)
            memcpy(R.u8 + i, p, n);
        break;
    case 0x54 ... 0x57:
        memcpy(&R, vec, 16);
        memcpy(R.u8 + lane * n, p, n);
        break;
    default: memcpy(&R, p, n); break; /* v128.load, load32_zero, load64_zero */
    }
    memcpy(v, &R, 16);
}
