/* Functions named as Rust's compiler names them (cases/rustnames.wdb):
 * the legacy scheme's _ZN...17h<hash>E and v0's _R..., which wasm-ld
 * writes into the name section demangled, the legacy hash kept. Built
 * without DWARF, so the name section is all wdb has. */
#include <stdio.h>

__attribute__((noinline)) int hello_main(int n) __asm__("_ZN5hello4main17h0123456789abcdefE");
__attribute__((noinline)) int hello_main(int n)
{
    volatile int zero = 0;
    return n / zero;
}

__attribute__((noinline)) int generic(int n) __asm__("_RINvCs15kBYyAo9fc_7mycrate7examplelE");
__attribute__((noinline)) int generic(int n)
{
    return hello_main(n + 1);
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("%d\n", generic(argc));
    return 0;
}
