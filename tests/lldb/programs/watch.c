/* Global writes for watchpoints and memory reads in the lldb-22 e2e tests. */
#include <stdio.h>

int g_watched = 100;
unsigned char g_bytes[8] = {0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04};

__attribute__((noinline)) void bump(int by)
{
    g_watched += by;                        /* LINE_BUMP */
}

int main(void)
{
    bump(1);                                /* LINE_MAIN_BUMP1 */
    bump(20);
    g_bytes[0] = (unsigned char)g_watched;
    printf("watched=%d byte=%d\n", g_watched, g_bytes[0]);
    return 0;
}
