/* Calls: naive doubly recursive Fibonacci. Nearly all the time is spent in
 * call/return and a compare, so it measures the call path of an engine. */
#include <stdio.h>
#include <stdlib.h>

static unsigned fib(unsigned n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 42;
    unsigned sum = 0;
    /* a few smaller ones too, so a compiler cannot memoise one call */
    for (unsigned k = n - 3; k <= n; k++)
        sum = sum * 31 + fib(k);
    printf("fib: n=%u checksum=%08x\n", n, sum);
    return 0;
}
