/* Inlined calls at -O2 (cases/inlined.wdb): a breakpoint on a function
 * whose first instruction is an inlined call, `next` over inlined calls,
 * `step` into them, their frames' arguments, and leaving a function with
 * `next`. */
#include <stdio.h>

volatile int g_seen;

static inline __attribute__((always_inline)) int square(int x)
{
    int r = x * x;
    return r;
}

static inline __attribute__((always_inline)) int twice(int y)
{
    int t = square(y) + 1;
    return t * 2;
}

static inline __attribute__((always_inline)) int note(int x)
{
    g_seen = x;
    return x * 3 + 1;
}

__attribute__((noinline)) int entry(int n)
{
    int r = note(n);
    return r + n;
}

__attribute__((noinline)) int work(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        s += twice(i);
        g_seen = s;
    }
    return s;
}

int main(int argc, char **argv)
{
    (void)argv;
    int v = entry(argc);
    v += work(argc + 3);
    printf("%d\n", v);
    return 0;
}
