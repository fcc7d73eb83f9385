/* wb_types: being written. */
typedef int wb_types_placeholder;
