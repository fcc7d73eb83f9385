# The exception tag that longjmp throws (SetjmpLongjmp.md): one i32, the
# address of the jump's arguments in linear memory. clang only imports it.
	.globl __c_longjmp
	.tagtype __c_longjmp i32
__c_longjmp:
