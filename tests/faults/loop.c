/*
 * The debuggee of the fault and soak tests (tests/faults), compiled to
 * Wasm at -O1 -g. argv[1] picks what it does:
 *   count N   call tick() N times, print "ticks N", exit 0
 *   timed MS  call tick() for MS milliseconds, print "timed", exit 0
 *   spin      call tick() until a debugger sets g_stop, print "stopped", exit 3
 *   grow N    allocate up to N MiB (1 MiB at a time), print "grew M MiB", exit 0
 *   recurse   recurse without end (the runtime's call depth limit traps)
 *   sleep MS  sleep MS milliseconds in one nanosleep (WASI poll_oneoff),
 *             print "slept T ms" (T: the wall time the call took)
 *   read      read a line from stdin (a blocking fd_read), print "read: LINE"
 * tick() is where the tests put their breakpoints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile int g_stop;
volatile unsigned g_count;

__attribute__((noinline)) void tick(void) { g_count++; }

/* not a tail call: every level keeps a frame */
__attribute__((noinline)) unsigned recurse(unsigned depth)
{
    volatile unsigned keep = depth;
    return recurse(depth + 1) + keep;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "count";
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000;
    if (!strcmp(mode, "spin")) {
        while (!g_stop) tick();
        printf("stopped\n");
        return 3;
    }
    if (!strcmp(mode, "timed")) {
        long long end = now_ms() + (long long)n;
        while (now_ms() < end)
            for (int i = 0; i < 1000; i++) tick();
        printf("timed\n");
        return 0;
    }
    if (!strcmp(mode, "grow")) {
        unsigned long got = 0;
        for (; got < n; got++) {
            char *volatile p = malloc(1 << 20); /* volatile: the call is kept */
            if (!p) break;
            p[0] = 1;
        }
        printf("grew %lu MiB\n", got);
        return 0;
    }
    if (!strcmp(mode, "sleep")) {
        long long t0 = now_ms();
        struct timespec ts = {(time_t)(n / 1000), (long)(n % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        printf("slept %lld ms\n", now_ms() - t0);
        return 0;
    }
    if (!strcmp(mode, "read")) {
        char line[128];
        if (!fgets(line, sizeof line, stdin)) return 1;
        line[strcspn(line, "\n")] = '\0';
        printf("read: %s\n", line);
        return 0;
    }
    if (!strcmp(mode, "recurse")) {
        printf("depth %u\n", recurse(0));
        return 0;
    }
    for (unsigned long i = 0; i < n; i++) tick();
    printf("ticks %u\n", g_count);
    return 0;
}
