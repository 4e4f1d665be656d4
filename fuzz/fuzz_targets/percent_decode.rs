//! Percent decoding of any value: never longer than its encoding, and it agrees with an
//! independent decoder (`form_urlencoded`) whenever this crate accepts the value.
//! Run: `cargo +nightly fuzz run percent_decode`.
#![no_main]

use implicit_grant::{AuthorizationResponse, parse_form_post};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(value) = core::str::from_utf8(data) else {
        return;
    };
    if value.contains(['&', '=', '#']) {
        return;
    }
    // `error_description` takes any NQSCHAR text, so it reaches the decoder with the
    // fewest grammar checks in front of it.
    let body = format!("error=invalid_request&error_description={value}");
    let Ok(AuthorizationResponse::Error(e)) = parse_form_post(&body) else {
        return;
    };
    let Some(raw) = e.error_description else {
        return;
    };
    let mut out = vec![0u8; value.len()];
    let decoded = raw.decode_into(&mut out).expect("a parsed value decodes");
    assert!(decoded.len() <= value.len());
    let reference: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(reference[1].1, decoded);
});
