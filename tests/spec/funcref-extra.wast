;; Typed function references and rec groups of function types beyond the
;; spec files (ours): iso-recursive type equality at call_indirect and
;; import matching (within a module and across instances), sub types,
;; subtyping of typed references in validation, and what the runtime
;; refuses (struct types, malformed rec groups, non-nullable locals).

;; call_indirect: a type of a rec group is not the same structure alone,
;; nor its sibling of the same structure
(module
  (rec (type $a (func (result i32))) (type $b (func (result i32))))
  (type $c (func (result i32)))
  (table $t (export "t") funcref (elem $f $g))
  (func $f (export "f") (type $a) (i32.const 1))
  (func $g (type $c) (i32.const 2))
  (func (export "a-as-a") (result i32) (call_indirect (type $a) (i32.const 0)))
  (func (export "a-as-b") (result i32) (call_indirect (type $b) (i32.const 0)))
  (func (export "c-as-c") (result i32) (call_indirect (type $c) (i32.const 1)))
  (func (export "c-as-a") (result i32) (call_indirect (type $a) (i32.const 1)))
)
(register "R")
(assert_return (invoke "a-as-a") (i32.const 1))
(assert_trap (invoke "a-as-b") "indirect call type mismatch")
(assert_return (invoke "c-as-c") (i32.const 2))
(assert_trap (invoke "c-as-a") "indirect call type mismatch")

;; another module's identical rec group is the same type
(module
  (rec (type $a (func (result i32))) (type $b (func (result i32))))
  (type $c (func (result i32)))
  (import "R" "t" (table 2 funcref))
  (import "R" "f" (func $f (type $a)))
  (func (export "a") (result i32) (call_indirect (type $a) (i32.const 0)))
  (func (export "b") (result i32) (call_indirect (type $b) (i32.const 0)))
  (func (export "c") (result i32) (call_indirect (type $c) (i32.const 1)))
  (func (export "direct") (result i32) (call $f))
)
(assert_return (invoke "a") (i32.const 1))
(assert_trap (invoke "b") "indirect call type mismatch")
(assert_return (invoke "c") (i32.const 2))
(assert_return (invoke "direct") (i32.const 1))

;; ... but not the sibling, nor a plain type of the same structure
(assert_unlinkable
  (module
    (rec (type $a (func (result i32))) (type $b (func (result i32))))
    (import "R" "f" (func (type $b))))
  "incompatible import type")
(assert_unlinkable
  (module
    (type $c (func (result i32)))
    (import "R" "f" (func (type $c))))
  "incompatible import type")

;; groups whose types refer to each other are equal when their shapes are
(module
  (rec
    (type $x (func (param (ref null $y)) (result i32)))
    (type $y (func (param (ref null $x)) (result i32))))
  (table (export "t") funcref (elem $fx))
  (func $fx (type $x) (i32.const 3))
)
(register "X")
(module
  (rec
    (type $x (func (param (ref null $y)) (result i32)))
    (type $y (func (param (ref null $x)) (result i32))))
  (rec
    (type $x2 (func (param (ref null $x2)) (result i32)))
    (type $y2 (func (param (ref null $x2)) (result i32))))
  (import "X" "t" (table 1 funcref))
  (func (export "same") (result i32)
    (call_indirect (type $x) (ref.null $y) (i32.const 0)))
  (func (export "other") (result i32)
    (call_indirect (type $x2) (ref.null $x2) (i32.const 0)))
)
(assert_return (invoke "same") (i32.const 3))
(assert_trap (invoke "other") "indirect call type mismatch")

;; a plain type named from a rec group is compared by its structure,
;; wherever it is in its module
(module
  (type $p (func (result i32)))
  (rec (type $x (func (param (ref null $p)) (result i32))) (type $y (func)))
  (table (export "t") funcref (elem $fx))
  (func $fx (type $x) (i32.const 9))
)
(register "P")
(module
  (type $other (func (param f64)))
  (type $q (func (result i32)))
  (type $r (func (result i64)))
  (rec (type $x (func (param (ref null $q)) (result i32))) (type $y (func)))
  (rec (type $x2 (func (param (ref null $r)) (result i32))) (type $y2 (func)))
  (import "P" "t" (table 1 funcref))
  (func (export "same") (result i32)
    (call_indirect (type $x) (ref.null $q) (i32.const 0)))
  (func (export "other") (result i32)
    (call_indirect (type $x2) (ref.null $r) (i32.const 0)))
)
(assert_return (invoke "same") (i32.const 9))
(assert_trap (invoke "other") "indirect call type mismatch")

