/* Traps for the core dump tests (tests/core), one per run, chosen by
 * argv[1]:
 *   abort    abort(): `unreachable` in libc's abort
 *   assert   a failed assert(): __assert_fail, then abort
 *   load     a load from outside linear memory
 *   store    a store outside linear memory
 *   div      integer division by zero
 *   conv     float-to-int conversion of a value out of range: the trapping
 *            i32.trunc_f64_s (a C cast never traps: clang guards it or
 *            uses the saturating form)
 *   nan      the same conversion of a NaN: invalid conversion to integer
 *   deep     unbounded recursion: call stack exhausted
 *   null     an indirect call through a null function pointer
 *   mistyped an indirect call through a pointer of the wrong type
 *   raise    a trap inside a host call: WASI proc_raise(SIGABRT)
 * Each trapping function is noinline so the innermost frame is known by
 * name; the volatile globals keep the compiler from seeing the trap.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*fn_i)(int);
typedef double (*fn_dd)(double, double);

volatile int g_zero = 0;
volatile unsigned g_bad_addr = 0xfffffff0u;
volatile double g_huge = 1e30;
volatile double g_nan = __builtin_nan("");
volatile int g_sink;
volatile fn_i g_null_fn = 0;
int twice(int x);
volatile fn_i g_twice = twice;

__attribute__((noinline)) int twice(int x) { return 2 * x; }

__attribute__((noinline)) int divide(int a, int b)
{
    return a / b;
}

__attribute__((noinline)) int load_bad(int bias)
{
    int *p = (int *)(unsigned long)g_bad_addr;
    return *p + bias;
}

__attribute__((noinline)) void store_bad(int v)
{
    int *p = (int *)(unsigned long)g_bad_addr;
    *p = v;
}

__attribute__((noinline)) int convert(double d)
{
    return __builtin_wasm_trunc_s_i32_f64(d);
}

/* The store after the call keeps it from becoming a loop. */
__attribute__((noinline)) int recurse(int n)
{
    if (n == g_zero - 1) return 0;
    int r = recurse(n + 1);
    g_sink = r;
    return r + n;
}

__attribute__((noinline)) int call_null(int x)
{
    fn_i f = g_null_fn;
    return f(x);
}

__attribute__((noinline)) int call_mistyped(int x)
{
    fn_dd f = (fn_dd)(void *)g_twice;
    return (int)f((double)x, 1.0);
}

/* WASI's proc_raise, declared by hand (wasi-libc no longer does) */
__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_raise"))) int
wasi_proc_raise(int sig);

__attribute__((noinline)) int raise_abort(int sig)
{
    return wasi_proc_raise(sig);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "div";
    printf("trap: %s\n", what);
    fflush(stdout);
    if (strcmp(what, "abort") == 0) abort();
    if (strcmp(what, "assert") == 0) assert(g_zero == 1);
    if (strcmp(what, "load") == 0) return load_bad(5);
    if (strcmp(what, "store") == 0) store_bad(7);
    if (strcmp(what, "div") == 0) return divide(10, g_zero);
    if (strcmp(what, "conv") == 0) return convert(g_huge);
    if (strcmp(what, "nan") == 0) return convert(g_nan);
    if (strcmp(what, "deep") == 0) return recurse(1);
    if (strcmp(what, "null") == 0) return call_null(3);
    if (strcmp(what, "mistyped") == 0) return call_mistyped(4);
    if (strcmp(what, "raise") == 0) return raise_abort(6);
    printf("no trap\n");
    return 0;
}
