// Wasm exception handling from C++ without a C++ runtime: clang-22
// -fwasm-exceptions turns try/catch(...) into Wasm try/catch (legacy, the
// default) or try_table/throw_ref (-mllvm -wasm-use-legacy-eh=false), and
// destructors into cleanup handlers that rethrow. __builtin_wasm_throw
// throws with tag 0, the C++ tag __cpp_exception, which libc++abi would
// define: here an assembler directive does, and two stubs stand for the
// catch bookkeeping. `wasm_eh uncaught` lets one escape: wdb-run reports
// the uncaught exception as a trap.
#include <stdio.h>
#include <string.h>

__asm__(".globl __cpp_exception\n.tagtype __cpp_exception i32\n__cpp_exception:\n");
extern "C" void *__cxa_begin_catch(void *p) { return p; }
extern "C" void __cxa_end_catch(void) {}

static int payload, destroyed;

struct Guard {
    int id;
    ~Guard() { destroyed += id; }
};

__attribute__((noinline)) static void thrower(int n)
{
    Guard g{n};
    if (n == 0) __builtin_wasm_throw(0, &payload);
    thrower(n - 1);
}

__attribute__((noinline)) static int catches(int depth)
{
    try {
        thrower(depth);
    } catch (...) {
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "uncaught") == 0) thrower(3);
    int caught = 0;
    for (int i = 0; i < 5; i++)
        caught += catches(i * 10);
    printf("caught %d, destructors ran for %d\n", caught, destroyed);
    return caught == 5 ? 0 : 1;
}
