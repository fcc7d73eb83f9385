/* wb_loc: being written. */
typedef int wb_loc_placeholder;
