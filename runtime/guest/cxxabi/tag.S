# The exception tag of C++ exceptions in Wasm: one i32, the address of the
# thrown exception's _Unwind_Exception. clang only imports it.
	.globl __cpp_exception
	.tagtype __cpp_exception i32
__cpp_exception:
