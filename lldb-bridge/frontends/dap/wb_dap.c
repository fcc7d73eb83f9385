/*
 * wb_dap: the Debug Adapter Protocol over a wb_session (see wb_dap.h).
 *
 * Threads. The transport calls wb_dap_receive, which only queues the text
 * (mutex + condition variable). The session thread takes requests one at
 * a time and answers them through the `requests` table. While the program
 * runs, the session thread is inside wb_session_resume; the session polls
 * `on_poll` every 100 ms, which drains the queue there:
 *   - `pause` is answered at once and interrupts the program;
 *   - requests that change breakpoints, and `disconnect`/`terminate`/
 *     `restart`, are kept for later and interrupt the program too; once it
 *     is stopped they run in order and, unless one of them ended the
 *     program, it is resumed as it was (a `next` interrupted that way
 *     restarts from where it stopped: documented in the report of #dap);
 *   - requests that need no program (threads, modules, ...) are answered;
 *   - the others (stackTrace, variables, evaluate, ...) get an error
 *     response: "the program is running".
 * The program's stdout and stderr come through pipes, read by a thread of
 * their own that sends `output` events; before a stop or exit is reported
 * the session thread drains the pipes (under the reader's lock) so output
 * comes before the event that follows it. `send` calls never overlap:
 * they are serialised here (send_mu), which also numbers `seq`.
 *
 * Decisions the protocol leaves open:
 *   - hitCondition is gdb's ignore count: "N" ignores N hits (stops at
 *     hit N+1, `ignore BP N`), ">= N" stops from the Nth hit on, "> N"
 *     after N hits; other forms are refused (breakpoint not verified).
 *   - Exception filters: one per trap kind (the runtime's names:
 *     div_by_zero, memory_oob, ...) and "all". A Wasm trap always ends
 *     the program; a trap whose filter is off is not shown as a stop: its
 *     message goes out as an `output` event (category "important") and the
 *     program is let go, so it ends (exit code 134, as wdb-run reports a
 *     trap). Without a setExceptionBreakpoints request every trap stops.
 *   - evaluate in the debug console (context "repl") takes C expressions,
 *     and gdb's `p EXPR`, `print EXPR`, `p/FMT EXPR` (FMT one of x d u o t
 *     c f a s z), and wdb's gdb-style commands (`bt`, `info locals`,
 *     `x/4xw &a`, `ptype`, `list`, `-exec CMD` to force one) run by the
 *     console (lldb-bridge/console/wb_console.h). Run control typed there
 *     (`next`, `s`, `fin`, `c`, `until 40`, `advance f`; `-exec n` when `n`
 *     is a variable) runs as the toolbar's would, announced by a `continued`
 *     event since the client did not ask; `run`, `kill`, `detach`, `file`
 *     and `target` stay refused (the editor owns the session).
 *   - after stepOut, frame 0's Locals start with "Return value": what the
 *     function returned (gdb's `finish` value), until the program runs.
 *   - attach and launch continue after configurationDone unless
 *     stopOnEntry is true; a coreFile launch reports a stop with reason
 *     "exception" at the trapping frame.
 *   - The Globals scope shows the variables of the frame's compilation
 *     unit, read by name in that frame (a local of the same name shadows).
 *   - Path mapping: sourceMap prefixes (DWARF path -> local path) both
 *     ways; a DWARF path still missing on disk is looked for by base name
 *     under sourceSearchPath (or cwd), depth <= 12, 50000 entries at most.
 */
#define _GNU_SOURCE
#include "wb_dap.h"

#include "wb_console.h"
#include "wb_disasm.h"
#include "wb_session.h"
#include "wdb/wasm_traps.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    MAX_READ_MEMORY = 1 << 20, /* readMemory answers at most 1 MiB */
    MAX_DISASM = 10000,        /* instructions per disassemble */
    MAX_WASM_VALUES = 4096,    /* Wasm locals / stack entries listed */
    MAX_CHILDREN_PAGE = 1000,  /* children per variables response */
    INDEXED_FROM = 100,        /* arrays this long are paged (indexed) */
    SEARCH_MAX_DEPTH = 12,
    SEARCH_MAX_ENTRIES = 50000,
};

/* ------------------------------------------------------------- types */

typedef struct msg {
    struct msg *next;
    size_t len;
    char text[]; /* NUL-terminated */
} msg;

typedef struct req {
    cJSON *root;
    int seq;
    const char *command;
    const cJSON *args; /* an object, never NULL (empty when absent) */
} req;

typedef enum ref_kind {
    REF_LOCALS,
    REF_ARGS,
    REF_GLOBALS,
    REF_WASM_LOCALS,
    REF_WASM_STACK,
    REF_VALUE,
} ref_kind;

/* A variablesReference: valid until the program is resumed. */
typedef struct ref {
    ref_kind kind;
    size_t frame;
    wb_value value;  /* REF_VALUE */
    char *eval_name; /* REF_VALUE: an expression for it, or NULL */
    char *display;   /* REF_VALUE: the name the client shows for it */
} ref;

typedef enum bp_kind { BPK_SOURCE, BPK_FUNCTION, BPK_INSTRUCTION, BPK_DATA } bp_kind;

/* The breakpoints one setXxxBreakpoints request owns (DAP replaces them
 * as a whole): per source path, and one set each for the other kinds. */
typedef struct bpset {
    bp_kind kind;
    char *key; /* the client's source path (BPK_SOURCE) or NULL */
    int *nums;
    size_t n, cap;
} bpset;

typedef struct path_pair {
    char *from, *to;
} path_pair;

typedef struct mapped {
    char *remote, *local;
} mapped;

typedef struct found_file {
    char *base, *path;
} found_file;

struct wb_dap {
    wb_dap_send_fn send;
    void *user;
    FILE *log;
    char *runtime_opt;

    pthread_mutex_t mu; /* the queue and `closing` */
    pthread_cond_t cv;
    msg *head, *tail;
    bool closing;
    bool busy; /* the session thread is handling a message */
    pthread_t thread;

    pthread_mutex_t send_mu; /* sends and seq */
    int seq;
    atomic_bool done;

    /* output reader */
    pthread_mutex_t out_mu;
    int out_fd[2];   /* read ends (stdout, stderr), -1 when closed */
    bool out_eof[2]; /* drained to EOF by the session thread */
    pthread_t out_thread;
    bool out_running;

    /* everything below: session thread only */
    wb_session *s;
    bool initialized;   /* initialize answered */
    bool lines1, cols1; /* client's line/column base */
    bool launched;      /* launch/attach succeeded */
    bool attached;
    bool is_core;
    bool configured; /* configurationDone answered */
    bool stop_on_entry;
    bool running; /* inside wb_session_resume */
    bool pause_req, internal_req;
    bool terminated_sent;
    bool exited;      /* the program ended (exited event sent) */
    unsigned reports; /* stopped/exited events sent so far */
    msg *deferred_head, *deferred_tail;

    char *program;
    char **args;
    char **rt_args;
    char *cwd;
    char *runtime;

    path_pair *maps;
    size_t nmaps, capmaps;
    char **search;
    size_t nsearch, capsearch;
    mapped *cache;
    size_t ncache, capcache;
    found_file *found;
    size_t nfound, capfound;
    bool searched;

    ref *refs;
    size_t nrefs, caprefs;

    bpset *sets;
    size_t nsets, capsets;

    uint32_t trap_mask; /* bit per trap kind (index in trap_kinds) */
    bool trap_all;
    bool have_trap; /* the current stop is a trap */
    /* what the function a stepOut left returned: shown first in Locals of
     * frame 0 until the program runs again (has_ret: a value; ret_type
     * alone: a value that cannot be read) */
    bool has_ret;
    wb_value ret;
    const wb_type *ret_type;
    char trap_kind[48];
    char trap_msg[220];
};

/* The trap kinds (wdb/wasm_traps.h) by the names the stub reports in
 * "trap: MESSAGE (NAME)", with their labels for the exception filters. */
static const struct {
    const char *id, *label;
} trap_kinds[] = {
#define X(id, name, message, label) {#name, label},
    WASM_TRAPS(X)
#undef X
};
#define NTRAPS (sizeof trap_kinds / sizeof trap_kinds[0])

/* ------------------------------------------------------------ sending */

static void send_msg(wb_dap *d, cJSON *m)
{
    if (!m) return;
    pthread_mutex_lock(&d->send_mu);
    cJSON_AddNumberToObject(m, "seq", ++d->seq);
    char *text = cJSON_PrintUnformatted(m);
    if (text) {
        if (d->log) {
            fprintf(d->log, "<-- %s\n", text);
            fflush(d->log);
        }
        d->send(d->user, text, strlen(text));
        free(text);
    }
    pthread_mutex_unlock(&d->send_mu);
    cJSON_Delete(m);
}

static void send_event(wb_dap *d, const char *event, cJSON *body)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "type", "event");
    cJSON_AddStringToObject(m, "event", event);
    if (body) cJSON_AddItemToObject(m, "body", body);
    send_msg(d, m);
}

static void respond(wb_dap *d, const req *r, cJSON *body)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "type", "response");
    cJSON_AddNumberToObject(m, "request_seq", r->seq);
    cJSON_AddBoolToObject(m, "success", 1);
    cJSON_AddStringToObject(m, "command", r->command ? r->command : "");
    if (body) cJSON_AddItemToObject(m, "body", body);
    send_msg(d, m);
}

static void respond_error(wb_dap *d, const req *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void respond_error(wb_dap *d, const req *r, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "type", "response");
    cJSON_AddNumberToObject(m, "request_seq", r->seq);
    cJSON_AddBoolToObject(m, "success", 0);
    cJSON_AddStringToObject(m, "command", r->command ? r->command : "");
    cJSON_AddStringToObject(m, "message", text);
    send_msg(d, m);
}

static void output(wb_dap *d, const char *category, const char *text)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "category", category);
    cJSON_AddStringToObject(b, "output", text);
    send_event(d, "output", b);
}

static void outputf(wb_dap *d, const char *category, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void outputf(wb_dap *d, const char *category, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    output(d, category, text);
}

/* ----------------------------------------------------------- arguments */

static const char *arg_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool arg_num(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v)) return false;
    *out = v->valuedouble;
    return true;
}

static long long arg_int(const cJSON *o, const char *key, long long dflt)
{
    double v;
    if (!arg_num(o, key, &v) || v != v) return dflt;
    if (v > 9e18) return (long long)9e18;
    if (v < -9e18) return (long long)-9e18;
    return (long long)v;
}

static bool arg_bool(const cJSON *o, const char *key, bool dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsBool(v)) return cJSON_IsTrue(v);
    return dflt;
}

/* "0x1f", "31": false for anything else. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s) return false;
    while (*s == ' ')
        s++;
    if (!*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end) return false;
    *out = v;
    return true;
}

static char fmt_of(const cJSON *args)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(args, "format");
    return arg_bool(f, "hex", false) ? 'x' : 0;
}

/* The strings of JSON array `a` (NULL: none) as a NULL-terminated vector
 * with room for `extra` more strings before its NULL. */
static char **str_array(const cJSON *a, size_t extra)
{
    size_t n = cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
    char **v = calloc(n + extra + 1, sizeof *v);
    if (!v) return NULL;
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, a) if (cJSON_IsString(it)) v[k++] = strdup(it->valuestring);
    return v;
}

static void str_array_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

/* --------------------------------------------------------- path mapping */

static bool file_exists(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

/* `prefix` starts `path` on a component boundary. */
static size_t prefix_len(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    while (n > 1 && prefix[n - 1] == '/')
        n--;
    if (n == 0 || strncmp(path, prefix, n) != 0) return 0;
    if (path[n] != 0 && path[n] != '/') return 0;
    return n;
}

static char *join_prefix(const char *to, const char *rest)
{
    size_t tl = strlen(to);
    while (tl > 1 && to[tl - 1] == '/')
        tl--;
    char *out = malloc(tl + strlen(rest) + 1);
    if (!out) return NULL;
    memcpy(out, to, tl);
    strcpy(out + tl, rest);
    return out;
}

static void map_add(wb_dap *d, const char *from, const char *to)
{
    if (!wb_grow((void **)&d->maps, &d->capmaps, d->nmaps + 1, sizeof *d->maps)) return;
    path_pair *x = d->maps;
    x[d->nmaps].from = strdup(from);
    x[d->nmaps].to = strdup(to);
    if (x[d->nmaps].from && x[d->nmaps].to) d->nmaps++;
}

static void search_dir(wb_dap *d, const char *dir, int depth)
{
    if (depth > SEARCH_MAX_DEPTH || d->nfound >= SEARCH_MAX_ENTRIES) return;
    DIR *dh = opendir(dir);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh)) && d->nfound < SEARCH_MAX_ENTRIES) {
        if (e->d_name[0] == '.') continue; /* ., .., .git and friends */
        if (strcmp(e->d_name, "node_modules") == 0) continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) break;
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            search_dir(d, p, depth + 1);
            free(p);
        } else if (S_ISREG(st.st_mode)) {
            if (!wb_grow((void **)&d->found, &d->capfound, d->nfound + 1, sizeof *d->found)) {
                free(p);
                break;
            }
            found_file *x = d->found;
            x[d->nfound].path = p;
            x[d->nfound].base = strdup(e->d_name);
            if (x[d->nfound].base)
                d->nfound++;
            else
                free(p);
        } else {
            free(p);
        }
    }
    closedir(dh);
}

/* A DWARF path as a path on this machine (never NULL unless out of
 * memory; the result lives as long as d's cache). */
