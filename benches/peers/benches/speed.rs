//! Criterion: each operation, ours and the peers side by side in one run.
//! Run: `cargo bench --bench speed` (in benches/peers), or `bash benches/peers/run.sh`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use implicit_grant_peers::operations;

fn side_by_side(c: &mut Criterion) {
    for op in operations() {
        let mut group = c.benchmark_group(op.id);
        for system in &op.systems {
            system
                .run()
                .unwrap_or_else(|e| panic!("{} / {}: {e}", op.id, system.name));
            group.bench_function(system.name, |b| b.iter(|| black_box(system.run())));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // 29 benchmarks: 1 s of warm-up and 3 s of samples each keep a run near two minutes.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = side_by_side
}
criterion_main!(benches);
