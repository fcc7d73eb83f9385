/* Hashing and big numbers: SHA-256 (32-bit rotations, additions mod 2^32)
 * over test vectors and a generated megabyte, and arbitrary precision
 * arithmetic in base 10^9 (factorial of 300, 2^1000, Fibonacci 1000) using
 * 64-bit multiply, divide and remainder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

static void sha256(const uint8_t *msg, size_t len, char hex[65])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = len / 64 * 64;
    for (size_t off = 0; off < full; off += 64)
        sha256_block(h, msg + off);
    uint8_t tail[128] = {0};
    size_t rest = len - full;
    memcpy(tail, msg + full, rest);
    tail[rest] = 0x80;
    size_t tl = rest + 9 <= 64 ? 64 : 128;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[tl - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t off = 0; off < tl; off += 64)
        sha256_block(h, tail + off);
    for (int i = 0; i < 8; i++)
        sprintf(hex + 8 * i, "%08x", h[i]);
}

/* little-endian base 10^9 numbers */
#define BASE 1000000000u
struct big {
    uint32_t d[400];
    int n;
};

static void big_set(struct big *a, uint32_t v)
{
    a->n = 0;
    do {
        a->d[a->n++] = v % BASE;
        v /= BASE;
    } while (v);
}

static void big_mul_small(struct big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t cur = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)(cur % BASE);
        carry = cur / BASE;
    }
    while (carry) {
        a->d[a->n++] = (uint32_t)(carry % BASE);
        carry /= BASE;
    }
}

static void big_add(struct big *r, const struct big *a, const struct big *b)
{
    uint32_t carry = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        uint32_t s = (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0) + carry;
        carry = s >= BASE;
        r->d[i] = s - (carry ? BASE : 0);
    }
    r->n = n;
    if (carry)
        r->d[r->n++] = 1;
}

static uint32_t big_mod_small(const struct big *a, uint32_t m)
{
    uint64_t r = 0;
    for (int i = a->n - 1; i >= 0; i--)
        r = (r * BASE + a->d[i]) % m;
    return (uint32_t)r;
}

static void big_print(const char *label, const struct big *a)
{
    char buf[4000];
    int pos = sprintf(buf, "%u", a->d[a->n - 1]);
    for (int i = a->n - 2; i >= 0; i--)
        pos += sprintf(buf + pos, "%09u", a->d[i]);
    int digsum = 0;
    for (int i = 0; i < pos; i++)
        digsum += buf[i] - '0';
    printf("%s: %d digits, digit sum %d, head %.20s, tail %s, mod 1000003 = %u\n", label, pos,
           digsum, buf, buf + pos - 12, big_mod_small(a, 1000003));
}

int main(void)
{
    const char *vectors[] = {"", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                             "The quick brown fox jumps over the lazy dog",
                             "exactly fifty-five bytes long message for padding test!"};
    char hex[65];
    for (int i = 0; i < 5; i++) {
        sha256((const uint8_t *)vectors[i], strlen(vectors[i]), hex);
        printf("sha256(%zu bytes) = %s\n", strlen(vectors[i]), hex);
    }
    size_t n = 1 << 20;
    uint8_t *buf = malloc(n);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i * i + (i >> 8));
    sha256(buf, n, hex);
    printf("sha256(1 MiB) = %s\n", hex);
    free(buf);

    static struct big f, p, a, b, c;
    big_set(&f, 1);
    for (uint32_t k = 2; k <= 300; k++)
        big_mul_small(&f, k);
    big_print("300!", &f);
    big_set(&p, 1);
    for (int k = 0; k < 1000; k++)
        big_mul_small(&p, 2);
    big_print("2^1000", &p);
    big_set(&a, 0);
    big_set(&b, 1);
    for (int k = 0; k < 1000; k++) {
        big_add(&c, &a, &b);
        a = b;
        b = c;
    }
    big_print("fib(1000)", &a);
    return 0;
}