;; a sub type is called through its supertype, not the other way round
(module
  (type $s (sub (func (result i32))))
  (type $t (sub final $s (func (result i32))))
  (table funcref (elem $g $h))
  (func $g (type $t) (i32.const 4))
  (func $h (type $s) (i32.const 5))
  (func (export "sub-as-super") (result i32) (call_indirect (type $s) (i32.const 0)))
  (func (export "super-as-sub") (result i32) (call_indirect (type $t) (i32.const 1)))
)
(assert_return (invoke "sub-as-super") (i32.const 4))
(assert_trap (invoke "super-as-sub") "indirect call type mismatch")

;; a final sub type without a supertype is the plain type
(module
  (type $p (func (result i32)))
  (type $f (sub final (func (result i32))))
  (table funcref (elem $h))
  (func $h (type $f) (i32.const 8))
  (func (export "final-as-plain") (result i32) (call_indirect (type $p) (i32.const 0)))
)
(assert_return (invoke "final-as-plain") (i32.const 8))

(assert_invalid
  (module (type $s (func)) (type $t (sub $s (func))))
  "sub type: the supertype is final")
(assert_invalid
  (module (type $s (sub (func))) (type $t (sub $s (func (param i32)))))
  "sub type: type does not match its supertype")

;; typed references in validation: (ref $t) <: (ref null $t) <: funcref,
;; equal plain types are one type
(module
  (type $t (func (result i32)))
  (type $t2 (func (result i32)))
  (type $u (func (param (ref null $t)) (result i32)))
  (func $f (type $t) (i32.const 6))
  (elem declare func $f)
  (func $take (param (ref $t2)) (result i32) (call_indirect (type $t) (i32.const 0)))
  (table 1 funcref)
  (func $null (type $u) (ref.is_null (local.get 0)))
  (func (export "widen") (result funcref) (ref.func $f))
  (func (export "block") (result i32)
    (block (result (ref null $t)) (ref.func $f))
    (ref.is_null))
  (func (export "is-null") (result i32) (call $null (ref.null $t)))
  (func (export "not-null") (result i32) (call $null (ref.func $f)))
  (func (export "equal-types") (result i32)
    (table.set (i32.const 0) (ref.func $f))
    (call $take (ref.func $f)))
)
(assert_return (invoke "widen") (ref.func))
(assert_return (invoke "block") (i32.const 0))
(assert_return (invoke "is-null") (i32.const 1))
(assert_return (invoke "not-null") (i32.const 0))
(assert_return (invoke "equal-types") (i32.const 6))

(assert_invalid
  (module (type $t (func)) (func (param (ref null $t)) (result (ref $t)) (local.get 0)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (func (param funcref) (result (ref null $t)) (local.get 0)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (type $u (func (param i32)))
    (func (param (ref $t)) (result (ref $u)) (local.get 0)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (func (result (ref null $t)) (ref.null func)))
  "type mismatch")
(assert_invalid
  (module
    (rec (type $a (func)) (type $b (func)))
    (func (param (ref $a)) (result (ref $b)) (local.get 0)))
  "type mismatch")
(assert_invalid
  (module (type $t (func)) (func (local (ref $t))))
  "non-nullable locals are not supported by this runtime")

;; what is refused at load, with an error and no crash: a struct type
;; (the GC proposal), a rec group counting past the section's end, a
;; supertype that is not before its type
(assert_invalid
  (module binary "\00asm\01\00\00\00" "\01\03\01\5f\00")
  "GC struct/array types are not supported")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\05\01\4e\05\60\00")
  "length out of bounds")
(assert_malformed
  (module binary "\00asm\01\00\00\00" "\01\06\01\4e\01\60\01\7f")
  "unexpected end")
(assert_invalid
  (module binary "\00asm\01\00\00\00" "\01\07\01\50\01\00\60\00\00")
  "unknown type")
