/* Directories with many entries (more than one fd_readdir buffer, so the
 * listing resumes from a cookie), long names, nested trees walked
 * recursively, and POSIX-level I/O: open/read/write/lseek/pread/pwrite,
 * O_APPEND, O_EXCL, ftruncate and fstat. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists path recursively, sorted, printing a digest rather than every name. */
static void walk(const char *path, int depth, unsigned *hash, int *files, int *dirs)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s failed\n", path);
        return;
    }
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = realloc(names, sizeof *names * (size_t)cap);
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp);
    for (int i = 0; i < n; i++) {
        char full[1024];
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        struct stat st;
        if (stat(full, &st) != 0) {
            printf("stat %s failed\n", full);
            continue;
        }
        for (const char *c = names[i]; *c; c++)
            *hash = *hash * 31 + (unsigned char)*c;
        *hash = *hash * 31 + (unsigned)st.st_size;
        if (S_ISDIR(st.st_mode)) {
            (*dirs)++;
            if (depth < 2)
                printf("%*sdir %s\n", depth * 2, "", names[i]);
            walk(full, depth + 1, hash, files, dirs);
        } else {
            (*files)++;
        }
        free(names[i]);
    }
    free(names);
}

int main(void)
{
    mkdir("many", 0755);
    char name[512];
    for (int i = 0; i < 300; i++) {
        snprintf(name, sizeof name, "many/file-%03d-%.*s.txt", i, i % 40 + 1,
                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            printf("open %s failed\n", name);
            return 1;
        }
        char buf[64];
        int len = snprintf(buf, sizeof buf, "file %d\n", i);
        for (int k = 0; k < i % 5; k++)
            if (write(fd, buf, (size_t)len) != len)
                printf("short write\n");
        close(fd);
    }
    /* a long name close to the usual 255-byte limit */
    memset(name, 0, sizeof name);
    strcpy(name, "many/");
    memset(name + 5, 'L', 250);
    int fd = open(name, O_WRONLY | O_CREAT, 0644);
    printf("long name: %s\n", fd >= 0 ? "created" : "failed");
    if (fd >= 0)
        close(fd);
    mkdir("many/a", 0755);
    mkdir("many/a/b", 0755);
    mkdir("many/a/b/c", 0755);
    fd = open("many/a/b/c/deep.txt", O_CREAT | O_WRONLY, 0644);
    if (write(fd, "deep", 4) != 4)
        printf("write failed\n");
    close(fd);
    unsigned hash = 7;
    int files = 0, dirs = 0;
    walk("many", 0, &hash, &files, &dirs);
    printf("walk: files=%d dirs=%d hash=%08x\n", files, dirs, hash);
    /* delete every third file, list again */
    for (int i = 0; i < 300; i += 3) {
        snprintf(name, sizeof name, "many/file-%03d-%.*s.txt", i, i % 40 + 1,
                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        if (unlink(name) != 0)
            printf("unlink %s failed\n", name);
    }
    hash = 7;
    files = dirs = 0;
    walk("many", 0, &hash, &files, &dirs);
    printf("after unlink: files=%d dirs=%d hash=%08x\n", files, dirs, hash);

    /* POSIX I/O */
    fd = open("posix.bin", O_RDWR | O_CREAT | O_EXCL, 0644);
    printf("O_EXCL create: %s\n", fd >= 0 ? "ok" : "failed");
    int fd2 = open("posix.bin", O_RDWR | O_CREAT | O_EXCL, 0644);
    printf("O_EXCL again: %d %s\n", fd2, errno == EEXIST ? "EEXIST" : "other");
    char block[1000];
    for (int i = 0; i < 1000; i++)
        block[i] = (char)('a' + i % 26);
    for (int k = 0; k < 10; k++)
        write(fd, block, sizeof block);
    printf("lseek end: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek set: %lld\n", (long long)lseek(fd, 1234, SEEK_SET));
    char rd[16] = {0};
    ssize_t got = read(fd, rd, 10);
    printf("read %zd: %s, now at %lld\n", got, rd, (long long)lseek(fd, 0, SEEK_CUR));
    pwrite(fd, "PWRITE", 6, 5000);
    memset(rd, 0, sizeof rd);
    got = pread(fd, rd, 12, 4997);
    printf("pread %zd: %s, position unchanged at %lld\n", got, rd, (long long)lseek(fd, 0, SEEK_CUR));
    printf("ftruncate: %d\n", ftruncate(fd, 4321));
    struct stat st;
    fstat(fd, &st);
    printf("fstat size after truncate: %lld\n", (long long)st.st_size);
    lseek(fd, 6000, SEEK_SET);
    write(fd, "X", 1); /* leaves a hole of zeros */
    fstat(fd, &st);
    printf("size after write past end: %lld\n", (long long)st.st_size);
    got = pread(fd, rd, 4, 5000);
    printf("hole bytes: %d %d %d %d\n", rd[0], rd[1], rd[2], rd[3]);
    got = read(fd, rd, 10);
    printf("read at eof: %zd\n", got);
    close(fd);
    fd = open("posix.bin", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "APPENDED", 8);
    close(fd);
    stat("posix.bin", &st);
    printf("after O_APPEND: %lld\n", (long long)st.st_size);
    got = read(fd, rd, 1);
    printf("read on closed fd: %zd %s\n", got, errno == EBADF ? "EBADF" : "other");
    return 0;
}
