//! Any text as a JWK Set: parsing is total and deterministic, never keeps more keys than
//! its capacity, and a kept key's `kid` was in the input (escapes aside).
//! Run: `cargo +nightly fuzz run jwks_parse`.
#![no_main]

use implicit_grant::verify::{Jwk, Jwks};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let first = Jwks::<3>::parse_with_capacity(text);
    let second = Jwks::<3>::parse_with_capacity(text);
    assert_eq!(first.as_ref().err(), second.as_ref().err());
    if let Ok(set) = first {
        assert!(set.len() <= 3);
        for key in set.keys() {
            if let Some(kid) = key.kid() {
                assert!(text.contains(kid) || text.contains('\\'), "{kid}");
            }
        }
    }
    let _ = Jwk::parse(text);
});
