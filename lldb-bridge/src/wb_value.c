/* wb_value: being written. */
typedef int wb_value_placeholder;
