/*
 * Device WASI (wd_wasi.h): the few wasi_snapshot_preview1 functions a
 * device without files can honour, and ENOSYS for the rest.
 *
 * Every function is a wr_host_fn: args and results are the runtime's raw
 * 64-bit slots (an i32 arrives zero-extended). Guest pointers are checked
 * against the caller's memory 0 before any byte is touched; integers in
 * guest memory are little endian (Wasm), written byte by byte so a
 * big-endian host works too.
 */
#include "wd_wasi.h"

#include "wdb/platform.h"

#include <string.h>

#define WASI_MODULE "wasi_snapshot_preview1"

/* WASI errno values (witx `errno`; the same as the host WASI's). */
enum {
    WASI_ESUCCESS = 0,
    WASI_EBADF = 8,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_ENOSYS = 52,
    WASI_ENOTSUP = 58,
};

enum { WASI_CLOCK_REALTIME = 0, WASI_CLOCK_THREAD = 3 };

#define WASI_FILETYPE_CHARACTER_DEVICE 2
#define WASI_FDSTAT_SIZE 24 /* filetype u8 @0, flags u16 @2, rights u64 @8, inheriting u64 @16 */
/* What the host WASI grants a terminal on stdio: datasync, read,
 * fdstat_set_flags, sync, write, advise, filestat_get, poll. No seek or
 * tell, so wasi-libc's isatty() says yes and stdout is line buffered. */
#define WASI_RIGHTS_STDIO 0x082000db

/* The caller's memory 0: NULL/0 without one, so every pointer faults. */
typedef struct guest {
    uint8_t *p;
    uint64_t len;
} guest;

static guest guest_of(wr_instance *caller)
{
    guest g = {NULL, 0};
    wr_memory *m = caller ? wr_instance_memory(caller, 0) : NULL;
    if (m) {
        g.p = wr_memory_data(m);
        g.len = wr_memory_size(m);
    }
    return g;
}

/* True when [ptr, ptr+len) lies inside the guest memory. */
static bool in_mem(const guest *g, uint64_t ptr, uint64_t len)
{
    return ptr <= g->len && len <= g->len - ptr;
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    put_u32(p, (uint32_t)v);
    put_u32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* A u64 result through a guest pointer. */
static uint16_t store_u64(const guest *g, uint32_t ptr, uint64_t v)
{
    if (!in_mem(g, ptr, 8)) return WASI_EFAULT;
    put_u64(g->p + ptr, v);
    return WASI_ESUCCESS;
}

#define A32(i) ((uint32_t)a[i])
/* Ends a host function with the errno as its i32 result. */
#define RET(e)                                                                                     \
    do {                                                                                           \
        r[0] = (e);                                                                                \
        return WR_OK;                                                                              \
    } while (0)
#define HOST_FN(name)                                                                              \
    static wr_status name(wr_instance *caller, void *user, const uint64_t *a, uint64_t *r)

/* ------------------------------------------------------------ stdio */

/* fd_write(fd, iovs, iovs_len, nwritten): the iovec array and every buffer
 * are checked before the first byte goes out. */
HOST_FN(wd_fd_write)
{
    (void)user;
    guest g = guest_of(caller);
    uint32_t fd = A32(0), iovs = A32(1), n = A32(2), total = 0;
    if (fd != 1 && fd != 2) RET(WASI_EBADF);
    if (!in_mem(&g, iovs, (uint64_t)n * 8) || !in_mem(&g, A32(3), 4)) RET(WASI_EFAULT);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *iov = g.p + iovs + 8 * (uint64_t)i;
        if (!in_mem(&g, get_u32(iov), get_u32(iov + 4))) RET(WASI_EFAULT);
    }
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *iov = g.p + iovs + 8 * (uint64_t)i;
        uint32_t len = get_u32(iov + 4);
        if (len > UINT32_MAX - total) break; /* a short write: the count fits the u32 */
        long w = len ? wp_console_write((int)fd, g.p + get_u32(iov), len) : 0;
        if (w < 0) {
            if (total == 0) RET(WASI_EIO);
            break;
        }
        total += (uint32_t)w;
        if ((uint32_t)w < len) break;
    }
    put_u32(g.p + A32(3), total);
    RET(WASI_ESUCCESS);
}

/* fd_fdstat_get(fd, buf): 0, 1 and 2 are terminals. */
HOST_FN(wd_fd_fdstat_get)
{
    (void)user;
    guest g = guest_of(caller);
    if (A32(0) > 2) RET(WASI_EBADF);
    if (!in_mem(&g, A32(1), WASI_FDSTAT_SIZE)) RET(WASI_EFAULT);
    uint8_t *p = g.p + A32(1);
    memset(p, 0, WASI_FDSTAT_SIZE);
    p[0] = WASI_FILETYPE_CHARACTER_DEVICE;
    put_u64(p + 8, WASI_RIGHTS_STDIO);
    RET(WASI_ESUCCESS);
}

