/* Integer edge cases: unsigned wraparound in every width, 64-bit
 * multiplication/division/remainder with signs, shifts by 0..63, rotations,
 * bit counting builtins, byte swaps, sign/zero extension, saturation. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

/* volatile keeps the compiler from folding everything at compile time */
static volatile uint32_t vu32[] = {0, 1, 2, 0x7fffffffu, 0x80000000u, 0xffffffffu, 0xdeadbeefu,
                                   12345u};
static volatile uint64_t vu64[] = {0, 1, 3, 0x7fffffffffffffffULL, 0x8000000000000000ULL,
                                   0xffffffffffffffffULL, 0x0123456789abcdefULL, 1000000007ULL};

static uint32_t rotl32(uint32_t x, unsigned r)
{
    return (x << (r & 31)) | (x >> ((32 - r) & 31));
}

static uint64_t rotr64(uint64_t x, unsigned r)
{
    return (x >> (r & 63)) | (x << ((64 - r) & 63));
}

int main(void)
{
    unsigned n32 = sizeof vu32 / sizeof vu32[0], n64 = sizeof vu64 / sizeof vu64[0];
    for (unsigned i = 0; i < n32; i++) {
        uint32_t a = vu32[i];
        uint32_t b = vu32[(i + 3) % n32];
        printf("u32 %08" PRIx32 ": +%08" PRIx32 " -%08" PRIx32 " *%08" PRIx32 " neg=%08" PRIx32
               " not=%08" PRIx32,
               a, a + b, a - b, a * b, -a, ~a);
        if (b)
            printf(" /%" PRIu32 " %%%" PRIu32, a / b, a % b);
        printf(" pop=%d", __builtin_popcount(a));
        if (a)
            printf(" clz=%d ctz=%d", __builtin_clz(a), __builtin_ctz(a));
        printf(" rotl7=%08" PRIx32 " bswap=%08" PRIx32 "\n", rotl32(a, 7), __builtin_bswap32(a));
    }
    for (unsigned i = 0; i < n64; i++) {
        uint64_t a = vu64[i];
        uint64_t b = vu64[(i + 5) % n64];
        printf("u64 %016" PRIx64 ": +%016" PRIx64 " *%016" PRIx64 " -%016" PRIx64, a, a + b,
               a * b, a - b);
        if (b)
            printf(" /%" PRIu64 " %%%" PRIu64, a / b, a % b);
        printf(" pop=%d", __builtin_popcountll(a));
        if (a)
            printf(" clz=%d ctz=%d", __builtin_clzll(a), __builtin_ctzll(a));
        printf(" rotr13=%016" PRIx64 " bswap=%016" PRIx64 "\n", rotr64(a, 13),
               __builtin_bswap64(a));
    }
    /* signed 64-bit division and remainder: C truncates toward zero */
    static volatile int64_t sa[] = {7, -7, INT64_MAX, INT64_MIN + 1, -1000000000000LL, 3};
    static volatile int64_t sb[] = {2, -2, 3, -3, 999999937LL, -1};
    for (unsigned i = 0; i < 6; i++)
        for (unsigned j = 0; j < 6; j++)
            printf("%" PRId64 "/%" PRId64 "=%" PRId64 " r%" PRId64 "%s", sa[i], sb[j],
                   sa[i] / sb[j], sa[i] % sb[j], j == 5 ? "\n" : "  ");
    /* shifts by every amount */
    volatile uint64_t one = 1, pattern = 0xf0f0f0f0f0f0f0f0ULL;
    volatile int64_t neg = -123456789012345LL;
    uint64_t acc = 0;
    for (unsigned s = 0; s < 64; s++) {
        acc ^= (one << s) + (pattern >> s) + (uint64_t)(neg >> s) + (uint64_t)((int64_t)pattern >> s);
        acc = acc * 0x100000001b3ULL;
    }
    printf("shift acc=%016" PRIx64 "\n", acc);
    volatile int32_t ni = -1;
    for (unsigned s = 0; s < 32; s += 5)
        printf("%d>>%u=%d u>>=%u <<=%08x\n", (int)ni, s, ni >> s, (uint32_t)ni >> s,
               (uint32_t)ni << s);
    /* narrow types and extension */
    volatile uint8_t u8 = 250;
    volatile int8_t s8 = -100;
    volatile uint16_t u16 = 65530;
    volatile int16_t s16 = -30000;
    uint8_t u8sum = (uint8_t)(u8 + 10);
    int8_t s8dif = (int8_t)(s8 - 100);
    uint16_t u16sum = (uint16_t)(u16 + 10);
    printf("narrow: %u %d %u %d %d %u %lld %llu\n", u8sum, s8dif, u16sum, (int16_t)(s16 * 2),
           (int)s8, (unsigned)(uint8_t)s8, (long long)s16, (unsigned long long)(uint32_t)(int32_t)s16);
    /* 128-bit-like multiply via 64-bit halves */
    uint64_t x = vu64[6], y = vu64[5];
    uint64_t xl = x & 0xffffffff, xh = x >> 32, yl = y & 0xffffffff, yh = y >> 32;
    uint64_t ll = xl * yl, lh = xl * yh, hl = xh * yl, hh = xh * yh;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
    uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    printf("mulhi=%016" PRIx64 " lo=%016" PRIx64 "\n", hi, x * y);
    /* modular exponentiation and gcd */
    uint64_t base = 2, e = 1000000006ULL, m = vu64[7], r = 1;
    while (e) {
        if (e & 1)
            r = r * base % m;
        base = base * base % m;
        e >>= 1;
    }
    uint64_t ga = 1071, gb = 462;
    while (gb) {
        uint64_t t = ga % gb;
        ga = gb;
        gb = t;
    }
    printf("powmod=%" PRIu64 " gcd=%" PRIu64 "\n", r, ga);
    printf("limits: %d %d %u %lld %llu\n", INT_MAX, INT_MIN, UINT_MAX, LLONG_MAX, ULLONG_MAX);
    volatile unsigned ua = 3, ub = 5;
    printf("unsigned compare wrap: %d %u\n", ua - ub > ua, ua - ub);
    volatile int64_t q = INT64_MIN;
    printf("abs-ish: %llu\n", (unsigned long long)(-(uint64_t)q));
    return 0;
}
