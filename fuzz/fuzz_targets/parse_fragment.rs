//! `parse_fragment` is total on any input, and a decoded value is never longer than its
//! encoding. Run: `cargo +nightly fuzz run parse_fragment`.
#![no_main]

use implicit_grant::{AuthorizationResponse, parse_fragment};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else { return };
    let Ok(response) = parse_fragment(text) else { return };
    let mut out = [0u8; 16 * 1024];
    let values = match response {
        AuthorizationResponse::Success(ok) => [
            ok.state.map(|v| v.expose_secret()),
            ok.access_token.map(|v| v.expose_secret()),
            ok.scope,
        ],
        AuthorizationResponse::Error(e) => [e.state.map(|v| v.expose_secret()), e.error_description, e.error_uri],
    };
    for value in values.into_iter().flatten() {
        let decoded = value.decode_into(&mut out).expect("a parsed value decodes");
        assert!(decoded.len() <= value.as_encoded().len());
        assert!(value.ct_eq_decoded(decoded));
    }
});
