/* Error handling without setjmp: status codes propagated up through
 * layers, goto-based cleanup that frees exactly what was acquired, errno
 * from the C library (checked by name), and a parser that reports the
 * first error with its position. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OK = 0, ERR_PARSE, ERR_RANGE, ERR_NOMEM, ERR_IO, ERR_EMPTY } status;

static const char *status_name(status s)
{
    static const char *const names[] = {"OK", "ERR_PARSE", "ERR_RANGE", "ERR_NOMEM", "ERR_IO",
                                        "ERR_EMPTY"};
    return names[s];
}

static int live_allocs;

static void *xalloc(size_t n, int *budget)
{
    if (*budget <= 0)
        return NULL;
    (*budget)--;
    live_allocs++;
    return malloc(n);
}

static void xfree(void *p)
{
    if (p) {
        live_allocs--;
        free(p);
    }
}

/* Parses "a,b,c" into a newly allocated array of ints in [0, 1000]. */
static status parse_list(const char *s, int **out, int *count, int *errpos, int *budget)
{
    status st = OK;
    int *vals = NULL;
    char *copy = NULL;
    *out = NULL;
    *count = 0;
    if (!*s) {
        st = ERR_EMPTY;
        goto fail;
    }
    copy = xalloc(strlen(s) + 1, budget);
    vals = xalloc(sizeof *vals * (strlen(s) / 2 + 1), budget);
    if (!copy || !vals) {
        st = ERR_NOMEM;
        goto fail;
    }
    strcpy(copy, s);
    int n = 0;
    char *p = copy;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p) {
            *errpos = (int)(p - copy);
            st = ERR_PARSE;
            goto fail;
        }
        if (errno == ERANGE || v < 0 || v > 1000) {
            *errpos = (int)(p - copy);
            st = ERR_RANGE;
            goto fail;
        }
        vals[n++] = (int)v;
        if (*end == '\0')
            break;
        if (*end != ',') {
            *errpos = (int)(end - copy);
            st = ERR_PARSE;
            goto fail;
        }
        p = end + 1;
    }
    xfree(copy);
    *out = vals;
    *count = n;
    return OK;
fail:
    xfree(copy);
    xfree(vals);
    return st;
}

static status sum_list(const char *s, long *sum, int *errpos, int *budget)
{
    int *vals, n;
    status st = parse_list(s, &vals, &n, errpos, budget);
    if (st != OK)
        return st;
    *sum = 0;
    for (int i = 0; i < n; i++)
        *sum += vals[i];
    xfree(vals);
    return OK;
}

static status read_config(const char *path, int *lines)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return ERR_IO;
    char buf[128];
    *lines = 0;
    while (fgets(buf, sizeof buf, f))
        (*lines)++;
    fclose(f);
    return OK;
}

int main(void)
{
    const char *inputs[] = {"1,2,3", "10,20,x", "5,,6", "1000,1001", "", "42", "7;8",
                            "99999999999999999999", "0,0,0,0,0,0,0,0,0,1"};
    for (int i = 0; i < 9; i++) {
        long sum = 0;
        int errpos = -1, budget = 10;
        status st = sum_list(inputs[i], &sum, &errpos, &budget);
        if (st == OK)
            printf("%-24s -> sum %ld\n", inputs[i], sum);
        else
            printf("%-24s -> %s at %d\n", inputs[i], status_name(st), errpos);
    }
    for (int budget0 = 0; budget0 <= 2; budget0++) {
        long sum;
        int errpos = -1, budget = budget0;
        status st = sum_list("4,5,6", &sum, &errpos, &budget);
        printf("budget %d -> %s\n", budget0, status_name(st));
    }
    printf("live allocations after all: %d\n", live_allocs);
    int lines = -1;
    status st = read_config("no-such-config.ini", &lines);
    int saved = errno;
    printf("read_config missing -> %s, errno is %s, lines=%d\n", status_name(st),
           saved == ENOENT ? "ENOENT" : "something else", lines);
    errno = 0;
    long v = strtol("-99999999999999999999", NULL, 10);
    printf("strtol underflow: %s erange=%d\n", v == LONG_MIN ? "LONG_MIN" : "?", errno == ERANGE);
    errno = 0;
    double d = strtod("1e999", NULL);
    printf("strtod overflow: %g erange=%d\n", d, errno == ERANGE);
    FILE *f = fopen("no-such-dir/file.txt", "w");
    saved = errno;
    printf("fopen in missing dir: %s errno %s\n", f ? "opened" : "NULL",
           saved == ENOENT ? "ENOENT" : "something else");
    return 0;
}
