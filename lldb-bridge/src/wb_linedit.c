/* wb_linedit: being written. */
typedef int wb_linedit_placeholder;
