//! Instruction counts (callgrind, through gungraun) of the operations of `src/lib.rs`, ours
//! and the peers: exact and repeatable where wall-clock time is noisy.
//!
//! Run: `cargo bench --bench instructions` (needs valgrind and
//! `cargo install gungraun-runner --version 0.20.0`). Each bench id is the system's name in
//! lower case with every run of other characters turned into `_`; `collect.py` maps it back.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use implicit_grant_peers::{System, operations};

/// The system of `op` named `name`, called once so that lazy state (the fixture, a crypto
/// provider) is set up here, in the benchmark's setup, which is not measured.
fn system(op: &str, name: &str) -> &'static System {
    let system = operations()
        .iter()
        .filter(|o| o.id == op)
        .flat_map(|o| &o.systems)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("{op} / {name} is not in src/lib.rs"));
    system.run().expect("runs on the fixture");
    system
}

fn run(system: &System) -> usize {
    black_box(system.run().expect("runs on the fixture"))
}

#[library_benchmark]
#[bench::implicit_grant(system("authorize_url", "implicit-grant"))]
#[bench::oauth2_5(system("authorize_url", "oauth2 5"))]
#[bench::openidconnect_4(system("authorize_url", "openidconnect 4"))]
#[bench::url_2_5(system("authorize_url", "url 2.5"))]
fn authorize_url(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("parse_fragment", "implicit-grant"))]
#[bench::url_2_5_form_urlencoded(system("parse_fragment", "url 2.5 (form_urlencoded)"))]
fn parse_fragment(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("decode_id_token", "implicit-grant"))]
#[bench::jsonwebtoken_11_insecure_decode(system(
    "decode_id_token",
    "jsonwebtoken 11 insecure_decode"
))]
#[bench::base64_serde_json(system("decode_id_token", "base64 + serde_json"))]
#[bench::openidconnect_4_idtoken_from_str(system(
    "decode_id_token",
    "openidconnect 4 IdToken::from_str"
))]
fn decode_id_token(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("verify_rs256_2048", "implicit-grant"))]
#[bench::jsonwebtoken_11_rust_crypto(system("verify_rs256_2048", "jsonwebtoken 11 (rust_crypto)"))]
#[bench::jsonwebtoken_11_aws_lc_rs(system("verify_rs256_2048", "jsonwebtoken 11 (aws_lc_rs)"))]
#[bench::openidconnect_4(system("verify_rs256_2048", "openidconnect 4"))]
fn verify_rs256_2048(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("verify_rs256_4096", "implicit-grant"))]
#[bench::jsonwebtoken_11_rust_crypto(system("verify_rs256_4096", "jsonwebtoken 11 (rust_crypto)"))]
#[bench::jsonwebtoken_11_aws_lc_rs(system("verify_rs256_4096", "jsonwebtoken 11 (aws_lc_rs)"))]
#[bench::openidconnect_4(system("verify_rs256_4096", "openidconnect 4"))]
fn verify_rs256_4096(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("verify_es256", "implicit-grant"))]
#[bench::jsonwebtoken_11_rust_crypto(system("verify_es256", "jsonwebtoken 11 (rust_crypto)"))]
#[bench::jsonwebtoken_11_aws_lc_rs(system("verify_es256", "jsonwebtoken 11 (aws_lc_rs)"))]
#[bench::openidconnect_4(system("verify_es256", "openidconnect 4"))]
fn verify_es256(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("verify_es384", "implicit-grant"))]
#[bench::jsonwebtoken_11_rust_crypto(system("verify_es384", "jsonwebtoken 11 (rust_crypto)"))]
#[bench::jsonwebtoken_11_aws_lc_rs(system("verify_es384", "jsonwebtoken 11 (aws_lc_rs)"))]
#[bench::openidconnect_4(system("verify_es384", "openidconnect 4"))]
fn verify_es384(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("verify_eddsa", "implicit-grant"))]
#[bench::jsonwebtoken_11_rust_crypto(system("verify_eddsa", "jsonwebtoken 11 (rust_crypto)"))]
#[bench::jsonwebtoken_11_aws_lc_rs(system("verify_eddsa", "jsonwebtoken 11 (aws_lc_rs)"))]
#[bench::openidconnect_4(system("verify_eddsa", "openidconnect 4"))]
fn verify_eddsa(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("complete_no_signature", "implicit-grant"))]
#[bench::url_jsonwebtoken_11_insecure_decode_sha2(system(
    "complete_no_signature",
    "url + jsonwebtoken 11 insecure_decode + sha2"
))]
#[bench::url_base64_serde_json_sha2(system(
    "complete_no_signature",
    "url + base64 + serde_json + sha2"
))]
#[bench::url_openidconnect_4(system("complete_no_signature", "url + openidconnect 4"))]
fn complete_no_signature(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("complete_rs256", "implicit-grant"))]
#[bench::url_jsonwebtoken_11_rust_crypto_sha2(system(
    "complete_rs256",
    "url + jsonwebtoken 11 (rust_crypto) + sha2"
))]
#[bench::url_jsonwebtoken_11_aws_lc_rs_sha2(system(
    "complete_rs256",
    "url + jsonwebtoken 11 (aws_lc_rs) + sha2"
))]
#[bench::url_openidconnect_4(system("complete_rs256", "url + openidconnect 4"))]
fn complete_rs256(system: &'static System) -> usize {
    run(system)
}

#[library_benchmark]
#[bench::implicit_grant(system("code_flow_rs256", "implicit-grant"))]
#[bench::url_openidconnect_4(system("code_flow_rs256", "url + openidconnect 4"))]
fn code_flow_rs256(system: &'static System) -> usize {
    run(system)
}

library_benchmark_group!(
    name = side_by_side,
    benchmarks = [
        authorize_url,
        parse_fragment,
        decode_id_token,
        verify_rs256_2048,
        verify_rs256_4096,
        verify_es256,
        verify_es384,
        verify_eddsa,
        complete_no_signature,
        complete_rs256,
        code_flow_rs256
    ]
);

main!(library_benchmark_groups = side_by_side);
