/* qsort and bsearch over ints, doubles, strings and structs with a
 * multi-key comparator; every order is total so the output is unique. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 0x9e3779b97f4a7c15ULL;
static uint32_t next_rand(void)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(seed >> 33);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_int_desc(const void *a, const void *b)
{
    return cmp_int(b, a);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct person {
    char name[16];
    int age;
    int id;
};

static int cmp_person(const void *a, const void *b)
{
    const struct person *p = a, *q = b;
    if (p->age != q->age)
        return p->age < q->age ? -1 : 1;
    int c = strcmp(p->name, q->name);
    if (c)
        return c;
    return (p->id > q->id) - (p->id < q->id);
}

int main(void)
{
    enum { N = 50000 };
    int *v = malloc(N * sizeof *v);
    for (int i = 0; i < N; i++)
        v[i] = (int)(next_rand() % 1000000) - 500000;
    qsort(v, N, sizeof *v, cmp_int);
    int sorted = 1;
    long long sum = 0;
    for (int i = 0; i < N; i++) {
        if (i && v[i - 1] > v[i])
            sorted = 0;
        sum += (long long)v[i] * (i % 7);
    }
    printf("ints sorted=%d min=%d max=%d median=%d weighted=%lld\n", sorted, v[0], v[N - 1],
           v[N / 2], sum);
    int found = 0, missing = 0;
    for (int k = -500000; k < 500000; k += 997) {
        int *p = bsearch(&k, v, N, sizeof *v, cmp_int);
        if (p && *p == k)
            found++;
        else
            missing++;
    }
    printf("bsearch found=%d missing=%d\n", found, missing);
    qsort(v, N, sizeof *v, cmp_int_desc);
    printf("desc first=%d last=%d\n", v[0], v[N - 1]);
    free(v);

    double d[2000];
    for (int i = 0; i < 2000; i++)
        d[i] = (double)(next_rand() % 100000) / 7.0 - 5000.0;
    qsort(d, 2000, sizeof d[0], cmp_double);
    printf("doubles: %.6f %.6f %.6f\n", d[0], d[1000], d[1999]);

    const char *words[] = {"pear", "apple", "fig", "banana", "kiwi", "cherry", "date",
                           "grape", "lemon", "mango", "apricot", "blueberry", "Zucchini",
                           "avocado", "lime"};
    size_t nw = sizeof words / sizeof words[0];
    qsort(words, nw, sizeof words[0], cmp_str);
    for (size_t i = 0; i < nw; i++)
        printf("%s%s", words[i], i + 1 < nw ? " " : "\n");
    const char *key = "kiwi";
    const char **hit = bsearch(&key, words, nw, sizeof words[0], cmp_str);
    printf("kiwi at %d\n", hit ? (int)(hit - words) : -1);
    key = "orange";
    hit = bsearch(&key, words, nw, sizeof words[0], cmp_str);
    printf("orange at %d\n", hit ? (int)(hit - words) : -1);

    struct person people[40];
    const char *names[] = {"ann", "bob", "cyd", "dee", "eve"};
    for (int i = 0; i < 40; i++) {
        /* one call per statement: argument evaluation order is unspecified */
        const char *base = names[next_rand() % 5];
        int suffix = (int)(next_rand() % 3);
        snprintf(people[i].name, sizeof people[i].name, "%s%d", base, suffix);
        people[i].age = 20 + (int)(next_rand() % 5);
        people[i].id = i;
    }
    qsort(people, 40, sizeof people[0], cmp_person);
    for (int i = 0; i < 40; i++)
        printf("%d:%s:%d%s", people[i].age, people[i].name, people[i].id,
               i % 8 == 7 ? "\n" : " ");
    struct person probe = people[17];
    struct person *pp = bsearch(&probe, people, 40, sizeof people[0], cmp_person);
    printf("person bsearch index %d\n", pp ? (int)(pp - people) : -1);
    return 0;
}
