//! Built-in [`SignatureVerifier`](crate::jwt::SignatureVerifier)s.
//!
//! - [`Jwks`] and [`Jwk`]: a provider's public keys: RSA (`RS256`, `RS384`, `RS512`,
//!   `PS256`, `PS384`, `PS512`; feature `rsa`, on by default), P-256 and P-384 (`ES256`,
//!   `ES384`; feature `ecdsa`), P-521 (`ES512`; feature `es512`), Ed25519 (`EdDSA`, `Ed25519`; feature `eddsa`);
//! - [`HmacKey`]: a shared secret (`HS256`, `HS384`, `HS512`; feature `hmac`), for
//!   confidential clients only.
//!
//! Key selection (RFC 7515 §4.1.4, OIDC Core §10.1, RFC 8725 §3.1): a token with a `kid` is
//! checked only against keys with that `kid`, and none is `SelectionError::UnknownKey`; without a
//! `kid`, exactly one key may fit the `alg` (two are `AmbiguousKey`: the OpenID implicit profile
//! allows this rejection). A key fits when its type is the `alg`'s (an RSA key never verifies
//! `HS256` or `ES256`) and its own `alg`, if any, is the token's; otherwise `KeyTypeMismatch`
//! or `KeyAlgMismatch`. Keys the build does not understand (`oct`, `OKP`, other curves) are
//! ignored, as RFC 7517 §5 says, and so are keys not for signatures (`"use":"enc"`, `key_ops`
//! without `verify`, an `alg` such as `RSA-OAEP`): they take no room in the set, and a token
//! naming one gets `UnknownKey` (a lone `Jwk` says `KeyUseMismatch`). Keys of a known type
//! that cannot be used (a modulus under 2048 bits, an even exponent, a point off the
//! curve) are kept so a token naming one gets `UnusableKey`, and `Jwk::error` tells why.
//!
//! **Key rotation.** When the ID token names a key the verifier lacks, `complete` returns
//! `Outcome::KeysOutdated` and keeps the transaction, bound to that ID token: fetch the JWKS
//! again and call `complete` once more with the same fragment (OpenID test
//! `rp-key-rotation-op-sign-key`). That retry consumes the transaction whatever its outcome,
//! so a made-up `kid` buys one refetch at most.
//!
//! **Strictness.** RSA verification rebuilds the whole `00 01 FF… 00 DigestInfo hash`
//! encoding and compares it (no padding parser to fool); the signature must be exactly the
//! modulus length and below the modulus. ES256 signatures must be the 64-byte `R || S` form;
//! DER is refused. Exponents must be odd, at least 3 and below 2³²; base64url integers must
//! have no leading zero octet (RFC 7518 §6.3.1.1).
//!
//! # Examples
//!
//! ```rust
//! # #[cfg(feature = "rsa")] fn main() -> Result<(), implicit_grant::Error> {
//! use implicit_grant::{Expectations, UnixTime, verify_id_token};
//! use implicit_grant::verify::Jwks;
//! // OIDC Core Appendix A.1's key and A.3's ID token.
//! let jwks = Jwks::parse(r#"{"keys":[{"kty":"RSA","kid":"1e9gdk7","n":"w7Zdfmece8iaB0kiTY8pCtiBtzbptJmP28nSWwtdjRu0f2GFpajvWE4VhfJAjEsOcwYzay7XGN0b-X84BfC8hmCTOj2b2eHT7NsZegFPKRUQzJ9wW8ipn_aDJWMGDuB1XyqT1E7DYqjUCEOD1b4FLpy_xPn6oV_TYOfQ9fZdbE5HGxJUzekuGcOKqOQ8M7wfYHhHHLxGpQVgL0apWuP2gDDOdTtpuld4D2LK1MZK99s9gaSjRHE8JDb1Z4IGhEcEyzkxswVdPndUWzfvWBBWXWxtSUvQGBRkuy1BHOa4sP6FKjWEeeF7gm7UMs2Nm2QUgNZw6xvEDGaLk4KASdIxRQ","e":"AQAB"}]}"#)?;
//! let id_token = "eyJraWQiOiIxZTlnZGs3IiwiYWxnIjoiUlMyNTYifQ.ewogImlzcyI6ICJodHRwczovL3NlcnZlci5leGFtcGxlLmNvbSIsCiAic3ViIjogIjI0ODI4OTc2MTAwMSIsCiAiYXVkIjogInM2QmhkUmtxdDMiLAogIm5vbmNlIjogIm4tMFM2X1d6QTJNaiIsCiAiZXhwIjogMTMxMTI4MTk3MCwKICJpYXQiOiAxMzExMjgwOTcwLAogImF0X2hhc2giOiAiNzdRbVVQdGpQZnpXdEYyQW5wSzlSUSIKfQ.kdqTmftlaXg5WBYBr1wkxhkqCGZPc0k8vTiV5g2jj67jQ7XkrDamYx2bOkZLdZrpMPIzkdYB1nZI_G8vQGQuamRhJcEIt21kblGPZ-yhEhdkAiZIZLu38rChalDS2Mh0glE_rke5XXRhmqqoEFFdziFdnO3p61-7y51co84OEAZvARSINQaOWIzvioRfs4zwIFOaT33Vpxfqr8HDyh31zo9eBW2dSQuCa071z0ENWChWoPliK1JCo_Bk9eDg2uwo2ZwhsvHzj6TMQ0lYOTzufSlSmXIKfjlOsb3nftQeR697_hA-nMZyAdL8_NRfaC37XnAbW8WB9wCfECp7cuNuOg";
//! let now = UnixTime::from_secs(1_311_281_000);
//! let expect = Expectations::new("https://server.example.com", "s6BhdRkqt3", "n-0S6_WzA2Mj", now);
//! let mut scratch = [0u8; 1024];
//! let claims = verify_id_token(id_token, &expect, &jwks, &mut scratch)?;
//! assert_eq!(claims.sub(), "248289761001");
//! # Ok(()) }
//! # #[cfg(not(feature = "rsa"))] fn main() {}
//! ```

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
