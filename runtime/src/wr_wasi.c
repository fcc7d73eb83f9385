/*
 * WASI preview 1 (wasi_snapshot_preview1) on POSIX hosts.
 *
 * Every function is a wr_host_fn bound with a small per-function record so a
 * single trampoline can find the wr_wasi and the implementation. The
 * implementations see the guest memory as (base, length) and check every
 * pointer and length against it before touching it: a bad pointer gives the
 * guest errno FAULT, never a host crash or a trap. Every write into it goes
 * through wmem() or wrote(), which tell the trace the range written
 * (wr_trace_note_write): recording a WASI call copies those bytes only.
 *
 * Layouts, constants and function signatures follow the witx definitions of
 * wasi_snapshot_preview1 (typenames.witx, wasi_snapshot_preview1.witx). All
 * guest values are little endian, so they are stored byte by byte.
 *
 * The sandbox lives in path_resolve(): see the comment there.
 */
#define _GNU_SOURCE /* openat family, O_PATH, preadv/pwritev, getrandom */

#include "wr_internal.h"
#include "wr_wasi_internal.h"
#ifdef WR_TRACE
#include "wr_trace.h"
#endif
#include "wdb/wasi_p1.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* ----------------------------------------------------- witx constants
 * (errno and the functions: wdb/wasi_p1.h) */

/* filetype (u8) */
enum {
    WASI_FILETYPE_UNKNOWN = 0,
    WASI_FILETYPE_BLOCK_DEVICE = 1,
    WASI_FILETYPE_CHARACTER_DEVICE = 2,
    WASI_FILETYPE_DIRECTORY = 3,
    WASI_FILETYPE_REGULAR_FILE = 4,
    WASI_FILETYPE_SOCKET_DGRAM = 5,
    WASI_FILETYPE_SOCKET_STREAM = 6,
    WASI_FILETYPE_SYMBOLIC_LINK = 7,
};

/* rights (u64 flags) */
#define WASI_RIGHT_FD_DATASYNC (UINT64_C(1) << 0)
#define WASI_RIGHT_FD_READ (UINT64_C(1) << 1)
#define WASI_RIGHT_FD_SEEK (UINT64_C(1) << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS (UINT64_C(1) << 3)
#define WASI_RIGHT_FD_SYNC (UINT64_C(1) << 4)
#define WASI_RIGHT_FD_TELL (UINT64_C(1) << 5)
#define WASI_RIGHT_FD_WRITE (UINT64_C(1) << 6)
#define WASI_RIGHT_FD_ADVISE (UINT64_C(1) << 7)
#define WASI_RIGHT_FD_ALLOCATE (UINT64_C(1) << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY (UINT64_C(1) << 9)
#define WASI_RIGHT_PATH_CREATE_FILE (UINT64_C(1) << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE (UINT64_C(1) << 11)
#define WASI_RIGHT_PATH_LINK_TARGET (UINT64_C(1) << 12)
#define WASI_RIGHT_PATH_OPEN (UINT64_C(1) << 13)
#define WASI_RIGHT_FD_READDIR (UINT64_C(1) << 14)
#define WASI_RIGHT_PATH_READLINK (UINT64_C(1) << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE (UINT64_C(1) << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET (UINT64_C(1) << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET (UINT64_C(1) << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE (UINT64_C(1) << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (UINT64_C(1) << 20)
#define WASI_RIGHT_FD_FILESTAT_GET (UINT64_C(1) << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE (UINT64_C(1) << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES (UINT64_C(1) << 23)
#define WASI_RIGHT_PATH_SYMLINK (UINT64_C(1) << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY (UINT64_C(1) << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE (UINT64_C(1) << 26)
#define WASI_RIGHT_POLL_FD_READWRITE (UINT64_C(1) << 27)

/* The rights that apply to a directory: a preopen has them, and the file
 * and directory ones to pass on; a directory path_open makes keeps only
 * these of what it asked for (a regular file, only the file ones). */
#define WASI_RIGHTS_DIR                                                                            \
    (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_ADVISE |                  \
     WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |                              \
     WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |            \
     WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK | WASI_RIGHT_PATH_RENAME_SOURCE |            \
     WASI_RIGHT_PATH_RENAME_TARGET | WASI_RIGHT_PATH_FILESTAT_GET |                                \
     WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |                      \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |     \
     WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE |                              \
     WASI_RIGHT_POLL_FD_READWRITE)
#define WASI_RIGHTS_FILE                                                                           \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |                            \
     WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |                    \
     WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |                         \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |                                \
     WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)

/* The rights of the lent stdio fds; SEEK and TELL are added for seekable
 * files. wasi-libc's isatty() answers yes for a character device whose
 * rights lack SEEK and TELL, so a terminal must not get them. */
#define WASI_RIGHTS_STDIO                                                                          \
    (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_FDSTAT_SET_FLAGS |                \
     WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE |                             \
     WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_POLL_FD_READWRITE)

/* fdflags (u16) */
#define WASI_FDFLAG_APPEND 0x01u
#define WASI_FDFLAG_DSYNC 0x02u
#define WASI_FDFLAG_NONBLOCK 0x04u
#define WASI_FDFLAG_RSYNC 0x08u
#define WASI_FDFLAG_SYNC 0x10u
#define WASI_FDFLAGS_ALL 0x1fu

/* oflags (u16) */
#define WASI_OFLAG_CREAT 0x01u
#define WASI_OFLAG_DIRECTORY 0x02u
#define WASI_OFLAG_EXCL 0x04u
#define WASI_OFLAG_TRUNC 0x08u
#define WASI_OFLAGS_ALL 0x0fu

/* lookupflags (u32) */
#define WASI_LOOKUP_SYMLINK_FOLLOW 0x01u

/* fstflags (u16) */
#define WASI_FST_ATIM 0x01u
#define WASI_FST_ATIM_NOW 0x02u
#define WASI_FST_MTIM 0x04u
#define WASI_FST_MTIM_NOW 0x08u

/* clockid (u32) */
enum {
    WASI_CLOCK_REALTIME = 0,
    WASI_CLOCK_MONOTONIC = 1,
    WASI_CLOCK_PROCESS = 2,
    WASI_CLOCK_THREAD = 3
};

/* whence (u8) */
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

/* eventtype (u8), subclockflags (u16), eventrwflags (u16) */
enum { WASI_EVENT_CLOCK = 0, WASI_EVENT_FD_READ = 1, WASI_EVENT_FD_WRITE = 2 };
#define WASI_SUBCLOCK_ABSTIME 0x01u
#define WASI_EVENT_HANGUP 0x01u

/* advice (u8) */
enum {
    WASI_ADVICE_NORMAL = 0,
    WASI_ADVICE_SEQUENTIAL = 1,
    WASI_ADVICE_RANDOM = 2,
    WASI_ADVICE_WILLNEED = 3,
    WASI_ADVICE_DONTNEED = 4,
    WASI_ADVICE_NOREUSE = 5,
};

/* Struct sizes (witx layout rules: natural alignment, size rounded up). */
#define WASI_IOVEC_SIZE 8   /* buf u32 @0, buf_len u32 @4 */
#define WASI_FDSTAT_SIZE 24 /* filetype u8 @0, flags u16 @2, rights u64 @8, inheriting u64 @16 */
#define WASI_FILESTAT_SIZE                                                                         \
    64 /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56 */
#define WASI_DIRENT_SIZE 24       /* d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20 */
#define WASI_PRESTAT_SIZE 8       /* tag u8 @0 (0 = dir), pr_name_len u32 @4 */
#define WASI_SUBSCRIPTION_SIZE 48 /* userdata u64 @0, tag u8 @8, union @16 */
#define WASI_EVENT_SIZE                                                                            \
    32 /* userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24 */

/* Limits that keep a hostile guest from making the host allocate or loop
 * without bound. They are far above what any real program passes. */
#define WASI_MAX_PATH 32768u  /* bytes of a guest path, also after symlink expansion */
#define WASI_MAX_SYMLINKS 40u /* symlinks expanded in one lookup (Linux's own limit) */
#define WASI_MAX_IOVS 1024u   /* iovecs used per call; more make a short read/write */
#define WASI_MAX_SUBSCRIPTIONS 4096u

/* ------------------------------------------------------------ state */

typedef struct wasi_fd {
    bool used;
    bool borrowed; /* host fd lent by the embedder (stdio): never closed here */
    int host;
    uint8_t type; /* WASI filetype */
    uint64_t rights, rights_inh;
    char *preopen;      /* owned guest name of a preopened directory, else NULL */
    DIR *dir;           /* fd_readdir stream on a duplicate of host, opened lazily */
    uint64_t dir_index; /* cookie of the entry `dir` returns next */
} wasi_fd;

typedef struct wasi_call wasi_call;
typedef uint16_t (*wasi_impl)(wasi_call *c, const uint64_t *a);

typedef struct wasi_def {
    const char *name;
    const char *params;
    const char *results;
    wasi_impl fn;
} wasi_def;

typedef struct wasi_binding {
    wr_wasi *w;
    const wasi_def *def;
} wasi_binding;

struct wr_wasi {
    char **argv; /* owned strings */
    uint32_t argc;
    uint32_t argv_bytes; /* sum of strlen+1 */
    char **envp;
    uint32_t envc;
    uint32_t env_bytes;
    wasi_fd *fds;
    uint32_t nfds, capfds;
    wasi_binding *bindings; /* one per entry of wasi_defs */
    int exit_code;          /* last proc_exit seen by wr_wasi_call_raw */
    /* wr_wasi_denied: the first path refused for leaving the sandbox, as
     * the program named it (owned), and whether the program wrote
     * wasi-libc's text for that errno to its stdout or stderr */
    char *denied;
    bool said_denied;
    wr_wasi_write_fn test_on_write; /* wr_wasi_set_write_hook */
    void *test_on_write_user;
};

/* strerror(ENOTCAPABLE) in wasi-libc: what perror prints for a path the
 * C library itself refuses (one under no preopened directory), which the
 * runtime never sees. */
#define WASI_ENOTCAPABLE_TEXT "Capabilities insufficient"

/* One call in progress: the context, the guest memory, and the requests
 * of the two functions that end the program instead of returning an
 * errno: proc_exit, and proc_raise of a terminating signal. */
struct wasi_call {
    wr_wasi *w;
    uint8_t *mem;
    uint64_t memlen;
    bool exiting;
    int exit_code;
    int raised;          /* proc_raise: the signal, 0 for none */
    wr_instance *caller; /* NULL outside a call from Wasm (wr_wasi_call_raw) */
    wr_status ended;     /* not WR_OK: a blocking wait ended the call (a kill) */

    /* told every range the call writes (wrote), or NULL */
    wr_wasi_write_fn on_write;
    void *on_write_user;
};

