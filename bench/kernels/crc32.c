/* Integer ALU work: bitwise CRC-32 (no table, 8 shift/xor steps per byte)
 * over a pseudo-random buffer, plus a table-driven pass over the same
 * data, cross-checked. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t crc_bitwise(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t crc_table(const uint32_t *t, const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++)
        crc = t[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

int main(int argc, char **argv)
{
    size_t n = 1u << 20;
    int rounds = argc > 1 ? atoi(argv[1]) : 50;
    uint8_t *buf = malloc(n);
    uint32_t x = 0x12345678u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (uint8_t)(x >> 24);
    }
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
        table[i] = c;
    }
    uint32_t a = 0, b = 0;
    for (int r = 0; r < rounds; r++) {
        buf[(size_t)r * 7919 % n] ^= (uint8_t)r;
        a = crc_bitwise(buf, n, a);
        b = crc_table(table, buf, n, b);
    }
    if (a != b)
        printf("crc32: MISMATCH %08x %08x\n", a, b);
    printf("crc32: bytes=%zu rounds=%d checksum=%08x\n", n, rounds, a);
    free(buf);
    return a != b;
}
