/* wb_disasm: being written. */
typedef int wb_disasm_placeholder;
