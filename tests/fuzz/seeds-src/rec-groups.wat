;; Compiled by tests/spec/wast2json.js (libwabt.js cannot: Wasm 3.0 types);
;; from tests/spec/funcref-extra.wast line 9.
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
