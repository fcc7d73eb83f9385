/* bench/wdb-next.sh: `next` over the one-line loop of 20,000 iterations. */
#include <stdio.h>

int main(void)
{
    volatile long sum = 0;
    for (int i = 0; i < 20000; i++) sum += i; /* LINE_LOOP */
    printf("%ld\n", (long)sum);
    return 0;
}