static const char *to_local(wb_dap *d, const char *remote)
{
    for (size_t i = 0; i < d->ncache; i++)
        if (strcmp(d->cache[i].remote, remote) == 0) return d->cache[i].local;
    char *local = NULL;
    for (size_t i = 0; i < d->nmaps && !local; i++) {
        size_t n = prefix_len(remote, d->maps[i].from);
        if (n) local = join_prefix(d->maps[i].to, remote + n);
    }
    if (!local && remote[0] != '/' && d->cwd) {
        /* a relative DWARF path (no comp dir): relative to cwd */
        size_t len = strlen(d->cwd) + strlen(remote) + 2;
        char *p = malloc(len);
        if (p) snprintf(p, len, "%s/%s", d->cwd, remote);
        if (p && file_exists(p))
            local = p;
        else
            free(p);
    }
    if (!local) local = strdup(remote);
    if (local && !file_exists(local)) {
        if (!d->searched) {
            d->searched = true;
            for (size_t i = 0; i < d->nsearch; i++)
                search_dir(d, d->search[i], 0);
        }
        const char *b = base_name(remote);
        for (size_t i = 0; i < d->nfound; i++)
            if (strcmp(d->found[i].base, b) == 0) {
                free(local);
                local = strdup(d->found[i].path);
                break;
            }
    }
    if (!local) return NULL;
    char *r = strdup(remote);
    if (!r || !wb_grow((void **)&d->cache, &d->capcache, d->ncache + 1, sizeof *d->cache)) {
        free(r);
        free(local);
        return NULL;
    }
    mapped *x = d->cache;
    x[d->ncache].remote = r;
    x[d->ncache].local = local;
    d->ncache++;
    return local;
}

/* A client path as the DWARF names it (malloc'd): a known mapping back,
 * else the sourceMap reversed, else the one DWARF file with the same base
 * name, else the path itself (the session then matches by path suffix). */
static char *to_remote(wb_dap *d, const char *local)
{
    for (size_t i = 0; i < d->ncache; i++)
        if (strcmp(d->cache[i].local, local) == 0) return strdup(d->cache[i].remote);
    for (size_t i = 0; i < d->nmaps; i++) {
        size_t n = prefix_len(local, d->maps[i].to);
        if (n) return join_prefix(d->maps[i].from, local + n);
    }
    wb_dwarf *dw = d->s ? wb_session_dwarf(d->s) : NULL;
    const char *const *files;
    size_t n;
    wb_error e;
    const char *only = NULL;
    size_t same = 0;
    if (dw && wb_dwarf_source_files(dw, &files, &n, &e) == WB_OK)
        for (size_t i = 0; i < n; i++)
            if (strcmp(base_name(files[i]), base_name(local)) == 0) {
                only = files[i];
                same++;
            }
    /* a DWARF file still on disk is another file than this one */
    return strdup(same == 1 && !file_exists(only) ? only : local);
}

/* Maps every file the line tables name, so that breakpoints set on local
 * paths find their DWARF names (to_remote reads the cache). */
static void map_all_sources(wb_dap *d)
{
    wb_dwarf *dw = wb_session_dwarf(d->s);
    const char *const *files;
    size_t n;
    wb_error e;
    if (dw && wb_dwarf_source_files(dw, &files, &n, &e) == WB_OK)
        for (size_t i = 0; i < n; i++)
            to_local(d, files[i]);
}

static cJSON *source_json(wb_dap *d, const char *remote)
{
    const char *local = to_local(d, remote);
    if (!local) local = remote;
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "name", base_name(local));
    cJSON_AddStringToObject(s, "path", local);
    if (!file_exists(local)) {
        cJSON_AddStringToObject(s, "presentationHint", "deemphasize");
        cJSON_AddStringToObject(s, "origin", "not found on this machine");
    }
    return s;
}

/* ------------------------------------------------------ program output */

/* Reads what the pipes hold now and sends it; under out_mu. */
static void out_read_available(wb_dap *d)
{
    for (int i = 0; i < 2; i++) {
        while (d->out_fd[i] >= 0 && !d->out_eof[i]) {
            struct pollfd p = {d->out_fd[i], POLLIN, 0};
            if (poll(&p, 1, 0) <= 0) break;
            char buf[4097];
            ssize_t n = read(d->out_fd[i], buf, sizeof buf - 1);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                d->out_eof[i] = true;
                break;
            }
            /* JSON strings cannot carry NUL here (cJSON's C strings) */
            for (ssize_t k = 0; k < n; k++)
                if (!buf[k]) buf[k] = '?';
            buf[n] = 0;
            output(d, i == 0 ? "stdout" : "stderr", buf);
        }
    }
}

static void *out_main(void *u)
{
    wb_dap *d = u;
    for (;;) {
        struct pollfd p[2];
        int n = 0;
        pthread_mutex_lock(&d->out_mu);
        for (int i = 0; i < 2; i++) {
            if (d->out_fd[i] >= 0 && d->out_eof[i]) {
                close(d->out_fd[i]);
                d->out_fd[i] = -1;
            }
            if (d->out_fd[i] >= 0) p[n++] = (struct pollfd){d->out_fd[i], POLLIN, 0};
        }
        pthread_mutex_unlock(&d->out_mu);
        if (n == 0) break;
        /* only this thread closes the fds, so they stay valid here */
        if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR) break;
        pthread_mutex_lock(&d->out_mu);
        out_read_available(d);
        pthread_mutex_unlock(&d->out_mu);
    }
    return NULL;
}

static void out_drain(wb_dap *d)
{
    if (!d->out_running) return;
    pthread_mutex_lock(&d->out_mu);
    out_read_available(d);
    pthread_mutex_unlock(&d->out_mu);
}

/* Waits for the reader (the program has ended or been killed: the pipes
 * reach EOF). */
static void out_stop(wb_dap *d)
{
    if (!d->out_running) return;
    pthread_join(d->out_thread, NULL);
    d->out_running = false;
}

/* ------------------------------------------------------------ requests */

static void refs_clear(wb_dap *d)
{
    for (size_t i = 0; i < d->nrefs; i++) {
        if (d->refs[i].kind == REF_VALUE) wb_value_free(&d->refs[i].value);
        free(d->refs[i].eval_name);
        free(d->refs[i].display);
    }
    free(d->refs);
    d->refs = NULL;
    d->nrefs = d->caprefs = 0;
}

/* A new reference; takes `v` (REF_VALUE) and eval_name. 0 on failure. */
static int ref_new(wb_dap *d, ref_kind kind, size_t frame, wb_value *v, char *eval_name)
{
    if (d->nrefs >= INT32_MAX - 1 ||
        !wb_grow((void **)&d->refs, &d->caprefs, d->nrefs + 1, sizeof *d->refs)) {
        if (v) wb_value_free(v);
        free(eval_name);
        return 0;
    }
    ref *r = &d->refs[d->nrefs++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->frame = frame;
    if (v) r->value = *v;
    r->eval_name = eval_name;
    return (int)d->nrefs;
}

static ref *ref_get(wb_dap *d, long long id)
{
    if (id <= 0 || (unsigned long long)id > d->nrefs) return NULL;
    return &d->refs[id - 1];
}

static bool stopped(wb_dap *d)
{
    return d->s && !d->running && wb_session_state(d->s) == WB_PROC_STOPPED;
}

static bool need_stopped(wb_dap *d, const req *r)
{
    if (stopped(d)) return true;
    if (!d->s || !d->launched)
        respond_error(d, r, "There is no program: launch or attach first.");
    else if (d->running)
        respond_error(d, r, "The program is running: pause it first.");
    else
        respond_error(d, r, "The program is not being run.");
    return false;
}

/* The frame index of a frameId (index + 1); false with an error sent. */
static bool frame_arg(wb_dap *d, const req *r, size_t *frame)
{
    long long id = arg_int(r->args, "frameId", 0);
    if (id == 0) {
        *frame = 0;
        return true;
    }
    if (id < 0 || (unsigned long long)id > wb_session_frame_count(d->s)) {
        respond_error(d, r, "Unknown frameId %lld (frames change when the program runs).", id);
        return false;
    }
    *frame = (size_t)id - 1;
    return true;
}

/* frame_arg without an error response: frame 0 for a bad frameId */
static bool frame_arg_quiet(wb_dap *d, const req *r, size_t *frame)
{
    long long id = arg_int(r->args, "frameId", 0);
    *frame = id > 0 && (unsigned long long)id <= wb_session_frame_count(d->s) ? (size_t)id - 1 : 0;
    return true;
}

static uint32_t line_out(const wb_dap *d, uint32_t l)
{
    return d->lines1 ? l : l - (l > 0);
}
static uint32_t col_out(const wb_dap *d, uint32_t c)
{
    if (c == 0) c = 1;
    return d->cols1 ? c : c - 1;
}
static uint32_t line_in(const wb_dap *d, long long l)
{
    if (!d->lines1) l++;
    return l < 1 ? 1 : l > UINT32_MAX ? UINT32_MAX : (uint32_t)l;
}

/* -------------------------------------------------------- breakpoints */

static bpset *set_for(wb_dap *d, bp_kind kind, const char *key)
{
    for (size_t i = 0; i < d->nsets; i++)
        if (d->sets[i].kind == kind &&
            (!key || (d->sets[i].key && strcmp(d->sets[i].key, key) == 0)))
            return &d->sets[i];
    if (!wb_grow((void **)&d->sets, &d->capsets, d->nsets + 1, sizeof *d->sets)) return NULL;
    bpset *s = &d->sets[d->nsets];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->key = key ? strdup(key) : NULL;
    if (key && !s->key) return NULL;
    d->nsets++;
    return s;
}

static void set_clear(wb_dap *d, bpset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        wb_error e;
        if (d->s) wb_session_delete(d->s, s->nums[i], &e);
    }
    free(s->nums);
    s->nums = NULL;
    s->n = s->cap = 0;
}

static void set_add(bpset *s, int num)
{
    if (!wb_grow((void **)&s->nums, &s->cap, s->n + 1, sizeof *s->nums)) return;
    s->nums[s->n++] = num;
}

static bp_kind kind_of_bp(const wb_dap *d, int num)
{
    for (size_t i = 0; i < d->nsets; i++)
        for (size_t k = 0; k < d->sets[i].n; k++)
            if (d->sets[i].nums[k] == num) return d->sets[i].kind;
    return BPK_SOURCE;
}

/* hitCondition as an ignore count (see the file comment). */
static bool parse_hit(const char *s, unsigned *ignore)
{
    while (*s == ' ')
        s++;
    int base = 0; /* "N": ignore N */
    if (s[0] == '>' && s[1] == '=') {
        base = -1;
        s += 2;
    } else if (s[0] == '>') {
        s++;
    }
    while (*s == ' ')
        s++;
    char *end;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (end == s || errno || n > 1000000000UL) return false;
    while (*end == ' ')
        end++;
    if (*end || *s == '-') return false;
    if (base < 0 && n == 0) n = 1;
    *ignore = (unsigned)(n + (unsigned long)(long)base);
    return true;
}

/* Condition, hit condition and log message of a new breakpoint. On
 * failure deletes it and says why in `why`. */
static bool bp_options(wb_dap *d, int num, const cJSON *bp, char *why, size_t cap)
{
    wb_error e;
    const char *cond = arg_str(bp, "condition");
    const char *hit = arg_str(bp, "hitCondition");
    const char *logm = arg_str(bp, "logMessage");
    if (cond && *cond && wb_session_condition(d->s, num, cond, &e) != WB_OK) {
        snprintf(why, cap, "%s", e.msg);
        goto fail;
    }
    if (hit && *hit) {
        unsigned ign;
        if (!parse_hit(hit, &ign)) {
            snprintf(why, cap,
                     "hit condition '%s' not understood: use N (ignore N hits), "
                     ">= N or > N",
                     hit);
            goto fail;
        }
        if (wb_session_ignore(d->s, num, ign, &e) != WB_OK) {
            snprintf(why, cap, "%s", e.msg);
            goto fail;
        }
    }
    if (logm && *logm && wb_session_set_log_message(d->s, num, logm, &e) != WB_OK) {
        snprintf(why, cap, "%s", e.msg);
        goto fail;
    }
    return true;
fail:
    wb_session_delete(d->s, num, &e);
    return false;
}

static cJSON *bp_json(wb_dap *d, const wb_bp *b, bool with_source)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", b->number);
    cJSON_AddBoolToObject(o, "verified", 1);
    if (b->nlocs) {
        if (b->locs[0].file && with_source) {
            cJSON_AddItemToObject(o, "source", source_json(d, b->locs[0].file));
        }
        if (b->locs[0].line) cJSON_AddNumberToObject(o, "line", line_out(d, b->locs[0].line));
        char iref[24];
        snprintf(iref, sizeof iref, "0x%x", b->locs[0].addr);
        cJSON_AddStringToObject(o, "instructionReference", iref);
    }
    return o;
}

static cJSON *bp_failed(const char *message, long long line)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "verified", 0);
    cJSON_AddStringToObject(o, "message", message);
    if (line > 0) cJSON_AddNumberToObject(o, "line", (double)line);
    return o;
}

static bool need_session(wb_dap *d, const req *r)
{
    if (d->s) return true;
    respond_error(d, r, "There is no program: launch or attach first.");
    return false;
}

