// A Rust panic (tests/rust): with panic=abort on wasm32-wasi the hook
// prints the message and the program aborts (an `unreachable` trap); wdb
// stops there and says the program panicked, with the message and where.
fn check(v: &[i32], i: usize) -> i32 {
    if i >= v.len() {
        panic!("index {} past the end ({} items)", i, v.len());
    }
    v[i]
}
fn main() {
    let v = vec![1, 2, 3];
    println!("{}", check(&v, 1));
    println!("{}", check(&v, 7));
}
