/* String processing, the work of parsers and text protocols: generate a
 * text of pseudo-random words, then tokenize it, count words in a hash
 * table (open addressing, FNV-1a), find substrings (a naive search and the
 * C library's strstr), change case, and build and parse numbers with
 * snprintf/strtoul, cross-checking each step. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE (1u << 17) /* more than the 69,904 words 1-4 syllables make */

typedef struct entry {
    const char *word;
    size_t len;
    uint32_t count;
} entry;

static uint32_t fnv1a(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

static size_t naive_count(const char *hay, const char *needle)
{
    size_t n = strlen(needle), c = 0;
    for (const char *p = hay; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] == needle[k]) k++;
        if (k == n) c++;
    }
    return c;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 48;
    static const char syll[][4] = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po",
                                   "an", "el", "or", "us", "zi", "ve", "qu", "ix"};
    size_t cap = 1u << 20, len = 0;
    char *text = malloc(cap + 64);
    uint32_t x = 0x9e3779b9u, sum = 0;
    if (!text) return 1;
    while (len < cap) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        int ns = 1 + (int)(x % 4);
        for (int k = 0; k < ns; k++) {
            const char *sy = syll[(x >> (4 + 4 * k)) & 15];
            text[len++] = sy[0];
            text[len++] = sy[1];
        }
        text[len++] = (x >> 28) == 0 ? '\n' : ' ';
    }
    text[len] = 0;

    entry *tab = malloc(TABLE * sizeof *tab);
    char *upper = malloc(len + 1), *num = malloc(32);
    if (!tab || !upper || !num) return 1;
    for (int r = 0; r < rounds; r++) {
        memset(tab, 0, TABLE * sizeof *tab);
        size_t words = 0, distinct = 0;
        for (const char *p = text; *p;) {
            while (*p == ' ' || *p == '\n') p++;
            const char *w = p;
            while (*p && *p != ' ' && *p != '\n') p++;
            size_t n = (size_t)(p - w);
            if (!n) continue;
            words++;
            uint32_t h = fnv1a(w, n) & (TABLE - 1);
            while (tab[h].word && (tab[h].len != n || memcmp(tab[h].word, w, n) != 0))
                h = (h + 1) & (TABLE - 1);
            if (!tab[h].word) {
                tab[h] = (entry){w, n, 0};
                distinct++;
            }
            tab[h].count++;
        }
        uint32_t best = 0, total = 0;
        for (size_t i = 0; i < TABLE; i++) {
            total += tab[i].count;
            if (tab[i].count > best) best = tab[i].count;
        }
        if (total != words) {
            printf("strings: counted %u of %zu words\n", total, words);
            return 1;
        }
        /* substrings: naive against strstr */
        const char *needle = syll[r & 15];
        char pat[8];
        snprintf(pat, sizeof pat, "%s%s", needle, syll[(r * 7) & 15]);
        size_t a = naive_count(text, pat), b = 0;
        for (const char *p = strstr(text, pat); p; p = strstr(p + 1, pat)) b++;
        if (a != b) {
            printf("strings: '%s' %zu times, strstr says %zu\n", pat, a, b);
            return 1;
        }
        /* case */
        for (size_t i = 0; i <= len; i++) upper[i] = (char)toupper((unsigned char)text[i]);
        uint32_t hu = fnv1a(upper, len);
        /* numbers through text */
        uint32_t back = 0;
        for (uint32_t i = 0; i < 20000; i++) {
            int n = snprintf(num, 32, "%u:%x", i * 2654435761u, i);
            char *end;
            uint32_t v = (uint32_t)strtoul(num, &end, 10);
            back += v + (uint32_t)strtoul(end + 1, NULL, 16) + (uint32_t)n;
        }
        sum = sum * 31 + (uint32_t)distinct * 7 + best + (uint32_t)a + hu + back;
    }
    printf("strings: checksum=%08x\n", sum);
    free(text);
    free(tab);
    free(upper);
    free(num);
    return 0;
}
