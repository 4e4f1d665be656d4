//! Any text as a compact JWS: splitting and header decoding are total; a decoded header's
//! `alg` is never `none`, and decoding is deterministic.
//! Run: `cargo +nightly fuzz run jwt_header`.
#![no_main]

use implicit_grant::jwt::decode_header;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else {
        return;
    };
    let mut scratch = vec![0u8; token.len() * 2 + 16];
    let first = decode_header(token, &mut scratch).map(|h| (h.alg, h.kid.map(str::to_owned)));
    let mut again = vec![0u8; token.len() * 2 + 16];
    let second = decode_header(token, &mut again).map(|h| (h.alg, h.kid.map(str::to_owned)));
    assert_eq!(first, second);
});
