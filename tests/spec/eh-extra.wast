;; Exception handling beyond the spec files (ours): what escapes to the
;; host, exceptions crossing instances, deep unwinding, a catch clause
;; branching back to a loop, exnref in globals, multi-value catch arms of
;; the legacy form, delegate and rethrow through calls.

;; An exception out of the start function: instantiation fails with it.
(assert_trap
  (module (tag $e) (func $s (throw $e)) (start $s))
  "uncaught exception")

(module $A
  (tag $e (export "e") (param i32 i64))
  (func (export "throw") (param i32) (throw $e (local.get 0) (i64.const 7)))
  (func (export "null") (throw_ref (ref.null exn)))
  (func (export "uncaught") (param i32) (result i32)
    (if (local.get 0) (then (throw $e (i32.const 1) (i64.const 2))))
    (i32.const 5)))
(register "A" $A)

(assert_trap (invoke $A "null") "null exception reference")
(assert_exception (invoke $A "uncaught" (i32.const 1)))
;; the runtime goes on normally after an uncaught exception
(assert_return (invoke $A "uncaught" (i32.const 0)) (i32.const 5))

(module $B
  (import "A" "e" (tag $e (param i32 i64)))
  (import "A" "throw" (func $throw (param i32)))
  (global $g (mut exnref) (ref.null exn))

  ;; caught from another instance, kept in a global, thrown again later
  (func (export "keep") (param i32) (result i32)
    (block $h (result i32 i64 exnref)
      (try_table (catch_ref $e $h) (call $throw (local.get 0)))
      (return (i32.const -1)))
    (global.set $g)
    (drop)
    (i32.const 100)
    (i32.add))
  (func (export "again") (result i64)
    (local $x i64)
    (block $h (result i32 i64)
      (try_table (catch $e $h) (throw_ref (global.get $g)))
      (return (i64.const -1)))
    (local.set $x)
    (i64.add (i64.extend_i32_u) (local.get $x)))

  ;; 5000 frames deep, then caught at the top; the stack works after it
  (func $deep (param i32)
    (if (i32.eqz (local.get 0)) (then (call $throw (i32.const 9))))
    (call $deep (i32.sub (local.get 0) (i32.const 1))))
  (func (export "deep") (param i32) (result i32)
    (block $h (result i32 i64)
      (try_table (catch $e $h) (call $deep (local.get 0)))
      (return (i32.const -1)))
    (drop))

  ;; a catch clause to a loop label: the loop runs again
  (func (export "retry") (param $n i32) (result i32)
    (local $tries i32)
    (loop $again
      (local.set $tries (i32.add (local.get $tries) (i32.const 1)))
      (try_table (catch_all $again)
        (if (i32.lt_u (local.get $tries) (local.get $n))
          (then (call $throw (local.get $tries))))))
    (local.get $tries))

  ;; legacy: a catch arm's results move down over its caught exception
  (func (export "arm") (param i32) (result i64 i32)
    (local $y i64)
    (i64.const 1000)
    (try (param i64) (result i64 i32)
      (do (drop) (call $throw (local.get 0)) (i64.const 0) (i32.const 0))
      (catch $e
        (local.set $y)
        (local.set 0)
        (i64.add (local.get $y) (i64.extend_i32_u (local.get 0)))
        (i64.add (i64.const 1000))
        (i32.const 42))))

  ;; legacy: rethrow of the outer arm's exception from an inner arm
  (func (export "rethrow-outer") (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (i32.const 3)) (i32.const 0))
          (catch_all
            (try (result i32)
              (do (call $throw (i32.const 4)) (i32.const 0))
              (catch_all (rethrow 1))))))
      (catch $e (drop))))

  ;; legacy: delegate past a try whose catch would take it
  (func $inner (param i32)
    (try
      (do
        (try (do (call $throw (local.get 0))) (delegate 1)))
      (catch_all (unreachable))))
  (func (export "delegate-out") (result i32)
    (try (result i32)
      (do (call $inner (i32.const 11)) (i32.const 0))
      (catch $e (drop))))
  (func (export "delegate-uncaught") (call $inner (i32.const 12)))

  ;; many exceptions: the store frees those nothing reaches (wr_interp.c,
  ;; exn_collect), not one kept in a local, in a global or by a catch arm
  (func (export "churn") (param $n i32) (result i32)
    (local $kept exnref)
    (block $h (result i32 i64 exnref)
      (try_table (catch_ref $e $h) (call $throw (i32.const 77)))
      (unreachable))
    (local.set $kept)
    (drop)
    (drop)
    (loop $l
      (block $h2 (result i32 i64 exnref)
        (try_table (catch_ref $e $h2) (call $throw (local.get $n)))
        (unreachable))
      (drop)
      (drop)
      (drop)
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (block $h3 (result i32 i64)
      (try_table (catch $e $h3) (throw_ref (local.get $kept)))
      (unreachable))
    (drop))
  (func (export "arm-churn") (param $n i32) (result i32)
    (try (result i32)
      (do
        (try (result i32)
          (do (call $throw (i32.const 55)) (i32.const 0))
          (catch $e
            (drop)
            (drop)
            (loop $l
              (try (do (call $throw (local.get $n))) (catch $e (drop) (drop)))
              (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
            (rethrow 0))))
      (catch $e (drop))))
)

(assert_return (invoke $B "keep" (i32.const 5)) (i32.const 105))
(assert_return (invoke $B "churn" (i32.const 20000)) (i32.const 77))
(assert_return (invoke $B "arm-churn" (i32.const 5000)) (i32.const 55))
(assert_return (invoke $B "again") (i64.const 12))
(assert_return (invoke $B "deep" (i32.const 5000)) (i32.const 9))
(assert_return (invoke $B "deep" (i32.const 3)) (i32.const 9))
(assert_return (invoke $B "retry" (i32.const 4)) (i32.const 4))
(assert_return (invoke $B "arm" (i32.const 6)) (i64.const 1013) (i32.const 42))
(assert_return (invoke $B "rethrow-outer") (i32.const 3))
(assert_return (invoke $B "delegate-out") (i32.const 11))
(assert_exception (invoke $B "delegate-uncaught"))
