// A Rust panic (tests/rust): with panic=abort on wasm32-wasi the hook
// prints the message and the program aborts (an `unreachable` trap); wdb
// stops there and says the program panicked, with the message and where.
// Its argument picks the panic: a message with integers (none), an index
// out of bounds (index), unwrap on None (unwrap), strings (text).
fn check(v: &[i32], i: usize) -> i32 {
    if i >= v.len() {
        panic!("index {} past the end ({} items)", i, v.len());
    }
    v[i]
}
fn main() {
    let v = vec![1, 2, 3];
    let how = std::env::args().nth(1).unwrap_or_default();
    let name = String::from("wdb");
    let none: Option<u8> = None;
    println!("{}", check(&v, 1));
    match how.as_str() {
        "index" => println!("{}", v[how.len() + 2]),
        "unwrap" => println!("{}", none.unwrap()),
        "text" => panic!("{} stops here: {}", name, "with text"),
        _ => println!("{}", check(&v, 7)),
    }
}
