// Values of each kind the rust tier checks (tests/rust): a struct, a
// tuple, enums with data (Option, Result, a user enum with tuple, struct
// and unit variants), &str, String, Vec, a slice, Box, a reference,
// Option<&T> (a niche layout), a trait object, a closure, an array, a
// static, and a function in nested modules. wdb's session on the Wasm
// build and gdb's on the native one are compared (cases/values.vs-gdb).
#[derive(Debug, Clone, Copy)]
pub struct Point { x: i32, y: i32 }

#[derive(Debug)]
enum Shape { Circle { r: f64 }, Square(u32), Empty }

trait Speak { fn speak(&self) -> String; }
struct Dog { name: &'static str }
impl Speak for Dog { fn speak(&self) -> String { format!("{} says woof", self.name) } }

mod geo {
    pub mod calc {
        pub fn dist2(a: &super::super::Point, b: &super::super::Point) -> i32 {
            let dx = a.x - b.x;
            let dy = a.y - b.y;
            dx * dx + dy * dy
        }
    }
}

fn checked(a: i32, b: i32) -> Result<i32, String> {
    if b == 0 { Err(String::from("divide by zero")) } else { Ok(a / b) }
}

static GREETING: &str = "hi there";
static LIMITS: [i64; 2] = [-5, 5];

#[inline(never)]
fn stop_here(_t: &i32) {}

fn main() {
    let p = Point { x: 1, y: 2 };
    let t = (7u8, -3i64);
    let some = Some(5i32);
    let none: Option<i32> = None;
    let ok = checked(9, 3);
    let err = checked(1, 0);
    let c = Shape::Circle { r: 1.5 };
    let s = Shape::Square(4);
    let e = Shape::Empty;
    let text: &str = "hello";
    let owned = String::from("world");
    let v = vec![1, 2, 3];
    let sl: &[i32] = &v[1..];
    let b = Box::new(Point { x: 3, y: 4 });
    let r = &p;
    let opt_ref: Option<&Point> = Some(&p);
    let no_ref: Option<&Point> = None;
    let dog = Dog { name: "rex" };
    let sp: &dyn Speak = &dog;
    let arr = [10u16, 20, 30];
    let flag = true;
    let ch = 'z';
    let k = 2;
    let add = |x: i32| x + k;
    let d = geo::calc::dist2(&p, &b);
    stop_here(&d);
    println!("{} {:?}", GREETING, LIMITS);
    println!("{:?} {:?} {:?} {:?} {:?} {:?}", p, t, some, none, ok, err);
    println!("{:?} {:?} {:?} {} {} {:?} {:?}", c, s, e, text, owned, v, sl);
    println!("{:?} {:?} {:?} {:?} {} {:?} {} {} {} {}", b, r, opt_ref, no_ref, sp.speak(), arr, flag, ch, add(1), d);
}