static void req_set_breakpoints(wb_dap *d, const req *r)
{
    if (!need_session(d, r)) return;
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(r->args, "source");
    const char *path = arg_str(src, "path");
    if (!path) {
        respond_error(d, r,
                      "setBreakpoints needs source.path (sources without a path are not "
                      "supported)");
        return;
    }
    bpset *set = set_for(d, BPK_SOURCE, path);
    if (!set) {
        respond_error(d, r, "out of memory");
        return;
    }
    set_clear(d, set);
    char *remote = to_remote(d, path);
    cJSON *list = cJSON_CreateArray();
    cJSON *moved = cJSON_CreateArray();
    const cJSON *bps = cJSON_GetObjectItemCaseSensitive(r->args, "breakpoints");
    const cJSON *bp;
    cJSON_ArrayForEach(bp, bps)
    {
        long long asked = arg_int(bp, "line", 0);
        uint32_t line = line_in(d, asked);
        size_t len = strlen(remote ? remote : path) + 16;
        char *spec = malloc(len);
        if (!spec) break;
        snprintf(spec, len, "%s:%u", remote ? remote : path, line);
        const wb_bp *b;
        wb_error e;
        char why[300];
        if (wb_session_break(d->s, spec, NULL, false, &b, &e) != WB_OK) {
            cJSON_AddItemToArray(list, bp_failed(e.msg, asked));
        } else {
            int num = b->number;
            if (!bp_options(d, num, bp, why, sizeof why)) {
                cJSON_AddItemToArray(list, bp_failed(why, asked));
            } else {
                set_add(set, num);
                cJSON_AddItemToArray(list, bp_json(d, b, true));
                if (b->nlocs && b->locs[0].line && b->locs[0].line != line)
                    cJSON_AddItemToArray(moved, bp_json(d, b, true));
            }
        }
        free(spec);
    }
    free(remote);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "breakpoints", list);
    respond(d, r, body);
    /* tell the client where the moved ones went, as an event too (its
     * editor updates the gutter from these as well) */
    cJSON *it;
    cJSON_ArrayForEach(it, moved)
    {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "reason", "changed");
        cJSON_AddItemToObject(b, "breakpoint", cJSON_Duplicate(it, 1));
        send_event(d, "breakpoint", b);
    }
    cJSON_Delete(moved);
}

/* setFunctionBreakpoints and setInstructionBreakpoints. */
static void set_spec_breakpoints(wb_dap *d, const req *r, bp_kind kind)
{
    if (!need_session(d, r)) return;
    bpset *set = set_for(d, kind, NULL);
    if (!set) {
        respond_error(d, r, "out of memory");
        return;
    }
    set_clear(d, set);
    cJSON *list = cJSON_CreateArray();
    const cJSON *bp;
    cJSON_ArrayForEach(bp, cJSON_GetObjectItemCaseSensitive(r->args, "breakpoints"))
    {
        char spec[512];
        if (kind == BPK_FUNCTION) {
            const char *name = arg_str(bp, "name");
            if (!name || !*name) {
                cJSON_AddItemToArray(list, bp_failed("a function breakpoint needs a name", 0));
                continue;
            }
            snprintf(spec, sizeof spec, "%s", name);
        } else {
            uint64_t a;
            if (!parse_u64(arg_str(bp, "instructionReference"), &a)) {
                cJSON_AddItemToArray(list, bp_failed("instructionReference must be a code "
                                                     "offset (\"0x...\")",
                                                     0));
                continue;
            }
            a += (uint64_t)arg_int(bp, "offset", 0);
            if (a > UINT32_MAX) {
                cJSON_AddItemToArray(list, bp_failed("address outside the code", 0));
                continue;
            }
            snprintf(spec, sizeof spec, "*0x%" PRIx64, a);
        }
        const wb_bp *b;
        wb_error e;
        char why[300];
        if (wb_session_break(d->s, spec, NULL, false, &b, &e) != WB_OK) {
            cJSON_AddItemToArray(list, bp_failed(e.msg, 0));
        } else {
            int num = b->number;
            if (!bp_options(d, num, bp, why, sizeof why)) {
                cJSON_AddItemToArray(list, bp_failed(why, 0));
            } else {
                set_add(set, num);
                cJSON_AddItemToArray(list, bp_json(d, b, true));
            }
        }
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "breakpoints", list);
    respond(d, r, body);
}

static void req_set_function_breakpoints(wb_dap *d, const req *r)
{
    set_spec_breakpoints(d, r, BPK_FUNCTION);
}

static void req_set_instruction_breakpoints(wb_dap *d, const req *r)
{
    set_spec_breakpoints(d, r, BPK_INSTRUCTION);
}

static void req_set_exception_breakpoints(wb_dap *d, const req *r)
{
    d->trap_mask = 0;
    d->trap_all = false;
    cJSON *list = cJSON_CreateArray();
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(r->args, "filters"))
    {
        bool known = false;
        if (cJSON_IsString(f) && strcmp(f->valuestring, "all") == 0) {
            d->trap_all = true;
            known = true;
        }
        for (size_t i = 0; i < NTRAPS && cJSON_IsString(f); i++)
            if (strcmp(f->valuestring, trap_kinds[i].id) == 0) {
                d->trap_mask |= 1u << i;
                known = true;
            }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "verified", known);
        if (!known) cJSON_AddStringToObject(o, "message", "unknown exception filter");
        cJSON_AddItemToArray(list, o);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "breakpoints", list);
    respond(d, r, body);
}

/* ------------------------------------------------------------ values */

static bool expandable(const wb_value *v, const wb_eval_env *env, size_t *total)
{
    *total = 0;
    if (v->kind == WB_VAL_OPTIMIZED) return false;
    const wb_type *t = wb_type_strip(v->type);
    if (!t) return false;
    if (t->kind == WB_TYPE_POINTER) {
        int64_t p = 0;
        wb_error e;
        if (wb_value_as_i64(v, &p, &e) != WB_OK || p == 0) return false;
    }
    wb_value *kids;
    char **names;
    size_t n;
    wb_error e;
    if (wb_value_children(v, env, 0, 0, &kids, &names, &n, total, &e) != WB_OK) return false;
    return *total > 0;
}

/* An expression for child `name` of the value `parent` shows. */
static char *child_expr(const char *parent, const char *name)
{
    if (!parent || name[0] == '<') return NULL; /* base classes: no syntax */
    bool simple = true;
    for (const char *p = parent; *p; p++)
        if (!(p[0] == '_' || p[0] == '.' || p[0] == '[' || p[0] == ']' ||
              (p[0] >= '0' && p[0] <= '9') || (p[0] >= 'a' && p[0] <= 'z') ||
              (p[0] >= 'A' && p[0] <= 'Z') || (p[0] == '-' && p[1] == '>') ||
              (p[0] == '>' && p > parent && p[-1] == '-')))
            simple = false;
    size_t len = strlen(parent) + strlen(name) + 8;
    char *out = malloc(len);
    if (!out) return NULL;
    const char *lp = simple ? "" : "(", *rp = simple ? "" : ")";
    if (name[0] == '[')
        snprintf(out, len, "%s%s%s%s", lp, parent, rp, name);
    else if (name[0] == '*')
        snprintf(out, len, "*%s%s%s", lp, parent, rp);
    else
        snprintf(out, len, "%s%s%s.%s", lp, parent, rp, name);
    return out;
}

static void add_memory_reference(cJSON *o, const wb_value *v)
{
    char buf[24];
    const wb_type *t = wb_type_strip(v->type);
    int64_t p;
    wb_error e;
    if (t && t->kind == WB_TYPE_POINTER && wb_value_as_i64(v, &p, &e) == WB_OK) {
        snprintf(buf, sizeof buf, "0x%" PRIx64, (uint64_t)p & 0xffffffffu);
        cJSON_AddStringToObject(o, "memoryReference", buf);
    } else if (v->kind == WB_VAL_MEMORY) {
        snprintf(buf, sizeof buf, "0x%" PRIx64, v->addr);
        cJSON_AddStringToObject(o, "memoryReference", buf);
    }
}

/* Fills `o` with value, type, variablesReference (and paging counts) of
 * v. Takes v. `value_key` is "value" (variables) or "result" (evaluate). */
static void describe_value(wb_dap *d, cJSON *o, const char *value_key, size_t frame, wb_value *v,
                           char *eval_name, const char *display, char fmt, bool full)
{
    const wb_eval_env *env = wb_session_env(d->s, frame);
    char *text = full ? wb_value_format(v, env, fmt) : wb_value_summary(v, env, fmt);
    cJSON_AddStringToObject(o, value_key, text ? text : "?");
    free(text);
    char tbuf[512];
    wb_type_spell(v->type, NULL, tbuf, sizeof tbuf);
    cJSON_AddStringToObject(o, "type", tbuf);
    if (eval_name) cJSON_AddStringToObject(o, "evaluateName", eval_name);
    add_memory_reference(o, v);
    size_t total;
    int id = 0;
    if (expandable(v, wb_session_env(d->s, frame), &total)) {
        const wb_type *t = wb_type_strip(v->type);
        if (t && t->kind == WB_TYPE_ARRAY && total >= INDEXED_FROM)
            cJSON_AddNumberToObject(o, "indexedVariables", (double)total);
        id = ref_new(d, REF_VALUE, frame, v, eval_name);
        if (id && display) d->refs[id - 1].display = strdup(display);
    } else {
        wb_value_free(v);
        free(eval_name);
    }
    cJSON_AddNumberToObject(o, "variablesReference", id);
}

static cJSON *var_json(wb_dap *d, size_t frame, const char *name, wb_value *v, char *eval_name,
                       char fmt)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", name);
    describe_value(d, o, "value", frame, v, eval_name, name, fmt, false);
    return o;
}

static cJSON *var_text(const char *name, const char *value)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", name);
    cJSON_AddStringToObject(o, "value", value);
    cJSON_AddNumberToObject(o, "variablesReference", 0);
    return o;
}

/* Forgets the return value shown in Locals (the program runs again). */
static void ret_clear(wb_dap *d)
{
    if (d->has_ret) wb_value_free(&d->ret);
    d->has_ret = false;
    d->ret_type = NULL;
}

static void list_frame_vars(wb_dap *d, cJSON *list, size_t frame, bool args, char fmt)
{
    if (frame == 0 && !args && d->has_ret) {
        wb_value copy;
        wb_error ce;
        if (wb_value_copy(&copy, &d->ret, &ce) == WB_OK)
            cJSON_AddItemToArray(list, var_json(d, 0, "Return value", &copy, NULL, fmt));
    } else if (frame == 0 && !args && d->ret_type) {
        char tn[200], text[260];
        wb_type_spell(d->ret_type, NULL, tn, sizeof tn);
        snprintf(text, sizeof text, "<%s: cannot determine contents>", tn);
        cJSON_AddItemToArray(list, var_text("Return value", text));
    }
    wb_named_value *v = NULL;
    size_t n = 0;
    wb_error e;
    if (wb_session_frame_vars(d->s, frame, args, &v, &n, &e) != WB_OK) {
        cJSON_AddItemToArray(list, var_text("<error>", e.msg));
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (v[i].error.msg[0]) {
            char text[300];
            snprintf(text, sizeof text, "<error: %s>", v[i].error.msg);
            cJSON_AddItemToArray(list, var_text(v[i].name, text));
            continue;
        }
        wb_value copy;
        wb_error ce;
        if (wb_value_copy(&copy, &v[i].value, &ce) != WB_OK) {
            cJSON_AddItemToArray(list, var_text(v[i].name, ce.msg));
            continue;
        }
        cJSON_AddItemToArray(list, var_json(d, frame, v[i].name, &copy, strdup(v[i].name), fmt));
    }
    wb_session_vars_free(v, n);
}

static void list_globals(wb_dap *d, cJSON *list, size_t frame, char fmt)
{
    wb_dwarf *dw = wb_session_dwarf(d->s);
    const wb_frame *f = wb_session_frame(d->s, frame);
    const wb_var *const *vars;
    size_t n;
    wb_error e;
    if (!dw || !f || wb_dwarf_unit_globals(dw, f->lookup_pc, &vars, &n, &e) != WB_OK) return;
    for (size_t i = 0; i < n; i++) {
        if (!vars[i]->name) continue;
        wb_value v;
        if (wb_session_eval(d->s, frame, vars[i]->name, &v, &e) != WB_OK) {
            cJSON_AddItemToArray(list, var_text(vars[i]->name, e.msg));
            continue;
        }
        cJSON_AddItemToArray(list,
                             var_json(d, frame, vars[i]->name, &v, strdup(vars[i]->name), fmt));
    }
}

static void list_wasm_values(wb_dap *d, cJSON *list, size_t frame, bool stack, char fmt)
{
    const wb_frame *f = wb_session_frame(d->s, frame);
    if (!f) return;
    for (uint32_t i = 0; i < MAX_WASM_VALUES; i++) {
        uint8_t b[16];
        size_t len = 0;
        if (wb_session_wasm_bytes(d->s, stack ? "StackValue" : "Local", f->phys, i, b, &len,
                                  NULL) != WB_OK)
            break;
        char name[32], text[48];
        snprintf(name, sizeof name, stack ? "[%u]" : "local %u", i);
        if (len == 16) { /* a v128: as gdb shows a vector */
            char *vec = wb_value_format_v128(b, fmt);
            cJSON_AddItemToArray(list, var_text(name, vec ? vec : "<out of memory>"));
            free(vec);
            continue;
        }
        uint64_t v = 0;
        for (size_t k = len < 8 ? len : 8; k-- > 0;)
            v = v << 8 | b[k];
        if (fmt == 'x')
            snprintf(text, sizeof text, "0x%" PRIx64, v);
        else
            snprintf(text, sizeof text, "%" PRIu64 " (0x%" PRIx64 ")", v, v);
        cJSON_AddItemToArray(list, var_text(name, text));
    }
}

