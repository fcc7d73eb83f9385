/*
 * Record and replay of host calls (docs/TRACE.md).
 *
 * Everything nondeterministic a Wasm program sees comes through its imports:
 * every call from Wasm to a host function passes the funnel wr_host_call
 * (wr_interp.c), which hands it here while a trace is active.
 *
 * Recording runs the host function and writes one CALL record: which
 * import, the position (the store's poll count, below), a running checksum
 * of the calls' arguments, the outcome (results, exit code or trap message)
 * and the bytes of linear memory 0 the call wrote. A host function that
 * says which bytes it writes (wr_func.notes_writes: WASI's, through
 * wr_trace_note_write) costs those bytes: they are copied from memory
 * after the call. For any other host function they are found by comparing
 * memory with a copy taken just before the call, at the price of one copy
 * and one compare of memory 0 per call. WDB_TRACE_VERIFY=1 does the
 * compare for the former too and stops the run at a write it did not note.
 *
 * Replaying never calls the host function: it checks that the program
 * makes the call the trace expects (the same import, at the same poll
 * count, with the same arguments), writes the recorded bytes and returns
 * the recorded outcome. The one exception is output: a WASI fd_write to
 * guest fd 1 or 2 writes the bytes the program passes (the same as when it
 * was recorded, since the run is the same) to the host's stdout or stderr,
 * so a replay shows the program's output.
 *
 * Position: the count of the store's poll points (function entries and
 * loop iterations, the unit of fuel) at the call. While a trace is active
 * the store runs with fuel (UINT64_MAX units unless the embedder set some)
 * and the count is the fuel used. Together with the sequence number of the
 * call it places every call exactly, for the price of --fuel.
 */
#include "wr_trace.h"
#include "wr_interp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

/* Largest trace replay reads (it holds it in memory). */
#define WR_TRACE_MAX_BYTES (UINT64_C(1) << 32)
/* Bytes of equal memory that still join two changed spans into one. */
#define SPAN_GAP 16u

/* A range of memory 0 a host call said it wrote (wr_trace_note_write). */
typedef struct wr_note {
    uint64_t addr, len;
} wr_note;

