//! `parse_fragment` is total on any input; every value it yields decodes, no longer than
//! its encoding. Run: `cargo +nightly fuzz run parse_fragment`.
#![no_main]

mod shared;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(response) = implicit_grant::parse_fragment(text) {
        shared::check_values(&response);
    }
});
