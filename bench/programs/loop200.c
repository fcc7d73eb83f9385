/* bench/device-wire.sh: a stop in main with locals, then `next` over a
 * one-line loop of 200 iterations. */
#include <stdio.h>

volatile int sum;

int main(void)
{
    int n = 200, base = 7;
    for (int i = 0; i < n; i++) sum += i + base; /* LINE_LOOP */
    printf("%d\n", sum);
    return 0;
}
