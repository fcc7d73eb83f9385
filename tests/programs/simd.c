/* Fixed-width SIMD: kernels written with wasm_simd128.h intrinsics when
 * built with -msimd128 (a scalar fallback for the native build), and plain
 * loops the compiler vectorises at -O2. Both builds must print the same. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define N 1000

static int16_t sa[N], sb[N];
static float fx[N], fy[N];
static uint8_t bytes[4096];
static int32_t ia[N], ib[N], ic[N];
static double dv[N];

/* dot product of int16 vectors (i32x4.dot_i16x8_s) */
static int64_t dot16(const int16_t *a, const int16_t *b, int n)
{
    int64_t sum = 0;
    int i = 0;
#ifdef __wasm_simd128__
    v128_t acc = wasm_i32x4_splat(0);
    for (; i + 8 <= n; i += 8)
        acc =
            wasm_i32x4_add(acc, wasm_i32x4_dot_i16x8(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    sum = (int64_t)wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) +
          wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
#endif
    for (; i < n; i++)
        sum += (int32_t)a[i] * b[i];
    return sum;
}

/* y = a * x + y (f32x4) */
static void saxpy(float a, const float *x, float *y, int n)
{
    int i = 0;
#ifdef __wasm_simd128__
    v128_t va = wasm_f32x4_splat(a);
    for (; i + 4 <= n; i += 4)
        wasm_v128_store(y + i, wasm_f32x4_add(wasm_f32x4_mul(va, wasm_v128_load(x + i)),
                                              wasm_v128_load(y + i)));
#endif
    for (; i < n; i++)
        y[i] = a * x[i] + y[i];
}

/* how many bytes equal c (i8x16.eq, i8x16.bitmask, popcount) */
static int count_byte(const uint8_t *p, int n, uint8_t c)
{
    int count = 0, i = 0;
#ifdef __wasm_simd128__
    v128_t vc = wasm_i8x16_splat((int8_t)c);
    for (; i + 16 <= n; i += 16)
        count += __builtin_popcount(wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), vc)));
#endif
    for (; i < n; i++)
        count += p[i] == c;
    return count;
}

/* first position of needle in hay, -1 if none: candidates by the first
 * byte 16 at a time (any_true, bitmask, ctz) */
static int find(const char *hay, int n, const char *needle)
{
    int m = (int)strlen(needle), i = 0;
    if (m == 0) return 0;
#ifdef __wasm_simd128__
    v128_t first = wasm_i8x16_splat(needle[0]);
    for (; i + 16 <= n; i += 16) {
        v128_t eq = wasm_i8x16_eq(wasm_v128_load(hay + i), first);
        if (!wasm_v128_any_true(eq)) continue;
        uint32_t mask = wasm_i8x16_bitmask(eq);
        while (mask) {
            int k = i + __builtin_ctz(mask);
            if (k + m <= n && memcmp(hay + k, needle, (size_t)m) == 0) return k;
            mask &= mask - 1;
        }
    }
#endif
    for (; i + m <= n; i++)
        if (memcmp(hay + i, needle, (size_t)m) == 0) return i;
    return -1;
}

/* a 16-byte block: saturating add, byte reversal (shuffle), swizzle, min/max,
 * average, narrow/extend, conversions; printed lane by lane */
static void lanes(void)
{
    uint8_t a[16], b[16], r[16];
    for (int i = 0; i < 16; i++) {
        a[i] = (uint8_t)(i * 37 + 200);
        b[i] = (uint8_t)(i * 11 + 100);
    }
#ifdef __wasm_simd128__
    v128_t va = wasm_v128_load(a), vb = wasm_v128_load(b);
    wasm_v128_store(r, wasm_u8x16_add_sat(va, vb));
#else
    for (int i = 0; i < 16; i++)
        r[i] = (uint8_t)(a[i] + b[i] > 255 ? 255 : a[i] + b[i]);
#endif
    printf("add_sat:");
    for (int i = 0; i < 16; i++)
        printf(" %u", r[i]);
#ifdef __wasm_simd128__
    wasm_v128_store(r, wasm_i8x16_shuffle(va, vb, 15, 14, 13, 12, 11, 10, 9, 8, 16, 17, 18, 19, 20,
                                          21, 22, 23));
#else
    for (int i = 0; i < 8; i++)
        r[i] = a[15 - i], r[8 + i] = b[i];
#endif
    printf("\nshuffle:");
    for (int i = 0; i < 16; i++)
        printf(" %u", r[i]);
#ifdef __wasm_simd128__
    wasm_v128_store(r, wasm_i8x16_swizzle(
                           va, wasm_u8x16_make(3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 97, 9, 3, 200)));
#else
    static const uint8_t idx[16] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 97, 9, 3, 200};
    for (int i = 0; i < 16; i++)
        r[i] = idx[i] < 16 ? a[idx[i]] : 0;
