/* Bounded reading of whole files (include/wdb/file.h). */
#define _POSIX_C_SOURCE 200809L
#include "wdb/file.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void say(char *msg, size_t msg_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t msg_size, const char *fmt, ...)
{
    if (!msg || !msg_size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_size, fmt, ap);
    va_end(ap);
}

/* Reads up to n bytes at the file's position; returns how many (fewer only
 * at the end of the file), or -1 with errno. */
static ssize_t read_full(int fd, uint8_t *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

wdb_file_status wdb_file_read(const char *path, uint64_t max, const void *magic, size_t magic_len,
                              uint8_t **data, size_t *size, char *msg, size_t msg_size)
{
    uint8_t *buf = NULL;
    wdb_file_status st = WDB_FILE_ERROR;
    struct stat sb;
    *data = NULL;
    *size = 0;
    if (msg && msg_size) msg[0] = 0;
    /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
     * writer; it is refused below as not a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        say(msg, msg_size, "cannot open %s: %s", path, strerror(errno));
        return WDB_FILE_ERROR;
    }
    if (fstat(fd, &sb) != 0) {
        say(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        say(msg, msg_size, "%s: not a regular file", path);
        goto done;
    }
    /* regular files do not block; reads are plain from here on */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    uint64_t len = (uint64_t)sb.st_size;
    if (magic && magic_len) {
        uint8_t head[16];
        if (magic_len > sizeof head) magic_len = sizeof head;
        ssize_t r = read_full(fd, head, magic_len);
        if (r < 0) {
            say(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
            goto done;
        }
        if ((size_t)r < magic_len || memcmp(head, magic, magic_len) != 0) {
            st = WDB_FILE_BAD_MAGIC;
            goto done;
        }
        if (lseek(fd, 0, SEEK_SET) != 0) {
            say(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
            goto done;
        }
    }
    if (len > max || len >= SIZE_MAX) {
        say(msg, msg_size, "%s: too large (%" PRIu64 " bytes; the limit is %" PRIu64 ")", path, len, max);
        goto done;
    }
    if (!(buf = malloc((size_t)len + 1))) {
        say(msg, msg_size, "%s: out of memory", path);
        st = WDB_FILE_NOMEM;
        goto done;
    }
    /* only the size fstat gave: a file that grows meanwhile is cut there */
    ssize_t r = read_full(fd, buf, (size_t)len);
    if (r < 0) {
        say(msg, msg_size, "cannot read %s: %s", path, strerror(errno));
        goto done;
    }
    buf[r] = 0;
    *data = buf;
    *size = (size_t)r;
    buf = NULL;
    st = WDB_FILE_OK;
done:
    free(buf);
    close(fd);
    return st;
}
