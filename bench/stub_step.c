/*
 * The stub's own round trip, without LLDB: N single steps (`vCont;s:1` and
 * its stop reply) on a busy loop, then N `qWasmCallStack` and N 64-byte `m`
 * reads, each timed as a whole and divided by N. Built and run by
 * bench/stub-step.sh; prints microseconds per request.
 *
 *   stub_step WDB_RUN spin.wasm N
 */
#define _GNU_SOURCE
#include "wb_rsp.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The machine's own floor: a one-byte TCP ping-pong over loopback between
 * two threads, nothing else. */
static int echo_listen_fd;
static void *echo_main(void *arg)
{
    (void)arg;
    int c = accept(echo_listen_fd, NULL, NULL), one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char b[64];
    while (read(c, b, sizeof b) > 0)
        if (write(c, b, 1) != 1) break;
    close(c);
    return NULL;
}

static double loopback_rtt(int n)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    echo_listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    bind(echo_listen_fd, (struct sockaddr *)&a, sizeof a);
    listen(echo_listen_fd, 1);
    getsockname(echo_listen_fd, (struct sockaddr *)&a, &l);
    pthread_t t;
    pthread_create(&t, NULL, echo_main, NULL);
    int c = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    connect(c, (struct sockaddr *)&a, sizeof a);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char x = 'x';
    double t0 = now();
    for (int i = 0; i < n; i++)
        if (write(c, &x, 1) != 1 || read(c, &x, 1) != 1) break;
    double t1 = now();
    close(c);
    pthread_join(t, NULL);
    close(echo_listen_fd);
    return (t1 - t0) / n * 1e6;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: stub_step WDB_RUN MODULE.wasm N\n");
        return 2;
    }
    int n = atoi(argv[3]);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &l);
    close(fd);
    char opt[64], addr[64];
    wb_error err;
    snprintf(opt, sizeof opt, "-g=127.0.0.1:%d", ntohs(a.sin_port));
    snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(a.sin_port));
    pid_t pid = fork();
    if (pid == 0) {
        execl(argv[1], argv[1], opt, argv[2], (char *)NULL);
        _exit(127);
    }
    wb_rsp *c = wb_rsp_connect(addr, 5000, &err);
    if (!c || wb_rsp_handshake(c) != 0) {
        fprintf(stderr, "stub_step: cannot connect: %s\n", c ? wb_rsp_last_error(c) : err.msg);
        kill(pid, SIGKILL);
        return 1;
    }
    wb_rsp_stop st;
    wb_rsp_query_stop(c, &st);
    double t0 = now();
    for (int i = 0; i < n; i++) {
        if (wb_rsp_step(c) || wb_rsp_wait_stop(c, &st, 5000)) {
            fprintf(stderr, "stub_step: step %d failed: %s\n", i, wb_rsp_last_error(c));
            kill(pid, SIGKILL);
            return 1;
        }
    }
    double t1 = now();
    uint64_t pcs[64];
    size_t np;
    for (int i = 0; i < n; i++)
        wb_rsp_call_stack(c, pcs, 64, &np);
    double t2 = now();
    uint8_t buf[64];
    size_t got;
    for (int i = 0; i < n; i++)
        wb_rsp_read(c, 1024, buf, sizeof buf, &got);
    double t3 = now();
    printf("stub round trips over loopback, %d each:\n", n);
    printf("  (this machine's bare TCP loopback round trip: %.1f us)\n", loopback_rtt(n));
    printf("  single step (vCont;s + stop reply): %7.1f us   (target < 200 us)\n",
           (t1 - t0) / n * 1e6);
    printf("  qWasmCallStack:                     %7.1f us\n", (t2 - t1) / n * 1e6);
    printf("  m, 64 bytes:                        %7.1f us\n", (t3 - t2) / n * 1e6);
    wb_rsp_kill(c);
    wb_rsp_close(c);
    waitpid(pid, NULL, 0);
    return 0;
}
