/*
 * The gs_target callbacks over the debug engine (wd_target.h).
 */
#include "wd_target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LLDB may set a breakpoint at an address that is no instruction boundary;
 * the engine moves it to the next one, and the stop must then report the
 * address LLDB asked for (PROTOCOL.md). */
typedef struct break_map {
    uint32_t requested; /* file offset LLDB asked for */
    uint32_t actual;    /* code offset of the instruction */
} break_map;

struct wd_target {
    wde_engine *eng;
    wr_store *store;
    wr_module *mod;
    const uint8_t *bytes;
    size_t len;
    uint32_t code_sec; /* file offset of the Code section's contents */
    gs_target target;
    char name[64];
    char *path;
    break_map *breaks;
    size_t nbreaks, cap_breaks;
    bool killed; /* a debugger asked for kill */
};

static bool grow_breaks(wd_target *d)
{
    size_t nc = d->cap_breaks ? 2 * d->cap_breaks : 8;
    break_map *p = realloc(d->breaks, nc * sizeof *p);
    if (!p) return false;
    d->breaks = p;
    d->cap_breaks = nc;
    return true;
}

/* ------------------------------------------------------------ addresses */

static uint64_t code_addr(wd_target *d, uint32_t code_offset)
{
    return wrsp_addr_code(0, wde_code_to_file(d->code_sec, code_offset));
}

/* An RSP code address of module 0 -> code offset; false otherwise. */
static bool addr_to_code(wd_target *d, uint64_t addr, uint32_t *code_offset)
{
    if (wrsp_addr_space(addr) != WRSP_SPACE_CODE || wrsp_addr_module(addr) != 0) return false;
    if (addr & 0x3f00000000000000ull) return false; /* bits LLDB never sets */
    return wde_file_to_code(d->code_sec, wrsp_addr_offset(addr), code_offset);
}

/* The length of the call instruction at code offset off (call or
 * call_indirect: opcode + LEB128 immediates), 1 if it cannot be read. */
static uint32_t call_length(wd_target *d, uint32_t off)
{
    size_t at = (size_t)d->code_sec + off;
    if (at >= d->len) return 1;
    uint8_t op = d->bytes[at];
    int nimm = op == 0x10 ? 1 : op == 0x11 ? 2 : 0;
    size_t p = at + 1;
    for (int i = 0; i < nimm; i++) {
        int k = 0;
        while (p < d->len && (d->bytes[p] & 0x80) && k < 5)
            p++, k++;
        p++;
    }
    return (uint32_t)(p - at);
}

/* The address LLDB knows as the start of the function whose first
 * instruction is at code offset off: the function's DWARF low_pc, the
 * offset of its local declarations just past the body's size field. A
 * native function's entry pc equals its low_pc, and LLDB relies on that:
 * ThreadPlanStepInRange skips the prologue (runs to the line table's
 * prologue_end) only when a step into a function stops exactly at the
 * function's start address; stopped at the first instruction instead,
 * `step` shows the opening line with the frame base not yet set up, so
 * every variable read through it is garbage. (LLDB 22 still does not skip
 * the prologue: it gives every Wasm frame the same CFA, so the new frame
 * does not look younger; later LLDBs do.) Returns off itself when it is
 * not a function's first instruction. */
static uint32_t entry_alias(wd_target *d, uint32_t off)
{
    uint32_t func, start, end, first;
    if (wr_module_func_at(d->mod, off, &func) != WR_OK) return off;
    if (wr_module_func_range(d->mod, func, &start, &end) != WR_OK) return off;
    size_t p = (size_t)d->code_sec + start; /* the body's size: a LEB128 */
    while (p < d->len && (d->bytes[p] & 0x80))
        p++;
    uint32_t low = start + (uint32_t)(p + 1 - ((size_t)d->code_sec + start));
    if (low >= off) return off;
    if (wr_debug_insn_at(d->store, d->mod, low, &first) != WR_OK || first != off) return off;
    return low;
}

/* ------------------------------------------------------------ target */

