/* String functions: strtok, strstr, strchr/strrchr, strspn/strcspn,
 * snprintf, strtol/strtoul/strtoll/strtod with bases and end pointers,
 * memmove with overlap, memcmp, memset, strncpy, strcat, toupper. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char text[] = "the quick, brown fox;jumps over  the lazy dog";
    int n = 0;
    for (char *t = strtok(text, " ,;"); t; t = strtok(NULL, " ,;")) {
        printf("tok%d=[%s]%s", n, t, n % 5 == 4 ? "\n" : " ");
        n++;
    }
    printf("\n");

    const char *hay = "abcabcabdabcabcd";
    const char *p = strstr(hay, "abcd");
    printf("strstr abcd at %d, abd at %d, xyz %s, empty at %d\n", (int)(p - hay),
           (int)(strstr(hay, "abd") - hay), strstr(hay, "xyz") ? "found" : "null",
           (int)(strstr(hay, "") - hay));
    printf("strchr c at %d, strrchr c at %d, strchr nul at %d\n", (int)(strchr(hay, 'c') - hay),
           (int)(strrchr(hay, 'c') - hay), (int)(strchr(hay, '\0') - hay));
    printf("strspn=%zu strcspn=%zu\n", strspn("aabbccdd", "ab"), strcspn("hello world", " o"));

    const char *nums[] = {"42", "-17", "0x1F", "0777", "  +99abc", "junk", "2147483647",
                          "-2147483648", "1010", "zz"};
    int bases[] = {10, 10, 16, 8, 10, 10, 10, 10, 2, 36};
    for (int i = 0; i < 10; i++) {
        char *end;
        errno = 0;
        long v = strtol(nums[i], &end, bases[i]);
        printf("strtol(\"%s\", %d) = %ld, consumed %d, rest [%s]\n", nums[i], bases[i], v,
               (int)(end - nums[i]), end);
    }
    char *end;
    printf("base0: %ld %ld %ld\n", strtol("0x10", NULL, 0), strtol("010", NULL, 0),
           strtol("10", NULL, 0));
    errno = 0;
    long long big = strtoll("9223372036854775807", &end, 10);
    printf("strtoll max = %lld errno=%d\n", big, errno);
    errno = 0;
    big = strtoll("99999999999999999999", &end, 10);
    printf("strtoll overflow = %lld erange=%d\n", big, errno == ERANGE);
    printf("strtoull = %llu\n", strtoull("18446744073709551615", NULL, 10));
    printf("strtoul hex = %lu\n", strtoul("ffffffff", NULL, 16));
    double d = strtod("  3.25e2xyz", &end);
    printf("strtod = %g rest [%s]\n", d, end);
    printf("strtod list: %g %g %g %g\n", strtod("-0.5", NULL), strtod("1e-5", NULL),
           strtod("0x1.8p1", NULL), strtod(".125", NULL));
    printf("atoi=%d atol=%ld atof=%g\n", atoi("  -123x"), atol("456"), atof("2.5"));

    char buf[32] = "0123456789abcdef";
    memmove(buf + 4, buf, 8);
    printf("memmove right: %s\n", buf);
    memmove(buf, buf + 6, 10);
    printf("memmove left:  %s\n", buf);
    memset(buf + 3, '*', 4);
    printf("memset: %s\n", buf);
    printf("memcmp: %d %d %d\n", memcmp("abc", "abd", 3) < 0, memcmp("abc", "abc", 3) == 0,
           memcmp("b", "a", 1) > 0);
    printf("strcmp: %d %d %d\n", strcmp("a", "b") < 0, strcmp("abc", "ab") > 0,
           strncmp("abcx", "abcy", 3) == 0);

    char dst[16];
    memset(dst, 'X', sizeof dst);
    strncpy(dst, "hi", 6);
    printf("strncpy pad: %d %d %d %c\n", dst[2], dst[5], dst[6] == 'X', dst[6]);
    char cat[64] = "alpha";
    strcat(cat, "-beta");
    strncat(cat, "-gamma-delta", 6);
    printf("strcat: %s (%zu)\n", cat, strlen(cat));
    for (char *c = cat; *c; c++)
        *c = (char)toupper((unsigned char)*c);
    printf("upper: %s\n", cat);
    int alpha = 0, digit = 0, space = 0, punct = 0;
    for (const char *c = "Hello, World 2024! ok?"; *c; c++) {
        alpha += isalpha((unsigned char)*c) != 0;
        digit += isdigit((unsigned char)*c) != 0;
        space += isspace((unsigned char)*c) != 0;
        punct += ispunct((unsigned char)*c) != 0;
    }
    printf("classes: alpha=%d digit=%d space=%d punct=%d\n", alpha, digit, space, punct);

    char out[128];
    int len = snprintf(out, sizeof out, "%s|%5.2f|%-4d|%x", "k", 3.14159, 12, 255);
    printf("snprintf: [%s] len=%d\n", out, len);
    char *dup = strdup("duplicate me");
    printf("strdup: %s %zu\n", dup, strlen(dup));
    free(dup);
    char rev[] = "reverse this string";
    for (size_t i = 0, j = strlen(rev) - 1; i < j; i++, j--) {
        char t = rev[i];
        rev[i] = rev[j];
        rev[j] = t;
    }
    printf("reversed: %s\n", rev);
    int a, b;
    char w[16];
    int got = sscanf("12 34 word", "%d %d %15s", &a, &b, w);
    printf("sscanf: %d -> %d %d %s\n", got, a, b, w);
    return 0;
}
