/* A program for the tests of wdb's session commands (tests/wdb): arrays of
 * structs, a union and an anonymous struct for `set print pretty`
 * (cases/pretty.vs-gdb, against gdb); a file named by the environment
 * variable SHELF_FILE, read when it is set, for the hint at a file outside
 * the sandbox (cases/sandbox.wdb). Nothing it prints depends on pointer
 * size. The tests name lines by number: keep the layout stable. */
#include <stdio.h>
#include <stdlib.h>

struct point {
    int x, y;
};

struct shape {
    char tag[4];
    struct point pts[2];
    union {
        int i;
        float f;
    } u;
    struct {
        short lo, hi;
    } range;
};

struct shelf {
    struct shape s[2];
    int n;
    struct point same[12];
};

struct shelf g_shelf = {
    {{"ab", {{1, 2}, {3, 4}}, {5}, {6, 7}}, {"cd", {{8, 9}, {10, 11}}, {12}, {13, 14}}}, 2};

__attribute__((noinline)) int area(struct shape s)
{
    struct point d[2] = {s.pts[0], s.pts[1]};
    int w = d[1].x - d[0].x;
    int h = d[1].y - d[0].y;
    return w * h + s.u.i + s.range.hi;
}

int main(void)
{
    struct point corners[3] = {{1, 2}, {3, 4}, {5, 6}};
    int total = area(g_shelf.s[1]) + corners[2].y + g_shelf.same[3].x;
    const char *path = getenv("SHELF_FILE");
    if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            perror(path);
            return 1;
        }
        int ch;
        while ((ch = fgetc(f)) != EOF)
            total += ch;
        fclose(f);
    }
    printf("%d\n", total);
    return 0;
}
