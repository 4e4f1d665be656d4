//! Built-in [`SignatureVerifier`](crate::jwt::SignatureVerifier)s.
//!
//! - [`Jwks`] and [`Jwk`]: a provider's public keys: RSA (`RS256`, `RS384`, `RS512`,
//!   `PS256`, `PS384`, `PS512`; feature `rsa`, on by default), P-256 and P-384 (`ES256`,
//!   `ES384`; feature `ecdsa`), P-521 (`ES512`; feature `es512`), Ed25519 (`EdDSA`, `Ed25519`; feature `eddsa`);
//! - [`HmacKey`]: a shared secret (`HS256`, `HS384`, `HS512`; feature `hmac`), for
//!   confidential clients only.

#[cfg(feature = "ecdsa")]
mod ecdsa;
#[cfg(feature = "eddsa")]
mod ed25519;
#[cfg(feature = "hmac")]
mod hmac;
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
mod jwk;
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
mod jwks;
#[cfg(feature = "rsa")]
mod montgomery;
#[cfg(all(fuzzing, feature = "rsa"))]
#[doc(hidden)]
pub use montgomery::fuzzing as __montgomery;
#[cfg(feature = "rsa")]
mod rsa;
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
mod select;

#[cfg(feature = "hmac")]
#[cfg_attr(docsrs, doc(cfg(feature = "hmac")))]
pub use hmac::HmacKey;
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa")))
)]
pub use jwk::Jwk;
#[cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa"))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(feature = "rsa", feature = "ecdsa", feature = "eddsa")))
)]
pub use jwks::Jwks;

/// Whether a JWK's `key_ops` array lists `verify` (RFC 7517 §4.3): one test for the
/// asymmetric keys and the HMAC keys.
#[cfg(any(
    feature = "rsa",
    feature = "ecdsa",
    feature = "eddsa",
    feature = "hmac"
))]
fn lists_verify(key_ops: &str) -> bool {
    use crate::codec::json::{self, Value};
    json::elements(key_ops).any(|op| {
        let mut buf = [0u8; 8];
        matches!(op, Ok(Value::Str(op, _)) if json::canonical_str(op, &mut buf) == Ok("verify"))
    })
}

/// A member of a JSON Web Key (RFC 7517 §4, RFC 7518 §6).
///
/// A key error names the member at fault:
/// ```
/// # #[cfg(feature = "rsa")] {
/// use implicit_grant::{KeyError, verify::{Jwk, JwkMember}};
/// // An RSA key without its modulus `n`.
/// let parsed = Jwk::parse(r#"{"kty":"RSA","kid":"1e9gdk7","e":"AQAB"}"#);
/// assert_eq!(parsed.err(), Some(KeyError::MissingKeyMember(JwkMember::N)));
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwkMember {
    /// `keys`, the array of a JWK Set (RFC 7517 §5.1).
    Keys,
    /// `kty`
    Kty,
    /// `use`
    Use,
    /// `alg`
    Alg,
    /// `kid`
    Kid,
    /// `crv`
    Crv,
    /// `n`, the RSA modulus.
    N,
    /// `e`, the RSA public exponent.
    E,
    /// `x`, the EC x coordinate.
    X,
    /// `y`, the EC y coordinate.
    Y,
    /// `key_ops`
    KeyOps,
    /// `k`, the key value of a symmetric (`oct`) key (RFC 7518 §6.4.1).
    K,
}

impl JwkMember {
    /// The member's name.
    ///
    /// ```
    /// assert_eq!(implicit_grant::verify::JwkMember::Kty.as_str(), "kty");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Keys => "keys",
            Self::Kty => "kty",
            Self::Use => "use",
            Self::Alg => "alg",
            Self::Kid => "kid",
            Self::Crv => "crv",
            Self::N => "n",
            Self::E => "e",
            Self::X => "x",
            Self::Y => "y",
            Self::KeyOps => "key_ops",
            Self::K => "k",
        }
    }
}
