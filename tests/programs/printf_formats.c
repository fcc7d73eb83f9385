/* printf with many conversion specifiers: ints of every width, floats in
 * %f/%e/%g, strings with widths and precisions, flags. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    int ints[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        printf("[%d] [%i] [%5d] [%-5d|] [%05d] [%+d] [% d] [%u] [%x] [%X] [%#x] [%o] [%#o]\n",
               v, v, v, v, v, v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v,
               (unsigned)v, (unsigned)v);
    }
    printf("hh: %hhd %hhu %hhx\n", (signed char)-5, (unsigned char)250, (unsigned char)171);
    printf("h: %hd %hu %hx\n", (short)-1234, (unsigned short)60000, (unsigned short)0xbeef);
    printf("ll: %lld %llu %llx %#llo\n", LLONG_MIN, ULLONG_MAX, 0x123456789abcdefULL, 01234567ULL);
    printf("j: %jd %ju\n", (intmax_t)-9007199254740993LL, (uintmax_t)18446744073709551557ULL);
    printf("z: %zu %zx\n", (size_t)123456, (size_t)0xfff);
    printf("PRI: %" PRId64 " %" PRIu32 " %" PRIx64 "\n", (int64_t)-1, (uint32_t)4000000000u,
           (uint64_t)0xdeadbeefcafeULL);
    printf("star: [%*d] [%-*d] [%.*d] [%*.*f]\n", 8, 77, 6, 88, 5, 9, 10, 3, 3.14159265);

    double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 2.5, 3.5, 123456.789, 1e-10, 6.02214076e23,
                   1.0 / 3.0, 1e300, 5e-324, 0.000123456};
    for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        double d = ds[i];
        printf("%f | %.0f | %.3f | %10.2f | %-10.1f| %e | %.2E | %g | %G | %.10g | %+.3g | %#g\n",
               d, d, d, d, d, d, d, d, d, d, d, d);
    }
    printf("%.20f\n", 0.1);
    printf("%.17g %.17g\n", 0.1 + 0.2, 1e23);
    volatile double big = 1e300;
    printf("%f %e %g %5.1f\n", big * big, -big * big, big * big - big * big > 0 ? 1.0 : 2.0, big * big);
    float f = 3.14159f;
    printf("float: %f %.2f %g\n", f, f, (double)f * 2);

    const char *s = "hello, world";
    printf("[%s] [%20s] [%-20s] [%.5s] [%20.5s] [%-*.*s]\n", s, s, s, s, s, 8, 3, s);
    printf("[%c] [%3c] [%-3c] [%%]\n", 'A', 'b', 'c');
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%d-%s-%.2f", 7, "x", 2.0 / 3);
    printf("snprintf -> %d [%s]\n", n, buf);
    n = snprintf(buf, 8, "%s", "truncated string");
    printf("truncated -> %d [%s]\n", n, buf);
    n = snprintf(NULL, 0, "%lld", -1234567890123LL);
    printf("measure -> %d\n", n);
    return 0;
}