static void t_get_stop(void *user, gs_stop *out)
{
    wd_target *d = user;
    wde_stop s;
    wde_get_stop(d->eng, &s);
    memset(out, 0, sizeof *out);
    switch (s.state) {
    case WDE_RUNNING: out->state = GS_RUNNING; return;
    case WDE_EXITED:
        out->state = GS_EXITED;
        out->exit_code = s.exit_code;
        return;
    case WDE_STOPPED: break;
    }
    out->state = GS_STOPPED;
    out->pc = code_addr(d, s.code_offset);
#if GS_REVERSE && WDE_REVERSE
    out->history_begin = s.history_begin;
#endif
    switch (s.reason) {
    case WR_DEBUG_ENTRY: out->reason = GS_REASON_ENTRY; break;
    case WR_DEBUG_BREAKPOINT: {
        out->reason = GS_REASON_BREAKPOINT;
        for (size_t i = 0; i < d->nbreaks; i++) {
            if (d->breaks[i].actual == s.code_offset) {
                out->pc = wrsp_addr_code(0, d->breaks[i].requested);
                if (d->breaks[i].requested == wde_code_to_file(d->code_sec, s.code_offset)) break;
            }
        }
        break;
    }
    case WR_DEBUG_STEP:
        /* a step into a function: report its start, as a native target
         * would (traps and interrupts keep the instruction's own line) */
        out->reason = GS_REASON_STEP;
        out->pc = code_addr(d, entry_alias(d, s.code_offset));
        break;
    case WR_DEBUG_INTERRUPT: out->reason = GS_REASON_INTERRUPT; break;
    case WR_DEBUG_TRAP:
        out->reason = GS_REASON_TRAP;
        wrsp_trap_description(out->description, sizeof out->description, s.trap_msg,
                              wr_trap_name(s.trap));
        break;
    case WR_DEBUG_WATCH:
        out->reason = GS_REASON_WATCHPOINT;
        out->watch_addr = wrsp_addr_memory(0, (uint32_t)s.watch_addr);
        out->watch_kind = s.watch_kind == WR_WATCH_WRITE  ? 2
                          : s.watch_kind == WR_WATCH_READ ? 3
                                                          : 4;
        break;
    }
}

static int t_resume(void *user, gs_action action, uint64_t start, uint64_t end)
{
    wd_target *d = user;
    switch (action) {
    case GS_CONTINUE: return wde_resume(d->eng, WR_DEBUG_CONTINUE, 0, 0);
    case GS_STEP: return wde_resume(d->eng, WR_DEBUG_STEP_INSN, 0, 0);
    case GS_RANGE_STEP: {
        uint32_t s, e;
        if (!addr_to_code(d, start, &s) || !addr_to_code(d, end, &e) || e < s) return -EINVAL;
        return wde_resume(d->eng, WR_DEBUG_STEP_RANGE, s, e);
    }
    }
    return -EINVAL;
}

#if GS_REVERSE && WDE_REVERSE
static int t_reverse(void *user, bool step)
{
    return wde_reverse(((wd_target *)user)->eng, step);
}
static bool t_can_reverse(void *user)
{
    return wde_can_reverse(((wd_target *)user)->eng);
}
static int t_history(void *user, size_t *snapshots, size_t *bytes, size_t *limit)
{
    wd_target *d = user;
    if (!wde_can_reverse(d->eng)) return -ENOTSUP;
    wde_history h;
    wde_history_info(d->eng, &h);
    *snapshots = h.snapshots;
    *bytes = h.bytes;
    *limit = h.limit;
    return 0;
}
#endif
static int t_interrupt(void *user)
{
    return wde_interrupt(((wd_target *)user)->eng);
}
static int t_kill(void *user)
{
    wd_target *d = user;
    d->killed = true;
    return wde_kill(d->eng);
}

static int t_detach(void *user)
{
    wd_target *d = user;
    for (size_t i = 0; i < d->nbreaks; i++)
        wde_break(d->eng, d->breaks[i].actual, false, NULL);
    d->nbreaks = 0;
    return wde_detach(d->eng);
}

