;; A program for the reverse execution test (test_reverse.c): _start calls
;; $say three times; each call writes "line N\n" to stdout with fd_write and
;; stores N at linear address 64. Then it exits with 0.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "line 0\n")
  (func $say (param $n i32)
    (i32.store8 (i32.const 21) (i32.add (i32.const 48) (local.get $n)))
    (i32.store (i32.const 64) (local.get $n))
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 7))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))
  (func (export "_start") (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (call $say (local.get $i))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 3))))
    (call $exit (i32.const 0))))
