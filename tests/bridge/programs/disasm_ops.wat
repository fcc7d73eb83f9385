;; Every instruction form the disassembler (lldb-bridge/formats/wb_disasm.c)
;; knows, for tests/bridge/test_disasm.c, which compares its output with
;; `wasm-objdump -d`. Assembled with `wat2wasm --no-check --enable-all
;; --debug-names`: the bodies need not type-check, only decode.
(module
  (type $t (func (param i32) (result i32)))
  (type $t2 (func (param i32 i32) (result i32 i32)))
  (import "env" "imported" (func $imported (param i32)))
  (memory $m0 1)
  (memory $m1 1)
  (table $ta 2 funcref)
  (table $tb 2 externref)
  (global $g (mut i32) (i32.const 0))
  (data $d "abc")
  (elem $e func $fib)

  (func $fib (param i32) (result i32) (local i64 f64 f64 externref)
    local.get 0
    i32.const 2
    i32.lt_s
    if (result i32)
      local.get 0
    else
      local.get 0 i32.const 1 i32.sub call $fib
      local.get 0 i32.const -2 i32.add call $fib i32.add
    end)

  (func $plain
    unreachable nop return drop select i32.eqz
    i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u
    i32.le_s i32.le_u i32.ge_s i32.ge_u i64.eqz i64.eq
    i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s
    i64.le_u i64.ge_s i64.ge_u f32.eq f32.ne f32.lt
    f32.gt f32.le f32.ge f64.eq f64.ne f64.lt
    f64.gt f64.le f64.ge i32.clz i32.ctz i32.popcnt
    i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s
    i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s
    i32.shr_u i32.rotl i32.rotr i64.clz i64.ctz i64.popcnt
    i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s
    i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s
    i64.shr_u i64.rotl i64.rotr f32.abs f32.neg f32.ceil
    f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub
    f32.mul f32.div f32.min f32.max f32.copysign f64.abs
    f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt
    f64.add f64.sub f64.mul f64.div f64.min f64.max
    f64.copysign i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
    i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
    f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s
    f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 i32.reinterpret_f32 i64.reinterpret_f64
    f32.reinterpret_i32 f64.reinterpret_i64 i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s
    i64.extend32_s ref.is_null i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
    i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u
  )

  (func $control (param i32) (result i32)
    block $b (result i32)
      loop $l
        local.get 0 br_table 0 1 0
        block (type $t2)
          br 2
        end
        br_if 0
      end
      block end
      i32.const 3
    end
    if (result f64) end
    call $imported
    i32.const 0 call_indirect (type $t)
    i32.const 0 call_indirect $tb (type $t2)
    return_call $fib
    return_call_indirect (type $t)
    select (result i32)
    select (result i64 f32)
    ref.null func ref.null extern ref.func $fib
    local.set 1 local.tee 2 global.get $g global.set $g
    table.get $tb table.set $ta
  )

  (func $memory
    i32.load i32.load offset=4 align=2 i64.load align=4 f32.load offset=4294967295
    f64.load align=1 i32.load8_s i32.load8_u i32.load16_s i32.load16_u align=1
    i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s offset=8
    i64.load32_u i32.store i64.store offset=16 align=8 f32.store f64.store align=2
    i32.store8 i32.store16 i64.store8 i64.store16 i64.store32 align=1
    i32.load $m1 offset=12
    memory.size memory.grow memory.size $m1
    memory.init $d data.drop $d memory.copy memory.fill
    memory.copy $m1 $m0
    table.init $tb $e table.init $e elem.drop $e table.copy $tb $ta
    table.grow $tb table.size $ta table.fill $tb
  )

  (func $consts
    i32.const 0 i32.const 2147483647 i32.const -2147483648 i32.const -1
    i64.const 0 i64.const 9223372036854775807 i64.const -9223372036854775808 i64.const -129
    f32.const 0 f32.const -0 f32.const 1.5 f32.const 1e10 f32.const 0x1p-149
    f32.const inf f32.const -inf f32.const nan f32.const -nan f32.const nan:0x200000
    f32.const 3.4028234e38
    f64.const 0 f64.const -0 f64.const 0.1 f64.const 0x1p-1074 f64.const 1.7976931348623157e308
    f64.const inf f64.const nan f64.const -nan:0x1
  )

  (func $simd
    v128.const i32x4 1 2 3 4
    i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    i32.const 0 v128.load offset=16
    i32x4.extract_lane 2
    v128.load8_lane 3
    v128.store64_lane offset=8 1
    i32x4.add
    v128.load32_zero
    i32.const 7
  )
)
