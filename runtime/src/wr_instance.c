/*
 * Store, linker, instantiation and the embedding API glue (runtime.h).
 *
 * Ownership: every object (module, instance, func, memory, table, global,
 * linker) is linked into one of the store's lists as soon as it is committed
 * and is freed only by wr_store_free. Objects made for an instantiation that
 * fails before the instance exists (an unresolved import, a memory limit) are
 * freed right away; once segments start being applied the instance exists
 * (spec 2.0 4.5.4: their effects and the instance outlive a trap).
 */
#include "wr_interp.h"
#ifdef WR_TRACE
#include "wr_trace.h"
#endif

#include <stdio.h>
#include <string.h>

#define WR_DEFAULT_STACK_BYTES ((size_t)8 << 20)
#define WR_DEFAULT_CALL_DEPTH 65536u
#define WR_DEFAULT_MEMORY_BYTES ((uint64_t)4 << 30)

/* ---------------------------------------------------------------- traps */

/* from the one list, wdb/wasm_traps.h */
/* clang-format off */
static const char *const trap_messages[WR_TRAP_KIND_COUNT] = {
    [WR_TRAP_NONE] = "no trap",
#define X(id, name, message, label) [WR_TRAP_##id] = message,
    WASM_TRAPS(X)
#undef X
};

static const char *const trap_names[WR_TRAP_KIND_COUNT] = {
    [WR_TRAP_NONE] = "none",
#define X(id, name, message, label) [WR_TRAP_##id] = #name,
    WASM_TRAPS(X)
#undef X
};
/* clang-format on */

const char *wr_trap_message(wr_trap_kind kind)
{
    if ((unsigned)kind >= WR_TRAP_KIND_COUNT) return "unknown trap";
    return trap_messages[kind];
}

const char *wr_trap_name(wr_trap_kind kind)
{
    if ((unsigned)kind >= WR_TRAP_KIND_COUNT) return "unknown";
    return trap_names[kind];
}

/* Records a trap raised outside the interpreter (instantiation segments) the
 * way the interpreter does: in the store's last trap and in err. No frames:
 * no Wasm code is running. */
static wr_status trap_outside(wr_store *store, wr_trap_kind kind, wr_error *err)
{
    wr_trap_info *t = &store->last_trap;
    t->kind = kind;
    snprintf(t->msg, sizeof t->msg, "%s", wr_trap_message(kind));
    t->nframes = t->nframes_total = 0;
    if (err) {
        wr_fail(err, WR_ERR_TRAP, NULL, 0, "%s", wr_trap_message(kind));
        err->trap = kind;
    }
    return WR_ERR_TRAP;
}

/* ---------------------------------------------------------------- store */

wr_store *wr_store_new(const wr_config *cfg)
{
    wr_store *store = calloc(1, sizeof *store);
    if (!store) return NULL;
    if (cfg) store->cfg = *cfg;
    if (!store->cfg.value_stack_bytes) store->cfg.value_stack_bytes = WR_DEFAULT_STACK_BYTES;
    if (!store->cfg.max_call_depth) store->cfg.max_call_depth = WR_DEFAULT_CALL_DEPTH;
    if (!store->cfg.max_memory_bytes) store->cfg.max_memory_bytes = WR_DEFAULT_MEMORY_BYTES;
    return store;
}

static void type_free(wr_type *t)
{
    if (!t) return;
    free(t->params);
    free(t->results);
    free(t);
}

static void linker_free(wr_linker *l)
{
    for (uint32_t i = 0; i < l->n; i++) {
        free(l->entries[i].module);
        free(l->entries[i].name);
    }
    free(l->entries);
    free(l);
}

static void instance_free(wr_instance *inst)
{
    free(inst->defined_funcs);
    free(inst->funcs);
    free(inst->tables);
    free(inst->mems);
    free(inst->globals);
#if WR_FEATURE_EH
    free(inst->tags);
    free(inst->defined_tags);
#endif
    free(inst->elem_dropped);
    free(inst->data_dropped);
    free(inst);
}

void wr_store_free(wr_store *store)
{
    if (!store) return;
#ifdef WR_TRACE
    wr_trace_free(store->trace);
#endif
    for (wr_module *m = store->modules, *next; m; m = next) {
        next = m->next_in_store;
        wr_module_release(m);
        free(m);
    }
    for (wr_instance *i = store->instances, *next; i; i = next) {
        next = i->next_in_store;
        instance_free(i);
    }
    for (wr_func *f = store->funcs, *next; f; f = next) {
        next = f->next_in_store;
        type_free((wr_type *)f->type); /* a host function's own */
        free(f);
    }
    for (wr_memory *m = store->memories, *next; m; m = next) {
        next = m->next_in_store;
        free(m->data);
        free(m);
    }
    for (wr_table *t = store->tables, *next; t; t = next) {
        next = t->next_in_store;
        free(t->elems);
        free(t);
    }
    for (wr_global *g = store->globals, *next; g; g = next) {
        next = g->next_in_store;
        free(g);
    }
#if WR_FEATURE_EH
    for (wr_exn *x = store->exns, *next; x; x = next) {
        next = x->next_in_store;
        free(x);
    }
#endif
    for (wr_linker *l = store->linkers, *next; l; l = next) {
        next = l->next_in_store;
        linker_free(l);
    }
    wr_interp_free(store->interp);
#if WR_FEATURE_FUNCREFS
    wr_canon_free(store);
#endif
    free(store);
}

int wr_store_exit_code(const wr_store *store)
{
    return store->exit_code;
}

void wr_store_interrupt(wr_store *store)
{
    __atomic_or_fetch(&store->interrupt, WR_POLL_INTERRUPT, __ATOMIC_SEQ_CST);
}

void wr_store_set_service(wr_store *store, wr_service_fn fn, void *user)
{
    store->service = fn;
    store->service_user = user;
}