static void req_variables(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    ref *x = ref_get(d, arg_int(r->args, "variablesReference", 0));
    if (!x) {
        respond_error(d, r,
                      "Unknown variablesReference (references end when the program "
                      "runs).");
        return;
    }
    char fmt = fmt_of(r->args);
    cJSON *list = cJSON_CreateArray();
    size_t frame = x->frame;
    switch (x->kind) {
    case REF_LOCALS: list_frame_vars(d, list, frame, false, fmt); break;
    case REF_ARGS: list_frame_vars(d, list, frame, true, fmt); break;
    case REF_GLOBALS: list_globals(d, list, frame, fmt); break;
    case REF_WASM_LOCALS: list_wasm_values(d, list, frame, false, fmt); break;
    case REF_WASM_STACK: list_wasm_values(d, list, frame, true, fmt); break;
    case REF_VALUE: {
        long long start = arg_int(r->args, "start", 0);
        long long count = arg_int(r->args, "count", 0);
        if (start < 0) start = 0;
        if (count <= 0 || count > MAX_CHILDREN_PAGE) count = MAX_CHILDREN_PAGE;
        wb_value *kids;
        char **names;
        size_t n, total;
        wb_error e;
        /* copy what we need: ref_new below may move d->refs */
        wb_value parent;
        if (wb_value_copy(&parent, &x->value, &e) != WB_OK) {
            cJSON_Delete(list);
            respond_error(d, r, "%s", e.msg);
            return;
        }
        char *pname = x->eval_name ? strdup(x->eval_name) : NULL;
        char *pdisplay = strdup(x->display ? x->display : "p");
        if (wb_value_children(&parent, wb_session_env(d->s, frame), (size_t)start, (size_t)count,
                              &kids, &names, &n, &total, &e) != WB_OK) {
            cJSON_AddItemToArray(list, var_text("<error>", e.msg));
            n = 0;
            kids = NULL;
            names = NULL;
        }
        for (size_t i = 0; i < n; i++) {
            /* the pointee is named after the pointer ("*it"), not "*p" */
            char *shown = NULL;
            if (names[i][0] == '*' && pdisplay && asprintf(&shown, "*%s", pdisplay) < 0)
                shown = NULL;
            cJSON_AddItemToArray(list, var_json(d, frame, shown ? shown : names[i], &kids[i],
                                                child_expr(pname, names[i]), fmt));
            free(shown);
            free(names[i]);
        }
        free(kids);
        free(names);
        free(pname);
        free(pdisplay);
        wb_value_free(&parent);
        break;
    }
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "variables", list);
    respond(d, r, body);
}

static void req_scopes(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    size_t frame;
    if (!frame_arg(d, r, &frame)) return;
    const wb_frame *f = wb_session_frame(d->s, frame);
    if (!f) {
        respond_error(d, r, "No stack.");
        return;
    }
    cJSON *list = cJSON_CreateArray();
    struct {
        const char *name, *hint;
        ref_kind kind;
        bool on;
    } scopes[] = {
        {"Locals", "locals", REF_LOCALS, f->fn != NULL},
        {"Arguments", "arguments", REF_ARGS, f->fn != NULL},
        {"Globals", NULL, REF_GLOBALS, f->fn != NULL},
        {"Wasm locals", "locals", REF_WASM_LOCALS, f->fn == NULL},
        {"Wasm operand stack", NULL, REF_WASM_STACK, f->fn == NULL},
    };
    for (size_t i = 0; i < sizeof scopes / sizeof scopes[0]; i++) {
        if (!scopes[i].on) continue;
        int id = ref_new(d, scopes[i].kind, frame, NULL, NULL);
        if (!id) continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", scopes[i].name);
        if (scopes[i].hint) cJSON_AddStringToObject(o, "presentationHint", scopes[i].hint);
        cJSON_AddNumberToObject(o, "variablesReference", id);
        cJSON_AddBoolToObject(o, "expensive", scopes[i].kind == REF_GLOBALS);
        if (f->file && scopes[i].kind != REF_GLOBALS) {
            cJSON_AddItemToObject(o, "source", source_json(d, f->file));
            cJSON_AddNumberToObject(o, "line", line_out(d, f->line));
        }
        cJSON_AddItemToArray(list, o);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "scopes", list);
    respond(d, r, body);
}

/* The expression that names variable `name` of reference x. */
static char *named_expr(ref *x, const char *name)
{
    if (x->kind == REF_VALUE) return child_expr(x->eval_name, name);
    if (x->kind == REF_WASM_LOCALS || x->kind == REF_WASM_STACK) return NULL;
    return strdup(name);
}

static void req_set_variable(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    ref *x = ref_get(d, arg_int(r->args, "variablesReference", 0));
    const char *name = arg_str(r->args, "name");
    const char *value = arg_str(r->args, "value");
    if (!x || !name || !value) {
        respond_error(d, r, "setVariable needs a known variablesReference, name and value");
        return;
    }
    size_t frame = x->frame;
    char *lhs = named_expr(x, name);
    if (!lhs) {
        respond_error(d, r, "%s cannot be set from here (no expression names it)", name);
        return;
    }
    size_t len = strlen(lhs) + strlen(value) + 8;
    char *expr = malloc(len);
    if (!expr) {
        free(lhs);
        return;
    }
    snprintf(expr, len, "%s = %s", lhs, value);
    wb_value v;
    wb_error e;
    wb_status st = wb_session_eval(d->s, frame, expr, &v, &e);
    free(expr);
    if (st != WB_OK) {
        free(lhs);
        respond_error(d, r, "%s", e.msg);
        return;
    }
    wb_value_free(&v);
    /* read it back: the new value as the program now has it */
    if (wb_session_eval(d->s, frame, lhs, &v, &e) != WB_OK) {
        free(lhs);
        respond_error(d, r, "%s", e.msg);
        return;
    }
    cJSON *body = cJSON_CreateObject();
    describe_value(d, body, "value", frame, &v, lhs, name, fmt_of(r->args), false);
    respond(d, r, body);
}

static void console_run(wb_dap *d, const req *r, wb_run how, bool reverse, const char *where);

/* Whether a console line that looks like a command is an expression in
 * the request's frame instead (a variable `x`, `n` or `c`): only a stopped
 * program can tell. */
static bool evaluates(wb_dap *d, const req *r, const char *expr)
{
    wb_value probe;
    wb_error pe;
    size_t pf = 0;
    if (!stopped(d)) return false;
    frame_arg_quiet(d, r, &pf);
    if (wb_session_eval(d->s, pf, expr, &probe, &pe) != WB_OK) return false;
    wb_value_free(&probe);
    return true;
}

/* Runs a gdb-style command line in frame `frame` of the session: its
 * output and error lines together (malloc'd; NULL when out of memory).
 * Each line gets a console of its own over the session (what gdb keeps
 * beside it, displays, `list`'s place, settings, does not carry over), run
 * with from_tty off. */
static char *console_line(wb_dap *d, size_t frame, const char *line)
{
    wb_console_opts o = {.embedded = true, .session = d->s, .frame = frame};
    wb_console *c = wb_console_new(&o);
    if (!c) return NULL;
    char *text = NULL;
    wb_error err;
    wb_console_capture(c, line, false, &text, &err); /* a failure is in the text */
    wb_console_free(c);
    return text;
}

static void req_evaluate(wb_dap *d, const req *r)
{
    const char *expr = arg_str(r->args, "expression");
    const char *ctx = arg_str(r->args, "context");
    if (!expr) {
        respond_error(d, r, "evaluate needs an expression");
        return;
    }
    bool repl = ctx && strcmp(ctx, "repl") == 0;
    char fmt = fmt_of(r->args);
    while (*expr == ' ')
        expr++;
    if (repl) {
        bool forced = strncmp(expr, "-exec", 5) == 0 && (expr[5] == ' ' || !expr[5]);
        if (forced) {
            expr += 5;
            while (*expr == ' ')
                expr++;
        }
        /* run control (`next`, `c`, `until 40`): unless it is an
         * expression (a variable `n` or `c`: `-exec n` forces the command) */
        wb_run how = WB_RUN_CONTINUE;
        bool reverse = false;
        char *where = NULL;
        wb_error err;
        wb_status st = wb_console_run_control(expr, &how, &reverse, &where, &err);
        if (st != WB_NOT_FOUND && !forced && evaluates(d, r, expr)) {
            free(where);
            st = WB_NOT_FOUND;
        }
        if (st == WB_ERROR) {
            respond_error(d, r, "%s", err.msg);
            return;
        }
        if (st == WB_OK) {
            console_run(d, r, how, reverse, where);
            free(where);
            return;
        }
        /* gdb's print: "p EXPR", "print EXPR", "p/x EXPR" */
        size_t w = strcspn(expr, " /");
        bool printed = false;
        if (!forced && ((w == 1 && expr[0] == 'p') || (w == 5 && strncmp(expr, "print", 5) == 0))) {
            printed = true;
            const char *p = expr + w;
            if (*p == '/') {
                if (!p[1] || !strchr("xduotcfaszr", p[1]) || (p[2] && p[2] != ' ')) {
                    respond_error(d, r, "Undefined output format \"%c\".", p[1] ? p[1] : ' ');
                    return;
                }
                fmt = p[1];
                p += 2;
            }
            if (*p == ' ' || !*p) {
                while (*p == ' ')
                    p++;
                expr = *p ? p : "$";
            }
        }
        /* a wdb command: `-exec CMD` always; otherwise a line whose first
         * word is a command and that is not an expression (`bt`, `info
         * locals`, `x/4x &a`; but `x` alone is the variable x) */
        if (!printed && (forced || wb_console_is_command(expr))) {
            if (forced || !evaluates(d, r, expr)) {
                size_t cf = 0;
                if (stopped(d)) frame_arg_quiet(d, r, &cf);
                char *text = console_line(d, cf, expr);
                if (!text) {
                    respond_error(d, r, "out of memory");
                    return;
                }
                size_t n = strlen(text);
                while (n && text[n - 1] == '\n')
                    text[--n] = 0;
                cJSON *body = cJSON_CreateObject();
                cJSON_AddStringToObject(body, "result", text);
                cJSON_AddNumberToObject(body, "variablesReference", 0);
                free(text);
                respond(d, r, body);
                return;
            }
        }
    }
    if (!need_stopped(d, r)) return;
    size_t frame;
    if (!frame_arg(d, r, &frame)) return;
    wb_value v;
    wb_error e;
    if (wb_session_eval(d->s, frame, expr, &v, &e) != WB_OK) {
        respond_error(d, r, "%s", e.msg);
        return;
    }
    if (repl) wb_session_record(d->s, &v);
    cJSON *body = cJSON_CreateObject();
    describe_value(d, body, "result", frame, &v, strdup(expr), expr, fmt,
                   repl || (ctx && strcmp(ctx, "clipboard") == 0));
    respond(d, r, body);
}

/* ---------------------------------------------------------- data bps */

static void req_data_breakpoint_info(wb_dap *d, const req *r)
{
    const char *name = arg_str(r->args, "name");
    cJSON *body = cJSON_CreateObject();
    if (!name || !stopped(d)) {
        cJSON_AddNullToObject(body, "dataId");
        cJSON_AddStringToObject(body, "description",
                                !name ? "no name given"
                                      : "data breakpoints can be set while the program is stopped");
        respond(d, r, body);
        return;
    }
    long long vr = arg_int(r->args, "variablesReference", 0);
    size_t frame = 0;
    char *expr = NULL;
    if (vr) {
        ref *x = ref_get(d, vr);
        if (x) {
            frame = x->frame;
            expr = named_expr(x, name);
        }
    } else {
        long long id = arg_int(r->args, "frameId", 0);
        if (id > 0 && (unsigned long long)id <= wb_session_frame_count(d->s))
            frame = (size_t)id - 1;
        expr = strdup(name);
    }
    wb_value v;
    wb_error e;
    if (!expr) {
        cJSON_AddNullToObject(body, "dataId");
        cJSON_AddStringToObject(body, "description", "no expression names this variable");
    } else if (wb_session_eval(d->s, frame, expr, &v, &e) != WB_OK) {
        cJSON_AddNullToObject(body, "dataId");
        cJSON_AddStringToObject(body, "description", e.msg);
    } else {
        if (v.kind != WB_VAL_MEMORY || v.size == 0 || v.size > 8) {
            cJSON_AddNullToObject(body, "dataId");
            cJSON_AddStringToObject(body, "description",
                                    v.kind != WB_VAL_MEMORY
                                        ? "not in linear memory (a Wasm local or a computed "
                                          "value): cannot be watched"
                                        : "only 1 to 8 bytes can be watched");
        } else {
            size_t len = strlen(expr) + 24;
            char *id = malloc(len);
            if (id) {
                snprintf(id, len, "%zu:%s", frame, expr);
                cJSON_AddStringToObject(body, "dataId", id);
                free(id);
            }
            cJSON_AddStringToObject(body, "description", expr);
            cJSON *acc = cJSON_CreateArray();
            cJSON_AddItemToArray(acc, cJSON_CreateString("write"));
            cJSON_AddItemToArray(acc, cJSON_CreateString("read"));
            cJSON_AddItemToArray(acc, cJSON_CreateString("readWrite"));
            cJSON_AddItemToObject(body, "accessTypes", acc);
            cJSON_AddBoolToObject(body, "canPersist", 0);
        }
        wb_value_free(&v);
    }
    free(expr);
    respond(d, r, body);
}

static void req_set_data_breakpoints(wb_dap *d, const req *r)
{
    if (!need_session(d, r)) return;
    bpset *set = set_for(d, BPK_DATA, NULL);
    if (!set) {
        respond_error(d, r, "out of memory");
        return;
    }
    set_clear(d, set);
    cJSON *list = cJSON_CreateArray();
    const cJSON *bp;
    cJSON_ArrayForEach(bp, cJSON_GetObjectItemCaseSensitive(r->args, "breakpoints"))
    {
        const char *id = arg_str(bp, "dataId");
        const char *acc = arg_str(bp, "accessType");
        char *colon = id ? strchr(id, ':') : NULL;
        uint64_t frame;
        if (!colon || !stopped(d)) {
            cJSON_AddItemToArray(
                list, bp_failed(!colon ? "unknown dataId"
                                       : "data breakpoints can be set while the program is stopped",
                                0));
            continue;
        }
        char *fs = strndup(id, (size_t)(colon - id));
        bool ok = fs && parse_u64(fs, &frame);
        free(fs);
        if (!ok) {
            cJSON_AddItemToArray(list, bp_failed("unknown dataId", 0));
            continue;
        }
        wb_bp_type type = !acc || strcmp(acc, "write") == 0 ? WB_BP_WATCH
                          : strcmp(acc, "read") == 0        ? WB_BP_RWATCH
                                                            : WB_BP_AWATCH;
        const wb_bp *b;
        wb_error e;
        char why[300];
        if (wb_session_watch(d->s, type, colon + 1, (size_t)frame, &b, &e) != WB_OK) {
            cJSON_AddItemToArray(list, bp_failed(e.msg, 0));
            continue;
        }
        int num = b->number;
        if (!bp_options(d, num, bp, why, sizeof why)) {
            cJSON_AddItemToArray(list, bp_failed(why, 0));
            continue;
        }
        set_add(set, num);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", num);
        cJSON_AddBoolToObject(o, "verified", 1);
        cJSON_AddItemToArray(list, o);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "breakpoints", list);
    respond(d, r, body);
}

