;; A program for the RSP client test: _start calls $inc five times (each
;; bumps global 0 and stores it at linear address 64), then exits with 7.
;; "spin" loops forever, for interrupts.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (func $inc (param $x i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i32.store (i32.const 64) (global.get $g))
    (i32.add (local.get $x) (i32.const 1)))
  (func (export "_start") (local $i i32)
    (loop $l
      (local.set $i (call $inc (local.get $i)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
    (call $exit (i32.const 7)))
  (func (export "spin") (loop $l (br $l))))