void wr_store_request_service(wr_store *store)
{
    __atomic_or_fetch(&store->interrupt, WR_POLL_SERVICE, __ATOMIC_SEQ_CST);
}

void wr_store_set_fuel(wr_store *store, uint64_t fuel)
{
    store->fuel = fuel;
#ifdef WR_TRACE
    store->fuel_reserve = 0;
#endif
    if (fuel)
        __atomic_or_fetch(&store->interrupt, WR_POLL_FUEL, __ATOMIC_SEQ_CST);
    else
        __atomic_and_fetch(&store->interrupt, ~WR_POLL_FUEL, __ATOMIC_SEQ_CST);
}

uint64_t wr_store_fuel(const wr_store *store)
{
#ifdef WR_TRACE
    if (store->interrupt & WR_POLL_FUEL) return store->fuel + store->fuel_reserve;
#endif
    return (store->interrupt & WR_POLL_FUEL) ? store->fuel : 0;
}

void wr_store_cancel_interrupt(wr_store *store)
{
    __atomic_and_fetch(&store->interrupt, ~WR_POLL_INTERRUPT, __ATOMIC_SEQ_CST);
}

const wr_trap_info *wr_store_last_trap(const wr_store *store)
{
    return &store->last_trap;
}

/* --------------------------------------------------------------- module */

/* Makes a module of the bytes (a copy of them when `copy`), decodes it and,
 * on success, hands it to the store. On failure nothing is kept and *out is
 * NULL. */
static wr_status module_new(wr_store *store, const uint8_t *bytes, size_t len, bool copy,
                            wr_module **out, wr_error *err)
{
    wr_module *mod = NULL;
    wr_status st;
    if (out) *out = NULL;
    if (err) memset(err, 0, sizeof *err);
    if (!store || !out || (!bytes && len))
        return wr_fail(err, WR_ERR_ARG, NULL, 0, "wr_module_new: bad argument");
#if SIZE_MAX > UINT32_MAX
    if (len > UINT32_MAX) return wr_fail(err, WR_ERR_LIMIT, NULL, 0, "module larger than 4 GiB");
#endif
    mod = calloc(1, sizeof *mod);
    if (!mod) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    mod->store = store;
    mod->len = len;
    if (copy || !bytes) {
        mod->owned_bytes = malloc(len ? len : 1);
        if (!mod->owned_bytes) {
            st = wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
            goto fail;
        }
        if (len) memcpy(mod->owned_bytes, bytes, len);
        mod->bytes = mod->owned_bytes;
    } else {
        mod->bytes = bytes;
    }
    st = wr_decode_module(mod, err);
    if (st != WR_OK) goto fail;
    mod->next_in_store = store->modules;
    store->modules = mod;
    *out = mod;
    return WR_OK;
fail:
    wr_module_release(mod);
    free(mod);
    return st;
}

wr_status wr_module_new(wr_store *store, const uint8_t *bytes, size_t len, wr_module **out,
                        wr_error *err)
{
    return module_new(store, bytes, len, true, out, err);
}

wr_status wr_module_new_static(wr_store *store, const uint8_t *bytes, size_t len, wr_module **out,
                               wr_error *err)
{
    return module_new(store, bytes, len, false, out, err);
}

const uint8_t *wr_module_bytes(const wr_module *mod, size_t *len)
{
    if (len) *len = mod->len;
    return mod->bytes;
}

uint32_t wr_module_import_count(const wr_module *mod)
{
    return mod->nimports;
}

wr_status wr_module_import(const wr_module *mod, uint32_t i, wr_import_desc *out)
{
    if (i >= mod->nimports || !out) return WR_ERR_ARG;
    out->module = mod->imports[i].module;
    out->name = mod->imports[i].name;
    out->kind = mod->imports[i].kind;
    out->functype =
        out->kind == WR_EXTERN_FUNC ? &mod->types[mod->imports[i].type_index].pub : NULL;
    return WR_OK;
}

uint32_t wr_module_export_count(const wr_module *mod)
{
    return mod->nexports;
}

wr_status wr_module_export(const wr_module *mod, uint32_t i, wr_export_desc *out)
{
    if (i >= mod->nexports || !out) return WR_ERR_ARG;
    out->name = mod->exports[i].name;
    out->kind = mod->exports[i].kind;
    out->index = mod->exports[i].index;
    return WR_OK;
}

uint32_t wr_module_func_count(const wr_module *mod)
{
    return mod->nfuncs;
}

const char *wr_module_func_name(const wr_module *mod, uint32_t func_index, size_t *len)
{
    if (!mod->func_name_at || func_index >= mod->nfuncs || !mod->func_name_at[func_index])
        return NULL;
    const uint8_t *p = mod->bytes + mod->func_name_at[func_index];
    uint64_t n = 0;
    if (wf_leb_read(&p, mod->bytes + mod->len, 32, false, &n)) return NULL; /* validated */
    *len = (size_t)n;
    return (const char *)p;
}

wr_status wr_module_func_range(const wr_module *mod, uint32_t func_index, uint32_t *start,
                               uint32_t *end)
{
    if (func_index >= mod->nfuncs || func_index < mod->nfunc_imports) return WR_NOT_FOUND;
    const wr_func_decl *d = &mod->funcs[func_index];
    if (start) *start = d->body_start - mod->code_section_offset;
    if (end) *end = d->body_end - mod->code_section_offset;
    return WR_OK;
}

uint32_t wr_module_code_section_offset(const wr_module *mod)
{
    return mod->code_section_offset;
}

/* Binary search over the defined functions, whose bodies lie in the Code
 * section in index order, for the one whose [body_start, body_end) holds the
 * offset. */
