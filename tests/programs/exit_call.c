/* Calls exit(7) from deep inside the program: atexit handlers run in
 * reverse order, stdio buffers are flushed, the code after exit never runs. */
#include <stdio.h>
#include <stdlib.h>

static void first_registered(void)
{
    printf("atexit: registered first, runs last\n");
}

static void second_registered(void)
{
    printf("atexit: registered second, runs first\n");
}

static int deep(int n)
{
    if (n == 0) {
        printf("exiting with 7 at depth 0\n");
        exit(7);
    }
    int r = deep(n - 1);
    printf("unreachable %d\n", n);
    return r;
}

int main(void)
{
    atexit(first_registered);
    atexit(second_registered);
    setvbuf(stdout, NULL, _IOFBF, 1024);
    printf("fully buffered line\n");
    deep(50);
    printf("not reached\n");
    return 0;
}
