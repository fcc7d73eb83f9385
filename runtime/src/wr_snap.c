/*
 * Reverse execution support (docs/TRACE.md "Reverse execution"): positions,
 * the poll-count alarm and snapshots of the whole execution state. Host
 * builds only (WR_TRACE), like the trace they need.
 *
 * A snapshot is taken at a stop (inside the debug hook), where the
 * interpreter's registers are saved in wr_interp and reloaded after the
 * hook: restoring one there puts back the frames and operand stack, the
 * memories, globals, tables, dropped segments, the fuel and the trace's
 * place, and the interpreter runs on from the snapshot's stop. Host calls
 * after it are replayed from the trace's log (wr_trace_rewind), so the
 * program takes the same path without calling the host again.
 *
 * Memory is kept in pages of WR_SNAP_PAGE bytes; a page equal to the same
 * page of the previous snapshot is shared with it (reference counted), so
 * a series of snapshots costs the pages the program wrote between them.
 */
#include "wr_interp.h"
#include "wr_trace.h"

#include <stdlib.h>
#include <string.h>

#define WR_SNAP_PAGE 4096u

typedef struct snap_page {
    uint32_t refs;
    uint8_t data[WR_SNAP_PAGE];
} snap_page;

typedef struct snap_mem {
    wr_memory *m;
    uint64_t size;
    uint32_t pages; /* Wasm pages */
    size_t npg;     /* snapshot pages */
    snap_page **pg;
} snap_mem;

typedef struct snap_table {
    wr_table *t;
    uint32_t size;
    void **elems;
} snap_table;

typedef struct snap_inst {
    wr_instance *inst;
    bool *elem_dropped, *data_dropped;
} snap_inst;

struct wr_snapshot {
    wr_position pos;
    /* interpreter */
    const wr_op *ip;
    uint64_t *fp, *top;
    wr_code *code;
    wr_instance *inst;
    size_t ncs, base;
    uint64_t invocation;
    wr_cframe *cs;
    size_t nstack;
    uint64_t *stack;
    /* store */
    uint64_t fuel; /* fuel + reserve: an alarm is not part of the state */
    size_t nmems, nglobals, ntables, ninsts;
    snap_mem *mems;
    uint64_t *globals;
    snap_table *tables;
    snap_inst *insts;
    wr_trace_mark mark;
    size_t *acct; /* the caller's count of bytes held by snapshots */
    size_t own;   /* bytes counted there besides pages */
};

static wr_interp *paused_interp(wr_store *store)
{
    wr_interp *it = store->interp;
    return it && it->paused && it->code && it->base && store->trace ? it : NULL;
}

wr_status wr_debug_position(wr_store *store, wr_position *out)
{
    wr_interp *it = paused_interp(store);
    if (!it) return WR_ERR_ARG;
    wr_frame_info fi;
    if (wr_debug_frame(store, 0, &fi) != WR_OK) return WR_ERR_ARG;
    out->count = wr_trace_count(store->trace);
    out->depth = wr_interp_depth(it);
    out->offset = fi.code_offset;
    return WR_OK;
}

wr_status wr_debug_alarm(wr_store *store, uint64_t count)
{
    wr_interp *it = store->interp;
    if (!it || !store->trace || !(store->interrupt & WR_POLL_FUEL)) return WR_ERR_ARG;
    /* cancel any alarm: all the fuel back in one place */
    store->fuel += store->fuel_reserve;
    store->fuel_reserve = 0;
    it->alarm = false;
    if (!count) return WR_OK;
    uint64_t now = wr_trace_count(store->trace);
    if (count <= now || count - now > store->fuel) return WR_ERR_ARG;
    /* fuel runs out after count - now - 1 polls; the next poll gets the
     * rest back, uses its unit (the count is then `count`) and stops */
    uint64_t first = count - now - 1;
    store->fuel_reserve = store->fuel - first;
    store->fuel = first;
    it->alarm = true;
    return WR_OK;
}

static void page_unref(size_t *acct, snap_page *p)
{
    if (p && --p->refs == 0) {
        free(p);
        *acct -= sizeof *p;
    }
}

void wr_snapshot_free(wr_snapshot *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->nmems; i++) {
        for (size_t k = 0; k < s->mems[i].npg; k++)
            page_unref(s->acct, s->mems[i].pg[k]);
        free(s->mems[i].pg);
    }
    for (size_t i = 0; i < s->ntables; i++)
        free(s->tables[i].elems);
    for (size_t i = 0; i < s->ninsts; i++) {
        free(s->insts[i].elem_dropped);
        free(s->insts[i].data_dropped);
    }
    free(s->mems);
    free(s->tables);
    free(s->insts);
    free(s->globals);
    free(s->cs);
    free(s->stack);
    *s->acct -= s->own;
    free(s);
}

const wr_position *wr_snapshot_position(const wr_snapshot *s)
{
    return &s->pos;
}

