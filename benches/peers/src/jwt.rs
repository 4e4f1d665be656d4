//! `jsonwebtoken` 11, with either of its crypto backends, plus `url` and `sha2` for the rest
//! of the callback.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use jsonwebtoken::crypto::{CryptoProvider, JwtVerifier, aws_lc, rust_crypto};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, dangerous, decode};
use serde::Deserialize;

use crate::fixture::{Fixture, Key};
use crate::std_url::{Fragment, IdClaims};
use crate::{System, text};

/// Which of `jsonwebtoken`'s providers checks the signature.
#[derive(Clone, Copy)]
pub(crate) enum Backend {
    /// RustCrypto's `rsa` 0.9 and `p256` 0.13.
    RustCrypto,
    /// aws-lc-rs (AWS-LC, assembly).
    AwsLc,
    /// None: `dangerous::insecure_decode` and the claims checked by hand.
    Skipped,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Self::RustCrypto => "jsonwebtoken 11 (rust_crypto)",
            Self::AwsLc => "jsonwebtoken 11 (aws_lc_rs)",
            Self::Skipped => "jsonwebtoken 11 insecure_decode",
        }
    }

    /// The name of the whole callback pipeline built on this backend.
    fn pipeline(self) -> &'static str {
        match self {
            Self::RustCrypto => "url + jsonwebtoken 11 (rust_crypto) + sha2",
            Self::AwsLc => "url + jsonwebtoken 11 (aws_lc_rs) + sha2",
            Self::Skipped => "url + jsonwebtoken 11 insecure_decode + sha2",
        }
    }

    /// Makes the process-wide provider use this backend for the next verifications.
    fn select(self) {
        install();
        AWS_LC.store(matches!(self, Self::AwsLc), Ordering::Relaxed);
    }
}

/// `jsonwebtoken` keeps one provider per process; this one hands each verification to the
/// backend last selected, so both run in the same binary.
static AWS_LC: AtomicBool = AtomicBool::new(false);

fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        let provider = CryptoProvider {
            verifier_factory: |alg, key| -> jsonwebtoken::errors::Result<Box<dyn JwtVerifier>> {
                if AWS_LC.load(Ordering::Relaxed) {
                    (aws_lc::DEFAULT_PROVIDER.verifier_factory)(alg, key)
                } else {
                    (rust_crypto::DEFAULT_PROVIDER.verifier_factory)(alg, key)
                }
            },
            ..rust_crypto::DEFAULT_PROVIDER.clone()
        };
        let provider: &'static CryptoProvider = Box::leak(Box::new(provider));
        provider
            .install_default()
            .expect("the only provider installed");
    });
}

/// The public key from the fixture's JWK Set, as `jsonwebtoken` takes it.
fn decoding_key(f: &Fixture, key: Key) -> DecodingKey {
    #[derive(Deserialize)]
    struct Set {
        keys: Vec<jsonwebtoken::jwk::Jwk>,
    }
    let set: Set = serde_json::from_str(f.jwks.get(key)).expect("fixture JWK Set");
    DecodingKey::from_jwk(&set.keys[0]).expect("fixture key")
}

fn validation(f: &Fixture, key: Key) -> Validation {
    let mut v = Validation::new(match key {
        Key::Rs2048 | Key::Rs4096 => Algorithm::RS256,
        Key::Es256 => Algorithm::ES256,
        Key::Es384 => Algorithm::ES384,
        Key::EdDsa => Algorithm::EdDSA,
    });
    v.set_issuer(&[&f.issuer]);
    v.set_audience(&[&f.client_id]);
    v
}

pub(crate) fn insecure_decode(f: &'static Fixture) -> System {
    let token = f.id_tokens.get(Key::Rs2048);
    System::new(Backend::Skipped.name(), move || {
        let data = dangerous::insecure_decode::<IdClaims>(token).map_err(text)?;
        Ok(data.claims.len())
    })
}

/// Signature, `iss`, `aud`, `exp` (by `jsonwebtoken`), then `nonce` (by hand).
pub(crate) fn verify_id_token(f: &'static Fixture, key: Key, backend: Backend) -> System {
    let (decoding_key, validation) = (decoding_key(f, key), validation(f, key));
    let token = f.id_tokens.get(key);
    System::new(backend.name(), move || {
        backend.select();
        let claims = decode::<IdClaims>(token, &decoding_key, &validation)
            .map_err(text)?
            .claims;
        crate::check(claims.nonce == f.nonce, "nonce", claims.len())
    })
}

/// The callback by hand: `url` for the fragment, `subtle` for `state`, `jsonwebtoken` for
/// the ID token (or its `insecure_decode` with the claims checked by hand), `sha2` for
/// `at_hash`.
pub(crate) fn complete(f: &'static Fixture, backend: Backend) -> System {
    let (decoding_key, validation) = (decoding_key(f, Key::Rs2048), validation(f, Key::Rs2048));
    let fragment = f.fragments.get(Key::Rs2048);
    System::new(backend.pipeline(), move || {
        let (id_token, access_token) = Fragment::parse_and_check(fragment, f)?;
        let claims = match backend {
            Backend::Skipped => {
                let claims = dangerous::insecure_decode::<IdClaims>(&*id_token)
                    .map_err(text)?
                    .claims;
                crate::check(
                    claims.iss == f.issuer && claims.aud == f.client_id,
                    "iss/aud",
                    0,
                )?;
                crate::check(claims.exp + 60 > f.now, "exp", 0)?;
                claims
            }
            _ => {
                backend.select();
                decode::<IdClaims>(&*id_token, &decoding_key, &validation)
                    .map_err(text)?
                    .claims
            }
        };
        claims.check_nonce_and_at_hash(f, &access_token)
    })
}
