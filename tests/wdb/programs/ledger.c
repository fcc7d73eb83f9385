/* A program for the differential tests (tests/wdb/vs-gdb.sh, vs-lldb.sh):
 * wdb on its Wasm build must print what native gdb prints on a native gcc
 * build, so nothing it shows may depend on pointer size or on the target:
 * no pointers in the structs, no long, no size_t, no output before the end.
 * Scalars of every kind (char, short, int, long long, unsigned, _Bool,
 * float, double, enums incl. a flag enum, signed and unsigned bitfields),
 * a nested struct, arrays (1-D, 2-D, of structs, char with repeats),
 * recursion, struct arguments and return values, a global that changes.
 * The scripts name lines by number: keep the layout stable. */
#include <stdio.h>

enum kind { SMALL, MEDIUM = 10, LARGE };
enum perm { P_READ = 1, P_WRITE = 2, P_EXEC = 4 };

struct point {
    int x;
    int y;
};

struct rec {
    char name[8];
    int id;
    unsigned char level;
    double weight;
    float ratio;
    enum kind k;
    enum perm p;
    unsigned flags : 3;
    int delta : 5;
    _Bool ok;
    struct point pos;
    int hist[4];
};

int g_count = 0;
double g_scale = 2.5;
int g_grid[2][3] = {{1, -2, 3}, {4, 5, -6}};
char g_label[16] = "ab";
struct point g_origin = {-1, 1};

__attribute__((noinline)) int fib(int n)
{
    if (n < 2)
        return n;
    return fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) double weigh(struct rec r, int times)
{
    double w = r.weight * times;
    g_count += r.id;
    return w + r.ratio;
}

__attribute__((noinline)) struct point shift(struct point p, int dx)
{
    struct point q = p;
    q.x += dx;
    q.y -= dx;
    return q;
}

__attribute__((noinline)) int depth(int level, char tag)
{
    int here = level * 10 + (tag - 'a');
    if (level == 0)
        return here;
    return depth(level - 1, tag + 1) + here;
}

int main(void)
{
    struct rec a = {"bolt", 7, 200, 0.1, 0.25f, MEDIUM, P_READ | P_WRITE, 5, -3, 1, {3, -4}, {1, 2}};
    struct rec b = a;
    b.id = -12;
    b.k = LARGE;
    b.p = 9;
    b.ok = 0;
    short s = -300;
    long long big = 123456789012345LL;
    unsigned int u = 4000000000u;
    signed char c = 'z';
    double third = 1.0 / 3;
    int squares[5];
    for (int i = 0; i < 5; i++)
        squares[i] = i * i;
    double total = weigh(a, 3);
    total += weigh(b, 2);
    struct point moved = shift(a.pos, 5);
    int f = fib(6);
    int d = depth(3, 'a');
    g_count += f + d + moved.x + g_grid[1][2] + g_label[1] + g_origin.y + (int)g_scale;
    printf("%d %.3f %d %d %lld %u %d %d %f\n", g_count, total, f, d, big, u, s, c, third); fflush(stdout);
    return squares[4] - 16;
}
