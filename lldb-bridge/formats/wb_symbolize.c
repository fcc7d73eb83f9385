/*
 * Symbolization. The frame layout follows addr2line -i: the innermost
 * frame is located by the line table; each caller of an inlined copy by
 * the copy's DW_AT_call_file/line/column.
 */
#include "wb_symbolize.h"

static const char *scope_name(const wb_scope *s, const wb_symbolize_opts *o)
{
    if (o->demangle) return s->qualified_name ? s->qualified_name : s->name;
    return s->linkage_name ? s->linkage_name : s->name;
}

static void print_loc(FILE *out, const char *file, uint32_t line, uint32_t col)
{
    if (!file) {
        fputs("??:0\n", out);
        return;
    }
    if (col)
        fprintf(out, "%s:%u:%u\n", file, line, col);
    else
        fprintf(out, "%s:%u\n", file, line);
}

static void print_frame(FILE *out, const wb_symbolize_opts *o, bool inlined_by, const char *fn,
                        const char *file, uint32_t line, uint32_t col)
{
    if (inlined_by) fputs("(inlined by) ", out);
    if (o->functions) fprintf(out, "%s at ", fn ? fn : "??");
    print_loc(out, file, line, col);
}

wb_status wb_symbolize(const wb_wasm *w, wb_dwarf *d, wb_code_off addr, const wb_symbolize_opts *o,
                       FILE *out, wb_error *err)
{
    const wb_func *f = NULL;
    const char *wasm_name = NULL;
    wb_status result = WB_OK;
    if (wb_wasm_func_at(w, addr, &f) == WB_OK) wasm_name = f->name;
    if (o->addresses) fprintf(out, "0x%x\n", addr);
    if (!d) {
        print_frame(out, o, false, wasm_name, NULL, 0, 0);
        return WB_OK;
    }

    wb_line row;
    bool have_row = false;
    wb_status st = wb_dwarf_line_at(d, addr, &row, err);
    if (st == WB_ERROR) result = WB_ERROR;
    if (st == WB_OK) have_row = true;

    wb_scope_chain chain = {0, NULL};
    wb_error tmp;
    st = wb_dwarf_scopes_at(d, addr, &chain, result == WB_ERROR ? &tmp : err);
    if (st == WB_ERROR) result = WB_ERROR;

    /* frames: inlined copies and the function, blocks skipped */
    const wb_scope *frames[64];
    size_t n = 0;
    for (size_t i = 0; i < chain.count && n < 64; i++)
        if (chain.scopes[i]->kind != WB_SCOPE_BLOCK) frames[n++] = chain.scopes[i];

    if (n == 0) {
        print_frame(out, o, false, wasm_name, have_row ? row.file : NULL, have_row ? row.line : 0,
                    have_row ? row.column : 0);
    } else {
        const char *fn0 = scope_name(frames[0], o);
        print_frame(out, o, false, fn0 ? fn0 : wasm_name, have_row ? row.file : NULL,
                    have_row ? row.line : 0, have_row ? row.column : 0);
        for (size_t i = 1; o->inlines && i < n; i++) {
            const char *fn = scope_name(frames[i], o);
            if (!fn && frames[i]->kind == WB_SCOPE_FUNCTION) fn = wasm_name;
            print_frame(out, o, true, fn, frames[i - 1]->call_file, frames[i - 1]->call_line,
                        frames[i - 1]->call_column);
        }
    }
    wb_scope_chain_free(&chain);
    return result;
}
