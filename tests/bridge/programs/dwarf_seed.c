/* Seed for the `dwarf` fuzz target (corpus/dwarf): a few functions, an
 * inlined helper, a loop with a block, no C library. Built with
 *   clang-22 --target=wasm32-wasi -nostdlib -Wl,--no-entry -Wl,--export-all \
 *     -g -gdwarf-{4,5} -O{0,2} dwarf_seed.c \
 *     -o tests/fuzz/corpus/dwarf/seed-O{0,2}-dwarf{4,5}.wasm */
static inline int sq(int x) { return x * x; }

struct pair {
    int a, b;
};

__attribute__((noinline)) int sum_sq(const int *v, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        int t = v[i];
        s += sq(t);
    }
    return s;
}

int swap_sum(struct pair *p)
{
    int t = p->a;
    p->a = p->b;
    p->b = t;
    return sum_sq(&p->a, 2);
}
