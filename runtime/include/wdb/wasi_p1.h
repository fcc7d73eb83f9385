/*
 * WASI preview 1 (wasi_snapshot_preview1, the witx definitions) as the two
 * WASI implementations of this project share it: the host's
 * (runtime/src/wr_wasi.c: files, directories, poll) and a device's
 * (runtime/device/wd_wasi.c: console, clocks, random, ENOSYS for the rest).
 * The one home of the import module's name, the errno values, every
 * function's Wasm signature and the marshalling both do alike. Not part of
 * the embedding API: include it only to implement WASI.
 *
 * Prefix: wasi_p1_ (WASI_ for the witx constants).
 */
#ifndef WDB_WASI_P1_H
#define WDB_WASI_P1_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WASI_P1_MODULE "wasi_snapshot_preview1"

/* errno (witx) */
enum {
    WASI_ESUCCESS = 0,
    WASI_E2BIG = 1,
    WASI_EACCES = 2,
    WASI_EADDRINUSE = 3,
    WASI_EADDRNOTAVAIL = 4,
    WASI_EAFNOSUPPORT = 5,
    WASI_EAGAIN = 6,
    WASI_EALREADY = 7,
    WASI_EBADF = 8,
    WASI_EBADMSG = 9,
    WASI_EBUSY = 10,
    WASI_ECANCELED = 11,
    WASI_ECHILD = 12,
    WASI_ECONNABORTED = 13,
    WASI_ECONNREFUSED = 14,
    WASI_ECONNRESET = 15,
    WASI_EDEADLK = 16,
    WASI_EDESTADDRREQ = 17,
    WASI_EDOM = 18,
    WASI_EDQUOT = 19,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EFBIG = 22,
    WASI_EHOSTUNREACH = 23,
    WASI_EIDRM = 24,
    WASI_EILSEQ = 25,
    WASI_EINPROGRESS = 26,
    WASI_EINTR = 27,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISCONN = 30,
    WASI_EISDIR = 31,
    WASI_ELOOP = 32,
    WASI_EMFILE = 33,
    WASI_EMLINK = 34,
    WASI_EMSGSIZE = 35,
    WASI_EMULTIHOP = 36,
    WASI_ENAMETOOLONG = 37,
    WASI_ENETDOWN = 38,
    WASI_ENETRESET = 39,
    WASI_ENETUNREACH = 40,
    WASI_ENFILE = 41,
    WASI_ENOBUFS = 42,
    WASI_ENODEV = 43,
    WASI_ENOENT = 44,
    WASI_ENOEXEC = 45,
    WASI_ENOLCK = 46,
    WASI_ENOLINK = 47,
    WASI_ENOMEM = 48,
    WASI_ENOMSG = 49,
    WASI_ENOPROTOOPT = 50,
    WASI_ENOSPC = 51,
    WASI_ENOSYS = 52,
    WASI_ENOTCONN = 53,
    WASI_ENOTDIR = 54,
    WASI_ENOTEMPTY = 55,
    WASI_ENOTRECOVERABLE = 56,
    WASI_ENOTSOCK = 57,
    WASI_ENOTSUP = 58,
    WASI_ENOTTY = 59,
    WASI_ENXIO = 60,
    WASI_EOVERFLOW = 61,
    WASI_EOWNERDEAD = 62,
    WASI_EPERM = 63,
    WASI_EPIPE = 64,
    WASI_EPROTO = 65,
    WASI_EPROTONOSUPPORT = 66,
    WASI_EPROTOTYPE = 67,
    WASI_ERANGE = 68,
    WASI_EROFS = 69,
    WASI_ESPIPE = 70,
    WASI_ESRCH = 71,
    WASI_ESTALE = 72,
    WASI_ETIMEDOUT = 73,
    WASI_ETXTBSY = 74,
    WASI_EXDEV = 75,
    WASI_ENOTCAPABLE = 76,
};

/* Every function with its Wasm signature (i = i32, I = i64), as
 * wasi-libc imports them: X(NAME, PARAMS, RESULTS). */
