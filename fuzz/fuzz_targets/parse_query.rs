//! `parse_query` (a redirect URL's query: the error path of `response_mode=fragment`
//! clients) is total; every value decodes. Run: `cargo +nightly fuzz run parse_query`.
#![no_main]

mod shared;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = implicit_grant::parse_query(text) {
        shared::check_values(&response);
    }
});
