/*
 * Device WASI: wasi_snapshot_preview1 for a device without files, in a few
 * KiB of flash. Portable: the C library, wdb/platform.h and the runtime.
 *
 * What works:
 *   fd_write to fds 1 and 2         wp_console_write (stdout, stderr)
 *   fd_fdstat_get of fds 0, 1, 2    character devices (wasi-libc's isatty)
 *   fd_prestat_get                  EBADF: there are no preopened directories
 *   clock_time_get, clock_res_get   realtime and monotonic from the platform;
 *                                   the process and thread CPU-time clocks
 *                                   read the monotonic one
 *   random_get                      wp_random
 *   args_*, environ_*               the fixed argv and envp of the config
 *   proc_exit                       wr_exit
 *   sched_yield                     does nothing, successfully
 * Every other function of wasi_snapshot_preview1 that wasi-libc may import
 * is there with its signature and returns ENOSYS (ENOTSUP for sockets, as
 * the host WASI does): a call never traps. Errno values are WASI's. A
 * pointer outside the caller's memory 0 gives EFAULT.
 *
 * Prefix: wd_ (device).
 */
#ifndef WD_WASI_H
#define WD_WASI_H

#include "wdb/runtime.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The program's view of the world. Borrowed, not copied: the arrays and
 * strings (typically constants in flash) must outlive every instance
 * linked through wd_wasi_define. */
typedef struct wd_wasi_config {
    int argc;
    const char *const *argv; /* argv[0] is the program name */
    int envc;
    const char *const *envp; /* "NAME=VALUE" strings */
} wd_wasi_config;

/* A WASI context. The caller owns the storage (no allocation): fill it
 * with wd_wasi_init; treat the fields as private. */
typedef struct wd_wasi {
    const char *const *argv;
    const char *const *envp;
    uint32_t argc, argv_bytes; /* argv_bytes: the sum of strlen + 1 */
    uint32_t envc, env_bytes;
} wd_wasi;

/* Fills w from cfg (NULL: no arguments, no environment). */
void wd_wasi_init(wd_wasi *w, const wd_wasi_config *cfg);

/* Defines wasi_snapshot_preview1 functions in l; they keep a pointer to w,
 * which must outlive every instance linked through l. With mod, only the
 * functions mod imports are defined (each definition costs heap: a host
 * function, its type and the linker's copy of the names); with NULL, all
 * of them. An import of a name that does not exist is left to
 * instantiation to refuse ("unknown import"). WR_OK or WR_ERR_NOMEM. */
wr_status wd_wasi_define(wd_wasi *w, wr_linker *l, const wr_module *mod);

#ifdef __cplusplus
}
#endif
#endif
