import { print } from "./io";

// v128 values: arguments and a local of Wasm type v128, which the
// debugger shows as gdb shows a vector register.
function lanes(a: v128, b: v128): i32 {
  const sum = i32x4.add(a, b);
  return i32x4.extract_lane(sum, 0) + i32x4.extract_lane(sum, 3);
}

function main(): void {
  const r = lanes(i32x4(1, 2, 3, 4), f32x4(1.5, -2.0, 0.0, 0.25));
  print("lanes " + r.toString() + "\n");
}

main();