wr_status wr_module_func_at(const wr_module *mod, uint32_t code_offset, uint32_t *func_index)
{
    uint64_t file_off = (uint64_t)code_offset + mod->code_section_offset;
    uint32_t lo = mod->nfunc_imports, hi = mod->nfuncs;
    if (!mod->code_section_offset) return WR_NOT_FOUND;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const wr_func_decl *d = &mod->funcs[mid];
        if (file_off < d->body_start)
            hi = mid;
        else if (file_off >= d->body_end)
            lo = mid + 1;
        else {
            if (func_index) *func_index = mid;
            return WR_OK;
        }
    }
    return WR_NOT_FOUND;
}

/* --------------------------------------------------------------- linker */

wr_linker *wr_linker_new(wr_store *store)
{
    if (!store) return NULL;
    wr_linker *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->store = store;
    l->next_in_store = store->linkers;
    store->linkers = l;
    return l;
}

static wr_linker_entry *linker_find(const wr_linker *l, const char *module, const char *name)
{
    for (uint32_t i = 0; i < l->n; i++) {
        wr_linker_entry *e = &l->entries[i];
        if (!strcmp(e->module, module) && !strcmp(e->name, name)) return e;
    }
    return NULL;
}

/* Adds or replaces (module, name). The strings are copied. */
static wr_status linker_put(wr_linker *l, const char *module, const char *name,
                            const wr_extern *ext)
{
    wr_linker_entry *e = linker_find(l, module, name);
    if (e) {
        e->ext = *ext;
        return WR_OK;
    }
    if (l->n == l->cap) {
        uint32_t cap = l->cap ? l->cap * 2 : 16;
        wr_linker_entry *ne = realloc(l->entries, cap * sizeof *ne);
        if (!ne) return WR_ERR_NOMEM;
        l->entries = ne;
        l->cap = cap;
    }
    char *m = strdup(module), *n = strdup(name);
    if (!m || !n) {
        free(m);
        free(n);
        return WR_ERR_NOMEM;
    }
    e = &l->entries[l->n++];
    e->module = m;
    e->name = n;
    e->ext = *ext;
    return WR_OK;
}

/* One type-string letter as a value type; false for an unknown letter. */
static bool type_letter(char c, wr_valtype *out)
{
    switch (c) {
    case 'i': *out = WR_I32; return true;
    case 'I': *out = WR_I64; return true;
    case 'f': *out = WR_F32; return true;
    case 'F': *out = WR_F64; return true;
    case 'r': *out = WR_FUNCREF; return true;
    case 'e': *out = WR_EXTERNREF; return true;
    default: return false;
    }
}

/* Parses a type string into a new array (at least one entry allocated so the
 * pointer is never NULL). */
static wr_status parse_types(const char *s, uint32_t *n, wr_valtype **out)
{
    size_t len = s ? strlen(s) : 0;
    *out = NULL;
    *n = 0;
    if (len > 1000) return WR_ERR_ARG;
    wr_valtype *v = malloc((len ? len : 1) * sizeof *v);
    if (!v) return WR_ERR_NOMEM;
    for (size_t i = 0; i < len; i++) {
        if (!type_letter(s[i], &v[i])) {
            free(v);
            return WR_ERR_ARG;
        }
    }
    *out = v;
    *n = (uint32_t)len;
    return WR_OK;
}

/* Makes a host function of the given type strings and defines it. The
 * function belongs to the store; it owns its type. */
wr_status wr_linker_define_func(wr_linker *l, const char *module, const char *name,
                                const char *params, const char *results, wr_host_fn fn, void *user)
{
    wr_type *t = NULL;
    wr_func *f = NULL;
    wr_status st;
    if (!l || !module || !name || !fn) return WR_ERR_ARG;
    t = calloc(1, sizeof *t);
    f = calloc(1, sizeof *f);
    if (!t || !f) {
        st = WR_ERR_NOMEM;
        goto fail;
    }
    if ((st = parse_types(params, &t->nparams, &t->params)) != WR_OK) goto fail;
    if ((st = parse_types(results, &t->nresults, &t->results)) != WR_OK) goto fail;
    t->pub.nparams = t->nparams;
    t->pub.nresults = t->nresults;
    t->pub.params = t->params;
    t->pub.results = t->results;
    f->type = t;
    f->host = fn;
    f->host_user = user;
    wr_extern ext = {.kind = WR_EXTERN_FUNC, .of.func = f};
    if ((st = linker_put(l, module, name, &ext)) != WR_OK) goto fail;
    f->next_in_store = l->store->funcs;
    l->store->funcs = f;
    return WR_OK;
fail:
    type_free(t);
    free(f);
    return st;
}

wr_status wr_linker_define(wr_linker *l, const char *module, const char *name, const wr_extern *ext)
{
    if (!l || !module || !name || !ext) return WR_ERR_ARG;
    switch (ext->kind) {
    case WR_EXTERN_FUNC:
    case WR_EXTERN_TABLE:
    case WR_EXTERN_MEMORY:
    case WR_EXTERN_GLOBAL: break;
#if WR_FEATURE_EH
    case WR_EXTERN_TAG: break;
#endif
    default: return WR_ERR_ARG;
    }
    if (!ext->of.func) return WR_ERR_ARG; /* every member is a pointer */
    return linker_put(l, module, name, ext);
}

/* The extern an instance's export (kind, index) designates. */
static wr_extern export_extern(const wr_instance *inst, const wr_export *e)
{
    wr_extern ext;
    ext.kind = e->kind;
    switch (e->kind) {
    case WR_EXTERN_FUNC: ext.of.func = inst->funcs[e->index]; break;
    case WR_EXTERN_TABLE: ext.of.table = inst->tables[e->index]; break;
    case WR_EXTERN_MEMORY: ext.of.memory = inst->mems[e->index]; break;
    case WR_EXTERN_GLOBAL: ext.of.global = inst->globals[e->index]; break;
#if WR_FEATURE_EH
    case WR_EXTERN_TAG: ext.of.tag = inst->tags[e->index]; break;
#endif
    default: ext.of.func = NULL; break;
    }
    return ext;
}

