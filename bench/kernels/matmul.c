/* Memory and floating point: dense matrix multiply, i-k-j order, on
 * doubles, repeated with the product fed back in. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 800;
    double *a = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *b = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *c = malloc(sizeof(double) * (size_t)n * (size_t)n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * 7 + j * 3) % 17) / 17.0 - 0.5;
            b[i * n + j] = (double)((i * 5 + j * 11) % 13) / 13.0 - 0.5;
        }
    for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < n * n; i++)
            c[i] = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++) {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                    c[i * n + j] += aik * b[k * n + j];
            }
        /* scale back into a so values stay bounded */
        for (int i = 0; i < n * n; i++)
            a[i] = c[i] / n;
    }
    double sum = 0;
    for (int i = 0; i < n * n; i++)
        sum += a[i] * (double)(i % 5 + 1);
    printf("matmul: n=%d checksum=%.10e\n", n, sum);
    free(a);
    free(b);
    free(c);
    return 0;
}
