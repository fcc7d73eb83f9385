/* The device benchmark's program (bench/device.sh): hello world with
 * printf, so wasi-libc's stdio is linked in as in any real program. */
#include <stdio.h>

int main(void)
{
    printf("hello, %s %d\n", "world", 42);
    return 0;
}
