/* A program with 64 MiB of linear memory, mostly zero, that traps: for the
 * core dump tests (tests/core: all-zero pages are left out of the core) and
 * bench/core-write.sh (the time to write the core).
 *
 *   bigmem [MIB]   fills MIB MiB of the 64 MiB (spread over the whole
 *                  array in 1 MiB blocks) with non-zero bytes, sets one
 *                  byte in a few other pages, then traps in crash()
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG (64u << 20)
#define MIB (1u << 20)

static unsigned char big[BIG];

__attribute__((noinline)) void crash(unsigned checksum)
{
    printf("checksum %u\n", checksum);
    fflush(stdout);
    __builtin_trap();
}

int main(int argc, char **argv)
{
    unsigned mib = argc > 1 ? (unsigned)atoi(argv[1]) : 0;
    unsigned blocks = BIG / MIB;
    if (mib > blocks) mib = blocks;
    /* MIB blocks spread evenly: block i * blocks / mib */
    for (unsigned i = 0; i < mib; i++) {
        unsigned char *b = big + (size_t)(i * blocks / mib) * MIB;
        for (unsigned k = 0; k < MIB; k++) b[k] = (unsigned char)(k * 131u + i + 1) | 1u;
    }
    /* a few isolated non-zero bytes */
    big[12345] = 1;
    big[BIG / 2 + 777] = 2;
    big[BIG - 1] = 3;
    unsigned sum = 0;
    for (unsigned i = 0; i < BIG; i += 4096) sum += big[i];
    crash(sum);
    return 0;
}
