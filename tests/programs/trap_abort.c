/* A program that crashes on purpose: it prints (and flushes) a line and then
 * calls abort(). Natively that is SIGABRT, status 134 in a shell; wdb-run
 * reports the trap and exits with 134 too (see runtime/wdb-run/wdb-run.c). */
#include <stdio.h>
#include <stdlib.h>

static int check(int v)
{
    if (v > 3) {
        printf("invariant broken at v=%d, aborting\n", v);
        fflush(stdout);
        abort();
    }
    return v * 2;
}

int main(void)
{
    int s = 0;
    for (int i = 0; i < 10; i++)
        s += check(i);
    printf("not reached %d\n", s);
    return 0;
}
