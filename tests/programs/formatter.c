/* sprintf-heavy formatting: an aligned report table, a hex dump, number
 * to words, thousands separators, JSON-ish escaping, and a line-wrapping
 * paragraph formatter, all built into buffers with snprintf/sprintf. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static char *thousands(char *out, size_t n, long long v)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu",
                       v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    for (int i = 0; i < len && o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    return out;
}

static const char *const ones[] = {"zero", "one", "two", "three", "four", "five", "six",
                                   "seven", "eight", "nine", "ten", "eleven", "twelve",
                                   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                   "eighteen", "nineteen"};
static const char *const tens[] = {"", "", "twenty", "thirty", "forty", "fifty", "sixty",
                                   "seventy", "eighty", "ninety"};

static int words(char *out, size_t n, unsigned v)
{
    if (v < 20)
        return snprintf(out, n, "%s", ones[v]);
    if (v < 100)
        return v % 10 ? snprintf(out, n, "%s-%s", tens[v / 10], ones[v % 10])
                      : snprintf(out, n, "%s", tens[v / 10]);
    static const struct {
        unsigned div;
        const char *name;
    } scale[] = {{1000000000, "billion"}, {1000000, "million"}, {1000, "thousand"}, {100, "hundred"}};
    for (int i = 0; i < 4; i++) {
        if (v >= scale[i].div) {
            char head[256], tail[256] = "";
            words(head, sizeof head, v / scale[i].div);
            if (v % scale[i].div) {
                tail[0] = ' ';
                words(tail + 1, sizeof tail - 1, v % scale[i].div);
            }
            return snprintf(out, n, "%s %s%s", head, scale[i].name, tail);
        }
    }
    return 0;
}

static void hexdump(const unsigned char *p, size_t n)
{
    char line[80];
    for (size_t off = 0; off < n; off += 16) {
        int pos = sprintf(line, "%08zx ", off);
        for (size_t i = 0; i < 16; i++) {
            if (off + i < n)
                pos += sprintf(line + pos, " %02x", p[off + i]);
            else
                pos += sprintf(line + pos, "   ");
            if (i == 7)
                pos += sprintf(line + pos, " ");
        }
        pos += sprintf(line + pos, "  |");
        for (size_t i = 0; i < 16 && off + i < n; i++)
            line[pos++] = p[off + i] >= 32 && p[off + i] < 127 ? (char)p[off + i] : '.';
        sprintf(line + pos, "|");
        puts(line);
    }
}

static void escape_json(char *out, size_t n, const char *s)
{
    size_t o = 0;
    out[o++] = '"';
    for (; *s && o + 8 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            o += (size_t)sprintf(out + o, "\\%c", c);
        else if (c == '\n')
            o += (size_t)sprintf(out + o, "\\n");
        else if (c == '\t')
            o += (size_t)sprintf(out + o, "\\t");
        else if (c < 32)
            o += (size_t)sprintf(out + o, "\\u%04x", c);
        else
            out[o++] = (char)c;
    }
    out[o++] = '"';
    out[o] = '\0';
}

static void wrap(const char *text, int width)
{
    char line[128];
    int len = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        int wl = (int)(p - w);
        if (!wl)
            break;
        if (len && len + 1 + wl > width) {
            printf("|%-*s|\n", width, line);
            len = 0;
        }
        len += sprintf(line + len, "%s%.*s", len ? " " : "", wl, w);
    }
    if (len)
        printf("|%-*s|\n", width, line);
}

int main(void)
{
    struct {
        const char *item;
        int qty;
        double price;
    } rows[] = {{"widget", 12, 3.5}, {"gadget, large", 1, 1299.99}, {"sprocket", 250, 0.045},
                {"thingamajig", 7, 18.0}, {"doohickey", 1000000, 0.0001}};
    char buf[256], num[64];
    sprintf(buf, "%-16s %10s %12s %14s", "item", "qty", "price", "total");
    puts(buf);
    memset(buf, '-', 55);
    buf[55] = '\0';
    puts(buf);
    double grand = 0;
    for (int i = 0; i < 5; i++) {
        double total = rows[i].qty * rows[i].price;
        grand += total;
        snprintf(buf, sizeof buf, "%-16.16s %10s %12.4f %14.2f", rows[i].item,
                 thousands(num, sizeof num, rows[i].qty), rows[i].price, total);
        puts(buf);
    }
    snprintf(buf, sizeof buf, "%-16s %10s %12s %14.2f", "TOTAL", "", "", grand);
    puts(buf);
    snprintf(buf, sizeof buf, "%e|%E|%a", grand, grand, 1.0);
    printf("sci: %.*s\n", (int)(strchr(buf, '|') - buf), buf);

    long long samples[] = {0, 7, 999, 1000, -1234567, 9223372036854775807LL,
                           -9223372036854775807LL - 1};
    for (int i = 0; i < 7; i++)
        printf("%lld -> %s\n", samples[i], thousands(num, sizeof num, samples[i]));
    unsigned ws[] = {0, 13, 40, 99, 101, 1000, 2024, 90210, 1000001, 4294967295u};
    for (int i = 0; i < 10; i++) {
        char w[512];
        int n = words(w, sizeof w, ws[i]);
        printf("%u: %s (%d)\n", ws[i], w, n);
    }
    unsigned char data[75];
    for (int i = 0; i < 75; i++)
        data[i] = (unsigned char)(i * 37 + 11);
    memcpy(data + 20, "Hello, hexdump!", 15);
    hexdump(data, sizeof data);
    escape_json(buf, sizeof buf, "say \"hi\"\n\tpath\\to\x01\x1f end");
    printf("json: %s\n", buf);
    wrap("The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor "
         "jugs! How vexingly quick daft zebras jump; sphinx of black quartz, judge my vow.",
         28);
    char many[512];
    int pos = 0;
    for (int i = 0; i < 20; i++)
        pos += snprintf(many + pos, sizeof many - (size_t)pos, "%s%d:%.1f:%c", i ? "," : "", i,
                        i / 4.0, 'a' + i);
    printf("joined(%d): %s\n", pos, many);
    return 0;
}
