/* setjmp/longjmp in a loop, the error recovery of C interpreters (Lua's
 * pcall): a recursive-descent evaluator of pseudo-random expressions
 * that longjmps out of any depth on division by zero or overflow, to a
 * setjmp per expression, with a nested protected call inside. Wasm:
 * clang-22 -mllvm -wasm-enable-sjlj with libwdb-sjlj.a and its setjmp.h
 * (bench/run.sh passes them); native: the host's setjmp.h. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static jmp_buf *handler; /* the innermost protected call's */
static uint32_t rng = 0x6b43a9b5u;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static __attribute__((noreturn)) void fail(int why)
{
    longjmp(*handler, why);
}

/* a random expression tree of at most depth levels, evaluated as it is
 * generated */
static __attribute__((noinline)) int32_t eval(int depth)
{
    uint32_t r = next();
    if (depth == 0 || r % 5 == 0) return (int32_t)(r >> 20) - 1024;
    int32_t a = eval(depth - 1), b = eval(depth - 1);
    switch (r % 4) {
    case 0: return a + b;
    case 1: return a - b;
    case 2:
        if ((int64_t)a * b > INT32_MAX || (int64_t)a * b < INT32_MIN) fail(2);
        return a * b;
    default:
        if (b == 0 || (r & 0x70) == 0) /* division by "zero", often */
            fail(1);
        return a / b;
    }
}

/* evaluates one expression; failures of its left half are retried once
 * in a nested protected call */
static int32_t protected_eval(int depth, int *status)
{
    jmp_buf here, *outer = handler;
    volatile int32_t left = 0;
    int why;
    handler = &here;
    if ((why = setjmp(here)) != 0) {
        handler = outer;
        *status = why;
        return 0;
    }
    jmp_buf inner;
    handler = &inner;
    if (setjmp(inner) == 0)
        left = eval(depth);
    else
        left = -1;
    handler = &here;
    int32_t v = left + eval(depth);
    handler = outer;
    *status = 0;
    return v;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 1000000;
    uint64_t sum = 0, failures[3] = {0, 0, 0};
    for (long i = 0; i < rounds; i++) {
        int status;
        int32_t v = protected_eval(1 + (int)(i % 9), &status);
        failures[status]++;
        sum = sum * 31 + (uint32_t)v;
    }
    printf("longjmp: rounds=%ld ok=%llu div=%llu ovf=%llu checksum=%016llx\n", rounds,
           (unsigned long long)failures[0], (unsigned long long)failures[1],
           (unsigned long long)failures[2], (unsigned long long)sum);
    return 0;
}