wr_status wr_linker_define_instance(wr_linker *l, const char *module, wr_instance *inst)
{
    if (!l || !module || !inst || inst->store != l->store) return WR_ERR_ARG;
    const wr_module *mod = inst->module;
    for (uint32_t i = 0; i < mod->nexports; i++) {
        wr_extern ext = export_extern(inst, &mod->exports[i]);
        wr_status st = linker_put(l, module, mod->exports[i].name, &ext);
        if (st != WR_OK) return st;
    }
    return WR_OK;
}

/* ------------------------------------------------------------- instance */

static bool type_equal(const wr_type *a, const wr_type *b)
{
    if (a == b) return true;
#if WR_FEATURE_FUNCREFS
    if (a->canon | b->canon) return a->canon == b->canon; /* iso-recursive */
#endif
    return a->nparams == b->nparams && a->nresults == b->nresults &&
           !memcmp(a->params, b->params, a->nparams * sizeof(wr_valtype)) &&
           !memcmp(a->results, b->results, a->nresults * sizeof(wr_valtype));
}

/* Limits subtyping (spec 2.0 3.3.1 / 4.5.2 "import matching"): the actual
 * limits must be at least as large as required and, when a maximum is
 * required, have a maximum no larger. */
static bool limits_match(uint32_t min, uint32_t max, bool has_max, const wr_limits *want)
{
    if (min < want->min) return false;
    if (want->has_max && (!has_max || max > want->max)) return false;
    return true;
}

/* Checks that ext matches the import's declared type. */
static bool import_matches(const wr_module *mod, const wr_import *imp, const wr_extern *ext)
{
    if (ext->kind != imp->kind || !ext->of.func) return false;
    switch (imp->kind) {
#if WR_FEATURE_FUNCREFS
    case WR_EXTERN_FUNC:
        return wr_type_match(mod->store, ext->of.func->type, &mod->types[imp->type_index]);
#else
    case WR_EXTERN_FUNC: return type_equal(ext->of.func->type, &mod->types[imp->type_index]);
#endif
    case WR_EXTERN_TABLE: {
        const wr_table *t = ext->of.table;
        return t->elem == imp->table.elem &&
               limits_match(t->size, t->max, t->has_max, &imp->table.limits);
    }
    case WR_EXTERN_MEMORY: {
        const wr_memory *m = ext->of.memory;
        return limits_match(m->pages, m->max_pages, m->has_max, &imp->memory);
    }
    case WR_EXTERN_GLOBAL: {
        const wr_global *g = ext->of.global;
        return g->type == imp->global.type && g->mut == imp->global.mut;
    }
#if WR_FEATURE_EH
    case WR_EXTERN_TAG: return type_equal(ext->of.tag->type, &mod->types[imp->type_index]);
#endif
    default: break;
    }
    return false;
}

/* The value of a constant expression in the partly built instance: globals
 * it names are already there (imports, or earlier globals), and so are the
 * functions. */
static uint64_t const_eval(const wr_instance *inst, const wr_constexpr *e)
{
    switch (e->kind) {
    case WR_CONST_VALUE: return e->bits;
    case WR_CONST_GLOBAL_GET: return inst->globals[e->index]->bits;
    case WR_CONST_REF_NULL: return 0;
    case WR_CONST_REF_FUNC: return (uint64_t)(uintptr_t)inst->funcs[e->index];
    }
    return 0;
}

static wr_memory *memory_make(wr_store *store, uint32_t pages, uint32_t max_pages, bool has_max)
{
    uint64_t bytes = (uint64_t)pages * WR_PAGE_SIZE;
    if (bytes > SIZE_MAX) return NULL; /* a 32-bit host */
    wr_memory *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->data = calloc(1, bytes ? (size_t)bytes : 1);
    if (!m->data) {
        free(m);
        return NULL;
    }
    m->size = bytes;
    m->pages = pages;
    m->max_pages = max_pages;
    m->has_max = has_max;
    m->store = store;
    return m;
}

static uint64_t memory_limit(const wr_store *store);

/* Whether a table of `size` elements, `more` of them new, fits: one table
 * at most WR_MAX_TABLE_ELEMS, all of the store's together at most the
 * memory limit in bytes (a pointer an element), so --max-memory bounds
 * tables too. */
static bool table_fits(const wr_store *store, uint32_t size, uint32_t more)
{
    return size <= WR_MAX_TABLE_ELEMS &&
           store->table_bytes + (uint64_t)more * sizeof(void *) <= memory_limit(store);
}

/* A table counted against store's budget; the caller checked table_fits. */
static wr_table *table_make(wr_store *store, wr_valtype elem, uint32_t min, uint32_t max,
                            bool has_max)
{
    wr_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->elems = calloc(min ? min : 1, sizeof(void *));
    if (!t->elems) {
        free(t);
        return NULL;
    }
    t->store = store;
    store->table_bytes += (uint64_t)min * sizeof(void *);
    t->elem = elem;
    t->size = min;
    t->max = max;
    t->has_max = has_max;
    return t;
}

static uint64_t memory_limit(const wr_store *store)
{
    return store->cfg.max_memory_bytes ? store->cfg.max_memory_bytes : WR_DEFAULT_MEMORY_BYTES;
}

