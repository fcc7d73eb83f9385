/* setjmp and longjmp as functions: reached only by code compiled without
 * `-mllvm -wasm-enable-sjlj` (the lowering replaces every call to them),
 * which says so instead of failing to link or jumping nowhere. */
#include <stdio.h>

struct __wdb_jmp_buf;

static _Noreturn void not_lowered(const char *fn)
{
    fprintf(stderr, "libwdb-sjlj: %s called from code compiled without -mllvm -wasm-enable-sjlj\n",
            fn);
    __builtin_trap();
}

int setjmp(struct __wdb_jmp_buf *env)
{
    (void)env;
    not_lowered("setjmp");
}

_Noreturn void longjmp(struct __wdb_jmp_buf *env, int val)
{
    (void)env, (void)val;
    not_lowered("longjmp");
}