wr_status wr_snapshot_read(const wr_snapshot *s, const wr_memory *m, uint64_t addr, void *buf,
                           size_t len)
{
    for (size_t k = 0; k < s->nmems; k++) {
        const snap_mem *sm = &s->mems[k];
        if (sm->m != m) continue;
        if (addr > sm->size || len > sm->size - addr) return WR_ERR_ARG;
        uint8_t *out = buf;
        while (len) {
            size_t p = (size_t)(addr / WR_SNAP_PAGE), off = (size_t)(addr % WR_SNAP_PAGE);
            size_t n = WR_SNAP_PAGE - off < len ? WR_SNAP_PAGE - off : len;
            memcpy(out, sm->pg[p]->data + off, n);
            out += n;
            addr += n;
            len -= n;
        }
        return WR_OK;
    }
    return WR_NOT_FOUND;
}

/* The pages of memory m, sharing those equal to prev's (NULL: none). */
static bool snap_memory(snap_mem *sm, wr_memory *m, const snap_mem *prev, size_t *bytes)
{
    sm->m = m;
    sm->size = m->size;
    sm->pages = m->pages;
    sm->npg = (size_t)((m->size + WR_SNAP_PAGE - 1) / WR_SNAP_PAGE);
    sm->pg = calloc(sm->npg ? sm->npg : 1, sizeof *sm->pg);
    if (!sm->pg) return false;
    for (size_t k = 0; k < sm->npg; k++) {
        uint64_t at = (uint64_t)k * WR_SNAP_PAGE;
        size_t n = m->size - at < WR_SNAP_PAGE ? (size_t)(m->size - at) : WR_SNAP_PAGE;
        if (prev && k < prev->npg && prev->pg[k] && !memcmp(prev->pg[k]->data, m->data + at, n)) {
            sm->pg[k] = prev->pg[k];
            sm->pg[k]->refs++;
            continue;
        }
        snap_page *p = malloc(sizeof *p);
        if (!p) return false;
        p->refs = 1;
        memcpy(p->data, m->data + at, n);
        if (n < WR_SNAP_PAGE) memset(p->data + n, 0, WR_SNAP_PAGE - n);
        sm->pg[k] = p;
        *bytes += sizeof *p;
    }
    return true;
}

wr_snapshot *wr_debug_snapshot(wr_store *store, const wr_snapshot *prev, size_t *acct)
{
    wr_interp *it = paused_interp(store);
    if (!it) return NULL;
    wr_snapshot *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    size_t pages = 0;
    s->acct = acct;
    s->own = sizeof *s;
    *acct += s->own;
    if (wr_debug_position(store, &s->pos) != WR_OK) goto fail;
    s->ip = it->ip;
    s->fp = it->fp;
    s->top = it->top;
    s->code = it->code;
    s->inst = it->inst;
    s->ncs = (size_t)(it->csp - it->cs);
    s->base = (size_t)(it->base - it->cs);
    s->invocation = it->invocation;
    if (!(s->cs = malloc((s->ncs ? s->ncs : 1) * sizeof *s->cs))) goto fail;
    memcpy(s->cs, it->cs, s->ncs * sizeof *s->cs);
    uint64_t *end = it->fp + it->code->frame_slots;
    if (end > it->stack_end) end = it->stack_end;
    s->nstack = (size_t)(end - it->stack);
    if (!(s->stack = malloc((s->nstack ? s->nstack : 1) * sizeof *s->stack))) goto fail;
    memcpy(s->stack, it->stack, s->nstack * sizeof *s->stack);
    s->own += s->ncs * sizeof *s->cs + s->nstack * sizeof *s->stack;
    *acct += s->ncs * sizeof *s->cs + s->nstack * sizeof *s->stack;
    s->fuel = store->fuel + store->fuel_reserve;
    wr_trace_get_mark(store->trace, &s->mark);

    for (wr_memory *m = store->memories; m; m = m->next_in_store)
        s->nmems++;
    for (wr_global *g = store->globals; g; g = g->next_in_store)
        s->nglobals++;
    for (wr_table *t = store->tables; t; t = t->next_in_store)
        s->ntables++;
    for (wr_instance *i = store->instances; i; i = i->next_in_store)
        s->ninsts++;
    s->mems = calloc(s->nmems + 1, sizeof *s->mems);
    s->globals = calloc(s->nglobals + 1, sizeof *s->globals);
    s->tables = calloc(s->ntables + 1, sizeof *s->tables);
    s->insts = calloc(s->ninsts + 1, sizeof *s->insts);
    if (!s->mems || !s->globals || !s->tables || !s->insts) goto fail;
    size_t k = 0;
    for (wr_memory *m = store->memories; m; m = m->next_in_store, k++) {
        const snap_mem *pm =
            prev && k < prev->nmems && prev->mems[k].m == m ? &prev->mems[k] : NULL;
        bool ok = snap_memory(&s->mems[k], m, pm, &pages);
        *acct += pages;
        pages = 0;
        if (!ok) {
            s->nmems = k + 1;
            goto fail;
        }
    }
    k = 0;
    for (wr_global *g = store->globals; g; g = g->next_in_store)
        s->globals[k++] = g->bits;
    k = 0;
    for (wr_table *t = store->tables; t; t = t->next_in_store, k++) {
        s->tables[k].t = t;
        s->tables[k].size = t->size;
        if (!(s->tables[k].elems = malloc(((size_t)t->size + 1) * sizeof(void *)))) goto fail;
        memcpy(s->tables[k].elems, t->elems, (size_t)t->size * sizeof(void *));
        s->own += (size_t)t->size * sizeof(void *);
        *acct += (size_t)t->size * sizeof(void *);
    }
    k = 0;
    for (wr_instance *i = store->instances; i; i = i->next_in_store, k++) {
        snap_inst *si = &s->insts[k];
        si->inst = i;
        uint32_t ne = i->module->nelems, nd = i->module->ndatas;
        si->elem_dropped = malloc(ne + 1);
        si->data_dropped = malloc(nd + 1);
        if (!si->elem_dropped || !si->data_dropped) goto fail;
        if (ne && i->elem_dropped) memcpy(si->elem_dropped, i->elem_dropped, ne);
        if (nd && i->data_dropped) memcpy(si->data_dropped, i->data_dropped, nd);
    }
    return s;
fail:
    wr_snapshot_free(s);
    return NULL;
}

