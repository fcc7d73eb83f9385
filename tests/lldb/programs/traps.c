/* Traps for the lldb-22 e2e tests, chosen by argv[1]: div (integer division
 * by zero), oob (store through a pointer outside linear memory), abort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

volatile int g_zero = 0;
volatile unsigned g_bad_addr = 0xfffffff0u;

__attribute__((noinline)) int divide(int a, int b)
{
    return a / b;                           /* LINE_DIVIDE */
}

__attribute__((noinline)) void store_bad(int v)
{
    int *p = (int *)(unsigned long)g_bad_addr;
    *p = v;                                 /* LINE_STORE */
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "div";
    printf("trap: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "div") == 0) return divide(10, g_zero);  /* LINE_CALL_DIV */
    if (strcmp(what, "oob") == 0) store_bad(7);             /* LINE_CALL_OOB */
    if (strcmp(what, "abort") == 0) abort();                /* LINE_CALL_ABORT */
    return 0;
}
