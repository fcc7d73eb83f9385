/* Bounded reading of whole files, for every file wdb and wdb-run read
 * (modules, core files, sources, command files, history).
 *
 * The rule (docs/SECURITY.md, "Files"): only regular files are read, opened
 * with O_NONBLOCK so that a FIFO cannot block the open; the size is checked
 * with fstat against a limit that fits the purpose before anything is read,
 * and only that many bytes are read. Dependency-free: C library and POSIX. */
#ifndef WDB_FILE_H
#define WDB_FILE_H

#include <stddef.h>
#include <stdint.h>

/* Modules and core files: 1 GiB. */
#define WDB_FILE_MODULE_MAX (UINT64_C(1) << 30)
/* Source files, command files (`wdb -x`), history: 64 MiB. */
#define WDB_FILE_TEXT_MAX (UINT64_C(64) << 20)

typedef enum {
    WDB_FILE_OK,
    WDB_FILE_ERROR,     /* msg says why, starting with the path */
    WDB_FILE_BAD_MAGIC, /* the file does not start with `magic`: msg is empty */
    WDB_FILE_NOMEM      /* msg: "PATH: out of memory" */
} wdb_file_status;

/* Reads the whole regular file at `path` if it is at most `max` bytes.
 * When `magic` is not NULL, the first `magic_len` bytes are read and compared
 * first (a shorter file does not match): nothing more is read, and nothing
 * allocated, unless they match. On WDB_FILE_OK *data is malloc'd (the caller
 * frees it), holds *size bytes and one more, a NUL, so text can be used as a
 * string. On failure *data is NULL and `msg` (msg_size bytes, may be NULL)
 * holds "PATH: not a regular file", "PATH: too large (N bytes; the limit is
 * M)", "cannot open PATH: STRERROR", "cannot read PATH: STRERROR" or "PATH: out of memory". */
wdb_file_status wdb_file_read(const char *path, uint64_t max, const void *magic, size_t magic_len,
                              uint8_t **data, size_t *size, char *msg, size_t msg_size);

#endif