/* Frees the objects an uncommitted instance defined (not the imported ones). */
static void instance_discard(wr_instance *inst)
{
    const wr_module *mod = inst->module;
    if (inst->tables)
        for (uint32_t i = mod->ntable_imports; i < mod->ntables; i++) {
            if (!inst->tables[i]) continue;
            inst->store->table_bytes -= (uint64_t)inst->tables[i]->size * sizeof(void *);
            free(inst->tables[i]->elems);
            free(inst->tables[i]);
        }
    if (inst->mems)
        for (uint32_t i = mod->nmem_imports; i < mod->nmems; i++) {
            if (!inst->mems[i]) continue;
            free(inst->mems[i]->data);
            free(inst->mems[i]);
        }
    if (inst->globals)
        for (uint32_t i = mod->nglobal_imports; i < mod->nglobals; i++)
            free(inst->globals[i]);
    instance_free(inst);
}

/* Hands the instance and everything it defined to the store. */
static void instance_commit(wr_store *store, wr_instance *inst)
{
    const wr_module *mod = inst->module;
    /* its functions are inst->defined_funcs, freed with it */
    for (uint32_t i = mod->ntable_imports; i < mod->ntables; i++) {
        inst->tables[i]->next_in_store = store->tables;
        store->tables = inst->tables[i];
    }
    for (uint32_t i = mod->nmem_imports; i < mod->nmems; i++) {
        inst->mems[i]->next_in_store = store->memories;
        store->memories = inst->mems[i];
    }
    for (uint32_t i = mod->nglobal_imports; i < mod->nglobals; i++) {
        inst->globals[i]->next_in_store = store->globals;
        store->globals = inst->globals[i];
    }
    inst->next_in_store = store->instances;
    store->instances = inst;
}

/* Resolves every import of mod through l into inst's arrays (spec 2.0 4.5.4
 * steps 3-4). WR_ERR_UNLINKABLE names the first import that fails. */
static wr_status resolve_imports(wr_instance *inst, const wr_linker *l, wr_error *err)
{
    const wr_module *mod = inst->module;
    uint32_t nf = 0, nt = 0, nm = 0, ng = 0, ntag = 0;
    for (uint32_t i = 0; i < mod->nimports; i++) {
        const wr_import *imp = &mod->imports[i];
        const wr_linker_entry *e = l ? linker_find(l, imp->module, imp->name) : NULL;
        if (!e)
            return wr_fail(err, WR_ERR_UNLINKABLE, NULL, 0, "unknown import %s.%s", imp->module,
                           imp->name);
        if (!import_matches(mod, imp, &e->ext))
            return wr_fail(err, WR_ERR_UNLINKABLE, NULL, 0, "incompatible import type for %s.%s",
                           imp->module, imp->name);
        switch (imp->kind) {
        case WR_EXTERN_FUNC: inst->funcs[nf++] = e->ext.of.func; break;
        case WR_EXTERN_TABLE: inst->tables[nt++] = e->ext.of.table; break;
        case WR_EXTERN_MEMORY: inst->mems[nm++] = e->ext.of.memory; break;
        case WR_EXTERN_GLOBAL: inst->globals[ng++] = e->ext.of.global; break;
#if WR_FEATURE_EH
        case WR_EXTERN_TAG: inst->tags[ntag++] = e->ext.of.tag; break;
#endif
        default: break;
        }
    }
    if (nf != mod->nfunc_imports || nt != mod->ntable_imports || nm != mod->nmem_imports ||
        ng != mod->nglobal_imports || ntag != mod->ntag_imports)
        return wr_fail(err, WR_ERR_INVALID, "import", 0, "import counts disagree");
    return WR_OK;
}