static int t_breakpoint(void *user, uint64_t addr, bool insert)
{
    wd_target *d = user;
    uint32_t off, actual = 0;
    if (!addr_to_code(d, addr, &off)) return -EINVAL;
    uint32_t file = wrsp_addr_offset(addr);
    int rc = 0;
    if (insert) {
        if (d->nbreaks == d->cap_breaks && !grow_breaks(d)) {
            rc = -ENOMEM;
        } else {
            rc = wde_break(d->eng, off, true, &actual);
            if (rc == 0) d->breaks[d->nbreaks++] = (break_map){file, actual};
        }
    } else {
        rc = -ENOENT;
        for (size_t i = 0; i < d->nbreaks; i++) {
            if (d->breaks[i].requested != file) continue;
            actual = d->breaks[i].actual;
            d->breaks[i] = d->breaks[--d->nbreaks];
            rc = 0;
            /* another request may share the instruction: keep it then */
            bool shared = false;
            for (size_t k = 0; k < d->nbreaks; k++)
                shared |= d->breaks[k].actual == actual;
            if (!shared) rc = wde_break(d->eng, actual, false, NULL);
            break;
        }
    }
    return rc;
}

static int t_watchpoint(void *user, int kind, uint64_t addr, uint32_t len, bool insert)
{
    wd_target *d = user;
    if (wrsp_addr_space(addr) != WRSP_SPACE_MEMORY || wrsp_addr_module(addr) != 0) return -EINVAL;
    wr_watch_kind k = kind == 2 ? WR_WATCH_WRITE : kind == 3 ? WR_WATCH_READ : WR_WATCH_ACCESS;
    return wde_watch(d->eng, wrsp_addr_offset(addr), len, k, insert);
}

static int t_call_stack(void *user, size_t first, uint64_t *pcs, size_t max, size_t *n,
                        size_t *total)
{
    wd_target *d = user;
    gs_stop st;
    t_get_stop(d, &st);
    /* read in small chunks: a device has little stack to spare */
    uint32_t offs[32];
    size_t k = 0;
    *n = 0;
    while (k < max) {
        size_t want = max - k < 32 ? max - k : 32, got = 0;
        int rc = wde_call_stack(d->eng, first + k, offs, want, &got, total);
        if (rc < 0) return rc;
        for (size_t i = 0; i < got; i++) {
            if (first + k + i == 0) {
                pcs[k + i] = st.pc; /* as in the stop reply (a breakpoint's requested address) */
            } else {
                /* callers: the return address, just past the call
                 * instruction, as for native frames; LLDB looks up pc - 1
                 * for them */
                pcs[k + i] = code_addr(d, offs[i] + call_length(d, offs[i]));
            }
        }
        k += got;
        if (got < want) break;
    }
    *n = k;
    return 0;
}

static int t_local(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    return wde_local(((wd_target *)user)->eng, frame, index, buf, len);
}

static int t_global(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    (void)frame; /* one instance: every frame sees the same globals */
    return wde_global(((wd_target *)user)->eng, index, buf, len);
}

static int t_stack_value(void *user, uint32_t frame, uint32_t index, uint8_t *buf, size_t *len)
{
    return wde_stack_value(((wd_target *)user)->eng, frame, index, buf, len);
}

static int t_read_memory(void *user, uint64_t addr, uint8_t *buf, size_t len, size_t *got)
{
    wd_target *d = user;
    *got = 0;
    if (wrsp_addr_module(addr) != 0) return -EFAULT;
    switch (wrsp_addr_space(addr)) {
    case WRSP_SPACE_CODE:
        if (addr & 0x3f00000000000000ull) return -EFAULT;
        wde_read_module(d->eng, wrsp_addr_offset(addr), buf, len, got);
        return 0;
    case WRSP_SPACE_MEMORY:
        wde_read_memory(d->eng, wrsp_addr_offset(addr), buf, len, got);
        return 0;
    default: return -EFAULT;
    }
}