/* fd_prestat_get, fd_prestat_dir_name: wasi-libc walks fds from 3 until
 * the first EBADF, which comes at once. */
HOST_FN(wd_ebadf)
{
    (void)caller;
    (void)user;
    (void)a;
    RET(WASI_EBADF);
}

/* ----------------------------------------------------------- clocks */

/* clock_res_get(id, resolution) */
HOST_FN(wd_clock_res_get)
{
    (void)user;
    guest g = guest_of(caller);
    if (A32(0) > WASI_CLOCK_THREAD) RET(WASI_EINVAL);
    RET(store_u64(&g, A32(1), wp_clock_resolution_ns()));
}

/* clock_time_get(id, precision, time): the platform's clocks are as
 * precise as they get, so the precision is not looked at. */
HOST_FN(wd_clock_time_get)
{
    (void)user;
    guest g = guest_of(caller);
    uint32_t id = A32(0);
    if (id > WASI_CLOCK_THREAD) RET(WASI_EINVAL);
    uint64_t t = id == WASI_CLOCK_REALTIME ? wp_clock_realtime_ns() : wp_clock_monotonic_ns();
    RET(store_u64(&g, A32(2), t));
}

/* ------------------------------------------------- random and proc */

/* random_get(buf, len) */
HOST_FN(wd_random_get)
{
    (void)user;
    guest g = guest_of(caller);
    if (!in_mem(&g, A32(0), A32(1))) RET(WASI_EFAULT);
    if (A32(1) && wp_random(g.p + A32(0), A32(1)) != 0) RET(WASI_EIO);
    RET(WASI_ESUCCESS);
}

/* proc_exit(code): no result; the call ends the program. */
HOST_FN(wd_proc_exit)
{
    (void)user;
    (void)r;
    return wr_exit(caller, (int)A32(0));
}

HOST_FN(wd_success)
{
    (void)caller;
    (void)user;
    (void)a;
    RET(WASI_ESUCCESS);
}

HOST_FN(wd_nosys)
{
    (void)caller;
    (void)user;
    (void)a;
    RET(WASI_ENOSYS);
}

HOST_FN(wd_notsup)
{
    (void)caller;
    (void)user;
    (void)a;
    RET(WASI_ENOTSUP);
}

/* ------------------------------------------------- args and environ */

/* *_sizes_get(count, buf_size) */
static uint16_t strings_sizes(const guest *g, uint32_t count, uint32_t bytes, uint32_t count_ptr,
                              uint32_t size_ptr)
{
    if (!in_mem(g, count_ptr, 4) || !in_mem(g, size_ptr, 4)) return WASI_EFAULT;
    put_u32(g->p + count_ptr, count);
    put_u32(g->p + size_ptr, bytes);
    return WASI_ESUCCESS;
}

/* *_get(ptrs, buf): count pointers, then the NUL-terminated strings. */
static uint16_t strings_get(const guest *g, const char *const *strs, uint32_t count,
                            uint32_t bytes, uint32_t ptrs, uint32_t buf)
{
    if (!in_mem(g, ptrs, (uint64_t)count * 4) || !in_mem(g, buf, bytes)) return WASI_EFAULT;
    uint32_t off = 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t n = strlen(strs[i]) + 1;
        put_u32(g->p + ptrs + 4 * (uint64_t)i, buf + off);
        memcpy(g->p + buf + off, strs[i], n);
        off += (uint32_t)n;
    }
    return WASI_ESUCCESS;
}

HOST_FN(wd_args_sizes_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(strings_sizes(&g, w->argc, w->argv_bytes, A32(0), A32(1)));
}

HOST_FN(wd_args_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(strings_get(&g, w->argv, w->argc, w->argv_bytes, A32(0), A32(1)));
}

HOST_FN(wd_environ_sizes_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(strings_sizes(&g, w->envc, w->env_bytes, A32(0), A32(1)));
}

HOST_FN(wd_environ_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(strings_get(&g, w->envp, w->envc, w->env_bytes, A32(0), A32(1)));
}

/* --------------------------------------------------------- the table */

typedef struct wd_def {
    const char *name;
    const char *params, *results; /* i = i32, I = i64 */
    wr_host_fn fn;
} wd_def;

/* Every function of wasi_snapshot_preview1 with its wasm signature, as
 * wasi-libc imports them (the host WASI's list, runtime/src/wr_wasi.c). */
