// A Rust program for the rust tier (tests/rust): structs, an enum with
// data, a trait object, closures and iterators, Vec, String and Option;
// its output must be the native build's, and wdb must debug it.
#[derive(Debug)]
struct Point { x: i32, y: i32 }

enum Shape { Circle(f64), Rect { w: u32, h: u32 }, Empty }

trait Area { fn area(&self) -> f64; }
impl Area for Shape {
    fn area(&self) -> f64 {
        match self {
            Shape::Circle(r) => 3.0 * r * r,
            Shape::Rect { w, h } => (*w * *h) as f64,
            Shape::Empty => 0.0,
        }
    }
}

fn total(shapes: &[Box<dyn Area>]) -> f64 {
    shapes.iter().map(|s| s.area()).sum()
}

fn main() {
    let p = Point { x: 3, y: 4 };
    let v: Vec<i32> = (1..=5).map(|i| i * i).collect();
    let name = String::from("wdb");
    let shapes: Vec<Box<dyn Area>> = vec![Box::new(Shape::Circle(2.0)), Box::new(Shape::Rect { w: 3, h: 4 }), Box::new(Shape::Empty)];
    let opt: Option<&i32> = v.iter().find(|&&x| x > 10);
    println!("{:?} {:?} {} {} {:?}", p, v, name, total(&shapes), opt);
}
