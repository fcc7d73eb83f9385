/*
 * Source maps (wb_srcmap.h): Source Map Revision 3's JSON, its base64 VLQ
 * `mappings`, and the `sourceMappingURL` custom section of a Wasm module.
 */
#include "wb_srcmap.h"

#include "wb_cursor.h"
#include "wb_sbuf.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_ROWS (16u << 20) /* mappings kept: a bound on memory */
#define MAX_SOURCES 65536u

struct wb_srcmap {
    const wb_wasm *wasm;
    char **sources;
    char **contents; /* sourcesContent, by source; NULL entries when absent */
    uint32_t nsources;
    wb_srcmap_row *rows;
    size_t nrows;
};

/* ------------------------------------------------------------- paths */

static char *path_join(const char *dir, const char *name)
{
    wb_sbuf b = {0};
    if (dir && dir[0] && name[0] != '/') {
        wb_sb_add(&b, dir);
        wb_sb_add(&b, "/");
    }
    wb_sb_add(&b, name);
    char *s = wb_sb_take(&b);
    if (s) wb_path_normalize(s);
    return s;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ------------------------------------------------------------ base64 */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes standard base64 (padding optional) into a malloc'd,
 * NUL-terminated buffer. */
static wb_status b64_decode(const char *s, size_t n, char **out, size_t *len, wb_error *err)
{
    while (n > 0 && s[n - 1] == '=')
        n--;
    char *buf = malloc(n / 4 * 3 + 4);
    if (!buf) return wb_fail(err, "out of memory");
    size_t k = 0;
    uint32_t acc = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value((unsigned char)s[i]);
        if (v < 0) {
            free(buf);
            return wb_fail(err, "bad source map URL: invalid base64 at character %zu", i);
        }
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[k++] = (char)(acc >> bits & 0xff);
        }
    }
    buf[k] = 0;
    *out = buf;
    *len = k;
    return WB_OK;
}

/* ------------------------------------------------------------ mappings */

/* One base64 VLQ (Source Map v3: 5 data bits a digit, continuation bit
 * 32, sign in the lowest bit of the value) from *p; at most 32 bits. */
static bool vlq(const char **p, const char *end, int64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
        if (*p >= end) return false;
        int d = b64_value((unsigned char)**p);
        if (d < 0) return false;
        (*p)++;
        if (shift > 30) return false;
        v |= (uint64_t)(d & 31) << shift;
        shift += 5;
        if (!(d & 32)) break;
    }
    if (v > UINT32_MAX) return false;
    *out = (v & 1) ? -(int64_t)(v >> 1) : (int64_t)(v >> 1);
    return true;
}

static int cmp_row(const void *a, const void *b)
{
    const wb_srcmap_row *x = a, *y = b;
    return (x->addr > y->addr) - (x->addr < y->addr);
}

static wb_status parse_mappings(wb_srcmap *m, const char *s, wb_error *err)
{
    const char *p = s, *end = s + strlen(s);
    int64_t col = 0, src = 0, line = 0, scol = 0, name = 0;
    size_t cap = 0, seg = 0;
    uint32_t genline = 0;
    while (p < end) {
        if (*p == ';') {
            p++;
            genline++;
            col = 0; /* the generated column restarts on each line */
            continue;
        }
        if (*p == ',') {
            p++;
            continue;
        }
        int64_t f[5];
        int nf = 0;
        while (p < end && *p != ',' && *p != ';') {
            if (nf == 5 || !vlq(&p, end, &f[nf]))
                return wb_fail(err, "bad source map: malformed mappings at segment %zu", seg);
            nf++;
        }
        if (nf != 1 && nf != 4 && nf != 5)
            return wb_fail(err, "bad source map: a segment of %d fields in mappings (segment %zu)",
                           nf, seg);
        seg++;
        col += f[0];
        if (nf >= 4) {
            src += f[1];
            line += f[2];
            scol += f[3];
        }
        if (nf == 5) name += f[4];
        if (col < 0 || col > UINT32_MAX || src < 0 || line < 0 || line >= UINT32_MAX || scol < 0 ||
            scol >= UINT32_MAX || name < 0)
            return wb_fail(err, "bad source map: a mapping out of range (segment %zu)", seg);
        if (nf == 1 || genline != 0) continue; /* unmapped, or not a Wasm offset */
        if ((uint64_t)src >= m->nsources)
            return wb_fail(err, "bad source map: mapping %zu names source %lld of %u", seg,
                           (long long)src, m->nsources);
        wb_code_off addr;
        if (wb_wasm_file_to_code(m->wasm, (wb_file_off){(uint32_t)col}, &addr) != WB_OK) continue;
        if (m->nrows >= MAX_ROWS)
            return wb_fail(err, "bad source map: more than %u mappings", MAX_ROWS);
        if (!wb_grow((void **)&m->rows, &cap, m->nrows + 1, sizeof *m->rows))
            return wb_fail(err, "out of memory");
        m->rows[m->nrows++] =
            (wb_srcmap_row){addr, (uint32_t)src, (uint32_t)line + 1, (uint32_t)scol + 1};
    }
    /* sorted by address (asc and Emscripten write them sorted) */
    bool sorted = true;
    for (size_t i = 1; i < m->nrows && sorted; i++)
        if (m->rows[i].addr < m->rows[i - 1].addr) sorted = false;
    if (!sorted) qsort(m->rows, m->nrows, sizeof *m->rows, cmp_row);
    /* one row an address */
    size_t k = 0;
    for (size_t i = 0; i < m->nrows; i++)
        if (k == 0 || m->rows[k - 1].addr != m->rows[i].addr) m->rows[k++] = m->rows[i];
    m->nrows = k;
    return WB_OK;
}

