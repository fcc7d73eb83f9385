/* Returns 3 from main after buffered output: the output must be flushed
 * and the exit status must be 3. */
#include <stdio.h>

int main(void)
{
    printf("about to return 3");
    fputs(" (no newline before exit)", stdout);
    return 3;
}