/* ------------------------------------------------------------- memory */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(const uint8_t *p, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (!out) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        out[k++] = b64[v >> 18 & 63];
        out[k++] = b64[v >> 12 & 63];
        out[k++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
        out[k++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[k] = 0;
    return out;
}

/* false for anything that is not base64 (whitespace is skipped). */
static bool base64_decode(const char *s, uint8_t **out, size_t *n)
{
    size_t len = strlen(s);
    uint8_t *buf = malloc(len / 4 * 3 + 3);
    if (!buf) return false;
    uint32_t acc = 0;
    int bits = 0;
    size_t k = 0;
    bool pad = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') continue;
        if (*p == '=') {
            pad = true;
            continue;
        }
        const char *q = strchr(b64, *p);
        if (!q || pad) {
            free(buf);
            return false;
        }
        acc = acc << 6 | (uint32_t)(q - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[k++] = (uint8_t)(acc >> bits);
        }
    }
    *out = buf;
    *n = k;
    return true;
}

static bool memory_address(wb_dap *d, const req *r, uint64_t *addr)
{
    uint64_t base;
    if (!parse_u64(arg_str(r->args, "memoryReference"), &base)) {
        respond_error(d, r, "memoryReference must be a linear memory address (\"0x...\")");
        return false;
    }
    long long off = arg_int(r->args, "offset", 0);
    /* 0xffff...ff + 0x10 wraps around 2^64 to 0xf: refused, as is any sum
     * outside memory (docs/SECURITY.md) */
    uint64_t mag = off < 0 ? (uint64_t)0 - (uint64_t)off : (uint64_t)off;
    if ((off < 0 && mag > base) || (off >= 0 && base > UINT64_MAX - mag) ||
        (off < 0 ? base - mag : base + mag) > UINT32_MAX) {
        respond_error(d, r, "address outside the 32-bit linear memory");
        return false;
    }
    *addr = off < 0 ? base - mag : base + mag;
    return true;
}

static void req_read_memory(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    uint64_t addr;
    if (!memory_address(d, r, &addr)) return;
    long long count = arg_int(r->args, "count", 0);
    if (count < 0) count = 0;
    if (count > MAX_READ_MEMORY) count = MAX_READ_MEMORY;
    if ((uint64_t)count > (uint64_t)UINT32_MAX + 1 - addr)
        count = (long long)(UINT32_MAX - addr + 1);
    uint8_t *buf = malloc((size_t)count + 1);
    if (!buf) {
        respond_error(d, r, "out of memory");
        return;
    }
    size_t got = (size_t)count;
    if (count && wb_session_read_memory(d->s, addr, buf, (size_t)count, NULL) != WB_OK) {
        /* the readable prefix, found in 256-byte pieces */
        got = 0;
        while (got < (size_t)count) {
            size_t piece = (size_t)count - got < 256 ? (size_t)count - got : 256;
            if (wb_session_read_memory(d->s, addr + got, buf + got, piece, NULL) != WB_OK) break;
            got += piece;
        }
    }
    char *text = base64_encode(buf, got);
    free(buf);
    char a[24];
    snprintf(a, sizeof a, "0x%" PRIx64, addr);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "address", a);
    cJSON_AddStringToObject(body, "data", text ? text : "");
    if (got < (size_t)count)
        cJSON_AddNumberToObject(body, "unreadableBytes", (double)((size_t)count - got));
    free(text);
    respond(d, r, body);
}

static void req_write_memory(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    uint64_t addr;
    if (!memory_address(d, r, &addr)) return;
    const char *data = arg_str(r->args, "data");
    uint8_t *bytes;
    size_t n;
    if (!data || !base64_decode(data, &bytes, &n)) {
        respond_error(d, r, "writeMemory needs base64 data");
        return;
    }
    wb_error e;
    wb_status st = n ? wb_session_write_memory(d->s, addr, bytes, n, &e) : WB_OK;
    free(bytes);
    if (st != WB_OK) {
        respond_error(d, r, "%s", e.msg);
        return;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddNumberToObject(body, "bytesWritten", (double)n);
    respond(d, r, body);
}

/* -------------------------------------------------------- disassemble */

typedef struct insn_list {
    wb_insn *v;
    const wb_func **fn; /* the function of each instruction */
    size_t n, cap, fn_cap;
} insn_list;

/* Appends (or prepends) function i's instructions. */
static bool add_function(const wb_wasm *w, uint32_t i, insn_list *l, bool front)
{
    const wb_func *f = wb_wasm_func(w, i);
    wb_insn *ins = NULL;
    size_t n = 0;
    wb_error e;
    wb_disasm_func(w, wb_wasm_code(w), wb_wasm_code_size(w), f, &ins, &n, &e);
    if (!wb_grow((void **)&l->v, &l->cap, l->n + n + 1, sizeof *l->v) ||
        !wb_grow((void **)&l->fn, &l->fn_cap, l->n + n + 1, sizeof *l->fn)) {
        free(ins);
        return false;
    }
    wb_insn *v = l->v;
    const wb_func **fv = l->fn;
    if (front) {
        memmove(v + n, v, l->n * sizeof *v);
        memmove(fv + n, fv, l->n * sizeof *fv);
        memcpy(v, ins, n * sizeof *v);
        for (size_t k = 0; k < n; k++)
            fv[k] = f;
    } else {
        memcpy(v + l->n, ins, n * sizeof *v);
        for (size_t k = 0; k < n; k++)
            fv[l->n + k] = f;
    }
    l->n += n;
    free(ins);
    return true;
}

static cJSON *invalid_insn(uint64_t addr)
{
    cJSON *o = cJSON_CreateObject();
    char a[24];
    snprintf(a, sizeof a, "0x%" PRIx64, addr);
    cJSON_AddStringToObject(o, "address", a);
    cJSON_AddStringToObject(o, "instruction", "??");
    cJSON_AddStringToObject(o, "presentationHint", "invalid");
    return o;
}

static void req_disassemble(wb_dap *d, const req *r)
{
    if (!need_session(d, r)) return;
    uint64_t base;
    if (!parse_u64(arg_str(r->args, "memoryReference"), &base)) {
        respond_error(d, r, "memoryReference must be a code offset (\"0x...\")");
        return;
    }
    long long off = arg_int(r->args, "offset", 0);
    long long ioff = arg_int(r->args, "instructionOffset", 0);
    long long count = arg_int(r->args, "instructionCount", 0);
    if (count < 0) count = 0;
    if (count > MAX_DISASM) count = MAX_DISASM;
    if (ioff > MAX_DISASM || ioff < -MAX_DISASM) {
        respond_error(d, r, "instructionOffset out of range");
        return;
    }
    int64_t a = (int64_t)base + off;
    const wb_wasm *w = wb_session_wasm(d->s);
    uint32_t nf = wb_wasm_func_count(w);
    insn_list l = {0};
    uint32_t first_f = 0, last_f = 0;
    bool have = false;
    if (a >= 0 && a <= UINT32_MAX) {
        const wb_func *f;
        if (wb_wasm_func_at(w, (wb_code_off)a, &f) == WB_OK) {
            first_f = last_f = f->index - wb_wasm_import_func_count(w);
            have = add_function(w, first_f, &l, false);
        }
    }
    cJSON *list = cJSON_CreateArray();
    if (!have || l.n == 0) {
        for (long long i = 0; i < count; i++)
            cJSON_AddItemToArray(list, invalid_insn((uint64_t)(a < 0 ? 0 : a) + (uint64_t)i));
    } else {
        /* the instruction containing a */
        long long pos = 0;
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i].off <= a) pos = (long long)i;
        long long from = pos + ioff;
        while (from < 0 && first_f > 0) {
            size_t before = l.n;
            if (!add_function(w, --first_f, &l, true)) break;
            from += (long long)(l.n - before);
            pos += (long long)(l.n - before);
        }
        while (from + count > (long long)l.n && last_f + 1 < nf)
            if (!add_function(w, ++last_f, &l, false)) break;
        wb_dwarf *dw = wb_session_dwarf(d->s);
        const char *last_file = NULL;
        const uint8_t *code = wb_wasm_code(w);
        for (long long i = from; i < from + count; i++) {
            if (i < 0) {
                /* before the first function: placeholders below its address */
                uint64_t first = l.v[0].off;
                cJSON_AddItemToArray(list,
                                     invalid_insn(first > (uint64_t)-i ? first - (uint64_t)-i : 0));
                continue;
            }
            if (i >= (long long)l.n) {
                const wb_insn *lastv = &l.v[l.n - 1];
                cJSON_AddItemToArray(list, invalid_insn((uint64_t)lastv->off + lastv->len +
                                                        (uint64_t)(i - (long long)l.n)));
                continue;
            }
            const wb_insn *in = &l.v[i];
            cJSON *o = cJSON_CreateObject();
            char buf[64];
            snprintf(buf, sizeof buf, "0x%x", in->off);
            cJSON_AddStringToObject(o, "address", buf);
            size_t k = 0;
            for (uint32_t b = 0; b < in->len && b < 16 && k + 4 < sizeof buf; b++)
                k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%02x", b ? " " : "",
                                      code[in->off + b]);
            cJSON_AddStringToObject(o, "instructionBytes", buf);
            cJSON_AddStringToObject(o, "instruction", in->text);
            const wb_func *f = l.fn[i];
            const char *sym = f->name;
            const wb_scope *sc;
            wb_error e;
            if (dw && wb_dwarf_function_at(dw, in->off, &sc, &e) == WB_OK && sc->name)
                sym = sc->qualified_name ? sc->qualified_name : sc->name;
            if (sym) cJSON_AddStringToObject(o, "symbol", sym);
            wb_line row;
            if (dw && wb_dwarf_line_at(dw, in->off, &row, &e) == WB_OK && row.file && row.line) {
                if (!last_file || strcmp(last_file, row.file) != 0)
                    cJSON_AddItemToObject(o, "location", source_json(d, row.file));
                last_file = row.file;
                cJSON_AddNumberToObject(o, "line", line_out(d, row.line));
                if (row.column) cJSON_AddNumberToObject(o, "column", col_out(d, row.column));
            }
            cJSON_AddItemToArray(list, o);
        }
    }
    free(l.v);
    free(l.fn);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "instructions", list);
    respond(d, r, body);
}

/* -------------------------------------------------------- stack, etc. */

static void req_threads(wb_dap *d, const req *r)
{
    cJSON *list = cJSON_CreateArray();
    cJSON *t = cJSON_CreateObject();
    cJSON_AddNumberToObject(t, "id", 1);
    cJSON_AddStringToObject(t, "name", d->program ? base_name(d->program) : "main");
    cJSON_AddItemToArray(list, t);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "threads", list);
    respond(d, r, body);
}

static void req_stack_trace(wb_dap *d, const req *r)
{
    if (!need_stopped(d, r)) return;
    size_t n = wb_session_frame_count(d->s);
    long long start = arg_int(r->args, "startFrame", 0);
    long long levels = arg_int(r->args, "levels", 0);
    if (start < 0) start = 0;
    size_t end = n;
    if (levels > 0 && (unsigned long long)start + (unsigned long long)levels < n)
        end = (size_t)start + (size_t)levels;
    cJSON *list = cJSON_CreateArray();
    for (size_t i = (size_t)start; i < end; i++) {
        const wb_frame *f = wb_session_frame(d->s, i);
        if (!f) break;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)(i + 1));
        cJSON_AddStringToObject(o, "name", f->function ? f->function : "??");
        if (f->file) {
            cJSON_AddItemToObject(o, "source", source_json(d, f->file));
            cJSON_AddNumberToObject(o, "line", line_out(d, f->line));
            cJSON_AddNumberToObject(o, "column", col_out(d, f->column));
        } else {
            cJSON_AddNumberToObject(o, "line", 0);
            cJSON_AddNumberToObject(o, "column", 0);
            cJSON_AddStringToObject(o, "presentationHint", "subtle");
        }
        if (f->has_pc) {
            char ip[24];
            snprintf(ip, sizeof ip, "0x%x", f->pc);
            cJSON_AddStringToObject(o, "instructionPointerReference", ip);
        }
        cJSON_AddNumberToObject(o, "moduleId", 1);
        cJSON_AddItemToArray(list, o);
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "stackFrames", list);
    cJSON_AddNumberToObject(body, "totalFrames", (double)n);
    respond(d, r, body);
}

static cJSON *module_json(wb_dap *d)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "id", 1);
    cJSON_AddStringToObject(m, "name", base_name(d->program));
    cJSON_AddStringToObject(m, "path", d->program);
    cJSON_AddStringToObject(m, "symbolStatus",
                            wb_session_dwarf(d->s) ? "Symbols loaded (DWARF)"
                                                   : "No DWARF: function names only");
    return m;
}

static void req_modules(wb_dap *d, const req *r)
{
    cJSON *list = cJSON_CreateArray();
    if (d->s) cJSON_AddItemToArray(list, module_json(d));
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "modules", list);
    cJSON_AddNumberToObject(body, "totalModules", d->s ? 1 : 0);
    respond(d, r, body);
}

static void req_loaded_sources(wb_dap *d, const req *r)
{
    cJSON *list = cJSON_CreateArray();
    wb_dwarf *dw = d->s ? wb_session_dwarf(d->s) : NULL;
    const char *const *files;
    size_t n;
    wb_error e;
    if (dw && wb_dwarf_source_files(dw, &files, &n, &e) == WB_OK)
        for (size_t i = 0; i < n; i++)
            cJSON_AddItemToArray(list, source_json(d, files[i]));
    cJSON *body = cJSON_CreateObject();
    cJSON_AddItemToObject(body, "sources", list);
    respond(d, r, body);
}