/* Creates the functions, tables, memories and globals mod defines. */
static wr_status define_objects(wr_store *store, wr_instance *inst, wr_error *err)
{
    wr_module *mod = inst->module;
    if (mod->nfuncs > mod->nfunc_imports) {
        inst->defined_funcs = calloc(mod->nfuncs - mod->nfunc_imports, sizeof(wr_func));
        if (!inst->defined_funcs) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (uint32_t i = mod->nfunc_imports; i < mod->nfuncs; i++) {
        wr_func *f = &inst->defined_funcs[i - mod->nfunc_imports];
        f->decl = &mod->funcs[i];
        f->type = &mod->types[f->decl->type_index];
        f->inst = inst;
        f->index = i;
        inst->funcs[i] = f;
    }
    for (uint32_t i = mod->ntable_imports; i < mod->ntables; i++) {
        const wr_table_type *tt = &mod->tables[i];
        if (!table_fits(store, tt->limits.min, tt->limits.min))
            return wr_fail(err, WR_ERR_LIMIT, NULL, 0,
                           "table %" PRIu32 ": %" PRIu32 " elements exceed the memory limit", i,
                           tt->limits.min);
        inst->tables[i] =
            table_make(store, tt->elem, tt->limits.min, tt->limits.max, tt->limits.has_max);
        if (!inst->tables[i]) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (uint32_t i = mod->nmem_imports; i < mod->nmems; i++) {
        const wr_limits *lim = &mod->mems[i];
        if (lim->min > WR_MAX_PAGES || (uint64_t)lim->min * WR_PAGE_SIZE > memory_limit(store))
            return wr_fail(err, WR_ERR_LIMIT, NULL, 0,
                           "memory %" PRIu32 ": %" PRIu32 " pages exceed the memory limit", i,
                           lim->min);
        inst->mems[i] = memory_make(store, lim->min, lim->max, lim->has_max);
        if (!inst->mems[i]) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (uint32_t i = mod->nglobal_imports; i < mod->nglobals; i++) {
        const wr_global_decl *gd = &mod->globals[i];
        wr_global *g = calloc(1, sizeof *g);
        if (!g) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
        g->type = gd->type.type;
        g->mut = gd->type.mut;
        g->bits = const_eval(inst, &gd->init);
#ifdef WR_FEATURE_SIMD
        if (gd->init.kind == WR_CONST_GLOBAL_GET)
            g->hi = inst->globals[gd->init.index]->hi;
        else
            g->hi = gd->init.hi;
#endif
        inst->globals[i] = g;
    }
#if WR_FEATURE_EH
    if (mod->ntags > mod->ntag_imports) {
        inst->defined_tags = calloc(mod->ntags - mod->ntag_imports, sizeof(wr_tag));
        if (!inst->defined_tags) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (uint32_t i = mod->ntag_imports; i < mod->ntags; i++) {
        wr_tag *t = &inst->defined_tags[i - mod->ntag_imports];
        t->type = &mod->types[mod->tags[i]];
        inst->tags[i] = t;
    }
#endif
    return WR_OK;
}

/* Applies the element segments, then the data segments (spec 2.0 4.5.4
 * steps 14-15: table.init/elem.drop for active segments, elem.drop for
 * declarative ones, memory.init/data.drop for active data). The first
 * segment out of bounds traps; the ones before it stay applied. */
static wr_status apply_segments(wr_store *store, wr_instance *inst, wr_error *err)
{
    const wr_module *mod = inst->module;
    for (uint32_t i = 0; i < mod->nelems; i++) {
        const wr_elem_seg *seg = &mod->elems[i];
        if (seg->mode == WR_SEG_DECLARATIVE) {
            inst->elem_dropped[i] = true;
            continue;
        }
        if (seg->mode != WR_SEG_ACTIVE) continue;
        wr_table *t = inst->tables[seg->table];
        uint64_t off = (uint32_t)const_eval(inst, &seg->offset);
        if (off + seg->count > t->size) return trap_outside(store, WR_TRAP_TABLE_OOB, err);
        for (uint32_t k = 0; k < seg->count; k++)
            t->elems[off + k] = (void *)(uintptr_t)const_eval(inst, &seg->items[k]);
        inst->elem_dropped[i] = true;
    }
    for (uint32_t i = 0; i < mod->ndatas; i++) {
        const wr_data_seg *seg = &mod->datas[i];
        if (seg->mode != WR_SEG_ACTIVE) continue;
        wr_memory *m = inst->mems[seg->memory];
        uint64_t off = (uint32_t)const_eval(inst, &seg->offset);
        if (off + seg->len > m->size) return trap_outside(store, WR_TRAP_MEMORY_OOB, err);
        if (seg->len) memcpy(m->data + off, mod->bytes + seg->file_offset, seg->len);
        inst->data_dropped[i] = true;
    }
    return WR_OK;
}

/* Spec 2.0 4.5.4 module instantiation. Linking failures and limits leave
 * nothing behind; from the segments on, the instance belongs to the store
 * even if a segment or the start function traps (then *out is NULL). */
static wr_status instance_new(wr_store *store, wr_module *mod, wr_linker *l, wr_instance **out,
                              bool run_start, wr_error *err)
{
    wr_instance *inst = NULL;
    wr_status st;
    if (out) *out = NULL;
    if (err) memset(err, 0, sizeof *err);
    if (!store || !mod || !out || mod->store != store || (l && l->store != store))
        return wr_fail(err, WR_ERR_ARG, NULL, 0, "wr_instance_new: bad argument");
    inst = calloc(1, sizeof *inst);
    if (!inst) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    inst->store = store;
    inst->module = mod;
    /* at least one entry each, so no array is NULL */
    inst->funcs = calloc(mod->nfuncs + 1, sizeof *inst->funcs);
    inst->tables = calloc(mod->ntables + 1, sizeof *inst->tables);
    inst->mems = calloc(mod->nmems + 1, sizeof *inst->mems);
    inst->globals = calloc(mod->nglobals + 1, sizeof *inst->globals);
#if WR_FEATURE_EH
    inst->tags = calloc(mod->ntags + 1, sizeof *inst->tags);
    if (!inst->tags) {
        st = wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
#endif
    inst->elem_dropped = calloc(mod->nelems + 1, sizeof *inst->elem_dropped);
    inst->data_dropped = calloc(mod->ndatas + 1, sizeof *inst->data_dropped);
    if (!inst->funcs || !inst->tables || !inst->mems || !inst->globals || !inst->elem_dropped ||
        !inst->data_dropped) {
        st = wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
        goto fail;
    }
    if ((st = resolve_imports(inst, l, err)) != WR_OK) goto fail;
    if ((st = define_objects(store, inst, err)) != WR_OK) goto fail;

    instance_commit(store, inst);
    if ((st = apply_segments(store, inst, err)) != WR_OK) return st;
    if (run_start && (st = wr_instance_start(inst, err)) != WR_OK) return st;
    *out = inst;
    return WR_OK;
fail:
    instance_discard(inst);
    return st;
}

wr_status wr_instance_new(wr_store *store, wr_module *mod, wr_linker *l, wr_instance **out,
                          wr_error *err)
{
    return instance_new(store, mod, l, out, true, err);
}

wr_status wr_instance_new_unstarted(wr_store *store, wr_module *mod, wr_linker *l,
                                    wr_instance **out, wr_error *err)
{
    return instance_new(store, mod, l, out, false, err);
}

wr_status wr_instance_start(wr_instance *inst, wr_error *err)
{
    if (!inst->module->has_start) return WR_OK;
    uint64_t slot[1] = {0};
    return wr_invoke(inst->funcs[inst->module->start], slot, err);
}

wr_module *wr_instance_module(const wr_instance *inst)
{
    return inst->module;
}

wr_status wr_instance_export_n(wr_instance *inst, const char *name, size_t len, wr_extern *out)
{
    const wr_module *mod = inst->module;
    if (!name) return WR_ERR_ARG;
    for (uint32_t i = 0; i < mod->nexports; i++) {
        const wr_export *e = &mod->exports[i];
        if (e->name_len != len || memcmp(e->name, name, len)) continue;
        if (out) *out = export_extern(inst, e);
        return WR_OK;
    }
    return WR_NOT_FOUND;
}

wr_status wr_instance_export(wr_instance *inst, const char *name, wr_extern *out)
{
    if (!name) return WR_ERR_ARG;
    return wr_instance_export_n(inst, name, strlen(name), out);
}

wr_memory *wr_instance_memory(wr_instance *inst, uint32_t index)
{
    return index < inst->module->nmems ? inst->mems[index] : NULL;
}

wr_global *wr_instance_global(wr_instance *inst, uint32_t index)
{
    return index < inst->module->nglobals ? inst->globals[index] : NULL;
}

uint32_t wr_instance_global_count(const wr_instance *inst)
{
    return inst->module->nglobals;
}

void wr_instance_set_user(wr_instance *inst, void *user)
{
    inst->user = user;
}

void *wr_instance_user(const wr_instance *inst)
{
    return inst->user;
}

/* ----------------------------------------------------------- functions */

const wr_functype *wr_func_type(const wr_func *f)
{
    return &f->type->pub;
}

/* A typed value as a raw slot (see wr_host_fn); false for a type slots
 * cannot carry. */
static bool val_to_slot(const wr_val *v, uint64_t *slot)
{
    switch (v->type) {
    case WR_I32:
    case WR_F32: *slot = v->of.u32; return true;
    case WR_I64:
    case WR_F64: *slot = v->of.u64; return true;
    case WR_FUNCREF: *slot = (uint64_t)(uintptr_t)v->of.func; return true;
    case WR_EXTERNREF: *slot = (uint64_t)(uintptr_t)v->of.ext; return true;
#if WR_FEATURE_EH
    case WR_EXNREF: *slot = (uint64_t)(uintptr_t)v->of.exn; return true;
#endif
    default: return false;
    }
}

/* A typed value into the WR_VSLOTS slots of a value (wr_invoke's layout). */
static bool val_to_slots(const wr_val *v, uint64_t *s)
{
#ifdef WR_FEATURE_SIMD
    if (v->type == WR_V128) {
        memcpy(s, v->of.v128, 16);
        return true;
    }
#endif
    return val_to_slot(v, s);
}

static void slot_to_val(wr_valtype t, uint64_t slot, wr_val *v);
static void slots_to_val(wr_valtype t, const uint64_t *s, wr_val *v)
{
    slot_to_val(t, s[0], v);
#ifdef WR_FEATURE_SIMD
    if (t == WR_V128) memcpy(v->of.v128, s, 16);
#endif
}

static void slot_to_val(wr_valtype t, uint64_t slot, wr_val *v)
{
    memset(v, 0, sizeof *v);
    v->type = t;
    switch (t) {
    case WR_I32:
    case WR_F32: v->of.u32 = (uint32_t)slot; break;
    case WR_FUNCREF: v->of.func = (wr_func *)(uintptr_t)slot; break;
    case WR_EXTERNREF: v->of.ext = (void *)(uintptr_t)slot; break;
#if WR_FEATURE_EH
    case WR_EXNREF: /* the host may keep it: never collected */
        v->of.exn = (wr_exn *)(uintptr_t)slot;
        if (v->of.exn) v->of.exn->pinned = true;
        break;
#endif
    default: v->of.u64 = slot; break;
    }
}

/* Checks the values against f's type, runs it through wr_invoke and converts
 * the results back. */
wr_status wr_func_call(wr_func *f, const wr_val *args, size_t nargs, wr_val *results,
                       size_t nresults, wr_error *err)
{
    uint64_t small[16];
    uint64_t *slots = small;
    wr_status st;
    if (err) memset(err, 0, sizeof *err);
    if (!f) return wr_fail(err, WR_ERR_ARG, NULL, 0, "wr_func_call: no function");
    const wr_type *t = f->type;
    if (nargs != t->nparams || nresults != t->nresults)
        return wr_fail(err, WR_ERR_ARG, NULL, 0,
                       "wr_func_call: expected %" PRIu32 " arguments and %" PRIu32
                       " results, got %zu and %zu",
                       t->nparams, t->nresults, nargs, nresults);
    if ((nargs && !args) || (nresults && !results))
        return wr_fail(err, WR_ERR_ARG, NULL, 0, "wr_func_call: missing value array");
    size_t n = (t->nparams > t->nresults ? t->nparams : t->nresults) * WR_VSLOTS;
    if (n > sizeof small / sizeof small[0]) {
        slots = malloc(n * sizeof *slots);
        if (!slots) return wr_fail(err, WR_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (args[i].type != t->params[i] || !val_to_slots(&args[i], &slots[i * WR_VSLOTS])) {
            st = wr_fail(err, WR_ERR_ARG, NULL, 0,
                         "wr_func_call: argument %" PRIu32 " has the wrong type", i);
            goto out;
        }
    }
    st = wr_invoke(f, slots, err);
    if (st == WR_OK)
        for (uint32_t i = 0; i < t->nresults; i++)
            slots_to_val(t->results[i], &slots[i * WR_VSLOTS], &results[i]);
out:
    if (slots != small) free(slots);
    return st;
}

/* ------------------------------------------------------------- memories */

wr_memory *wr_memory_new(wr_store *store, uint32_t min_pages, uint32_t max_pages, bool has_max)
{
    if (!store || min_pages > WR_MAX_PAGES || (has_max && max_pages < min_pages)) return NULL;
    if ((uint64_t)min_pages * WR_PAGE_SIZE > memory_limit(store)) return NULL;
    wr_memory *m = memory_make(store, min_pages, max_pages, has_max);
    if (!m) return NULL;
    m->next_in_store = store->memories;
    store->memories = m;
    return m;
}

uint8_t *wr_memory_data(wr_memory *m)
{
    return m->data;
}

uint64_t wr_memory_size(const wr_memory *m)
{
    return m->size;
}

/* memory.grow (spec 2.0 4.4.7): the new size must stay within the memory's
 * maximum, 65536 pages and the store's memory limit; the new pages are
 * zero. Returns the old size in pages or -1. */
int64_t wr_memory_grow_pages(wr_memory *m, uint32_t delta)
{
    uint64_t old = m->pages, want = old + delta;
    uint64_t max = m->has_max && m->max_pages < WR_MAX_PAGES ? m->max_pages : WR_MAX_PAGES;
    if (want > max) return -1;
    if (m->store && want * WR_PAGE_SIZE > memory_limit(m->store)) return -1;
    if (want * WR_PAGE_SIZE > SIZE_MAX) return -1; /* a 32-bit host */
    if (delta == 0) return (int64_t)old;
    uint8_t *nd = realloc(m->data, (size_t)(want * WR_PAGE_SIZE));
    if (!nd) return -1;
    memset(nd + m->size, 0, (size_t)(want * WR_PAGE_SIZE - m->size));
    m->data = nd;
    m->size = want * WR_PAGE_SIZE;
    m->pages = (uint32_t)want;
    return (int64_t)old;
}

wr_status wr_memory_grow(wr_memory *m, uint32_t delta, uint32_t *old_pages)
{
    int64_t old = wr_memory_grow_pages(m, delta);
    if (old < 0) return WR_ERR_LIMIT;
    if (old_pages) *old_pages = (uint32_t)old;
    return WR_OK;
}

/* --------------------------------------------------------------- tables */

wr_table *wr_table_new(wr_store *store, wr_valtype elem, uint32_t min, uint32_t max, bool has_max)
{
    if (!store || (elem != WR_FUNCREF && elem != WR_EXTERNREF) || (has_max && max < min) ||
        !table_fits(store, min, min))
        return NULL;
    wr_table *t = table_make(store, elem, min, max, has_max);
    if (!t) return NULL;
    t->next_in_store = store->tables;
    store->tables = t;
    return t;
}

uint32_t wr_table_size(const wr_table *t)
{
    return t->size;
}

int64_t wr_table_grow_elems(wr_table *t, uint32_t n, void *init)
{
    uint32_t old = t->size, want = old + n; /* old <= WR_MAX_TABLE_ELEMS: no wrap */
    if (n > WR_MAX_TABLE_ELEMS || (t->has_max && want > t->max) || !table_fits(t->store, want, n))
        return -1;
    void **ne = n == 0 ? t->elems : realloc(t->elems, (size_t)want * sizeof(void *));
    if (!ne) return -1;
    for (uint32_t i = old; i < want; i++)
        ne[i] = init;
    t->elems = ne;
    t->size = want;
    t->store->table_bytes += (uint64_t)n * sizeof(void *);
    return old;
}

/* -------------------------------------------------------------- globals */

wr_global *wr_global_new(wr_store *store, const wr_val *init, bool mutable_)
{
    uint64_t bits[2] = {0, 0};
    if (!store || !init || !val_to_slots(init, bits)) return NULL;
    wr_global *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    g->type = init->type;
    g->mut = mutable_;
    g->bits = bits[0];
#ifdef WR_FEATURE_SIMD
    g->hi = bits[1];
#endif
    g->next_in_store = store->globals;
    store->globals = g;
    return g;
}

void wr_global_get(const wr_global *g, wr_val *out)
{
    slot_to_val(g->type, g->bits, out);
#ifdef WR_FEATURE_SIMD
    if (g->type == WR_V128) {
        memcpy(out->of.v128, &g->bits, 8);
        memcpy(out->of.v128 + 8, &g->hi, 8);
    }
#endif
}

wr_status wr_global_set(wr_global *g, const wr_val *v)
{
    uint64_t bits[2] = {0, 0};
    if (!g->mut || !v || v->type != g->type || !val_to_slots(v, bits)) return WR_ERR_ARG;
    g->bits = bits[0];
#ifdef WR_FEATURE_SIMD
    g->hi = bits[1];
#endif
    return WR_OK;
}

/* ------------------------------------------------------- host functions */

/* The message goes to the store's last trap; the interpreter keeps it when
 * it records the trap (record_trap with msg NULL). */
wr_status wr_trap_host(wr_instance *caller, const char *fmt, ...)
{
    if (!caller) return WR_ERR_TRAP; /* no store to record the message in */
    wr_trap_info *t = &caller->store->last_trap;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->msg, sizeof t->msg, fmt, ap);
    va_end(ap);
    t->kind = WR_TRAP_HOST;
    return WR_ERR_TRAP;
}

wr_status wr_host_poll(wr_instance *caller)
{
    wr_store *store = caller ? caller->store : NULL;
    wr_interp *it = store ? store->interp : NULL;
    if (!it) return WR_OK; /* called from the API (wr_invoke): no Wasm frame */
    int p = __atomic_load_n(&store->interrupt, __ATOMIC_SEQ_CST);
    if (!(p & (WR_POLL_INTERRUPT | WR_POLL_SERVICE))) return WR_OK;
    /* the poll's slow path uses a unit of fuel; a wait is not a poll point
     * of the program, so give it back first (fuel > 0 here: the program
     * would have trapped at the poll that used the last one) */
    if (p & WR_POLL_FUEL) store->fuel++;
    /* not at an entry: an entry stop still due stays due. The interpreter
     * saved its registers (it->ip is the call) before calling the host. */
    if (wr_debug_on_poll(store, it, false)) return WR_OK;
    bool killed = it->killed;
    it->killed = false;
    return wr_trap_host(caller, killed ? "killed by the debugger" : "interrupted");
}

wr_status wr_exit(wr_instance *caller, int code)
{
    if (caller) caller->store->exit_code = code;
    return WR_ERR_EXIT;
}