static const wd_def wd_defs[] = {
    {"args_get", "ii", "i", wd_args_get},
    {"args_sizes_get", "ii", "i", wd_args_sizes_get},
    {"environ_get", "ii", "i", wd_environ_get},
    {"environ_sizes_get", "ii", "i", wd_environ_sizes_get},
    {"clock_res_get", "ii", "i", wd_clock_res_get},
    {"clock_time_get", "iIi", "i", wd_clock_time_get},
    {"fd_advise", "iIIi", "i", wd_nosys},
    {"fd_allocate", "iII", "i", wd_nosys},
    {"fd_close", "i", "i", wd_nosys},
    {"fd_datasync", "i", "i", wd_nosys},
    {"fd_fdstat_get", "ii", "i", wd_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", "i", wd_nosys},
    {"fd_fdstat_set_rights", "iII", "i", wd_nosys},
    {"fd_filestat_get", "ii", "i", wd_nosys},
    {"fd_filestat_set_size", "iI", "i", wd_nosys},
    {"fd_filestat_set_times", "iIIi", "i", wd_nosys},
    {"fd_pread", "iiiIi", "i", wd_nosys},
    {"fd_prestat_get", "ii", "i", wd_ebadf},
    {"fd_prestat_dir_name", "iii", "i", wd_ebadf},
    {"fd_pwrite", "iiiIi", "i", wd_nosys},
    {"fd_read", "iiii", "i", wd_nosys},
    {"fd_readdir", "iiiIi", "i", wd_nosys},
    {"fd_renumber", "ii", "i", wd_nosys},
    {"fd_seek", "iIii", "i", wd_nosys},
    {"fd_sync", "i", "i", wd_nosys},
    {"fd_tell", "ii", "i", wd_nosys},
    {"fd_write", "iiii", "i", wd_fd_write},
    {"path_create_directory", "iii", "i", wd_nosys},
    {"path_filestat_get", "iiiii", "i", wd_nosys},
    {"path_filestat_set_times", "iiiiIIi", "i", wd_nosys},
    {"path_link", "iiiiiii", "i", wd_nosys},
    {"path_open", "iiiiiIIii", "i", wd_nosys},
    {"path_readlink", "iiiiii", "i", wd_nosys},
    {"path_remove_directory", "iii", "i", wd_nosys},
    {"path_rename", "iiiiii", "i", wd_nosys},
    {"path_symlink", "iiiii", "i", wd_nosys},
    {"path_unlink_file", "iii", "i", wd_nosys},
    {"poll_oneoff", "iiii", "i", wd_nosys},
    {"proc_exit", "i", "", wd_proc_exit},
    {"proc_raise", "i", "i", wd_nosys},
    {"sched_yield", "", "i", wd_success},
    {"random_get", "ii", "i", wd_random_get},
    {"sock_accept", "iii", "i", wd_notsup},
    {"sock_recv", "iiiiii", "i", wd_notsup},
    {"sock_send", "iiiii", "i", wd_notsup},
    {"sock_shutdown", "ii", "i", wd_notsup},
};
#define WD_NDEFS (sizeof wd_defs / sizeof wd_defs[0])

static uint32_t strings_bytes(int count, const char *const *strs)
{
    uint32_t n = 0;
    for (int i = 0; i < count; i++) n += (uint32_t)strlen(strs[i]) + 1;
    return n;
}

void wd_wasi_init(wd_wasi *w, const wd_wasi_config *cfg)
{
    memset(w, 0, sizeof *w);
    if (!cfg) return;
    if (cfg->argc > 0 && cfg->argv) {
        w->argv = cfg->argv;
        w->argc = (uint32_t)cfg->argc;
        w->argv_bytes = strings_bytes(cfg->argc, cfg->argv);
    }
    if (cfg->envc > 0 && cfg->envp) {
        w->envp = cfg->envp;
        w->envc = (uint32_t)cfg->envc;
        w->env_bytes = strings_bytes(cfg->envc, cfg->envp);
    }
}

static wr_status define_one(wd_wasi *w, wr_linker *l, const wd_def *d)
{
    return wr_linker_define_func(l, WASI_MODULE, d->name, d->params, d->results, d->fn, w);
}

wr_status wd_wasi_define(wd_wasi *w, wr_linker *l, const wr_module *mod)
{
    wr_status st = WR_OK;
    if (!mod) {
        for (size_t i = 0; i < WD_NDEFS && st == WR_OK; i++) st = define_one(w, l, &wd_defs[i]);
        return st;
    }
    uint32_t n = wr_module_import_count(mod);
    for (uint32_t i = 0; i < n && st == WR_OK; i++) {
        wr_import_desc d;
        if (wr_module_import(mod, i, &d) != WR_OK || d.kind != WR_EXTERN_FUNC ||
            strcmp(d.module, WASI_MODULE) != 0)
            continue;
        for (size_t k = 0; k < WD_NDEFS; k++) {
            if (strcmp(d.name, wd_defs[k].name) == 0) {
                st = define_one(w, l, &wd_defs[k]);
                break;
            }
        }
    }
    return st;
}
