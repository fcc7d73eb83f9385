/* Reads lines from stdin (fgets, with lines longer than the buffer) and
 * counts lines, words and bytes like wc, plus the longest line and a word
 * frequency top list. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
    char text[32];
    int count;
};

static struct word words[512];
static int nwords;

static void add_word(const char *w)
{
    for (int i = 0; i < nwords; i++)
        if (strcmp(words[i].text, w) == 0) {
            words[i].count++;
            return;
        }
    if (nwords < 512) {
        snprintf(words[nwords].text, sizeof words[nwords].text, "%s", w);
        words[nwords++].count = 1;
    }
}

static int by_count(const void *a, const void *b)
{
    const struct word *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->text, y->text);
}

int main(void)
{
    char buf[40]; /* small on purpose: long lines arrive in pieces */
    long lines = 0, wordcount = 0, bytes = 0, curlen = 0, longest = 0;
    int inword = 0;
    char cur[32];
    int curw = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        size_t n = strlen(buf);
        bytes += (long)n;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)buf[i];
            if (c == '\n') {
                lines++;
                if (curlen > longest)
                    longest = curlen;
                curlen = 0;
            } else {
                curlen++;
            }
            if (isspace(c) || ispunct(c)) {
                if (inword) {
                    cur[curw] = '\0';
                    add_word(cur);
                    curw = 0;
                }
                inword = 0;
            } else {
                if (!inword)
                    wordcount++;
                inword = 1;
                if (curw < 31)
                    cur[curw++] = (char)tolower(c);
            }
        }
    }
    if (inword) {
        cur[curw] = '\0';
        add_word(cur);
    }
    if (curlen > longest)
        longest = curlen;
    printf("lines=%ld words=%ld bytes=%ld longest=%ld distinct=%d\n", lines, wordcount, bytes,
           longest, nwords);
    qsort(words, (size_t)nwords, sizeof words[0], by_count);
    for (int i = 0; i < nwords && i < 10; i++)
        printf("%3d %s\n", words[i].count, words[i].text);
    printf("eof=%d error=%d\n", feof(stdin) != 0, ferror(stdin) != 0);
    return 0;
}
