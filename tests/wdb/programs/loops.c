/* Loops whose first line is broken on, a watchpoint on a local that goes
 * out of scope, function pointers (table indices in Wasm) and unions: the
 * wdb session cases/loops.wdb and its differential run against gdb. */
#include <stdio.h>

typedef int (*binop)(int, int);

union num {
    int i;
    unsigned char b[4];
    struct {
        short lo, hi;
    } h;
};

static int add(int a, int b) { return a + b; }
static int mul(int a, int b) { return a * b; }

binop g_ops[2] = {add, mul};
binop g_op = mul;
union num g_num = {0x01020304};

int spin(int n)
{
    int i = 0, s = 0;
    for (;;) {
        s += i;
        if (++i >= n)
            break;
    }
    return s;
}

int drain(int n)
{
    int k = 0;
    while (n > 0) {
        k += n;
        n -= 2;
    }
    return k;
}

int tally(int n)
{
    int total = 0;
    for (int j = 0; j < n; j++)
        total += j;
    return total;
}

int main(void)
{
    int r = spin(3);
    r += drain(5);
    r += tally(3);
    r += g_op(g_ops[0](r, 1), 2);
    printf("%d %d\n", r, g_num.h.lo);
    return 0;
}
