/* Frames and values for the lldb-22 end-to-end tests: main -> outer ->
 * inner, with ints, doubles, a struct, an array and a pointer to a struct in
 * every frame. noinline and volatile keep the frames and the values alive
 * at -O2. The tests name lines by their LINE_* marker comments (run-lldb.sh
 * looks them up), so lines may move but markers must stay on their lines. */
#include <stdio.h>

struct point {
    int x;
    int y;
    double w;
};

int g_counter = 5;
struct point g_origin = {3, -4, 0.5};

__attribute__((noinline)) static int inner(int a, double d, const struct point *pp)
{
    volatile int local_i = a * 3;           /* LINE_INNER_FIRST */
    volatile double local_d = d * 2.0;
    int sum = local_i + pp->x + pp->y;      /* LINE_INNER_SUM */
    g_counter += sum;
    return sum + (int)local_d;              /* LINE_INNER_RET */
}

__attribute__((noinline)) static int outer(int n, struct point p)
{
    volatile int arr[4] = {10, 20, 30, 40};
    volatile double ratio = 1.25;
    struct point *pp = &p;
    int r = inner(n + 1, ratio, pp);        /* LINE_OUTER_CALL */
    arr[0] = r;                             /* LINE_OUTER_STORE */
    return arr[0] + arr[3] + pp->x;         /* LINE_OUTER_RET */
}

int main(void)
{
    volatile int base = 4;
    struct point pt = {7, 9, 2.5};
    int res = outer(base, pt);              /* LINE_MAIN_CALL */
    printf("res=%d counter=%d origin=%d\n", res, g_counter, g_origin.x + g_origin.y); /* LINE_MAIN_PRINT */
    return res & 0x3f;                      /* LINE_MAIN_RET */
}
