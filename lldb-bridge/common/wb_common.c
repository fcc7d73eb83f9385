/* What every part of the bridge uses (wb_common.h): errors, bounded file
 * reads, array growth. */
#include "wb_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wb_status wb_fail(wb_error *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return WB_ERROR;
}

wb_status wb_read_file(const char *path, uint64_t max, const char *not_magic, uint8_t **data,
                       size_t *size, wb_error *err)
{
    static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
    char msg[sizeof err->msg];
    switch (wdb_file_read(path, max, not_magic ? magic : NULL, sizeof magic, data, size, msg,
                          sizeof msg)) {
    case WDB_FILE_OK: return WB_OK;
    case WDB_FILE_BAD_MAGIC: return wb_fail(err, "%s: %s", path, not_magic);
    default: return wb_fail(err, "%s", msg);
    }
}

wb_status wb_read_text(const char *path, char **text, size_t *len, wb_error *err)
{
    uint8_t *data;
    *text = NULL;
    if (wb_read_file(path, WDB_FILE_TEXT_MAX, NULL, &data, len, err) != WB_OK) return WB_ERROR;
    *text = (char *)data; /* wdb_file_read leaves a NUL after the bytes */
    return WB_OK;
}

void wb_error_prefix(wb_error *err, const char *path)
{
    if (!err) return;
    char tmp[sizeof err->msg];
    memcpy(tmp, err->msg, sizeof tmp);
    snprintf(err->msg, sizeof err->msg, "%.100s: %.150s", path, tmp);
}

bool wb_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return true;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2) return false;
        n *= 2;
    }
    if (n > SIZE_MAX / elem) return false;
    void *q = realloc(*p, n * elem);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* Drops "." components and repeated slashes in place, as LLVM's path
 * normalization does ("./build/./x.c" -> "build/x.c"). ".." is kept: it
 * cannot be folded without the file system (symbolic links). */
void wb_path_normalize(char *p)
{
    char *out = p;
    const char *in = p;
    bool abs = *in == '/';
    if (abs) *out++ = *in++;
    while (*in) {
        while (*in == '/')
            in++;
        const char *c = in;
        while (*in && *in != '/')
            in++;
        size_t n = (size_t)(in - c);
        if (n == 0 || (n == 1 && c[0] == '.')) continue;
        if (out > p && out[-1] != '/') *out++ = '/';
        memmove(out, c, n);
        out += n;
    }
    if (out == p) *out++ = '.';
    *out = 0;
}
