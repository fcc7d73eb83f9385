/* A program for wdb's batch-mode sessions (tests/wdb): structs with a
 * bitfield, an enum and a self pointer, arrays (1-D and 2-D), strings,
 * recursion, a one-line loop, a global that changes (watchpoints).
 * Transcripts name lines by number: keep the layout stable. */
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };

typedef struct item {
    char name[12];
    int qty;
    double price;
    enum color tag;
    unsigned flag : 3;
    struct item *next;
} item;

int g_total = 0;
static const char *g_title = "stock";
int g_grid[2][3] = {{1, 2, 3}, {4, 5, 6}};

__attribute__((noinline)) int fact(int n)
{
    if (n <= 1)
        return 1;
    return n * fact(n - 1);
}

__attribute__((noinline)) double value(const item *it)
{
    double v = it->qty * it->price;
    g_total += it->qty;
    return v;
}

int main(void)
{
    item a = {"apple", 3, 0.5, GREEN, 5, 0};
    item b = {"pear", 7, 1.25, BLUE, 2, &a};
    int squares[6];
    for (int i = 0; i < 6; i++) squares[i] = i * i;
    const char *msg = "hello";
    double sum = 0;
    for (item *p = &b; p; p = p->next)
        sum += value(p);
    int f = fact(5);
    printf("%s %d %.2f %d %d %s\n", g_title, g_total, sum, f, squares[5], msg);
    return g_grid[1][2] - 6;
}
