/* wb_expr: being written. */
typedef int wb_expr_placeholder;