struct wr_trace {
    wr_store *store;
    const wr_module *mod;
    bool replay;
    uint64_t fuel_base; /* store->fuel when the trace started */
    uint64_t ncalls;    /* calls recorded or replayed */
    uint64_t chk;       /* running checksum of the calls */
    /* names of the module's function imports, for messages */
    uint32_t nimports;
    const char **names;
    bool *is_fd_write; /* wasi_snapshot_preview1.fd_write */
    /* record */
    FILE *out;
    char *path;
    uint8_t *shadow; /* memory 0 before the call */
    uint64_t shadow_cap;
    wr_note *notes; /* the ranges written by a call of a notes_writes function */
    uint32_t nnotes, notes_cap;
    uint64_t note_limit; /* the size of memory 0 when the call began */
    bool noting;         /* such a call is being recorded */
    bool notes_lost;     /* out of memory for a note: record all of memory */
    bool verify;         /* WDB_TRACE_VERIFY: check the notes (verify_notes) */
    bool verify_failed;  /* a write was not noted: msg says which */
    uint8_t *rec;        /* the record being built */
    size_t rec_len, rec_cap;
    bool write_failed;
    /* replay; a recording keeps its records here too (reverse execution
     * replays them after wr_trace_rewind) */
    uint8_t *bytes;
    size_t len, pos, cap;
    size_t high; /* the furthest pos replayed: output is shown once */
    bool cut;    /* no END record: len ends at the last complete record */
    bool diverged;
    char msg[400];
};

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}
static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static void wr64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void set_err(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *buf, size_t len, const char *fmt, ...)
{
    if (!buf || !len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

static uint64_t count_now(const wr_trace *t)
{
    return t->fuel_base - t->store->fuel - t->store->fuel_reserve;
}

uint64_t wr_trace_count(const wr_trace *t)
{
    return count_now(t);
}

void wr_trace_get_mark(const wr_trace *t, wr_trace_mark *m)
{
    m->pos = t->pos;
    m->ncalls = t->ncalls;
    m->chk = t->chk;
}

void wr_trace_rewind(wr_trace *t, const wr_trace_mark *m)
{
    if (m->pos > t->len) return; /* not from this trace */
    t->pos = m->pos;
    t->ncalls = m->ncalls;
    t->chk = m->chk;
    t->diverged = false;
}

/* Appends n bytes to the log kept in memory. */
static bool keep(wr_trace *t, const void *p, size_t n)
{
    if (t->len + n > t->cap) {
        size_t cap = t->cap ? t->cap : 65536;
        while (cap < t->len + n)
            cap *= 2;
        uint8_t *b = realloc(t->bytes, cap);
        if (!b) return false;
        t->bytes = b;
        t->cap = cap;
    }
    memcpy(t->bytes + t->len, p, n);
    t->len += n;
    t->pos = t->high = t->len;
    return true;
}

/* ------------------------------------------------------- setup */

static wr_trace *trace_new(wr_store *store, const wr_module *mod, bool replay)
{
    wr_trace *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->store = store;
    t->mod = mod;
    t->replay = replay;
    t->chk = FNV_OFFSET;
    t->nimports = mod->nfunc_imports;
    t->names = calloc(t->nimports + 1, sizeof *t->names);
    t->is_fd_write = calloc(t->nimports + 1, sizeof *t->is_fd_write);
    if (!t->names || !t->is_fd_write) {
        wr_trace_free(t);
        return NULL;
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < mod->nimports && k < t->nimports; i++) {
        const wr_import *im = &mod->imports[i];
        if (im->kind != WR_EXTERN_FUNC) continue;
        t->names[k] = im->name;
        t->is_fd_write[k] =
            !strcmp(im->module, "wasi_snapshot_preview1") && !strcmp(im->name, "fd_write");
        k++;
    }
    return t;
}

/* Runs the store with fuel so that the poll count is known. */
static void start_counting(wr_trace *t)
{
    wr_store *s = t->store;
    if (!(s->interrupt & WR_POLL_FUEL)) wr_store_set_fuel(s, UINT64_MAX);
    t->fuel_base = s->fuel;
}

void wr_trace_free(wr_trace *t)
{
    if (!t) return;
    if (t->out) fclose(t->out);
    free(t->path);
    free(t->names);
    free(t->is_fd_write);
    free(t->shadow);
    free(t->notes);
    free(t->rec);
    free(t->bytes);
    free(t);
}

static void put_header(uint8_t h[WR_TRACE_HEADER_SIZE], const wr_module *mod)
{
    memcpy(h, WR_TRACE_MAGIC, 8);
    wr32(h + 8, WR_TRACE_VERSION);
    wr32(h + 12, 0);
    wr64(h + 16, (uint64_t)mod->len);
    wr64(h + 24, fnv(FNV_OFFSET, mod->bytes, mod->len));
}

wr_status wr_trace_record(wr_store *store, wr_module *mod, const char *path, char *errbuf,
                          size_t errlen)
{
    if (store->trace) {
        set_err(errbuf, errlen, "a trace is already active");
        return WR_ERR_ARG;
    }
    wr_trace *t = trace_new(store, mod, false);
    uint8_t h[WR_TRACE_HEADER_SIZE];
    put_header(h, mod);
    if (!t || (path && !(t->path = strdup(path))) || !keep(t, h, sizeof h)) {
        wr_trace_free(t);
        set_err(errbuf, errlen, "out of memory");
        return WR_ERR_NOMEM;
    }
    if (path && !(t->out = fopen(path, "wb"))) {
        set_err(errbuf, errlen, "cannot write trace %s: %s", path, strerror(errno));
        wr_trace_free(t);
        return WR_ERR_ARG;
    }
    if (t->out && (fwrite(h, sizeof h, 1, t->out) != 1 || fflush(t->out) != 0))
        t->write_failed = true;
    const char *v = getenv("WDB_TRACE_VERIFY");
    t->verify = v && *v && strcmp(v, "0") != 0;
    start_counting(t);
    store->trace = t;
    return WR_OK;
}

bool wr_trace_active(const wr_store *store)
{
    return store->trace != NULL;
}

wr_status wr_trace_record_memory(wr_store *store, wr_module *mod, char *errbuf, size_t errlen)
{
    return wr_trace_record(store, mod, NULL, errbuf, errlen);
}

/* ------------------------------------------------------- record */

static bool rec_put(wr_trace *t, const void *p, size_t n)
{
    if (t->rec_len + n > t->rec_cap) {
        size_t cap = t->rec_cap ? t->rec_cap : 256;
        while (cap < t->rec_len + n)
            cap *= 2;
        uint8_t *r = realloc(t->rec, cap);
        if (!r) return false;
        t->rec = r;
        t->rec_cap = cap;
    }
    memcpy(t->rec + t->rec_len, p, n);
    t->rec_len += n;
    return true;
}
static bool rec_u8(wr_trace *t, uint8_t v)
{
    return rec_put(t, &v, 1);
}
static bool rec_u32(wr_trace *t, uint32_t v)
{
    uint8_t b[4];
    wr32(b, v);
    return rec_put(t, b, 4);
}
static bool rec_u64(wr_trace *t, uint64_t v)
{
    uint8_t b[8];
    wr64(b, v);
    return rec_put(t, b, 8);
}

/* Ends the record being built with its checksum and writes it. */
static bool rec_flush(wr_trace *t)
{
    uint64_t c = fnv(FNV_OFFSET, t->rec, t->rec_len);
    bool ok = rec_u64(t, c) && keep(t, t->rec, t->rec_len);
    /* flushed record by record: a run killed (or crashing the host) leaves
     * every call made so far in the file, for a replay up to there */
    if (!ok || (t->out && (fwrite(t->rec, t->rec_len, 1, t->out) != 1 || fflush(t->out) != 0)))
        t->write_failed = true;
    t->rec_len = 0;
    return ok;
}

/* Appends the spans of [0, n) where mem differs from the shadow: count,
 * then (addr, len, bytes) each. */
static bool rec_spans(wr_trace *t, const uint8_t *mem, uint64_t n)
{
    size_t count_at = t->rec_len;
    uint32_t nspans = 0;
    if (!rec_u32(t, 0)) return false;
    const uint8_t *old = t->shadow;
    uint64_t i = 0;
    while (i < n) {
        /* skip equal 64-byte blocks quickly */
        if (n - i >= 64 && !memcmp(mem + i, old + i, 64)) {
            i += 64;
            continue;
        }
        if (mem[i] == old[i]) {
            i++;
            continue;
        }
        uint64_t start = i, end = i + 1, eq = 0;
        for (i = end; i < n; i++) {
            if (mem[i] != old[i]) {
                end = i + 1;
                eq = 0;
            } else if (++eq > SPAN_GAP) {
                break;
            }
        }
        if (!rec_u32(t, (uint32_t)start) || !rec_u32(t, (uint32_t)(end - start)) ||
            !rec_put(t, mem + start, (size_t)(end - start)))
            return false;
        nspans++;
        i = end;
    }
    wr32(t->rec + count_at, nspans);
    return true;
}

void wr_trace_note_write(wr_trace *t, uint64_t addr, uint64_t len)
{
    if (!t || !t->noting || len == 0 || addr >= t->note_limit) return;
    if (len > t->note_limit - addr) len = t->note_limit - addr;
    wr_note *last = t->nnotes ? &t->notes[t->nnotes - 1] : NULL;
    if (last && last->addr + last->len == addr) { /* the usual: what follows */
        last->len += len;
        return;
    }
    if (t->nnotes == t->notes_cap) {
        uint32_t cap = t->notes_cap ? t->notes_cap * 2 : 16;
        wr_note *n = cap > t->notes_cap ? realloc(t->notes, cap * sizeof *n) : NULL;
        if (!n) {
            t->notes_lost = true;
            return;
        }
        t->notes = n;
        t->notes_cap = cap;
    }
    t->notes[t->nnotes++] = (wr_note){addr, len};
}

/* Sorts the notes by address and joins those that overlap or touch. */
static void merge_notes(wr_trace *t)
{
    wr_note *v = t->notes;
    uint32_t n = t->nnotes, k = 0;
    for (uint32_t i = 1; i < n; i++) { /* insertion sort: a few, mostly in order */
        wr_note x = v[i];
        uint32_t j = i;
        for (; j > 0 && v[j - 1].addr > x.addr; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (k && v[i].addr <= v[k - 1].addr + v[k - 1].len) {
            uint64_t end = v[i].addr + v[i].len;
            if (end > v[k - 1].addr + v[k - 1].len) v[k - 1].len = end - v[k - 1].addr;
        } else {
            v[k++] = v[i];
        }
    }
    t->nnotes = k;
}

/* Appends the spans of the noted ranges (merged) within [0, n), read from
 * mem: count, then (addr, len, bytes) each. Ranges less than SPAN_GAP
 * apart make one span: the bytes between are as they were before the call,
 * and a replay has them so too. */
static bool rec_noted(wr_trace *t, const uint8_t *mem, uint64_t n)
{
    size_t count_at = t->rec_len;
    uint32_t nspans = 0;
    if (!rec_u32(t, 0)) return false;
    if (t->notes_lost) { /* all of it, then */
        wr32(t->rec + count_at, n ? 1 : 0);
        return !n || (rec_u32(t, 0) && rec_u32(t, (uint32_t)n) && rec_put(t, mem, (size_t)n));
    }
    const wr_note *v = t->notes;
    for (uint32_t i = 0; i < t->nnotes && v[i].addr < n;) {
        uint64_t start = v[i].addr, end = start + v[i].len;
        for (i++; i < t->nnotes && v[i].addr - end <= SPAN_GAP; i++)
            end = v[i].addr + v[i].len;
        if (end > n) end = n;
        if (!rec_u32(t, (uint32_t)start) || !rec_u32(t, (uint32_t)(end - start)) ||
            !rec_put(t, mem + start, (size_t)(end - start)))
            return false;
        nspans++;
    }
    wr32(t->rec + count_at, nspans);
    return true;
}

static uint32_t import_index(const wr_trace *t, const wr_func *f, const wr_instance *caller)
{
    for (uint32_t i = 0; i < t->nimports && i < caller->module->nfunc_imports; i++)
        if (caller->funcs[i] == f) return i;
    return UINT32_MAX; /* a host function reached through a table */
}

static uint64_t args_checksum(uint64_t chk, uint32_t idx, uint64_t count, const uint64_t *args,
                              uint32_t n)
{
    uint8_t b[12];
    wr32(b, idx);
    wr64(b + 4, count);
    chk = fnv(chk, b, sizeof b);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t v[8];
        wr64(v, args[i]);
        chk = fnv(chk, v, 8);
    }
    return chk;
}

static const char *import_name(const wr_trace *t, uint32_t idx);

/* WDB_TRACE_VERIFY: checks that every byte of [0, n) that differs from the
 * shadow lies in a noted range (merged). If one does not, the run stops:
 * msg names the function and the first such byte. */
static bool verify_notes(wr_trace *t, uint32_t idx, const uint8_t *mem, uint64_t n)
{
    const uint8_t *old = t->shadow;
    uint64_t first = 0, bad = 0, from = 0;
    for (uint32_t k = 0; k <= t->nnotes && from < n; k++) {
        uint64_t to = k < t->nnotes && t->notes[k].addr < n ? t->notes[k].addr : n;
        if (to > from && memcmp(mem + from, old + from, (size_t)(to - from)) != 0)
            for (uint64_t i = from; i < to; i++)
                if (mem[i] != old[i] && !bad++) first = i;
        if (k < t->nnotes) from = t->notes[k].addr + t->notes[k].len;
    }
    if (!bad) return true;
    snprintf(t->msg, sizeof t->msg,
             "WDB_TRACE_VERIFY: host function %s (call %" PRIu64 ") changed memory at 0x%" PRIx64
             " (0x%02x -> 0x%02x) outside the ranges it noted (%" PRIu64
             " such bytes): its recording would not replay",
             import_name(t, idx), t->ncalls, first, old[first], mem[first], bad);
    t->verify_failed = true;
    return false;
}

static wr_status record_call(wr_trace *t, wr_func *f, wr_instance *caller, uint64_t *slots,
                             wr_host_raw_fn raw)
{
    uint32_t np = f->type->nparams, nr = f->type->nresults;
    uint32_t idx = import_index(t, f, caller);
    uint64_t count = count_now(t);
    t->chk = args_checksum(t->chk, idx, count, slots, np);
    wr_memory *m = caller->module->nmems ? caller->mems[0] : NULL;
    uint64_t before = m ? m->size : 0;
    /* a function that notes its writes needs no copy (unless verifying) */
    bool noted = f->notes_writes;
    if (m && (!noted || t->verify)) {
        if (before > t->shadow_cap) {
            uint8_t *s = realloc(t->shadow, before);
            if (!s) return WR_ERR_NOMEM;
            t->shadow = s;
            t->shadow_cap = before;
        }
        memcpy(t->shadow, m->data, before);
    }
    if (noted) {
        t->nnotes = 0;
        t->notes_lost = false;
        t->note_limit = before;
        t->noting = true;
    }
    wr_status st = raw(f, caller, slots);
    t->noting = false;
    t->ncalls++;
    uint8_t out = st == WR_OK         ? WR_TOUT_OK
                  : st == WR_ERR_EXIT ? WR_TOUT_EXIT
                  : st == WR_ERR_TRAP ? WR_TOUT_TRAP
                                      : WR_TOUT_ERROR;
    bool ok = rec_u8(t, WR_TREC_CALL) && rec_u32(t, idx) && rec_u64(t, count) &&
              rec_u64(t, t->chk) && rec_u8(t, out);
    if (ok && out == WR_TOUT_OK) {
        ok = rec_u32(t, nr);
        for (uint32_t i = 0; ok && i < nr; i++)
            ok = rec_u64(t, slots[i]);
    } else if (ok && out == WR_TOUT_EXIT) {
        ok = rec_u32(t, (uint32_t)t->store->exit_code);
    } else if (ok && out == WR_TOUT_TRAP) {
        const char *msg = t->store->last_trap.msg;
        uint32_t n = (uint32_t)strnlen(msg, sizeof t->store->last_trap.msg);
        ok = rec_u32(t, n) && rec_put(t, msg, n);
    } else if (ok) {
        ok = rec_u32(t, (uint32_t)st);
    }
    /* memory may have grown (not by WASI): compare what both sizes hold */
    uint64_t after = m ? m->size : 0, n = after < before ? after : before;
    const uint8_t *mem = m ? m->data : NULL;
    bool verified = true;
    if (noted) {
        merge_notes(t);
        if (t->verify && !t->notes_lost) verified = verify_notes(t, idx, mem, n);
    }
    if (ok) ok = noted ? rec_noted(t, mem, n) : rec_spans(t, mem, n);
    if (!ok || !rec_flush(t)) t->write_failed = true;
    if ((out == WR_TOUT_EXIT || out == WR_TOUT_TRAP) && t->out) fflush(t->out);
    if (!verified) return wr_trap_host(caller, "%s", t->msg);
    return st;
}

/* ------------------------------------------------------- replay */

/* A bounds-checked reader over the trace (replay and wr_trace_check). */
typedef struct tcur {
    const uint8_t *p;
    size_t len, pos;
    bool bad;
} tcur;

static const uint8_t *take(tcur *c, size_t n)
{
    if (c->bad || c->len - c->pos < n) {
        c->bad = true;
        return NULL;
    }
    const uint8_t *r = c->p + c->pos;
    c->pos += n;
    return r;
}
static uint8_t tu8(tcur *c)
{
    const uint8_t *p = take(c, 1);
    return p ? p[0] : 0;
}
static uint32_t tu32(tcur *c)
{
    const uint8_t *p = take(c, 4);
    return p ? rd32(p) : 0;
}
static uint64_t tu64(tcur *c)
{
    const uint8_t *p = take(c, 8);
    return p ? rd64(p) : 0;
}

/* One CALL record, decoded (pointers into the trace). */
typedef struct tcall {
    uint32_t idx;
    uint64_t count, chk;
    uint8_t out;
    uint32_t nres;
    const uint8_t *res; /* nres u64 */
    uint32_t code;      /* EXIT: the exit code; ERROR: the status */
    const char *msg;    /* TRAP */
    uint32_t msglen;
    uint32_t nspans;
    const uint8_t *spans; /* (addr u32, len u32, bytes) each */
} tcall;

/* The END record. */
typedef struct tend {
    uint8_t out;
    uint32_t code, trap, func, offset;
    uint64_t count, ncalls;
} tend;

/* Decodes the record at c->pos (kind byte included) and checks its
 * checksum. Returns the kind, or 0 with a message. */
static int read_record(tcur *c, tcall *call, tend *end, char *err, size_t errlen)
{
    size_t start = c->pos;
    uint8_t kind = tu8(c);
    if (kind == WR_TREC_CALL) {
        memset(call, 0, sizeof *call);
        call->idx = tu32(c);
        call->count = tu64(c);
        call->chk = tu64(c);
        call->out = tu8(c);
        switch (call->out) {
        case WR_TOUT_OK:
            call->nres = tu32(c);
            if (call->nres > 16) c->bad = true;
            call->res = take(c, (size_t)call->nres * 8);
            break;
        case WR_TOUT_EXIT:
        case WR_TOUT_ERROR: call->code = tu32(c); break;
        case WR_TOUT_TRAP:
            call->msglen = tu32(c);
            if (call->msglen > 255) c->bad = true;
            call->msg = (const char *)take(c, call->msglen);
            break;
        default:
            set_err(err, errlen, "corrupted at byte %zu: unknown call outcome %u", start,
                    call->out);
            return 0;
        }
        call->nspans = tu32(c);
        call->spans = c->bad ? NULL : c->p + c->pos;
        for (uint32_t i = 0; i < call->nspans && !c->bad; i++) {
            tu32(c);
            take(c, tu32(c));
        }
    } else if (kind == WR_TREC_END) {
        end->out = tu8(c);
        end->code = tu32(c);
        end->trap = tu32(c);
        end->func = tu32(c);
        end->offset = tu32(c);
        end->count = tu64(c);
        end->ncalls = tu64(c);
    } else if (!c->bad) {
        set_err(err, errlen, "corrupted at byte %zu: unknown record kind 0x%02x", start, kind);
        return 0;
    }
    uint64_t want = c->bad ? 0 : fnv(FNV_OFFSET, c->p + start, c->pos - start);
    uint64_t got = tu64(c);
    if (c->bad) {
        set_err(err, errlen, "truncated: the record at byte %zu ends past the end (%zu bytes)",
                start, c->len);
        return 0;
    }
    if (want != got) {
        set_err(err, errlen, "corrupted: the record at byte %zu fails its checksum", start);
        return 0;
    }
    return kind;
}

/* wr_trace_check; with `cut` (replay), a trace that ends without its END
 * record, or in the middle of a record (a recording killed mid-way), is
 * accepted: *cut is then the length up to its last complete record. */
static wr_status check_trace(const uint8_t *bytes, size_t len, const wr_module *mod, char *errbuf,
                             size_t errlen, size_t *cut);

wr_status wr_trace_check(const uint8_t *bytes, size_t len, const wr_module *mod, char *errbuf,
                         size_t errlen)
{
    return check_trace(bytes, len, mod, errbuf, errlen, NULL);
}

static wr_status check_trace(const uint8_t *bytes, size_t len, const wr_module *mod, char *errbuf,
                             size_t errlen, size_t *cut)
{
    if (cut) *cut = 0;
    char e[200];
    if (len < WR_TRACE_HEADER_SIZE || memcmp(bytes, WR_TRACE_MAGIC, 8) != 0) {
        set_err(errbuf, errlen,
                len < 8 || memcmp(bytes, WR_TRACE_MAGIC, 8) != 0
                    ? "not a wdb trace (no WDBTRACE magic)"
                    : "truncated: the header needs %u bytes, the file has %zu",
                WR_TRACE_HEADER_SIZE, len);
        return WR_ERR_MALFORMED;
    }
    uint32_t ver = rd32(bytes + 8);
    if (ver != WR_TRACE_VERSION) {
        set_err(errbuf, errlen,
                "format version %" PRIu32 " is not supported (this wdb-run reads version %u)", ver,
                WR_TRACE_VERSION);
        return WR_ERR_MALFORMED;
    }
    if (rd32(bytes + 12) != 0) {
        set_err(errbuf, errlen, "corrupted header: unknown flags 0x%08" PRIx32, rd32(bytes + 12));
        return WR_ERR_MALFORMED;
    }
    if (mod) {
        uint8_t h[WR_TRACE_HEADER_SIZE];
        put_header(h, mod);
        if (memcmp(h + 16, bytes + 16, 16) != 0) {
            set_err(errbuf, errlen,
                    "recorded for another module (%" PRIu64 " bytes, hash %016" PRIx64
                    "; this one: %zu bytes, hash %016" PRIx64 ")",
                    rd64(bytes + 16), rd64(bytes + 24), mod->len, rd64(h + 24));
            return WR_ERR_MALFORMED;
        }
    }
    tcur c = {bytes, len, WR_TRACE_HEADER_SIZE, false};
    uint64_t ncalls = 0;
    for (;;) {
        if (c.pos == c.len && cut) {
            *cut = c.pos;
            return WR_OK;
        }
        if (c.pos == c.len) {
            set_err(errbuf, errlen, "truncated after %" PRIu64 " calls: no END record (byte %zu)",
                    ncalls, c.len);
            return WR_ERR_MALFORMED;
        }
        tcall call;
        tend end;
        size_t at = c.pos;
        int k = read_record(&c, &call, &end, e, sizeof e);
        if (!k && c.bad && cut) {
            *cut = at; /* a record cut short: the file ends inside it */
            return WR_OK;
        }
        if (!k) {
            set_err(errbuf, errlen, "%s", e);
            return WR_ERR_MALFORMED;
        }
        if (k == WR_TREC_CALL) {
            if (mod && call.idx != UINT32_MAX && call.idx >= mod->nfunc_imports) {
                set_err(errbuf, errlen,
                        "corrupted: call %" PRIu64 " names import %" PRIu32
                        ", the module has %" PRIu32,
                        ncalls + 1, call.idx, mod->nfunc_imports);
                return WR_ERR_MALFORMED;
            }
            ncalls++;
            continue;
        }
        if (end.ncalls != ncalls) {
            set_err(errbuf, errlen,
                    "corrupted: the END record counts %" PRIu64 " calls, the trace has %" PRIu64,
                    end.ncalls, ncalls);
            return WR_ERR_MALFORMED;
        }
        if (c.pos != c.len) {
            set_err(errbuf, errlen, "corrupted: %zu bytes after the END record", c.len - c.pos);
            return WR_ERR_MALFORMED;
        }
        return WR_OK;
    }
}

wr_status wr_trace_replay(wr_store *store, wr_module *mod, const char *path, char *errbuf,
                          size_t errlen)
{
    if (store->trace) {
        set_err(errbuf, errlen, "a trace is already active");
        return WR_ERR_ARG;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        set_err(errbuf, errlen, "cannot read trace %s: %s", path, strerror(errno));
        return WR_ERR_ARG;
    }
    wr_trace *t = trace_new(store, mod, true);
    size_t cap = 0;
    bool ok = t != NULL;
    while (ok) {
        if (t->len == cap) {
            if (cap >= WR_TRACE_MAX_BYTES) {
                ok = false;
                set_err(errbuf, errlen, "trace %s: larger than 4 GiB", path);
                break;
            }
            cap = cap ? cap * 2 : 65536;
            uint8_t *b = realloc(t->bytes, cap);
            if (!b) {
                ok = false;
                set_err(errbuf, errlen, "out of memory");
                break;
            }
            t->bytes = b;
        }
        size_t n = fread(t->bytes + t->len, 1, cap - t->len, f);
        if (n == 0) {
            if (ferror(f)) {
                ok = false;
                set_err(errbuf, errlen, "cannot read trace %s: %s", path, strerror(errno));
            }
            break;
        }
        t->len += n;
    }
    fclose(f);
    if (!t && errbuf) set_err(errbuf, errlen, "out of memory");
    if (!ok) {
        wr_trace_free(t);
        return WR_ERR_NOMEM;
    }
    char e[220];
    size_t cut;
    if (check_trace(t->bytes, t->len, mod, e, sizeof e, &cut) != WR_OK) {
        set_err(errbuf, errlen, "trace %s: %s", path, e);
        wr_trace_free(t);
        return WR_ERR_MALFORMED;
    }
    if (cut) {
        t->cut = true;
        t->len = cut;
    }
    t->pos = WR_TRACE_HEADER_SIZE;
    start_counting(t);
    store->trace = t;
    return WR_OK;
}

static const char *import_name(const wr_trace *t, uint32_t idx)
{
    return idx < t->nimports && t->names[idx] ? t->names[idx] : "a host function via a table";
}

/* The name of the Wasm function that made the call (frame 0). */
static void caller_name(const wr_trace *t, char *buf, size_t len)
{
    wr_interp *it = t->store->interp;
    if (!it || !it->code) {
        snprintf(buf, len, "?");
        return;
    }
    size_t n;
    uint32_t fi = it->code->func_index;
    const char *s = wr_module_func_name(it->code->mod, fi, &n);
    if (s)
        snprintf(buf, len, "%.*s", (int)(n < 100 ? n : 100), s);
    else
        snprintf(buf, len, "function %" PRIu32, fi);
}

static wr_status diverge(wr_trace *t, wr_instance *caller, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static wr_status diverge(wr_trace *t, wr_instance *caller, const char *fmt, ...)
{
    char what[160], fn[112];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    caller_name(t, fn, sizeof fn);
    snprintf(t->msg, sizeof t->msg,
             "replay diverged at call %" PRIu64 " (count %" PRIu64 ") in %s: %s", t->ncalls + 1,
             count_now(t), fn, what);
    t->diverged = true;
    return wr_trap_host(caller, "%s", t->msg);
}

/* Re-executes a replayed fd_write to guest fd 1 or 2 on the host's: the
 * `nwritten` bytes the program passed, from its iovecs in memory. */
static void replay_output(wr_memory *m, const uint64_t *args)
{
    uint32_t fd = (uint32_t)args[0], iovs = (uint32_t)args[1], n = (uint32_t)args[2];
    uint32_t nw_ptr = (uint32_t)args[3];
    if ((fd != 1 && fd != 2) || !m || (uint64_t)nw_ptr + 4 > m->size) return;
    uint32_t left = rd32(m->data + nw_ptr);
    if (fd == 1) fflush(stdout);
    for (uint32_t i = 0; i < n && left; i++) {
        uint64_t at = (uint64_t)iovs + (uint64_t)i * 8;
        if (at + 8 > m->size) break;
        uint32_t buf = rd32(m->data + at), len = rd32(m->data + at + 4);
        if (len > left) len = left;
        if ((uint64_t)buf + len > m->size) break;
        for (uint32_t done = 0; done < len;) {
            ssize_t w = write((int)fd, m->data + buf + done, len - done);
            if (w <= 0) {
                if (w < 0 && errno == EINTR) continue;
                return;
            }
            done += (uint32_t)w;
        }
        left -= len;
    }
}

static wr_status replay_call(wr_trace *t, wr_func *f, wr_instance *caller, uint64_t *slots)
{
    if (t->diverged) return wr_trap_host(caller, "%s", t->msg);
    uint32_t np = f->type->nparams, nr = f->type->nresults;
    uint32_t idx = import_index(t, f, caller);
    uint64_t count = count_now(t);
    tcur c = {t->bytes, t->len, t->pos, false};
    tcall call;
    tend end;
    char e[200];
    if (t->cut && t->pos >= t->len) {
        /* the end of a trace whose recording was killed: the replay stops
         * here, with the program as it was when the recorder stopped */
        char fn[112];
        caller_name(t, fn, sizeof fn);
        snprintf(t->msg, sizeof t->msg,
                 "the trace ends after call %" PRIu64 ": the recorded run was cut off there "
                 "(no END record: killed?); the replay stops at call %" PRIu64 " (count %" PRIu64
                 ") in %s, calling %s",
                 t->ncalls, t->ncalls + 1, count, fn, import_name(t, idx));
        t->diverged = true;
        return wr_trap_host(caller, "%s", t->msg);
    }
    int k = read_record(&c, &call, &end, e, sizeof e);
    if (k == WR_TREC_END)
        return diverge(t, caller, "the recorded run ended, the program called %s",
                       import_name(t, idx));
    if (k != WR_TREC_CALL) return diverge(t, caller, "%s", e); /* checked at load: not reached */
    if (call.idx != idx)
        return diverge(t, caller, "expected %s, the program called %s", import_name(t, call.idx),
                       import_name(t, idx));
    if (call.count != count)
        return diverge(t, caller, "%s was recorded at count %" PRIu64, import_name(t, idx),
                       call.count);
    uint64_t chk = args_checksum(t->chk, idx, count, slots, np);
    if (chk != call.chk)
        return diverge(t, caller, "%s called with other arguments than recorded",
                       import_name(t, idx));
    if (call.out == WR_TOUT_OK && call.nres != nr)
        return diverge(t, caller, "%s returned %" PRIu32 " results when recorded, it has %" PRIu32,
                       import_name(t, idx), call.nres, nr);
    wr_memory *m = caller->module->nmems ? caller->mems[0] : NULL;
    tcur s = {call.spans, t->bytes + t->len - call.spans, 0, false};
    for (uint32_t i = 0; i < call.nspans; i++) {
        uint32_t addr = tu32(&s), len = tu32(&s);
        const uint8_t *b = take(&s, len);
        if (!b || !m || (uint64_t)addr + len > m->size)
            return diverge(t, caller,
                           "%s wrote memory at 0x%" PRIx32 "+%" PRIu32
                           " when recorded, outside memory now",
                           import_name(t, idx), addr, len);
        memcpy(m->data + addr, b, len);
    }
    t->chk = chk;
    t->pos = c.pos;
    t->ncalls++;
    switch (call.out) {
    case WR_TOUT_OK:
        /* output once: not again when reverse execution replays it */
        if (idx < t->nimports && t->is_fd_write[idx] && np == 4 && nr == 1 && rd64(call.res) == 0 &&
            t->pos > t->high)
            replay_output(m, slots);
        if (t->pos > t->high) t->high = t->pos;
        for (uint32_t i = 0; i < nr; i++)
            slots[i] = rd64(call.res + 8 * i);
        return WR_OK;
    case WR_TOUT_EXIT: return wr_exit(caller, (int)call.code);
    case WR_TOUT_TRAP: return wr_trap_host(caller, "%.*s", (int)call.msglen, call.msg);
    default: return (wr_status)call.code == WR_ERR_NOMEM ? WR_ERR_NOMEM : WR_ERR_ARG;
    }
}

wr_status wr_trace_host_call(wr_trace *t, wr_func *f, wr_instance *caller, uint64_t *slots,
                             wr_host_raw_fn raw)
{
    /* a recording replays what it recorded after wr_trace_rewind */
    return t->replay || t->pos < t->len ? replay_call(t, f, caller, slots)
                                        : record_call(t, f, caller, slots, raw);
}

/* ------------------------------------------------------- the end */

static void outcome_of(const wr_store *store, wr_status run, tend *e)
{
    memset(e, 0, sizeof *e);
    switch (run) {
    case WR_OK: e->out = WR_TOUT_OK; break;
    case WR_ERR_EXIT:
        e->out = WR_TOUT_EXIT;
        e->code = (uint32_t)store->exit_code;
        break;
    case WR_ERR_TRAP: {
        const wr_trap_info *ti = &store->last_trap;
        e->out = WR_TOUT_TRAP;
        e->trap = (uint32_t)ti->kind;
        if (ti->nframes) {
            e->func = ti->frames[0].func_index;
            e->offset = ti->frames[0].code_offset;
        }
        break;
    }
    default:
        e->out = WR_TOUT_ERROR;
        e->code = (uint32_t)run;
        break;
    }
}

static void describe(const tend *e, char *buf, size_t len)
{
    switch (e->out) {
    case WR_TOUT_OK: snprintf(buf, len, "returned"); break;
    case WR_TOUT_EXIT: snprintf(buf, len, "exited with code %" PRId32, (int32_t)e->code); break;
    case WR_TOUT_TRAP:
        snprintf(buf, len, "trapped (%s) in function %" PRIu32 " at code offset 0x%" PRIx32,
                 e->trap < WR_TRAP_KIND_COUNT ? wr_trap_name((wr_trap_kind)e->trap) : "?", e->func,
                 e->offset);
        break;
    default: snprintf(buf, len, "failed (status %" PRIu32 ")", e->code); break;
    }
}

wr_status wr_trace_finish(wr_store *store, wr_status run, char *errbuf, size_t errlen)
{
    wr_trace *t = store->trace;
    if (!t) return WR_OK;
    store->trace = NULL;
    tend now;
    outcome_of(store, run, &now);
    now.count = count_now(t);
    now.ncalls = t->ncalls;
    wr_status st = WR_OK;
    if (!t->replay) {
        bool ok = rec_u8(t, WR_TREC_END) && rec_u8(t, now.out) && rec_u32(t, now.code) &&
                  rec_u32(t, now.trap) && rec_u32(t, now.func) && rec_u32(t, now.offset) &&
                  rec_u64(t, now.count) && rec_u64(t, now.ncalls);
        if (!ok || !rec_flush(t)) t->write_failed = true;
        if (t->out && fclose(t->out) != 0) t->write_failed = true;
        t->out = NULL;
        if (t->verify_failed) {
            set_err(errbuf, errlen, "%s", t->msg);
            st = WR_ERR_ARG;
        } else if (t->write_failed) {
            set_err(errbuf, errlen, "cannot write trace %s", t->path ? t->path : "(in memory)");
            st = WR_ERR_ARG;
        }
    } else if (t->diverged) {
        set_err(errbuf, errlen, "%s", t->msg);
        st = WR_ERR_ARG;
    } else if (t->cut && t->pos >= t->len) {
        char b[128];
        describe(&now, b, sizeof b);
        set_err(errbuf, errlen,
                "the trace ends after call %" PRIu64 " without its END record (the recorded run "
                "was cut off): the replay made every call, then the program %s; how the recorded "
                "run ended is unknown",
                t->ncalls, b);
        st = WR_ERR_ARG;
    } else {
        tcur c = {t->bytes, t->len, t->pos, false};
        tcall call;
        tend want;
        char e[200];
        int k = read_record(&c, &call, &want, e, sizeof e);
        char a[128], b[128];
        if (k == WR_TREC_CALL) {
            describe(&now, b, sizeof b);
            set_err(errbuf, errlen,
                    "replay diverged at call %" PRIu64 " (count %" PRIu64
                    "): expected %s, the program %s",
                    t->ncalls + 1, now.count, import_name(t, call.idx), b);
            st = WR_ERR_ARG;
        } else if (k == WR_TREC_END && (want.out != now.out || want.code != now.code ||
                                        want.trap != now.trap || want.func != now.func ||
                                        want.offset != now.offset || want.count != now.count)) {
            describe(&want, a, sizeof a);
            describe(&now, b, sizeof b);
            set_err(errbuf, errlen,
                    "replay diverged at the end (count %" PRIu64 "): the recorded run %s at count "
                    "%" PRIu64 ", this one %s",
                    now.count, a, want.count, b);
            st = WR_ERR_ARG;
        }
    }
    wr_trace_free(t);
    return st;
}
