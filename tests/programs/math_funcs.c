/* libm: trig, exp/log, pow, sqrt, fmod, rounding, classification; every
 * result printed with %.6g so last-bit differences between libms do not
 * show, while a wrong instruction does. */
#include <float.h>
#include <math.h>
#include <stdio.h>

int main(void)
{
    double xs[] = {-3.5, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 3.14159265358979, 10.0, 100.5};
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%.6g sin=%.6g cos=%.6g tan=%.6g exp=%.6g atan=%.6g sinh=%.6g tanh=%.6g\n", x,
               sin(x), cos(x), tan(x), exp(x), atan(x), sinh(x), tanh(x));
        if (x > 0)
            printf("  log=%.6g log10=%.6g log2=%.6g sqrt=%.6g cbrt=%.6g\n", log(x), log10(x),
                   log2(x), sqrt(x), cbrt(x));
    }
    printf("pow: %.6g %.6g %.6g %.6g %.6g\n", pow(2, 10), pow(2, 0.5), pow(-2, 3), pow(10, -3),
           pow(1.0001, 10000));
    printf("fmod: %.6g %.6g %.6g %.6g\n", fmod(10, 3), fmod(-10, 3), fmod(5.5, 1.25),
           fmod(1e10, 7));
    printf("asin/acos: %.6g %.6g %.6g\n", asin(0.5), acos(0.5), atan2(1, -1));
    printf("hypot: %.6g expm1: %.6g log1p: %.6g\n", hypot(3, 4), expm1(1e-5), log1p(1e-5));
    double r[] = {2.5, 3.5, -2.5, -0.4, 0.6, 1e15 + 0.5};
    for (unsigned i = 0; i < sizeof r / sizeof r[0]; i++)
        printf("round(%.6g): floor=%.6g ceil=%.6g trunc=%.6g round=%.6g rint=%.6g nearbyint=%.6g "
               "lround=%ld\n",
               r[i], floor(r[i]), ceil(r[i]), trunc(r[i]), round(r[i]), rint(r[i]),
               nearbyint(r[i]), (long)lround(r[i] > 1e9 ? 0 : r[i]));
    printf("fabs=%.6g copysign=%.6g fmin=%.6g fmax=%.6g fdim=%.6g\n", fabs(-7.25),
           copysign(3, -0.0), fmin(2, -3), fmax(2, -3), fdim(5, 2));
    int e;
    double m = frexp(48.0, &e);
    printf("frexp(48) = %.6g * 2^%d, ldexp=%.6g modf:", m, e, ldexp(0.75, 6));
    double ip;
    double fp = modf(-3.75, &ip);
    printf(" %.6g %.6g\n", ip, fp);
    volatile double zero = 0.0;
    double inf = 1.0 / zero, nan_ = zero / zero;
    printf("inf: %g %d %d; nan: %d %d; isfinite(1)=%d signbit(-0)=%d\n", inf, isinf(inf) != 0,
           isnan(inf) != 0, isnan(nan_) != 0, nan_ == nan_, isfinite(1.0) != 0,
           signbit(-zero) != 0);
    printf("sqrt(-1) is nan: %d, log(0)=%g, exp(1000)=%g, exp(-1000)=%g\n", isnan(sqrt(-zero - 1)),
           log(zero), exp(1000 + zero), exp(-1000 + zero));
    printf("DBL_EPSILON=%.6g DBL_MAX=%.6g DBL_MIN=%.6g FLT_MAX=%.6g\n", DBL_EPSILON, DBL_MAX,
           DBL_MIN, (double)FLT_MAX);
    float f = 1.1f;
    printf("float ops: %.6g %.6g %.6g %.6g\n", (double)(f * f), (double)sqrtf(2.0f),
           (double)sinf(1.0f), (double)powf(1.5f, 3.0f));
    /* series: pi via Leibniz-Machin and e via factorial sum */
    double pi = 16 * atan(1.0 / 5) - 4 * atan(1.0 / 239);
    double esum = 0, term = 1;
    for (int k = 1; k < 20; k++) {
        esum += term;
        term /= k;
    }
    printf("pi=%.12f e=%.12f\n", pi, esum);
    /* conversions between ints and floats, saturating cases avoided */
    double big = 4294967295.0;
    printf("conv: %u %d %lld %.6g %.6g\n", (unsigned)big, (int)-2.9, (long long)-9.007e15,
           (double)18446744073709551615ULL,
           (double)(float)16777217);
    return 0;
}
