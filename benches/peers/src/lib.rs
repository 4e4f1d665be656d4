//! implicit-grant and its std peers doing the same operations on the same fixture, so that
//! the speed (`benches/speed.rs`), instruction (`benches/instructions.rs`) and allocation
//! (`benches/allocations.rs`) benches measure one list of closures.
//!
//! Every system gets its keys, clients and validators ready before it is measured (a JWK Set
//! parsed, a `DecodingKey` built, a verifier configured), as a long-lived app holds them;
//! what is measured is one call on one login. Each operation returns `Ok` only when the
//! system did the whole job (e.g. a signature that verifies, every claim checked).

use std::sync::OnceLock;

pub mod fixture;
mod jwt;
mod oidc;
mod ours;
mod std_url;

pub use fixture::Fixture;

/// One system doing one operation: `run` returns a value derived from its output (so that
/// the work cannot be optimized away) or why it failed.
pub struct System {
    /// The crates doing the work, as the report shows them.
    pub name: &'static str,
    /// Whether this is implicit-grant.
    pub ours: bool,
    run: Box<dyn Fn() -> Result<usize, String> + Send + Sync>,
}

impl System {
    fn new(
        name: &'static str,
        run: impl Fn() -> Result<usize, String> + Send + Sync + 'static,
    ) -> Self {
        let ours = name == OURS;
        Self {
            name,
            ours,
            run: Box::new(run),
        }
    }

    /// Does the operation once.
    ///
    /// # Errors
    /// What the system reported, as text.
    pub fn run(&self) -> Result<usize, String> {
        (self.run)()
    }
}

/// An operation and the systems that do it, ours first.
pub struct Operation {
    /// A stable identifier (criterion group, report key).
    pub id: &'static str,
    /// What the report calls it.
    pub title: &'static str,
    /// Whether it checks a signature: a tampered fixture must then fail in every system.
    pub verifies: bool,
    /// Ours first, then the peers.
    pub systems: Vec<System>,
}

/// The name under which implicit-grant appears.
pub const OURS: &str = "implicit-grant";

/// Every operation, on the committed fixture, built once.
pub fn operations() -> &'static [Operation] {
    static OPS: OnceLock<Vec<Operation>> = OnceLock::new();
    OPS.get_or_init(|| build(Fixture::committed()))
}

/// Every operation on `fixture`.
pub fn build(fixture: &'static Fixture) -> Vec<Operation> {
    let op = |id, title, verifies, systems| Operation {
        id,
        title,
        verifies,
        systems,
    };
    let mut ops = vec![
        op(
            "authorize_url",
            "Authorize URL",
            false,
            vec![
                ours::authorize_url(fixture),
                oidc::oauth2_authorize_url(fixture),
                oidc::authorize_url(fixture),
                std_url::authorize_url(fixture),
            ],
        ),
        op(
            "parse_fragment",
            "Parse the redirect fragment",
            false,
            vec![
                ours::parse_fragment(fixture),
                std_url::parse_fragment(fixture),
            ],
        ),
        op(
            "decode_id_token",
            "Decode an ID token, no verification",
            false,
            vec![
                ours::decode_id_token(fixture),
                jwt::insecure_decode(fixture),
                std_url::decode_id_token(fixture),
                oidc::decode_id_token(fixture),
            ],
        ),
    ];
    for (key, title) in [
        (fixture::Key::Rs2048, "Verify ID token, RS256-2048"),
        (fixture::Key::Rs4096, "Verify ID token, RS256-4096"),
        (fixture::Key::Es256, "Verify ID token, ES256"),
        (fixture::Key::Es384, "Verify ID token, ES384"),
        (fixture::Key::EdDsa, "Verify ID token, EdDSA (Ed25519)"),
    ] {
        ops.push(op(
            key.verify_id(),
            title,
            true,
            vec![
                ours::verify_id_token(fixture, key),
                jwt::verify_id_token(fixture, key, jwt::Backend::RustCrypto),
                jwt::verify_id_token(fixture, key, jwt::Backend::AwsLc),
                oidc::verify_id_token(fixture, key),
            ],
        ));
    }
    ops.push(op(
        "complete_no_signature",
        "complete() without the signature",
        false,
        vec![
            ours::complete(fixture, ours::Signature::Skipped),
            jwt::complete(fixture, jwt::Backend::Skipped),
            std_url::complete_no_signature(fixture),
            oidc::complete(fixture, oidc::Signature::Skipped),
        ],
    ));
    ops.push(op(
        "complete_rs256",
        "complete() with RS256-2048",
        true,
        vec![
            ours::complete(fixture, ours::Signature::Checked),
            jwt::complete(fixture, jwt::Backend::RustCrypto),
            jwt::complete(fixture, jwt::Backend::AwsLc),
            oidc::complete(fixture, oidc::Signature::Checked),
        ],
    ));
    ops.push(op(
        "code_flow_rs256",
        "Code flow with RS256-2048: callback, token request, token response",
        true,
        vec![ours::code_flow(fixture), oidc::code_flow(fixture)],
    ));
    ops
}

/// Turns any error into the report's text.
fn text(e: impl core::fmt::Debug) -> String {
    format!("{e:?}")
}

/// `Ok(len)` when `ok`, else `what` as the error.
fn check(ok: bool, what: &str, len: usize) -> Result<usize, String> {
    if ok { Ok(len) } else { Err(what.to_owned()) }
}
