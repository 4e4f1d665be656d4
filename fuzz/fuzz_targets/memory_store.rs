//! `MemoryStore<N>` against a model: any sequence of saves (with any issue times) and takes.
//! Invariants: a take returns exactly the record saved under that key, once; a save never
//! fails and never drops a record while there is room; when full it drops an expired record
//! if there is one, else one of the oldest; the store never holds more than `N`.
//! Run: `cargo +nightly fuzz run memory_store`.
#![no_main]

use core::time::Duration;

use implicit_grant::{
    AuthorizationEndpoint, ClientId, Config, Issuer, MemoryStore, RedirectUri, ResponseType,
    Transaction, TransactionStore, UnixTime,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};

const N: usize = 4;
const LIFETIME: u64 = 600;

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let config = Config::builder(
        Issuer::new("https://op.example"),
        AuthorizationEndpoint::new("https://op.example/authorize"),
        ClientId::new("client-1"),
        RedirectUri::new("https://rp.example/cb"),
    )
    .response_type(ResponseType::Token)
    .build()
    .expect("a valid config");
    let transaction = |state: &str, at: u64| {
        Transaction::new(&config, state, None, UnixTime::from_secs(at)).expect("a valid state")
    };
    let mut store = MemoryStore::<N>::with_lifetime(Duration::from_secs(LIFETIME));
    // The model: (state, issued_at) of every record the store should hold.
    let mut model: Vec<(String, u64)> = Vec::new();
    for _ in 0..u.int_in_range(0..=64)? {
        let state = format!("state-{:02}-0123456789abcdefghij", u.int_in_range(0..=9u8)?);
        let t = transaction(&state, 0);
        if u.arbitrary()? {
            let at = u.int_in_range(0..=5_000u64)?;
            let t = transaction(&state, at);
            store
                .save(&t.key(), &t.to_record(), t.issued_at())
                .expect("a save never fails");
            if let Some(slot) = model.iter_mut().find(|(s, _)| *s == state) {
                slot.1 = at;
            } else {
                if model.len() == N {
                    let expired: Vec<bool> = model
                        .iter()
                        .map(|&(_, t)| at.saturating_sub(t) > LIFETIME)
                        .collect();
                    if expired.contains(&true) {
                        let mut flags = expired.into_iter();
                        model.retain(|_| !flags.next().unwrap_or(false));
                    } else {
                        // One of the oldest goes: which one, when several tie, is the
                        // store's choice, so learn it from the store.
                        let oldest = model.iter().map(|&(_, t)| t).min().unwrap_or(0);
                        let gone = model
                            .iter()
                            .position(|(s, t)| {
                                *t == oldest && {
                                    let k = transaction(s, 0).key();
                                    let r = store.take(&k).unwrap();
                                    if let Some(r) = &r {
                                        store.save(&k, r, UnixTime::from_secs(*t)).unwrap();
                                    }
                                    r.is_none()
                                }
                            })
                            .expect("an oldest record was dropped");
                        model.remove(gone);
                    }
                }
                model.push((state, at));
            }
        } else {
            let got = store.take(&t.key()).expect("a take never fails");
            let want = model
                .iter()
                .position(|(s, _)| *s == state)
                .map(|i| model.remove(i));
            match (got, want) {
                (Some(record), Some((_, at))) => {
                    let back = Transaction::from_record(&record).expect("a record it was given");
                    assert_eq!(
                        (back.expose_state(), back.issued_at()),
                        (state.as_str(), UnixTime::from_secs(at))
                    );
                }
                (None, None) => {}
                (got, want) => panic!("store {:?} vs model {want:?}", got.is_some()),
            }
        }
        assert_eq!(store.len(), model.len());
        assert!(store.len() <= N);
    }
    Ok(())
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
