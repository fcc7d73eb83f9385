/* The wdb session tests' setjmp/longjmp program (cases/longjmp.wdb):
 * built with -mllvm -wasm-enable-sjlj and libwdb-sjlj.a (runtime/guest/sjlj).
 * try_value's `next` over check() comes back through a longjmp. */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf on_error;
static int errors;

static void check(int value)
{
    if (value < 0) longjmp(on_error, value);
    printf("checked %d\n", value);
}

static int try_value(int value)
{
    int status = setjmp(on_error);
    if (status != 0) {
        errors++;
        return status;
    }
    check(value);
    return 0;
}

int main(void)
{
    int a = try_value(5);
    int b = try_value(-7);
    printf("%d %d %d\n", a, b, errors);
    return 0;
}
