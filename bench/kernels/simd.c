/* 128-bit SIMD: an image filter (rounding average of two 8-bit images
 * plus a saturating brighten), a float dot product and a byte scan
 * (compare, bitmask, popcount), 16 bytes or 4 floats an instruction.
 * Written with intrinsics: wasm_simd128.h for Wasm (clang-22 -msimd128,
 * which bench/run.sh passes), SSE2 natively (every x86-64), plain C
 * elsewhere; every path computes the same lanes in the same order, so
 * the checksums agree. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__wasm__) && !defined(__wasm_simd128__)
#error "the simd kernel is built with -msimd128"
#endif

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
typedef v128_t vi;
typedef v128_t vf;
#define LOADI(p) wasm_v128_load(p)
#define STOREI(p, v) wasm_v128_store(p, v)
#define LOADF(p) wasm_v128_load(p)
#define STOREF(p, v) wasm_v128_store(p, v)
#define ZEROF() wasm_f32x4_splat(0.0f)
#define ADDF(a, b) wasm_f32x4_add(a, b)
#define MULF(a, b) wasm_f32x4_mul(a, b)
#define AVGU8(a, b) wasm_u8x16_avgr(a, b)
#define ADDSATU8(a, b) wasm_u8x16_add_sat(a, b)
#define SPLATU8(c) wasm_i8x16_splat((int8_t)(c))
#define EQMASK8(a, b) ((unsigned)wasm_i8x16_bitmask(wasm_i8x16_eq(a, b)))
#define HAVE_VEC 1
#elif defined(__SSE2__)
#include <emmintrin.h>
typedef __m128i vi;
typedef __m128 vf;
#define LOADI(p) _mm_loadu_si128((const __m128i *)(p))
#define STOREI(p, v) _mm_storeu_si128((__m128i *)(p), v)
#define LOADF(p) _mm_loadu_ps(p)
#define STOREF(p, v) _mm_storeu_ps(p, v)
#define ZEROF() _mm_setzero_ps()
#define ADDF(a, b) _mm_add_ps(a, b)
#define MULF(a, b) _mm_mul_ps(a, b)
#define AVGU8(a, b) _mm_avg_epu8(a, b)
#define ADDSATU8(a, b) _mm_adds_epu8(a, b)
#define SPLATU8(c) _mm_set1_epi8((char)(c))
#define EQMASK8(a, b) ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)))
#define HAVE_VEC 1
#else
#define HAVE_VEC 0
#endif

/* out = min(255, avg_round_up(a, b) + add), n a multiple of 16 */
static void blend(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n, uint8_t add)
{
#if HAVE_VEC
    vi k = SPLATU8(add);
    for (size_t i = 0; i < n; i += 16)
        STOREI(out + i, ADDSATU8(AVGU8(LOADI(a + i), LOADI(b + i)), k));
#else
    for (size_t i = 0; i < n; i++) {
        unsigned v = ((unsigned)a[i] + b[i] + 1) / 2 + add;
        out[i] = (uint8_t)(v > 255 ? 255 : v);
    }
#endif
}

/* four partial sums, lane j over the elements i with i % 4 == j, added
 * up as (s0 + s1) + (s2 + s3); n a multiple of 4 */
static float dot(const float *x, const float *y, size_t n)
{
    float s[4];
#if HAVE_VEC
    vf acc = ZEROF();
    for (size_t i = 0; i < n; i += 4)
        acc = ADDF(acc, MULF(LOADF(x + i), LOADF(y + i)));
    STOREF(s, acc);
#else
    s[0] = s[1] = s[2] = s[3] = 0.0f;
    for (size_t i = 0; i < n; i += 4)
        for (int j = 0; j < 4; j++)
            s[j] += x[i + j] * y[i + j];
#endif
    return (s[0] + s[1]) + (s[2] + s[3]);
}

/* how many bytes of p equal c, and the sum of their positions */
static size_t scan(const uint8_t *p, size_t n, uint8_t c, uint64_t *possum)
{
    size_t count = 0;
    uint64_t ps = 0;
#if HAVE_VEC
    vi k = SPLATU8(c);
    for (size_t i = 0; i < n; i += 16) {
        unsigned m = EQMASK8(LOADI(p + i), k);
        count += (size_t)__builtin_popcount(m);
        while (m) {
            ps += i + (unsigned)__builtin_ctz(m);
            m &= m - 1;
        }
    }
#else
    for (size_t i = 0; i < n; i++)
        if (p[i] == c) {
            count++;
            ps += i;
        }
#endif
    *possum = ps;
    return count;
}

int main(int argc, char **argv)
{
    size_t n = 1u << 18; /* bytes of an image; floats of a vector */
    int rounds = argc > 1 ? atoi(argv[1]) : 1000;
    uint8_t *a = malloc(n), *b = malloc(n), *out = malloc(n);
    float *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    uint32_t r = 0x9e3779b9u;
    for (size_t i = 0; i < n; i++) {
        r ^= r << 13;
        r ^= r >> 17;
        r ^= r << 5;
        a[i] = (uint8_t)r;
        b[i] = (uint8_t)(r >> 8);
        x[i] = (float)((r >> 16) & 0xff) / 64.0f - 2.0f;
        y[i] = (float)((r >> 24) & 0xff) / 128.0f;
    }
    uint32_t h = 2166136261u;
    uint64_t total = 0;
    double fsum = 0;
    for (int k = 0; k < rounds; k++) {
        blend(out, a, b, n, (uint8_t)(k & 63));
        uint64_t ps;
        size_t c = scan(out, n, (uint8_t)(128 + (k & 127)), &ps);
        total += c + ps;
        fsum += dot(x, y, n);
        x[(size_t)k * 4099 % n] += 0.25f;
        /* the next round's input depends on this one's output */
        memcpy(a, out, n / 2);
        for (size_t i = 0; i < n; i += 4096)
            h = (h ^ out[i]) * 16777619u;
    }
    printf("simd: bytes=%zu rounds=%d total=%llu dot=%.6e checksum=%08x%016llx\n", n, rounds,
           (unsigned long long)total, fsum, h, (unsigned long long)total);
    free(a);
    free(b);
    free(out);
    free(x);
    free(y);
    return 0;
}
