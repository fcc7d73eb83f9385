;; A test of ours in the suite's form: tail calls whose callee is not a
;; function of the caller's own module. Into another instance (an import,
;; and back through a table the other instance holds), a million deep:
;; that is, without a frame per call (the call depth limit is 65536). Into
;; a host function (spectest's print_i32), directly and through a table:
;; it runs, then the caller returns.
(module $A
  (type $f (func (param i64) (result i32)))
  (table (export "tab") 1 funcref)
  (func $odd (export "odd") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $f) (i64.sub (local.get 0) (i64.const 1))
                                              (i32.const 0))))))
(register "A" $A)

(module
  (type $f (func (param i64) (result i32)))
  (type $p (func (param i32)))
  (import "A" "tab" (table 1 funcref))
  (import "A" "odd" (func $odd (param i64) (result i32)))
  (import "spectest" "print_i32" (func $print (param i32)))
  (table $own 1 funcref)
  (elem (table 0) (i32.const 0) func $even)
  (elem (table $own) (i32.const 0) func $print)
  (func $even (export "even") (param i64) (result i32)
    (if (result i32) (i64.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1))))))
  (func (export "print") (param i32)
    (return_call $print (local.get 0)))
  (func (export "print_indirect") (param i32)
    (return_call_indirect $own (type $p) (local.get 0) (i32.const 0)))
  (func (export "after_print") (param i32) (result i32)
    (call $print_then (local.get 0))
    (i32.add (local.get 0) (i32.const 1)))
  (func $print_then (param i32)
    (return_call $print (local.get 0))))

(assert_return (invoke "even" (i64.const 0)) (i32.const 1))
(assert_return (invoke "even" (i64.const 7)) (i32.const 0))
(assert_return (invoke "even" (i64.const 1000000)) (i32.const 1))
(assert_return (invoke "even" (i64.const 1000001)) (i32.const 0))
(assert_return (invoke "print" (i32.const 42)))
(assert_return (invoke "print_indirect" (i32.const 43)))
(assert_return (invoke "after_print" (i32.const 44)) (i32.const 45))
