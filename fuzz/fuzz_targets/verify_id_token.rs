//! Any text as an ID token, verified with real keys (the OIDC Core A.1 JWK, the RSA and
//! P-256 keys of `tests/data`, the RFC 7515 A.1 HMAC key): total, and nothing verifies
//! unless its signing input is one a key holder signed (a seed's).
//! Run: `cargo +nightly fuzz run verify_id_token -- -dict=jwt.dict`.
#![no_main]

use std::sync::OnceLock;

use implicit_grant::verify::{HmacKey, Jwks};
use implicit_grant::{Algorithm, Expectations, SignatureVerifier, verify_id_token};

const JWKS: &str = include_str!("../../tests/data/jwks.json");
const A1: &str = include_str!("../data/a1_jwks.json");
const TOKENS: &str = include_str!("../../tests/data/tokens.json");
const A3: &str = include_str!("../data/oidc_a3");
const HS256: &str = include_str!("../data/hs256_token");
/// RFC 7515 A.1's HMAC key, decoded.
const HMAC_KEY: [u8; 64] = [
    3, 35, 53, 75, 43, 15, 165, 188, 131, 126, 6, 101, 119, 123, 166, 143, 90, 179, 40, 230, 240,
    84, 201, 40, 169, 15, 132, 178, 210, 80, 46, 191, 211, 251, 90, 146, 210, 6, 71, 239, 150, 138,
    180, 195, 119, 98, 61, 34, 61, 46, 33, 114, 5, 46, 79, 8, 192, 205, 154, 245, 103, 208, 128,
    163,
];

/// The signing inputs of the seed tokens: the only ones a key holder signed.
fn signed_inputs() -> &'static Vec<String> {
    static INPUTS: OnceLock<Vec<String>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let mut tokens: Vec<String> = TOKENS
            .split('"')
            .filter(|s| s.starts_with("eyJ") && s.matches('.').count() == 2)
            .map(str::to_owned)
            .collect();
        tokens.push(A3.trim().to_owned());
        tokens.push(HS256.trim().to_owned());
        tokens
            .iter()
            .map(|t| t.rsplit_once('.').unwrap().0.to_owned())
            .collect()
    })
}

fn check(token: &str, e: &Expectations<'_>, verifier: &impl SignatureVerifier) {
    let mut scratch = vec![0u8; token.len() * 2 + 64];
    if verify_id_token(token, e, verifier, &mut scratch).is_ok() {
        let input = token.rsplit_once('.').unwrap().0;
        assert!(
            signed_inputs().iter().any(|s| s == input),
            "verified: {token}"
        );
    }
}

/// The key sets, parsed once (parsing has a target of its own).
fn keys() -> &'static (Jwks<8>, Jwks) {
    static KEYS: OnceLock<(Jwks<8>, Jwks)> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            Jwks::<8>::parse_with_capacity(JWKS).unwrap(),
            Jwks::parse(A1).unwrap(),
        )
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(token) = core::str::from_utf8(data) else {
        return;
    };
    let all = [
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::ES256,
    ];
    let (jwks, a1) = keys();
    let e = Expectations::new(
        "https://op.example.com",
        "s6BhdRkqt3",
        "n-0S6_WzA2Mj-n-0S6_WzA2Mj",
        implicit_grant::UnixTime::from_secs(1_764_547_260),
    )
    .algorithms(&all);
    check(token, &e, jwks);

    let e = Expectations::new(
        "https://server.example.com",
        "s6BhdRkqt3",
        "n-0S6_WzA2Mj",
        implicit_grant::UnixTime::from_secs(1_311_281_000),
    )
    .access_token(Some("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"));
    check(token, &e, a1);

    // HMAC: whatever verifies carries the tag an independent HMAC computes.
    let hmac = HmacKey::hs256(&HMAC_KEY).unwrap();
    let e = e.algorithms(&[Algorithm::HS256]);
    let mut scratch = vec![0u8; token.len() * 2 + 64];
    if verify_id_token(token, &e, &hmac, &mut scratch).is_ok() {
        use base64ct::{Base64UrlUnpadded, Encoding};
        use hmac::{Hmac, KeyInit, Mac};
        let (input, tag) = token.rsplit_once('.').unwrap();
        let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&HMAC_KEY).unwrap();
        mac.update(input.as_bytes());
        assert_eq!(
            Base64UrlUnpadded::decode_vec(tag).unwrap(),
            mac.finalize().into_bytes().to_vec()
        );
    }
});