/* The longest a blocking call (poll_oneoff, fd_read) waits without looking
 * at the debugger's requests: the bound on how late an interrupt stops a
 * program that sleeps or reads a terminal. A wait is a series of slices;
 * between them wait_go_on takes the requests (wr_host_poll), so the stop
 * is made inside the call, with its caller on top, and resuming waits on. */
#define WASI_WAIT_SLICE_MS 20

/* Between two slices of a blocking wait. Returns false when the call must
 * end now (c->ended says how); *stopped_ns gets the time spent stopped. */
static bool wait_go_on(wasi_call *c, uint64_t *stopped_ns)
{
    *stopped_ns = 0;
    /* the poll word is zero: nothing asked (the usual slice), no clock read */
    if (!c->caller || !__atomic_load_n(&c->caller->store->interrupt, __ATOMIC_SEQ_CST)) return true;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    c->ended = wr_host_poll(c->caller);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    uint64_t a = (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec;
    uint64_t b = (uint64_t)t1.tv_sec * 1000000000u + (uint64_t)t1.tv_nsec;
    *stopped_ns = b > a ? b - a : 0;
    return c->ended == WR_OK;
}

/* ------------------------------------------------ guest memory access */

/* True when [ptr, ptr+len) lies inside the guest memory. */
static bool in_mem(const wasi_call *c, uint64_t ptr, uint64_t len)
{
    return wasi_p1_in_mem(c->memlen, ptr, len);
}

/* Notes that the call writes guest bytes [ptr, ptr + len) (a record of
 * the call must have them: wr_trace_note_write). Every write into guest
 * memory is noted, before or after it is made, whether the call then
 * succeeds or not. */
static void wrote(wasi_call *c, uint64_t ptr, uint64_t len)
{
    if (c->on_write && len) c->on_write(c->on_write_user, ptr, len);
}

/* The guest bytes [ptr, ptr + len), bounds-checked, that the call writes
 * now: noted (wrote). */
static uint8_t *wmem(wasi_call *c, uint64_t ptr, uint64_t len)
{
    wrote(c, ptr, len);
    return c->mem + ptr;
}

static void put_u8(uint8_t *p, uint8_t v)
{
    p[0] = v;
}
static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void put_u32(uint8_t *p, uint32_t v)
{
    wasi_p1_put_u32(p, v);
}
static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}
static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t get_u64(const uint8_t *p)
{
    return (uint64_t)get_u32(p) | ((uint64_t)get_u32(p + 4) << 32);
}

/* Writes a u32/u64 result through a guest pointer, or reports FAULT. */
static uint16_t store_u32(wasi_call *c, uint32_t ptr, uint32_t v)
{
    if (!in_mem(c, ptr, 4)) return WASI_EFAULT;
    put_u32(wmem(c, ptr, 4), v);
    return WASI_ESUCCESS;
}
static uint16_t store_u64(wasi_call *c, uint32_t ptr, uint64_t v)
{
    if (!in_mem(c, ptr, 8)) return WASI_EFAULT;
    put_u64(wmem(c, ptr, 8), v);
    return WASI_ESUCCESS;
}

/* Argument slots: i32 arrive zero-extended, so the low 32 bits are the value. */
#define A32(i) ((uint32_t)a[i])
#define A64(i) (a[i])

/* ----------------------------------------------------- host errno map */

static const struct {
    int host;
    uint16_t wasi;
} errno_map[] = {
    {E2BIG, WASI_E2BIG},
    {EACCES, WASI_EACCES},
    {EADDRINUSE, WASI_EADDRINUSE},
    {EADDRNOTAVAIL, WASI_EADDRNOTAVAIL},
    {EAFNOSUPPORT, WASI_EAFNOSUPPORT},
    {EAGAIN, WASI_EAGAIN},
    {EWOULDBLOCK, WASI_EAGAIN},
    {EALREADY, WASI_EALREADY},
    {EBADF, WASI_EBADF},
    {EBADMSG, WASI_EBADMSG},
    {EBUSY, WASI_EBUSY},
    {ECANCELED, WASI_ECANCELED},
    {ECHILD, WASI_ECHILD},
    {ECONNABORTED, WASI_ECONNABORTED},
    {ECONNREFUSED, WASI_ECONNREFUSED},
    {ECONNRESET, WASI_ECONNRESET},
    {EDEADLK, WASI_EDEADLK},
    {EDESTADDRREQ, WASI_EDESTADDRREQ},
    {EDOM, WASI_EDOM},
    {EDQUOT, WASI_EDQUOT},
    {EEXIST, WASI_EEXIST},
    {EFAULT, WASI_EFAULT},
    {EFBIG, WASI_EFBIG},
    {EHOSTUNREACH, WASI_EHOSTUNREACH},
    {EIDRM, WASI_EIDRM},
    {EILSEQ, WASI_EILSEQ},
    {EINPROGRESS, WASI_EINPROGRESS},
    {EINTR, WASI_EINTR},
    {EINVAL, WASI_EINVAL},
    {EIO, WASI_EIO},
    {EISCONN, WASI_EISCONN},
    {EISDIR, WASI_EISDIR},
    {ELOOP, WASI_ELOOP},
    {EMFILE, WASI_EMFILE},
    {EMLINK, WASI_EMLINK},
    {EMSGSIZE, WASI_EMSGSIZE},
    {EMULTIHOP, WASI_EMULTIHOP},
    {ENAMETOOLONG, WASI_ENAMETOOLONG},
    {ENETDOWN, WASI_ENETDOWN},
    {ENETRESET, WASI_ENETRESET},
    {ENETUNREACH, WASI_ENETUNREACH},
    {ENFILE, WASI_ENFILE},
    {ENOBUFS, WASI_ENOBUFS},
    {ENODEV, WASI_ENODEV},
    {ENOENT, WASI_ENOENT},
    {ENOEXEC, WASI_ENOEXEC},
    {ENOLCK, WASI_ENOLCK},
    {ENOLINK, WASI_ENOLINK},
    {ENOMEM, WASI_ENOMEM},
    {ENOMSG, WASI_ENOMSG},
    {ENOPROTOOPT, WASI_ENOPROTOOPT},
    {ENOSPC, WASI_ENOSPC},
    {ENOSYS, WASI_ENOSYS},
    {ENOTCONN, WASI_ENOTCONN},
    {ENOTDIR, WASI_ENOTDIR},
    {ENOTEMPTY, WASI_ENOTEMPTY},
    {ENOTRECOVERABLE, WASI_ENOTRECOVERABLE},
    {ENOTSOCK, WASI_ENOTSOCK},
    {ENOTSUP, WASI_ENOTSUP},
    {EOPNOTSUPP, WASI_ENOTSUP},
    {ENOTTY, WASI_ENOTTY},
    {ENXIO, WASI_ENXIO},
    {EOVERFLOW, WASI_EOVERFLOW},
    {EOWNERDEAD, WASI_EOWNERDEAD},
    {EPERM, WASI_EPERM},
    {EPIPE, WASI_EPIPE},
    {EPROTO, WASI_EPROTO},
    {EPROTONOSUPPORT, WASI_EPROTONOSUPPORT},
    {EPROTOTYPE, WASI_EPROTOTYPE},
    {ERANGE, WASI_ERANGE},
    {EROFS, WASI_EROFS},
    {ESPIPE, WASI_ESPIPE},
    {ESRCH, WASI_ESRCH},
    {ESTALE, WASI_ESTALE},
    {ETIMEDOUT, WASI_ETIMEDOUT},
    {ETXTBSY, WASI_ETXTBSY},
    {EXDEV, WASI_EXDEV},
};

/* The WASI errno for a host errno (EIO for anything without a counterpart). */
static uint16_t wasi_errno(int e)
{
    for (size_t i = 0; i < sizeof errno_map / sizeof errno_map[0]; i++)
        if (errno_map[i].host == e) return errno_map[i].wasi;
    return WASI_EIO;
}

/* ------------------------------------------------------------ fd table */

static uint8_t filetype_of_mode(mode_t m)
{
    if (S_ISREG(m)) return WASI_FILETYPE_REGULAR_FILE;
    if (S_ISDIR(m)) return WASI_FILETYPE_DIRECTORY;
    if (S_ISCHR(m)) return WASI_FILETYPE_CHARACTER_DEVICE;
    if (S_ISBLK(m)) return WASI_FILETYPE_BLOCK_DEVICE;
    if (S_ISSOCK(m)) return WASI_FILETYPE_SOCKET_STREAM;
    if (S_ISLNK(m)) return WASI_FILETYPE_SYMBOLIC_LINK;
    return WASI_FILETYPE_UNKNOWN; /* FIFOs have no witx filetype */
}

/* The open entry for a guest fd, or NULL. */
static wasi_fd *fd_get(wr_wasi *w, uint32_t fd)
{
    if (fd >= w->nfds || !w->fds[fd].used) return NULL;
    return &w->fds[fd];
}

/* The open entry for a guest fd that has all of `rights` (witx: each
 * function names the rights it needs): EBADF, ENOTCAPABLE. */
static uint16_t fd_right(wr_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out)
{
    wasi_fd *e = fd_get(w, fd);
    if (!e) return WASI_EBADF;
    if ((e->rights & rights) != rights) return WASI_ENOTCAPABLE;
    *out = e;
    return WASI_ESUCCESS;
}

/* Closes what an entry holds and marks it free. */
static void fd_release(wasi_fd *e)
{
    if (e->dir) closedir(e->dir);
    if (!e->borrowed && e->host >= 0) close(e->host);
    free(e->preopen);
    memset(e, 0, sizeof *e);
    e->host = -1;
}

/* Reserves the lowest free guest fd (POSIX's rule) and returns it in *fd. */
static uint16_t fd_alloc(wr_wasi *w, uint32_t *fd)
{
    for (uint32_t i = 0; i < w->nfds; i++) {
        if (!w->fds[i].used) {
            *fd = i;
            return WASI_ESUCCESS;
        }
    }
    if (w->nfds == w->capfds) {
        if (w->capfds >= (1u << 20)) return WASI_EMFILE;
        uint32_t cap = w->capfds ? w->capfds * 2 : 16;
        wasi_fd *n = realloc(w->fds, cap * sizeof *n);
        if (!n) return WASI_ENOMEM;
        w->fds = n;
        w->capfds = cap;
    }
    memset(&w->fds[w->nfds], 0, sizeof w->fds[0]);
    w->fds[w->nfds].host = -1;
    *fd = w->nfds++;
    return WASI_ESUCCESS;
}