/* `path` is a source file the session's module names in its DWARF, as
 * DWARF spells it or as it is mapped to this machine (sourceMap, cwd,
 * sourceSearchPath: what stack frames and loadedSources show). The
 * `source` request reads nothing else (docs/SECURITY.md). */
static bool source_allowed(wb_dap *d, const char *path)
{
    wb_dwarf *dw = d->s ? wb_session_dwarf(d->s) : NULL;
    const char *const *files;
    size_t n;
    wb_error e;
    if (!dw || wb_dwarf_source_files(dw, &files, &n, &e) != WB_OK) return false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i], path) == 0) return true;
        const char *local = to_local(d, files[i]);
        if (local && strcmp(local, path) == 0) return true;
    }
    return false;
}

static void req_source(wb_dap *d, const req *r)
{
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(r->args, "source");
    const char *path = arg_str(src, "path");
    if (!path) path = arg_str(r->args, "path");
    char *text = NULL;
    size_t len = 0;
    wb_error e;
    if (path && !source_allowed(d, path)) {
        respond_error(d, r, "Source not available: %s is not a source file of the program%s", path,
                      d->s ? "" : " (launch or attach first)");
        return;
    }
    if (!path || wb_session_read_source(d->s, path, &text, &len, &e) != WB_OK) {
        if (path && (strstr(e.msg, "out of memory") || strstr(e.msg, "not a regular file") ||
                     strstr(e.msg, "too large"))) {
            respond_error(d, r, "Source not available: %s", e.msg);
            return;
        }
        respond_error(d, r,
                      "Source not available: %s is not on this machine (map it with "
                      "sourceMap or sourceSearchPath)",
                      path ? path : "this source");
        return;
    }
    /* wb_read_text reads at most WDB_FILE_TEXT_MAX (64 MiB) */
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "content", text);
    free(text);
    respond(d, r, body);
}

static void req_exception_info(wb_dap *d, const req *r)
{
    if (!d->have_trap) {
        respond_error(d, r, "The program is not stopped at a trap.");
        return;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "exceptionId", d->trap_kind[0] ? d->trap_kind : "trap");
    /* an out-of-bounds access by a C stack that ran out reads like a bad
     * pointer: the description says what it was */
    uint32_t sp;
    char desc[sizeof d->trap_msg + 160];
    if (stopped(d) && strcmp(d->trap_kind, "memory_oob") == 0 &&
        wb_session_stack_overflowed(d->s, &sp))
        snprintf(desc, sizeof desc,
                 "%s: the C stack in linear memory ran out (the stack pointer, "
                 "global 0, is 0x%08x, below 0): deep recursion?",
                 d->trap_msg, sp);
    else
        snprintf(desc, sizeof desc, "%s", d->trap_msg);
    cJSON_AddStringToObject(body, "description", desc);
    cJSON_AddStringToObject(body, "breakMode", "always");
    cJSON *det = cJSON_CreateObject();
    cJSON_AddStringToObject(det, "message", d->trap_msg);
    cJSON_AddStringToObject(det, "typeName", "Wasm trap");
    if (d->trap_kind[0]) cJSON_AddStringToObject(det, "fullTypeName", d->trap_kind);
    if (stopped(d)) {
        /* the backtrace as text, for the exception widget */
        char *bt = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&bt, &len);
        size_t n = wb_session_frame_count(d->s);
        for (size_t i = 0; m && i < n && i < 64; i++) {
            const wb_frame *f = wb_session_frame(d->s, i);
            if (f->file)
                fprintf(m, "#%zu %s at %s:%u\n", i, f->function, f->file, f->line);
            else
                fprintf(m, "#%zu %s\n", i, f->function);
        }
        if (m) fclose(m);
        if (bt) cJSON_AddStringToObject(det, "stackTrace", bt);
        free(bt);
    }
    cJSON_AddItemToObject(body, "details", det);
    respond(d, r, body);
}

/* --------------------------------------------------------- run control */

static void on_log(void *user, const char *text)
{
    wb_dap *d = user;
    outputf(d, "console", "%s\n", text);
}

static void send_terminated(wb_dap *d)
{
    if (d->terminated_sent) return;
    d->terminated_sent = true;
    send_event(d, "terminated", NULL);
}

/* "trap: integer divide by zero (div_by_zero)" -> message and kind. */
static void note_trap(wb_dap *d, const char *desc)
{
    const char *text, *name;
    size_t text_len, name_len;
    d->have_trap = true;
    wrsp_trap_split(desc, &text, &text_len, &name, &name_len);
    snprintf(d->trap_msg, sizeof d->trap_msg, "%.*s", (int)text_len, text);
    snprintf(d->trap_kind, sizeof d->trap_kind, "%.*s", (int)name_len, name ? name : "");
    char *panic = d->s ? wb_session_rust_panic(d->s) : NULL; /* a Rust panic (abort) */
    if (panic)
        snprintf(d->trap_msg, sizeof d->trap_msg, "panicked%s (Wasm trap: %.*s)", panic,
                 (int)text_len, text);
    free(panic);
}

static bool trap_selected(const wb_dap *d)
{
    if (d->trap_all) return true;
    for (size_t i = 0; i < NTRAPS; i++)
        if (strcmp(d->trap_kind, trap_kinds[i].id) == 0) return (d->trap_mask >> i) & 1;
    return d->trap_mask != 0; /* a kind we do not know: stop if any filter is on */
}

static void send_stopped(wb_dap *d, const char *reason, const char *desc, const char *text, int bp)
{
    out_drain(d);
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "reason", reason);
    cJSON_AddNumberToObject(b, "threadId", 1);
    cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
    if (desc) cJSON_AddStringToObject(b, "description", desc);
    if (text) cJSON_AddStringToObject(b, "text", text);
    if (bp > 0) {
        cJSON *ids = cJSON_CreateArray();
        cJSON_AddItemToArray(ids, cJSON_CreateNumber(bp));
        cJSON_AddItemToObject(b, "hitBreakpointIds", ids);
    }
    d->reports++;
    send_event(d, "stopped", b);
}

static void program_ended(wb_dap *d, int code)
{
    out_drain(d);
    out_stop(d);
    d->reports++;
    if (!d->exited) {
        d->exited = true;
        cJSON *b = cJSON_CreateObject();
        cJSON_AddNumberToObject(b, "exitCode", code);
        send_event(d, "exited", b);
    }
    send_terminated(d);
}

/* Reports a stop; true when the program should be let go again (a trap
 * whose exception filter is off). */
static bool report_stop(wb_dap *d, wb_stop *st)
{
    d->have_trap = false;
    switch (st->why) {
    case WB_WHY_EXITED: program_ended(d, st->exit_code); return false;
    case WB_WHY_KILLED: program_ended(d, 128 + st->exit_code); return false;
    case WB_WHY_ENTRY: send_stopped(d, "entry", NULL, NULL, 0); return false;
    case WB_WHY_BREAKPOINT: {
        bp_kind k = kind_of_bp(d, st->bp);
        const char *reason = k == BPK_FUNCTION      ? "function breakpoint"
                             : k == BPK_INSTRUCTION ? "instruction breakpoint"
                                                    : "breakpoint";
        if (st->description[0]) output(d, "important", st->description);
        send_stopped(d, reason, NULL, st->description[0] ? st->description : NULL, st->bp);
        return false;
    }
    case WB_WHY_WATCHPOINT: {
        const wb_eval_env *env = wb_session_env(d->s, 0);
        char *o = st->watch_has_old && st->watch_old.type ? wb_value_format(&st->watch_old, env, 0)
                                                          : NULL;
        char *n = st->watch_new.type ? wb_value_format(&st->watch_new, env, 0) : NULL;
        char text[600];
        if (o)
            snprintf(text, sizeof text, "Old value = %s\nNew value = %s", o, n ? n : "?");
        else
            snprintf(text, sizeof text, "Value = %s", n ? n : "?");
        const wb_bp *b = wb_session_bp_by_number(d->s, st->bp);
        char desc[300];
        snprintf(desc, sizeof desc, "Data breakpoint %d: %s", st->bp, b ? b->spec : "?");
        send_stopped(d, "data breakpoint", desc, text, st->bp);
        free(o);
        free(n);
        return false;
    }
    case WB_WHY_WATCH_SCOPE: {
        char desc[200];
        snprintf(desc, sizeof desc,
                 "Watchpoint %d deleted because the program has left the block in which its "
                 "expression is valid.",
                 st->bp);
        output(d, "console", desc);
        send_stopped(d, "data breakpoint", desc, NULL, st->bp);
        return false;
    }
    case WB_WHY_STEP:
        if (st->has_value) {
            wb_error ce;
            d->has_ret = wb_value_copy(&d->ret, &st->value, &ce) == WB_OK;
        } else {
            d->ret_type = st->value_type;
        }
        send_stopped(d, "step", NULL, NULL, 0);
        return false;
    case WB_WHY_TRAP:
        note_trap(d, st->description);
        if (!trap_selected(d)) {
            outputf(d, "important", "Wasm trap: %s (not stopping: its exception filter is off)\n",
                    d->trap_msg);
            d->have_trap = false;
            return true;
        }
        send_stopped(d, "exception", d->trap_msg, d->trap_msg, 0);
        return false;
    case WB_WHY_INTERRUPT: send_stopped(d, "pause", NULL, NULL, 0); return false;
    case WB_WHY_NO_HISTORY:
        /* gdb's words; the stop is where the recorded history starts */
        output(d, "console", "No more reverse-execution history.\n");
        send_stopped(d, "step", "No more reverse-execution history.", NULL, 0);
        return false;
    case WB_WHY_SIGNAL:
        send_stopped(d, "exception", st->description[0] ? st->description : "signal", NULL, 0);
        return false;
    }
    return false;
}

static void handle(wb_dap *d, msg *m, bool from_poll);

static bool on_poll(void *user);

/* Lets the program go (`how`) and reports where it stops; requests that
 * arrive meanwhile are handled by on_poll, and those kept for a stopped
 * program are run here afterwards. */
static void run_at_dir(wb_dap *d, wb_run how, bool reverse, size_t frame, const char *where)
{
    for (;;) {
        refs_clear(d);
        ret_clear(d);
        d->have_trap = false;
        d->pause_req = false;
        d->internal_req = false;
        d->running = true;
        wb_stop st;
        wb_error e;
        wb_status rc = wb_session_resume_dir(d->s, how, reverse, frame, where, &st, &e);
        d->running = false;
        bool again = false;
        if (rc != WB_OK) {
            outputf(d, "important", "%s\n", e.msg);
            if (wb_session_state(d->s) != WB_PROC_STOPPED)
                program_ended(d, -1);
            else
                send_stopped(d, "pause", e.msg, NULL, 0);
        } else if (st.why == WB_WHY_INTERRUPT && !d->pause_req) {
            /* stopped only to change breakpoints or end (internal_req), or
             * by an interrupt nobody here asked for (a late one from an
             * earlier internal stop): not a pause the user should see */
            again = true;
        } else {
            again = report_stop(d, &st);
            if (again) how = WB_RUN_CONTINUE, where = NULL;
        }
        wb_stop_free(&st);
        unsigned reports = d->reports;
        /* requests kept while the program ran, now that it is stopped */
        while (d->deferred_head) {
            msg *m = d->deferred_head;
            d->deferred_head = m->next;
            if (!d->deferred_head) d->deferred_tail = NULL;
            handle(d, m, false);
            free(m);
        }
        pthread_mutex_lock(&d->mu);
        bool closing = d->closing;
        pthread_mutex_unlock(&d->mu);
        /* a kept `restart` or `terminate` has reported a stop of its own */
        if (closing || !again || reports != d->reports || !d->s ||
            wb_session_state(d->s) != WB_PROC_STOPPED)
            return;
        frame = 0;
        if (how != WB_RUN_CONTINUE && how != WB_RUN_STEP && how != WB_RUN_NEXT &&
            how != WB_RUN_STEPI && how != WB_RUN_NEXTI)
            how = WB_RUN_CONTINUE, where = NULL; /* finish from another frame: go on */
    }
}

static void run_at(wb_dap *d, wb_run how, size_t frame, const char *where)
{
    run_at_dir(d, how, false, frame, where);
}

static void run(wb_dap *d, wb_run how, size_t frame)
{
    run_at(d, how, frame, NULL);
}

static bool need_run_state(wb_dap *d, const req *r)
{
    if (d->is_core) {
        respond_error(d, r, "The program is not being run (this is a core file).");
        return false;
    }
    if (!d->configured && d->launched) {
        respond_error(d, r, "Send configurationDone first.");
        return false;
    }
    return need_stopped(d, r);
}

static void req_continue(wb_dap *d, const req *r)
{
    if (!need_run_state(d, r)) return;
    cJSON *body = cJSON_CreateObject();
    cJSON_AddBoolToObject(body, "allThreadsContinued", 1);
    respond(d, r, body);
    run(d, WB_RUN_CONTINUE, 0);
}

static void step_request(wb_dap *d, const req *r, wb_run line_mode, wb_run insn_mode)
{
    if (!need_run_state(d, r)) return;
    const char *g = arg_str(r->args, "granularity");
    wb_run how = g && strcmp(g, "instruction") == 0 ? insn_mode : line_mode;
    if (how == WB_RUN_FINISH && wb_session_frame_count(d->s) < 2) {
        respond_error(d, r, "\"finish\" not meaningful in the outermost frame.");
        return;
    }
    respond(d, r, NULL);
    run(d, how, 0);
}

/* Run control typed in the debug console: answered at once (the console
 * shows nothing for it), then `continued`, which the client did not ask
 * for, then the program runs as for the matching request; the stop is
 * reported as usual. Runs in the frame the console is in. */
static bool need_reverse(wb_dap *d, const req *r);

