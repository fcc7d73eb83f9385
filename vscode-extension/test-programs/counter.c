/* The program of the extension's DAP test (src/test/wdb.test.ts): the test
 * stops at the line marked BREAK and reads x and the call stack. */
#include <stdio.h>

static int square(int x)
{
    int y = x * x; /* BREAK */
    return y;
}

int main(void)
{
    int total = 0;
    for (int i = 1; i <= 3; i++)
        total += square(i);
    printf("total %d\n", total);
    return total == 14 ? 0 : 1;
}