#endif
    printf("\nswizzle:");
    for (int i = 0; i < 16; i++)
        printf(" %u", r[i]);
    int16_t w[8];
#ifdef __wasm_simd128__
    v128_t lo = wasm_i16x8_extend_low_i8x16(va), hi = wasm_u16x8_extend_high_u8x16(vb);
    wasm_v128_store(w, wasm_i16x8_sub(wasm_i16x8_mul(lo, hi), wasm_u16x8_avgr(lo, hi)));
#else
    for (int i = 0; i < 8; i++) {
        int16_t l = (int8_t)a[i], h = b[8 + i];
        w[i] = (int16_t)(l * h - (int16_t)(((uint16_t)l + (uint16_t)h + 1u) >> 1));
    }
#endif
    printf("\ni16x8:");
    for (int i = 0; i < 8; i++)
        printf(" %d", w[i]);
    float f[4] = {-2.5f, 3.75f, 1e10f, -1e10f};
    int32_t q[4];
#ifdef __wasm_simd128__
    v128_t vf = wasm_v128_load(f);
    wasm_v128_store(q, wasm_i32x4_trunc_sat_f32x4(vf));
    wasm_v128_store(f, wasm_f32x4_sqrt(wasm_f32x4_abs(wasm_f32x4_nearest(vf))));
#else
    for (int i = 0; i < 4; i++) {
        q[i] = f[i] >= 2147483648.0f   ? INT32_MAX
               : f[i] < -2147483648.0f ? INT32_MIN
                                       : (int32_t)f[i];
        f[i] = sqrtf(fabsf(nearbyintf(f[i])));
    }
#endif
    printf("\ntrunc_sat: %d %d %d %d\nsqrt: %.9g %.9g %.9g %.9g\n", q[0], q[1], q[2], q[3],
           (double)f[0], (double)f[1], (double)f[2], (double)f[3]);
}

/* Loops left to the compiler (vectorised at -O2 with -msimd128) */
static void autovec(void)
{
    for (int i = 0; i < N; i++)
        ic[i] = ia[i] * ib[i] + (ic[i] >> 1);
    int64_t s = 0;
    for (int i = 0; i < N; i++)
        s += ic[i];
    uint8_t mx = 0;
    for (int i = 0; i < (int)sizeof bytes; i++)
        mx = bytes[i] > mx ? bytes[i] : mx;
    double d = 0;
    for (int i = 0; i < N; i++)
        dv[i] = dv[i] * 0.5 + (double)ia[i];
    for (int i = 0; i < N; i++)
        d += dv[i];
    printf("autovec: %lld %u %.17g\n", (long long)s, mx, d);
}

int main(void)
{
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        sa[i] = (int16_t)(seed >> 16);
        sb[i] = (int16_t)(seed >> 8);
        fx[i] = (float)(int)(seed % 2000) / 8.0f;
        fy[i] = (float)i / 4.0f;
        ia[i] = (int32_t)(seed >> 3) - (1 << 27);
        ib[i] = (int32_t)(seed % 1000);
        ic[i] = i;
        dv[i] = (double)i / 3.0;
    }
    for (int i = 0; i < (int)sizeof bytes; i++) {
        seed = seed * 1103515245u + 12345u;
        bytes[i] = (uint8_t)(seed >> 24) % 64 + 'A';
    }
    printf("dot16: %lld\n", (long long)dot16(sa, sb, N));
    saxpy(1.5f, fx, fy, N);
    double fs = 0;
    for (int i = 0; i < N; i++)
        fs += fy[i];
    printf("saxpy: %.17g %.9g %.9g\n", fs, (double)fy[0], (double)fy[N - 1]);
    int hist[4] = {0, 0, 0, 0};
    for (int c = 0; c < 4; c++)
        hist[c] = count_byte(bytes, (int)sizeof bytes, (uint8_t)('A' + c * 13));
    printf("histogram: %d %d %d %d\n", hist[0], hist[1], hist[2], hist[3]);
    static const char text[] =
        "the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs, "
        "sphinx of black quartz, judge my vow: a needle hides in this haystack somewhere";
    printf("find: %d %d %d %d\n", find(text, (int)strlen(text), "needle"),
           find(text, (int)strlen(text), "quartz"), find(text, (int)strlen(text), "absent"),
           find(text, (int)strlen(text), "somewhere"));
    lanes();
    autovec();
    return 0;
}
