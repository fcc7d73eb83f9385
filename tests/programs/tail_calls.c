/* Tail calls: mutual recursion and a state machine whose states call each
 * other through a table of function pointers, millions of calls deep, far
 * deeper than any call stack holds (wdb-run's: 65536 frames). To Wasm it
 * is built with -mtail-call, and clang's musttail makes every such call a
 * return_call or return_call_indirect; natively the compiler's sibling
 * calls do the same at -O2 (this program runs at -O2 only). */
#include <stdio.h>
#include <stdlib.h>

#if defined(__clang__) && defined(__has_attribute)
#if __has_attribute(musttail)
#define TAIL __attribute__((musttail))
#endif
#endif
#ifndef TAIL
#define TAIL
#endif

static unsigned is_odd(unsigned n, unsigned acc);

/* acc counts the calls, so no call can be folded into a loop's counter */
static unsigned is_even(unsigned n, unsigned acc)
{
    if (n == 0) return acc * 2 + 1;
    TAIL return is_odd(n - 1, acc + 1);
}

static unsigned is_odd(unsigned n, unsigned acc)
{
    if (n == 0) return acc * 2;
    TAIL return is_even(n - 1, acc + 3);
}

/* A Collatz walk as a state machine: each state is a function that hands
 * over to the next state through the table. */
typedef unsigned long long (*state_fn)(unsigned long long x, unsigned long long steps,
                                       unsigned long long sum);
static unsigned long long st_even(unsigned long long x, unsigned long long steps,
                                  unsigned long long sum);
static unsigned long long st_odd(unsigned long long x, unsigned long long steps,
                                 unsigned long long sum);
static unsigned long long st_done(unsigned long long x, unsigned long long steps,
                                  unsigned long long sum);
static state_fn volatile states[3] = {st_even, st_odd, st_done};

static unsigned pick(unsigned long long x)
{
    return x == 1 ? 2 : (unsigned)(x & 1);
}

static unsigned long long st_even(unsigned long long x, unsigned long long steps,
                                  unsigned long long sum)
{
    x /= 2;
    TAIL return states[pick(x)](x, steps + 1, sum + x);
}

static unsigned long long st_odd(unsigned long long x, unsigned long long steps,
                                 unsigned long long sum)
{
    x = 3 * x + 1;
    TAIL return states[pick(x)](x, steps + 1, sum ^ (x * steps));
}

static unsigned long long st_done(unsigned long long x, unsigned long long steps,
                                  unsigned long long sum)
{
    (void)x;
    return sum * 1000003u + steps;
}

/* One walk from `start` to 1: as many tail calls as Collatz steps. */
static unsigned long long walk(unsigned long long start)
{
    return states[pick(start)](start, 0, 0);
}

/* A counted loop made of tail calls only: 10 million deep. */
static unsigned long long count_down(unsigned long long n, unsigned long long acc)
{
    if (n == 0) return acc;
    TAIL return count_down(n - 1, acc + (n ^ (n >> 3)));
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 3000000u;
    printf("is_even(%u) = %u\n", n, is_even(n, 0));
    printf("is_odd(%u) = %u\n", n + 1, is_odd(n + 1, 0));
    unsigned long long total = 0;
    for (unsigned long long s = 1; s <= 20000; s++)
        total = total * 31 + walk(s);
    printf("collatz walks 1..20000: %llu\n", total);
    printf("walk(837799) = %llu\n", walk(837799));
    printf("count_down(10000000) = %llu\n", count_down(10000000, 0));
    return 0;
}
