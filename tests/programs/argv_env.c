/* argv and the environment: prints the arguments (not argv[0], whose
 * spelling depends on how the program was started), variables the test
 * sets, a missing one, and the whole environment sorted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] len=%zu\n", i, argv[i], strlen(argv[i]));
    printf("argv[argc]=%s\n", argv[argc] == NULL ? "NULL" : "not NULL");
    const char *names[] = {"WDB_GREETING", "WDB_NUMBER", "WDB_EMPTY", "WDB_MISSING"};
    for (int i = 0; i < 4; i++) {
        const char *v = getenv(names[i]);
        printf("getenv(%s)=%s%s%s\n", names[i], v ? "[" : "", v ? v : "(null)", v ? "]" : "");
    }
    const char *num = getenv("WDB_NUMBER");
    if (num)
        printf("number+1=%ld\n", strtol(num, NULL, 10) + 1);
    int n = 0;
    while (environ[n])
        n++;
    char **copy = malloc((size_t)(n + 1) * sizeof *copy);
    for (int i = 0; i < n; i++)
        copy[i] = environ[i];
    qsort(copy, (size_t)n, sizeof *copy, cmp);
    printf("environ has %d entries:\n", n);
    for (int i = 0; i < n; i++)
        printf("  %s\n", copy[i]);
    free(copy);
    setenv("WDB_NEW", "set-by-program", 1);
    printf("after setenv: %s\n", getenv("WDB_NEW"));
    unsetenv("WDB_GREETING");
    printf("after unsetenv: %s\n", getenv("WDB_GREETING") ? "still there" : "gone");
    return 0;
}
