/* A minimal C++ exception runtime for Wasm (libwdb-cxxabi.a): what clang's
 * `-fwasm-exceptions` code calls. Debian's libc++abi for wasm32 is built
 * without exceptions; it still provides the type_info classes, operator
 * new and std::terminate, and this library the rest:
 *
 *   __cxa_allocate_exception / __cxa_free_exception: the thrown object,
 *     after a header of ours (struct cxa_exception);
 *   __cxa_throw / __cxa_rethrow: Wasm's `throw` of the tag __cpp_exception
 *     (tag.S) with the address of the header's _Unwind_Exception. A throw
 *     that no catch takes leaves the module as the runtime's
 *     uncaught-exception trap;
 *   _Unwind_CallPersonality: called by each catch pad with the thrown
 *     _Unwind_Exception. Wasm unwinds in one phase and the personality runs
 *     in the catching function itself: the pad has stored its landing-pad
 *     index and its LSDA (the function's GCC except table) into
 *     __wasm_lpad_context, and reads back `selector`, the type-table index
 *     of the catch clause that matches (0: none, run the cleanups and
 *     rethrow);
 *   __cxa_begin_catch / __cxa_end_catch / __cxa_get_exception_ptr: the
 *     stack of caught exceptions; an exception is destroyed when its last
 *     handler ends unless it was rethrown.
 *
 * Written in C from the Itanium C++ ABI's layouts (exception handling,
 * type_info classes) and LLVM's description of Wasm EH; single-threaded,
 * as WASI programs are. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- type_info (Itanium C++ ABI 2.9.5) ---- */

struct type_info {
    const void *vptr;
    const char *name;
};
struct si_class_type_info { /* one public non-virtual base at offset 0 */
    struct type_info ti;
    const struct type_info *base;
};
struct base_class_info {
    const struct type_info *base;
    long offset_flags; /* offset << 8 | flags */
};
enum { BASE_VIRTUAL = 1, BASE_PUBLIC = 2 };
struct vmi_class_type_info { /* anything else */
    struct type_info ti;
    unsigned flags;
    unsigned base_count;
    struct base_class_info bases[];
};
struct pointer_type_info {
    struct type_info ti;
    unsigned flags; /* cv-qualification of the pointee: 1 const, 2 volatile, 4 restrict */
    const struct type_info *pointee;
};

/* The classes' vtables, from libc++abi: a type_info's vptr points 2 words
 * into one of them. Weak: a program without class types may lack them. */
extern const char _ZTVN10__cxxabiv117__class_type_infoE[] __attribute__((weak));
extern const char _ZTVN10__cxxabiv120__si_class_type_infoE[] __attribute__((weak));
extern const char _ZTVN10__cxxabiv121__vmi_class_type_infoE[] __attribute__((weak));
extern const char _ZTVN10__cxxabiv119__pointer_type_infoE[] __attribute__((weak));

enum ti_kind { TI_OTHER, TI_CLASS, TI_SI_CLASS, TI_VMI_CLASS, TI_POINTER };

static enum ti_kind ti_kind(const struct type_info *t)
{
    const char *vp = t->vptr;
    if (!vp) return TI_OTHER;
    vp -= 2 * sizeof(void *);
    if (vp == _ZTVN10__cxxabiv117__class_type_infoE) return TI_CLASS;
    if (vp == _ZTVN10__cxxabiv120__si_class_type_infoE) return TI_SI_CLASS;
    if (vp == _ZTVN10__cxxabiv121__vmi_class_type_infoE) return TI_VMI_CLASS;
    if (vp == _ZTVN10__cxxabiv119__pointer_type_infoE) return TI_POINTER;
    return TI_OTHER;
}

/* the same type: the same object, or the same mangled name (a name that
 * starts with '*' is local to its module, compared by address only) */
static int ti_equal(const struct type_info *a, const struct type_info *b)
{
    if (a == b) return 1;
    if (a->name[0] == '*' || b->name[0] == '*') return 0;
    return strcmp(a->name, b->name) == 0;
}

/* Finds the public base `want` of the object `obj` of class `t`: 1 and
 * *out set to the base's address, or 0. */
static int find_base(const struct type_info *t, void *obj, const struct type_info *want, void **out)
{
    if (ti_equal(t, want)) {
        *out = obj;
        return 1;
    }
    switch (ti_kind(t)) {
    case TI_SI_CLASS:
        return find_base(((const struct si_class_type_info *)t)->base, obj, want, out);
    case TI_VMI_CLASS: {
        const struct vmi_class_type_info *v = (const void *)t;
        for (unsigned i = 0; i < v->base_count; i++) {
            const struct base_class_info *b = &v->bases[i];
            if (!(b->offset_flags & BASE_PUBLIC)) continue;
            ptrdiff_t off = b->offset_flags >> 8;
            if (b->offset_flags & BASE_VIRTUAL) /* the offset is in the vtable */
                off = *(const ptrdiff_t *)(*(const char **)obj + off);
            if (find_base(b->base, (char *)obj + off, want, out)) return 1;
        }
        return 0;
    }
    default: return 0;
    }
}

