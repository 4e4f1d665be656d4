//! Any bytes as a JWT payload: decoding is total, claims reading never panics, and the
//! canonical JSON is a fixed point (canonicalizing it again changes nothing).
//! Run: `cargo +nightly fuzz run jwt_claims`.
#![no_main]

use base64ct::{Base64UrlUnpadded, Encoding};
use implicit_grant::jwt::{__fuzzing, decode_unverified_claims};

fn token(payload: &[u8]) -> String {
    format!("e30.{}.c2ln", Base64UrlUnpadded::encode_string(payload))
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let first = token(data);
    let mut scratch = vec![0u8; first.len() * 2];
    let Ok(json) = decode_unverified_claims(&first, &mut scratch) else {
        return;
    };
    let canonical = json.expose_secret().to_owned();
    assert!(canonical.len() <= data.len());
    let _ = __fuzzing::read_claims(json.expose_secret());
    let second = token(canonical.as_bytes());
    let mut scratch2 = vec![0u8; second.len() * 2];
    let again = decode_unverified_claims(&second, &mut scratch2).expect("canonical JSON decodes");
    assert_eq!(again.expose_secret(), canonical);
});
