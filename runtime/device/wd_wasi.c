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
#include "wdb/wasi_p1.h"

#include <string.h>

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
    return wasi_p1_in_mem(g->len, ptr, len);
}

static void put_u32(uint8_t *p, uint32_t v) { wasi_p1_put_u32(p, v); }

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
HOST_FN(wd_args_sizes_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(wasi_p1_strings_sizes(g.p, g.len, w->argc, w->argv_bytes, A32(0), A32(1)));
}

HOST_FN(wd_args_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(wasi_p1_strings_get(g.p, g.len, w->argv, w->argc, w->argv_bytes, A32(0), A32(1)));
}

HOST_FN(wd_environ_sizes_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(wasi_p1_strings_sizes(g.p, g.len, w->envc, w->env_bytes, A32(0), A32(1)));
}

HOST_FN(wd_environ_get)
{
    const wd_wasi *w = user;
    guest g = guest_of(caller);
    RET(wasi_p1_strings_get(g.p, g.len, w->envp, w->envc, w->env_bytes, A32(0), A32(1)));
}

/* --------------------------------------------------------- the table */

/* Every function of wasi_snapshot_preview1 (wdb/wasi_p1.h) as one string
 * of "name\0params\0results\0" entries (i = i32, I = i64) ended by an
 * empty name: a table of pointers would cost three words of flash a
 * function. Each is served by what a device can do of it (wd_fn_of). */
#define WD_DEF(name, params, results) #name "\0" params "\0" results "\0"
static const char wd_defs[] = WASI_P1_FUNCTIONS(WD_DEF);
#undef WD_DEF

static const char *wd_next(const char *s) { return s + strlen(s) + 1; }

/* The functions a device honours; sockets answer ENOTSUP, preopens EBADF
 * (there are none), everything else ENOSYS. */
static wr_host_fn wd_fn_of(const char *name)
{
    /* their names in one string, in the order of fns */
    static const char names[] = "args_get\0args_sizes_get\0environ_get\0environ_sizes_get\0"
                                "clock_res_get\0clock_time_get\0fd_fdstat_get\0fd_prestat_get\0"
                                "fd_prestat_dir_name\0fd_write\0proc_exit\0sched_yield\0random_get\0";
    static const wr_host_fn fns[] = {
        wd_args_get,     wd_args_sizes_get, wd_environ_get, wd_environ_sizes_get, wd_clock_res_get,
        wd_clock_time_get, wd_fd_fdstat_get, wd_ebadf,     wd_ebadf,             wd_fd_write,
        wd_proc_exit,    wd_success,        wd_random_get,
    };
    const char *n = names;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++, n = wd_next(n))
        if (strcmp(name, n) == 0) return fns[i];
    return strncmp(name, "sock_", 5) == 0 ? wd_notsup : wd_nosys;
}

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

/* Defines the function whose entry starts at def. */
static wr_status define_one(wd_wasi *w, wr_linker *l, const char *def)
{
    const char *params = wd_next(def), *results = wd_next(params);
    return wr_linker_define_func(l, WASI_P1_MODULE, def, params, results, wd_fn_of(def), w);
}

wr_status wd_wasi_define(wd_wasi *w, wr_linker *l, const wr_module *mod)
{
    wr_status st = WR_OK;
    if (!mod) {
        for (const char *d = wd_defs; *d && st == WR_OK; d = wd_next(wd_next(wd_next(d))))
            st = define_one(w, l, d);
        return st;
    }
    uint32_t n = wr_module_import_count(mod);
    for (uint32_t i = 0; i < n && st == WR_OK; i++) {
        wr_import_desc d;
        if (wr_module_import(mod, i, &d) != WR_OK || d.kind != WR_EXTERN_FUNC ||
            strcmp(d.module, WASI_P1_MODULE) != 0)
            continue;
        for (const char *def = wd_defs; *def; def = wd_next(wd_next(wd_next(def)))) {
            if (strcmp(d.name, def) == 0) {
                st = define_one(w, l, def);
                break;
            }
        }
    }
    return st;
}
