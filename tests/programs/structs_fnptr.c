/* Structs (nested, by value, bitfields), unions for type punning, function
 * pointer tables, a dense switch (jump table) and a sparse one, varargs. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct vec3 {
    double x, y, z;
};

struct particle {
    char name[8];
    struct vec3 pos, vel;
    int flags;
};

struct packed_bits {
    unsigned a : 3;
    unsigned b : 5;
    unsigned c : 12;
    signed d : 6;
};

union pun {
    float f;
    uint32_t u;
    unsigned char bytes[4];
};

union dpun {
    double d;
    uint64_t u;
};

static struct vec3 vadd(struct vec3 a, struct vec3 b)
{
    return (struct vec3){a.x + b.x, a.y + b.y, a.z + b.z};
}

static struct vec3 vscale(struct vec3 a, double k)
{
    struct vec3 r = {a.x * k, a.y * k, a.z * k};
    return r;
}

static double vdot(const struct vec3 *a, const struct vec3 *b)
{
    return a->x * b->x + a->y * b->y + a->z * b->z;
}

typedef int (*binop)(int, int);
static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_div(int a, int b) { return b ? a / b : 0; }
static int op_mod(int a, int b) { return b ? a % b : 0; }
static int op_max(int a, int b) { return a > b ? a : b; }

static const struct {
    const char *name;
    binop fn;
} ops[] = {{"add", op_add}, {"sub", op_sub}, {"mul", op_mul},
           {"div", op_div}, {"mod", op_mod}, {"max", op_max}};

static const char *dense(int k)
{
    switch (k) {
    case 0: return "zero";
    case 1: return "one";
    case 2: return "two";
    case 3: return "three";
    case 4: return "four";
    case 5: return "five";
    case 6: return "six";
    case 7: return "seven";
    case 8: return "eight";
    case 9: return "nine";
    default: return "many";
    }
}

static int sparse(int k)
{
    switch (k) {
    case -1000: return 1;
    case 7: return 2;
    case 100: return 3;
    case 4096: return 4;
    case 65537: return 5;
    case 1 << 30: return 6;
    default: return 0;
    }
}

static int fallthrough_count(int k)
{
    int n = 0;
    switch (k) {
    case 3: n++; /* fall through */
    case 2: n++; /* fall through */
    case 1: n++; break;
    default: n = -1;
    }
    return n;
}

static int sum_ints(int count, ...)
{
    va_list ap;
    va_start(ap, count);
    int s = 0;
    for (int i = 0; i < count; i++)
        s += va_arg(ap, int);
    va_end(ap);
    return s;
}

static double mix(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    double s = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p == 'i')
            s += va_arg(ap, int);
        else if (*p == 'd')
            s += va_arg(ap, double);
        else if (*p == 'l')
            s += (double)va_arg(ap, long long);
        else if (*p == 's')
            s += (double)strlen(va_arg(ap, const char *));
    }
    va_end(ap);
    return s;
}

static void apply(void (*fn)(struct particle *, double), struct particle *ps, int n, double dt)
{
    for (int i = 0; i < n; i++)
        fn(&ps[i], dt);
}

static void step(struct particle *p, double dt)
{
    p->pos = vadd(p->pos, vscale(p->vel, dt));
    p->vel.y -= 9.81 * dt;
    if (p->pos.y < 0) {
        p->pos.y = -p->pos.y;
        p->vel.y = -p->vel.y * 0.9;
        p->flags++;
    }
}

int main(void)
{
    struct particle ps[3] = {
        {"a", {0, 10, 0}, {1, 0, 0}, 0},
        {"b", {1, 5, 1}, {0, 2, -1}, 0},
        {"c", {-2, 1, 3}, {0.5, -3, 0.25}, 0},
    };
    for (int t = 0; t < 500; t++)
        apply(step, ps, 3, 0.01);
    for (int i = 0; i < 3; i++)
        printf("%s pos=(%.4f %.4f %.4f) vel=(%.4f %.4f %.4f) bounces=%d\n", ps[i].name, ps[i].pos.x,
               ps[i].pos.y, ps[i].pos.z, ps[i].vel.x, ps[i].vel.y, ps[i].vel.z, ps[i].flags);
    printf("dot=%.6f\n", vdot(&ps[0].pos, &ps[1].vel));
    struct particle copy = ps[2];
    copy.pos.x = 99;
    printf("copy independent: %.1f %.1f\n", copy.pos.x, ps[2].pos.x);

    struct packed_bits pb = {5, 17, 3000, -20};
    pb.a += 4; /* wraps in 3 bits */
    pb.d -= 15; /* -35 wraps in 6 bits */
    printf("bits: a=%u b=%u c=%u d=%d\n", pb.a, pb.b, pb.c, pb.d);

    union pun p;
    p.f = -1.5f;
    printf("pun: %08x bytes %02x %02x %02x %02x\n", p.u, p.bytes[0], p.bytes[1], p.bytes[2],
           p.bytes[3]);
    p.u = 0x40490fdb;
    printf("pun back: %.6f\n", p.f);
    union dpun dp = {.d = 1.0 / 3};
    printf("double bits: %016llx\n", (unsigned long long)dp.u);
    dp.u = 0x7ff0000000000000ULL;
    printf("inf from bits: %f\n", dp.d);

    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        printf("%s(17,5)=%d %s(-17,5)=%d\n", ops[i].name, ops[i].fn(17, 5), ops[i].name,
               ops[i].fn(-17, 5));
    binop chosen = ops[2].fn;
    int acc = 1;
    for (int i = 1; i <= 10; i++)
        acc = chosen(acc, i) % 1000003;
    printf("10! mod 1000003 via pointer = %d\n", acc);

    for (int k = -1; k <= 11; k++)
        printf("%s%s", dense(k), k == 11 ? "\n" : ",");
    int keys[] = {-1000, 7, 100, 4096, 65537, 1 << 30, 8, 0};
    for (int i = 0; i < 8; i++)
        printf("%d", sparse(keys[i]));
    printf("\nfallthrough: %d %d %d %d\n", fallthrough_count(1), fallthrough_count(2),
           fallthrough_count(3), fallthrough_count(4));
    printf("varargs: %d %.3f\n", sum_ints(5, 1, 2, 3, 4, 5),
           mix("idlsid", 1, 2.5, 10000000000LL, "hello", -4, 0.125));
    printf("sizes: vec3=%zu bits=%zu pun=%zu\n", sizeof(struct vec3), sizeof(struct packed_bits),
           sizeof(union pun));
    return 0;
}
