//! Runs one operation of one system in a loop, for `perf record` or `valgrind --tool=callgrind`.
//! Run in `benches/peers`:
//! `cargo run --profile bench --example profile -- OPERATION SYSTEM [ITERATIONS]`.

use std::hint::black_box;

use implicit_grant_peers::operations;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, system, rest @ ..] = args.as_slice() else {
        eprintln!("usage: profile OPERATION SYSTEM [ITERATIONS]");
        std::process::exit(2);
    };
    let iterations: usize = rest
        .first()
        .map_or(100_000, |n| n.parse().expect("a count"));
    let system = operations()
        .iter()
        .filter(|o| o.id == op)
        .flat_map(|o| &o.systems)
        .find(|s| s.name == system)
        .expect("an operation and system of lib.rs");
    for _ in 0..iterations {
        black_box(system.run().expect("runs on the fixture"));
    }
}
