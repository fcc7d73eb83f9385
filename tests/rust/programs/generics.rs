// Generic types and methods, trait impls for several types, recursion,
// u64 arithmetic, nested enums and an iterator chain (tests/rust): frames
// named as gdb names them (Type<T>::method, {impl#N}), compared with gdb.
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
enum Token { Num(i64), Op(char), LParen, RParen }

struct Stack<T> { items: Vec<T>, limit: usize }

impl<T: Clone + fmt::Debug> Stack<T> {
    fn new(limit: usize) -> Self { Stack { items: Vec::new(), limit } }
    fn push(&mut self, item: T) -> Result<usize, String> {
        if self.items.len() >= self.limit {
            return Err(format!("stack full at {:?}", item));
        }
        self.items.push(item);
        Ok(self.items.len())
    }
    fn pop(&mut self) -> Option<T> { self.items.pop() }
}

trait Describe { fn describe(&self) -> String; }
impl Describe for Token {
    fn describe(&self) -> String {
        match self {
            Token::Num(n) => format!("number {}", n),
            Token::Op(c) => format!("operator {}", c),
            Token::LParen | Token::RParen => String::from("paren"),
        }
    }
}
impl Describe for u64 { fn describe(&self) -> String { format!("u64 {}", self) } }

fn tokenize(src: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut num: Option<i64> = None;
    for ch in src.chars() {
        if let Some(d) = ch.to_digit(10) {
            num = Some(num.unwrap_or(0) * 10 + d as i64);
            continue;
        }
        if let Some(n) = num.take() { out.push(Token::Num(n)); }
        match ch {
            '+' | '-' | '*' => out.push(Token::Op(ch)),
            '(' => out.push(Token::LParen),
            ')' => out.push(Token::RParen),
            _ => {}
        }
    }
    if let Some(n) = num { out.push(Token::Num(n)); }
    out
}

fn fact(n: u64) -> u64 { if n <= 1 { 1 } else { n * fact(n - 1) } }

fn main() {
    let toks = tokenize("12+(3*45)-6");
    let mut st: Stack<Token> = Stack::new(3);
    let mut results = Vec::new();
    for t in toks.iter().cloned() { results.push(st.push(t)); }
    let top = st.pop();
    let words: Vec<String> = toks.iter().filter(|t| matches!(t, Token::Num(_))).map(|t| t.describe()).collect();
    let f = fact(10);
    println!("{:?}", toks);
    println!("{:?} {:?}", results, top);
    println!("{} {}", words.join(", "), f.describe());
}
