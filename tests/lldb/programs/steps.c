/* Stepping for the lldb-22 end-to-end tests and bench/lldb-step.sh:
 * main(argc, argv) (reached through wasi-libc's __main_void) -> run ->
 * twice / spin. The LINE_* markers are looked up by the tests; the loop in
 * spin() is one line on purpose (`next` over it costs one range step per
 * iteration). */
#include <stdio.h>

int g_total;

__attribute__((noinline)) int twice(int v)
{
    int t = v * 2;                          /* LINE_TWICE_BODY */
    return t;                               /* LINE_TWICE_RET */
}

__attribute__((noinline)) int spin(int n)
{
    volatile int acc = 0;
    for (volatile int i = 0; i < n; i++) acc += i;  /* LINE_SPIN_LOOP */
    return acc;                             /* LINE_SPIN_RET */
}

__attribute__((noinline)) int run(int k)
{
    int a = twice(k);                       /* LINE_RUN_TWICE */
    int b = a + 1;                          /* LINE_RUN_AFTER */
    g_total = spin(200);                    /* LINE_RUN_SPIN */
    return a + b;                           /* LINE_RUN_RET */
}

int main(int argc, char **argv)
{
    (void)argv;
    int r = run(argc + 20);                 /* LINE_MAIN_RUN */
    printf("r=%d total=%d\n", r, g_total);  /* LINE_MAIN_PRINT */
    return r % 64;                          /* LINE_MAIN_RET */
}