/* ------------------------------------------------------------- parse */

void wb_srcmap_close(wb_srcmap *m)
{
    if (!m) return;
    for (uint32_t i = 0; i < m->nsources; i++) {
        free(m->sources[i]);
        if (m->contents) free(m->contents[i]);
    }
    free(m->sources);
    free(m->contents);
    free(m->rows);
    free(m);
}

wb_status wb_srcmap_parse(const wb_wasm *w, const char *json, size_t len, const char *base_dir,
                          wb_srcmap **out, wb_error *err)
{
    *out = NULL;
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) return wb_fail(err, "bad source map: not JSON");
    wb_srcmap *m = calloc(1, sizeof *m);
    if (!m) {
        cJSON_Delete(root);
        return wb_fail(err, "out of memory");
    }
    m->wasm = w;
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "version");
    const cJSON *sources = cJSON_GetObjectItemCaseSensitive(root, "sources");
    const cJSON *mappings = cJSON_GetObjectItemCaseSensitive(root, "mappings");
    const cJSON *root_dir = cJSON_GetObjectItemCaseSensitive(root, "sourceRoot");
    const cJSON *contents = cJSON_GetObjectItemCaseSensitive(root, "sourcesContent");
    if (!cJSON_IsObject(root) || !cJSON_IsNumber(version) || version->valuedouble != 3) {
        wb_fail(err, "bad source map: not version 3");
        goto fail;
    }
    if (!cJSON_IsArray(sources) || !cJSON_IsString(mappings)) {
        wb_fail(err, "bad source map: no `sources` array or `mappings` string");
        goto fail;
    }
    int n = cJSON_GetArraySize(sources);
    if (n < 0 || (unsigned)n > MAX_SOURCES) {
        wb_fail(err, "bad source map: more than %u sources", MAX_SOURCES);
        goto fail;
    }
    /* sourceRoot only when it names a directory (asc's does not) */
    char *dir = NULL;
    if (base_dir && cJSON_IsString(root_dir) && root_dir->valuestring[0] &&
        !strchr(root_dir->valuestring, ':')) {
        dir = path_join(base_dir, root_dir->valuestring);
        if (dir && !is_dir(dir)) {
            free(dir);
            dir = NULL;
        }
    }
    if (!dir && base_dir) dir = strdup(base_dir);
    m->sources = calloc(n ? (size_t)n : 1, sizeof *m->sources);
    m->contents = calloc(n ? (size_t)n : 1, sizeof *m->contents);
    if (!m->sources || !m->contents) {
        free(dir);
        wb_fail(err, "out of memory");
        goto fail;
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, sources)
    {
        const char *name = cJSON_IsString(it) ? it->valuestring : "";
        char *path;
        if (strncmp(name, "file://", 7) == 0) name += 7;
        if (name[0] == '~' || !dir || !name[0])
            path = strdup(name[0] ? name : "??");
        else
            path = path_join(dir, name);
        if (!path) {
            free(dir);
            wb_fail(err, "out of memory");
            goto fail;
        }
        const cJSON *text =
            cJSON_IsArray(contents) ? cJSON_GetArrayItem(contents, (int)m->nsources) : NULL;
        if (cJSON_IsString(text) && !(m->contents[m->nsources] = strdup(text->valuestring))) {
            free(path);
            free(dir);
            wb_fail(err, "out of memory");
            goto fail;
        }
        m->sources[m->nsources++] = path;
    }
    free(dir);
    if (parse_mappings(m, mappings->valuestring, err) != WB_OK) goto fail;
    cJSON_Delete(root);
    *out = m;
    return WB_OK;
fail:
    cJSON_Delete(root);
    wb_srcmap_close(m);
    return WB_ERROR;
}

