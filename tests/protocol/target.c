/*
 * The debuggee of the raw-protocol tests (rsp_client.c), compiled to Wasm at
 * -O0 -g. argv[1] picks what it does:
 *   run   add(2, 3), store the result in g.counter, print it, exit 7
 *   loop  spin until a debugger sets g.stop, print the count, exit 3
 *   trap  reach an `unreachable` instruction
 *   count count to 20 million in g.counter, print "counted", exit 4
 * The test finds g in linear memory by its marker in the data section.
 */
#include <stdio.h>
#include <string.h>

struct shared {
    unsigned marker;      /* 0x5eedf00d: how the test finds this struct */
    volatile int counter; /* written by run (watchpoint) and loop */
    volatile int stop;    /* set by the debugger to end loop */
};
struct shared g = {0x5eedf00du, 0, 0};

__attribute__((noinline)) int add(int a, int b)
{
    int sum = a + b;
    return sum;
}

__attribute__((noinline)) static void trap_here(void)
{
    __builtin_trap();
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "run";
    if (!strcmp(mode, "loop")) {
        while (!g.stop) g.counter++;
        printf("loop done\n");
        return 3;
    }
    if (!strcmp(mode, "trap")) trap_here();
    if (!strcmp(mode, "count")) {
        while (g.counter < 20000000) g.counter++;
        printf("counted\n");
        return 4;
    }
    int r = add(2, 3);
    g.counter = r;
    printf("result %d\n", r);
    return 7;
}
