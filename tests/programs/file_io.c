/* File I/O through WASI in the preopened current directory: create a
 * directory tree, write and read back files, fseek/ftell, append, list a
 * directory (sorted), rename, unlink, rmdir, and error cases (errno names,
 * not messages, since those differ between libcs). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    default: return "other";
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        printf("opendir %s: %s\n", path, errname(errno));
        return;
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n < 64)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], cmp_str);
    printf("%s:", path);
    for (int i = 0; i < n; i++) {
        char full[256];
        struct stat st;
        snprintf(full, sizeof full, "%s/%s", path, names[i]);
        if (stat(full, &st) == 0)
            printf(" %s%s(%lld)", names[i], S_ISDIR(st.st_mode) ? "/" : "",
                   S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size);
        else
            printf(" %s?", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    if (mkdir("data", 0755) != 0) {
        printf("mkdir data: %s\n", errname(errno));
        return 1;
    }
    int rc = mkdir("data", 0755);
    printf("mkdir again: %d %s\n", rc, errname(errno));
    mkdir("data/sub", 0755);

    FILE *f = fopen("data/numbers.txt", "w");
    if (!f) {
        printf("fopen: %s\n", errname(errno));
        return 1;
    }
    for (int i = 0; i < 1000; i++)
        fprintf(f, "%04d %d\n", i, i * i);
    long pos = ftell(f);
    printf("written, ftell=%ld\n", pos);
    fclose(f);

    f = fopen("data/numbers.txt", "r");
    char line[64];
    long long total = 0;
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        int a, b;
        if (sscanf(line, "%d %d", &a, &b) == 2)
            total += b;
        lines++;
    }
    printf("read back: lines=%d total=%lld eof=%d\n", lines, total, feof(f) != 0);
    fseek(f, 0, SEEK_END);
    printf("size via fseek/ftell: %ld\n", ftell(f));
    fseek(f, 1234, SEEK_SET);
    fgets(line, sizeof line, f);
    printf("at 1234: [%s]", line);
    fseek(f, -9, SEEK_END);
    fgets(line, sizeof line, f);
    printf("last 9 bytes: [%s]", line);
    fseek(f, 10, SEEK_SET);
    fseek(f, 5, SEEK_CUR);
    pos = ftell(f);
    printf("SEEK_CUR -> %ld, char '%c'\n", pos, fgetc(f));
    rewind(f);
    printf("rewind -> %ld\n", ftell(f));
    fclose(f);

    /* binary write and read with fread/fwrite */
    f = fopen("data/blob.bin", "wb");
    unsigned char buf[4096];
    for (int i = 0; i < 4096; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    for (int k = 0; k < 5; k++)
        fwrite(buf, 1, sizeof buf, f);
    fclose(f);
    f = fopen("data/blob.bin", "rb");
    size_t got, all = 0;
    unsigned sum = 0;
    while ((got = fread(buf, 1, 1000, f)) > 0) {
        for (size_t i = 0; i < got; i++)
            sum = sum * 33 + buf[i];
        all += got;
    }
    printf("blob: %zu bytes, hash %u\n", all, sum);
    fclose(f);

    /* append, then r+ overwrite in the middle */
    f = fopen("data/log.txt", "a");
    fputs("first\n", f);
    fclose(f);
    f = fopen("data/log.txt", "a");
    fputs("second\n", f);
    fclose(f);
    f = fopen("data/log.txt", "r+");
    fseek(f, 2, SEEK_SET);
    fputs("RS", f);
    fclose(f);
    f = fopen("data/log.txt", "r");
    while (fgets(line, sizeof line, f))
        printf("log: %s", line);
    fclose(f);

    f = fopen("data/sub/a.txt", "w");
    fputs("aaa", f);
    fclose(f);
    f = fopen("data/sub/b.txt", "w");
    fputs("bbbbbb", f);
    fclose(f);
    f = fopen("data/temp.txt", "w");
    fputs("temporary", f);
    fclose(f);
    list_dir("data");
    list_dir("data/sub");

    printf("rename: %d\n", rename("data/sub/a.txt", "data/renamed.txt"));
    printf("unlink temp: %d\n", unlink("data/temp.txt"));
    rc = unlink("data/temp.txt");
    printf("unlink missing: %d %s\n", rc, errname(errno));
    f = fopen("data/nope.txt", "r");
    printf("fopen missing: %s %s\n", f ? "opened" : "NULL", errname(errno));
    rc = rmdir("data/sub");
    printf("rmdir nonempty: %d %s\n", rc, errname(errno));
    rc = rmdir("data/sub/b.txt");
    printf("rmdir file: %d %s\n", rc, errname(errno));
    f = fopen("data/sub/b.txt/x", "r");
    printf("file as dir: %s %s\n", f ? "opened" : "NULL", errname(errno));
    mkdir("data/empty", 0755);
    printf("rmdir empty: %d\n", rmdir("data/empty"));
    printf("access renamed: %d\n", access("data/renamed.txt", F_OK));
    struct stat st;
    rc = stat("data/numbers.txt", &st);
    printf("stat numbers: %d size=%lld isreg=%d\n", rc,
           (long long)st.st_size, S_ISREG(st.st_mode) != 0);
    list_dir("data");
    list_dir("data/sub");
    list_dir("missing");
    return 0;
}
