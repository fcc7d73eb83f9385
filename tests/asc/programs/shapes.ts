import { print } from "./io";

class Point {
  x: i32;
  y: i32;
  constructor(x: i32, y: i32) {
    this.x = x;
    this.y = y;
  }
  dist2(): i32 {
    return this.x * this.x + this.y * this.y;
  }
}

function sum(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += i;
  }
  return total;
}

function scale(v: f64, k: i64): f64 {
  const factor = <f64>k;
  return v * factor;
}

function main(): void {
  const p = new Point(3, 4);
  const s = sum(5);
  const d = scale(1.5, 4);
  print("sum " + s.toString() + " dist2 " + p.dist2().toString() + " scaled " + d.toString());
}

main();
