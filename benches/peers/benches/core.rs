//! Smoke benches of the hot paths through the public API, with `form_urlencoded` (the `url`
//! crate's parser) side by side for the fragment. Run (in benches/peers): `cargo bench --features crate-benches --bench core`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use implicit_grant::verify::HmacKey;
use implicit_grant::{Algorithm, Expectations, verify_id_token};
use implicit_grant::{AuthorizeRequest, ResponseType, parse_fragment};
use sha2::Sha256;

const KEY: &[u8] = b"bench secret shared with the provider: 32+ bytes";
const AT: &str = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
const NONCE: &str = "n-0S6_WzA2Mj";

fn b64(bytes: &[u8]) -> String {
    use base64ct::{Base64UrlUnpadded, Encoding};
    Base64UrlUnpadded::encode_string(bytes)
}

fn id_token() -> String {
    let claims = format!(
        r#"{{"iss":"https://server.example.com","sub":"auth0|5f7c8ec7c33c6c004bbafe82","aud":"s6BhdRkqt3","nonce":"{NONCE}","exp":1311281970,"iat":1311280970,"at_hash":"77QmUPtjPfzWtF2AnpK9RQ","name":"Jane Doe","email":"janedoe@example.com","email_verified":true,"https:\/\/example.com\/roles":["admin"]}}"#
    );
    let input = format!(
        "{}.{}",
        b64(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims.as_bytes())
    );
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(KEY).unwrap();
    mac.update(input.as_bytes());
    format!("{input}.{}", b64(&mac.finalize().into_bytes()))
}

fn fragment(c: &mut Criterion) {
    let frag = format!(
        "access_token={AT}&id_token={}&token_type=Bearer&expires_in=7200&scope=openid%20profile%20email&state=nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA",
        id_token()
    );
    let mut g = c.benchmark_group("fragment");
    g.throughput(Throughput::Bytes(frag.len() as u64));
    g.bench_function("implicit-grant parse_fragment", |b| {
        b.iter(|| parse_fragment(black_box(&frag)).unwrap())
    });
    g.bench_function("form_urlencoded::parse (collect)", |b| {
        b.iter(|| form_urlencoded::parse(black_box(frag.as_bytes())).collect::<Vec<_>>())
    });
    g.finish();
}

fn authorize_url(c: &mut Criterion) {
    let req = AuthorizeRequest::new(
        "https://server.example.com/authorize",
        "s6BhdRkqt3",
        "https://client.example.org/cb",
    )
    .response_type(ResponseType::IdTokenToken)
    .scope(&["openid", "profile", "email"])
    .audience("https://api.example.com/appointments")
    .state("nbV4dtB8_7jVOQ3ggcpwc7D5Y7wbRhSFG7Bea4wclpA")
    .nonce("4ZbQ_LKBbcFdJNF5kmlOHUmwPu53A5zKF8H6M8u9uEw");
    let mut buf = [0u8; 1024];
    c.bench_function("authorize_url write_into", |b| {
        b.iter(|| black_box(&req).write_into(&mut buf).map(str::len).unwrap())
    });
}

fn id_token_verify(c: &mut Criterion) {
    let token = id_token();
    let verifier = HmacKey::hs256(KEY).unwrap();
    let e = Expectations::new(
        "https://server.example.com",
        "s6BhdRkqt3",
        NONCE,
        implicit_grant::UnixTime::from_secs(1_311_281_000),
    )
    .algorithms(&[Algorithm::HS256])
    .access_token(Some(AT));
    let mut scratch = [0u8; 4096];
    c.bench_function("verify_id_token HS256 + claims + at_hash", |b| {
        b.iter(|| {
            verify_id_token(black_box(&token), &e, &verifier, &mut scratch)
                .map(|c| c.exp())
                .unwrap()
        })
    });
}

criterion_group!(benches, fragment, authorize_url, id_token_verify);
criterion_main!(benches);
