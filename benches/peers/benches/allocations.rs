//! Allocations per call, counted by a global allocator, for every operation and system; and
//! the check that makes the comparisons fair: each system succeeds on the fixture, and each
//! verifying system refuses the fixture with altered signatures.
//!
//! Run: `cargo bench --bench allocations` (in benches/peers). Prints the operations as JSON,
//! in order, each system with its allocations and bytes per call (`collect.py` reads it);
//! exits non-zero if a check fails.

use std::alloc::{GlobalAlloc, Layout, System as Heap};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use implicit_grant_peers::{Fixture, build, operations};
use serde_json::json;

struct Counting;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: same contract as ours.
        unsafe { Heap.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as ours.
        unsafe { Heap.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size, Relaxed);
        // SAFETY: same contract as ours.
        unsafe { Heap.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn main() {
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for op in operations() {
        let mut systems = Vec::new();
        for system in &op.systems {
            // The first call may set up lazy state (a provider, a table): not counted.
            if let Err(e) = system.run() {
                failures.push(format!(
                    "{} / {} failed on the fixture: {e}",
                    op.id, system.name
                ));
            }
            let (calls, bytes) = (CALLS.load(Relaxed), BYTES.load(Relaxed));
            let _ = system.run();
            let (calls, bytes) = (CALLS.load(Relaxed) - calls, BYTES.load(Relaxed) - bytes);
            systems.push(json!({
                "name": system.name,
                "ours": system.ours,
                "allocations": calls,
                "alloc_bytes": bytes,
            }));
        }
        report.push(json!({"id": op.id, "title": op.title, "systems": systems}));
    }
    let tampered = build(Box::leak(Box::new(Fixture::tampered())));
    for op in tampered.iter().filter(|op| op.verifies) {
        for system in &op.systems {
            if system.run().is_ok() {
                failures.push(format!(
                    "{} / {} accepted an altered signature",
                    op.id, system.name
                ));
            }
        }
    }
    println!("{}", serde_json::to_string_pretty(&report).expect("JSON"));
    for failure in &failures {
        eprintln!("{failure}");
    }
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
