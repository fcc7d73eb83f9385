/* Test program for the DWARF reader: small `static inline` helpers that
 * clang inlines at -O2 (inlined subroutines, some nested), loops with
 * lexical blocks, a recursive function and a switch. Prints a checksum so
 * the optimiser keeps everything. */
#include <stdio.h>
#include <stdlib.h>

struct acc {
    long sum;
    int count;
};

static inline int clamp(int v, int lo, int hi)
{
    if (v < lo) return lo;
    if (v > hi) return hi;
    return v;
}

static inline int scaled(int v, int k)
{
    int c = clamp(v * k, -1000, 1000);
    return c + k;
}

static inline void acc_add(struct acc *a, int v)
{
    a->sum += scaled(v, 3);
    a->count++;
}

__attribute__((noinline)) static long fold(const int *xs, int n)
{
    struct acc a = {0, 0};
    for (int i = 0; i < n; i++) {
        int x = xs[i];
        if (x % 3 == 0) {
            int t = x / 3;
            acc_add(&a, t);
        } else {
            acc_add(&a, x);
        }
    }
    return a.sum + a.count;
}

__attribute__((noinline)) static int fib(int n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

static int classify(int v)
{
    switch (v & 3) {
    case 0:
        return 10;
    case 1:
        return clamp(v, 0, 50);
    case 2:
        return scaled(v, 2);
    default:
        return -1;
    }
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int *xs = malloc(sizeof *xs * (size_t)n);
    if (!xs) return 1;
    for (int i = 0; i < n; i++)
        xs[i] = (i * 37) % 101 - 50;

    long total = fold(xs, n);
    int c = 0;
    for (int i = 0; i < n; i++)
        c += classify(xs[i]);

    printf("%ld %d %d\n", total, c, fib(n % 15));
    free(xs);
    return 0;
}
