/* Sorting: a hand-written quicksort (median of three, insertion sort for
 * small ranges) of a PRNG-filled array, several times over. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void insertion(uint32_t *a, long lo, long hi)
{
    for (long i = lo + 1; i <= hi; i++) {
        uint32_t v = a[i];
        long j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void quicksort(uint32_t *a, long lo, long hi)
{
    while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < a[lo]) { uint32_t t = a[mid]; a[mid] = a[lo]; a[lo] = t; }
        if (a[hi] < a[lo]) { uint32_t t = a[hi]; a[hi] = a[lo]; a[lo] = t; }
        if (a[hi] < a[mid]) { uint32_t t = a[hi]; a[hi] = a[mid]; a[mid] = t; }
        uint32_t pivot = a[mid];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                j--;
            }
        }
        /* recurse into the smaller side, loop on the larger: bounded depth */
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
    insertion(a, lo, hi);
}

int main(int argc, char **argv)
{
    long n = 1000000;
    int rounds = argc > 1 ? atoi(argv[1]) : 8;
    uint32_t *a = malloc(sizeof *a * (size_t)n);
    uint64_t s = 0x853c49e6748fea9bULL;
    uint32_t check = 0;
    for (int r = 0; r < rounds; r++) {
        for (long i = 0; i < n; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            uint32_t xs = (uint32_t)(((s >> 18) ^ s) >> 27), rot = (uint32_t)(s >> 59);
            a[i] = (xs >> rot) | (xs << ((32 - rot) & 31));
        }
        quicksort(a, 0, n - 1);
        for (long i = 1; i < n; i++)
            if (a[i - 1] > a[i]) {
                printf("quicksort: NOT SORTED at %ld\n", i);
                return 1;
            }
        for (long i = 0; i < n; i += 997)
            check = check * 31 + a[i];
    }
    printf("quicksort: n=%ld rounds=%d checksum=%08x\n", n, rounds, check);
    free(a);
    return 0;
}
