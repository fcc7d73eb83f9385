/* Integer and byte-memory traffic: sieve of Eratosthenes, repeated, plus a
 * digit-sum hash of the primes found so no pass can be skipped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    unsigned n = 4000000;
    int rounds = argc > 1 ? atoi(argv[1]) : 80;
    unsigned char *composite = malloc(n + 1);
    uint32_t check = 0;
    for (int r = 0; r < rounds; r++) {
        unsigned limit = n - (unsigned)r * 1000; /* each round differs a little */
        memset(composite, 0, limit + 1);
        for (unsigned i = 2; (uint64_t)i * i <= limit; i++)
            if (!composite[i])
                for (unsigned j = i * i; j <= limit; j += i)
                    composite[j] = 1;
        uint32_t count = 0, h = 0;
        for (unsigned i = 2; i <= limit; i++)
            if (!composite[i]) {
                count++;
                h = h * 2654435761u + i;
            }
        check = (check ^ count) * 16777619u ^ h;
    }
    printf("sieve: n=%u rounds=%d checksum=%08x\n", n, rounds, check);
    free(composite);
    return 0;
}
