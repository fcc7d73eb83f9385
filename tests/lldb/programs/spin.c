/* Runs until a debugger sets g_stop (or g_limit iterations pass), for
 * `process interrupt` and attaching to a running program. */
#include <stdio.h>

volatile int g_stop;
volatile unsigned g_iterations;
volatile unsigned g_limit = 0xffffffffu;

int main(void)
{
    while (!g_stop && g_iterations < g_limit) g_iterations++;  /* LINE_SPIN */
    printf("stopped after %s\n", g_stop ? "the debugger's request" : "the limit");
    return g_stop ? 42 : 3;
}