wb_status wb_srcmap_open(const wb_wasm *w, const char *module_path, wb_srcmap **out, wb_error *err)
{
    const uint8_t *data;
    size_t size;
    *out = NULL;
    if (wb_wasm_custom_section(w, "sourceMappingURL", &data, &size) != WB_OK) return WB_NOT_FOUND;
    /* the section's contents: one name (5.2.4), the URL */
    wb_cursor c = {data, 0, size, "sourceMappingURL", "module"};
    uint32_t ulen;
    if (wb_cur_u32(&c, &ulen, err) != WB_OK) return WB_ERROR;
    if (ulen == 0 || ulen > wb_cur_left(&c))
        return wb_fail(err, "bad sourceMappingURL section: the URL is empty or runs past it");
    const char *url = (const char *)data + c.pos;
    for (uint32_t i = 0; i < ulen; i++)
        if ((unsigned char)url[i] < 0x20 || url[i] == 0x7f)
            return wb_fail(err, "bad sourceMappingURL section: a control character in the URL");

    /* the module's directory */
    char *mdir = NULL;
    const char *slash = module_path ? strrchr(module_path, '/') : NULL;
    if (slash)
        mdir = strndup(module_path, (size_t)(slash - module_path) + (slash == module_path));
    else
        mdir = strdup(".");
    if (!mdir) return wb_fail(err, "out of memory");

    static const char data_prefix[] = "data:application/json;base64,";
    static const char data_prefix2[] = "data:application/json;charset=utf-8;base64,";
    wb_status st;
    char *json = NULL;
    size_t jlen = 0;
    if ((ulen >= sizeof data_prefix - 1 && memcmp(url, data_prefix, sizeof data_prefix - 1) == 0) ||
        (ulen >= sizeof data_prefix2 - 1 &&
         memcmp(url, data_prefix2, sizeof data_prefix2 - 1) == 0)) {
        size_t skip = memcmp(url, data_prefix, sizeof data_prefix - 1) == 0
                          ? sizeof data_prefix - 1
                          : sizeof data_prefix2 - 1;
        st = b64_decode(url + skip, ulen - skip, &json, &jlen, err);
        if (st == WB_OK) st = wb_srcmap_parse(w, json, jlen, mdir, out, err);
    } else if (ulen >= 5 && memcmp(url, "data:", 5) == 0) {
        st = wb_fail(err, "bad sourceMappingURL: only base64 JSON data URLs are read");
    } else if (memchr(url, ':', ulen) && !(ulen >= 7 && memcmp(url, "file://", 7) == 0)) {
        st = wb_fail(err, "sourceMappingURL %.*s: only files next to the module are read",
                     (int)(ulen > 120 ? 120 : ulen), url);
    } else {
        char *rel = strndup(url, ulen);
        char *path = NULL, *pdir = NULL;
        if (rel) {
            const char *r = strncmp(rel, "file://", 7) == 0 ? rel + 7 : rel;
            path = path_join(mdir, r);
        }
        struct stat sb;
        if (path && stat(path, &sb) != 0 && module_path) {
            /* a symbolic link to the module: the map may be next to the
             * file it names */
            char *real = realpath(module_path, NULL);
            const char *rs = real ? strrchr(real, '/') : NULL;
            if (rs) {
                *(char *)(rs == real ? rs + 1 : rs) = 0;
                const char *r = strncmp(rel, "file://", 7) == 0 ? rel + 7 : rel;
                char *other = path_join(real, r);
                if (other && stat(other, &sb) == 0) {
                    free(path);
                    path = other;
                } else {
                    free(other);
                }
            }
            free(real);
        }
        if (!path) {
            st = wb_fail(err, "out of memory");
        } else {
            st = wb_read_text(path, &json, &jlen, err);
            const char *ps = strrchr(path, '/');
            pdir = ps ? strndup(path, (size_t)(ps - path) + (ps == path)) : strdup(".");
            if (st == WB_OK && !pdir) st = wb_fail(err, "out of memory");
            /* wb_read_text's messages name the file; the parser's do not */
            if (st == WB_OK && wb_srcmap_parse(w, json, jlen, pdir, out, err) != WB_OK) {
                st = WB_ERROR;
                wb_error_prefix(err, path);
            }
        }
        free(rel);
        free(path);
        free(pdir);
    }
    free(json);
    free(mdir);
    return st == WB_NOT_FOUND ? wb_fail(err, "source map not found") : st;
}

/* ------------------------------------------------------------ queries */

size_t wb_srcmap_rows(const wb_srcmap *m, const wb_srcmap_row **rows)
{
    *rows = m->rows;
    return m->nrows;
}

const char *wb_srcmap_source(const wb_srcmap *m, uint32_t i)
{
    return i < m->nsources ? m->sources[i] : NULL;
}

const char *wb_srcmap_source_content(const wb_srcmap *m, uint32_t i)
{
    return i < m->nsources ? m->contents[i] : NULL;
}

uint32_t wb_srcmap_source_count(const wb_srcmap *m)
{
    return m->nsources;
}

wb_status wb_srcmap_line_at(const wb_srcmap *m, wb_code_off addr, const char **file, uint32_t *line,
                            uint32_t *column)
{
    const wb_func *f;
    if (wb_wasm_func_at(m->wasm, addr, &f) != WB_OK) return WB_NOT_FOUND;
    size_t lo = 0, hi = m->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->rows[mid].addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || m->rows[lo - 1].addr < f->start) return WB_NOT_FOUND;
    const wb_srcmap_row *r = &m->rows[lo - 1];
    *file = m->sources[r->source];
    *line = r->line;
    *column = r->column;
    return WB_OK;
}