static int t_write_memory(void *user, uint64_t addr, const uint8_t *buf, size_t len)
{
    wd_target *d = user;
    /* code is not writable: breakpoints are the way to change it */
    if (wrsp_addr_space(addr) != WRSP_SPACE_MEMORY || wrsp_addr_module(addr) != 0) return -EFAULT;
    return wde_write_memory(d->eng, wrsp_addr_offset(addr), buf, len);
}

static int t_region(void *user, uint64_t addr, uint64_t *start, uint64_t *size, const char **perms)
{
    wd_target *d = user;
    if (wrsp_addr_space(addr) == WRSP_SPACE_MEMORY && wrsp_addr_module(addr) == 0) {
        uint64_t msize = wde_memory_size(d->eng), off = wrsp_addr_offset(addr);
        if (off < msize) {
            *start = 0;
            *size = msize;
            *perms = "rw";
        } else {
            *start = msize;
            *size = 0x100000000ull - msize;
            *perms = "";
        }
        return 0;
    }
    uint64_t code0 = wrsp_addr_code(0, 0);
    if (addr >= code0 && addr < code0 + d->len) {
        *start = code0;
        *size = d->len;
        *perms = "rx";
        return 0;
    }
    /* unmapped: up to the code space, or to the end */
    *start = addr;
    *size = addr < code0 ? code0 - addr : 1;
    *perms = "";
    return 0;
}

/* ------------------------------------------------------------ set-up */

wd_target *wd_target_new(wr_store *store, wr_module *mod, wr_instance *inst,
                         const char *module_path)
{
    wd_target *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->store = store;
    d->mod = mod;
    d->bytes = wr_module_bytes(mod, &d->len);
    d->code_sec = wr_module_code_section_offset(mod);
    size_t pl = strlen(module_path);
    if (!(d->path = malloc(pl + 1))) goto fail;
    memcpy(d->path, module_path, pl + 1);
    const char *base = strrchr(module_path, '/');
    snprintf(d->name, sizeof d->name, "%s", base ? base + 1 : module_path);
    /* the name goes into stop replies as name:NAME; */
    for (char *p = d->name; *p; p++)
        if (*p == ';' || *p == ':' || *p == '#' || *p == '$' || *p == '}' || *p == '*') *p = '_';
    if (!(d->eng = wde_new(store, mod, inst))) goto fail;
    /* copied from flash, then the fields of this target */
    static const gs_target ops = {
        .max_watchpoints = WR_MAX_WATCHPOINTS,
        .wake_fd = -1,
        .get_stop = t_get_stop,
        .resume = t_resume,
        .interrupt = t_interrupt,
        .kill = t_kill,
        .detach = t_detach,
        .breakpoint = t_breakpoint,
        .watchpoint = t_watchpoint,
        .call_stack = t_call_stack,
        .wasm_local = t_local,
        .wasm_global = t_global,
        .wasm_stack_value = t_stack_value,
        .read_memory = t_read_memory,
        .write_memory = t_write_memory,
        .memory_region = t_region,
#if GS_REVERSE && WDE_REVERSE
        .reverse = t_reverse,
        .can_reverse = t_can_reverse,
        .history = t_history,
#endif
    };
    d->target = ops;
    d->target.user = d;
    d->target.module_path = d->path;
    d->target.process_name = d->name;
    return d;
fail:
    wd_target_free(d);
    return NULL;
}

void wd_target_free(wd_target *d)
{
    if (!d) return;
    if (d->eng) wde_free(d->eng);
    free(d->breaks);
    free(d->path);
    free(d);
}

wde_engine *wd_target_engine(wd_target *d)
{
    return d->eng;
}
wr_store *wd_target_store(wd_target *d)
{
    return d->store;
}
const gs_target *wd_target_gs(wd_target *d)
{
    return &d->target;
}
void wd_target_set_wake_fd(wd_target *d, int fd)
{
    d->target.wake_fd = fd;
}
bool wd_target_killed(const wd_target *d)
{
    return d && d->killed;
}
