/*
 * A wdb-run child process for the RSP client tests (test_rsp_client.c,
 * test_reverse.c): a free loopback port, start, connect, wait for the exit.
 * Static functions: each test program includes it once.
 */
#ifndef WDBRUN_CHILD_H
#define WDBRUN_CHILD_H

#include "wb_rsp.h"
#include "wdb_check.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) ||
        getsockname(fd, (struct sockaddr *)&a, &l)) {
        perror("free_port");
        exit(2);
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* Starts `wdb_run MODE=127.0.0.1:PORT [EXTRA] MODULE`, its stdout into
 * out_path (NULL: as is). */
static pid_t start_wdb_run(const char *wdb_run, const char *mode, int port, const char *module,
                           const char *extra, const char *out_path)
{
    char opt[64];
    snprintf(opt, sizeof opt, "%s=127.0.0.1:%d", mode, port);
    pid_t pid = fork();
    if (pid == 0) {
        if (out_path) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0) _exit(126);
        }
        if (extra)
            execl(wdb_run, wdb_run, opt, extra, module, (char *)NULL);
        else
            execl(wdb_run, wdb_run, opt, module, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* The exit status of pid within timeout_ms (128 + signal), or -1 after
 * killing it. */
static int wait_exit(pid_t pid, int timeout_ms)
{
    for (int i = 0; i < timeout_ms / 10; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        struct timespec ts = {0, 10 * 1000000L};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* Connects to the wdb-run started as pid on port (a check); if that fails,
 * kills it and returns NULL. */
static wb_rsp *connect_wdb_run(pid_t pid, int port)
{
    char addr[32];
    wb_error err;
    snprintf(addr, sizeof addr, "127.0.0.1:%d", port);
    wb_rsp *c = wb_rsp_connect(addr, 5000, &err);
    CHECK_MSG(c != NULL, "connect: %s", err.msg);
    if (!c) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    return c;
}

#endif
