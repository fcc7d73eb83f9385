import { print } from "./io";

function get(values: Array<i32>, index: i32): i32 {
  return values[index];
}

function total(values: Array<i32>, count: i32): i32 {
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += get(values, i);
  }
  return sum;
}

function main(): void {
  const values: Array<i32> = [1, 2, 3];
  print("total " + total(values, 3).toString());
  print("total " + total(values, 4).toString());
}

main();
