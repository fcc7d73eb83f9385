/* Vector types of the GNU C extension (vector_size), as wasm_simd128.h's
 * v128_t is: built for Wasm (clang, with or without -msimd128) and
 * natively (gcc), the debuggers must print them alike. */
#include <stdio.h>

/* elements of C's own types: gcc names int where clang would name int32_t */
typedef int v4i __attribute__((vector_size(16)));
typedef float v4f __attribute__((vector_size(16)));
typedef short v8s __attribute__((vector_size(16)));
typedef unsigned char v16u __attribute__((vector_size(16)));

v4i g_vec = {10, 20, 30, 40};
volatile int scale = 10; /* read at run time: b is not a constant at -O2 */

/* at -O2 with -msimd128, v and w live in v128 Wasm locals */
__attribute__((noinline)) int sum4(v4i v, v4f w)
{
    int s = v[0] + v[1] + v[2] + v[3];
    s += (int)(w[0] + w[1] + w[2] + w[3]);
    return s;
}

int main(void)
{
    v4i a = {1, 2, 3, 4};
    v4f f = {1.5f, -2.0f, 0.0f, 0.25f};
    v8s h = {1, -1, 2, -2, 3, -3, 4, -4};
    v16u z = {0};
    v4i b = a * scale + a;
    z[3] = 7;
    printf("%d %d %d\n", sum4(b, f), h[1] + z[3], g_vec[1]);
    return 0;
}
