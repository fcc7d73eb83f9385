/* wasm-mutate IN OUT flip|truncate|drop SECTION [ARG]: writes IN with a
 * custom section corrupted, truncated to ARG bytes, or removed (every
 * section whose name starts with SECTION). For the bad-input tests. */
#include "mutate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: wasm-mutate IN OUT flip|truncate|drop SECTION [ARG]\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return perror(argv[1]), 1;
    static uint8_t buf[64 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    mut_mode m = strcmp(argv[3], "flip") == 0 ? MUT_FLIP
                 : strcmp(argv[3], "truncate") == 0 ? MUT_TRUNCATE : MUT_DROP;
    size_t arg = argc > 5 ? strtoul(argv[5], NULL, 0) : 0;
    size_t on = 0;
    uint8_t *out = mut_rebuild(buf, n, argv[4], m, arg, &on);
    if (!out) return fprintf(stderr, "wasm-mutate: cannot walk %s\n", argv[1]), 1;
    f = fopen(argv[2], "wb");
    if (!f || fwrite(out, 1, on, f) != on) return perror(argv[2]), 1;
    fclose(f);
    free(out);
    return 0;
}
