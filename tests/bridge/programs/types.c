/* Test program for the variables and types reader (test_vars.c): structs,
 * unions, bitfields, a 2-D array, enums, typedefs, a function pointer,
 * const/volatile, globals, file statics, function statics and locals in
 * lexical blocks. Built -O0 and -O2 with DWARF 4 and 5; prints a checksum
 * so the optimiser keeps everything. */
#include <stdio.h>

struct point {
    int x;
    int y;
};

struct flags {
    unsigned a : 3;
    unsigned b : 5;
    int c : 7;
    unsigned char tail;
};

union num {
    int i;
    float f;
    unsigned char bytes[4];
};

enum color { RED, GREEN = 5, BLUE = -2 };

typedef struct point point_t;
typedef int (*binop)(int, int);

struct node; /* declared here, defined below */
struct holder {
    struct node *first;
    const volatile int cv;
};

struct node {
    int value;
    struct node *next;
};

struct shape {
    point_t corners[2][3];
    enum color color;
    union num n;
    struct flags fl;
    binop op;
    const char *label;
};

int g_counter = 7;
static double s_scale = 2.5;
const char *const g_names[3] = {"zero", "one", "two"};
struct shape g_shape;
struct holder g_holder;
volatile int g_ticks;
static int s_shared = 22;
int other_count(void);

static int add(int a, int b) { return a + b; }

__attribute__((noinline)) static int mul(int a, int b) { return a * b; }

__attribute__((noinline)) int area(const struct point *p, int scale)
{
    static int calls;
    calls++;
    int w = p->x * scale;
    int h = p->y * scale;
    return w * h + calls;
}

__attribute__((noinline)) int walk(struct node *n)
{
    int total = 0;
    while (n) {
        int v = n->value;
        total += v;
        n = n->next;
    }
    return total;
}

int main(int argc, char **argv)
{
    (void)argv;
    struct node b = {2, 0}, a = {1, &b};
    g_holder.first = &a;
    g_shape.op = argc > 5 ? mul : add;
    g_shape.color = argc > 3 ? BLUE : GREEN;
    g_shape.fl.a = 5;
    g_shape.fl.b = 17;
    g_shape.fl.c = -9;
    g_shape.n.f = 1.5f;
    int sum = 0;
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 3; j++) {
            point_t *pt = &g_shape.corners[i][j];
            pt->x = i + argc;
            pt->y = j;
            sum += area(pt, argc);
        }
    }
    g_ticks++;
    {
        int inner = g_shape.op(sum, g_counter);
        sum += inner + walk(g_holder.first);
    }
    printf("%d %s %d %g %d\n", sum, g_names[argc % 3], g_shape.fl.c, s_scale * g_shape.n.f,
           other_count() + s_shared);
    return 0;
}
