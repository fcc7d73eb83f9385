/* The device WASI's contract (runtime/device/wd_wasi.h), called directly
 * (wasi/api.h) so wasi-libc does not stand in between: what works, EFAULT
 * for pointers outside memory, EBADF for fds that are not there, ENOSYS
 * (ENOTSUP for sockets) for everything else, never a trap. Prints one line
 * per call; wasi_calls.expect is the answer, on the device and on the
 * host's port alike. */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define BAD ((void *)0xfffffff0u) /* past the end of a 64 KiB memory */

static void show(const char *what, __wasi_errno_t e) { printf("%-32s %u\n", what, (unsigned)e); }

int main(void)
{
    char text[] = "fd_write: hello\n";
    __wasi_ciovec_t iov = {(const uint8_t *)text, strlen(text)};
    __wasi_ciovec_t bad_iov = {BAD, 4};
    __wasi_size_t n = 0, n2 = 0;
    fflush(stdout);
    show("fd_write", __wasi_fd_write(1, &iov, 1, &n));
    printf("  wrote %u\n", (unsigned)n);
    show("fd_write, iovs outside", __wasi_fd_write(1, BAD, 1, &n));
    show("fd_write, buffer outside", __wasi_fd_write(1, &bad_iov, 1, &n));
    show("fd_write, result outside", __wasi_fd_write(1, &iov, 1, BAD));
    show("fd_write, fd 3", __wasi_fd_write(3, &iov, 1, &n));

    __wasi_fdstat_t st;
    show("fd_fdstat_get 1", __wasi_fd_fdstat_get(1, &st));
    printf("  filetype %u seek %u\n", (unsigned)st.fs_filetype,
           (unsigned)!!(st.fs_rights_base & __WASI_RIGHTS_FD_SEEK));
    show("fd_fdstat_get 5", __wasi_fd_fdstat_get(5, &st));
    show("fd_fdstat_get, outside", __wasi_fd_fdstat_get(1, BAD));
    __wasi_prestat_t pre;
    show("fd_prestat_get 3", __wasi_fd_prestat_get(3, &pre));

    __wasi_timestamp_t res = 0, t1 = 0, t2 = 0, rt = 0;
    show("clock_res_get monotonic", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res));
    printf("  resolution > 0: %d\n", res > 0);
    show("clock_res_get 9", __wasi_clock_res_get(9, &res));
    show("clock_res_get, outside", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, BAD));
    show("clock_time_get monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1));
    show("clock_time_get monotonic", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t2));
    printf("  goes forward: %d\n", t2 >= t1 && t1 > 0);
    show("clock_time_get realtime", __wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &rt));
    printf("  after 2020: %d\n", rt > 1577836800ull * 1000000000ull);
    show("clock_time_get process", __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &t1));

    uint8_t r1[16] = {0}, r2[16] = {0};
    show("random_get", __wasi_random_get(r1, sizeof r1));
    show("random_get", __wasi_random_get(r2, sizeof r2));
    printf("  differ: %d\n", memcmp(r1, r2, sizeof r1) != 0);
    show("random_get, outside", __wasi_random_get(BAD, 16));

    show("args_sizes_get", __wasi_args_sizes_get(&n, &n2));
    printf("  argc %u, %u bytes\n", (unsigned)n, (unsigned)n2);
    char buf[64];
    uint8_t *argv[4];
    if (n <= 4 && n2 <= sizeof buf) {
        show("args_get", __wasi_args_get(argv, (uint8_t *)buf));
        printf("  argv[0] %s\n", (const char *)argv[0]);
    }
    show("args_get, outside", __wasi_args_get(BAD, (uint8_t *)buf));
    show("environ_sizes_get", __wasi_environ_sizes_get(&n, &n2));
    printf("  envc %u, %u bytes\n", (unsigned)n, (unsigned)n2);
    show("environ_sizes_get, outside", __wasi_environ_sizes_get(BAD, &n2));

    __wasi_fd_t fd;
    __wasi_size_t got;
    __wasi_iovec_t rio = {(uint8_t *)buf, sizeof buf};
    __wasi_filesize_t pos;
    __wasi_event_t ev;
    __wasi_subscription_t sub;
    memset(&sub, 0, sizeof sub);
    show("path_open", __wasi_path_open(3, 0, "x", 0, 0, 0, 0, &fd));
    show("fd_read 0", __wasi_fd_read(0, &rio, 1, &got));
    show("fd_seek 1", __wasi_fd_seek(1, 0, __WASI_WHENCE_CUR, &pos));
    show("fd_close 1", __wasi_fd_close(1));
    show("poll_oneoff", __wasi_poll_oneoff(&sub, &ev, 1, &got));
    show("fd_renumber", __wasi_fd_renumber(1, 7));
    show("sock_accept", __wasi_sock_accept(3, 0, &fd));
    show("sched_yield", __wasi_sched_yield());
    return 0;
}