/* Whether a handler for `c` catches an exception of type `t` whose object
 * is at `obj`; *adjusted is what __cxa_begin_catch then returns: the
 * object (or its base), or for a pointer the pointer's value (adjusted to
 * the base). */
static int catches(const struct type_info *c, const struct type_info *t, void *obj, void **adjusted)
{
    int is_ptr = ti_kind(t) == TI_POINTER;
    void *value = is_ptr ? *(void **)obj : obj;
    if (!c || ti_equal(c, t)) { /* catch (...) or the same type */
        *adjusted = value;
        return 1;
    }
    enum ti_kind ck = ti_kind(c);
    if (is_ptr && ck == TI_POINTER) {
        const struct pointer_type_info *cp = (const void *)c, *tp = (const void *)t;
        if (tp->flags & ~cp->flags & 7) return 0; /* would drop a qualifier */
        if (ti_equal(cp->pointee, tp->pointee) || strcmp(cp->pointee->name, "v") == 0) {
            *adjusted = value;
            return 1;
        }
        if (!value) { /* a null pointer converts to any base pointer */
            *adjusted = NULL;
            return ti_kind(tp->pointee) >= TI_CLASS && ti_kind(cp->pointee) >= TI_CLASS;
        }
        return find_base(tp->pointee, value, cp->pointee, adjusted);
    }
    if (!is_ptr && ck != TI_OTHER && ck != TI_POINTER) return find_base(t, obj, c, adjusted);
    return 0;
}

/* ---- the exception header ---- */

struct _Unwind_Exception {
    uint64_t exception_class;
    void (*exception_cleanup)(int reason, struct _Unwind_Exception *e);
    uintptr_t private_1, private_2;
};

/* "CLNGC++\0": an exception of this runtime (foreign ones are only ever
 * caught by catch (...)) */
static const uint64_t our_class = 0x434C4E47432B2B00ull;

struct cxa_exception {
    const struct type_info *type;
    void *(*dtor)(void *); /* in Wasm a destructor returns `this` */
    struct cxa_exception *next_caught;
    int handlers;   /* catch clauses that hold it */
    int rethrown;   /* __cxa_rethrow since the last __cxa_begin_catch */
    void *adjusted; /* what the matched catch clause gets */
    struct _Unwind_Exception unwind;
} __attribute__((aligned(16))); /* the thrown object follows, aligned */

static struct cxa_exception *from_unwind(void *u)
{
    return (struct cxa_exception *)((char *)u - offsetof(struct cxa_exception, unwind));
}

static struct cxa_exception *caught; /* innermost caught exception */

static _Noreturn void cxa_fail(const char *what)
{
    fprintf(stderr, "libwdb-cxxabi: %s\n", what);
    abort();
}

void *__cxa_allocate_exception(size_t size)
{
    struct cxa_exception *h = aligned_alloc(16, (sizeof *h + size + 15) & ~(size_t)15);
    if (!h) cxa_fail("out of memory allocating an exception");
    memset(h, 0, sizeof *h);
    return h + 1;
}

void __cxa_free_exception(void *obj)
{
    free((struct cxa_exception *)obj - 1);
}

static void destroy(struct cxa_exception *h)
{
    if (h->dtor) h->dtor(h + 1);
    free(h);
}

/* For debuggers: the exception from its throw (or rethrow) until a
 * handler takes it. At the runtime's uncaught-exception trap, wdb reports
 * its type and, from the hook's stops, where it was thrown. */
void *__wdb_cxa_in_flight;
const struct type_info *__wdb_cxa_in_flight_type;

/* Called by every throw and rethrow, never inlined: wdb stops at its entry
 * (unseen) to note the thrower's frame (frame 2: the hook, then
 * __cxa_throw or __cxa_rethrow). */
__attribute__((noinline, used)) void __wdb_cxa_throw_hook(void *obj, const struct type_info *type)
{
    __wdb_cxa_in_flight = obj;
    __wdb_cxa_in_flight_type = type;
}

_Noreturn void __cxa_throw(void *obj, const struct type_info *type, void *(*dtor)(void *))
{
    struct cxa_exception *h = (struct cxa_exception *)obj - 1;
    h->type = type;
    h->dtor = dtor;
    h->adjusted = obj;
    h->unwind.exception_class = our_class;
    __wdb_cxa_throw_hook(obj, type);
    /* tag 0 is __cpp_exception */
    __builtin_wasm_throw(0, &h->unwind);
}

