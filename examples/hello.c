/* The bundled example for the README quick start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point {
    int x, y;
};

static int fib(int n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    const char *who = argc > 1 ? argv[1] : "wasm";
    struct point p = {3, 4};
    char *buf = malloc(64);
    snprintf(buf, 64, "hello, %s", who);
    printf("%s: fib(20) = %d, p = (%d, %d), len = %zu\n", buf, fib(20), p.x, p.y, strlen(buf));
    free(buf);
    return 0;
}
