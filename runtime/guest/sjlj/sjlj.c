/* The runtime side of setjmp/longjmp for Wasm (libwdb-sjlj.a; the ABI is
 * the WebAssembly tool-conventions' SetjmpLongjmp.md). clang's
 * `-mllvm -wasm-enable-sjlj` rewrites `setjmp(env)` in a function into
 * __wasm_setjmp(env, LABEL, ID), where LABEL names the setjmp call in the
 * function and ID is an address unique to this invocation of it, and
 * `longjmp(env, val)` into __wasm_longjmp(env, val). Code that may reach a
 * longjmp is wrapped in a catch of the tag __c_longjmp: it asks
 * __wasm_setjmp_test whether the jump's target belongs to its own
 * invocation (a non-zero LABEL: resume after that setjmp with val) or not
 * (0: it throws again). */
#include "setjmp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* the runtime's words of a jmp_buf */
struct wdb_jmp {
    void *invocation; /* ID of the function invocation that called setjmp */
    uintptr_t label;  /* which setjmp of that function, never 0 */
    struct wdb_longjmp_args {
        void *env; /* the jmp_buf jumped to */
        int val;   /* what its setjmp returns, never 0 */
    } args;        /* what the __c_longjmp exception carries (its address) */
};
_Static_assert(sizeof(struct wdb_jmp) <= sizeof(jmp_buf), "jmp_buf too small");

/* A broken contract (the compiler's or a longjmp to a jmp_buf that no
 * setjmp filled): say so and trap. */
static _Noreturn void sjlj_fail(const char *what)
{
    fprintf(stderr, "libwdb-sjlj: %s\n", what);
    __builtin_trap();
}

void __wasm_setjmp(void *env, uint32_t label, void *invocation)
{
    struct wdb_jmp *j = env;
    if (label == 0 || !invocation) sjlj_fail("__wasm_setjmp called with a zero label or id");
    j->invocation = invocation;
    j->label = label;
}

uint32_t __wasm_setjmp_test(void *env, void *invocation)
{
    const struct wdb_jmp *j = env;
    if (j->label == 0) sjlj_fail("longjmp to a jmp_buf that no setjmp filled");
    return j->invocation == invocation ? (uint32_t)j->label : 0;
}

void __wasm_longjmp(void *env, int val)
{
    struct wdb_jmp *j = env;
    if (j->label == 0) sjlj_fail("longjmp to a jmp_buf that no setjmp filled");
    j->args.env = env;
    j->args.val = val ? val : 1;
    /* tag 1 is __c_longjmp (tag.S); a jump whose setjmp has returned
     * reaches no catch and ends the program with the runtime's
     * uncaught-exception trap */
    __builtin_wasm_throw(1, &j->args);
}