/* Whether the store still has the objects s saved (in the same order). */
static bool same_objects(wr_store *store, const wr_snapshot *s)
{
    size_t k = 0;
    for (wr_memory *m = store->memories; m; m = m->next_in_store, k++)
        if (k >= s->nmems || s->mems[k].m != m) return false;
    if (k != s->nmems) return false;
    k = 0;
    for (wr_global *g = store->globals; g; g = g->next_in_store)
        k++;
    if (k != s->nglobals) return false;
    k = 0;
    for (wr_table *t = store->tables; t; t = t->next_in_store, k++)
        if (k >= s->ntables || s->tables[k].t != t) return false;
    if (k != s->ntables) return false;
    k = 0;
    for (wr_instance *i = store->instances; i; i = i->next_in_store, k++)
        if (k >= s->ninsts || s->insts[k].inst != i) return false;
    return k == s->ninsts;
}

wr_status wr_debug_restore(wr_store *store, const wr_snapshot *s)
{
    wr_interp *it = paused_interp(store);
    if (!it || s->invocation != it->invocation || s->base != (size_t)(it->base - it->cs) ||
        s->nstack > (size_t)(it->stack_end - it->stack) || s->ncs > (size_t)(it->cs_end - it->cs) ||
        !same_objects(store, s))
        return WR_ERR_ARG;
    /* memories first: growing one may fail */
    for (size_t k = 0; k < s->nmems; k++) {
        const snap_mem *sm = &s->mems[k];
        wr_memory *m = sm->m;
        if (m->pages < sm->pages && wr_memory_grow_pages(m, sm->pages - m->pages) < 0)
            return WR_ERR_NOMEM;
        /* a smaller memory: the bytes past its end are zeroed again when
         * it grows (wr_memory_grow_pages) */
        m->size = sm->size;
        m->pages = sm->pages;
        for (size_t p = 0; p < sm->npg; p++) {
            uint64_t at = (uint64_t)p * WR_SNAP_PAGE;
            size_t n = m->size - at < WR_SNAP_PAGE ? (size_t)(m->size - at) : WR_SNAP_PAGE;
            if (memcmp(m->data + at, sm->pg[p]->data, n)) memcpy(m->data + at, sm->pg[p]->data, n);
        }
    }
    for (size_t k = 0; k < s->ntables; k++) {
        const snap_table *st = &s->tables[k];
        wr_table *t = st->t;
        if (st->size > t->size) {
            void **e = realloc(t->elems, (size_t)st->size * sizeof(void *));
            if (!e) return WR_ERR_NOMEM;
            t->elems = e;
        }
        t->size = st->size;
        memcpy(t->elems, st->elems, (size_t)st->size * sizeof(void *));
    }
    size_t k = 0;
    for (wr_global *g = store->globals; g; g = g->next_in_store)
        g->bits = s->globals[k++];
    for (k = 0; k < s->ninsts; k++) {
        wr_instance *i = s->insts[k].inst;
        uint32_t ne = i->module->nelems, nd = i->module->ndatas;
        if (ne && i->elem_dropped) memcpy(i->elem_dropped, s->insts[k].elem_dropped, ne);
        if (nd && i->data_dropped) memcpy(i->data_dropped, s->insts[k].data_dropped, nd);
    }
    memcpy(it->cs, s->cs, s->ncs * sizeof *s->cs);
    it->csp = it->cs + s->ncs;
    memcpy(it->stack, s->stack, s->nstack * sizeof *s->stack);
    it->ip = s->ip;
    it->fp = s->fp;
    it->top = s->top;
    it->code = s->code;
    it->inst = s->inst;
    it->watch_hit = false;
    it->frames_debug = false;
    it->alarm = false;
    store->fuel = s->fuel;
    store->fuel_reserve = 0;
    wr_trace_rewind(store->trace, &s->mark);
    it->rewound = true;
    wr_debug_after_restore(it);
    return WR_OK;
}
