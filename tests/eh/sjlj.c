/* setjmp/longjmp (label e2e): built natively and for Wasm with
 * `-mllvm -wasm-enable-sjlj` and libwdb-sjlj.a (runtime/guest/sjlj), both runs must
 * print the same. A longjmp out of deep recursion, longjmp(env, 0) (setjmp
 * returns 1), several setjmp calls in one function, a function that calls
 * setjmp recursively (each invocation its own target), locals kept across
 * the jump, and jumps to an outer jmp_buf through an inner one. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static jmp_buf top;
static int depth_reached;

__attribute__((noinline)) static void dive(int n, int val)
{
    depth_reached = n;
    if (n == 0) longjmp(top, val);
    dive(n - 1, val);
    printf("never printed %d\n", n);
}

static void deep(void)
{
    for (int val = 0; val < 3; val++) {
        volatile int tries = 0;
        int r = setjmp(top);
        tries++;
        if (r == 0) dive(1000, val);
        printf("deep: setjmp returned %d after %d tries, depth %d\n", r, tries, depth_reached);
    }
}

/* two setjmp calls in one function: each resumes where it was */
static void two_sites(int which)
{
    jmp_buf a, b;
    volatile int step = 0;
    if (setjmp(a)) {
        printf("two_sites(%d): back at a, step %d\n", which, step);
        return;
    }
    step = 1;
    if (setjmp(b)) {
        printf("two_sites(%d): back at b, step %d\n", which, step);
        step = 3;
        longjmp(a, 5);
    }
    step = 2;
    longjmp(which ? b : a, 1);
}

/* recursion: every invocation has a jmp_buf of its own and a longjmp goes
 * to the invocation that owns the target */
static int recursive(int n, jmp_buf *outer)
{
    jmp_buf mine;
    int r = setjmp(mine);
    if (r) {
        printf("recursive(%d): caught %d\n", n, r);
        if (outer) longjmp(*outer, r + 1);
        return r;
    }
    if (n == 0) longjmp(mine, 100);
    return recursive(n - 1, &mine);
}

/* an error-handling chain in the style of an interpreter: handlers are
 * pushed, a failure unwinds to the innermost, which may re-raise */
struct handler {
    jmp_buf env;
    struct handler *prev;
};
static struct handler *handlers;

static void raise_error(int code)
{
    if (!handlers) {
        printf("unhandled %d\n", code);
        return;
    }
    longjmp(handlers->env, code);
}

static int protected_call(void (*fn)(int), int arg)
{
    struct handler h;
    h.prev = handlers;
    handlers = &h;
    int code = setjmp(h.env);
    if (code == 0) fn(arg);
    handlers = h.prev;
    return code;
}

static void fails(int code)
{
    char buf[32];
    snprintf(buf, sizeof buf, "fails(%d)", code);
    if (code) raise_error(code);
    printf("%s did not fail\n", buf);
}

static void nests(int code)
{
    int inner = protected_call(fails, code);
    printf("nests: inner returned %d\n", inner);
    if (inner) raise_error(inner * 10);
}

int main(void)
{
    deep();
    two_sites(0);
    two_sites(1);
    printf("recursive: %d\n", recursive(4, NULL));
    printf("protected fails(0): %d\n", protected_call(fails, 0));
    printf("protected fails(3): %d\n", protected_call(fails, 3));
    printf("protected nests(4): %d\n", protected_call(nests, 4));
    printf("handlers left: %s\n", handlers ? "some" : "none");
    return 0;
}
