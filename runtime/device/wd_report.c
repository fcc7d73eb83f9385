/*
 * Load-failure and trap reports (wd_report.h), shared by wdb-run and the
 * firmware so the wording lives in one place.
 *
 * Strings of any length (paths, function names, messages) are copied
 * through a small line buffer, never formatted into it, so nothing is cut;
 * only numbers go through snprintf. The buffer goes to the writer at every
 * newline and whenever it fills.
 */
#include "wd_report.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TRAP_FRAMES_SHOWN 20 /* a trap report fits one screen */
/* The frames' source-line locator (wd_locate_fn) is wdb-run's, which reads
 * source maps; the firmware, which passes none, builds with 0 and carries
 * none of its code. */
#ifndef WD_REPORT_LOCATE
#define WD_REPORT_LOCATE 1
#endif
#define SYMBOLIZE_FRAMES 8 /* offsets given in the `wdb symbolize` hint */

typedef struct out {
    wd_write_fn write;
    void *user;
    size_t n;
    char buf[128];
} out;

static void flush(out *o)
{
    if (o->n) o->write(o->user, o->buf, o->n);
    o->n = 0;
}

static void put(out *o, const char *s)
{
    for (; *s; s++) {
        if (o->n == sizeof o->buf) flush(o);
        o->buf[o->n++] = *s;
        if (*s == '\n') flush(o);
    }
}

/* n bytes of a name from the module: control characters become '?', so a
 * name cannot break the report's lines */
static void put_name(out *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o->n == sizeof o->buf) flush(o);
        o->buf[o->n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
}

/* Formatted text that is known to be short (numbers, fixed words). */
static void putf(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out *o, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(o, tmp);
}

/* "PROG: WHAT: " */
static void head(out *o, const char *prog, const char *what)
{
    put(o, prog);
    put(o, ": ");
    put(o, what);
    put(o, ": ");
}

void wd_report_error(const char *prog, const char *path, const wr_error *err, wd_write_fn write,
                     void *user)
{
    out o = {.write = write, .user = user};
    head(&o, prog, "error");
    put(&o, path);
    put(&o, ": ");
    if (err->section) {
        put(&o, err->section);
        putf(&o, " section at offset 0x%zx: ", err->offset);
    }
    put(&o, err->msg[0] ? err->msg : "failed");
    put(&o, "\n");
    flush(&o);
}

/* An out-of-bounds access with global 0 (wasm-ld's __stack_pointer, an
 * i32) past the end of memory: the C stack, which lives in linear memory
 * below the data (wasm-ld's default layout), ran out and the stack pointer
 * wrapped below 0. Says so, since the trap alone reads like a bad pointer. */
static void hint_stack(out *o, const char *prog, wr_instance *inst, wr_trap_kind kind)
{
    wr_global *sp = inst && kind == WR_TRAP_MEMORY_OOB ? wr_instance_global(inst, 0) : NULL;
    wr_memory *mem = inst ? wr_instance_memory(inst, 0) : NULL;
    if (!sp || !mem) return;
    wr_val v;
    wr_global_get(sp, &v);
    if (v.type != WR_I32 || v.of.u32 < wr_memory_size(mem)) return;
    head(o, prog, "hint");
    putf(o, "the stack pointer (global 0) is 0x%" PRIx32 ", below 0: ", v.of.u32);
    put(o, "the C stack in linear memory ran out (deep recursion?); link with "
           "-Wl,-z,stack-size=BYTES for a larger one\n");
}

void wd_report_trap(const char *prog, const char *path, wr_store *store, wr_module *mod,
                    wr_instance *inst, const wr_error *err, wd_write_fn write, void *user,
                    wd_locate_fn locate, void *locate_user)
{
    uint32_t located = 0;
    out o = {.write = write, .user = user};
    const wr_trap_info *ti = wr_store_last_trap(store);
    wr_trap_kind kind = ti && ti->kind != WR_TRAP_NONE ? ti->kind : err->trap;
    const char *msg = ti && ti->msg[0] ? ti->msg : err->msg[0] ? err->msg : wr_trap_message(kind);
    head(&o, prog, "trap");
    put(&o, msg);
    put(&o, " (");
    put(&o, wr_trap_name(kind));
    put(&o, ")\n");
    hint_stack(&o, prog, inst, kind);
    if (!ti || ti->nframes == 0) {
        flush(&o);
        return;
    }
    uint32_t shown = ti->nframes < TRAP_FRAMES_SHOWN ? ti->nframes : TRAP_FRAMES_SHOWN;
    for (uint32_t i = 0; i < shown; i++) {
        const wr_frame_info *fr = &ti->frames[i];
        wr_module *m = fr->inst ? wr_instance_module(fr->inst) : mod;
        size_t name_len = 0;
        const char *name = m ? wr_module_func_name(m, fr->func_index, &name_len) : NULL;
        uint32_t start, end;
        putf(&o, "  #%-2" PRIu32 " 0x%" PRIx32 " in ", i, fr->code_offset);
        if (name)
            put_name(&o, name, name_len);
        else
            putf(&o, "func[%" PRIu32 "]", fr->func_index);
        if (m && wr_module_func_range(m, fr->func_index, &start, &end) == WR_OK &&
            fr->code_offset >= start)
            putf(&o, " (func[%" PRIu32 "]+0x%" PRIx32 ")", fr->func_index, fr->code_offset - start);
        else
            putf(&o, " (func[%" PRIu32 "])", fr->func_index);
        char where[160];
        if (WD_REPORT_LOCATE && locate &&
            locate(locate_user, fr->code_offset, where, sizeof where)) {
            put(&o, " at ");
            put_name(&o, where, strlen(where));
            located++;
        }
        put(&o, "\n");
    }
    if (ti->nframes_total > shown)
        putf(&o, "  ... %" PRIu32 " more frames\n", ti->nframes_total - shown);
    if (WD_REPORT_LOCATE && located == shown) {
        flush(&o);
        return;
    }
    head(&o, prog, "hint");
    put(&o, "`wdb symbolize ");
    put(&o, path);
    for (uint32_t i = 0; i < shown && i < SYMBOLIZE_FRAMES; i++)
        putf(&o, " 0x%" PRIx32, ti->frames[i].code_offset);
    put(&o, "` gives file:line for these code offsets\n");
    flush(&o);
}
