/*
 * libFuzzer target: the DAP session's request handlers
 * (lldb-bridge/frontends/dap/wb_dap.c) on mutated JSON messages.
 *
 * Each input is split at '\n' into messages, handed one by one to a fresh
 * wb_dap (wb_dap_receive) whose send callback discards what it is given.
 * A last `threads` request with a sequence number of its own follows; once
 * its response comes back every message has been handled, and wb_dap_free
 * ends the session. Any response is fine; crashes, leaks, sanitizer
 * reports and hangs are not.
 *
 * Nothing here may start a process, connect anywhere or read files beyond
 * a few fixed ones, whatever the input asks for. Before a message is
 * handed over (only messages that parse as JSON are changed; the others
 * go as they are, for the parser's error paths):
 *   - launch, attach and restart get "runtime": "/nonexistent/wdb-run";
 *   - their "program" and "coreFile" are kept only when they name a file
 *     in tests/fuzz/dap-files/ as "@/NAME" (a -O0 -g build of
 *     tests/core/programs/traps.c and a core of its `div` trap), and
 *     "program" only in a launch with a "coreFile": anything else becomes
 *     a path that does not exist. So a launch without a core fails before
 *     wdb-run would be started (the module does not load), and so does an
 *     attach before it connects; a core launch works and reaches the
 *     stopped-session requests (stackTrace, scopes, variables, evaluate,
 *     readMemory, disassemble, ...);
 *   - "cwd" and "sourceSearchPath" are removed (no directory walks);
 *   - any string naming something under /dev, /proc or /sys becomes
 *     "/nonexistent" (no endless or blocking reads through `source`).
 * WDB_FUZZ_VERBOSE=1 in the environment prints every message sent.
 * Seeds (corpus/dap): DAP sessions like those of tests/dap, one JSON
 * message per line.
 *
 * Build: cmake -DWDB_FUZZ=ON -DCMAKE_C_COMPILER=clang-22; run bench/fuzz.sh.
 */
#define _GNU_SOURCE
#include "wb_dap.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef WDB_FUZZ_DAP_FILES
#error "WDB_FUZZ_DAP_FILES: the directory of the DAP target's files (set by CMake)"
#endif

#define NOWHERE "/nonexistent/fuzz.wasm"
#define SENTINEL_SEQ 1999999999
#define SENTINEL_TAG "\"request_seq\":1999999999,"
#define WAIT_S 20 /* longer than libFuzzer's -timeout=10: a hang is reported by it */

typedef struct sink {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done;    /* the sentinel's response came */
    bool verbose; /* WDB_FUZZ_VERBOSE set: print what is sent */
} sink;

static void on_send(void *user, const char *json, size_t len)
{
    sink *s = user;
    if (s->verbose) fprintf(stderr, "<-- %.*s\n", (int)(len > 2000 ? 2000 : len), json);
    if (!memmem(json, len, SENTINEL_TAG, sizeof SENTINEL_TAG - 1)) return;
    pthread_mutex_lock(&s->mu);
    s->done = true;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static bool special_path(const char *s)
{
    static const char *const dirs[] = {"/dev", "/proc", "/sys"};
    while (s[0] == '/' && s[1] == '/')
        s++;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        size_t n = strlen(dirs[i]);
        if (!strncmp(s, dirs[i], n) && (s[n] == 0 || s[n] == '/')) return true;
    }
    return false;
}

/* Replaces every string under /dev, /proc or /sys in the tree; true when
 * one was replaced. */
static bool scrub(cJSON *item)
{
    bool changed = false;
    if (cJSON_IsString(item) && item->valuestring && special_path(item->valuestring)) {
        cJSON_SetValuestring(item, "/nonexistent");
        changed = true;
    }
    for (cJSON *c = item->child; c; c = c->next)
        changed |= scrub(c);
    return changed;
}

/* args[key] becomes a file of dap-files/ ("@/NAME") or NOWHERE. */
static void confine(cJSON *args, const char *key)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
    if (!v) return;
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    char path[512];
    if (s && !strncmp(s, "@/", 2) && s[2] && !strchr(s + 2, '/') && strlen(s) < 200 &&
        strcmp(s + 2, "..") != 0 && strcmp(s + 2, ".") != 0)
        snprintf(path, sizeof path, "%s/%s", WDB_FUZZ_DAP_FILES, s + 2);
    else
        snprintf(path, sizeof path, "%s", NOWHERE);
    cJSON_ReplaceItemInObjectCaseSensitive(args, key, cJSON_CreateString(path));
}

/* The message to hand over: the input as it is, or (when it had to be
 * made harmless) a rewritten copy. Returns a malloc'ed NUL-terminated text. */
static char *harmless(const char *text, size_t len, size_t *outlen)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    bool changed = root && scrub(root);
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(root, "command");
    cJSON *args = cJSON_GetObjectItemCaseSensitive(root, "arguments");
    if (cJSON_IsString(cmd) && cmd->valuestring && cJSON_IsObject(args) &&
        (!strcmp(cmd->valuestring, "launch") || !strcmp(cmd->valuestring, "attach") ||
         !strcmp(cmd->valuestring, "restart"))) {
        cJSON_DeleteItemFromObjectCaseSensitive(args, "runtime");
        cJSON_AddStringToObject(args, "runtime", "/nonexistent/wdb-run");
        /* only a core launch may load the module: any other would start
         * wdb-run (fork, then a failing exec) or connect somewhere */
        if (strcmp(cmd->valuestring, "launch") != 0 ||
            !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(args, "coreFile"))) {
            cJSON_DeleteItemFromObjectCaseSensitive(args, "program");
            cJSON_AddStringToObject(args, "program", NOWHERE);
        }
        confine(args, "program");
        confine(args, "coreFile");
        cJSON_DeleteItemFromObjectCaseSensitive(args, "cwd");
        cJSON_DeleteItemFromObjectCaseSensitive(args, "sourceSearchPath");
        changed = true;
    }
    char *out = changed ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    if (out) {
        *outlen = strlen(out);
        return out;
    }
    out = malloc(len + 1);
    if (!out) return NULL;
    memcpy(out, text, len);
    out[len] = 0;
    *outlen = len;
    return out;
}

/* Proof that nothing above is a way to start a process: a fork anywhere
 * in the fuzzer's process is a finding. */
static void no_fork(void)
{
    fprintf(stderr, "fuzz-dap: a request started a process\n");
    abort();
}

static void guard_forks(void)
{
    pthread_atfork(no_fork, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, guard_forks);
    sink s = {.done = false, .verbose = getenv("WDB_FUZZ_VERBOSE") != NULL};
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    wb_dap_opts opts = {.runtime = "/nonexistent/wdb-run"};
    wb_dap *d = wb_dap_new(&opts, on_send, &s);
    if (!d) goto out;
    const char *text = (const char *)data;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(text + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - text) : size;
        size_t len = 0;
        char *m = harmless(text + i, end - i, &len);
        if (m) wb_dap_receive(d, m, len);
        free(m);
        i = end + 1;
    }
    char sentinel[128];
    int n = snprintf(sentinel, sizeof sentinel,
                     "{\"seq\":%d,\"type\":\"request\",\"command\":\"threads\"}", SENTINEL_SEQ);
    wb_dap_receive(d, sentinel, (size_t)n);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += WAIT_S;
    pthread_mutex_lock(&s.mu);
    while (!s.done)
        if (pthread_cond_timedwait(&s.cv, &s.mu, &until) == ETIMEDOUT) break;
    pthread_mutex_unlock(&s.mu);
    wb_dap_free(d);
out:
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv);
    return 0;
}
