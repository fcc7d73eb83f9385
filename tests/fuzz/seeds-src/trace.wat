;; The module of the `trace` fuzz target (fuzz_trace.c embeds its bytes):
;; reads the clock, writes "hi\n" to stdout twice in a loop, reads stdin
;; into memory, and exits with the byte it read, so a trace of it has
;; every kind of record: results, memory spans, output and an exit.
(module
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  ;; iovec {buf 32, len 3} at 0; another {buf 64, len 4} at 8; "hi\n" at 32
  (data (i32.const 0) "\20\00\00\00\03\00\00\00\40\00\00\00\04\00\00\00")
  (data (i32.const 32) "hi\n")
  (func (export "_start") (local $i i32)
    (drop (call $clock (i32.const 0) (i64.const 1) (i32.const 16)))
    (loop $l
      (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 24)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 2))))
    (drop (call $read (i32.const 0) (i32.const 8) (i32.const 1) (i32.const 28)))
    (call $exit (i32.load8_u (i32.const 64)))))
