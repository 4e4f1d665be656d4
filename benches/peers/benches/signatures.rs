//! Signature verification with the test keys of `tests/data` (RSA-2048/3072/4096, P-256):
//! the signature alone through `Jwks`, the whole `verify_id_token`, and `Jwks::parse`
//! (which precomputes the Montgomery parameters); then every family on one key each, RS256
//! and PS256 on the same RSA-2048 key. Run (in benches/peers):
//! `cargo bench --features crate-benches --bench signatures`.

#[path = "../../../tests/common/mod.rs"]
mod common;

use std::hint::black_box;

use common::*;
use criterion::{Criterion, criterion_group, criterion_main};
use implicit_grant::jwt::decode_header;
use implicit_grant::verify::{Jwk, Jwks};
use implicit_grant::verify_id_token;
use implicit_grant::{Algorithm, Expectations, SignatureVerifier};

const CASES: [(&str, &str); 4] = [
    ("RS256-2048", "rsa-2048-a"),
    ("RS256-3072", "rsa-3072"),
    ("RS256-4096", "rsa-4096"),
    ("ES256", "p256-a"),
];

fn signature_only(c: &mut Criterion) {
    let jwks = Jwks::parse(&jwks_json(&[
        "rsa-2048-a",
        "rsa-3072",
        "rsa-4096",
        "p256-a",
    ]))
    .unwrap();
    let mut g = c.benchmark_group("signature");
    for (name, kid) in CASES {
        let alg = &name[..5];
        let token = sign(kid, &header(alg, kid), &claims(NONCE, ""));
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(sig).unwrap();
        let mut scratch = [0u8; 128];
        let header = decode_header(&token, &mut scratch).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                jwks.verify(black_box(&header), black_box(input.as_bytes()), &sig)
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn id_token(c: &mut Criterion) {
    let jwks = Jwks::parse(&jwks_json(&[
        "rsa-2048-a",
        "rsa-3072",
        "rsa-4096",
        "p256-a",
    ]))
    .unwrap();
    let mut g = c.benchmark_group("verify_id_token");
    for (name, kid) in CASES {
        let alg = &name[..5];
        let payload = claims(NONCE, &format!(r#","at_hash":"{AT_HASH}""#));
        let token = sign(kid, &header(alg, kid), &payload);
        let e = Expectations::new(ISSUER, CLIENT_ID, NONCE, NOW)
            .algorithms(&[Algorithm::RS256, Algorithm::ES256])
            .access_token(Some(AT));
        let mut scratch = [0u8; 2048];
        g.bench_function(name, |b| {
            b.iter(|| {
                verify_id_token(black_box(&token), &e, &jwks, &mut scratch)
                    .map(|c| c.exp())
                    .unwrap()
            })
        });
    }
    g.finish();
}

fn jwks_parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("Jwks::parse");
    for (name, kid) in CASES {
        let text = jwks_json(&[kid]);
        g.bench_function(name, |b| {
            b.iter(|| Jwks::parse(black_box(&text)).unwrap().len())
        });
    }
    g.finish();
}

/// One key per family; RS256 and PS256 share the RSA-2048 key (its JWK without `alg`).
fn families(c: &mut Criterion) {
    let mut g = c.benchmark_group("family");
    for (name, alg, kid) in [
        ("RS256-2048", "RS256", "rsa-2048-a"),
        ("PS256-2048", "PS256", "rsa-2048-a"),
        ("ES384", "ES384", "p384-a"),
        ("ES512", "ES512", "p521-a"),
        ("EdDSA", "EdDSA", "ed25519-a"),
    ] {
        let mut jwk: serde_json::Value = serde_json::from_str(&public_jwk(kid)).unwrap();
        jwk.as_object_mut().unwrap().remove("alg");
        let key = Jwk::parse(&jwk.to_string()).unwrap();
        let token = sign(kid, &header(alg, kid), &claims(NONCE, ""));
        let (input, sig) = token.rsplit_once('.').unwrap();
        let sig = <base64ct::Base64UrlUnpadded as base64ct::Encoding>::decode_vec(sig).unwrap();
        let mut scratch = [0u8; 128];
        let header = decode_header(&token, &mut scratch).unwrap();
        g.bench_function(name, |b| {
            b.iter(|| {
                key.verify(black_box(&header), black_box(input.as_bytes()), &sig)
                    .unwrap()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, signature_only, id_token, jwks_parse, families);
criterion_main!(benches);