#define WASI_P1_FUNCTIONS(X) \
    X(args_get, "ii", "i") \
    X(args_sizes_get, "ii", "i") \
    X(environ_get, "ii", "i") \
    X(environ_sizes_get, "ii", "i") \
    X(clock_res_get, "ii", "i") \
    X(clock_time_get, "iIi", "i") \
    X(fd_advise, "iIIi", "i") \
    X(fd_allocate, "iII", "i") \
    X(fd_close, "i", "i") \
    X(fd_datasync, "i", "i") \
    X(fd_fdstat_get, "ii", "i") \
    X(fd_fdstat_set_flags, "ii", "i") \
    X(fd_fdstat_set_rights, "iII", "i") \
    X(fd_filestat_get, "ii", "i") \
    X(fd_filestat_set_size, "iI", "i") \
    X(fd_filestat_set_times, "iIIi", "i") \
    X(fd_pread, "iiiIi", "i") \
    X(fd_prestat_get, "ii", "i") \
    X(fd_prestat_dir_name, "iii", "i") \
    X(fd_pwrite, "iiiIi", "i") \
    X(fd_read, "iiii", "i") \
    X(fd_readdir, "iiiIi", "i") \
    X(fd_renumber, "ii", "i") \
    X(fd_seek, "iIii", "i") \
    X(fd_sync, "i", "i") \
    X(fd_tell, "ii", "i") \
    X(fd_write, "iiii", "i") \
    X(path_create_directory, "iii", "i") \
    X(path_filestat_get, "iiiii", "i") \
    X(path_filestat_set_times, "iiiiIIi", "i") \
    X(path_link, "iiiiiii", "i") \
    X(path_open, "iiiiiIIii", "i") \
    X(path_readlink, "iiiiii", "i") \
    X(path_remove_directory, "iii", "i") \
    X(path_rename, "iiiiii", "i") \
    X(path_symlink, "iiiii", "i") \
    X(path_unlink_file, "iii", "i") \
    X(poll_oneoff, "iiii", "i") \
    X(proc_exit, "i", "") \
    X(proc_raise, "i", "i") \
    X(sched_yield, "", "i") \
    X(random_get, "ii", "i") \
    X(sock_accept, "iii", "i") \
    X(sock_recv, "iiiiii", "i") \
    X(sock_send, "iiiii", "i") \
    X(sock_shutdown, "ii", "i")

/* Whether [ptr, ptr + len) lies inside a guest memory of memlen bytes. */
static inline bool wasi_p1_in_mem(uint64_t memlen, uint64_t ptr, uint64_t len)
{
    return ptr <= memlen && len <= memlen - ptr;
}

/* Guest integers are little endian, written byte by byte (any host). */
static inline void wasi_p1_put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* args_sizes_get / environ_sizes_get: the count and the bytes of the
 * strings with their NULs. */
static inline uint16_t wasi_p1_strings_sizes(uint8_t *mem, uint64_t memlen, uint32_t count,
                                             uint32_t bytes, uint32_t count_ptr, uint32_t size_ptr)
{
    if (!wasi_p1_in_mem(memlen, count_ptr, 4) || !wasi_p1_in_mem(memlen, size_ptr, 4))
        return WASI_EFAULT;
    wasi_p1_put_u32(mem + count_ptr, count);
    wasi_p1_put_u32(mem + size_ptr, bytes);
    return WASI_ESUCCESS;
}

/* args_get / environ_get: count pointers at ptrs, the NUL-terminated
 * strings from buf on (bytes of them in all). */
static inline uint16_t wasi_p1_strings_get(uint8_t *mem, uint64_t memlen, const char *const *strs,
                                           uint32_t count, uint32_t bytes, uint32_t ptrs,
                                           uint32_t buf)
{
    if (!wasi_p1_in_mem(memlen, ptrs, (uint64_t)count * 4) || !wasi_p1_in_mem(memlen, buf, bytes))
        return WASI_EFAULT;
    uint32_t off = 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t n = strlen(strs[i]) + 1;
        wasi_p1_put_u32(mem + ptrs + 4 * (uint64_t)i, buf + off);
        memcpy(mem + buf + off, strs[i], n);
        off += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

#endif