_Noreturn void __cxa_rethrow(void)
{
    struct cxa_exception *h = caught;
    if (!h) cxa_fail("throw; with no exception being handled");
    h->rethrown = 1;
    __wdb_cxa_throw_hook(h + 1, h->type);
    __builtin_wasm_throw(0, &h->unwind);
}

static int ours(void *u)
{
    return ((struct _Unwind_Exception *)u)->exception_class == our_class;
}

void *__cxa_get_exception_ptr(void *u)
{
    return ours(u) ? from_unwind(u)->adjusted : NULL;
}

void *__cxa_begin_catch(void *u)
{
    if (!u || !ours(u)) return NULL;
    struct cxa_exception *h = from_unwind(u);
    __wdb_cxa_in_flight = NULL;
    __wdb_cxa_in_flight_type = NULL;
    h->handlers++;
    h->rethrown = 0;
    if (caught != h) {
        h->next_caught = caught;
        caught = h;
    }
    return h->adjusted;
}

void __cxa_end_catch(void)
{
    struct cxa_exception *h = caught;
    if (!h || --h->handlers > 0) return;
    caught = h->next_caught;
    if (!h->rethrown) destroy(h);
}

/* ---- the personality: the LSDA (GCC except table) of a Wasm function ---- */

struct lpad_context {
    uintptr_t lpad_index; /* in: which landing pad of the function */
    uintptr_t lsda;       /* in: the function's except table */
    uintptr_t selector;   /* out: the matching clause's type index, 0 if none */
};
struct lpad_context __wasm_lpad_context;

enum { URC_HANDLER_FOUND = 6, URC_CONTINUE_UNWIND = 8 };
enum { PE_OMIT = 0xff, PE_ABSPTR = 0x00, PE_ULEB128 = 0x01, PE_UDATA4 = 0x03, PE_SDATA4 = 0x0b };

static uintptr_t uleb(const uint8_t **p)
{
    uintptr_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 8 * sizeof v) v |= (uintptr_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    return v;
}

static intptr_t sleb(const uint8_t **p)
{
    intptr_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *(*p)++;
        if (shift < 8 * sizeof v) v |= (intptr_t)(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 8 * sizeof v && (b & 0x40)) v |= -((intptr_t)1 << shift);
    return v;
}

int _Unwind_CallPersonality(void *u)
{
    struct lpad_context *ctx = &__wasm_lpad_context;
    ctx->selector = 0;
    const uint8_t *p = (const uint8_t *)ctx->lsda;
    if (!p) return URC_CONTINUE_UNWIND;
    uint8_t lp_enc = *p++;
    if (lp_enc != PE_OMIT) cxa_fail("unsupported LSDA: a landing-pad base");
    uint8_t tt_enc = *p++;
    const uint8_t *types = NULL;
    if (tt_enc != PE_OMIT) {
        uintptr_t off = uleb(&p);
        types = p + off;
        if (tt_enc != PE_ABSPTR && tt_enc != PE_UDATA4 && tt_enc != PE_SDATA4)
            cxa_fail("unsupported LSDA: a type-table encoding other than 4-byte absolute");
    }
    if (*p++ != PE_ULEB128) cxa_fail("unsupported LSDA: a call-site encoding other than ULEB128");
    uintptr_t cs_len = uleb(&p);
    const uint8_t *actions = p + cs_len;
    /* Wasm's call-site table is indexed by the landing pad:
     * (landing pad, action) pairs */
    uintptr_t action = 0;
    for (uintptr_t i = 0;; i++) {
        if (p >= actions) return URC_CONTINUE_UNWIND;
        uleb(&p);
        action = uleb(&p);
        if (i == ctx->lpad_index) break;
    }
    if (action == 0) return URC_CONTINUE_UNWIND; /* cleanups only */
    struct cxa_exception *h = ours(u) ? from_unwind(u) : NULL;
    const uint8_t *a = actions + action - 1;
    for (;;) {
        intptr_t index = sleb(&a);
        const uint8_t *next_at = a;
        intptr_t next = sleb(&a);
        if (index > 0 && types) {
            /* a catch clause; its type is the index-th entry back from `types` */
            const struct type_info *c;
            memcpy(&c, types - index * 4, sizeof c);
            void *adj;
            if (!h ? c == NULL : catches(c, h->type, h + 1, &adj)) {
                if (h) h->adjusted = adj;
                ctx->selector = (uintptr_t)index;
                return URC_HANDLER_FOUND;
            }
        }
        /* index 0 is a cleanup; a negative one a dynamic exception
         * specification (gone since C++17), never matched here */
        if (next == 0) return URC_CONTINUE_UNWIND;
        a = next_at + next;
    }
}
