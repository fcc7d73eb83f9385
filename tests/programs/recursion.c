/* Recursion: Ackermann (small), n-queens by backtracking, Towers of Hanoi,
 * mutual recursion, a recursive descent expression parser and a deep
 * (but bounded) recursion that exercises the call stack. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long ack_calls;

static unsigned ack(unsigned m, unsigned n)
{
    ack_calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

static int queens(int n, int row, unsigned cols, unsigned d1, unsigned d2, int *first, int *board)
{
    if (row == n) {
        if (!*first) {
            *first = 1;
            printf("first %d-queens solution:", n);
            for (int i = 0; i < n; i++)
                printf(" %d", board[i]);
            printf("\n");
        }
        return 1;
    }
    int count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), d = 1u << (row - c + n - 1);
        if ((cols & a) || (d1 & b) || (d2 & d))
            continue;
        board[row] = c;
        count += queens(n, row + 1, cols | a, d1 | b, d2 | d, first, board);
    }
    return count;
}

static long hanoi(int n, int from, int to, int via, int *trace, int *ntrace)
{
    if (n == 0)
        return 0;
    long moves = hanoi(n - 1, from, via, to, trace, ntrace);
    if (*ntrace < 12) {
        trace[(*ntrace)++] = from * 10 + to;
    }
    moves++;
    return moves + hanoi(n - 1, via, to, from, trace, ntrace);
}

static int is_odd(unsigned n);
static int is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}
static int is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

/* expr := term (('+'|'-') term)* ; term := factor (('*'|'/') factor)* ;
 * factor := number | '(' expr ')' | '-' factor */
static const char *src;
static long expr(void);
static long factor(void)
{
    while (*src == ' ')
        src++;
    if (*src == '(') {
        src++;
        long v = expr();
        while (*src == ' ')
            src++;
        if (*src == ')')
            src++;
        return v;
    }
    if (*src == '-') {
        src++;
        return -factor();
    }
    long v = 0;
    while (*src >= '0' && *src <= '9')
        v = v * 10 + (*src++ - '0');
    return v;
}
static long term(void)
{
    long v = factor();
    for (;;) {
        while (*src == ' ')
            src++;
        if (*src == '*') {
            src++;
            v *= factor();
        } else if (*src == '/') {
            src++;
            long d = factor();
            v = d ? v / d : 0;
        } else {
            return v;
        }
    }
}
static long expr(void)
{
    long v = term();
    for (;;) {
        while (*src == ' ')
            src++;
        if (*src == '+') {
            src++;
            v += term();
        } else if (*src == '-') {
            src++;
            v -= term();
        } else {
            return v;
        }
    }
}

static int depth_sum(int n, volatile int *sink)
{
    int local[4] = {n, n + 1, n + 2, n + 3};
    *sink += local[n & 3];
    if (n == 0)
        return 0;
    return 1 + depth_sum(n - 1, sink) + (local[0] & 1);
}

static unsigned long long fib_memo(int n, unsigned long long *memo)
{
    if (n < 2)
        return (unsigned long long)n;
    if (memo[n])
        return memo[n];
    return memo[n] = fib_memo(n - 1, memo) + fib_memo(n - 2, memo);
}

int main(void)
{
    for (unsigned m = 0; m <= 3; m++) {
        for (unsigned n = 0; n <= 4; n++) {
            ack_calls = 0;
            unsigned v = ack(m, n);
            printf("ack(%u,%u)=%u calls=%llu%s", m, n, v, ack_calls, n == 4 ? "\n" : "  ");
        }
    }
    printf("ack(2,300)=%u\n", ack(2, 300));
    int board[12];
    for (int n = 1; n <= 10; n++) {
        int first = 0;
        printf("%d-queens: %d solutions\n", n, queens(n, 0, 0, 0, 0, &first, board));
    }
    int trace[12], ntrace = 0;
    printf("hanoi(20) moves=%ld first:", hanoi(20, 1, 3, 2, trace, &ntrace));
    for (int i = 0; i < ntrace; i++)
        printf(" %d", trace[i]);
    printf("\n");
    printf("even(1001)=%d odd(777)=%d\n", is_even(1001), is_odd(777));
    const char *exprs[] = {"1+2*3", "(1+2)*3", "100/7/2", "-(4-10)*-3", "2*(3+(4*(5-1)))-17",
                           "((((((1))))))+ 2 * 3 - 4 / 2"};
    for (int i = 0; i < 6; i++) {
        src = exprs[i];
        printf("%s = %ld\n", exprs[i], expr());
    }
    volatile int sink = 0;
    /* a few hundred frames: the C stack of a Wasm program is 64 KiB by default */
    int depth = depth_sum(500, &sink);
    printf("depth_sum(500)=%d sink=%d\n", depth, sink);
    unsigned long long memo[94] = {0};
    printf("fib(93)=%llu\n", fib_memo(93, memo));
    return 0;
}
