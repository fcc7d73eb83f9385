;; Compiled by tests/spec/wast2json.js (libwabt.js cannot: Wasm 3.0 types);
;; from tests/spec/funcref-extra.wast line 80.
(module
  (type $s (sub (func (result i32))))
  (type $t (sub final $s (func (result i32))))
  (table funcref (elem $g $h))
  (func $g (type $t) (i32.const 4))
  (func $h (type $s) (i32.const 5))
  (func (export "sub-as-super") (result i32) (call_indirect (type $s) (i32.const 0)))
  (func (export "super-as-sub") (result i32) (call_indirect (type $t) (i32.const 1)))
)