static void console_run(wb_dap *d, const req *r, wb_run how, bool reverse, const char *where)
{
    if (!need_run_state(d, r)) return;
    if (reverse && !need_reverse(d, r)) return;
    size_t frame = 0;
    frame_arg_quiet(d, r, &frame);
    if (how == WB_RUN_FINISH && wb_session_frame_count(d->s) < frame + 2) {
        respond_error(d, r, "\"finish\" not meaningful in the outermost frame.");
        return;
    }
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "result", "");
    cJSON_AddNumberToObject(body, "variablesReference", 0);
    respond(d, r, body);
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddNumberToObject(ev, "threadId", 1);
    cJSON_AddBoolToObject(ev, "allThreadsContinued", 1);
    send_event(d, "continued", ev);
    run_at_dir(d, how, reverse, frame, where);
}

/* stepBack (granularity line: reverse-next; instruction: reverse-nexti)
 * and reverseContinue: the stub's bs/bc, offered once a stub that runs
 * backward is connected (supportsStepBack in a capabilities event). */
static bool need_reverse(wb_dap *d, const req *r)
{
    if (!need_run_state(d, r)) return false;
    if (wb_session_can_reverse(d->s)) return true;
    respond_error(d, r, "Target does not support this command.");
    return false;
}

static void req_step_back(wb_dap *d, const req *r)
{
    if (!need_reverse(d, r)) return;
    const char *g = arg_str(r->args, "granularity");
    wb_run how = g && strcmp(g, "instruction") == 0 ? WB_RUN_NEXTI : WB_RUN_NEXT;
    respond(d, r, NULL);
    run_at_dir(d, how, true, 0, NULL);
}

static void req_reverse_continue(wb_dap *d, const req *r)
{
    if (!need_reverse(d, r)) return;
    respond(d, r, NULL);
    run_at_dir(d, WB_RUN_CONTINUE, true, 0, NULL);
}

static void req_next(wb_dap *d, const req *r)
{
    step_request(d, r, WB_RUN_NEXT, WB_RUN_NEXTI);
}
static void req_step_in(wb_dap *d, const req *r)
{
    step_request(d, r, WB_RUN_STEP, WB_RUN_STEPI);
}
static void req_step_out(wb_dap *d, const req *r)
{
    step_request(d, r, WB_RUN_FINISH, WB_RUN_FINISH);
}

static void req_pause(wb_dap *d, const req *r)
{
    /* from on_poll while running; when stopped there is nothing to do */
    if (d->running) {
        d->pause_req = true;
    } else if (!d->s || wb_session_state(d->s) != WB_PROC_STOPPED) {
        respond_error(d, r, "The program is not being run.");
        return;
    }
    respond(d, r, NULL);
}

/* Ends the program (kill, or detach when attached and !kill). */
static void end_program(wb_dap *d, bool kill)
{
    if (!d->s) return;
    wb_error e;
    if (wb_session_state(d->s) == WB_PROC_STOPPED && !d->is_core) {
        if (d->attached && !kill)
            wb_session_detach(d->s, &e);
        else
            wb_session_kill(d->s, &e);
    }
    out_drain(d);
    out_stop(d);
}

/* ------------------------------------------------- launch and friends */

static void free_launch_config(wb_dap *d)
{
    free(d->program);
    str_array_free(d->args);
    str_array_free(d->rt_args);
    free(d->cwd);
    free(d->runtime);
    d->program = d->cwd = d->runtime = NULL;
    d->args = d->rt_args = NULL;
}

static bool read_common_config(wb_dap *d, const req *r)
{
    const cJSON *a = r->args;
    const char *program = arg_str(a, "program");
    if (!program || !*program) {
        respond_error(d, r, "\"program\" (the .wasm file) is required");
        return false;
    }
    free_launch_config(d);
    d->program = strdup(program);
    d->args = str_array(cJSON_GetObjectItemCaseSensitive(a, "args"), 0);
    /* runtimeArgs, then an --env=NAME=VALUE for each of env's strings */
    const cJSON *env = cJSON_GetObjectItemCaseSensitive(a, "env");
    d->rt_args = str_array(cJSON_GetObjectItemCaseSensitive(a, "runtimeArgs"),
                           (size_t)cJSON_GetArraySize(env) + 1);
    size_t nrt = 0;
    while (d->rt_args && d->rt_args[nrt])
        nrt++;
    /* replay: a trace of wdb-run --record (wdb --replay's) */
    const char *replay = arg_str(a, "replay");
    if (replay && *replay && d->rt_args) {
        size_t len = strlen(replay) + 10;
        char *opt = malloc(len);
        if (opt) {
            snprintf(opt, len, "--replay=%s", replay);
            d->rt_args[nrt++] = opt;
        }
    }
    const char *cwd = arg_str(a, "cwd");
    d->cwd = cwd && *cwd ? strdup(cwd) : NULL;
    const char *rt = arg_str(a, "runtime");
    d->runtime = rt && *rt ? strdup(rt) : d->runtime_opt ? strdup(d->runtime_opt) : NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, env)
    {
        if (!d->rt_args || !cJSON_IsString(it) || !it->string) continue;
        size_t len = strlen(it->string) + strlen(it->valuestring) + 8;
        char *opt = malloc(len);
        if (!opt) continue;
        snprintf(opt, len, "--env=%s=%s", it->string, it->valuestring);
        d->rt_args[nrt++] = opt;
    }
    /* sourceMap: {"FROM": "TO"} or [["FROM", "TO"], ...] */
    const cJSON *sm = cJSON_GetObjectItemCaseSensitive(a, "sourceMap");
    cJSON_ArrayForEach(it, sm)
    {
        if (cJSON_IsString(it) && it->string) {
            map_add(d, it->string, it->valuestring);
        } else if (cJSON_IsArray(it) && cJSON_GetArraySize(it) == 2 &&
                   cJSON_IsString(cJSON_GetArrayItem(it, 0)) &&
                   cJSON_IsString(cJSON_GetArrayItem(it, 1))) {
            map_add(d, cJSON_GetArrayItem(it, 0)->valuestring,
                    cJSON_GetArrayItem(it, 1)->valuestring);
        }
    }
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(a, "sourceSearchPath");
    char **dirs = str_array(cJSON_IsString(sp) ? NULL : sp, 1);
    if (dirs && cJSON_IsString(sp)) dirs[0] = strdup(sp->valuestring);
    if (dirs && !dirs[0] && d->cwd) dirs[0] = strdup(d->cwd);
    for (size_t i = 0; dirs && dirs[i]; i++) {
        if (!wb_grow((void **)&d->search, &d->capsearch, d->nsearch + 1, sizeof *d->search)) break;
        d->search[d->nsearch++] = strdup(dirs[i]);
    }
    str_array_free(dirs);
    d->stop_on_entry = arg_bool(a, "stopOnEntry", false);
    return d->program != NULL;
}

static bool open_session(wb_dap *d, const req *r)
{
    const char *note;
    wb_error e;
    /* the session of an earlier launch/attach that failed (check_fresh
     * let this one through): it has no program, only its module */
    ret_clear(d);
    wb_session_free(d->s);
    d->s = wb_session_new(d->program, &note, &e);
    if (!d->s) {
        respond_error(d, r, "%s", e.msg);
        return false;
    }
    if (note) outputf(d, "console", "%s: %s\n", d->program, note);
    wb_session_set_poll(d->s, on_poll, d);
    wb_session_on_log(d->s, on_log, d);
    return true;
}

/* Starts the program under wdb-run, output through pipes. */
static bool start_program(wb_dap *d, wb_error *e)
{
    int po[2] = {-1, -1}, pe[2] = {-1, -1};
    if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
        if (po[0] >= 0) {
            close(po[0]);
            close(po[1]);
        }
        wb_fail(e, "pipe: %s", strerror(errno));
        return false;
    }
    wb_launch l = {
        d->runtime, (const char *const *)d->args, (const char *const *)d->rt_args, d->cwd, po[1],
        pe[1]};
    wb_status st = wb_session_launch(d->s, &l, e);
    close(po[1]);
    close(pe[1]);
    if (st != WB_OK) {
        close(po[0]);
        close(pe[0]);
        return false;
    }
    d->out_fd[0] = po[0];
    d->out_fd[1] = pe[0];
    d->out_eof[0] = d->out_eof[1] = false;
    if (pthread_create(&d->out_thread, NULL, out_main, d) == 0) {
        d->out_running = true;
    } else {
        close(po[0]);
        close(pe[0]);
        d->out_fd[0] = d->out_fd[1] = -1;
    }
    d->exited = false;
    d->terminated_sent = false;
    const char *missing = wb_session_missing_features(d->s);
    if (missing) outputf(d, "console", "warning: the stub lacks %s\n", missing);
    return true;
}

static void launched(wb_dap *d, const req *r)
{
    d->launched = true;
    map_all_sources(d);
    respond(d, r, NULL);
    cJSON *mb = cJSON_CreateObject();
    cJSON_AddStringToObject(mb, "reason", "new");
    cJSON_AddItemToObject(mb, "module", module_json(d));
    send_event(d, "module", mb);
    if (d->s && wb_session_can_reverse(d->s)) {
        /* known only now that the stub answered qSupported */
        cJSON *cb = cJSON_CreateObject();
        cJSON *caps = cJSON_CreateObject();
        cJSON_AddBoolToObject(caps, "supportsStepBack", 1);
        cJSON_AddItemToObject(cb, "capabilities", caps);
        send_event(d, "capabilities", cb);
    }
    send_event(d, "initialized", NULL);
}

static bool check_fresh(wb_dap *d, const req *r)
{
    if (!d->initialized) {
        respond_error(d, r, "Send initialize first.");
        return false;
    }
    if (d->launched) {
        respond_error(d, r, "A program is already being debugged in this session.");
        return false;
    }
    return true;
}

static void req_launch(wb_dap *d, const req *r)
{
    if (!check_fresh(d, r) || !read_common_config(d, r) || !open_session(d, r)) return;
    const char *core = arg_str(r->args, "coreFile");
    wb_error e;
    if (core && *core) {
        wb_error warning;
        if (wb_session_open_core(d->s, core, &warning, &e) != WB_OK) {
            respond_error(d, r, "%s", e.msg);
            return;
        }
        if (warning.msg[0]) outputf(d, "console", "warning: %s\n", warning.msg);
        const char *cmd = wb_session_core_command(d->s);
        outputf(d, "console", "Core was generated by `%s'.\n", cmd && *cmd ? cmd : "?");
        d->is_core = true;
        launched(d, r);
        return;
    }
    if (!start_program(d, &e)) {
        respond_error(d, r, "%s", e.msg);
        return;
    }
    launched(d, r);
}

static void req_attach(wb_dap *d, const req *r)
{
    if (!check_fresh(d, r) || !read_common_config(d, r)) return;
    const char *target = arg_str(r->args, "target");
    const char *serial = arg_str(r->args, "serialPort");
    long long baud = arg_int(r->args, "baudRate", 0);
    char hp[300];
    if (serial && !target) {
        /* a device's debug UART: wdb opens the line itself */
        if (serial[0] != '/') {
            respond_error(d, r,
                          "\"serialPort\" must be the path of a serial device (/dev/ttyUSB0)");
            return;
        }
        if (baud < 0 || baud > 4000000) {
            respond_error(d, r, "\"baudRate\" %lld is not a baud rate", baud);
            return;
        }
        target = serial;
    }
    if (!target) {
        const char *host = arg_str(r->args, "host");
        long long port = arg_int(r->args, "port", 0);
        if (port <= 0 || port > 65535) {
            respond_error(d, r, "attach needs \"target\": \"HOST:PORT\" (or host and port)");
            return;
        }
        snprintf(hp, sizeof hp, "%s:%lld", host ? host : "localhost", port);
        target = hp;
    }
    if (!open_session(d, r)) return;
    wb_error e;
    wb_session_set_serial_baud(d->s, (unsigned)baud);
    if (wb_session_attach(d->s, target, &e) != WB_OK) {
        respond_error(d, r, "%s: %s", target, e.msg);
        return;
    }
    d->attached = true;
    const char *missing = wb_session_missing_features(d->s);
    if (missing) outputf(d, "console", "warning: the stub lacks %s\n", missing);
    launched(d, r);
}

/* After configurationDone (and restart): where the program begins. */
static void begin(wb_dap *d)
{
    if (d->is_core) {
        const char *trap = wb_session_core_trap(d->s);
        const char *stop = trap ? NULL : wb_session_core_stop(d->s);
        if (stop) {
            /* a gcore of a stop that was no trap: shown as that stop */
            const char *reason = !strcmp(stop, "breakpoint") ? "breakpoint"
                                 : !strcmp(stop, "step")     ? "step"
                                 : !strcmp(stop, "entry")    ? "entry"
                                                             : "pause";
            send_stopped(d, reason, stop, NULL, 0);
            return;
        }
        note_trap(d, trap ? trap : "the program ended (no trap recorded)");
        send_stopped(d, "exception", d->trap_msg, d->trap_msg, 0);
        return;
    }
    if (wb_session_state(d->s) != WB_PROC_STOPPED) return;
    if (d->stop_on_entry) {
        send_stopped(d, "entry", NULL, NULL, 0);
        return;
    }
    run(d, WB_RUN_CONTINUE, 0);
}

static void req_configuration_done(wb_dap *d, const req *r)
{
    if (!d->launched) {
        respond_error(d, r, "There is no program: launch or attach first.");
        return;
    }
    if (d->configured) {
        respond_error(d, r, "configurationDone was already sent.");
        return;
    }
    d->configured = true;
    respond(d, r, NULL);
    begin(d);
}

static void req_restart(wb_dap *d, const req *r)
{
    if (!d->launched || d->attached || d->is_core) {
        respond_error(d, r,
                      d->launched ? "Only a launched program can be restarted."
                                  : "There is no program: launch first.");
        return;
    }
    end_program(d, true);
    wb_error e;
    if (!start_program(d, &e)) {
        respond_error(d, r, "%s", e.msg);
        send_terminated(d);
        return;
    }
    respond(d, r, NULL);
    if (d->configured) begin(d);
}

