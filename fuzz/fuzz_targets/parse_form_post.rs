//! `parse_form_post` (an `application/x-www-form-urlencoded` POST body) is total; every
//! value decodes. Run: `cargo +nightly fuzz run parse_form_post`.
#![no_main]

mod shared;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = implicit_grant::parse_form_post(text) {
        shared::check_values(&response);
    }
});
