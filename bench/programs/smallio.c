/* An I/O-heavy program for bench/record.sh: many small host calls, each
 * of which a recording logs with the bytes it returned. It writes a file
 * of ROUNDS lines with one write() each, reads it back 24 bytes at a time,
 * seeks back and forth, asks the clock every 64 lines and stats the file
 * every 256; prints how many host calls it made and a checksum of what it
 * read (the clock's values do not enter it, so the output is the same in
 * every run and in the native build).
 *
 *   smallio [ROUNDS]   (default 100000; in a directory it may write to)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static unsigned long calls;

static uint32_t mix(uint32_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 100000;
    const char *path = "smallio.tmp";
    int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
    if (fd < 0) {
        perror(path);
        return 1;
    }
    calls++;
    struct timespec ts;
    char line[64];
    for (long i = 0; i < rounds; i++) {
        int n = snprintf(line, sizeof line, "line %ld of %ld: %lx\n", i, rounds, i * 2654435761ul);
        if (write(fd, line, (size_t)n) != n) {
            perror("write");
            return 1;
        }
        calls++;
        if (i % 64 == 0) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            calls++;
        }
        if (i % 256 == 0) {
            struct stat st;
            if (fstat(fd, &st) != 0) {
                perror("fstat");
                return 1;
            }
            calls++;
        }
    }
    uint32_t h = 2166136261u;
    off_t size = lseek(fd, 0, SEEK_END);
    calls++;
    for (int pass = 0; pass < 2; pass++) {
        if (lseek(fd, pass ? size / 2 : 0, SEEK_SET) < 0) {
            perror("lseek");
            return 1;
        }
        calls++;
        char buf[24];
        ssize_t got;
        while ((got = read(fd, buf, sizeof buf)) > 0) {
            h = mix(h, buf, (size_t)got);
            calls++;
        }
        calls++;
        if (got < 0) {
            perror("read");
            return 1;
        }
    }
    close(fd);
    unlink(path);
    calls += 2;
    printf("size %ld checksum %08x host calls %lu\n", (long)size, (unsigned)h, calls);
    return 0;
}