/* A directory fd usable as the base of a path lookup that needs `rights`. */
static uint16_t dir_get(wr_wasi *w, uint32_t fd, uint64_t rights, wasi_fd **out)
{
    wasi_fd *e = fd_get(w, fd);
    if (!e) return WASI_EBADF;
    if (e->type != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
    if ((e->rights & rights) != rights) return WASI_ENOTCAPABLE;
    *out = e;
    return WASI_ESUCCESS;
}

/* ------------------------------------------------------ the sandbox */

/*
 * Path resolution. A guest path names something below a directory fd `base`
 * and must never reach anything that is not below it. The kernel is never
 * handed a path with more than one component: we walk from base one
 * component at a time with openat(O_NOFOLLOW | O_DIRECTORY), so the kernel
 * cannot follow a symlink or `..` on our behalf, and:
 *   - an absolute path (or an absolute symlink target) is refused;
 *   - `..` goes back to the parent we came from, and at base it is refused;
 *   - a symlink met on the way is read with readlinkat and its target is
 *     spliced in front of the rest of the path, then walked under the same
 *     rules, at most WASI_MAX_SYMLINKS times.
 * The result is a directory fd below base (or base itself) and one final
 * component that is never `..` and never contains '/'; callers pass it to
 * the *at() call with "do not follow" semantics, so a symlink swapped in
 * after the walk cannot lead out either.
 *
 * To go up without keeping an fd per level, the walk remembers the names it
 * descended through and reopens the parent from base.
 */
typedef struct wasi_path {
    int dir;        /* directory holding `name`: base itself or an owned fd */
    bool dir_owned; /* dir must be closed by path_release */
    char *name;     /* owned final component; "." names dir itself */
    bool trailing;  /* the guest path ended in '/': the result must be a directory */
} wasi_path;

typedef struct wasi_walk {
    int base;
    int cur;
    char *names; /* '/'-joined components from base to cur */
    size_t len, cap;
    uint32_t depth;
} wasi_walk;

static int open_subdir(int dirfd, const char *name)
{
#ifdef O_PATH
    int flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#else
    int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#endif
    return openat(dirfd, name, flags);
}

static void walk_set_cur(wasi_walk *wk, int fd)
{
    if (wk->cur != wk->base) close(wk->cur);
    wk->cur = fd;
}

static uint16_t walk_down(wasi_walk *wk, const char *name)
{
    size_t n = strlen(name);
    if (wk->len + n + 2 > wk->cap) {
        size_t cap = (wk->len + n + 2) * 2;
        char *p = realloc(wk->names, cap);
        if (!p) return WASI_ENOMEM;
        wk->names = p;
        wk->cap = cap;
    }
    int fd = open_subdir(wk->cur, name);
    if (fd < 0) return wasi_errno(errno);
    walk_set_cur(wk, fd);
    if (wk->len) wk->names[wk->len++] = '/';
    memcpy(wk->names + wk->len, name, n + 1);
    wk->len += n;
    wk->depth++;
    return WASI_ESUCCESS;
}

static uint16_t walk_up(wasi_walk *wk)
{
    if (wk->depth == 0)
        return WASI_ENOTCAPABLE; /* `..` above the directory the lookup started from */
    char *slash = wk->len ? strrchr(wk->names, '/') : NULL;
    wk->len = slash ? (size_t)(slash - wk->names) : 0;
    if (wk->names) wk->names[wk->len] = '\0';
    wk->depth--;
    walk_set_cur(wk, wk->base);
    /* Reopen the parent from base through the same real directories. */
    char *p = wk->names;
    while (p && *p) {
        char *end = strchr(p, '/');
        if (end) *end = '\0';
        int fd = open_subdir(wk->cur, p);
        if (end) *end = '/';
        if (fd < 0) return wasi_errno(errno);
        walk_set_cur(wk, fd);
        p = end ? end + 1 : NULL;
    }
    return WASI_ESUCCESS;
}

static void path_release(wasi_path *p)
{
    if (p->dir_owned) close(p->dir);
    free(p->name);
    p->dir = -1;
    p->dir_owned = false;
    p->name = NULL;
}

/* Resolves guest path (path, len) below directory fd base. follow: resolve
 * a symlink in the final component too. On success out owns its fields
 * (release with path_release); on failure out holds nothing. */
static uint16_t path_resolve(int base, const char *path, size_t len, bool follow, wasi_path *out)
{
    uint16_t err = WASI_ESUCCESS;
    wasi_walk wk = {base, base, NULL, 0, 0, 0};
    char *rest = NULL, *target = NULL;
    char comp[NAME_MAX + 1];
    uint32_t links = 0;
    size_t pos = 0;
    bool trailing;

    out->dir = -1;
    out->dir_owned = false;
    out->name = NULL;
    out->trailing = false;
    if (len == 0) return WASI_ENOENT;
    if (memchr(path, '\0', len)) return WASI_EINVAL;
    if (path[0] == '/') return WASI_ENOTCAPABLE;
    if (len > WASI_MAX_PATH) return WASI_ENAMETOOLONG;
    trailing = path[len - 1] == '/';
    rest = strndup(path, len);
    target = malloc(WASI_MAX_PATH + 1);
    if (!rest || !target) {
        err = WASI_ENOMEM;
        goto fail;
    }

    for (;;) {
        while (rest[pos] == '/')
            pos++;
        if (rest[pos] == '\0') {
            strcpy(comp, "."); /* only reached for paths made of `.`, `..` and '/' */
            break;
        }
        size_t start = pos;
        while (rest[pos] != '\0' && rest[pos] != '/')
            pos++;
        if (pos - start > NAME_MAX) {
            err = WASI_ENAMETOOLONG;
            goto fail;
        }
        memcpy(comp, rest + start, pos - start);
        comp[pos - start] = '\0';
        size_t after = pos;
        while (rest[after] == '/')
            after++;
        bool last = rest[after] == '\0';

        if (strcmp(comp, ".") == 0) {
            if (last) break;
            continue;
        }
        if (strcmp(comp, "..") == 0) {
            if ((err = walk_up(&wk)) != WASI_ESUCCESS) goto fail;
            if (last) {
                strcpy(comp, ".");
                break;
            }
            continue;
        }
        if (last && !follow && !trailing) break;

        struct stat st;
        if (fstatat(wk.cur, comp, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            if (errno == ENOENT && last) break; /* a name to be created */
            err = wasi_errno(errno);
            goto fail;
        }
        if (S_ISLNK(st.st_mode)) {
            if (++links > WASI_MAX_SYMLINKS) {
                err = WASI_ELOOP;
                goto fail;
            }
            ssize_t n = readlinkat(wk.cur, comp, target, WASI_MAX_PATH + 1);
            if (n < 0) {
                err = wasi_errno(errno);
                goto fail;
            }
            if ((size_t)n > WASI_MAX_PATH) {
                err = WASI_ENAMETOOLONG;
                goto fail;
            }
            if (n == 0) {
                err = WASI_ENOENT;
                goto fail;
            }
            if (target[0] == '/') {
                err = WASI_ENOTCAPABLE; /* absolute links lead out of the sandbox */
                goto fail;
            }
            /* new rest = target + "/" + what follows the link */
            size_t tail = strlen(rest + pos);
            if ((size_t)n + 1 + tail > WASI_MAX_PATH) {
                err = WASI_ENAMETOOLONG;
                goto fail;
            }
            char *nr = malloc((size_t)n + 1 + tail + 1);
            if (!nr) {
                err = WASI_ENOMEM;
                goto fail;
            }
            memcpy(nr, target, (size_t)n);
            nr[n] = '/';
            memcpy(nr + n + 1, rest + pos, tail + 1);
            if (last && !trailing)
                nr[n] = '\0'; /* the link was the final component: no slash after it */
            free(rest);
            rest = nr;
            pos = 0;
            continue;
        }
        if (last) break;
        if (!S_ISDIR(st.st_mode)) {
            err = WASI_ENOTDIR;
            goto fail;
        }
        if ((err = walk_down(&wk, comp)) != WASI_ESUCCESS) goto fail;
    }

    out->name = strdup(comp);
    if (!out->name) {
        err = WASI_ENOMEM;
        goto fail;
    }
    out->dir = wk.cur;
    out->dir_owned = wk.cur != base;
    out->trailing = trailing;
    free(wk.names);
    free(rest);
    free(target);
    return WASI_ESUCCESS;

fail:
    walk_set_cur(&wk, base);
    free(wk.names);
    free(rest);
    free(target);
    return err;
}

/* Copies a guest string (ptr, len) after checking it lies in memory. */
static uint16_t guest_path(wasi_call *c, uint32_t ptr, uint32_t len, const char **out)
{
    if (!in_mem(c, ptr, len)) return WASI_EFAULT;
    *out = (const char *)c->mem + ptr;
    return WASI_ESUCCESS;
}

/* Resolves a guest path argument relative to guest directory fd `fd`,
 * which must have `rights`. */
static uint16_t resolve_arg(wasi_call *c, uint32_t fd, uint64_t rights, uint32_t ptr, uint32_t len,
                            bool follow, wasi_path *out)
{
    wasi_fd *d;
    const char *s;
    uint16_t err;
    out->dir = -1;
    out->dir_owned = false;
    out->name = NULL;
    if ((err = dir_get(c->w, fd, rights, &d)) != WASI_ESUCCESS) return err;
    if ((err = guest_path(c, ptr, len, &s)) != WASI_ESUCCESS) return err;
    err = path_resolve(d->host, s, len, follow, out);
    if (err == WASI_ENOTCAPABLE && !c->w->denied) {
        /* the path as the program named it: its directory's guest name
         * (a preopen's) before what wasi-libc passed relative to it */
        const char *dir = d->preopen && strcmp(d->preopen, ".") != 0 ? d->preopen : NULL;
        if (asprintf(&c->w->denied, "%s%s%.*s", dir ? dir : "", dir ? "/" : "",
                     (int)(len < WASI_MAX_PATH ? len : WASI_MAX_PATH), s) < 0)
            c->w->denied = NULL;
    }
    return err;
}

/* ------------------------------------------------- args and environ */

/* args_get, environ_get: what wasi_p1_strings_get writes, the pointers
 * and the strings, noted. */
static uint16_t strings_get(wasi_call *c, char **strs, uint32_t count, uint32_t bytes,
                            const uint64_t *a)
{
    uint16_t e = wasi_p1_strings_get(c->mem, c->memlen, (const char *const *)strs, count, bytes,
                                     A32(0), A32(1));
    if (e == WASI_ESUCCESS) {
        wrote(c, A32(0), (uint64_t)count * 4);
        wrote(c, A32(1), bytes);
    }
    return e;
}
/* args_sizes_get, environ_sizes_get: two u32, noted. */
static uint16_t strings_sizes(wasi_call *c, uint32_t count, uint32_t bytes, const uint64_t *a)
{
    uint16_t e = wasi_p1_strings_sizes(c->mem, c->memlen, count, bytes, A32(0), A32(1));
    if (e == WASI_ESUCCESS) {
        wrote(c, A32(0), 4);
        wrote(c, A32(1), 4);
    }
    return e;
}
static uint16_t wasi_args_get(wasi_call *c, const uint64_t *a)
{
    return strings_get(c, c->w->argv, c->w->argc, c->w->argv_bytes, a);
}
static uint16_t wasi_args_sizes_get(wasi_call *c, const uint64_t *a)
{
    return strings_sizes(c, c->w->argc, c->w->argv_bytes, a);
}
static uint16_t wasi_environ_get(wasi_call *c, const uint64_t *a)
{
    return strings_get(c, c->w->envp, c->w->envc, c->w->env_bytes, a);
}
static uint16_t wasi_environ_sizes_get(wasi_call *c, const uint64_t *a)
{
    return strings_sizes(c, c->w->envc, c->w->env_bytes, a);
}

/* ------------------------------------------------------------- clocks */

static bool host_clock(uint32_t id, clockid_t *out)
{
    switch (id) {
    case WASI_CLOCK_REALTIME: *out = CLOCK_REALTIME; return true;
    case WASI_CLOCK_MONOTONIC: *out = CLOCK_MONOTONIC; return true;
    case WASI_CLOCK_PROCESS: *out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case WASI_CLOCK_THREAD: *out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
    }
}

static uint64_t ts_to_ns(const struct timespec *ts)
{
    if (ts->tv_sec < 0) return 0;
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

static uint64_t now_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) return 0;
    return ts_to_ns(&ts);
}

static uint16_t wasi_clock_res_get(wasi_call *c, const uint64_t *a)
{
    clockid_t id;
    struct timespec ts;
    if (!host_clock(A32(0), &id)) return WASI_EINVAL;
    if (clock_getres(id, &ts) != 0) return wasi_errno(errno);
    return store_u64(c, A32(1), ts_to_ns(&ts));
}

static uint16_t wasi_clock_time_get(wasi_call *c, const uint64_t *a)
{
    clockid_t id;
    struct timespec ts;
    /* a[1] is the requested precision: the host clock is as good as it gets. */
    if (!host_clock(A32(0), &id)) return WASI_EINVAL;
    if (clock_gettime(id, &ts) != 0) return wasi_errno(errno);
    return store_u64(c, A32(2), ts_to_ns(&ts));
}

/* ------------------------------------------------------------ fd I/O */

/* Builds host iovecs from the guest's iovec array (iovs, n). At most
 * WASI_MAX_IOVS entries and UINT32_MAX bytes in total are used, so the byte
 * count fits the u32 result; the rest makes a short transfer, which POSIX
 * and WASI allow. *out is malloc'd (NULL when *nout is 0). */
static uint16_t gather_iovs(wasi_call *c, uint32_t iovs, uint32_t n, struct iovec **out, int *nout)
{
    *out = NULL;
    *nout = 0;
    if (!in_mem(c, iovs, (uint64_t)n * WASI_IOVEC_SIZE)) return WASI_EFAULT;
    uint32_t use = n < WASI_MAX_IOVS ? n : WASI_MAX_IOVS;
    if (use == 0) return WASI_ESUCCESS;
    struct iovec *v = calloc(use, sizeof *v);
    if (!v) return WASI_ENOMEM;
    uint64_t total = 0;
    int k = 0;
    for (uint32_t i = 0; i < use; i++) {
        const uint8_t *p = c->mem + iovs + (uint64_t)i * WASI_IOVEC_SIZE;
        uint32_t buf = get_u32(p), len = get_u32(p + 4);
        if (!in_mem(c, buf, len)) {
            free(v);
            return WASI_EFAULT;
        }
        if (total + len > UINT32_MAX) len = (uint32_t)(UINT32_MAX - total);
        if (len == 0) continue;
        v[k].iov_base = c->mem + buf;
        v[k].iov_len = len;
        k++;
        total += len;
    }
    *out = v;
    *nout = k;
    return WASI_ESUCCESS;
}

enum io_kind { IO_READ, IO_WRITE, IO_PREAD, IO_PWRITE };

/* fd_read, fd_write, fd_pread, fd_pwrite: (fd, iovs, iovs_len[, offset], nbytes_ptr). */
static uint16_t do_io(wasi_call *c, enum io_kind kind, uint32_t fd, uint32_t iovs, uint32_t n,
                      uint64_t offset, uint32_t result_ptr)
{
    static const uint64_t need[] = {
        [IO_READ] = WASI_RIGHT_FD_READ,
        [IO_WRITE] = WASI_RIGHT_FD_WRITE,
        [IO_PREAD] = WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK,
        [IO_PWRITE] = WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_SEEK,
    };
    wasi_fd *e = fd_get(c->w, fd);
    struct iovec *v;
    int nv;
    uint16_t err;
    if (!e) return WASI_EBADF;
    if (e->type == WASI_FILETYPE_DIRECTORY) return WASI_EISDIR;
    if ((e->rights & need[kind]) != need[kind]) return WASI_ENOTCAPABLE;
    if (!in_mem(c, result_ptr, 4)) return WASI_EFAULT;
    if ((kind == IO_PREAD || kind == IO_PWRITE) && offset > INT64_MAX) return WASI_EINVAL;
    if ((err = gather_iovs(c, iovs, n, &v, &nv)) != WASI_ESUCCESS) return err;
    ssize_t r = 0;
    if (nv > 0 && kind == IO_READ && c->caller && !(fcntl(e->host, F_GETFL) & O_NONBLOCK)) {
        /* a read that would block (a terminal, a pipe) waits in slices */
        struct pollfd pfd = {.fd = e->host, .events = POLLIN};
        uint64_t stopped_ns;
        for (;;) {
            int pr = poll(&pfd, 1, WASI_WAIT_SLICE_MS);
            if (!wait_go_on(c, &stopped_ns)) {
                free(v);
                return WASI_EINTR; /* not seen: the call traps */
            }
            if (pr != 0 && !(pr < 0 && errno == EINTR))
                break; /* readable, at its end, or poll failed: read says */
        }
    }
    if (nv > 0) {
        switch (kind) {
        case IO_READ: r = readv(e->host, v, nv); break;
        case IO_WRITE: r = writev(e->host, v, nv); break;
        case IO_PREAD: r = preadv(e->host, v, nv, (off_t)offset); break;
        case IO_PWRITE: r = pwritev(e->host, v, nv, (off_t)offset); break;
        }
    }
    int saved = errno;
    if (kind == IO_WRITE && (fd == 1 || fd == 2) && !c->w->said_denied)
        for (int i = 0; i < nv && !c->w->said_denied; i++)
            c->w->said_denied = memmem(v[i].iov_base, v[i].iov_len, WASI_ENOTCAPABLE_TEXT,
                                       sizeof WASI_ENOTCAPABLE_TEXT - 1) != NULL;
    /* a read wrote its r bytes into the iovecs, in order */
    if ((kind == IO_READ || kind == IO_PREAD) && r > 0) {
        uint64_t left = (uint64_t)r;
        for (int i = 0; i < nv && left; i++) {
            uint64_t len = left < v[i].iov_len ? left : v[i].iov_len;
            wrote(c, (uint64_t)((uint8_t *)v[i].iov_base - c->mem), len);
            left -= len;
        }
    }
    free(v);
    if (r < 0) return wasi_errno(saved);
    put_u32(wmem(c, result_ptr, 4), (uint32_t)r);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_read(wasi_call *c, const uint64_t *a)
{
    return do_io(c, IO_READ, A32(0), A32(1), A32(2), 0, A32(3));
}
static uint16_t wasi_fd_write(wasi_call *c, const uint64_t *a)
{
    return do_io(c, IO_WRITE, A32(0), A32(1), A32(2), 0, A32(3));
}
static uint16_t wasi_fd_pread(wasi_call *c, const uint64_t *a)
{
    return do_io(c, IO_PREAD, A32(0), A32(1), A32(2), A64(3), A32(4));
}
static uint16_t wasi_fd_pwrite(wasi_call *c, const uint64_t *a)
{
    return do_io(c, IO_PWRITE, A32(0), A32(1), A32(2), A64(3), A32(4));
}

/* fd_seek and fd_tell: the entry of a file with a position. As wasmtime:
 * a directory has none (EBADF), nor has a terminal, a pipe or a socket
 * (ESPIPE, what lseek says); then the rights. */
static uint16_t seekable(wasi_call *c, uint32_t fd, uint64_t rights, wasi_fd **out)
{
    wasi_fd *e = fd_get(c->w, fd);
    if (!e || e->type == WASI_FILETYPE_DIRECTORY) return WASI_EBADF;
    if (e->type != WASI_FILETYPE_REGULAR_FILE && e->type != WASI_FILETYPE_BLOCK_DEVICE)
        return WASI_ESPIPE;
    return fd_right(c->w, fd, rights, out);
}

static uint16_t wasi_fd_seek(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    int whence;
    /* where it is (0 from the current position) needs only FD_TELL */
    uint64_t need =
        A64(1) == 0 && A32(2) == WASI_WHENCE_CUR ? WASI_RIGHT_FD_TELL : WASI_RIGHT_FD_SEEK;
    uint16_t err = seekable(c, A32(0), need, &e);
    if (err) return err;
    switch (A32(2)) {
    case WASI_WHENCE_SET: whence = SEEK_SET; break;
    case WASI_WHENCE_CUR: whence = SEEK_CUR; break;
    case WASI_WHENCE_END: whence = SEEK_END; break;
    default: return WASI_EINVAL;
    }
    if (!in_mem(c, A32(3), 8)) return WASI_EFAULT;
    off_t r = lseek(e->host, (off_t)(int64_t)A64(1), whence);
    if (r < 0) return wasi_errno(errno);
    put_u64(wmem(c, A32(3), 8), (uint64_t)r);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_tell(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint16_t err = seekable(c, A32(0), WASI_RIGHT_FD_TELL, &e);
    if (err) return err;
    if (!in_mem(c, A32(1), 8)) return WASI_EFAULT;
    off_t r = lseek(e->host, 0, SEEK_CUR);
    if (r < 0) return wasi_errno(errno);
    put_u64(wmem(c, A32(1), 8), (uint64_t)r);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_close(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    if (!e) return WASI_EBADF;
    fd_release(e);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_sync(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_SYNC, &e);
    if (err) return err;
    return fsync(e->host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

static uint16_t wasi_fd_datasync(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_DATASYNC, &e);
    if (err) return err;
    return fdatasync(e->host) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

static uint16_t wasi_fd_advise(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    int advice;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_ADVISE, &e);
    if (err) return err;
    switch (A32(3)) {
    case WASI_ADVICE_NORMAL: advice = POSIX_FADV_NORMAL; break;
    case WASI_ADVICE_SEQUENTIAL: advice = POSIX_FADV_SEQUENTIAL; break;
    case WASI_ADVICE_RANDOM: advice = POSIX_FADV_RANDOM; break;
    case WASI_ADVICE_WILLNEED: advice = POSIX_FADV_WILLNEED; break;
    case WASI_ADVICE_DONTNEED: advice = POSIX_FADV_DONTNEED; break;
    case WASI_ADVICE_NOREUSE: advice = POSIX_FADV_NOREUSE; break;
    default: return WASI_EINVAL;
    }
    if (A64(1) > INT64_MAX || A64(2) > INT64_MAX) return WASI_EINVAL;
    int r = posix_fadvise(e->host, (off_t)A64(1), (off_t)A64(2), advice);
    /* Advice is only advice: pipes and ttys cannot take it, which is fine. */
    return (r == 0 || r == ESPIPE) ? WASI_ESUCCESS : wasi_errno(r);
}

static uint16_t wasi_fd_allocate(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_ALLOCATE, &e);
    if (err) return err;
    if (A64(1) > INT64_MAX || A64(2) > INT64_MAX || A64(2) == 0) return WASI_EINVAL;
    int r = posix_fallocate(e->host, (off_t)A64(1), (off_t)A64(2));
    return r == 0 ? WASI_ESUCCESS : wasi_errno(r);
}

static uint16_t wasi_fd_fdstat_get(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    if (!e) return WASI_EBADF;
    if (!in_mem(c, A32(1), WASI_FDSTAT_SIZE)) return WASI_EFAULT;
    uint16_t flags = 0;
    int fl = fcntl(e->host, F_GETFL);
    if (fl >= 0) {
        if (fl & O_APPEND) flags |= WASI_FDFLAG_APPEND;
        if (fl & O_NONBLOCK) flags |= WASI_FDFLAG_NONBLOCK;
#if defined(O_DSYNC) && defined(O_SYNC) && O_DSYNC != O_SYNC
        if ((fl & O_SYNC) == O_SYNC)
            flags |= WASI_FDFLAG_SYNC;
        else if (fl & O_DSYNC)
            flags |= WASI_FDFLAG_DSYNC;
#endif
    }
    uint8_t *p = wmem(c, A32(1), WASI_FDSTAT_SIZE);
    memset(p, 0, WASI_FDSTAT_SIZE);
    put_u8(p, e->type);
    put_u16(p + 2, flags);
    put_u64(p + 8, e->rights);
    put_u64(p + 16, e->rights_inh);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_fdstat_set_flags(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint32_t want = A32(1);
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_FDSTAT_SET_FLAGS, &e);
    if (err) return err;
    if (want & ~WASI_FDFLAGS_ALL) return WASI_EINVAL;
    /* F_SETFL cannot change the sync flags on Linux: refuse rather than lie. */
    if (want & (WASI_FDFLAG_DSYNC | WASI_FDFLAG_RSYNC | WASI_FDFLAG_SYNC)) return WASI_ENOTSUP;
    int fl = fcntl(e->host, F_GETFL);
    if (fl < 0) return wasi_errno(errno);
    fl &= ~(O_APPEND | O_NONBLOCK);
    if (want & WASI_FDFLAG_APPEND) fl |= O_APPEND;
    if (want & WASI_FDFLAG_NONBLOCK) fl |= O_NONBLOCK;
    return fcntl(e->host, F_SETFL, fl) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

static uint16_t wasi_fd_fdstat_set_rights(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    if (!e) return WASI_EBADF;
    /* Rights can only shrink (witx: fd_fdstat_set_rights). */
    if ((A64(1) & ~e->rights) || (A64(2) & ~e->rights_inh)) return WASI_ENOTCAPABLE;
    e->rights = A64(1);
    e->rights_inh = A64(2);
    return WASI_ESUCCESS;
}

/* Writes a 64-byte filestat for st at guest ptr (already bounds-checked). */
static void put_filestat(uint8_t *p, const struct stat *st)
{
    memset(p, 0, WASI_FILESTAT_SIZE);
    put_u64(p + 0, (uint64_t)st->st_dev);
    put_u64(p + 8, (uint64_t)st->st_ino);
    put_u8(p + 16, filetype_of_mode(st->st_mode));
    put_u64(p + 24, (uint64_t)st->st_nlink);
    put_u64(p + 32, (uint64_t)st->st_size);
    put_u64(p + 40, ts_to_ns(&st->st_atim));
    put_u64(p + 48, ts_to_ns(&st->st_mtim));
    put_u64(p + 56, ts_to_ns(&st->st_ctim));
}

static uint16_t wasi_fd_filestat_get(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    struct stat st;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_FILESTAT_GET, &e);
    if (err) return err;
    if (!in_mem(c, A32(1), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
    if (fstat(e->host, &st) != 0) return wasi_errno(errno);
    put_filestat(wmem(c, A32(1), WASI_FILESTAT_SIZE), &st);
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_filestat_set_size(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_FILESTAT_SET_SIZE, &e);
    if (err) return err;
    if (A64(1) > INT64_MAX) return WASI_EINVAL;
    return ftruncate(e->host, (off_t)A64(1)) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

/* Builds the two timespecs of utimensat/futimens from fstflags. */
static uint16_t make_times(uint64_t atim, uint64_t mtim, uint32_t fst, struct timespec ts[2])
{
    if (fst & ~(WASI_FST_ATIM | WASI_FST_ATIM_NOW | WASI_FST_MTIM | WASI_FST_MTIM_NOW))
        return WASI_EINVAL;
    if (((fst & WASI_FST_ATIM) && (fst & WASI_FST_ATIM_NOW)) ||
        ((fst & WASI_FST_MTIM) && (fst & WASI_FST_MTIM_NOW)))
        return WASI_EINVAL;
    const uint64_t v[2] = {atim, mtim};
    const uint32_t set[2] = {WASI_FST_ATIM, WASI_FST_MTIM};
    const uint32_t now[2] = {WASI_FST_ATIM_NOW, WASI_FST_MTIM_NOW};
    for (int i = 0; i < 2; i++) {
        if (fst & set[i]) {
            ts[i].tv_sec = (time_t)(v[i] / 1000000000u);
            ts[i].tv_nsec = (long)(v[i] % 1000000000u);
        } else {
            ts[i].tv_sec = 0;
            ts[i].tv_nsec = (fst & now[i]) ? UTIME_NOW : UTIME_OMIT;
        }
    }
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_filestat_set_times(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e;
    struct timespec ts[2];
    uint16_t err = fd_right(c->w, A32(0), WASI_RIGHT_FD_FILESTAT_SET_TIMES, &e);
    if (err) return err;
    if ((err = make_times(A64(1), A64(2), A32(3), ts)) != WASI_ESUCCESS) return err;
    return futimens(e->host, ts) == 0 ? WASI_ESUCCESS : wasi_errno(errno);
}

static uint16_t wasi_fd_prestat_get(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    /* wasi-libc walks fds from 3 up until it sees BADF: every fd that is not
     * a preopen answers BADF. */
    if (!e || !e->preopen) return WASI_EBADF;
    if (!in_mem(c, A32(1), WASI_PRESTAT_SIZE)) return WASI_EFAULT;
    uint8_t *p = wmem(c, A32(1), WASI_PRESTAT_SIZE);
    memset(p, 0, WASI_PRESTAT_SIZE);
    put_u8(p, 0); /* preopentype dir */
    put_u32(p + 4, (uint32_t)strlen(e->preopen));
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_prestat_dir_name(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    if (!e || !e->preopen) return WASI_EBADF;
    size_t n = strlen(e->preopen);
    if (!in_mem(c, A32(1), A32(2))) return WASI_EFAULT;
    if (A32(2) < n) return WASI_ENAMETOOLONG;
    memcpy(wmem(c, A32(1), n), e->preopen, n); /* not NUL-terminated (witx) */
    return WASI_ESUCCESS;
}

static uint16_t wasi_fd_renumber(wasi_call *c, const uint64_t *a)
{
    wasi_fd *from = fd_get(c->w, A32(0));
    wasi_fd *to = fd_get(c->w, A32(1));
    if (!from || !to) return WASI_EBADF;
    if (from == to) return WASI_ESUCCESS;
    fd_release(to);
    *to = *from;
    memset(from, 0, sizeof *from);
    from->host = -1;
    return WASI_ESUCCESS;
}

/* The filetype of a directory entry, asking the file system when the
 * directory does not say. */
static uint8_t dirent_type(DIR *d, const struct dirent *de)
{
    switch (de->d_type) {
    case DT_REG: return WASI_FILETYPE_REGULAR_FILE;
    case DT_DIR: return WASI_FILETYPE_DIRECTORY;
    case DT_CHR: return WASI_FILETYPE_CHARACTER_DEVICE;
    case DT_BLK: return WASI_FILETYPE_BLOCK_DEVICE;
    case DT_SOCK: return WASI_FILETYPE_SOCKET_STREAM;
    case DT_LNK: return WASI_FILETYPE_SYMBOLIC_LINK;
    case DT_FIFO: return WASI_FILETYPE_UNKNOWN;
    default: {
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return WASI_FILETYPE_UNKNOWN;
        return filetype_of_mode(st.st_mode);
    }
    }
}

/* fd_readdir(fd, buf, buf_len, cookie, bufused_ptr). A cookie is the index
 * of an entry in the host's order; entry i carries d_next = i + 1. The
 * stream is kept open between calls so reading a directory in order costs
 * O(entries); a cookie behind the stream's position rewinds it. As witx
 * asks, the buffer is filled completely, the last entry truncated if it does
 * not fit: the guest sees bufused == buf_len and asks again from that entry,
 * so the stream is stepped back to it. */
static uint16_t wasi_fd_readdir(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    uint32_t buf = A32(1), buflen = A32(2), used_ptr = A32(4);
    uint64_t cookie = A64(3);
    if (!e) return WASI_EBADF;
    if (e->type != WASI_FILETYPE_DIRECTORY) return WASI_ENOTDIR;
    if (!(e->rights & WASI_RIGHT_FD_READDIR)) return WASI_ENOTCAPABLE;
    if (!in_mem(c, buf, buflen) || !in_mem(c, used_ptr, 4)) return WASI_EFAULT;
    if (!e->dir) {
        int dfd = openat(e->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0) return wasi_errno(errno);
        e->dir = fdopendir(dfd);
        if (!e->dir) {
            int saved = errno;
            close(dfd);
            return wasi_errno(saved);
        }
        e->dir_index = 0;
    } else if (cookie < e->dir_index) {
        rewinddir(e->dir);
        e->dir_index = 0;
    }
    while (e->dir_index < cookie) {
        errno = 0;
        if (!readdir(e->dir)) {
            if (errno) return wasi_errno(errno);
            return store_u32(c, used_ptr, 0); /* cookie past the end */
        }
        e->dir_index++;
    }

    uint32_t used = 0;
    uint8_t hdr[WASI_DIRENT_SIZE];
    while (used < buflen) {
        long pos = telldir(e->dir);
        errno = 0;
        struct dirent *de = readdir(e->dir);
        if (!de) {
            if (errno) return wasi_errno(errno);
            break;
        }
        size_t namelen = strlen(de->d_name);
        memset(hdr, 0, sizeof hdr);
        put_u64(hdr, e->dir_index + 1);
        put_u64(hdr + 8, (uint64_t)de->d_ino);
        put_u32(hdr + 16, (uint32_t)namelen);
        put_u8(hdr + 20, dirent_type(e->dir, de));
        uint32_t room = buflen - used;
        uint32_t h = room < WASI_DIRENT_SIZE ? room : WASI_DIRENT_SIZE;
        memcpy(wmem(c, (uint64_t)buf + used, h), hdr, h);
        used += h;
        room -= h;
        uint32_t nm = room < namelen ? room : (uint32_t)namelen;
        memcpy(wmem(c, (uint64_t)buf + used, nm), de->d_name, nm);
        used += nm;
        if (h < WASI_DIRENT_SIZE || nm < namelen) {
            seekdir(e->dir, pos); /* truncated: deliver it again next time */
            break;
        }
        e->dir_index++;
    }
    put_u32(wmem(c, used_ptr, 4), used);
    return WASI_ESUCCESS;
}

/* -------------------------------------------------------------- paths */

/* A path that ends in '/' names a directory (POSIX). The calls here get
 * the name without it; this gives what the host's call would for the
 * slash, which wasmtime passes on: a path that names nothing is ENOENT;
 * one that names something else than a directory is ENOTDIR, or, for what
 * the call creates (`dest`), is left to the call (EEXIST). */
static uint16_t trailing_slash(const wasi_path *p, bool dest)
{
    struct stat st;
    if (!p->trailing) return WASI_ESUCCESS;
    if (fstatat(p->dir, p->name, &st, AT_SYMLINK_NOFOLLOW) != 0) return wasi_errno(errno);
    return dest || S_ISDIR(st.st_mode) ? WASI_ESUCCESS : WASI_ENOTDIR;
}

static uint16_t wasi_path_open(wasi_call *c, const uint64_t *a)
{
    uint32_t dirfd_ = A32(0), lookup = A32(1), oflags = A32(4), fdflags = A32(7);
    uint64_t base = A64(5), inh = A64(6);
    uint32_t fd_ptr = A32(8);
    wasi_path p;
    uint16_t err;
    int hfd = -1;

    if (!in_mem(c, fd_ptr, 4)) return WASI_EFAULT;
    if ((oflags & ~WASI_OFLAGS_ALL) || (fdflags & ~WASI_FDFLAGS_ALL)) return WASI_EINVAL;
    /* creating needs PATH_CREATE_FILE, truncating PATH_FILESTAT_SET_SIZE */
    uint64_t need = WASI_RIGHT_PATH_OPEN;
    if (oflags & WASI_OFLAG_CREAT) need |= WASI_RIGHT_PATH_CREATE_FILE;
    if (oflags & WASI_OFLAG_TRUNC) need |= WASI_RIGHT_PATH_FILESTAT_SET_SIZE;
    if ((err = resolve_arg(c, dirfd_, need, A32(2), A32(3), lookup & WASI_LOOKUP_SYMLINK_FOLLOW,
                           &p)) != WASI_ESUCCESS)
        return err;
    /* the new fd has what it asks for of what the directory passes on */
    uint64_t dir_inh = c->w->fds[dirfd_].rights_inh;
    base &= dir_inh;
    inh &= dir_inh;

    /* The host access mode follows the rights asked for, as wasi-libc asks
     * for FD_READ/FD_READDIR when reading and FD_WRITE (and friends) when
     * writing. O_NOFOLLOW always: symlinks were resolved by path_resolve. */
    bool rd = base & (WASI_RIGHT_FD_READ | WASI_RIGHT_FD_READDIR);
    bool wr =
        base & (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE | WASI_RIGHT_FD_FILESTAT_SET_SIZE);
    int flags = O_CLOEXEC | O_NOFOLLOW;
    if ((oflags & WASI_OFLAG_DIRECTORY) || p.trailing)
        flags |= O_DIRECTORY | O_RDONLY;
    else if (wr)
        flags |= rd ? O_RDWR : O_WRONLY;
    else
        flags |= O_RDONLY;
    if (oflags & WASI_OFLAG_CREAT) flags |= O_CREAT;
    if (oflags & WASI_OFLAG_EXCL) flags |= O_EXCL;
    if (oflags & WASI_OFLAG_TRUNC) flags |= O_TRUNC;
    if (fdflags & WASI_FDFLAG_APPEND) flags |= O_APPEND;
    if (fdflags & WASI_FDFLAG_NONBLOCK) flags |= O_NONBLOCK;
    if (fdflags & WASI_FDFLAG_DSYNC) flags |= O_DSYNC;
    if (fdflags & (WASI_FDFLAG_SYNC | WASI_FDFLAG_RSYNC)) flags |= O_SYNC;

    hfd = openat(p.dir, p.name, flags, 0666);
    if (hfd < 0) {
        err = wasi_errno(errno);
        goto fail;
    }
    struct stat st;
    if (fstat(hfd, &st) != 0) {
        err = wasi_errno(errno);
        goto fail;
    }
    uint32_t fd;
    if ((err = fd_alloc(c->w, &fd)) != WASI_ESUCCESS) goto fail;
    wasi_fd *e = &c->w->fds[fd];
    e->used = true;
    e->host = hfd;
    e->type = filetype_of_mode(st.st_mode);
    e->rights = base & (e->type == WASI_FILETYPE_DIRECTORY ? WASI_RIGHTS_DIR : WASI_RIGHTS_FILE);
    e->rights_inh = inh;
    path_release(&p);
    put_u32(wmem(c, fd_ptr, 4), fd);
    return WASI_ESUCCESS;

fail:
    if (hfd >= 0) close(hfd);
    path_release(&p);
    return err;
}

static uint16_t wasi_path_filestat_get(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    struct stat st;
    uint16_t err;
    if (!in_mem(c, A32(4), WASI_FILESTAT_SIZE)) return WASI_EFAULT;
    if ((err = resolve_arg(c, A32(0), WASI_RIGHT_PATH_FILESTAT_GET, A32(2), A32(3),
                           A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &p)) != WASI_ESUCCESS)
        return err;
    if (fstatat(p.dir, p.name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        err = wasi_errno(errno);
    else if (p.trailing && !S_ISDIR(st.st_mode))
        err = WASI_ENOTDIR;
    else
        put_filestat(wmem(c, A32(4), WASI_FILESTAT_SIZE), &st);
    path_release(&p);
    return err;
}

static uint16_t wasi_path_filestat_set_times(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    struct timespec ts[2];
    uint16_t err;
    if ((err = make_times(A64(4), A64(5), A32(6), ts)) != WASI_ESUCCESS) return err;
    if ((err = resolve_arg(c, A32(0), WASI_RIGHT_PATH_FILESTAT_SET_TIMES, A32(2), A32(3),
                           A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &p)) != WASI_ESUCCESS)
        return err;
    if (utimensat(p.dir, p.name, ts, AT_SYMLINK_NOFOLLOW) != 0) err = wasi_errno(errno);
    path_release(&p);
    return err;
}

static uint16_t wasi_path_create_directory(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    uint16_t err =
        resolve_arg(c, A32(0), WASI_RIGHT_PATH_CREATE_DIRECTORY, A32(1), A32(2), false, &p);
    if (err) return err;
    if (mkdirat(p.dir, p.name, 0777) != 0) err = wasi_errno(errno);
    path_release(&p);
    return err;
}

static uint16_t wasi_path_remove_directory(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    uint16_t err =
        resolve_arg(c, A32(0), WASI_RIGHT_PATH_REMOVE_DIRECTORY, A32(1), A32(2), false, &p);
    if (err) return err;
    if (unlinkat(p.dir, p.name, AT_REMOVEDIR) != 0) err = wasi_errno(errno);
    path_release(&p);
    return err;
}

static uint16_t wasi_path_unlink_file(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    uint16_t err = resolve_arg(c, A32(0), WASI_RIGHT_PATH_UNLINK_FILE, A32(1), A32(2), false, &p);
    if (err) return err;
    /* "dir/" gives unlinkat's EISDIR; "file/" ENOTDIR, "nothing/" ENOENT */
    if ((err = trailing_slash(&p, false)) == WASI_ESUCCESS && unlinkat(p.dir, p.name, 0) != 0)
        err = wasi_errno(errno);
    path_release(&p);
    return err;
}

/* path_rename(fd, old_path, old_len, new_fd, new_path, new_len) */
static uint16_t wasi_path_rename(wasi_call *c, const uint64_t *a)
{
    wasi_path from, to;
    uint16_t err =
        resolve_arg(c, A32(0), WASI_RIGHT_PATH_RENAME_SOURCE, A32(1), A32(2), false, &from);
    if (err) return err;
    if ((err = resolve_arg(c, A32(3), WASI_RIGHT_PATH_RENAME_TARGET, A32(4), A32(5), false, &to)) !=
        WASI_ESUCCESS) {
        path_release(&from);
        return err;
    }
    if (renameat(from.dir, from.name, to.dir, to.name) != 0) err = wasi_errno(errno);
    path_release(&from);
    path_release(&to);
    return err;
}

/* path_link(old_fd, old_flags, old_path, old_len, new_fd, new_path, new_len) */
static uint16_t wasi_path_link(wasi_call *c, const uint64_t *a)
{
    wasi_path from, to;
    uint16_t err = resolve_arg(c, A32(0), WASI_RIGHT_PATH_LINK_SOURCE, A32(2), A32(3),
                               A32(1) & WASI_LOOKUP_SYMLINK_FOLLOW, &from);
    if (err) return err;
    if ((err = resolve_arg(c, A32(4), WASI_RIGHT_PATH_LINK_TARGET, A32(5), A32(6), false, &to)) !=
        WASI_ESUCCESS) {
        path_release(&from);
        return err;
    }
    /* No AT_SYMLINK_FOLLOW: a link found at the end is linked itself. */
    if ((err = trailing_slash(&from, false)) == WASI_ESUCCESS &&
        (err = trailing_slash(&to, true)) == WASI_ESUCCESS &&
        linkat(from.dir, from.name, to.dir, to.name, 0) != 0)
        err = wasi_errno(errno);
    path_release(&from);
    path_release(&to);
    return err;
}

/* path_readlink(fd, path, path_len, buf, buf_len, bufused_ptr): the link's
 * contents, truncated to buf_len (witx). */
static uint16_t wasi_path_readlink(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    uint32_t buf = A32(3), buflen = A32(4), used_ptr = A32(5);
    if (!in_mem(c, buf, buflen) || !in_mem(c, used_ptr, 4)) return WASI_EFAULT;
    uint16_t err = resolve_arg(c, A32(0), WASI_RIGHT_PATH_READLINK, A32(1), A32(2), false, &p);
    if (err) return err;
    ssize_t n = readlinkat(p.dir, p.name, (char *)c->mem + buf, buflen);
    if (n < 0) {
        err = wasi_errno(errno);
    } else {
        wrote(c, buf, (uint64_t)n);
        put_u32(wmem(c, used_ptr, 4), (uint32_t)n);
    }
    path_release(&p);
    return err;
}

/* path_symlink(old_path, old_len, fd, new_path, new_len). The link's text
 * is not looked up now, but an absolute target could never be followed
 * inside the sandbox, so it is refused as wasmtime does. Relative targets
 * are stored as given: following them later goes through path_resolve. */
static uint16_t wasi_path_symlink(wasi_call *c, const uint64_t *a)
{
    wasi_path p;
    const char *old;
    uint32_t oldlen = A32(1);
    uint16_t err = guest_path(c, A32(0), oldlen, &old);
    if (err) return err;
    if (oldlen == 0) return WASI_ENOENT;
    if (memchr(old, '\0', oldlen)) return WASI_EINVAL;
    if (old[0] == '/') return WASI_ENOTCAPABLE;
    if (oldlen > WASI_MAX_PATH) return WASI_ENAMETOOLONG;
    char *target = strndup(old, oldlen);
    if (!target) return WASI_ENOMEM;
    if ((err = resolve_arg(c, A32(2), WASI_RIGHT_PATH_SYMLINK, A32(3), A32(4), false, &p)) ==
        WASI_ESUCCESS) {
        if ((err = trailing_slash(&p, true)) == WASI_ESUCCESS &&
            symlinkat(target, p.dir, p.name) != 0)
            err = wasi_errno(errno);
        path_release(&p);
    }
    free(target);
    return err;
}

/* --------------------------------------------------------- poll_oneoff */

/* The monotonic deadline of a clock subscription. */
static uint64_t clock_deadline(uint32_t id, uint64_t timeout, bool abstime, uint64_t mono_now)
{
    if (!abstime) return timeout > UINT64_MAX - mono_now ? UINT64_MAX : mono_now + timeout;
    if (id == WASI_CLOCK_MONOTONIC) return timeout;
    clockid_t hid = CLOCK_REALTIME;
    host_clock(id, &hid);
    uint64_t now = now_ns(hid);
    if (timeout <= now) return mono_now;
    uint64_t d = timeout - now;
    return d > UINT64_MAX - mono_now ? UINT64_MAX : mono_now + d;
}

/* Bytes readable on host fd (0 when the host cannot say). */
static uint64_t readable_bytes(int fd)
{
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        off_t pos = lseek(fd, 0, SEEK_CUR);
        return (pos >= 0 && st.st_size > pos) ? (uint64_t)(st.st_size - pos) : 0;
    }
    int n = 0;
    if (ioctl(fd, FIONREAD, &n) == 0 && n > 0) return (uint64_t)n;
    return 0;
}

typedef struct poll_sub {
    uint64_t userdata;
    uint8_t type;
    uint16_t error; /* set: an event is due now with this error */
    bool ready;
    uint64_t deadline; /* clock */
    bool relative;     /* clock: a timeout, not a time; a stop does not count */
    int pfd;           /* index in the pollfd array or -1 */
} poll_sub;

/* poll_oneoff(in, out, nsubscriptions, nevents_ptr). Clock subscriptions
 * sleep on the monotonic clock; fd subscriptions go through poll(2) (regular
 * files are always ready, as POSIX says). Returns once at least one event is
 * due, with every event due at that moment. */
static uint16_t wasi_poll_oneoff(wasi_call *c, const uint64_t *a)
{
    uint32_t in = A32(0), outp = A32(1), n = A32(2), nev_ptr = A32(3);
    poll_sub *subs = NULL;
    struct pollfd *pfds = NULL;
    uint16_t err = WASI_ESUCCESS;

    if (n == 0) return WASI_EINVAL; /* would block forever */
    if (!in_mem(c, in, (uint64_t)n * WASI_SUBSCRIPTION_SIZE) ||
        !in_mem(c, outp, (uint64_t)n * WASI_EVENT_SIZE) || !in_mem(c, nev_ptr, 4))
        return WASI_EFAULT;
    if (n > WASI_MAX_SUBSCRIPTIONS) return WASI_EINVAL;
    subs = calloc(n, sizeof *subs);
    pfds = calloc(n, sizeof *pfds);
    if (!subs || !pfds) {
        err = WASI_ENOMEM;
        goto done;
    }

    uint64_t mono = now_ns(CLOCK_MONOTONIC);
    uint64_t min_deadline = UINT64_MAX;
    bool any_clock = false, any_due = false;
    nfds_t npfd = 0;
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *s = c->mem + in + (uint64_t)i * WASI_SUBSCRIPTION_SIZE;
        poll_sub *ps = &subs[i];
        ps->userdata = get_u64(s);
        ps->type = s[8];
        ps->pfd = -1;
        if (ps->type == WASI_EVENT_CLOCK) {
            uint32_t id = get_u32(s + 16);
            clockid_t hid;
            if (!host_clock(id, &hid)) {
                ps->error = WASI_EINVAL;
                ps->ready = true;
                any_due = true;
                continue;
            }
            ps->relative = !(get_u16(s + 40) & WASI_SUBCLOCK_ABSTIME);
            ps->deadline = clock_deadline(id, get_u64(s + 24), !ps->relative, mono);
            any_clock = true;
            if (ps->deadline < min_deadline) min_deadline = ps->deadline;
        } else if (ps->type == WASI_EVENT_FD_READ || ps->type == WASI_EVENT_FD_WRITE) {
            wasi_fd *e = fd_get(c->w, get_u32(s + 16));
            if (!e) {
                ps->error = WASI_EBADF;
                ps->ready = true;
                any_due = true;
                continue;
            }
            ps->pfd = (int)npfd;
            pfds[npfd].fd = e->host;
            pfds[npfd].events = ps->type == WASI_EVENT_FD_READ ? POLLIN : POLLOUT;
            npfd++;
        } else {
            ps->error = WASI_EINVAL;
            ps->ready = true;
            any_due = true;
        }
    }

    uint32_t nev = 0;
    for (;;) {
        mono = now_ns(CLOCK_MONOTONIC);
        bool clock_due = any_clock && min_deadline <= mono;
        if (npfd > 0) {
            int timeout_ms = -1;
            if (any_due || clock_due) {
                timeout_ms = 0;
            } else if (any_clock) {
                uint64_t ms = (min_deadline - mono + 999999u) / 1000000u;
                timeout_ms = ms > INT_MAX ? INT_MAX : (int)ms;
            }
            if (c->caller && (timeout_ms < 0 || timeout_ms > WASI_WAIT_SLICE_MS))
                timeout_ms = WASI_WAIT_SLICE_MS;
            int r = poll(pfds, npfd, timeout_ms);
            if (r < 0 && errno != EINTR) {
                err = wasi_errno(errno);
                goto done;
            }
        } else if (!any_due && !clock_due) {
            uint64_t until = min_deadline;
            uint64_t slice_end = mono + (uint64_t)WASI_WAIT_SLICE_MS * 1000000u;
            if (c->caller && slice_end < until) until = slice_end;
            struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
            int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
            if (r != 0 && r != EINTR) {
                err = wasi_errno(r);
                goto done;
            }
        }
        uint64_t stopped_ns;
        if (!wait_go_on(c, &stopped_ns)) {
            err = WASI_EINTR; /* not seen: the call traps */
            goto done;
        }
        if (stopped_ns > 0) {
            /* a timeout keeps what was left of it when the program stopped */
            min_deadline = UINT64_MAX;
            for (uint32_t i = 0; i < n; i++) {
                poll_sub *ps = &subs[i];
                if (ps->type != WASI_EVENT_CLOCK || ps->ready || ps->error) continue;
                if (ps->relative)
                    ps->deadline = ps->deadline > UINT64_MAX - stopped_ns
                                       ? UINT64_MAX
                                       : ps->deadline + stopped_ns;
                if (ps->deadline < min_deadline) min_deadline = ps->deadline;
            }
        }
        mono = now_ns(CLOCK_MONOTONIC);
        for (uint32_t i = 0; i < n; i++) {
            poll_sub *ps = &subs[i];
            if (ps->ready) continue;
            if (ps->type == WASI_EVENT_CLOCK)
                ps->ready = ps->deadline <= mono;
            else if (ps->pfd >= 0 && pfds[ps->pfd].revents)
                ps->ready = true;
        }
        for (uint32_t i = 0; i < n; i++) {
            poll_sub *ps = &subs[i];
            if (!ps->ready) continue;
            uint8_t *ev = wmem(c, outp + (uint64_t)nev * WASI_EVENT_SIZE, WASI_EVENT_SIZE);
            memset(ev, 0, WASI_EVENT_SIZE);
            put_u64(ev, ps->userdata);
            put_u8(ev + 10, ps->type);
            uint16_t evflags = 0;
            uint64_t nbytes = 0;
            if (ps->pfd >= 0 && !ps->error) {
                short re = pfds[ps->pfd].revents;
                if (re & POLLNVAL) ps->error = WASI_EBADF;
                if (re & POLLHUP) evflags |= WASI_EVENT_HANGUP;
                if (ps->type == WASI_EVENT_FD_READ && !ps->error)
                    nbytes = readable_bytes(pfds[ps->pfd].fd);
            }
            put_u16(ev + 8, ps->error);
            put_u64(ev + 16, nbytes);
            put_u16(ev + 24, evflags);
            nev++;
        }
        if (nev > 0) break;
    }
    put_u32(wmem(c, nev_ptr, 4), nev);

done:
    free(subs);
    free(pfds);
    return err;
}

/* ---------------------------------------------------- proc and others */

static uint16_t wasi_proc_exit(wasi_call *c, const uint64_t *a)
{
    c->exiting = true;
    c->exit_code = (int)A32(0);
    return WASI_ESUCCESS;
}

/* A Wasm program has no signal handlers the host could run, so a signal
 * whose default action ends a process ends the program: a trap in the host
 * call (WR_TRAP_HOST), which a debugger and a core file see like any other.
 * Signals that default to being ignored (WASI numbering: CHLD 17, CONT 18,
 * URG 23, WINCH 28) and signal 0 do nothing; unknown numbers are EINVAL. */
static uint16_t wasi_proc_raise(wasi_call *c, const uint64_t *a)
{
    uint32_t sig = A32(0);
    if (sig > 30) return WASI_EINVAL;
    if (sig == 0 || sig == 17 || sig == 18 || sig == 23 || sig == 28) return WASI_ESUCCESS;
    c->raised = (int)sig;
    return WASI_ESUCCESS;
}

static uint16_t wasi_sched_yield(wasi_call *c, const uint64_t *a)
{
    (void)c;
    (void)a;
    sched_yield();
    return WASI_ESUCCESS;
}

static uint16_t wasi_random_get(wasi_call *c, const uint64_t *a)
{
    uint32_t buf = A32(0), len = A32(1);
    if (!in_mem(c, buf, len)) return WASI_EFAULT;
    uint8_t *p = wmem(c, buf, len);
    uint32_t done = 0;
    while (done < len) {
        ssize_t r = getrandom(p + done, len - done, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return wasi_errno(errno);
        }
        done += (uint32_t)r;
    }
    return WASI_ESUCCESS;
}

/* The socket calls take an fd first: EBADF when it is not open, ENOTSOCK
 * when it is no socket (as wasmtime); sockets themselves are not
 * supported (the runtime never lends one). */
static uint16_t wasi_sock_unsupported(wasi_call *c, const uint64_t *a)
{
    wasi_fd *e = fd_get(c->w, A32(0));
    if (!e) return WASI_EBADF;
    if (e->type != WASI_FILETYPE_SOCKET_DGRAM && e->type != WASI_FILETYPE_SOCKET_STREAM)
        return WASI_ENOTSOCK;
    return WASI_ENOTSUP;
}

/* Every function of wasi_snapshot_preview1 (wdb/wasi_p1.h), each by the
 * function here of its name. */
#define wasi_sock_accept wasi_sock_unsupported
#define wasi_sock_recv wasi_sock_unsupported
#define wasi_sock_send wasi_sock_unsupported
#define wasi_sock_shutdown wasi_sock_unsupported
#define WASI_DEF(name, params, results) {#name, params, results, wasi_##name},
static const wasi_def wasi_defs[] = {WASI_P1_FUNCTIONS(WASI_DEF)};
#undef WASI_DEF
#define WASI_NDEFS (sizeof wasi_defs / sizeof wasi_defs[0])

/* Runs one function: proc_exit reports through c->exiting, the others
 * return an errno that becomes the i32 result. */
static void wasi_run(const wasi_def *def, wasi_call *c, const uint64_t *args, uint64_t *results)
{
    uint16_t e = def->fn(c, args);
    if (def->results[0] != '\0') results[0] = e;
}

#ifdef WR_TRACE
static void trace_wrote(void *trace, uint64_t ptr, uint64_t len)
{
    wr_trace_note_write(trace, ptr, len);
}
#endif

static wr_status wasi_trampoline(wr_instance *caller, void *user, const uint64_t *args,
                                 uint64_t *results)
{
    const wasi_binding *b = user;
    wasi_call c = {b->w, NULL, 0, false, 0, 0, caller, WR_OK, NULL, NULL};
#ifdef WR_TRACE
    if (caller && caller->store->trace) { /* recording: the writes make the record */
        c.on_write = trace_wrote;
        c.on_write_user = caller->store->trace;
    }
#endif
    /* No memory: every pointer is out of bounds and gets EFAULT. */
    wr_memory *m = caller ? wr_instance_memory(caller, 0) : NULL;
    if (m) {
        c.mem = wr_memory_data(m);
        c.memlen = wr_memory_size(m);
    }
    wasi_run(b->def, &c, args, results);
    if (c.ended != WR_OK) return c.ended;
    if (c.exiting) return wr_exit(caller, c.exit_code);
    if (c.raised) return wr_trap_host(caller, "signal %d raised (proc_raise)", c.raised);
    return WR_OK;
}

/* --------------------------------------------------------- public API */

void wr_wasi_config_init(wr_wasi_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->stdin_fd = 0;
    cfg->stdout_fd = 1;
    cfg->stderr_fd = 2;
}

static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *errbuf, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!errbuf || !errlen) return;
    va_start(ap, fmt);
    vsnprintf(errbuf, errlen, fmt, ap);
    va_end(ap);
}

/* Copies count strings, counting their bytes with NULs; a NULL array with
 * count 0 is fine. Fails on a NULL string or a total past UINT32_MAX. */
static wr_status copy_strings(int count, const char *const *src, char ***dst, uint32_t *n,
                              uint32_t *bytes)
{
    uint64_t total = 0;
    *dst = NULL;
    *n = 0;
    *bytes = 0;
    if (count <= 0) return WR_OK;
    if (!src) return WR_ERR_ARG;
    char **v = calloc((size_t)count, sizeof *v);
    if (!v) return WR_ERR_NOMEM;
    *dst = v;
    for (int i = 0; i < count; i++) {
        if (!src[i]) return WR_ERR_ARG;
        v[i] = strdup(src[i]);
        if (!v[i]) return WR_ERR_NOMEM;
        *n = (uint32_t)i + 1;
        total += strlen(src[i]) + 1;
        if (total > UINT32_MAX) return WR_ERR_ARG;
    }
    *bytes = (uint32_t)total;
    return WR_OK;
}

static void stdio_entry(wasi_fd *e, int host)
{
    struct stat st;
    memset(e, 0, sizeof *e);
    e->host = -1;
    if (host < 0) return;
    e->used = true;
    e->borrowed = true;
    e->host = host;
    e->type = WASI_FILETYPE_UNKNOWN;
    e->rights = WASI_RIGHTS_STDIO;
    if (fstat(host, &st) == 0) {
        e->type = filetype_of_mode(st.st_mode);
        if (!isatty(host) && lseek(host, 0, SEEK_CUR) >= 0)
            e->rights |= WASI_RIGHT_FD_SEEK | WASI_RIGHT_FD_TELL;
    }
}

wr_status wr_wasi_new(const wr_wasi_config *cfg, wr_wasi **out, char *errbuf, size_t errlen)
{
    wr_wasi *w = NULL;
    wr_status st;
    *out = NULL;
    if (!cfg || (cfg->npreopens && !cfg->preopens)) {
        set_err(errbuf, errlen, "bad WASI configuration");
        return WR_ERR_ARG;
    }
    w = calloc(1, sizeof *w);
    if (!w) goto nomem;
    if ((st = copy_strings(cfg->argc, cfg->argv, &w->argv, &w->argc, &w->argv_bytes)) != WR_OK) {
        set_err(errbuf, errlen, "%s",
                st == WR_ERR_NOMEM ? "out of memory" : "bad program arguments");
        goto fail;
    }
    if ((st = copy_strings(cfg->envc, cfg->envp, &w->envp, &w->envc, &w->env_bytes)) != WR_OK) {
        set_err(errbuf, errlen, "%s", st == WR_ERR_NOMEM ? "out of memory" : "bad environment");
        goto fail;
    }
    for (uint32_t i = 0; i < w->envc; i++) {
        if (!strchr(w->envp[i], '=') || w->envp[i][0] == '=') {
            set_err(errbuf, errlen, "environment entry '%s' is not NAME=VALUE", w->envp[i]);
            st = WR_ERR_ARG;
            goto fail;
        }
    }

    w->bindings = calloc(WASI_NDEFS, sizeof *w->bindings);
    if (!w->bindings) goto nomem;
    for (size_t i = 0; i < WASI_NDEFS; i++) {
        w->bindings[i].w = w;
        w->bindings[i].def = &wasi_defs[i];
    }

    w->capfds = 3 + cfg->npreopens + 8;
    w->fds = calloc(w->capfds, sizeof *w->fds);
    if (!w->fds) goto nomem;
    stdio_entry(&w->fds[0], cfg->stdin_fd);
    stdio_entry(&w->fds[1], cfg->stdout_fd);
    stdio_entry(&w->fds[2], cfg->stderr_fd);
    w->nfds = 3;
    for (uint32_t i = 0; i < cfg->npreopens; i++) {
        const wr_wasi_preopen *po = &cfg->preopens[i];
        const char *guest = po->guest_path ? po->guest_path : po->host_path;
        wasi_fd *e = &w->fds[w->nfds];
        memset(e, 0, sizeof *e);
        e->host = -1;
        if (!po->host_path || !guest || !*guest) {
            set_err(errbuf, errlen, "preopen without a path");
            st = WR_ERR_ARG;
            goto fail;
        }
        int fd = open(po->host_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            set_err(errbuf, errlen, "cannot open directory %s: %s", po->host_path, strerror(errno));
            st = WR_ERR_ARG;
            goto fail;
        }
        e->used = true;
        e->host = fd;
        e->type = WASI_FILETYPE_DIRECTORY;
        e->rights = WASI_RIGHTS_DIR;
        e->rights_inh = WASI_RIGHTS_DIR | WASI_RIGHTS_FILE;
        w->nfds++;
        e->preopen = strdup(guest);
        if (!e->preopen) goto nomem;
    }
    *out = w;
    return WR_OK;

nomem:
    set_err(errbuf, errlen, "out of memory");
    st = WR_ERR_NOMEM;
fail:
    wr_wasi_free(w);
    return st;
}

void wr_wasi_free(wr_wasi *w)
{
    if (!w) return;
    for (uint32_t i = 0; i < w->argc; i++)
        free(w->argv[i]);
    free(w->argv);
    for (uint32_t i = 0; i < w->envc; i++)
        free(w->envp[i]);
    free(w->envp);
    for (uint32_t i = 0; i < w->nfds; i++)
        if (w->fds[i].used) fd_release(&w->fds[i]);
    free(w->fds);
    free(w->bindings);
    free(w->denied);
    free(w);
}

bool wr_wasi_denied(const wr_wasi *w, const char **path)
{
    *path = w ? w->denied : NULL;
    return w && (w->denied || w->said_denied);
}

wr_status wr_wasi_define(wr_wasi *w, wr_linker *l)
{
    if (!w || !l) return WR_ERR_ARG;
    for (size_t i = 0; i < WASI_NDEFS; i++) {
        const wasi_def *d = &wasi_defs[i];
        wr_status st = wr_linker_define_func(l, WASI_P1_MODULE, d->name, d->params, d->results,
                                             wasi_trampoline, &w->bindings[i]);
        if (st != WR_OK) return st;
#ifdef WR_TRACE
        /* it notes every write (wmem, wrote): wr_linker_define_func put the
         * function it made first in the store's list */
        l->store->funcs->notes_writes = true;
#endif
    }
    return WR_OK;
}

wr_status wr_wasi_call_raw(wr_wasi *w, const char *name, uint8_t *mem, uint64_t memlen,
                           const uint64_t *args, uint64_t *results)
{
    for (size_t i = 0; i < WASI_NDEFS; i++) {
        if (strcmp(wasi_defs[i].name, name) != 0) continue;
        wasi_call c = {w, mem, mem ? memlen : 0, false, 0, 0, NULL, WR_OK, NULL, NULL};
        c.on_write = w->test_on_write;
        c.on_write_user = w->test_on_write_user;
        wasi_run(&wasi_defs[i], &c, args, results);
        if (c.exiting) {
            w->exit_code = c.exit_code;
            return WR_ERR_EXIT;
        }
        if (c.raised) return WR_ERR_TRAP;
        return WR_OK;
    }
    return WR_NOT_FOUND;
}

int wr_wasi_exit_code(const wr_wasi *w)
{
    return w->exit_code;
}

void wr_wasi_set_write_hook(wr_wasi *w, wr_wasi_write_fn fn, void *user)
{
    w->test_on_write = fn;
    w->test_on_write_user = user;
}