static void req_terminate(wb_dap *d, const req *r)
{
    if (d->s && wb_session_state(d->s) == WB_PROC_STOPPED && !d->is_core) {
        end_program(d, true);
        program_ended(d, 137);
    }
    respond(d, r, NULL);
    send_terminated(d);
}

static void req_disconnect(wb_dap *d, const req *r)
{
    bool kill = arg_bool(r->args, "terminateDebuggee", !d->attached);
    end_program(d, kill);
    send_terminated(d);
    respond(d, r, NULL);
    atomic_store(&d->done, true);
}

static void req_initialize(wb_dap *d, const req *r)
{
    if (d->initialized) {
        respond_error(d, r, "initialize was already sent.");
        return;
    }
    d->initialized = true;
    d->lines1 = arg_bool(r->args, "linesStartAt1", true);
    d->cols1 = arg_bool(r->args, "columnsStartAt1", true);
    const char *pf = arg_str(r->args, "pathFormat");
    if (pf && strcmp(pf, "path") != 0)
        outputf(d, "console", "warning: pathFormat %s is not supported: paths are file paths\n",
                pf);
    cJSON *b = cJSON_CreateObject();
    static const char *const caps[] = {
        "supportsConfigurationDoneRequest",  "supportsConditionalBreakpoints",
        "supportsHitConditionalBreakpoints", "supportsLogPoints",
        "supportsFunctionBreakpoints",       "supportsInstructionBreakpoints",
        "supportsDataBreakpoints",           "supportsSetVariable",
        "supportsEvaluateForHovers",         "supportsSteppingGranularity",
        "supportsReadMemoryRequest",         "supportsWriteMemoryRequest",
        "supportsDisassembleRequest",        "supportsExceptionInfoRequest",
        "supportsLoadedSourcesRequest",      "supportsModulesRequest",
        "supportsTerminateRequest",          "supportsRestartRequest",
        "supportsValueFormattingOptions",    "supportsDelayedStackTraceLoading",
    };
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
        cJSON_AddBoolToObject(b, caps[i], 1);
    cJSON *filters = cJSON_CreateArray();
    cJSON *all = cJSON_CreateObject();
    cJSON_AddStringToObject(all, "filter", "all");
    cJSON_AddStringToObject(all, "label", "All Wasm traps");
    cJSON_AddStringToObject(all, "description", "Stop at every trap (the program ends after one)");
    cJSON_AddBoolToObject(all, "default", 1);
    cJSON_AddItemToArray(filters, all);
    for (size_t i = 0; i < NTRAPS; i++) {
        cJSON *f = cJSON_CreateObject();
        char label[96];
        snprintf(label, sizeof label, "Trap: %s", trap_kinds[i].label);
        cJSON_AddStringToObject(f, "filter", trap_kinds[i].id);
        cJSON_AddStringToObject(f, "label", label);
        cJSON_AddBoolToObject(f, "default", 0);
        cJSON_AddItemToArray(filters, f);
    }
    cJSON_AddItemToObject(b, "exceptionBreakpointFilters", filters);
    respond(d, r, b);
}

/* --------------------------------------------------------- dispatching */

enum {
    F_RUNNING_OK = 1, /* may be answered while the program runs */
    F_DEFER = 2,      /* while it runs: stop it, do this, let it go on */
    F_PAUSE = 4,      /* while it runs: answered at once, stops it */
};

typedef struct request_def {
    const char *name;
    void (*fn)(wb_dap *d, const req *r);
    unsigned flags;
} request_def;

static const request_def requests[] = {
    {"attach", req_attach, F_RUNNING_OK},
    {"configurationDone", req_configuration_done, F_RUNNING_OK},
    {"continue", req_continue, 0},
    {"dataBreakpointInfo", req_data_breakpoint_info, 0},
    {"disassemble", req_disassemble, F_RUNNING_OK},
    {"disconnect", req_disconnect, F_DEFER},
    {"evaluate", req_evaluate, 0},
    {"exceptionInfo", req_exception_info, F_RUNNING_OK},
    {"initialize", req_initialize, F_RUNNING_OK},
    {"launch", req_launch, F_RUNNING_OK},
    {"loadedSources", req_loaded_sources, F_RUNNING_OK},
    {"modules", req_modules, F_RUNNING_OK},
    {"next", req_next, 0},
    {"pause", req_pause, F_PAUSE},
    {"readMemory", req_read_memory, 0},
    {"restart", req_restart, F_DEFER},
    {"reverseContinue", req_reverse_continue, 0},
    {"scopes", req_scopes, 0},
    {"setBreakpoints", req_set_breakpoints, F_DEFER},
    {"setDataBreakpoints", req_set_data_breakpoints, F_DEFER},
    {"setExceptionBreakpoints", req_set_exception_breakpoints, F_RUNNING_OK},
    {"setFunctionBreakpoints", req_set_function_breakpoints, F_DEFER},
    {"setInstructionBreakpoints", req_set_instruction_breakpoints, F_DEFER},
    {"setVariable", req_set_variable, 0},
    {"source", req_source, F_RUNNING_OK},
    {"stackTrace", req_stack_trace, 0},
    {"stepBack", req_step_back, 0},
    {"stepIn", req_step_in, 0},
    {"stepOut", req_step_out, 0},
    {"terminate", req_terminate, F_DEFER},
    {"threads", req_threads, F_RUNNING_OK},
    {"variables", req_variables, 0},
    {"writeMemory", req_write_memory, 0},
};

static const request_def *find_request(const char *name)
{
    size_t lo = 0, hi = sizeof requests / sizeof requests[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(name, requests[mid].name);
        if (c == 0) return &requests[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Parses a message into r: false (with the error sent) when it is not a
 * request we can answer. */
static bool parse_request(wb_dap *d, msg *m, req *r, const request_def **def)
{
    memset(r, 0, sizeof *r);
    r->root = cJSON_ParseWithLength(m->text, m->len);
    if (!r->root) {
        outputf(d, "important", "wdb: a message from the client is not JSON (ignored): %.200s\n",
                m->text);
        return false;
    }
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(r->root, "seq");
    const char *type = arg_str(r->root, "type");
    r->command = arg_str(r->root, "command");
    r->seq = cJSON_IsNumber(seq) && seq->valuedouble >= 0 && seq->valuedouble < 2e9
                 ? (int)seq->valuedouble
                 : 0;
    if (!cJSON_IsObject(r->root) || !type || strcmp(type, "request") != 0 || !r->command) {
        if (type && strcmp(type, "response") == 0) return false; /* to reverse requests */
        respond_error(d, r,
                      "not a DAP request: expected an object with \"type\": \"request\", "
                      "\"seq\" and \"command\"");
        return false;
    }
    const cJSON *args = cJSON_GetObjectItemCaseSensitive(r->root, "arguments");
    if (args && !cJSON_IsObject(args)) {
        respond_error(d, r, "\"arguments\" must be an object");
        return false;
    }
    static const cJSON empty = {0};
    r->args = args ? args : &empty;
    *def = find_request(r->command);
    if (!*def) {
        respond_error(d, r, "unknown request '%.100s'", r->command);
        return false;
    }
    return true;
}

static void defer(wb_dap *d, msg *m)
{
    m->next = NULL;
    if (d->deferred_tail)
        d->deferred_tail->next = m;
    else
        d->deferred_head = m;
    d->deferred_tail = m;
}

/* One message. from_poll: the program is running (on_poll); a message
 * kept for later is then owned by the deferred list (*m not freed by the
 * caller: see on_poll). Returns nothing; errors are responses. */
static void handle(wb_dap *d, msg *m, bool from_poll)
{
    req r;
    const request_def *def;
    if (!parse_request(d, m, &r, &def)) {
        cJSON_Delete(r.root);
        return;
    }
    if (from_poll && !(def->flags & (F_RUNNING_OK | F_PAUSE))) {
        respond_error(d, &r, "The program is running: pause it first.");
    } else {
        def->fn(d, &r);
    }
    cJSON_Delete(r.root);
}

static bool wants_defer(const char *text, size_t len)
{
    /* cheap check before a full parse: the command of a deferred request */
    cJSON *root = cJSON_ParseWithLength(text, len);
    const char *cmd = arg_str(root, "command");
    const request_def *def = cmd ? find_request(cmd) : NULL;
    bool yes = def && (def->flags & F_DEFER) && cJSON_IsObject(root);
    cJSON_Delete(root);
    return yes;
}

/* Polled by the session while the program runs (session thread). */
static bool on_poll(void *user)
{
    wb_dap *d = user;
    pthread_mutex_lock(&d->mu);
    msg *list = d->head;
    d->head = d->tail = NULL;
    bool closing = d->closing;
    pthread_mutex_unlock(&d->mu);
    while (list) {
        msg *m = list;
        list = m->next;
        if (wants_defer(m->text, m->len)) {
            defer(d, m);
            d->internal_req = true;
            continue;
        }
        handle(d, m, true);
        free(m);
    }
    return closing || d->pause_req || d->internal_req;
}

static void *session_main(void *u)
{
    wb_dap *d = u;
    for (;;) {
        pthread_mutex_lock(&d->mu);
        while (!d->head && !d->closing)
            pthread_cond_wait(&d->cv, &d->mu);
        msg *m = d->head;
        if (m) {
            d->head = m->next;
            if (!d->head) d->tail = NULL;
            d->busy = true;
        }
        pthread_mutex_unlock(&d->mu);
        if (!m) break; /* closing, queue empty */
        handle(d, m, false);
        free(m);
        pthread_mutex_lock(&d->mu);
        d->busy = false;
        pthread_cond_broadcast(&d->cv); /* wb_dap_wait_idle */
        pthread_mutex_unlock(&d->mu);
    }
    end_program(d, !d->attached);
    return NULL;
}

/* ---------------------------------------------------------- public API */

wb_dap *wb_dap_new(const wb_dap_opts *opts, wb_dap_send_fn send, void *user)
{
    wb_dap *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->send = send;
    d->user = user;
    d->log = opts ? opts->log : NULL;
    d->lines1 = d->cols1 = true;
    d->trap_all = true;
    d->out_fd[0] = d->out_fd[1] = -1;
    if (opts && opts->runtime) d->runtime_opt = strdup(opts->runtime);
    for (size_t i = 0; opts && opts->source_map && opts->source_map[i] && opts->source_map[i + 1];
         i += 2)
        map_add(d, opts->source_map[i], opts->source_map[i + 1]);
    pthread_mutex_init(&d->mu, NULL);
    pthread_cond_init(&d->cv, NULL);
    pthread_mutex_init(&d->send_mu, NULL);
    pthread_mutex_init(&d->out_mu, NULL);
    atomic_init(&d->done, false);
    if (pthread_create(&d->thread, NULL, session_main, d) != 0) {
        pthread_mutex_destroy(&d->mu);
        pthread_cond_destroy(&d->cv);
        pthread_mutex_destroy(&d->send_mu);
        pthread_mutex_destroy(&d->out_mu);
        for (size_t i = 0; i < d->nmaps; i++) {
            free(d->maps[i].from);
            free(d->maps[i].to);
        }
        free(d->maps);
        free(d->runtime_opt);
        free(d);
        return NULL;
    }
    return d;
}

void wb_dap_receive(wb_dap *d, const char *json, size_t len)
{
    msg *m = malloc(sizeof *m + len + 1);
    if (!m) return;
    m->next = NULL;
    m->len = len;
    memcpy(m->text, json, len);
    m->text[len] = 0;
    if (d->log) {
        pthread_mutex_lock(&d->send_mu);
        fprintf(d->log, "--> %s\n", m->text);
        fflush(d->log);
        pthread_mutex_unlock(&d->send_mu);
    }
    pthread_mutex_lock(&d->mu);
    if (d->closing) {
        pthread_mutex_unlock(&d->mu);
        free(m);
        return;
    }
    if (d->tail)
        d->tail->next = m;
    else
        d->head = m;
    d->tail = m;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
}

bool wb_dap_done(const wb_dap *d)
{
    return atomic_load(&((wb_dap *)d)->done);
}

bool wb_dap_wait_idle(wb_dap *d, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&d->mu);
    while ((d->head || d->busy) && !d->closing)
        if (pthread_cond_timedwait(&d->cv, &d->mu, &until) == ETIMEDOUT) break;
    bool idle = !d->head && !d->busy;
    pthread_mutex_unlock(&d->mu);
    return idle;
}

void wb_dap_free(wb_dap *d)
{
    if (!d) return;
    pthread_mutex_lock(&d->mu);
    d->closing = true;
    /* requests not yet taken are dropped: the client is gone */
    while (d->head) {
        msg *m = d->head;
        d->head = m->next;
        free(m);
    }
    d->tail = NULL;
    pthread_cond_signal(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->thread, NULL);
    out_stop(d);
    while (d->deferred_head) {
        msg *m = d->deferred_head;
        d->deferred_head = m->next;
        free(m);
    }
    refs_clear(d);
    ret_clear(d);
    wb_session_free(d->s);
    for (size_t i = 0; i < d->nsets; i++) {
        free(d->sets[i].nums);
        free(d->sets[i].key);
    }
    free(d->sets);
    for (size_t i = 0; i < d->nmaps; i++) {
        free(d->maps[i].from);
        free(d->maps[i].to);
    }
    free(d->maps);
    for (size_t i = 0; i < d->nsearch; i++)
        free(d->search[i]);
    free(d->search);
    for (size_t i = 0; i < d->ncache; i++) {
        free(d->cache[i].remote);
        free(d->cache[i].local);
    }
    free(d->cache);
    for (size_t i = 0; i < d->nfound; i++) {
        free(d->found[i].base);
        free(d->found[i].path);
    }
    free(d->found);
    free_launch_config(d);
    free(d->runtime_opt);
    pthread_mutex_destroy(&d->mu);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->send_mu);
    pthread_mutex_destroy(&d->out_mu);
    free(d);
}
